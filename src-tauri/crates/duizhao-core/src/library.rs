//! The facade both faces call: one method per use case (import, list, show, …).
//!
//! The app wraps each method in a one-line Tauri command and the CLI in a one-line
//! subcommand; neither holds logic of its own.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{CoreError, Result};
use crate::import;
use crate::model::{Article, ArticleSummary};
use crate::store::Store;
use crate::store::articles::{self, NewArticle, Origin};
use crate::view::{self, ScriptChoice, ViewOptions};

/// The database's file name inside the data folder.
pub const DB_FILE: &str = "duizhao.sqlite3";

/// Environment variable naming the data folder (the CLI's `--data-dir` wins over it).
pub const DATA_DIR_ENV: &str = "DUIZHAO_DATA_DIR";

/// Settings key recording that the bundled seed article was imported once.
const SEED_IMPORTED: &str = "seed_imported";

/// Settings key of the global script choice.
const GLOBAL_SCRIPT: &str = "script";

fn feed_script_key(feed_id: i64) -> String {
    format!("script.feed.{feed_id}")
}

/// Which articles to list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ListFilter {
    /// Only this feed's articles.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(type = "number | null", optional))]
    pub feed_id: Option<i64>,
    /// Only unread articles.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<bool>", optional))]
    pub unread: bool,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportOutcome {
    /// The article's id (existing one when it was already in the library).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    /// False when the article was already in the library.
    pub created: bool,
    /// The article's title.
    pub title: String,
}

/// A reader's library: one data folder with one SQLite database.
pub struct Library {
    store: Store,
    /// The data folder (holds config.toml); `None` for in-memory libraries.
    dir: Option<PathBuf>,
    /// Where API keys come from (environment, then OS keyring).
    secrets: std::sync::Arc<dyn duizhao_translate::SecretSource>,
    /// Provider settings as read from config.toml (in memory for in-memory libraries).
    pub(crate) providers: crate::translation::ProviderConfigs,
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
    /// Opens the library in `dir`, creating the folder and database when missing.
    pub fn open(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir).map_err(|e| CoreError::io(dir, e))?;
        let store = Store::open(&dir.join(DB_FILE))?;
        let providers = crate::translation::ProviderConfigs::load(dir)?;
        Ok(Library {
            store,
            dir: Some(dir.to_path_buf()),
            secrets: std::sync::Arc::new(duizhao_translate::DefaultSecrets),
            providers,
        })
    }

    /// A library held in memory (tests, dry runs).
    pub fn open_in_memory() -> Result<Self> {
        Ok(Library {
            store: Store::open_in_memory()?,
            dir: None,
            secrets: std::sync::Arc::new(duizhao_translate::EnvSecrets),
            providers: Default::default(),
        })
    }

    /// Imports one local file (the feed export format, HTML or Markdown).
    pub fn import_file(&mut self, path: &Path) -> Result<ImportOutcome> {
        let meta = std::fs::metadata(path).map_err(|e| CoreError::io(path, e))?;
        if meta.is_dir() {
            return Err(CoreError::NotAnArticle {
                path: path.to_path_buf(),
                reason: "is a directory".into(),
            });
        }
        if meta.len() > import::MAX_IMPORT_BYTES {
            return Err(CoreError::NotAnArticle {
                path: path.to_path_buf(),
                reason: format!("larger than {} MB", import::MAX_IMPORT_BYTES >> 20),
            });
        }
        let bytes = std::fs::read(path).map_err(|e| CoreError::io(path, e))?;
        self.import_bytes(path, &bytes)
    }

    /// Imports a file's content; `path` names it in messages and hints at its format.
    pub fn import_bytes(&mut self, path: &Path, bytes: &[u8]) -> Result<ImportOutcome> {
        let parsed = import::parse(path, bytes)?;
        let mut blocks = parsed.blocks;
        let lang = crate::lang::tag_article(&parsed.title, &mut blocks);
        let dedupe_key = match &parsed.url {
            Some(url) => format!("url:{url}"),
            None => format!("sha256:{}", crate::hash::sha256_hex(bytes)),
        };
        let new = NewArticle {
            dedupe_key,
            feed_id: None,
            url: parsed.url,
            title: parsed.title.clone(),
            published_ms: parsed.published_ms,
            lang,
            origin: Origin::Import,
            blocks,
        };
        let (id, created) = self.store.write(|tx| articles::insert(tx, &new))?;
        Ok(ImportOutcome {
            id,
            created,
            title: parsed.title,
        })
    }

    /// Imports the bundled sample article the first time a library is opened, and never
    /// again (so a reader who deletes it does not see it come back).
    pub fn ensure_seed(&mut self, name: &str, text: &str) -> Result<Option<ImportOutcome>> {
        if self.store.setting(SEED_IMPORTED)?.is_some() {
            return Ok(None);
        }
        let outcome = self.import_bytes(Path::new(name), text.as_bytes())?;
        self.store.set_setting(SEED_IMPORTED, "1")?;
        Ok(Some(outcome))
    }

    /// Lists articles, newest first.
    pub fn list(&self, filter: &ListFilter) -> Result<Vec<ArticleSummary>> {
        self.store.list_articles(filter.feed_id, filter.unread)
    }

    /// One article with its blocks, as stored.
    pub fn article(&self, id: i64) -> Result<Article> {
        self.store.article(id)
    }

    /// One article as the reader asked to see it (script conversion, stored translations).
    pub fn article_view(&self, id: i64, options: &ViewOptions) -> Result<Article> {
        let mut article = view::apply(self.store.article(id)?, options);
        if let Some(to) = &options.to {
            self.attach_translations(&mut article, to, options.script)?;
        }
        Ok(article)
    }

    /// The script the reader last chose for this feed, else globally, else the original.
    pub fn script_preference(&self, feed_id: Option<i64>) -> Result<ScriptChoice> {
        if let Some(id) = feed_id
            && let Some(v) = self.store.setting(&feed_script_key(id))?
        {
            return Ok(ScriptChoice::parse(&v).unwrap_or_default());
        }
        Ok(self
            .store
            .setting(GLOBAL_SCRIPT)?
            .and_then(|v| ScriptChoice::parse(&v))
            .unwrap_or_default())
    }

    /// Remembers a script choice: as the global default, and for the feed when given.
    pub fn set_script_preference(
        &mut self,
        feed_id: Option<i64>,
        choice: ScriptChoice,
    ) -> Result<()> {
        self.store.set_setting(GLOBAL_SCRIPT, choice.name())?;
        if let Some(id) = feed_id {
            self.store
                .set_setting(&feed_script_key(id), choice.name())?;
        }
        Ok(())
    }

    /// A piece of UI state saved by the app (JSON text), if any.
    pub fn ui_state(&self, key: &str) -> Result<Option<String>> {
        self.store.setting(&format!("ui.{key}"))
    }

    /// Saves a piece of UI state (at most 64 KiB, so a runaway webview cannot bloat the library).
    pub fn set_ui_state(&mut self, key: &str, value: &str) -> Result<()> {
        if value.len() > 64 * 1024 || key.len() > 128 {
            return Err(CoreError::InvalidInput("UI state too large".into()));
        }
        self.store.set_setting(&format!("ui.{key}"), value)
    }

    /// The source of API keys.
    pub fn secrets(&self) -> std::sync::Arc<dyn duizhao_translate::SecretSource> {
        self.secrets.clone()
    }

    /// The data folder, when the library lives on disk.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// Write access to the store, for the use-case modules of this crate.
    pub(crate) fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    /// The underlying store, for the table-level operations not yet behind a use case.
    pub fn store(&self) -> &Store {
        &self.store
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_choice_is_remembered_per_feed_and_globally() {
        let mut lib = Library::open_in_memory().unwrap();
        assert_eq!(lib.script_preference(None).unwrap(), ScriptChoice::Original);
        lib.set_script_preference(Some(7), ScriptChoice::Hans)
            .unwrap();
        assert_eq!(lib.script_preference(Some(7)).unwrap(), ScriptChoice::Hans);
        assert_eq!(
            lib.script_preference(None).unwrap(),
            ScriptChoice::Hans,
            "the last choice is the new default"
        );
        lib.set_script_preference(None, ScriptChoice::Tw).unwrap();
        assert_eq!(
            lib.script_preference(Some(7)).unwrap(),
            ScriptChoice::Hans,
            "a feed keeps its own choice"
        );
        assert_eq!(
            lib.script_preference(Some(8)).unwrap(),
            ScriptChoice::Tw,
            "other feeds follow the default"
        );
    }
}
