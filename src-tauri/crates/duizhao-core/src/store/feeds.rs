//! The subscription side of the `feeds` table and the tombstones of deleted articles.
//!
//! `store/articles.rs` created `feeds` with what an article needs (id, url, title); this module
//! adds what a refresh needs: the reader's folder, title and full-text switch, the conditional
//! GET validators, when the feed was last checked and why it last failed, its own refresh
//! interval and its cleaning rules. `deleted_articles` remembers the dedupe keys of articles the
//! reader (or retention) deleted, so the next refresh does not bring them back while the feed
//! still lists them.

use rusqlite::{OptionalExtension, Transaction, params};

use super::Store;
use crate::error::{CoreError, Result};
use crate::model::Feed;
use crate::support::time::{format_time, now_ms};

pub(super) const MIGRATION_1: &str = "
ALTER TABLE feeds ADD COLUMN folder TEXT;
ALTER TABLE feeds ADD COLUMN full_text INTEGER NOT NULL DEFAULT 0;
ALTER TABLE feeds ADD COLUMN custom_title INTEGER NOT NULL DEFAULT 0;
ALTER TABLE feeds ADD COLUMN etag TEXT;
ALTER TABLE feeds ADD COLUMN last_modified TEXT;
ALTER TABLE feeds ADD COLUMN last_checked_ms INTEGER;
ALTER TABLE feeds ADD COLUMN last_fetched_ms INTEGER;
ALTER TABLE feeds ADD COLUMN last_error TEXT;
ALTER TABLE feeds ADD COLUMN interval_min INTEGER;
ALTER TABLE feeds ADD COLUMN rules TEXT;
CREATE TABLE deleted_articles (
    dedupe_key TEXT PRIMARY KEY NOT NULL,
    deleted_ms INTEGER NOT NULL
) WITHOUT ROWID;
";

/// What a refresh needs to know about one feed.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedState {
    /// The feed's id.
    pub id: i64,
    /// Its URL.
    pub url: String,
    /// Its title.
    pub title: String,
    /// Extract full text from item pages when items carry only a summary.
    pub full_text: bool,
    /// `ETag` from the last 200 response.
    pub etag: Option<String>,
    /// `Last-Modified` from the last 200 response.
    pub last_modified: Option<String>,
    /// When it was last checked (successfully or not), ms since the epoch.
    pub last_checked_ms: Option<i64>,
    /// Its own refresh interval in minutes (`None` = the library default).
    pub interval_min: Option<i64>,
    /// Its cleaning rules, JSON (see `ingest::clean::CleanRules`).
    pub rules: Option<String>,
    /// A subscription of the sync server: the server checks it, a refresh does not.
    pub synced: bool,
}

const FEED_COLUMNS: &str = "f.id, f.url, f.title, f.site_url, f.folder, f.full_text, \
    f.last_fetched_ms, f.last_error, \
    (SELECT COUNT(*) FROM articles a WHERE a.feed_id = f.id AND a.read = 0), \
    (SELECT COUNT(*) FROM articles a WHERE a.feed_id = f.id), f.auto_translate";

fn feed_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Feed> {
    Ok(Feed {
        id: r.get(0)?,
        url: r.get(1)?,
        title: r.get(2)?,
        site_url: r.get(3)?,
        folder: r.get(4)?,
        full_text: r.get(5)?,
        last_fetched: r.get::<_, Option<i64>>(6)?.and_then(format_time),
        last_error: r.get(7)?,
        unread: r.get(8)?,
        total: r.get(9)?,
        auto_translate: r.get(10)?,
    })
}

/// Inserts a feed (or returns the existing one with this URL). Returns (id, created).
pub fn insert_feed(
    tx: &Transaction<'_>,
    url: &str,
    title: &str,
    site_url: Option<&str>,
    folder: Option<&str>,
) -> Result<(i64, bool)> {
    if let Some(id) = tx
        .query_row("SELECT id FROM feeds WHERE url = ?1", [url], |r| r.get(0))
        .optional()?
    {
        return Ok((id, false));
    }
    tx.execute(
        "INSERT INTO feeds(url, title, site_url, folder, added_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![url, title, site_url, folder, now_ms()],
    )?;
    Ok((tx.last_insert_rowid(), true))
}

/// Records a successful fetch: validators, title/site (unless the reader renamed the feed),
/// the time, and clears the last error. Runs in the transaction that stores the new articles,
/// so validators never claim articles that were not stored.
pub fn record_success(
    tx: &Transaction<'_>,
    id: i64,
    title: Option<&str>,
    site_url: Option<&str>,
    etag: Option<&str>,
    last_modified: Option<&str>,
) -> Result<()> {
    let now = now_ms();
    tx.execute(
        "UPDATE feeds SET
            title = CASE WHEN custom_title = 0 AND ?2 IS NOT NULL AND ?2 <> '' THEN ?2 ELSE title END,
            site_url = COALESCE(?3, site_url),
            etag = ?4, last_modified = ?5,
            last_checked_ms = ?6, last_fetched_ms = ?6, last_error = NULL
         WHERE id = ?1",
        params![id, title, site_url, etag, last_modified, now],
    )?;
    Ok(())
}

/// Writes everything the reader can set on a feed at once: title (`None` = follow the feed's),
/// folder (`None` = top level), full-text switch, own refresh interval (`None` = the default)
/// and cleaning rules (JSON, `None` = none).
pub fn update_options(
    tx: &Transaction<'_>,
    id: i64,
    title: Option<&str>,
    folder: Option<&str>,
    full_text: bool,
    interval_min: Option<i64>,
    rules: Option<&str>,
) -> Result<()> {
    let n = tx.execute(
        "UPDATE feeds SET title = COALESCE(?2, title), custom_title = (?2 IS NOT NULL),
            folder = ?3, full_text = ?4, interval_min = ?5, rules = ?6 WHERE id = ?1",
        params![id, title, folder, full_text, interval_min, rules],
    )?;
    if n == 0 {
        return Err(CoreError::FeedNotFound(id));
    }
    Ok(())
}

/// Deletes feed `id` and its articles inside a larger transaction (the sync queue joins it).
pub fn delete_feed(tx: &Transaction<'_>, id: i64) -> Result<()> {
    if tx.execute("DELETE FROM feeds WHERE id = ?1", [id])? == 0 {
        return Err(CoreError::FeedNotFound(id));
    }
    super::images::drop_unused(tx)?;
    Ok(())
}

/// Sets feed `id`'s auto-translation target (`None` = off). Turning it off (or changing the
/// language) keeps the queue: queued articles follow the feed's current setting when the
/// queue is worked through, and are dropped then if it is off.
pub fn set_auto_translate(tx: &Transaction<'_>, id: i64, target: Option<&str>) -> Result<()> {
    let n = tx.execute(
        "UPDATE feeds SET auto_translate = ?2 WHERE id = ?1",
        params![id, target],
    )?;
    if n == 0 {
        return Err(CoreError::FeedNotFound(id));
    }
    Ok(())
}

/// Whether a dedupe key belongs to an article the reader deleted.
pub fn is_tombstoned(tx: &rusqlite::Connection, key: &str) -> Result<bool> {
    // Cached: a refresh asks once per item.
    Ok(tx
        .prepare_cached("SELECT 1 FROM deleted_articles WHERE dedupe_key = ?1")?
        .exists([key])?)
}

/// Deletes articles (their blocks, translations and search entries go with them), remembers
/// their dedupe keys so refreshes do not bring them back, and drops images no block uses.
pub fn delete_articles(tx: &Transaction<'_>, ids: &[i64]) -> Result<usize> {
    let now = now_ms();
    let mut n = 0;
    for id in ids {
        tx.execute(
            "INSERT OR IGNORE INTO deleted_articles(dedupe_key, deleted_ms)
             SELECT dedupe_key, ?2 FROM articles WHERE id = ?1",
            params![id, now],
        )?;
        n += tx.execute("DELETE FROM articles WHERE id = ?1", [id])?;
    }
    super::images::drop_unused(tx)?;
    Ok(n)
}

impl Store {
    /// Every feed with its unread/total counts, folders together, by title.
    pub fn list_feeds(&self) -> Result<Vec<Feed>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {FEED_COLUMNS} FROM feeds f
             ORDER BY f.folder IS NOT NULL, f.folder, lower(f.title), f.id"
        ))?;
        let rows = stmt.query_map([], feed_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One feed with its counts.
    pub fn feed(&self, id: i64) -> Result<Feed> {
        self.conn()
            .query_row(
                &format!("SELECT {FEED_COLUMNS} FROM feeds f WHERE f.id = ?1"),
                [id],
                feed_row,
            )
            .optional()?
            .ok_or(CoreError::FeedNotFound(id))
    }

    /// The feed subscribed at `url`, if any.
    pub fn feed_id_by_url(&self, url: &str) -> Result<Option<i64>> {
        Ok(self
            .conn()
            .query_row("SELECT id FROM feeds WHERE url = ?1", [url], |r| r.get(0))
            .optional()?)
    }

    /// What refreshing feed `id` (or every feed) needs.
    pub fn feed_states(&self, id: Option<i64>) -> Result<Vec<FeedState>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, url, title, full_text, etag, last_modified, last_checked_ms,
                    interval_min, rules, sync_id IS NOT NULL
             FROM feeds WHERE (?1 IS NULL OR id = ?1) ORDER BY id",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok(FeedState {
                id: r.get(0)?,
                url: r.get(1)?,
                title: r.get(2)?,
                full_text: r.get(3)?,
                etag: r.get(4)?,
                last_modified: r.get(5)?,
                last_checked_ms: r.get(6)?,
                interval_min: r.get(7)?,
                rules: r.get(8)?,
                synced: r.get(9)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// What refreshing feed `id` needs.
    pub fn feed_state(&self, id: i64) -> Result<FeedState> {
        self.feed_states(Some(id))?
            .into_iter()
            .next()
            .ok_or(CoreError::FeedNotFound(id))
    }

    /// Records when feed `id` was last checked (ms since the epoch).
    pub fn set_last_checked(&mut self, id: i64, ms: i64) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE feeds SET last_checked_ms = ?2 WHERE id = ?1",
                params![id, ms],
            )?;
            Ok(())
        })
    }

    /// The dedupe keys already stored or deleted among `keys`.
    pub fn known_keys(&self, keys: &[String]) -> Result<std::collections::HashSet<String>> {
        // One query for the whole list (a JSON array bound as one parameter) rather than two
        // statements per item: a big feed has thousands of items.
        let list =
            serde_json::to_string(keys).map_err(|e| CoreError::InvalidInput(e.to_string()))?;
        let mut stmt = self.conn().prepare_cached(
            "SELECT dedupe_key FROM articles WHERE dedupe_key IN (SELECT value FROM json_each(?1))
             UNION
             SELECT dedupe_key FROM deleted_articles
              WHERE dedupe_key IN (SELECT value FROM json_each(?1))",
        )?;
        let known = stmt
            .query_map([list], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(known)
    }

    /// Records a failed check; stored articles and validators are left as they are.
    pub fn record_feed_error(&mut self, id: i64, message: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE feeds SET last_error = ?2, last_checked_ms = ?3 WHERE id = ?1",
                params![id, message, now_ms()],
            )?;
            Ok(())
        })
    }

    /// Records a 304: the feed is current.
    pub fn record_not_modified(
        &mut self,
        id: i64,
        etag: Option<&str>,
        last_modified: Option<&str>,
    ) -> Result<()> {
        let now = now_ms();
        self.write(|tx| {
            tx.execute(
                "UPDATE feeds SET etag = COALESCE(?2, etag), last_modified = COALESCE(?3, last_modified),
                    last_checked_ms = ?4, last_fetched_ms = ?4, last_error = NULL WHERE id = ?1",
                params![id, etag, last_modified, now],
            )?;
            Ok(())
        })
    }

    /// Unsubscribes: the feed, its articles (cascade) and the images no article uses any more.
    pub fn remove_feed(&mut self, id: i64) -> Result<()> {
        self.write(|tx| delete_feed(tx, id))
    }

    /// The server's id of feed `id`, when it is a synced feed.
    pub fn feed_sync_id(&self, id: i64) -> Result<Option<String>> {
        self.conn()
            .query_row("SELECT sync_id FROM feeds WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or(CoreError::FeedNotFound(id))
    }

    /// Feed `id`'s auto-translation target (`None` = off).
    pub fn feed_auto_translate(&self, id: i64) -> Result<Option<String>> {
        self.conn()
            .query_row(
                "SELECT auto_translate FROM feeds WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(CoreError::FeedNotFound(id))
    }

    /// Whether the reader renamed feed `id` (else its title follows the feed's own).
    pub fn feed_has_custom_title(&self, id: i64) -> Result<bool> {
        self.conn()
            .query_row("SELECT custom_title FROM feeds WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or(CoreError::FeedNotFound(id))
    }

    /// Read, unstarred articles added more than `days` days ago: what retention deletes.
    pub fn expired_articles(&self, days: i64) -> Result<Vec<i64>> {
        let cutoff = now_ms() - days.saturating_mul(86_400_000);
        let mut stmt = self.conn().prepare_cached(
            "SELECT id FROM articles
             WHERE read = 1 AND starred = 0 AND COALESCE(published_ms, added_ms) < ?1
               AND added_ms < ?1",
        )?;
        let rows = stmt.query_map([cutoff], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
