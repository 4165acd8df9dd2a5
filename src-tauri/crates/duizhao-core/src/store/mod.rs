//! SQLite storage: one file, WAL, foreign keys on, schema migrations under `PRAGMA user_version`.
//!
//! Each table module owns its SQL and its migrations, and nothing outside `store` holds SQL:
//! the connection is private to this module and its children. Reads take `&self`, writes
//! `&mut self` (or run inside [`Store::write`]'s transaction), so the borrow checker shows
//! where a library is changed. This module opens the database, applies the ordered migration
//! list in one transaction, and maps SQLite's "this is not a database" family of errors to
//! [`CoreError::CorruptDatabase`] so users get one clear line.
//!
//! The app and `dz` may open one library at the same time: the busy timeout is set before
//! anything else, and every write transaction (migrations included) is `IMMEDIATE`, so it
//! takes the write lock before it reads and waits for the other process instead of failing
//! with `SQLITE_BUSY` half-way.

pub mod articles;
pub mod auto_translations;
pub mod config;
pub mod feeds;
pub mod glossary;
pub mod images;
pub mod languages;
pub mod search;
pub mod settings;
pub mod sync_account;
pub mod sync_edits;
pub mod sync_queue;
pub mod translations;
pub mod vocabulary;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use crate::error::{CoreError, Result};

/// Every schema change, in order. Index + 1 is the `user_version` after applying it.
/// Append only: never edit a migration that has shipped.
const MIGRATIONS: &[&str] = &[
    articles::MIGRATION_1,
    settings::MIGRATION_1,
    translations::MIGRATION_1,
    feeds::MIGRATION_1,
    images::MIGRATION_1,
    search::MIGRATION_1,
    auto_translations::MIGRATION_1,
    search::MIGRATION_2,
    images::MIGRATION_2,
    languages::MIGRATION_1,
    vocabulary::MIGRATION_1,
    sync_account::MIGRATION_1,
    sync_queue::MIGRATION_1,
    sync_queue::MIGRATION_2,
];

/// The newest schema version this build knows.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// An open library database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| classify(path, e))?;
        Self::init(conn, path.to_path_buf())
    }

    /// An in-memory database, for tests and throwaway work.
    pub fn open_in_memory() -> Result<Self> {
        let conn = Connection::open_in_memory()?;
        Self::init(conn, PathBuf::from(":memory:"))
    }

    fn init(mut conn: Connection, path: PathBuf) -> Result<Self> {
        // Reads only, before anything writes: a damaged file or one from a newer build is
        // refused as it is, byte for byte (setting WAL mode below rewrites the header).
        let check = |conn: &mut Connection| -> rusqlite::Result<i64> {
            // First, so every statement below (and every later one) waits for another
            // process holding the library instead of failing at once.
            conn.busy_timeout(BUSY_TIMEOUT)?;
            // Reading the schema makes SQLite parse the first page: garbage fails here.
            conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
                r.get::<_, i64>(0)
            })?;
            conn.pragma_query_value(None, "user_version", |r| r.get(0))
        };
        let version = check(&mut conn).map_err(|e| classify(&path, e))?;
        check_version(&path, version)?;
        let setup = |conn: &mut Connection| -> rusqlite::Result<()> {
            // WAL lets the UI read while a refresh writes; NORMAL sync is durable across
            // application crashes (only an OS crash can lose the last transactions).
            // 16 KiB pages for new libraries (an existing file keeps its own): articles are
            // kilobytes of text, and bulk ingest measured 12% faster than with 4 KiB pages.
            // Must come before WAL mode, which writes the file header.
            conn.pragma_update(None, "page_size", 16384)?;
            conn.pragma_update(None, "journal_mode", "WAL")?;
            conn.pragma_update(None, "synchronous", "NORMAL")?;
            conn.pragma_update(None, "foreign_keys", true)
        };
        setup(&mut conn).map_err(|e| classify(&path, e))?;
        if version < SCHEMA_VERSION {
            migrate(&mut conn, &path)?;
        }
        let mut store = Store { conn, path };
        // Articles stored before the search index existed are indexed once.
        store.ensure_search_index()?;
        // Images stored before their sizes were recorded get them once.
        store.ensure_image_sizes()?;
        Ok(store)
    }

    /// The database file's path (`:memory:` for in-memory stores).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` inside one transaction: either all of its writes land or none do. The
    /// transaction is `IMMEDIATE` (it takes the write lock first), so a read inside it is never
    /// invalidated by another process's commit.
    pub fn write<T>(
        &mut self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// The connection, for this module's table modules only: SQL lives in `store`.
    fn conn(&self) -> &Connection {
        &self.conn
    }

    /// `PRAGMA integrity_check`'s answer (`ok` when the file is sound).
    pub fn integrity_check(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }
}

/// How long a statement waits for another process holding the library before it gives up
/// with a "library is busy" error.
pub const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

fn check_version(path: &Path, version: i64) -> Result<()> {
    if version > SCHEMA_VERSION {
        return Err(CoreError::SchemaTooNew {
            path: path.to_path_buf(),
            found: version,
            known: SCHEMA_VERSION,
        });
    }
    Ok(())
}

/// Applies the migrations the file lacks, in one `IMMEDIATE` transaction. The version is read
/// again inside it: another process may have migrated the file since it was opened.
fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|e| classify(path, e))?;
    let version: i64 = tx
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|e| classify(path, e))?;
    check_version(path, version)?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        tx.execute_batch(sql).map_err(|e| classify(path, e))?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
    }
    tx.commit().map_err(|e| classify(path, e))
}

/// Turns SQLite's "not a database"/"corrupt" errors into one clear error naming the file.
fn classify(path: &Path, e: rusqlite::Error) -> CoreError {
    use rusqlite::ErrorCode as C;
    match e.sqlite_error_code() {
        Some(C::NotADatabase) | Some(C::DatabaseCorrupt) => CoreError::CorruptDatabase {
            path: path.to_path_buf(),
            reason: e.to_string(),
        },
        Some(C::CannotOpen) => CoreError::Io {
            path: path.to_path_buf(),
            source: std::io::Error::other(e.to_string()),
        },
        _ => e.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_library_indexed_with_its_text_is_reindexed_by_the_contentless_index() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            // A library as the first six migrations left it, with one indexed article.
            let mut conn = rusqlite::Connection::open(&path).unwrap();
            let tx = conn.transaction().unwrap();
            for sql in &MIGRATIONS[..6] {
                tx.execute_batch(sql).unwrap();
            }
            tx.pragma_update(None, "user_version", 6).unwrap();
            let article = articles::NewArticle {
                dedupe_key: "k".into(),
                feed_id: None,
                url: None,
                title: "經濟新聞".into(),
                published_ms: None,
                lang: None,
                origin: articles::Origin::Import,
                blocks: vec![crate::model::Block::text(
                    crate::model::BlockKind::Paragraph,
                    "今年經濟成長",
                    "今年經濟成長",
                )],
            };
            articles::insert(&tx, &article).unwrap();
            tx.execute(
                "INSERT INTO settings(key, value) VALUES ('search.index_version', '1')",
                [],
            )
            .unwrap();
            tx.commit().unwrap();
        }
        let store = Store::open(&path).unwrap();
        let hits = store.search("经济").unwrap();
        assert_eq!(
            hits.len(),
            1,
            "the upgraded index still finds what was stored"
        );
        assert!(
            hits[0].snippet.contains("<mark>經濟</mark>"),
            "{:?}",
            hits[0]
        );
    }

    #[test]
    fn images_stored_before_sizes_were_kept_get_them_once() {
        // A 2×3 GIF: header, logical screen size, no image data needed by the size reader.
        const GIF: &[u8] = b"GIF89a\x02\x00\x03\x00\x00\x00\x00;";
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lib.db");
        {
            let mut store = Store::open(&path).unwrap();
            store
                .write(|tx| {
                    images::insert(tx, "https://e.com/new.gif", "image/gif", GIF)?;
                    // As an older build stored it: no size row, and the backfill marked done.
                    tx.execute(
                        "INSERT INTO images(url, mime, bytes, added_ms)
                         VALUES ('https://e.com/old.gif', 'image/gif', ?1, 0)",
                        [GIF],
                    )?;
                    tx.execute("DELETE FROM settings WHERE key = 'images.sizes'", [])?;
                    Ok(())
                })
                .unwrap();
            assert_eq!(
                store.image_ref("https://e.com/new.gif").unwrap().unwrap().1,
                Some([2, 3])
            );
            assert_eq!(
                store.image_ref("https://e.com/old.gif").unwrap().unwrap().1,
                None
            );
        }
        let store = Store::open(&path).unwrap();
        assert_eq!(
            store.image_ref("https://e.com/old.gif").unwrap().unwrap().1,
            Some([2, 3]),
            "filled in when the library is opened"
        );
    }

    #[test]
    fn new_libraries_get_large_pages_and_old_ones_keep_theirs() {
        let dir = tempfile::tempdir().unwrap();
        let page = |s: &Store| -> i64 {
            s.conn()
                .pragma_query_value(None, "page_size", |r| r.get(0))
                .unwrap()
        };
        let new = Store::open(&dir.path().join("new.db")).unwrap();
        assert_eq!(page(&new), 16384);
        let old_path = dir.path().join("old.db");
        rusqlite::Connection::open(&old_path)
            .unwrap()
            .execute_batch("PRAGMA page_size = 4096; CREATE TABLE t(x);")
            .unwrap();
        let old = Store::open(&old_path).unwrap();
        assert_eq!(
            page(&old),
            4096,
            "an existing file is opened as it is, not rewritten"
        );
    }

    #[test]
    fn migrations_bring_a_new_database_to_the_current_version() {
        let store = Store::open_in_memory().unwrap();
        let v: i64 = store
            .conn()
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION, "a fresh database must be fully migrated");
    }

    #[test]
    fn reopening_does_not_reapply_migrations() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite3");
        drop(Store::open(&path).unwrap());
        // A second open would fail with "table already exists" if migrations ran again.
        let store = Store::open(&path).unwrap();
        let mode: String = store
            .conn()
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal", "WAL keeps readers unblocked during refreshes");
    }

    #[test]
    fn a_file_that_is_not_a_database_is_reported_as_corrupt() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite3");
        std::fs::write(&path, vec![0x5a; 8192]).unwrap();
        let err = Store::open(&path).unwrap_err();
        assert!(
            matches!(err, CoreError::CorruptDatabase { .. }),
            "garbage must be reported as a corrupt database, got {err:?}"
        );
        assert_eq!(
            std::fs::read(&path).unwrap(),
            vec![0x5a; 8192],
            "a corrupt file must never be overwritten"
        );
    }

    #[test]
    fn a_database_from_the_future_is_refused_and_left_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite3");
        {
            // A newer build's library; in rollback-journal mode, which opening it as this
            // build does (WAL) would rewrite in the header.
            let c = Connection::open(&path).unwrap();
            c.execute_batch("PRAGMA journal_mode = DELETE; CREATE TABLE future(x);")
                .unwrap();
            c.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
                .unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        let err = Store::open(&path).unwrap_err();
        assert!(
            matches!(err, CoreError::SchemaTooNew { found, known, .. }
                if found == SCHEMA_VERSION + 1 && known == SCHEMA_VERSION),
            "a newer schema must be refused, got {err:?}"
        );
        assert_eq!(
            std::fs::read(&path).unwrap(),
            before,
            "refusing a newer library must not change a byte of it"
        );
    }

    #[test]
    fn a_library_held_past_the_timeout_is_busy_and_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite3");
        let mut app = Store::open(&path).unwrap();
        let mut dz = Store::open(&path).unwrap();
        // The real timeout is seconds; the behaviour past it is what is checked here.
        dz.conn
            .busy_timeout(std::time::Duration::from_millis(50))
            .unwrap();
        app.write(|_held| {
            let err = dz.write(|tx| settings::put(tx, "k", "v")).unwrap_err();
            assert!(
                matches!(err, CoreError::Busy),
                "a held library is busy, not a database failure: {err:?}"
            );
            assert_eq!(err.code(), crate::error::ErrorCode::Busy);
            assert!(err.to_string().contains("library is busy"), "{err}");
            Ok(())
        })
        .unwrap();
        dz.write(|tx| settings::put(tx, "k", "v"))
            .expect("once released, the other process writes");
    }
}
