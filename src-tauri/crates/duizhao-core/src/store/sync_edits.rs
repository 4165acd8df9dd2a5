//! The feed-level half of the sync queue (`sync_queue.rs` owns the table): one "mark all as
//! read" of a feed, a folder or the library instead of one change per article, and, for
//! Google Reader accounts, subscribing, unsubscribing, renaming and moving feeds, each queued
//! in the transaction of the change made here; and what the server's acknowledgement of one
//! changes here (a new subscription's server id, a title that follows the server's again).

use rusqlite::{Transaction, params};

use super::Store;
use super::sync_queue::{Change, account_kind, feed_sync_id};
use crate::error::Result;
use crate::support::time::now_ms;

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

impl Store {
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
    use crate::store::articles::{self};
    use crate::store::sync_account as account;
    use crate::store::sync_queue::QueuedScope;
    use crate::store::sync_queue::tests::store;

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
}
