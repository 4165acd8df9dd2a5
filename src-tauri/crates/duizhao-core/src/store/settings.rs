//! Small key/value settings that live with the library (e.g. whether the seed was imported).
//!
//! Secrets never go here: API keys live in the OS keyring or the environment.

use rusqlite::{OptionalExtension, Transaction, params};

use super::Store;
use crate::error::Result;

pub(super) const MIGRATION_1: &str = "
CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) WITHOUT ROWID;
";

/// Writes a setting inside a larger transaction (insert or replace).
pub fn put(tx: &Transaction<'_>, key: &str, value: &str) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO settings(key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![key, value])?;
    Ok(())
}

impl Store {
    /// Reads a setting.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Writes a setting (insert or replace).
    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.write(|tx| put(tx, key, value))
    }
}
