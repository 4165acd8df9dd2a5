//! The `sync_queue` table: the changes made here that the reader's feed server must hear of,
//! kept until it acknowledged them, in the order they were made: read/unread/star/unstar of
//! synced articles, "mark all as read" of a feed, a folder or everything (one entry, not one
//! per article), and for Google Reader servers subscribing, unsubscribing, renaming and moving
//! feeds. A change is queued in the transaction that makes it, so it cannot be lost between
//! the two; it is removed only after the server said yes. Only the latest change per item and
//! field (and per feed and edit) is kept: that is the one the server must end up with.

use rusqlite::{OptionalExtension, Transaction, params};

use super::Store;
use super::articles::Flag;
use crate::error::{CoreError, Result};
use crate::support::time::now_ms;

pub(super) const MIGRATION_1: &str = "
CREATE TABLE sync_queue (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id   INTEGER NOT NULL,
    field     TEXT NOT NULL CHECK (field IN ('read', 'starred')),
    value     INTEGER NOT NULL,
    queued_ms INTEGER NOT NULL
);
CREATE INDEX sync_queue_by_item ON sync_queue(item_id, field);
";

/// The queue holds feed-level changes too. SQLite cannot widen a CHECK constraint, so the
/// table is rebuilt with its rows (and their order: `seq` is copied, and AUTOINCREMENT goes on
/// from the highest). `base` (the value the server had when the change was made) is unknown
/// for queued rows: they were changes, so it is the opposite of their value.
pub(super) const MIGRATION_2: &str = "
CREATE TABLE sync_queue_v2 (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    op        TEXT NOT NULL CHECK (op IN ('read', 'starred', 'mark_all', 'subscribe',
                                          'unsubscribe', 'rename', 'move')),
    item_id   INTEGER,
    value     INTEGER,
    base      INTEGER,
    feed_id   INTEGER,
    stream    TEXT,
    url       TEXT,
    title     TEXT,
    folder    TEXT,
    before_s  INTEGER,
    queued_ms INTEGER NOT NULL
);
INSERT INTO sync_queue_v2(seq, op, item_id, value, base, queued_ms)
    SELECT seq, field, item_id, value, NOT value, queued_ms FROM sync_queue ORDER BY seq;
DROP TABLE sync_queue;
ALTER TABLE sync_queue_v2 RENAME TO sync_queue;
CREATE INDEX sync_queue_by_item ON sync_queue(item_id, op);
CREATE INDEX sync_queue_by_feed ON sync_queue(feed_id, op);
";

/// Which articles a queued "mark all as read" covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueuedScope {
    /// Every article.
    All,
    /// One synced feed: its local id and the server's id.
    Feed {
        /// The local feed.
        feed_id: i64,
        /// The server's subscription id.
        sync_id: String,
    },
    /// The folder of this name.
    Folder(String),
}

/// What a queued entry asks of the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Read or starred set on one item.
    Flag {
        /// The server's item id.
        item_id: i64,
        /// Which state.
        flag: Flag,
        /// The new value.
        value: bool,
        /// The value the server had (as last synced) when the first of the changes this
        /// entry replaces was made: equal to `value` when the reader changed it back.
        base: bool,
    },
    /// Everything of `scope` that reached the server before `before` marked read.
    MarkAllRead {
        /// Which articles.
        scope: QueuedScope,
        /// Unix seconds: when the reader did it (items arriving later stay unread).
        before: i64,
    },
    /// Subscribe to `url` on the server, then give local feed `feed_id` the server's id.
    Subscribe {
        /// The local feed.
        feed_id: i64,
        /// The feed's URL.
        url: String,
        /// The title the reader gave it, if any.
        title: Option<String>,
        /// Its folder.
        folder: Option<String>,
    },
    /// Unsubscribe from the server's subscription `sync_id`.
    Unsubscribe {
        /// The server's subscription id.
        sync_id: String,
    },
    /// Rename a subscription.
    Rename {
        /// The local feed (its title follows the server's again once acknowledged).
        feed_id: i64,
        /// The server's subscription id.
        sync_id: String,
        /// The new title.
        title: String,
    },
    /// Move a subscription to a folder.
    Move {
        /// The local feed.
        feed_id: i64,
        /// The server's subscription id.
        sync_id: String,
        /// The folder's name.
        folder: String,
    },
}

/// One queued change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queued {
    /// Its place in the queue (later changes have higher numbers).
    pub seq: i64,
    /// When it was made, ms since the epoch.
    pub queued_ms: i64,
    /// The change.
    pub change: Change,
}

/// The account's kind (`greader`, `fever`), when one is set.
pub fn account_kind(tx: &Transaction<'_>) -> Result<Option<String>> {
    Ok(tx
        .prepare_cached("SELECT kind FROM sync_account WHERE id = 1")?
        .query_row([], |r| r.get(0))
        .optional()?)
}

/// The server's id of local feed `id` (`None`: a local feed, or no such feed).
fn feed_sync_id(tx: &Transaction<'_>, id: i64) -> Result<Option<String>> {
    Ok(tx
        .prepare_cached("SELECT sync_id FROM feeds WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?
        .flatten())
}

/// Queues the change of `flag` to `value` on article `id` when it is a synced article (and an
/// account is set); returns whether it was queued. Call it *before* changing the article: the
/// value it has then is the server's as last synced (the `base` of [`Change::Flag`]). An
/// earlier change of the same field is replaced (only the latest matters) and lends its base.
pub fn enqueue(tx: &Transaction<'_>, id: i64, flag: Flag, value: bool) -> Result<bool> {
    let sql = match flag {
        Flag::Read => {
            "SELECT a.sync_id, a.read FROM articles a WHERE a.id = ?1 AND a.sync_id IS NOT NULL
               AND EXISTS (SELECT 1 FROM sync_account)"
        }
        Flag::Starred => {
            "SELECT a.sync_id, a.starred FROM articles a WHERE a.id = ?1
               AND a.sync_id IS NOT NULL AND EXISTS (SELECT 1 FROM sync_account)"
        }
    };
    let found: Option<(i64, bool)> = tx
        .prepare_cached(sql)?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((item, current)) = found else {
        return Ok(false);
    };
    let earlier: Option<bool> = tx
        .prepare_cached("SELECT base FROM sync_queue WHERE item_id = ?1 AND op = ?2")?
        .query_row(params![item, flag.as_str()], |r| r.get(0))
        .optional()?;
    tx.prepare_cached("DELETE FROM sync_queue WHERE item_id = ?1 AND op = ?2")?
        .execute(params![item, flag.as_str()])?;
    tx.prepare_cached(
        "INSERT INTO sync_queue(op, item_id, value, base, queued_ms)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        flag.as_str(),
        item,
        value,
        earlier.unwrap_or(current),
        now_ms()
    ])?;
    Ok(true)
}

/// Which local articles a "mark all as read" covers (before it is known which are synced).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LocalScope {
    /// Every article.
    All,
    /// One feed, by local id.
    Feed(i64),
    /// The folder of this name.
    Folder(String),
}

/// Queues one "mark all as read" of `scope` up to `before` (Unix seconds) when the scope
/// holds synced feeds; returns whether it was queued. Item changes queued earlier stay (they
/// are sent first, in order); an earlier mark of the same scope is replaced.
pub fn enqueue_mark_all(tx: &Transaction<'_>, scope: &LocalScope, before: i64) -> Result<bool> {
    if account_kind(tx)?.is_none() {
        return Ok(false);
    }
    let (feed_id, stream, folder): (Option<i64>, Option<String>, Option<&str>) = match scope {
        LocalScope::All => {
            let any: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM feeds WHERE sync_id IS NOT NULL)",
                [],
                |r| r.get(0),
            )?;
            if !any {
                return Ok(false);
            }
            (None, None, None)
        }
        LocalScope::Feed(id) => {
            let sync_id = feed_sync_id(tx, *id)?;
            let Some(sync_id) = sync_id else {
                return Ok(false);
            };
            (Some(*id), Some(sync_id), None)
        }
        LocalScope::Folder(name) => {
            let any: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM feeds WHERE sync_id IS NOT NULL AND folder = ?1)",
                [name],
                |r| r.get(0),
            )?;
            if !any {
                return Ok(false);
            }
            (None, None, Some(name.as_str()))
        }
    };
    tx.prepare_cached(
        "DELETE FROM sync_queue WHERE op = 'mark_all' AND feed_id IS ?1 AND stream IS ?2
           AND folder IS ?3",
    )?
    .execute(params![feed_id, stream, folder])?;
    tx.prepare_cached(
        "INSERT INTO sync_queue(op, feed_id, stream, folder, before_s, queued_ms)
         VALUES ('mark_all', ?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![feed_id, stream, folder, before, now_ms()])?;
    Ok(true)
}

/// Queues subscribing to `url` on a Google Reader server for the new local feed `feed_id`;
/// returns whether it was queued (not with a Fever account, which cannot subscribe: the feed
/// stays local).
pub fn enqueue_subscribe(
    tx: &Transaction<'_>,
    feed_id: i64,
    url: &str,
    folder: Option<&str>,
) -> Result<bool> {
    if account_kind(tx)?.as_deref() != Some("greader") {
        return Ok(false);
    }
    tx.prepare_cached(
        "INSERT INTO sync_queue(op, feed_id, url, folder, queued_ms)
         VALUES ('subscribe', ?1, ?2, ?3, ?4)",
    )?
    .execute(params![feed_id, url, folder, now_ms()])?;
    Ok(true)
}

/// A feed-level edit the reader made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedEdit<'a> {
    /// A new title.
    Rename(&'a str),
    /// Another folder.
    Move(&'a str),
    /// Unsubscribed (call before the feed is deleted).
    Unsubscribe,
}

/// Queues an edit of local feed `feed_id` for a Google Reader server; returns whether
/// anything was queued. A synced feed queues the edit (replacing an earlier one of the same
/// kind; unsubscribing drops its pending renames and moves). A feed still waiting for its
/// subscription to be sent has that entry changed instead (unsubscribing drops it: the server
/// never hears of the feed). Other feeds are local: nothing to send.
pub fn enqueue_feed_edit(tx: &Transaction<'_>, feed_id: i64, edit: FeedEdit<'_>) -> Result<bool> {
    if account_kind(tx)?.as_deref() != Some("greader") {
        return Ok(false);
    }
    let sync_id = feed_sync_id(tx, feed_id)?;
    let Some(sync_id) = sync_id else {
        let sql = match edit {
            FeedEdit::Rename(_) => {
                "UPDATE sync_queue SET title = ?2 WHERE op = 'subscribe' AND feed_id = ?1"
            }
            FeedEdit::Move(_) => {
                "UPDATE sync_queue SET folder = ?2 WHERE op = 'subscribe' AND feed_id = ?1"
            }
            FeedEdit::Unsubscribe => {
                "DELETE FROM sync_queue WHERE op = 'subscribe' AND feed_id = ?1 AND ?2 IS NULL"
            }
        };
        let value = match edit {
            FeedEdit::Rename(v) | FeedEdit::Move(v) => Some(v),
            FeedEdit::Unsubscribe => None,
        };
        return Ok(tx.prepare_cached(sql)?.execute(params![feed_id, value])? > 0);
    };
    let (op, title, folder) = match edit {
        FeedEdit::Rename(t) => ("rename", Some(t), None),
        FeedEdit::Move(f) => ("move", None, Some(f)),
        FeedEdit::Unsubscribe => {
            tx.prepare_cached(
                "DELETE FROM sync_queue WHERE stream = ?1 AND op IN ('rename', 'move')",
            )?
            .execute([&sync_id])?;
            ("unsubscribe", None, None)
        }
    };
    tx.prepare_cached("DELETE FROM sync_queue WHERE stream = ?1 AND op = ?2")?
        .execute(params![sync_id, op])?;
    tx.prepare_cached(
        "INSERT INTO sync_queue(op, feed_id, stream, title, folder, queued_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![op, feed_id, sync_id, title, folder, now_ms()])?;
    Ok(true)
}

/// The server ids of subscriptions with an unsubscribe still queued (a sync must not bring
/// them back) and of those with a move still queued (their local folder stays).
pub fn pending_feed_edits(tx: &Transaction<'_>) -> Result<(Vec<String>, Vec<String>)> {
    let mut unsubscribed = Vec::new();
    let mut moved = Vec::new();
    let mut stmt = tx.prepare_cached(
        "SELECT op, stream FROM sync_queue WHERE op IN ('unsubscribe', 'move') AND stream IS NOT NULL",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (op, stream) = row?;
        if op == "unsubscribe" {
            unsubscribed.push(stream);
        } else {
            moved.push(stream);
        }
    }
    Ok((unsubscribed, moved))
}

/// A queue row as read from SQLite.
type Row = (
    i64,
    String,
    Option<i64>,
    Option<bool>,
    Option<bool>,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
    i64,
);

fn change_of(row: Row) -> Option<Queued> {
    let (seq, op, item_id, value, base, feed_id, stream, url, title, folder, before, queued_ms) =
        row;
    let change = match op.as_str() {
        "read" | "starred" => {
            let value = value?;
            Change::Flag {
                item_id: item_id?,
                flag: Flag::parse(&op)?,
                value,
                base: base.unwrap_or(!value),
            }
        }
        "mark_all" => Change::MarkAllRead {
            scope: match (folder, feed_id, stream) {
                (Some(f), _, _) => QueuedScope::Folder(f),
                (None, Some(feed_id), Some(sync_id)) => QueuedScope::Feed { feed_id, sync_id },
                _ => QueuedScope::All,
            },
            before: before?,
        },
        "subscribe" => Change::Subscribe {
            feed_id: feed_id?,
            url: url?,
            title,
            folder,
        },
        "unsubscribe" => Change::Unsubscribe { sync_id: stream? },
        "rename" => Change::Rename {
            feed_id: feed_id?,
            sync_id: stream?,
            title: title?,
        },
        "move" => Change::Move {
            feed_id: feed_id?,
            sync_id: stream?,
            folder: folder?,
        },
        _ => return None,
    };
    Some(Queued {
        seq,
        queued_ms,
        change,
    })
}

impl Store {
    /// Every queued change, oldest first.
    pub fn queued_changes(&self) -> Result<Vec<Queued>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT seq, op, item_id, value, base, feed_id, stream, url, title, folder,
                    before_s, queued_ms
             FROM sync_queue ORDER BY seq",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
                r.get(10)?,
                r.get(11)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let row: Row = row?;
            let (seq, op) = (row.0, row.1.clone());
            out.push(change_of(row).ok_or_else(|| {
                CoreError::Internal(format!("reading the sync queue (entry {seq}, {op})"))
            })?);
        }
        Ok(out)
    }

    /// How many changes wait to be sent.
    pub fn queued_count(&self) -> Result<u32> {
        Ok(self
            .conn()
            .query_row("SELECT COUNT(*) FROM sync_queue", [], |r| r.get(0))?)
    }

    /// Removes the changes the server acknowledged (by `seq`: a newer change of the same
    /// field queued meanwhile has another number and stays).
    pub fn unqueue(&mut self, seqs: &[i64]) -> Result<usize> {
        if seqs.is_empty() {
            return Ok(0);
        }
        let list = serde_json::to_string(seqs)
            .map_err(|e| CoreError::Internal(format!("encoding the sync queue ({e})")))?;
        self.write(|tx| {
            Ok(tx.execute(
                "DELETE FROM sync_queue WHERE seq IN (SELECT value FROM json_each(?1))",
                [list],
            )?)
        })
    }

    /// Records what the server acknowledged of a feed-level change, with its entry `seq`:
    /// a new subscription's server id goes on its local feed; an acknowledged rename lets the
    /// feed's title follow the server's again (which now holds it).
    pub fn acknowledge_feed_change(
        &mut self,
        seq: i64,
        change: &Change,
        new_sync_id: Option<&str>,
    ) -> Result<()> {
        self.write(|tx| {
            match (change, new_sync_id) {
                (Change::Subscribe { feed_id, title, .. }, Some(id)) => {
                    // Its title is on the server now: it follows the server's from here on.
                    tx.execute(
                        "UPDATE feeds SET custom_title = 0 WHERE id = ?1 AND title = ?2",
                        params![feed_id, title],
                    )?;
                    // The server may already list it under that id (another client added the
                    // same feed): the feed holding it keeps it, and this one stays local.
                    tx.execute(
                        "UPDATE OR IGNORE feeds SET sync_id = ?2 WHERE id = ?1 AND sync_id IS NULL",
                        params![feed_id, id],
                    )?;
                }
                (Change::Rename { feed_id, title, .. }, _) => {
                    tx.execute(
                        "UPDATE feeds SET custom_title = 0 WHERE id = ?1 AND title = ?2",
                        params![feed_id, title],
                    )?;
                }
                _ => {}
            }
            tx.execute("DELETE FROM sync_queue WHERE seq = ?1", [seq])?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::articles::{self, NewArticle, Origin};
    use crate::store::sync_account::{self as account, SyncedFeed};

    /// A store with an account, one synced article (server id 77) and one local article.
    fn store() -> (Store, i64, i64) {
        let mut store = Store::open_in_memory().unwrap();
        store
            .set_sync_account("greader", "https://rss.example.org/", "alice")
            .unwrap();
        let (synced, local) = store
            .write(|tx| {
                let feed = account::upsert_feed(
                    tx,
                    &SyncedFeed {
                        sync_id: "feed/1",
                        url: "https://news.example.org/feed",
                        title: "News",
                        site_url: None,
                        folder: Some("News"),
                    },
                )?;
                let new = |key: &str| NewArticle {
                    dedupe_key: key.into(),
                    feed_id: Some(feed),
                    url: None,
                    title: key.into(),
                    published_ms: None,
                    lang: None,
                    origin: Origin::Feed,
                    blocks: Vec::new(),
                };
                let synced = account::insert_item(tx, &new("s"), 77, false, false)?.unwrap();
                let local = articles::insert(tx, &new("l"))?.0;
                Ok((synced, local))
            })
            .unwrap();
        (store, synced, local)
    }

    fn change(store: &mut Store, id: i64, flag: Flag, value: bool) -> bool {
        store
            .write(|tx| {
                let queued = enqueue(tx, id, flag, value)?;
                articles::set_flag(tx, id, flag, value)?;
                Ok(queued)
            })
            .unwrap()
    }

    /// (item, flag, value, base) of the queued read/starred changes.
    fn flags(store: &Store) -> Vec<(i64, Flag, bool, bool)> {
        store
            .queued_changes()
            .unwrap()
            .into_iter()
            .filter_map(|q| match q.change {
                Change::Flag {
                    item_id,
                    flag,
                    value,
                    base,
                } => Some((item_id, flag, value, base)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn only_synced_articles_queue_and_only_the_latest_change_per_field_is_kept() {
        let (mut store, synced, local) = store();
        assert!(
            !change(&mut store, local, Flag::Read, true),
            "a local article has no server"
        );
        assert!(change(&mut store, synced, Flag::Read, true));
        assert!(change(&mut store, synced, Flag::Starred, true));
        assert!(change(&mut store, synced, Flag::Read, false));
        assert_eq!(
            flags(&store),
            vec![
                (77, Flag::Starred, true, false),
                (77, Flag::Read, false, false)
            ],
            "read then unread leaves one change, the latest, in order, and remembers that the \
             server had it unread (base) so a sync can tell whether the server changed it"
        );
    }

    #[test]
    fn an_acknowledged_change_leaves_the_queue_but_a_newer_one_stays() {
        let (mut store, synced, _) = store();
        change(&mut store, synced, Flag::Read, true);
        let sent: Vec<i64> = store
            .queued_changes()
            .unwrap()
            .iter()
            .map(|c| c.seq)
            .collect();
        // Changed again while the first change was on its way.
        change(&mut store, synced, Flag::Read, false);
        store.unqueue(&sent).unwrap();
        let left = flags(&store);
        assert_eq!(left.len(), 1, "the newer change must still be sent");
        assert!(!left[0].2);
    }

    #[test]
    fn the_servers_state_does_not_overwrite_a_field_still_queued() {
        let (mut store, synced, _) = store();
        change(&mut store, synced, Flag::Read, true);
        // The server still says unread (77 in the unread set) and starred.
        let changed = store
            .write(|tx| account::apply_state(tx, &[77], &[77]))
            .unwrap();
        assert_eq!(changed, vec![synced], "starred arrives");
        let a = store.article(synced).unwrap();
        assert!(
            a.read,
            "read here and not yet sent: the server's unread must not undo it"
        );
        assert!(a.starred);
    }

    #[test]
    fn removing_the_account_keeps_feeds_and_articles_as_local_ones_and_drops_the_queue() {
        let (mut store, synced, _) = store();
        change(&mut store, synced, Flag::Read, true);
        assert!(store.remove_sync_account().unwrap());
        assert_eq!(store.queued_count().unwrap(), 0);
        assert_eq!(store.article_sync_id(synced).unwrap(), None);
        assert!(store.synced_feeds().unwrap().is_empty());
        assert_eq!(
            store.list_feeds().unwrap().len(),
            1,
            "the feed stays, as a local feed"
        );
        assert!(
            !change(&mut store, synced, Flag::Read, false),
            "no account: nothing is queued"
        );
    }

    /// A feed-level entry as (op, stream or URL, title, folder).
    type FeedOp = (String, Option<String>, Option<String>, Option<String>);

    fn feed_ops(store: &Store) -> Vec<FeedOp> {
        store
            .queued_changes()
            .unwrap()
            .into_iter()
            .filter_map(|q| match q.change {
                Change::Subscribe {
                    url, title, folder, ..
                } => Some(("subscribe".into(), Some(url), title, folder)),
                Change::Unsubscribe { sync_id } => {
                    Some(("unsubscribe".into(), Some(sync_id), None, None))
                }
                Change::Rename { sync_id, title, .. } => {
                    Some(("rename".into(), Some(sync_id), Some(title), None))
                }
                Change::Move {
                    sync_id, folder, ..
                } => Some(("move".into(), Some(sync_id), None, Some(folder))),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn feed_edits_queue_in_order_and_fold_into_a_subscription_not_yet_sent() {
        let (mut store, _, _) = store();
        let synced = store.synced_feeds().unwrap()[0].1;
        let local = store
            .write(|tx| {
                let id = super::super::feeds::insert_feed(
                    tx,
                    "https://blog.example.org/feed",
                    "Blog",
                    None,
                    None,
                )?
                .0;
                assert!(enqueue_subscribe(
                    tx,
                    id,
                    "https://blog.example.org/feed",
                    None
                )?);
                enqueue_feed_edit(tx, synced, FeedEdit::Rename("Old name"))?;
                enqueue_feed_edit(tx, synced, FeedEdit::Rename("Nachrichten"))?;
                enqueue_feed_edit(tx, synced, FeedEdit::Move("Welt"))?;
                // Not on the server yet: the subscription entry carries the edits.
                enqueue_feed_edit(tx, id, FeedEdit::Rename("My blog"))?;
                enqueue_feed_edit(tx, id, FeedEdit::Move("Tech"))?;
                Ok(id)
            })
            .unwrap();
        let some = |s: &str| Some(s.to_owned());
        assert_eq!(
            feed_ops(&store),
            vec![
                (
                    "subscribe".into(),
                    some("https://blog.example.org/feed"),
                    some("My blog"),
                    some("Tech")
                ),
                ("rename".into(), some("feed/1"), some("Nachrichten"), None),
                ("move".into(), some("feed/1"), None, some("Welt")),
            ],
            "one rename per feed, the latest; edits of an unsent subscription ride with it"
        );
        store
            .write(|tx| {
                enqueue_feed_edit(tx, local, FeedEdit::Unsubscribe)?;
                enqueue_feed_edit(tx, synced, FeedEdit::Unsubscribe)
            })
            .unwrap();
        assert_eq!(
            feed_ops(&store),
            vec![("unsubscribe".into(), some("feed/1"), None, None)],
            "unsubscribing drops the feed's pending edits, and a subscription the server never \
             heard of is simply not sent"
        );
        let tx_pending = store.write(pending_feed_edits).unwrap();
        assert_eq!(tx_pending.0, vec!["feed/1".to_owned()]);
    }

    #[test]
    fn a_fever_account_queues_no_subscription_edits() {
        let mut store = Store::open_in_memory().unwrap();
        store
            .set_sync_account("fever", "https://rss.example.org/fever/", "alice")
            .unwrap();
        let queued = store
            .write(|tx| {
                let id = super::super::feeds::insert_feed(
                    tx,
                    "https://x.example/feed",
                    "X",
                    None,
                    None,
                )?
                .0;
                enqueue_subscribe(tx, id, "https://x.example/feed", None)
            })
            .unwrap();
        assert!(!queued, "Fever cannot subscribe: the feed stays local");
        assert_eq!(store.queued_count().unwrap(), 0);
    }

    #[test]
    fn mark_all_read_is_one_entry_and_keeps_its_articles_read_until_acknowledged() {
        let (mut store, synced, _) = store();
        let feed = store.synced_feeds().unwrap()[0].1;
        let n = store
            .write(|tx| {
                assert!(enqueue_mark_all(
                    tx,
                    &LocalScope::Folder("News".into()),
                    1_000
                )?);
                assert!(
                    !enqueue_mark_all(tx, &LocalScope::Folder("Empty".into()), 1_000)?,
                    "no synced feed there: nothing to send"
                );
                articles::mark_all_read(tx, &LocalScope::Feed(feed), now_ms())
            })
            .unwrap();
        assert_eq!(n, 2, "both articles of the feed are read here");
        let q = store.queued_changes().unwrap();
        assert_eq!(q.len(), 1, "one entry, not one per article");
        assert!(matches!(
            &q[0].change,
            Change::MarkAllRead { scope: QueuedScope::Folder(f), before: 1_000 } if f == "News"
        ));
        // The server has not heard yet and still lists 77 as unread.
        store
            .write(|tx| account::apply_state(tx, &[77], &[]))
            .unwrap();
        assert!(
            store.article(synced).unwrap().read,
            "a mark not yet sent must not be undone by the server's old state"
        );
        store.unqueue(&[q[0].seq]).unwrap();
        store
            .write(|tx| account::apply_state(tx, &[77], &[]))
            .unwrap();
        assert!(
            !store.article(synced).unwrap().read,
            "once acknowledged, the server's state rules again (marked unread elsewhere)"
        );
    }

    #[test]
    fn the_queue_of_an_older_library_survives_the_new_schema_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let mut conn = rusqlite::Connection::open(&path).unwrap();
            let tx = conn.transaction().unwrap();
            let before = super::super::MIGRATIONS
                .iter()
                .position(|m| *m == MIGRATION_2)
                .unwrap();
            for sql in &super::super::MIGRATIONS[..before] {
                tx.execute_batch(sql).unwrap();
            }
            tx.pragma_update(None, "user_version", before as i64)
                .unwrap();
            tx.execute_batch(
                "INSERT INTO sync_queue(seq, item_id, field, value, queued_ms)
                   VALUES (5, 77, 'starred', 1, 1), (9, 78, 'read', 0, 2);",
            )
            .unwrap();
            tx.commit().unwrap();
        }
        let mut store = Store::open(&path).unwrap();
        assert_eq!(
            flags(&store),
            vec![
                (77, Flag::Starred, true, false),
                (78, Flag::Read, false, true)
            ],
            "changes queued by the older build are still sent, in order"
        );
        store
            .write(|tx| {
                tx.execute(
                    "INSERT INTO sync_queue(op, item_id, value, base, queued_ms)
                     VALUES ('read', 79, 1, 0, 3)",
                    [],
                )?;
                Ok(())
            })
            .unwrap();
        let seqs: Vec<i64> = store
            .queued_changes()
            .unwrap()
            .iter()
            .map(|q| q.seq)
            .collect();
        assert_eq!(seqs, vec![5, 9, 10], "new entries come after the old ones");
    }
}
