//! The `images` table: article images stored as blobs so articles read the same offline.
//!
//! Images are keyed by their (proxy-unwrapped) remote URL, which is also what image blocks
//! store in `blocks.src`: one download serves every article that shows the picture, and the
//! original URL stays available as a fallback. Only bytes whose magic numbers say PNG, JPEG,
//! GIF, WebP or AVIF get here (`duizhao_feed::Fetcher::fetch_image`), and the MIME type stored
//! is the sniffed one, never the server's claim.

use rusqlite::{OptionalExtension, Transaction, params};

use super::Store;
use crate::error::Result;

pub(super) const MIGRATION_1: &str = "
CREATE TABLE images (
    id       INTEGER PRIMARY KEY,
    url      TEXT NOT NULL UNIQUE,
    mime     TEXT NOT NULL,
    bytes    BLOB NOT NULL,
    added_ms INTEGER NOT NULL
);
";

/// A stored image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredImage {
    /// Its id (the `dzimg://localhost/<id>` path).
    pub id: i64,
    /// The sniffed MIME type.
    pub mime: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// Stores an image unless one with this URL is already there; returns its id.
pub fn insert(tx: &Transaction<'_>, url: &str, mime: &str, bytes: &[u8]) -> Result<i64> {
    tx.execute(
        "INSERT OR IGNORE INTO images(url, mime, bytes, added_ms) VALUES (?1, ?2, ?3, ?4)",
        params![url, mime, bytes, chrono::Utc::now().timestamp_millis()],
    )?;
    Ok(tx.query_row("SELECT id FROM images WHERE url = ?1", [url], |r| r.get(0))?)
}

/// Deletes images no block refers to any more (after articles were deleted).
pub fn drop_unused(tx: &Transaction<'_>) -> Result<usize> {
    Ok(tx.execute(
        "DELETE FROM images WHERE url NOT IN (SELECT src FROM blocks WHERE src IS NOT NULL)",
        [],
    )?)
}

impl Store {
    /// The id of the stored copy of `url`, if there is one.
    pub fn image_id(&self, url: &str) -> Result<Option<i64>> {
        Ok(self
            .conn()
            .prepare_cached("SELECT id FROM images WHERE url = ?1")?
            .query_row([url], |r| r.get(0))
            .optional()?)
    }

    /// Whether `url` is stored.
    pub fn has_image(&self, url: &str) -> Result<bool> {
        Ok(self.image_id(url)?.is_some())
    }

    /// A stored image by id.
    pub fn image(&self, id: i64) -> Result<Option<StoredImage>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT id, mime, bytes FROM images WHERE id = ?1",
                [id],
                |r| {
                    Ok(StoredImage {
                        id: r.get(0)?,
                        mime: r.get(1)?,
                        bytes: r.get(2)?,
                    })
                },
            )
            .optional()?)
    }

    /// A stored image by its remote URL.
    pub fn image_by_url(&self, url: &str) -> Result<Option<StoredImage>> {
        match self.image_id(url)? {
            Some(id) => self.image(id),
            None => Ok(None),
        }
    }
}
