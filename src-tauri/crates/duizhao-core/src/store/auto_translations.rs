//! The auto-translation queue: articles of auto-translating feeds waiting for their
//! translation, with how often they failed. Rows are written in the transaction that stores
//! the articles, so a queued row never points at an article that was not stored.

use rusqlite::{Transaction, params};

use super::Store;
use crate::error::Result;
use crate::support::time::now_ms;

/// Per-feed auto-translation: the target language (`NULL` = off) and the queue of new
/// articles waiting for it. A refresh queues a feed's newest new articles in the transaction
/// that stores them, so a queued row never points at an article that was not stored and an
/// app closed in the middle finds its queue again. `attempts` and `last_error` record
/// failures; rows that failed too often stay as a record but are not tried again.
pub(super) const MIGRATION_1: &str = "
ALTER TABLE feeds ADD COLUMN auto_translate TEXT;
CREATE TABLE auto_translations (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    queued_ms  INTEGER NOT NULL
);
";

/// Most new articles of one feed queued by one refresh, newest first: an old feed's first
/// big check must not cost hundreds of paid translations.
pub const MAX_PER_FEED: usize = 10;
/// Most tries of one article (each after a refresh) before it is left untranslated.
pub const MAX_ATTEMPTS: i64 = 3;

/// A queued article as a pass sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Queued {
    /// The article.
    pub article_id: i64,
    /// Its feed (0 when it has none any more).
    pub feed_id: i64,
    /// The feed's current target (`None` = turned off since it was queued).
    pub target: Option<String>,
    /// The article's stored language.
    pub lang: Option<String>,
}

/// Queues the newest [`MAX_PER_FEED`] of `new` (article id, publication time in ms) when feed
/// `feed_id` auto-translates; runs in the transaction that stored them. Articles without a
/// date count as older than dated ones; among equals the feed's own order wins. Returns how
/// many were queued.
pub fn enqueue_new(
    tx: &Transaction<'_>,
    feed_id: i64,
    new: &[(i64, Option<i64>)],
) -> Result<usize> {
    if new.is_empty() {
        return Ok(0);
    }
    let on: Option<String> = tx
        .prepare_cached("SELECT auto_translate FROM feeds WHERE id = ?1")?
        .query_row([feed_id], |r| r.get(0))?;
    if on.is_none() {
        return Ok(0);
    }
    let mut newest = new.to_vec();
    // Stable: equal dates keep the feed's order (newest first in nearly every feed).
    newest.sort_by_key(|(_, published)| std::cmp::Reverse(published.unwrap_or(i64::MIN)));
    let now = now_ms();
    let mut stmt = tx.prepare_cached(
        "INSERT OR IGNORE INTO auto_translations(article_id, queued_ms) VALUES (?1, ?2)",
    )?;
    let mut n = 0;
    for (id, _) in newest.iter().take(MAX_PER_FEED) {
        n += stmt.execute(params![id, now])?;
    }
    Ok(n)
}

/// Queues the newest [`MAX_PER_FEED`] unread articles of feed `feed_id` (when it
/// auto-translates), for a feed whose option was just turned on.
pub fn enqueue_unread(tx: &Transaction<'_>, feed_id: i64) -> Result<usize> {
    let unread: Vec<(i64, Option<i64>)> = tx
        .prepare_cached(
            "SELECT id, COALESCE(published_ms, added_ms) FROM articles
             WHERE feed_id = ?1 AND read = 0
             ORDER BY COALESCE(published_ms, added_ms) DESC, id DESC LIMIT ?2",
        )?
        .query_map(params![feed_id, MAX_PER_FEED as i64], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    enqueue_new(tx, feed_id, &unread)
}

impl Store {
    /// Articles waiting for auto-translation (fewer than [`MAX_ATTEMPTS`] tries so far),
    /// newest first, with their feed's current target.
    pub fn auto_translate_queue(&self) -> Result<Vec<Queued>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT q.article_id, a.feed_id, f.auto_translate, a.lang
             FROM auto_translations q
             JOIN articles a ON a.id = q.article_id
             LEFT JOIN feeds f ON f.id = a.feed_id
             WHERE q.attempts < ?1
             ORDER BY COALESCE(a.published_ms, a.added_ms) DESC, q.article_id DESC",
        )?;
        let rows = stmt.query_map([MAX_ATTEMPTS], |r| {
            Ok(Queued {
                article_id: r.get(0)?,
                feed_id: r.get::<_, Option<i64>>(1)?.unwrap_or(0),
                target: r.get(2)?,
                lang: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Articles queued for auto-translation and not yet given up on.
    pub fn auto_translate_pending_count(&self) -> Result<u32> {
        Ok(self.conn().query_row(
            "SELECT COUNT(*) FROM auto_translations WHERE attempts < ?1",
            [MAX_ATTEMPTS],
            |r| r.get(0),
        )?)
    }

    /// Takes an article off the queue (translated, skipped, or its feed stopped asking).
    pub fn auto_translate_done(&mut self, article_id: i64) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "DELETE FROM auto_translations WHERE article_id = ?1",
                [article_id],
            )?;
            Ok(())
        })
    }

    /// Records a failed try; the article stays queued until [`MAX_ATTEMPTS`].
    pub fn auto_translate_failed(&mut self, article_id: i64, message: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE auto_translations SET attempts = attempts + 1, last_error = ?2
                 WHERE article_id = ?1",
                params![article_id, message],
            )?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::articles::{self, NewArticle, Origin};
    use crate::store::feeds as feed_store;

    /// Stores `n` articles of `feed`, published at 1 s, 2 s, …; returns (id, published) pairs.
    fn store_articles(tx: &Transaction<'_>, feed: i64, n: i64) -> Result<Vec<(i64, Option<i64>)>> {
        (1..=n)
            .map(|i| {
                let a = NewArticle {
                    dedupe_key: format!("{feed}:{i}"),
                    feed_id: Some(feed),
                    url: None,
                    title: "t".into(),
                    published_ms: Some(i * 1000),
                    lang: None,
                    origin: Origin::Feed,
                    blocks: Vec::new(),
                };
                Ok((articles::insert(tx, &a)?.0, a.published_ms))
            })
            .collect()
    }

    fn queued_ids(store: &Store) -> Vec<i64> {
        let queue = store.auto_translate_queue().unwrap();
        queue.iter().map(|q| q.article_id).collect()
    }

    #[test]
    fn a_refresh_queues_only_the_newest_new_articles_of_feeds_that_ask() {
        let mut store = Store::open_in_memory().unwrap();
        store
            .write(|tx| {
                let on = feed_store::insert_feed(tx, "https://a.example/f", "A", None, None)?.0;
                let off = feed_store::insert_feed(tx, "https://b.example/f", "B", None, None)?.0;
                feed_store::set_auto_translate(tx, on, Some("en"))?;
                let new_on = store_articles(tx, on, 15)?;
                let new_off = store_articles(tx, off, 15)?;
                assert_eq!(enqueue_new(tx, on, &new_on)?, MAX_PER_FEED);
                assert_eq!(enqueue_new(tx, off, &new_off)?, 0);
                Ok(())
            })
            .unwrap();
        let queued = queued_ids(&store);
        assert_eq!(queued, (6..=15).rev().collect::<Vec<i64>>(), "newest first");
        // Failures count; after MAX_ATTEMPTS the row is kept as a record but not tried again.
        for _ in 0..MAX_ATTEMPTS {
            store.auto_translate_failed(15, "down").unwrap();
        }
        assert_eq!(store.auto_translate_pending_count().unwrap(), 9);
        let last: String = store
            .conn()
            .query_row(
                "SELECT last_error FROM auto_translations WHERE article_id = 15",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(last, "down");
    }

    #[test]
    fn turning_it_on_queues_the_newest_unread_articles() {
        let mut store = Store::open_in_memory().unwrap();
        let feed = store
            .write(|tx| {
                let f = feed_store::insert_feed(tx, "https://a.example/f", "A", None, None)?.0;
                store_articles(tx, f, 14)?;
                Ok(f)
            })
            .unwrap();
        store.set_read(14, true).unwrap();
        store
            .write(|tx| {
                feed_store::set_auto_translate(tx, feed, Some("en"))?;
                enqueue_unread(tx, feed)
            })
            .unwrap();
        assert_eq!(
            queued_ids(&store),
            (4..=13).rev().collect::<Vec<i64>>(),
            "the ten newest unread (14 is read)"
        );
    }
}
