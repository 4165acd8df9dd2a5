//! The `feeds`, `articles` and `blocks` tables: an article and its ordered blocks.
//!
//! An article is written together with all its blocks in one transaction, and is keyed by a
//! dedupe key (guid, else URL, else content hash) so importing or refreshing twice never
//! creates a duplicate.

use rusqlite::{OptionalExtension, Transaction, params};

use super::Store;
use super::search::IndexText;
use crate::error::{CoreError, Result};
use crate::model::{Article, ArticleSummary, Block, BlockKind, format_time};

pub(super) const MIGRATION_1: &str = "
CREATE TABLE feeds (
    id        INTEGER PRIMARY KEY,
    url       TEXT NOT NULL UNIQUE,
    title     TEXT NOT NULL DEFAULT '',
    site_url  TEXT,
    added_ms  INTEGER NOT NULL
);
CREATE TABLE articles (
    id           INTEGER PRIMARY KEY,
    feed_id      INTEGER REFERENCES feeds(id) ON DELETE CASCADE,
    dedupe_key   TEXT NOT NULL UNIQUE,
    url          TEXT,
    title        TEXT NOT NULL,
    published_ms INTEGER,
    lang         TEXT,
    origin       TEXT NOT NULL,
    added_ms     INTEGER NOT NULL,
    read         INTEGER NOT NULL DEFAULT 0,
    starred      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX articles_by_feed ON articles(feed_id, published_ms DESC);
CREATE TABLE blocks (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    text       TEXT NOT NULL,
    html       TEXT NOT NULL,
    src        TEXT,
    lang       TEXT,
    PRIMARY KEY (article_id, seq)
) WITHOUT ROWID;
";

/// Where an article came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// `dz import` / the bundled seed.
    Import,
    /// A feed refresh.
    Feed,
    /// `dz save URL`.
    Saved,
}

impl Origin {
    fn as_str(self) -> &'static str {
        match self {
            Origin::Import => "import",
            Origin::Feed => "feed",
            Origin::Saved => "saved",
        }
    }
}

/// An article ready to be stored (no id yet).
#[derive(Debug, Clone, PartialEq)]
pub struct NewArticle {
    /// Unique key: guid, else URL, else a content hash.
    pub dedupe_key: String,
    /// The feed it belongs to, if any.
    pub feed_id: Option<i64>,
    /// The article's URL.
    pub url: Option<String>,
    /// Title.
    pub title: String,
    /// Publication time in milliseconds since the epoch.
    pub published_ms: Option<i64>,
    /// BCP-47 language.
    pub lang: Option<String>,
    /// Where it came from.
    pub origin: Origin,
    /// The blocks in reading order.
    pub blocks: Vec<Block>,
}

/// Inserts `article` with its blocks unless one with the same dedupe key exists.
/// Returns the id and whether a new row was created.
pub fn insert(tx: &Transaction<'_>, article: &NewArticle) -> Result<(i64, bool)> {
    insert_indexed(
        tx,
        article,
        &IndexText::new(&article.title, &article.blocks),
    )
}

/// [`insert`] with the search text already prepared (by a worker thread, for bulk ingest).
pub fn insert_indexed(
    tx: &Transaction<'_>,
    article: &NewArticle,
    search: &IndexText,
) -> Result<(i64, bool)> {
    // Statements are cached: bulk ingest inserts thousands of articles in one transaction.
    if let Some(id) = tx
        .prepare_cached("SELECT id FROM articles WHERE dedupe_key = ?1")?
        .query_row([&article.dedupe_key], |r| r.get::<_, i64>(0))
        .optional()?
    {
        return Ok((id, false));
    }
    let now = chrono::Utc::now().timestamp_millis();
    tx.prepare_cached(
        "INSERT INTO articles(feed_id, dedupe_key, url, title, published_ms, lang, origin, added_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
            article.feed_id,
            article.dedupe_key,
            article.url,
            article.title,
            article.published_ms,
            article.lang,
            article.origin.as_str(),
            now
        ],
    )?;
    let id = tx.last_insert_rowid();
    let mut stmt = tx.prepare_cached(
        "INSERT INTO blocks(article_id, seq, kind, text, html, src, lang)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (seq, b) in article.blocks.iter().enumerate() {
        stmt.execute(params![
            id,
            seq as i64,
            b.kind.as_str(),
            b.text,
            b.html,
            b.src,
            b.lang
        ])?;
    }
    super::search::index(tx, id, search)?;
    Ok((id, true))
}

const SUMMARY_COLUMNS: &str = "id, title, url, feed_id, published_ms, lang, read, starred";

fn summary_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ArticleSummary> {
    Ok(ArticleSummary {
        id: r.get(0)?,
        title: r.get(1)?,
        url: r.get(2)?,
        feed_id: r.get(3)?,
        published: r.get::<_, Option<i64>>(4)?.and_then(format_time),
        lang: r.get(5)?,
        read: r.get(6)?,
        starred: r.get(7)?,
        title_translation: None,
    })
}

impl Store {
    /// Articles newest first, optionally only one feed's and/or only unread ones.
    pub fn list_articles(
        &self,
        feed_id: Option<i64>,
        unread_only: bool,
    ) -> Result<Vec<ArticleSummary>> {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM articles
             WHERE (?1 IS NULL OR feed_id = ?1) AND (?2 = 0 OR read = 0)
             ORDER BY COALESCE(published_ms, added_ms) DESC, id DESC"
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map(params![feed_id, unread_only as i64], summary_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One article with all its blocks, as stored.
    pub fn article(&self, id: i64) -> Result<Article> {
        let summary = self
            .conn()
            .query_row(
                &format!("SELECT {SUMMARY_COLUMNS} FROM articles WHERE id = ?1"),
                [id],
                summary_row,
            )
            .optional()?
            .ok_or(CoreError::ArticleNotFound(id))?;
        let mut stmt = self.conn().prepare_cached(
            "SELECT kind, text, html, src, lang FROM blocks WHERE article_id = ?1 ORDER BY seq",
        )?;
        let blocks = stmt
            .query_map([id], |r| {
                let kind: String = r.get(0)?;
                Ok(Block {
                    // A kind written by a newer build degrades to a paragraph, not an error.
                    kind: BlockKind::parse(&kind).unwrap_or(BlockKind::Paragraph),
                    text: r.get(1)?,
                    html: r.get(2)?,
                    src: r.get(3)?,
                    remote_src: None,
                    lang: r.get(4)?,
                    translation: None,
                    size: None,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Article {
            id: summary.id,
            title: summary.title,
            url: summary.url,
            published: summary.published,
            lang: summary.lang,
            feed_id: summary.feed_id,
            read: summary.read,
            starred: summary.starred,
            title_translation: None,
            blocks,
        })
    }
}
