//! The translation memory (`translations`, kept for good) and each article's stored
//! translations (`article_translations`). The migration also creates the `glossary` table,
//! whose queries live in `store/glossary.rs`.
//!
//! Translation-memory rows are keyed by `duizhao_translate::TmKey` (a hash of source text,
//! provider, model, languages and prompt version), so the same paragraph is never paid for
//! twice, across articles and restarts; they point at no article, so deleting an article
//! keeps them reusable. `article_translations` holds what one article's translation into one
//! target looked like (block by block, the title at `seq` -1), and goes with its article.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, params};

use super::Store;
use crate::error::Result;
use crate::support::time::now_ms;

pub(super) const MIGRATION_1: &str = "
CREATE TABLE translations (
    key        TEXT PRIMARY KEY NOT NULL,
    text       TEXT NOT NULL,
    created_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE article_translations (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    target     TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    text       TEXT NOT NULL,
    provider   TEXT NOT NULL,
    PRIMARY KEY (article_id, target, seq)
) WITHOUT ROWID;
CREATE TABLE glossary (
    id      INTEGER PRIMARY KEY,
    source  TEXT NOT NULL,
    target  TEXT NOT NULL,
    lang    TEXT,
    feed_id INTEGER REFERENCES feeds(id) ON DELETE CASCADE
);
";

/// `article_translations.seq` of the title (blocks use their index).
pub const TITLE_SEQ: i64 = -1;

/// One stored piece of an article's translation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranslatedPiece {
    /// Block index, or [`TITLE_SEQ`].
    pub seq: i64,
    /// The translation as the service gave it (Chinese in Simplified).
    pub text: String,
    /// Who made it (`deepl`, `memory`, `same-language`, …).
    pub provider: String,
}

impl Store {
    /// The memory's translation for each key (as strings), in order; `None` = not stored.
    pub fn memory_lookup(&self, keys: &[&str]) -> Result<Vec<Option<String>>> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT text FROM translations WHERE key = ?1")?;
        let mut out = Vec::with_capacity(keys.len());
        for k in keys {
            out.push(stmt.query_row([k], |r| r.get(0)).optional()?);
        }
        Ok(out)
    }

    /// Stores finished translations in the memory (a key stored again is replaced).
    pub fn memory_store(&mut self, entries: &[(&str, &str)]) -> Result<()> {
        let now = now_ms();
        self.write(|tx| {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO translations(key, text, created_ms) VALUES (?1, ?2, ?3)
                 ON CONFLICT(key) DO UPDATE SET text = excluded.text",
            )?;
            for (k, text) in entries {
                stmt.execute(params![k, text, now])?;
            }
            Ok(())
        })
    }

    /// An article's stored translation into `target` (its record form), by block index
    /// ([`TITLE_SEQ`] for the title).
    pub fn article_translations(
        &self,
        article_id: i64,
        target: &str,
    ) -> Result<HashMap<i64, String>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT seq, text FROM article_translations WHERE article_id = ?1 AND target = ?2",
        )?;
        let rows = stmt.query_map(params![article_id, target], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Stores pieces of an article's translation into `target` (a piece stored again is
    /// replaced), in one transaction.
    pub fn put_article_translations(
        &mut self,
        article_id: i64,
        target: &str,
        pieces: &[TranslatedPiece],
    ) -> Result<()> {
        self.write(|tx| {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO article_translations(article_id, target, seq, text, provider)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(article_id, target, seq) DO UPDATE SET
                   text = excluded.text, provider = excluded.provider",
            )?;
            for p in pieces {
                stmt.execute(params![article_id, target, p.seq, p.text, p.provider])?;
            }
            Ok(())
        })
    }
}
