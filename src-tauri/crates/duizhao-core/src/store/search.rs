//! Full-text search over titles and text (SQLite FTS5), one script for both directions.
//!
//! Readers search a library that mixes Traditional and Simplified sources, so both the index
//! and the query are converted to Simplified (`duizhao_zh`, OpenCC `t2s`): `经济` finds `經濟`
//! and the reverse. Chinese has no spaces, and FTS5's `unicode61` tokenizer would take a whole
//! sentence for one token, so a zero-width space (a separator to `unicode61`) is put after
//! every Han or kana character: each character is a token and a query becomes a phrase of
//! adjacent characters, which matches any substring of two or more characters while keeping
//! BM25 ranking and FTS5's highlighter. Snippets are cut from the highlighted text, mapped
//! back to the original script when the conversion kept the length, and escaped; only the
//! `<mark>` tags are markup.
//!
//! `article_search.rowid` is the article id. A trigger removes the entry when the article is
//! deleted (also by cascade from its feed); [`index`] adds it in the article's insert
//! transaction, so the index never disagrees with the library.
//!
//! The index is contentless (`content=''`, `contentless_delete=1`): the articles are already
//! stored, and a second normalized copy of every text cost 15% of bulk ingest. FTS5's own
//! `highlight()` needs that copy, so matches are marked here instead ([`highlight`]), on the
//! normalized text of the few articles a search returns.

use duizhao_zh::{Config, Converter};
use rusqlite::{Transaction, params};

use super::Store;
use crate::error::Result;
use crate::model::{Block, SearchHit};
use crate::support::text::push_escaped;
use crate::support::time::format_time;

pub(super) const MIGRATION_1: &str = "
CREATE VIRTUAL TABLE article_search USING fts5(
    title, body, tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER article_search_delete AFTER DELETE ON articles BEGIN
    DELETE FROM article_search WHERE rowid = old.id;
END;
";

/// The index without its own copy of the text; [`Store::ensure_search_index`] refills it.
pub(super) const MIGRATION_2: &str = "
DROP TABLE article_search;
CREATE VIRTUAL TABLE article_search USING fts5(
    title, body, tokenize = 'unicode61 remove_diacritics 2',
    content = '', contentless_delete = 1
);
";

/// Settings key recording that every stored article is in the index in its current form.
const INDEX_VERSION_KEY: &str = "search.index_version";
/// "2": the contentless index of `MIGRATION_2`.
const INDEX_VERSION: &str = "2";

/// Most hits returned.
pub const MAX_HITS: usize = 100;

const ZWSP: char = '\u{200b}';
const MARK_START: char = '\u{e000}';
const MARK_END: char = '\u{e001}';
const SNIPPET_BEFORE: usize = 30;
const SNIPPET_CHARS: usize = 140;

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30ff | 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xf900..=0xfaff | 0x20000..=0x3134f)
}

/// Text as the index stores it: Simplified script, one token per Han/kana character.
pub fn normalize(text: &str) -> String {
    let simplified = Converter::get(Config::T2s).convert(text);
    let mut out = String::with_capacity(simplified.len() * 2);
    for c in simplified.chars() {
        if c == MARK_START || c == MARK_END || c == ZWSP {
            continue;
        }
        out.push(c);
        if is_cjk(c) {
            out.push(ZWSP);
        }
    }
    out
}

/// The text of an article as indexed and as snippets are cut from.
pub fn body_text(blocks: &[Block]) -> String {
    let mut body = String::new();
    for b in blocks.iter().filter(|b| !b.text.trim().is_empty()) {
        if !body.is_empty() {
            body.push('\n');
        }
        body.push_str(&b.text);
    }
    body
}

/// An article's title and text as the index stores them, prepared off the writing thread
/// (the script conversion is most of the cost of indexing).
#[derive(Debug, Clone, PartialEq)]
pub struct IndexText {
    title: String,
    body: String,
}

impl IndexText {
    /// Normalizes an article's title and blocks for the index.
    pub fn new(title: &str, blocks: &[Block]) -> IndexText {
        IndexText {
            title: normalize(title),
            body: normalize(&body_text(blocks)),
        }
    }
}

/// Adds an article to the index (in the transaction that stores it).
pub fn index(tx: &Transaction<'_>, id: i64, text: &IndexText) -> Result<()> {
    tx.prepare_cached("INSERT INTO article_search(rowid, title, body) VALUES (?1, ?2, ?3)")?
        .execute(params![id, text.title, text.body])?;
    Ok(())
}

/// The words of a query as phrases of index tokens (each word of the normalized query is one
/// phrase; Han and kana characters are one token each).
fn query_phrases(query: &str) -> Vec<Vec<String>> {
    normalize(query)
        .split_whitespace()
        .map(|w| tokens(w).into_iter().map(|t| t.2).collect::<Vec<_>>())
        .filter(|p| !p.is_empty())
        .collect()
}

/// Tokens of index text roughly as FTS5's `unicode61` cuts them: runs of letters and digits
/// (the zero-width spaces [`normalize`] adds split Han text), case-folded. Byte ranges point
/// into `text`.
fn tokens(text: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            let (_, folded) = current.get_or_insert_with(|| (i, String::new()));
            folded.extend(c.to_lowercase());
        } else if let Some((start, folded)) = current.take() {
            out.push((start, i, folded));
        }
    }
    if let Some((start, folded)) = current {
        out.push((start, text.len(), folded));
    }
    out
}

/// Marks every occurrence of the query's phrases in normalized `text` with the private-use
/// characters [`snippet`] reads, as FTS5's `highlight()` would. FTS5 also folds diacritics;
/// a match found only that way gets no mark (its snippet then starts at the text's start).
pub fn highlight(text: &str, query: &str) -> String {
    mark(text, &query_phrases(query))
}

/// [`highlight`] with the query already cut into phrases (once per search, not per hit).
fn mark(text: &str, phrases: &[Vec<String>]) -> String {
    let toks = tokens(text);
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for phrase in phrases {
        for w in toks.windows(phrase.len()) {
            if w.iter().zip(phrase).all(|(t, p)| t.2 == *p) {
                spans.push((w[0].0, w[w.len() - 1].1));
            }
        }
    }
    spans.sort_unstable();
    let mut out = String::with_capacity(text.len() + spans.len() * 6);
    let mut at = 0;
    let mut i = 0;
    while i < spans.len() {
        let (start, mut end) = spans[i];
        i += 1;
        while i < spans.len() && spans[i].0 < end {
            end = end.max(spans[i].1);
            i += 1;
        }
        if start < at {
            continue;
        }
        out.push_str(&text[at..start]);
        out.push(MARK_START);
        out.push_str(&text[start..end]);
        out.push(MARK_END);
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

/// Turns what the reader typed into an FTS5 query: every word a quoted phrase (so no FTS5
/// syntax is ever interpreted), all words required. `None` when nothing searchable is left.
pub fn fts_query(query: &str) -> Option<String> {
    let normalized = normalize(query);
    let phrases: Vec<String> = normalized
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect();
    (!phrases.is_empty()).then(|| phrases.join(" "))
}

/// Cuts an escaped snippet with `<mark>`s from FTS5's highlighted text. `original` is the
/// unconverted text; it is shown instead when it has as many characters as the indexed text.
pub fn snippet(highlighted: &str, original: &str) -> String {
    // Indexed characters (zero-width spaces removed) and where the marks are.
    let mut chars: Vec<char> = Vec::new();
    let mut marks: Vec<(usize, bool)> = Vec::new();
    for c in highlighted.chars() {
        match c {
            ZWSP => {}
            MARK_START => marks.push((chars.len(), true)),
            MARK_END => marks.push((chars.len(), false)),
            c => chars.push(c),
        }
    }
    let orig: Vec<char> = original.chars().collect();
    let shown = if orig.len() == chars.len() {
        orig
    } else {
        chars
    };
    let first = marks.first().map_or(0, |m| m.0);
    let start = first.saturating_sub(SNIPPET_BEFORE);
    // Start at a word or line boundary when one is near.
    let start = (start..first)
        .find(|&i| i == 0 || shown[i - 1].is_whitespace())
        .filter(|&i| i - start < 12)
        .unwrap_or(start);
    let end = (start + SNIPPET_CHARS).min(shown.len());
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    // A match that began before the window and goes on inside it.
    let mut open = marks
        .iter()
        .take_while(|m| m.0 < start)
        .last()
        .is_some_and(|m| m.1);
    if open {
        out.push_str("<mark>");
    }
    let mut mi = marks.partition_point(|&(p, _)| p < start);
    for (i, &c) in shown.iter().enumerate().take(end).skip(start) {
        while mi < marks.len() && marks[mi].0 == i {
            if marks[mi].1 && !open {
                out.push_str("<mark>");
                open = true;
            } else if !marks[mi].1 && open {
                out.push_str("</mark>");
                open = false;
            }
            mi += 1;
        }
        let c = if c == '\n' { ' ' } else { c };
        push_escaped(&mut out, c.encode_utf8(&mut [0; 4]));
    }
    if open {
        out.push_str("</mark>");
    }
    if end < shown.len() {
        out.push('…');
    }
    out
}

impl Store {
    /// Indexes articles stored before the search index existed (once per library).
    pub fn ensure_search_index(&mut self) -> Result<()> {
        if self.setting(INDEX_VERSION_KEY)?.as_deref() == Some(INDEX_VERSION) {
            return Ok(());
        }
        let ids: Vec<i64> = {
            let mut stmt = self.conn().prepare(
                "SELECT id FROM articles WHERE id NOT IN (SELECT rowid FROM article_search)",
            )?;
            stmt.query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        let articles = ids
            .into_iter()
            .map(|id| self.article(id))
            .collect::<Result<Vec<_>>>()?;
        self.write(|tx| {
            for a in &articles {
                index(tx, a.id, &IndexText::new(&a.title, &a.blocks))?;
            }
            super::settings::put(tx, INDEX_VERSION_KEY, INDEX_VERSION)
        })
    }

    /// Searches titles and text; best first.
    pub fn search(&self, query: &str) -> Result<Vec<SearchHit>> {
        let Some(q) = fts_query(query) else {
            return Ok(Vec::new());
        };
        let phrases = query_phrases(query);
        let mut stmt = self.conn().prepare_cached(
            "SELECT a.id, a.title, a.feed_id, a.published_ms, bm25(article_search, 4.0, 1.0)
             FROM article_search JOIN articles a ON a.id = article_search.rowid
             WHERE article_search MATCH ?1
             ORDER BY bm25(article_search, 4.0, 1.0), a.id DESC
             LIMIT ?2",
        )?;
        type Row = (i64, String, Option<i64>, Option<i64>, f64);
        let rows: Vec<Row> = stmt
            .query_map(params![q, MAX_HITS as i64], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut hits = Vec::with_capacity(rows.len());
        for (id, title, feed_id, published_ms, bm25) in rows {
            let body = body_text(&self.article(id)?.blocks);
            // The text's first match, else the title's, else the text's start.
            let hl_body = mark(&normalize(&body), &phrases);
            let hl_title = (!hl_body.contains(MARK_START))
                .then(|| mark(&normalize(&title), &phrases))
                .filter(|t| t.contains(MARK_START));
            let snippet = match hl_title {
                Some(hl_title) => snippet(&hl_title, &title),
                None => snippet(&hl_body, &body),
            };
            hits.push(SearchHit {
                id,
                title,
                feed_id,
                published: published_ms.and_then(format_time),
                snippet,
                rank: -bm25,
            });
        }
        Ok(hits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalized_text_is_simplified_with_one_token_per_character() {
        assert_eq!(normalize("經濟 ok"), "经\u{200b}济\u{200b} ok");
    }

    #[test]
    fn queries_never_carry_fts_syntax() {
        assert_eq!(
            fts_query("經濟").as_deref(),
            Some("\"经\u{200b}济\u{200b}\"")
        );
        assert_eq!(
            fts_query("a\" OR NEAR(b").as_deref(),
            Some("\"a\"\"\" \"OR\" \"NEAR(b\"")
        );
        assert_eq!(fts_query(" ** "), None);
    }

    #[test]
    fn snippets_escape_text_and_mark_matches_in_the_original_script() {
        let hl = format!("x <b> {MARK_START}经\u{200b}济\u{200b}{MARK_END} y");
        assert_eq!(
            snippet(&hl, "x <b> 經濟 y"),
            "x &lt;b&gt; <mark>經濟</mark> y"
        );
    }

    #[test]
    fn highlights_mark_whole_phrases_case_insensitively() {
        let text = normalize("The Economy: 經濟 grows; economic 经济学 news");
        let hl = highlight(&text, "ECONOMY 经济");
        let marked: Vec<String> = hl
            .split(MARK_START)
            .skip(1)
            .map(|s| s.split(MARK_END).next().unwrap_or("").replace(ZWSP, ""))
            .collect();
        assert_eq!(marked, ["Economy", "经济", "经济"], "{hl:?}");
        assert_eq!(
            highlight(&text, "econ"),
            text,
            "whole tokens only, like FTS5"
        );
    }
}
