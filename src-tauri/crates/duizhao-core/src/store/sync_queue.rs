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
