//! Languages stored by older builds, brought up to date once. Before the statistical detector
//! came to the core, Latin-script text was stored as `und-Latn` (and text with no tag at
//! all); a migration marks every library as due for re-detection from its first article, and
//! the use case (`usecases/languages.rs`) works through it in batches. Each batch's result is
//! written with how far the pass got, in one transaction, so a closed app or a killed `dz`
//! resumes where it stopped, and nothing is judged twice.

use rusqlite::{OptionalExtension, params};

use super::Store;
use crate::error::Result;
use crate::model::{Block, BlockKind};

/// Marks the library as due for re-detection from the first article on. A new library runs
/// the pass over nothing and clears the mark at once.
pub(super) const MIGRATION_1: &str = "
INSERT OR REPLACE INTO settings(key, value) VALUES ('languages.redetect_after', '0');
";

/// Settings key: the id after which articles still wait for re-detection (absent when done).
const KEY: &str = "languages.redetect_after";

/// An article whose stored languages predate the detector.
#[derive(Debug, Clone)]
pub struct Outdated {
    /// The article's id.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// Its blocks in order, with kind and text (no HTML): what detection reads.
    pub blocks: Vec<Block>,
    /// The stored `seq` of each block, to write the new tags back to.
    pub seqs: Vec<i64>,
}

/// One batch of the pass.
#[derive(Debug, Clone, Default)]
pub struct OutdatedBatch {
    /// The outdated articles among those looked at.
    pub articles: Vec<Outdated>,
    /// The last article id looked at; `None` when no article was left.
    pub last: Option<i64>,
}

/// The new languages of one article.
#[derive(Debug, Clone)]
pub struct Redetected {
    /// The article's id.
    pub id: i64,
    /// Its language.
    pub lang: Option<String>,
    /// `(seq, language)` of each block.
    pub blocks: Vec<(i64, Option<String>)>,
}

impl Store {
    /// Where the pass stands: the id after which articles wait for re-detection, `None` when
    /// there is nothing left to do.
    pub fn redetect_after(&self) -> Result<Option<i64>> {
        Ok(self.setting(KEY)?.and_then(|v| v.parse().ok()))
    }

    /// Looks at up to `scan` articles after id `after` and loads those whose stored tags are
    /// outdated: no language, or an undetermined one (`und`, `und-Latn`) on the article or on
    /// one of its blocks.
    pub fn outdated_languages(&self, after: i64, scan: usize) -> Result<OutdatedBatch> {
        let rows: Vec<(i64, String, bool)> = self
            .conn()
            .prepare_cached(
                "SELECT id, title, lang IS NULL OR lang LIKE 'und%' OR EXISTS (
                     SELECT 1 FROM blocks b WHERE b.article_id = articles.id AND b.lang LIKE 'und%')
                 FROM articles WHERE id > ?1 ORDER BY id LIMIT ?2",
            )?
            .query_map(params![after, scan as i64], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let last = rows.last().map(|r| r.0);
        let mut blocks = self.conn().prepare_cached(
            "SELECT seq, kind, text FROM blocks WHERE article_id = ?1 ORDER BY seq",
        )?;
        let mut articles = Vec::new();
        for (id, title, outdated) in rows {
            if !outdated {
                continue;
            }
            let rows: Vec<(i64, String, String)> = blocks
                .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let (seqs, blocks) = rows
                .into_iter()
                .map(|(seq, kind, text)| {
                    // A kind written by a newer build reads as a paragraph, as everywhere.
                    let kind = BlockKind::parse(&kind).unwrap_or(BlockKind::Paragraph);
                    (seq, Block::text(kind, text, ""))
                })
                .unzip();
            articles.push(Outdated {
                id,
                title,
                blocks,
                seqs,
            });
        }
        Ok(OutdatedBatch { articles, last })
    }

    /// Writes a batch's new languages and moves the pass on to after `last` (ends it when
    /// `None`), in one transaction. Another process working on the same pass is never set
    /// back: the mark only moves forward, and a pass it finished stays finished.
    pub fn store_redetected(&mut self, done: &[Redetected], last: Option<i64>) -> Result<()> {
        self.write(|tx| {
            for r in done {
                tx.prepare_cached("UPDATE articles SET lang = ?2 WHERE id = ?1")?
                    .execute(params![r.id, r.lang])?;
                let mut stmt = tx.prepare_cached(
                    "UPDATE blocks SET lang = ?3 WHERE article_id = ?1 AND seq = ?2",
                )?;
                for (seq, lang) in &r.blocks {
                    stmt.execute(params![r.id, seq, lang])?;
                }
            }
            let current: Option<String> = tx
                .query_row("SELECT value FROM settings WHERE key = ?1", [KEY], |r| {
                    r.get(0)
                })
                .optional()?;
            let Some(current) = current else {
                return Ok(());
            };
            let current: i64 = current.parse().unwrap_or(0);
            match last {
                Some(id) if id > current => super::settings::put(tx, KEY, &id.to_string()),
                Some(_) => Ok(()),
                None => {
                    tx.execute("DELETE FROM settings WHERE key = ?1", [KEY])?;
                    Ok(())
                }
            }
        })
    }
}
