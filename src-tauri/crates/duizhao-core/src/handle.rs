//! A cloneable, thread-safe handle on a [`Library`] for long-running async use cases.
//!
//! Refreshing feeds and translating articles spend most of their time waiting on the network;
//! they must not hold the database while they wait. Async use cases are therefore methods of
//! this handle: they lock the library only for short reads and writes, and run those (and any
//! CPU-heavy step) on tokio's blocking threads through [`LibraryHandle::run`] and
//! [`cpu`], so neither SQLite nor the std lock ever stalls an async worker.

use std::sync::{Arc, Mutex, MutexGuard};

use crate::error::{CoreError, Result};
use crate::library::Library;

/// Shared access to one library.
#[derive(Clone, Debug)]
pub struct LibraryHandle {
    inner: Arc<Mutex<Library>>,
    /// Held for the whole of a refresh, so a background refresh and one the reader asked for
    /// never check the same feeds at once.
    refreshing: Arc<tokio::sync::Mutex<()>>,
    /// Held for the whole of an auto-translation pass, so two passes never translate the
    /// same queued article at once.
    auto_translating: Arc<tokio::sync::Mutex<()>>,
    /// Held for the whole of a sync, so two syncs never send the same queued change twice
    /// or store the same items at once.
    syncing: Arc<tokio::sync::Mutex<()>>,
    /// Held for the whole of a language pass, so two passes never judge the same articles,
    /// and a use case that needs every language known waits for the running one.
    detecting: Arc<tokio::sync::Mutex<()>>,
}

impl LibraryHandle {
    /// Wraps an opened library.
    pub fn new(library: Library) -> Self {
        LibraryHandle {
            inner: Arc::new(Mutex::new(library)),
            refreshing: Arc::default(),
            auto_translating: Arc::default(),
            syncing: Arc::default(),
            detecting: Arc::default(),
        }
    }

    /// The lock one refresh holds at a time.
    pub(crate) fn refresh_lock(&self) -> &tokio::sync::Mutex<()> {
        &self.refreshing
    }

    /// The lock one auto-translation pass holds at a time.
    pub(crate) fn auto_translate_lock(&self) -> &tokio::sync::Mutex<()> {
        &self.auto_translating
    }

    /// The lock one language pass holds at a time.
    pub(crate) fn detect_lock(&self) -> &tokio::sync::Mutex<()> {
        &self.detecting
    }

    /// Whether a sync is running on this handle (the app's background scheduler does not
    /// start another meanwhile).
    pub fn is_syncing(&self) -> bool {
        self.syncing.try_lock().is_err()
    }

    /// The lock one sync holds at a time.
    pub(crate) fn sync_lock(&self) -> &tokio::sync::Mutex<()> {
        &self.syncing
    }

    /// Runs `f` with the library locked, on the calling thread. For synchronous callers (the
    /// CLI, the app's blocking commands); async code uses [`LibraryHandle::run`].
    pub fn with<T>(&self, f: impl FnOnce(&mut Library) -> Result<T>) -> Result<T> {
        f(&mut self.lock())
    }

    /// Runs `f` with the library locked on a blocking thread, so the database work (and the
    /// lock) never occupies an async worker. Keep `f` short: no network inside.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Library) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let handle = self.clone();
        tokio::task::spawn_blocking(move || handle.with(f))
            .await
            .map_err(|e| joined("working on the library", e))?
    }

    /// Locks the library. A poisoned lock (a panic elsewhere) is recovered: SQLite
    /// transactions already keep the data consistent.
    pub fn lock(&self) -> MutexGuard<'_, Library> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Runs CPU-heavy pure work (parsing, sanitizing, conversion) on a blocking thread.
pub(crate) async fn cpu<T: Send + 'static>(
    what: &'static str,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| joined(what, e))
}

/// A blocking task that died (a panic): an internal error saying what was being done.
fn joined(what: &str, e: tokio::task::JoinError) -> CoreError {
    CoreError::Internal(format!("{what} ({e})"))
}
