//! One error type for the whole core, with a stable machine code for each case.
//!
//! The app sends `{code, message}` to the UI and the CLI prints the message on one line, so
//! every variant must render as a single actionable sentence.

use std::path::PathBuf;

/// A stable, serialisable classification of [`CoreError`] for the UI and scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// A requested article or file does not exist.
    NotFound,
    /// Input was read but is not something Duizhao can import.
    NotAnArticle,
    /// The database file is damaged or is not a Duizhao database.
    CorruptDatabase,
    /// The database refused an operation for another reason.
    Database,
    /// Reading or writing a file failed.
    Io,
    /// An argument was invalid (unknown option value, bad id, …).
    InvalidInput,
    /// Fetching a feed or page failed (network, HTTP status, size or time limit).
    Fetch,
    /// The fetched document is not a feed / not an article.
    NotAFeed,
    /// A translation service rejected the key: open that provider's settings.
    Auth,
    /// A translation service's quota is used up.
    Quota,
    /// A translation service asks to slow down.
    RateLimited,
    /// A translation service could not be reached.
    Network,
    /// A translation service did not answer in time.
    Timeout,
    /// A translation service answered with something unusable.
    BadReply,
    /// The service cannot translate this language pair.
    Unsupported,
    /// A provider's settings are incomplete or invalid.
    Config,
    /// The user cancelled.
    Cancelled,
}

/// Everything that can go wrong in the core.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// No article with this id.
    #[error("no article with id {0}")]
    ArticleNotFound(i64),
    /// A file to import does not exist.
    #[error("file not found: {}", .0.display())]
    FileNotFound(PathBuf),
    /// The file exists but is not an article we can import.
    #[error("{}: not an article ({reason})", path.display())]
    NotAnArticle {
        /// The offending file.
        path: PathBuf,
        /// Why it was rejected.
        reason: String,
    },
    /// The database file cannot be used.
    #[error("database {} is corrupt or not a Duizhao database ({reason})", path.display())]
    CorruptDatabase {
        /// The database file.
        path: PathBuf,
        /// SQLite's explanation.
        reason: String,
    },
    /// The database is newer than this program understands.
    #[error("database {} was written by a newer Duizhao (schema {found}, this build knows {known})", path.display())]
    SchemaTooNew {
        /// The database file.
        path: PathBuf,
        /// The schema version found.
        found: i64,
        /// The newest schema version this build knows.
        known: i64,
    },
    /// Any other SQLite failure.
    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),
    /// A filesystem failure.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path being read or written.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A caller passed something invalid.
    #[error("{0}")]
    InvalidInput(String),
    /// A feed, page or image could not be fetched (network, status, size or time limit).
    #[error("{url}: {message}")]
    Fetch {
        /// What was fetched.
        url: String,
        /// Why it failed, one line.
        message: String,
    },
    /// The document fetched is not a feed (or the page holds no article).
    #[error("{url}: {reason}")]
    NotAFeed {
        /// What was fetched.
        url: String,
        /// What it is instead.
        reason: String,
    },
    /// Translation failed; the message says what to do and never contains a key.
    #[error("{}", .0.message)]
    Translate(duizhao_translate::TranslateError),
    /// Script conversion failed (unknown config, input not UTF-8, I/O).
    #[error("{0}")]
    Convert(#[from] duizhao_zh::ZhError),
}

impl CoreError {
    /// The stable code the UI and scripts can branch on.
    pub fn code(&self) -> ErrorCode {
        match self {
            CoreError::ArticleNotFound(_) | CoreError::FileNotFound(_) => ErrorCode::NotFound,
            CoreError::NotAnArticle { .. } => ErrorCode::NotAnArticle,
            CoreError::CorruptDatabase { .. } | CoreError::SchemaTooNew { .. } => {
                ErrorCode::CorruptDatabase
            }
            CoreError::Database(_) => ErrorCode::Database,
            CoreError::Io { .. } => ErrorCode::Io,
            CoreError::InvalidInput(_) => ErrorCode::InvalidInput,
            CoreError::Fetch { .. } => ErrorCode::Fetch,
            CoreError::NotAFeed { .. } => ErrorCode::NotAFeed,
            CoreError::Translate(t) => {
                use duizhao_translate::ErrorKind as K;
                match t.kind {
                    K::Auth => ErrorCode::Auth,
                    K::Quota => ErrorCode::Quota,
                    K::RateLimited { .. } => ErrorCode::RateLimited,
                    K::Network => ErrorCode::Network,
                    K::Timeout => ErrorCode::Timeout,
                    K::BadReply => ErrorCode::BadReply,
                    K::Unsupported => ErrorCode::Unsupported,
                    K::Config => ErrorCode::Config,
                    K::Cancelled => ErrorCode::Cancelled,
                }
            }
            CoreError::Convert(duizhao_zh::ZhError::Io(_)) => ErrorCode::Io,
            CoreError::Convert(_) => ErrorCode::InvalidInput,
        }
    }

    /// The translation provider an error concerns, if any.
    pub fn provider(&self) -> Option<&str> {
        match self {
            CoreError::Translate(t) => t.provider.as_deref(),
            _ => None,
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        let path = path.into();
        if source.kind() == std::io::ErrorKind::NotFound {
            CoreError::FileNotFound(path)
        } else {
            CoreError::Io { path, source }
        }
    }
}

/// Result alias for the core.
pub type Result<T, E = CoreError> = std::result::Result<T, E>;
