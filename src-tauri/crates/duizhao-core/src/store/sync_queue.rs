//! The `sync_queue` table: read/unread/star/unstar changes made here to synced articles,
//! kept until the server has acknowledged them. A change is queued in the transaction that
//! makes it, so it cannot be lost between the two; it is removed only after the server said
//! yes. Only the latest change per item and field is kept: that is the one the server must
//! end up with.

use rusqlite::{Transaction, params};

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

/// One queued change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Queued {
    /// Its place in the queue (later changes have higher numbers).
    pub seq: i64,
    /// The server's item id.
    pub item_id: i64,
    /// Which state changed.
    pub flag: Flag,
    /// The new value.
    pub value: bool,
}

/// Queues the change of `flag` to `value` on article `id` when it is a synced article (and an
/// account is set); returns whether it was queued. An earlier change of the same field is
/// replaced: only the latest matters.
pub fn enqueue(tx: &Transaction<'_>, id: i64, flag: Flag, value: bool) -> Result<bool> {
    let sync_id: Option<i64> = tx
        .prepare_cached(
            "SELECT a.sync_id FROM articles a WHERE a.id = ?1 AND a.sync_id IS NOT NULL
               AND EXISTS (SELECT 1 FROM sync_account)",
        )?
        .query_row([id], |r| r.get(0))
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            e => Err(e),
        })?;
    let Some(item) = sync_id else {
        return Ok(false);
    };
    tx.prepare_cached("DELETE FROM sync_queue WHERE item_id = ?1 AND field = ?2")?
        .execute(params![item, flag.as_str()])?;
    tx.prepare_cached(
        "INSERT INTO sync_queue(item_id, field, value, queued_ms) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![item, flag.as_str(), value, now_ms()])?;
    Ok(true)
}

impl Store {
    /// Every queued change, oldest first.
    pub fn queued_changes(&self) -> Result<Vec<Queued>> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT seq, item_id, field, value FROM sync_queue ORDER BY seq")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, bool>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, item_id, field, value) = row?;
            let flag = Flag::parse(&field)
                .ok_or_else(|| CoreError::Internal(format!("reading the sync queue ({field})")))?;
            out.push(Queued {
                seq,
                item_id,
                flag,
                value,
            });
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
                articles::set_flag(tx, id, flag, value)?;
                enqueue(tx, id, flag, value)
            })
            .unwrap()
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
        let q = store.queued_changes().unwrap();
        let fields: Vec<(i64, Flag, bool)> =
            q.iter().map(|c| (c.item_id, c.flag, c.value)).collect();
        assert_eq!(
            fields,
            vec![(77, Flag::Starred, true), (77, Flag::Read, false)],
            "read then unread leaves one change, the latest, in order"
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
        let left = store.queued_changes().unwrap();
        assert_eq!(left.len(), 1, "the newer change must still be sent");
        assert!(!left[0].value);
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
}
