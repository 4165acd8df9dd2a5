//! Languages that wait for the detector, brought up to date by a pass in the background.
//! Two kinds of article wait: those stored by older builds (before the statistical detector
//! came to the core, Latin-script text was stored as `und-Latn`, or with no tag at all; a
//! migration marks every library as due from its first article), and those bulk ingest has
//! just written with only what their script tells (`services/lang.rs`, `Detection::Deferred`;
//! the insert marks them). The use case (`usecases/languages.rs`) works through them in
//! batches. Each batch's result is written with how far the pass got, in one transaction, so
//! a closed app or a killed `dz` resumes where it stopped, and nothing is judged twice.

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
    /// Its blocks in order, with kind, text and stored language (no HTML): what detection
    /// reads.
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
    /// The mark the batch was read from (the pass moves on only if it is still there).
    pub after: i64,
}

/// The new languages of one article.
#[derive(Debug, Clone)]
pub struct Redetected {
    /// The article's id.
    pub id: i64,
    /// Its language.
    pub lang: Option<String>,
    /// `(seq, language)` of each block whose language changed.
    pub blocks: Vec<(i64, Option<String>)>,
}

/// Whether an article's stored languages wait for the background pass: it has no language, or
/// one of its textual blocks with text has none. (An article with no letters at all is judged
/// once more by the pass, to the same answer: cheaper than telling the two apart here.)
pub fn pending(lang: Option<&str>, blocks: &[Block]) -> bool {
    lang.is_none()
        || blocks
            .iter()
            .any(|b| b.kind.is_textual() && b.lang.is_none() && !b.text.trim().is_empty())
}

/// Marks the library as due for the pass from article `id` on, unless it already is from an
/// earlier one (the mark is the id after which articles wait).
pub(super) fn mark_pending(tx: &rusqlite::Transaction<'_>, id: i64) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO settings(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE
           SET value = CAST(min(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER)) AS TEXT)",
    )?
    .execute(params![KEY, (id - 1).to_string()])?;
    Ok(())
}

impl Store {
    /// Where the pass stands: the id after which articles wait for re-detection, `None` when
    /// there is nothing left to do.
    pub fn redetect_after(&self) -> Result<Option<i64>> {
        Ok(self.setting(KEY)?.and_then(|v| v.parse().ok()))
    }

    /// Looks at up to `scan` articles after id `after` and loads those whose stored tags are
    /// outdated: no language, or an undetermined one (`und`, `und-Latn`) on the article or on
    /// one of its blocks, or a block with text and no language (left for the pass by ingest).
    pub fn outdated_languages(&self, after: i64, scan: usize) -> Result<OutdatedBatch> {
        let rows: Vec<(i64, String, bool)> = self
            .conn()
            .prepare_cached(
                "SELECT id, title, lang IS NULL OR lang LIKE 'und%' OR EXISTS (
                     SELECT 1 FROM blocks b WHERE b.article_id = articles.id
                        AND (b.lang LIKE 'und%'
                             OR (b.lang IS NULL AND b.kind <> 'image' AND trim(b.text) <> '')))
                 FROM articles WHERE id > ?1 ORDER BY id LIMIT ?2",
            )?
            .query_map(params![after, scan as i64], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let last = rows.last().map(|r| r.0);
        let mut blocks = self.conn().prepare_cached(
            "SELECT seq, kind, text, lang FROM blocks WHERE article_id = ?1 ORDER BY seq",
        )?;
        let mut articles = Vec::new();
        for (id, title, outdated) in rows {
            if !outdated {
                continue;
            }
            type Row = (i64, String, String, Option<String>);
            let rows: Vec<Row> = blocks
                .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let (seqs, blocks) = rows
                .into_iter()
                .map(|(seq, kind, text, lang)| {
                    // A kind written by a newer build reads as a paragraph, as everywhere.
                    let kind = BlockKind::parse(&kind).unwrap_or(BlockKind::Paragraph);
                    let block = Block {
                        lang,
                        ..Block::text(kind, text, "")
                    };
                    (seq, block)
                })
                .unzip();
            articles.push(Outdated {
                id,
                title,
                blocks,
                seqs,
            });
        }
        Ok(OutdatedBatch {
            articles,
            last,
            after,
        })
    }

    /// Writes a batch's new languages and moves the pass on to after `last` (ends it when
    /// `None`), in one transaction, but only if the mark is still the `after` the batch was
    /// read from: another process working on the same pass that got further is never set
    /// back, and an ingest that marked new articles meanwhile (ids of deleted articles can
    /// come back, so its mark may be lower) is not skipped. A pass that found nothing left
    /// ends only if no article was written after the mark since it looked.
    pub fn store_redetected(
        &mut self,
        done: &[Redetected],
        after: i64,
        last: Option<i64>,
    ) -> Result<()> {
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
            if current != after {
                return Ok(());
            }
            match last {
                Some(id) => super::settings::put(tx, KEY, &id.to_string()),
                None => {
                    tx.execute(
                        "DELETE FROM settings WHERE key = ?1
                           AND NOT EXISTS (SELECT 1 FROM articles WHERE id > ?2)",
                        params![KEY, current],
                    )?;
                    Ok(())
                }
            }
        })
    }
}
