//! The `sync_account` table (the one feed server the library syncs with) and the server ids
//! kept on `feeds` and `articles`, which map the server's subscriptions and items to local
//! feeds and articles.
//!
//! The password is not here: it lives in the OS keyring (or `DUIZHAO_SYNC_PASSWORD`). Synced
//! feeds are ordinary feeds with a `sync_id`: the sidebar, counts, search and the reader treat
//! them like any other; a refresh skips them (the server checks them).

use std::collections::HashSet;

use rusqlite::{OptionalExtension, Transaction, params};

use super::Store;
use super::articles::{self, NewArticle};
use crate::error::{CoreError, Result};
use crate::support::time::now_ms;

pub(super) const MIGRATION_1: &str = "
CREATE TABLE sync_account (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    kind         TEXT NOT NULL,
    url          TEXT NOT NULL,
    user         TEXT NOT NULL,
    added_ms     INTEGER NOT NULL,
    last_sync_ms INTEGER,
    last_result  TEXT,
    last_error   TEXT,
    synced_until INTEGER
);
ALTER TABLE feeds ADD COLUMN sync_id TEXT;
ALTER TABLE articles ADD COLUMN sync_id INTEGER;
CREATE UNIQUE INDEX feeds_by_sync_id ON feeds(sync_id) WHERE sync_id IS NOT NULL;
CREATE UNIQUE INDEX articles_by_sync_id ON articles(sync_id) WHERE sync_id IS NOT NULL;
";

/// The account as stored (everything but the password).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRow {
    /// `greader` or `fever`.
    pub kind: String,
    /// The server's base URL (Google Reader) or endpoint (Fever).
    pub url: String,
    /// The user name.
    pub user: String,
    /// When the last sync ended, ms since the epoch.
    pub last_sync_ms: Option<i64>,
    /// The last sync's summary, JSON.
    pub last_result: Option<String>,
    /// The last sync's failure, JSON (`None` when it succeeded).
    pub last_error: Option<String>,
    /// Unix seconds up to which every new item has been fetched (the start of the last
    /// complete sync); `None` before the first.
    pub synced_until: Option<i64>,
}

/// A server subscription as the library stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncedFeed<'a> {
    /// The server's id (`feed/42`, or `42` for Fever).
    pub sync_id: &'a str,
    /// The feed's URL (may be empty when the server does not say).
    pub url: &'a str,
    /// Its title on the server.
    pub title: &'a str,
    /// The site's URL.
    pub site_url: Option<&'a str>,
    /// Its folder's name (`None` = top level).
    pub folder: Option<&'a str>,
}

/// Forgets every server id: synced feeds and articles become local ones, queued changes go.
fn detach(tx: &Transaction<'_>) -> Result<()> {
    tx.execute_batch(
        "UPDATE feeds SET sync_id = NULL WHERE sync_id IS NOT NULL;
         UPDATE articles SET sync_id = NULL WHERE sync_id IS NOT NULL;
         DELETE FROM sync_queue;",
    )?;
    Ok(())
}

/// Creates or updates the local feed of a server subscription; returns its id. A local feed
/// with the same URL is adopted (a reader moving to the server keeps one copy of it).
pub fn upsert_feed(tx: &Transaction<'_>, feed: &SyncedFeed<'_>) -> Result<i64> {
    let existing: Option<i64> = tx
        .prepare_cached("SELECT id FROM feeds WHERE sync_id = ?1")?
        .query_row([feed.sync_id], |r| r.get(0))
        .optional()?;
    let id = match existing {
        Some(id) => id,
        None => {
            let url = if feed.url.trim().is_empty() {
                format!("sync:{}", feed.sync_id)
            } else {
                feed.url.to_owned()
            };
            let owner: Option<(i64, Option<String>)> = tx
                .prepare_cached("SELECT id, sync_id FROM feeds WHERE url = ?1")?
                .query_row([&url], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            match owner {
                Some((id, None)) => {
                    adopt_pending_subscription(tx, id, feed)?;
                    id
                }
                // Two subscriptions to one URL on the server: the second gets its own feed.
                Some((_, Some(_))) => {
                    super::feeds::insert_feed(
                        tx,
                        &format!("{url}#sync:{}", feed.sync_id),
                        feed.title,
                        feed.site_url,
                        feed.folder,
                    )?
                    .0
                }
                None => {
                    super::feeds::insert_feed(tx, &url, feed.title, feed.site_url, feed.folder)?.0
                }
            }
        }
    };
    // A move made here and not yet acknowledged keeps the feed's folder here.
    tx.prepare_cached(
        "UPDATE feeds SET sync_id = ?2,
            folder = CASE WHEN EXISTS (SELECT 1 FROM sync_queue q
                                       WHERE q.op = 'move' AND q.stream = ?2)
                          THEN folder ELSE ?3 END,
            title = CASE WHEN custom_title = 0 AND ?4 <> '' THEN ?4 ELSE title END,
            site_url = COALESCE(?5, site_url)
         WHERE id = ?1",
    )?
    .execute(params![
        id,
        feed.sync_id,
        feed.folder,
        feed.title,
        feed.site_url
    ])?;
    Ok(id)
}

/// A local feed the server turns out to list already (its subscription was sent but the
/// answer was lost, or it was added elsewhere too): a subscription still queued for it is
/// not sent again; what it would have set is queued as a move and a rename instead.
fn adopt_pending_subscription(tx: &Transaction<'_>, id: i64, feed: &SyncedFeed<'_>) -> Result<()> {
    let pending: Option<(Option<String>, Option<String>)> = tx
        .prepare_cached(
            "SELECT title, folder FROM sync_queue WHERE op = 'subscribe' AND feed_id = ?1",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((title, folder)) = pending else {
        return Ok(());
    };
    tx.execute(
        "DELETE FROM sync_queue WHERE op = 'subscribe' AND feed_id = ?1",
        [id],
    )?;
    let edits = [
        (
            "move",
            None,
            folder.filter(|f| !f.is_empty() && Some(f.as_str()) != feed.folder),
        ),
        (
            "rename",
            title.filter(|t| !t.is_empty() && t != feed.title),
            None,
        ),
    ];
    for (op, title, folder) in edits {
        if title.is_none() && folder.is_none() {
            continue;
        }
        tx.execute(
            "INSERT INTO sync_queue(op, feed_id, stream, title, folder, queued_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![op, id, feed.sync_id, title, folder, now_ms()],
        )?;
    }
    Ok(())
}

/// The title of the local feed of server subscription `sync_id`, if there is one.
pub fn feed_title(tx: &Transaction<'_>, sync_id: &str) -> Result<Option<String>> {
    Ok(tx
        .prepare_cached("SELECT title FROM feeds WHERE sync_id = ?1")?
        .query_row([sync_id], |r| r.get(0))
        .optional()?)
}

/// Deletes the synced feeds the server no longer lists (their articles go with them).
/// Returns how many went.
pub fn remove_feeds_except(tx: &Transaction<'_>, keep: &[String]) -> Result<usize> {
    let list = json(keep)?;
    let n = tx.execute(
        "DELETE FROM feeds WHERE sync_id IS NOT NULL
           AND sync_id NOT IN (SELECT value FROM json_each(?1))",
        [list],
    )?;
    if n > 0 {
        super::images::drop_unused(tx)?;
    }
    Ok(n)
}

/// Stores a server item as an article (unless the reader deleted it, or it is stored
/// already) with the server's id and state. Returns the new article's id.
pub fn insert_item(
    tx: &Transaction<'_>,
    article: &NewArticle,
    sync_id: i64,
    read: bool,
    starred: bool,
) -> Result<Option<i64>> {
    if super::feeds::is_tombstoned(tx, &article.dedupe_key)? {
        return Ok(None);
    }
    // The same article fetched here before its feed was on the server (a local feed adopted
    // by the server's subscription, or subscribed here and then sent): it takes the server's
    // id and state instead of appearing twice.
    if let (Some(url), Some(feed)) = (&article.url, article.feed_id) {
        let local: Option<i64> = tx
            .prepare_cached(
                "SELECT id FROM articles WHERE feed_id = ?1 AND url = ?2 AND sync_id IS NULL
                 ORDER BY id LIMIT 1",
            )?
            .query_row(params![feed, url], |r| r.get(0))
            .optional()?;
        if let Some(id) = local {
            tx.prepare_cached(
                "UPDATE OR IGNORE articles SET sync_id = ?2, read = ?3, starred = ?4 WHERE id = ?1",
            )?
            .execute(params![id, sync_id, read, starred])?;
            return Ok(None);
        }
    }
    let (id, created) = articles::insert(tx, article)?;
    if !created {
        return Ok(None);
    }
    // OR IGNORE: an id already on another article (a server that reuses ids) keeps the first.
    tx.prepare_cached(
        "UPDATE OR IGNORE articles SET sync_id = ?2, read = ?3, starred = ?4 WHERE id = ?1",
    )?
    .execute(params![id, sync_id, read, starred])?;
    Ok(Some(id))
}

/// Sets read and starred on every synced article from the server's full unread and starred
/// id sets, except for the fields with a change still queued here: an item change, or (for
/// read articles) a "mark all as read" that covers them and is not acknowledged yet. Returns
/// the ids of the articles that changed.
pub fn apply_state(tx: &Transaction<'_>, unread: &[i64], starred: &[i64]) -> Result<Vec<i64>> {
    let (unread, starred) = (json(unread)?, json(starred)?);
    let mut changed: HashSet<i64> = HashSet::new();
    for (sql, set) in [
        (
            "UPDATE articles SET read = NOT (sync_id IN (SELECT value FROM json_each(?1)))
             WHERE sync_id IS NOT NULL
               AND read <> NOT (sync_id IN (SELECT value FROM json_each(?1)))
               AND NOT EXISTS (SELECT 1 FROM sync_queue q
                               WHERE q.item_id = articles.sync_id AND q.op = 'read')
               AND NOT (read = 1 AND EXISTS (
                   SELECT 1 FROM sync_queue q
                   WHERE q.op = 'mark_all' AND articles.added_ms <= q.queued_ms
                     AND (q.feed_id = articles.feed_id
                          OR q.folder = (SELECT folder FROM feeds WHERE id = articles.feed_id)
                          OR (q.feed_id IS NULL AND q.folder IS NULL))))
             RETURNING id",
            &unread,
        ),
        (
            "UPDATE articles SET starred = (sync_id IN (SELECT value FROM json_each(?1)))
             WHERE sync_id IS NOT NULL
               AND starred <> (sync_id IN (SELECT value FROM json_each(?1)))
               AND NOT EXISTS (SELECT 1 FROM sync_queue q
                               WHERE q.item_id = articles.sync_id AND q.op = 'starred')
             RETURNING id",
            &starred,
        ),
    ] {
        let mut stmt = tx.prepare(sql)?;
        let ids = stmt.query_map([set], |r| r.get::<_, i64>(0))?;
        for id in ids {
            changed.insert(id?);
        }
    }
    let mut out: Vec<i64> = changed.into_iter().collect();
    out.sort_unstable();
    Ok(out)
}

fn json<T: serde::Serialize>(v: &[T]) -> Result<String> {
    serde_json::to_string(v).map_err(|e| CoreError::Internal(format!("encoding ids ({e})")))
}

impl Store {
    /// The account, if one is set.
    pub fn sync_account(&self) -> Result<Option<AccountRow>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT kind, url, user, last_sync_ms, last_result, last_error, synced_until
                 FROM sync_account WHERE id = 1",
                [],
                |r| {
                    Ok(AccountRow {
                        kind: r.get(0)?,
                        url: r.get(1)?,
                        user: r.get(2)?,
                        last_sync_ms: r.get(3)?,
                        last_result: r.get(4)?,
                        last_error: r.get(5)?,
                        synced_until: r.get(6)?,
                    })
                },
            )
            .optional()?)
    }

    /// Sets the account. Another server replacing the current one starts afresh: the old
    /// server's ids and queued changes are forgotten (its feeds stay, as local feeds).
    pub fn set_sync_account(&mut self, kind: &str, url: &str, user: &str) -> Result<()> {
        let current = self.sync_account()?;
        self.write(|tx| {
            let same = current
                .as_ref()
                .is_some_and(|a| a.kind == kind && a.url == url && a.user == user);
            if same {
                return Ok(());
            }
            detach(tx)?;
            tx.execute("DELETE FROM sync_account", [])?;
            tx.execute(
                "INSERT INTO sync_account(id, kind, url, user, added_ms) VALUES (1, ?1, ?2, ?3, ?4)",
                params![kind, url, user, now_ms()],
            )?;
            Ok(())
        })
    }

    /// Removes the account; synced feeds and articles stay as local ones. Returns whether
    /// there was one.
    pub fn remove_sync_account(&mut self) -> Result<bool> {
        self.write(|tx| {
            detach(tx)?;
            Ok(tx.execute("DELETE FROM sync_account", [])? > 0)
        })
    }

    /// Records how a sync ended; `synced_until` advances only after a complete one.
    pub fn record_sync(
        &mut self,
        result: Option<&str>,
        error: Option<&str>,
        synced_until: Option<i64>,
    ) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE sync_account SET last_sync_ms = ?1, last_result = COALESCE(?2, last_result),
                    last_error = ?3, synced_until = COALESCE(?4, synced_until) WHERE id = 1",
                params![now_ms(), result, error, synced_until],
            )?;
            Ok(())
        })
    }

    /// Server ids of the items stored, or deleted by the reader (not fetched again).
    pub fn known_sync_items(&self) -> Result<HashSet<i64>> {
        let mut out = HashSet::new();
        let mut stmt = self
            .conn()
            .prepare("SELECT sync_id FROM articles WHERE sync_id IS NOT NULL")?;
        for id in stmt.query_map([], |r| r.get::<_, i64>(0))? {
            out.insert(id?);
        }
        // Deleted synced articles: their dedupe key ends in `:sync:<id>` (see
        // `services::sync`).
        let mut stmt = self.conn().prepare(
            "SELECT substr(dedupe_key, instr(dedupe_key, ':sync:') + 6) FROM deleted_articles
             WHERE dedupe_key GLOB 'feed:*:sync:*'",
        )?;
        for id in stmt.query_map([], |r| r.get::<_, String>(0))? {
            if let Ok(id) = id?.parse::<i64>() {
                out.insert(id);
            }
        }
        Ok(out)
    }

    /// The highest server id stored (Fever pages upward from it).
    pub fn max_sync_item(&self) -> Result<Option<i64>> {
        Ok(self.conn().query_row(
            "SELECT MAX(sync_id) FROM articles WHERE sync_id IS NOT NULL",
            [],
            |r| r.get(0),
        )?)
    }

    /// Local feed ids by server id, for the synced feeds.
    pub fn synced_feeds(&self) -> Result<Vec<(String, i64)>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT sync_id, id FROM feeds WHERE sync_id IS NOT NULL")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The server id of article `id`, when it is a synced one.
    pub fn article_sync_id(&self, id: i64) -> Result<Option<i64>> {
        Ok(self
            .conn()
            .query_row("SELECT sync_id FROM articles WHERE id = ?1", [id], |r| {
                r.get::<_, Option<i64>>(0)
            })
            .optional()?
            .flatten())
    }
}
