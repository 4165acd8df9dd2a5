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
pub(super) fn feed_sync_id(tx: &Transaction<'_>, id: i64) -> Result<Option<String>> {
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
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::store::articles::{self, NewArticle, Origin};
    use crate::store::sync_account::{self as account, SyncedFeed};

    /// A store with an account, one synced article (server id 77) and one local article.
    pub(crate) fn store() -> (Store, i64, i64) {
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
