//! The `vocabulary` table (words a learner saved, with the sentence and article they came from)
//! and the per-feed default reading (`feeds.reading`), the two things the reading aids store.
//!
//! A saved word outlives its article: `article_id` is `ON DELETE SET NULL`, so retention or a
//! reader deleting the article drops the link and keeps the word and its sentence.

use rusqlite::{OptionalExtension, params};

use super::Store;
use crate::error::{CoreError, Result};
use crate::model::{ReadingChoice, VocabWord};
use crate::support::time::{format_time, now_ms};

pub(super) const MIGRATION_1: &str = "
CREATE TABLE vocabulary (
    id          INTEGER PRIMARY KEY,
    traditional TEXT NOT NULL,
    simplified  TEXT NOT NULL,
    pinyin      TEXT NOT NULL,
    zhuyin      TEXT NOT NULL,
    definitions TEXT NOT NULL,
    sentence    TEXT,
    article_id  INTEGER REFERENCES articles(id) ON DELETE SET NULL,
    created_ms  INTEGER NOT NULL,
    UNIQUE (traditional, simplified, pinyin)
);
CREATE INDEX vocabulary_by_article ON vocabulary(article_id);
ALTER TABLE feeds ADD COLUMN reading TEXT;
";

/// Definitions are stored joined by `/`, the separator CC-CEDICT itself uses (so no
/// definition contains one).
const DEF_SEP: &str = "/";

/// A word to insert, as the dictionary gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWord<'a> {
    /// Traditional characters.
    pub traditional: &'a str,
    /// Simplified characters.
    pub simplified: &'a str,
    /// Pinyin with tone marks.
    pub pinyin: &'a str,
    /// Zhuyin.
    pub zhuyin: &'a str,
    /// Definitions.
    pub definitions: &'a [String],
    /// The sentence it came from.
    pub sentence: Option<&'a str>,
    /// The article it came from.
    pub article_id: Option<i64>,
}

const COLUMNS: &str = "v.id, v.traditional, v.simplified, v.pinyin, v.zhuyin, v.definitions, \
    v.sentence, v.article_id, a.title, v.created_ms";

fn word_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<VocabWord> {
    let defs: String = r.get(5)?;
    Ok(VocabWord {
        id: r.get(0)?,
        traditional: r.get(1)?,
        simplified: r.get(2)?,
        pinyin: r.get(3)?,
        zhuyin: r.get(4)?,
        definitions: defs
            .split(DEF_SEP)
            .filter(|d| !d.is_empty())
            .map(str::to_string)
            .collect(),
        sentence: r.get(6)?,
        article_id: r.get(7)?,
        article_title: r.get(8)?,
        created: format_time(r.get(9)?).unwrap_or_default(),
    })
}

/// `%`, `_` and `\` taken literally in a LIKE pattern (escape `\`).
fn like_pattern(q: &str) -> String {
    let mut out = String::with_capacity(q.len() + 2);
    out.push('%');
    for c in q.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

impl Store {
    /// Saves a word; a word already saved with the same reading is kept as it was (its
    /// sentence and date included). Returns the saved word's id.
    pub fn add_vocab_word(&mut self, w: &NewWord<'_>) -> Result<i64> {
        self.write(|tx| {
            tx.prepare_cached(
                "INSERT INTO vocabulary(traditional, simplified, pinyin, zhuyin, definitions,
                     sentence, article_id, created_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6,
                     (SELECT id FROM articles WHERE id = ?7), ?8)
                 ON CONFLICT(traditional, simplified, pinyin) DO NOTHING",
            )?
            .execute(params![
                w.traditional,
                w.simplified,
                w.pinyin,
                w.zhuyin,
                w.definitions.join(DEF_SEP),
                w.sentence,
                w.article_id,
                now_ms(),
            ])?;
            Ok(tx.query_row(
                "SELECT id FROM vocabulary
                 WHERE traditional = ?1 AND simplified = ?2 AND pinyin = ?3",
                params![w.traditional, w.simplified, w.pinyin],
                |r| r.get(0),
            )?)
        })
    }

    /// One saved word.
    pub fn vocab_word(&self, id: i64) -> Result<VocabWord> {
        self.conn()
            .query_row(
                &format!(
                    "SELECT {COLUMNS} FROM vocabulary v LEFT JOIN articles a ON a.id = v.article_id
                     WHERE v.id = ?1"
                ),
                [id],
                word_row,
            )
            .optional()?
            .ok_or(CoreError::VocabNotFound(id))
    }

    /// Saved words, newest first; `search` narrows to words whose characters, pinyin,
    /// zhuyin, definitions or sentence contain it.
    pub fn vocab_words(&self, search: Option<&str>) -> Result<Vec<VocabWord>> {
        let pattern = search
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(like_pattern);
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {COLUMNS} FROM vocabulary v LEFT JOIN articles a ON a.id = v.article_id
             WHERE ?1 IS NULL OR v.traditional LIKE ?1 ESCAPE '\\'
                OR v.simplified LIKE ?1 ESCAPE '\\' OR v.pinyin LIKE ?1 ESCAPE '\\'
                OR v.zhuyin LIKE ?1 ESCAPE '\\' OR v.definitions LIKE ?1 ESCAPE '\\'
                OR v.sentence LIKE ?1 ESCAPE '\\'
             ORDER BY v.created_ms DESC, v.id DESC"
        ))?;
        let rows = stmt.query_map([pattern], word_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Deletes a saved word.
    pub fn delete_vocab_word(&mut self, id: i64) -> Result<()> {
        let n = self.write(|tx| Ok(tx.execute("DELETE FROM vocabulary WHERE id = ?1", [id])?))?;
        if n == 0 {
            return Err(CoreError::VocabNotFound(id));
        }
        Ok(())
    }

    /// The readings a feed's articles open with.
    pub fn feed_reading(&self, feed_id: i64) -> Result<ReadingChoice> {
        let name: Option<Option<String>> = self
            .conn()
            .query_row("SELECT reading FROM feeds WHERE id = ?1", [feed_id], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(name
            .flatten()
            .and_then(|n| n.parse().ok())
            .unwrap_or_default())
    }
}

/// Sets the readings a feed's articles open with (inside the feed options' transaction).
pub fn set_feed_reading(
    tx: &rusqlite::Transaction<'_>,
    feed_id: i64,
    reading: ReadingChoice,
) -> Result<()> {
    let name = (reading != ReadingChoice::Off).then_some(reading.name());
    tx.execute(
        "UPDATE feeds SET reading = ?2 WHERE id = ?1",
        params![feed_id, name],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word<'a>(defs: &'a [String], article_id: Option<i64>) -> NewWord<'a> {
        NewWord {
            traditional: "銀行",
            simplified: "银行",
            pinyin: "yín háng",
            zhuyin: "ㄧㄣˊ ㄏㄤˊ",
            definitions: defs,
            sentence: Some("他在银行工作。"),
            article_id,
        }
    }

    #[test]
    fn a_word_saved_twice_is_kept_once_and_searches_treat_wildcards_literally() {
        let mut store = Store::open_in_memory().unwrap();
        let defs = vec!["bank".to_string(), "CL:家[jia1]".to_string()];
        let a = store.add_vocab_word(&word(&defs, None)).unwrap();
        let b = store.add_vocab_word(&word(&defs, Some(999))).unwrap();
        assert_eq!(a, b, "the same word and reading is one vocabulary entry");
        let w = store.vocab_word(a).unwrap();
        assert_eq!(w.definitions, defs, "definitions round-trip in order");
        assert_eq!(w.article_id, None, "a missing article is not linked");
        assert_eq!(store.vocab_words(Some("bank")).unwrap().len(), 1);
        assert_eq!(
            store.vocab_words(Some("%")).unwrap().len(),
            0,
            "% is literal"
        );
        assert_eq!(store.vocab_words(Some("háng")).unwrap().len(), 1);
        store.delete_vocab_word(a).unwrap();
        assert!(matches!(
            store.delete_vocab_word(a),
            Err(CoreError::VocabNotFound(_))
        ));
    }
}
