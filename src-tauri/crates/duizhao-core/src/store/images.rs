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

/// Pixel sizes, in a table of their own: a column after `bytes` would make every lookup read
/// the whole picture. (0 × 0: not readable from the header.) Images stored before this
/// migration get theirs from [`Store::ensure_image_sizes`], once.
pub(super) const MIGRATION_2: &str = "
CREATE TABLE image_sizes (
    image_id INTEGER PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
    width    INTEGER NOT NULL,
    height   INTEGER NOT NULL
);
";

/// Settings key recording that every stored image has its size.
const SIZES_KEY: &str = "images.sizes";

/// Largest side accepted as an image's size; anything larger is treated as unknown.
const MAX_SIDE: usize = 100_000;

/// Width and height from an image's header (`imagesize`, which reads only the header of the
/// formats the fetcher accepts); `(0, 0)` when it cannot tell.
fn header_size(bytes: &[u8]) -> (u32, u32) {
    match imagesize::blob_size(bytes) {
        Ok(s) if (1..=MAX_SIDE).contains(&s.width) && (1..=MAX_SIDE).contains(&s.height) => {
            (s.width as u32, s.height as u32)
        }
        _ => (0, 0),
    }
}

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
    let inserted = tx.execute(
        "INSERT OR IGNORE INTO images(url, mime, bytes, added_ms) VALUES (?1, ?2, ?3, ?4)",
        params![url, mime, bytes, crate::support::time::now_ms()],
    )?;
    let id: i64 = tx.query_row("SELECT id FROM images WHERE url = ?1", [url], |r| r.get(0))?;
    if inserted > 0 {
        record_size(tx, id, bytes)?;
    }
    Ok(id)
}

fn record_size(tx: &Transaction<'_>, id: i64, bytes: &[u8]) -> Result<()> {
    let (width, height) = header_size(bytes);
    tx.execute(
        "INSERT OR REPLACE INTO image_sizes(image_id, width, height) VALUES (?1, ?2, ?3)",
        params![id, width, height],
    )?;
    Ok(())
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
        Ok(self.image_ref(url)?.map(|(id, _)| id))
    }

    /// The id and pixel size (when known) of the stored copy of `url`.
    pub fn image_ref(&self, url: &str) -> Result<Option<(i64, Option<[u32; 2]>)>> {
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT i.id, s.width, s.height FROM images i
                 LEFT JOIN image_sizes s ON s.image_id = i.id WHERE i.url = ?1",
            )?
            .query_row([url], |r| {
                let (w, h): (Option<u32>, Option<u32>) = (r.get(1)?, r.get(2)?);
                let size = match (w, h) {
                    (Some(w), Some(h)) if w > 0 && h > 0 => Some([w, h]),
                    _ => None,
                };
                Ok((r.get(0)?, size))
            })
            .optional()?)
    }

    /// Records the pixel size of images stored before sizes were kept (once per library).
    pub fn ensure_image_sizes(&mut self) -> Result<()> {
        if self.setting(SIZES_KEY)?.is_some() {
            return Ok(());
        }
        let ids: Vec<i64> = self
            .conn()
            .prepare("SELECT id FROM images WHERE id NOT IN (SELECT image_id FROM image_sizes)")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        self.write(|tx| {
            for id in ids {
                let bytes: Vec<u8> =
                    tx.query_row("SELECT bytes FROM images WHERE id = ?1", [id], |r| r.get(0))?;
                record_size(tx, id, &bytes)?;
            }
            super::settings::put(tx, SIZES_KEY, "1")
        })
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
