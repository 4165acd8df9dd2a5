//! The `glossary` table (created by the translations migration): terms always translated
//! one way, globally or for one feed, optionally for one target language.

use rusqlite::{Transaction, params};

use super::Store;
use crate::error::{CoreError, Result};
use crate::model::GlossaryEntry;

fn entry_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<GlossaryEntry> {
    Ok(GlossaryEntry {
        id: r.get(0)?,
        source: r.get(1)?,
        target: r.get(2)?,
        lang: r.get(3)?,
        feed_id: r.get(4)?,
    })
}

/// Inserts a term (its `id` is ignored); returns the new id.
pub fn insert(tx: &Transaction<'_>, e: &GlossaryEntry) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO glossary(source, target, lang, feed_id) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![e.source, e.target, e.lang, e.feed_id])?;
    Ok(tx.last_insert_rowid())
}

impl Store {
    /// Terms that apply to a feed (global ones included; `None` = global ones only), by source.
    pub fn glossary(&self, feed_id: Option<i64>) -> Result<Vec<GlossaryEntry>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, source, target, lang, feed_id FROM glossary
             WHERE feed_id IS NULL OR feed_id = ?1 ORDER BY source",
        )?;
        let rows = stmt.query_map([feed_id], entry_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every term, global and per feed, by source.
    pub fn all_glossary(&self) -> Result<Vec<GlossaryEntry>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, source, target, lang, feed_id FROM glossary ORDER BY source, id",
        )?;
        let rows = stmt.query_map([], entry_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Inserts (`id` 0) or updates a term; returns its id.
    pub fn save_glossary_entry(&mut self, e: &GlossaryEntry) -> Result<i64> {
        self.write(|tx| {
            if e.id == 0 {
                return insert(tx, e);
            }
            let n = tx.execute(
                "UPDATE glossary SET source = ?1, target = ?2, lang = ?3, feed_id = ?4 WHERE id = ?5",
                params![e.source, e.target, e.lang, e.feed_id, e.id],
            )?;
            if n == 0 {
                return Err(CoreError::GlossaryEntryNotFound(e.id));
            }
            Ok(e.id)
        })
    }

    /// Deletes a term (a missing one is not an error: the result is the same).
    pub fn delete_glossary_entry(&mut self, id: i64) -> Result<()> {
        self.write(|tx| {
            tx.execute("DELETE FROM glossary WHERE id = ?1", [id])?;
            Ok(())
        })
    }
}
