//! The `feeds`, `articles` and `blocks` tables: an article and its ordered blocks.
//!
//! An article is written together with all its blocks in one transaction, and is keyed by a
//! dedupe key (guid, else URL, else content hash) so importing or refreshing twice never
//! creates a duplicate.

use rusqlite::{OptionalExtension, Transaction, params};

use super::Store;
use super::search::IndexText;
use crate::error::{CoreError, Result};
use crate::model::{
    Article, ArticleSummary, Block, BlockKind, FeedCount, FolderCount, LibraryCounts, ListFilter,
};
use crate::support::time::{format_time, now_ms};

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
    let now = now_ms();
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
    if super::languages::pending(article.lang.as_deref(), &article.blocks) {
        super::languages::mark_pending(tx, id)?;
    }
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

/// An article's state the reader toggles (and a sync server keeps too).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    /// Read / unread.
    Read,
    /// Starred / not.
    Starred,
}

impl Flag {
    /// The column (and the sync queue's field) name.
    pub fn as_str(self) -> &'static str {
        match self {
            Flag::Read => "read",
            Flag::Starred => "starred",
        }
    }

    /// Parses [`Flag::as_str`]'s names.
    pub fn parse(s: &str) -> Option<Flag> {
        match s {
            "read" => Some(Flag::Read),
            "starred" => Some(Flag::Starred),
            _ => None,
        }
    }
}

/// Sets `flag` on article `id` inside a larger transaction (the sync queue joins it).
pub fn set_flag(tx: &Transaction<'_>, id: i64, flag: Flag, value: bool) -> Result<()> {
    let sql = match flag {
        Flag::Read => "UPDATE articles SET read = ?2 WHERE id = ?1",
        Flag::Starred => "UPDATE articles SET starred = ?2 WHERE id = ?1",
    };
    match tx.prepare_cached(sql)?.execute(params![id, value])? {
        0 => Err(CoreError::ArticleNotFound(id)),
        _ => Ok(()),
    }
}

/// Marks read every article of `scope` stored until `until_ms` (ms since the epoch) inside a
/// larger transaction (the sync queue joins it); returns how many changed.
pub fn mark_all_read(
    tx: &Transaction<'_>,
    scope: &super::sync_edits::LocalScope,
    until_ms: i64,
) -> Result<usize> {
    use super::sync_edits::LocalScope;
    let n = match scope {
        LocalScope::All => tx.execute(
            "UPDATE articles SET read = 1 WHERE read = 0 AND added_ms <= ?1",
            [until_ms],
        )?,
        LocalScope::Feed(id) => tx.execute(
            "UPDATE articles SET read = 1 WHERE read = 0 AND added_ms <= ?1 AND feed_id = ?2",
            params![until_ms, id],
        )?,
        LocalScope::Folder(name) => tx.execute(
            "UPDATE articles SET read = 1 WHERE read = 0 AND added_ms <= ?1
               AND feed_id IN (SELECT id FROM feeds WHERE folder = ?2)",
            params![until_ms, name],
        )?,
    };
    Ok(n)
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
    /// Articles newest first, narrowed by `filter` (feed, folder, unread, starred).
    pub fn list_articles(&self, filter: &ListFilter) -> Result<Vec<ArticleSummary>> {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM articles
             WHERE (?1 IS NULL OR feed_id = ?1) AND (?2 = 0 OR read = 0) AND (?3 = 0 OR starred = 1)
               AND (?4 IS NULL OR feed_id IN (SELECT id FROM feeds WHERE folder = ?4))
             ORDER BY COALESCE(published_ms, added_ms) DESC, id DESC"
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map(
            params![
                filter.feed_id,
                filter.unread,
                filter.starred,
                filter.folder.as_deref()
            ],
            summary_row,
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// What the sidebar counts: the whole library, per feed (every subscribed feed, empty ones
    /// too) and per folder.
    pub fn counts(&self) -> Result<LibraryCounts> {
        let (all, unread, starred) = self.conn().query_row(
            "SELECT COUNT(*), COALESCE(SUM(read = 0), 0), COALESCE(SUM(starred), 0) FROM articles",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let mut stmt = self.conn().prepare_cached(
            "SELECT f.id, f.folder, COUNT(a.id), COALESCE(SUM(a.read = 0), 0)
             FROM feeds f LEFT JOIN articles a ON a.feed_id = f.id
             GROUP BY f.id ORDER BY f.id",
        )?;
        let rows: Vec<(i64, Option<String>, u32, u32)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut folders: Vec<FolderCount> = Vec::new();
        for (_, folder, total, unread) in rows.iter().filter(|r| r.1.is_some()) {
            let name = folder.clone().unwrap_or_default();
            match folders.iter_mut().find(|f| f.folder == name) {
                Some(f) => {
                    f.total += total;
                    f.unread += unread;
                }
                None => folders.push(FolderCount {
                    folder: name,
                    total: *total,
                    unread: *unread,
                }),
            }
        }
        folders.sort_by(|a, b| a.folder.cmp(&b.folder));
        let feeds = rows
            .into_iter()
            .map(|(feed_id, _, total, unread)| FeedCount {
                feed_id,
                total,
                unread,
            })
            .collect();
        Ok(LibraryCounts {
            all,
            unread,
            starred,
            feeds,
            folders,
        })
    }

    /// Marks an article read or unread.
    pub fn set_read(&mut self, id: i64, value: bool) -> Result<()> {
        self.write(|tx| set_flag(tx, id, Flag::Read, value))
    }

    /// Stars or unstars an article.
    pub fn set_starred(&mut self, id: i64, value: bool) -> Result<()> {
        self.write(|tx| set_flag(tx, id, Flag::Starred, value))
    }

    /// The article stored under `dedupe_key`, if any.
    pub fn article_id_by_key(&self, dedupe_key: &str) -> Result<Option<i64>> {
        Ok(self
            .conn()
            .prepare_cached("SELECT id FROM articles WHERE dedupe_key = ?1")?
            .query_row([dedupe_key], |r| r.get(0))
            .optional()?)
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
                    translation_html: None,
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
            title_html: None,
            reading: None,
            blocks,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::feeds as feed_store;

    fn article(feed: Option<i64>, key: &str) -> NewArticle {
        NewArticle {
            dedupe_key: key.into(),
            feed_id: feed,
            url: None,
            title: key.into(),
            published_ms: None,
            lang: None,
            origin: Origin::Feed,
            blocks: Vec::new(),
        }
    }

    /// A library of two feeds in folder "News", one at the top level and a saved article.
    fn library() -> (Store, [i64; 3]) {
        let mut store = Store::open_in_memory().unwrap();
        let feeds = store
            .write(|tx| {
                let a =
                    feed_store::insert_feed(tx, "https://a.example/f", "A", None, Some("News"))?.0;
                let b =
                    feed_store::insert_feed(tx, "https://b.example/f", "B", None, Some("News"))?.0;
                let c = feed_store::insert_feed(tx, "https://c.example/f", "C", None, None)?.0;
                for (feed, key) in [(a, "a1"), (a, "a2"), (b, "b1"), (c, "c1")] {
                    insert(tx, &article(Some(feed), key))?;
                }
                insert(tx, &article(None, "saved"))?;
                Ok([a, b, c])
            })
            .unwrap();
        (store, feeds)
    }

    #[test]
    fn counts_cover_the_library_each_feed_and_each_folder_in_one_answer() {
        let (mut store, [a, b, c]) = library();
        store.set_read(1, true).unwrap();
        store.set_starred(3, true).unwrap();
        let counts = store.counts().unwrap();
        assert_eq!((counts.all, counts.unread, counts.starred), (5, 4, 1));
        let feed = |id: i64| {
            counts
                .feeds
                .iter()
                .find(|f| f.feed_id == id)
                .unwrap()
                .clone()
        };
        assert_eq!((feed(a).total, feed(a).unread), (2, 1));
        assert_eq!((feed(b).total, feed(b).unread), (1, 1));
        assert_eq!((feed(c).total, feed(c).unread), (1, 1));
        assert_eq!(
            counts.folders,
            vec![FolderCount {
                folder: "News".into(),
                total: 3,
                unread: 2
            }],
            "a folder counts its feeds together; top-level feeds are in no folder"
        );
    }

    #[test]
    fn the_list_is_narrowed_by_folder_and_star_in_the_database() {
        let (mut store, _) = library();
        store.set_starred(4, true).unwrap();
        let titles = |f: &ListFilter| -> Vec<String> {
            let mut t: Vec<String> = store
                .list_articles(f)
                .unwrap()
                .into_iter()
                .map(|a| a.title)
                .collect();
            t.sort();
            t
        };
        let news = ListFilter {
            folder: Some("News".into()),
            ..ListFilter::default()
        };
        assert_eq!(titles(&news), ["a1", "a2", "b1"]);
        let starred = ListFilter {
            starred: true,
            ..ListFilter::default()
        };
        assert_eq!(titles(&starred), ["c1"]);
        let starred_news = ListFilter {
            starred: true,
            ..news
        };
        assert!(
            titles(&starred_news).is_empty(),
            "conditions narrow together"
        );
        assert_eq!(titles(&ListFilter::default()).len(), 5);
    }
}
