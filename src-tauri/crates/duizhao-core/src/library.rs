//! The open library: one data folder with its SQLite database, its `config.toml` of provider
//! settings and where API keys come from. Opening it is all this module does; what a reader
//! can do with it is added by the use-case modules (`crate::usecases`), one per domain, as
//! methods of [`Library`] (quick database work) and of [`crate::LibraryHandle`] (work that
//! waits on the network), so both faces call one type.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::{CoreError, Result};
use crate::store::Store;
use crate::store::config::ProviderConfigs;

/// The database's file name inside the data folder.
pub const DB_FILE: &str = "duizhao.sqlite3";

/// Environment variable naming the data folder (the CLI's `--data-dir` wins over it).
pub const DATA_DIR_ENV: &str = "DUIZHAO_DATA_DIR";

/// A reader's library: one data folder with one SQLite database.
pub struct Library {
    store: Store,
    /// The data folder (holds config.toml); `None` for in-memory libraries.
    dir: Option<PathBuf>,
    /// Where API keys come from (environment, then OS keyring).
    secrets: Arc<dyn duizhao_translate::SecretSource>,
    /// Provider settings as read from config.toml (in memory for in-memory libraries).
    pub(crate) providers: ProviderConfigs,
    /// The sync password given in this session, by keyring entry name: what an in-memory
    /// library uses instead of the keyring, and a disk library until it is read back.
    pub(crate) sync_session: Option<(String, duizhao_sync::Secret)>,
}

impl std::fmt::Debug for Library {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Library")
            .field("store", &self.store)
            .field("dir", &self.dir)
            .finish()
    }
}

/// The data folder: `$DUIZHAO_DATA_DIR`, else the platform's data folder + `duizhao`.
pub fn default_data_dir() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    dirs::data_dir()
        .map(|d| d.join("duizhao"))
        .ok_or_else(|| CoreError::InvalidInput(format!("no data folder: set {DATA_DIR_ENV}")))
}

impl Library {
    /// Opens the library in `dir`, creating the folder (readable by its owner only) and the
    /// database when missing.
    pub fn open(dir: &Path) -> Result<Self> {
        crate::support::fs::create_private_dir(dir)?;
        let db = dir.join(DB_FILE);
        crate::support::fs::create_private_file(&db)?;
        let store = Store::open(&db)?;
        let providers = ProviderConfigs::load(dir)?;
        Ok(Library {
            store,
            dir: Some(dir.to_path_buf()),
            secrets: Arc::new(duizhao_translate::DefaultSecrets),
            providers,
            sync_session: None,
        })
    }

    /// A library held in memory (tests, dry runs).
    pub fn open_in_memory() -> Result<Self> {
        Ok(Library {
            store: Store::open_in_memory()?,
            dir: None,
            secrets: Arc::new(duizhao_translate::EnvSecrets),
            providers: Default::default(),
            sync_session: None,
        })
    }

    /// The source of API keys.
    pub fn secrets(&self) -> Arc<dyn duizhao_translate::SecretSource> {
        self.secrets.clone()
    }

    /// The data folder, when the library lives on disk.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// `PRAGMA integrity_check` of the database: `ok` when it is sound.
    pub fn integrity_check(&self) -> Result<String> {
        self.store.integrity_check()
    }

    /// Read access to the store, for the use cases.
    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    /// Write access to the store, for the use cases.
    pub(crate) fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }
}
