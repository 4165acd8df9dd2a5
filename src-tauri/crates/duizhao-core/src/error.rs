//! One error type for the whole core, with a stable machine code for each case.
//!
//! The app sends `{code, message, provider?}` ([`Failure`]) to the UI and the CLI prints the
//! message on one line, so every variant must render as a single actionable sentence. Where a
//! typed cause exists (a fetch failure, a translation failure) it is kept, not flattened.

use std::path::PathBuf;

pub use crate::model::{ErrorCode, Failure};

/// Everything that can go wrong in the core.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// No article with this id.
    #[error("no article with id {0}")]
    ArticleNotFound(i64),
    /// No feed with this id.
    #[error("no feed with id {0}")]
    FeedNotFound(i64),
    /// No glossary entry with this id.
    #[error("no glossary entry with id {0}")]
    GlossaryEntryNotFound(i64),
    /// No saved word with this id.
    #[error("no vocabulary word with id {0}")]
    VocabNotFound(i64),
    /// A word to save or define that the dictionary does not hold.
    #[error("{0:?} is not in the dictionary")]
    WordNotInDictionary(String),
    /// The embedded dictionary could not be loaded (a damaged build, not the reader's input).
    #[error(transparent)]
    Dictionary(#[from] duizhao_dict::DictError),
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
    #[error("database {} was written by a newer Duizhao (schema {found}, this build knows {known}); update Duizhao to open it", path.display())]
    SchemaTooNew {
        /// The database file.
        path: PathBuf,
        /// The schema version found.
        found: i64,
        /// The newest schema version this build knows.
        known: i64,
    },
    /// Another process (the app or `dz`) held the library for longer than the busy timeout.
    #[error(
        "the library is busy: another Duizhao (the app or dz) kept it locked too long; try again when it is done"
    )]
    Busy,
    /// Any other SQLite failure.
    #[error("database error: {0}")]
    Database(rusqlite::Error),
    /// A filesystem failure.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path being read or written.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A caller passed something invalid; the message says what and what is accepted.
    #[error("{0}")]
    InvalidInput(String),
    /// A choice (script, mode, export format) that does not exist.
    #[error(transparent)]
    UnknownChoice(#[from] crate::model::UnknownChoice),
    /// A feed, page or image could not be fetched (network, status, size or time limit).
    #[error("{url}: {source}")]
    Fetch {
        /// What was fetched.
        url: String,
        /// Why it failed.
        source: duizhao_feed::FetchError,
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
    /// The system keyring refused (no keyring service, locked, …).
    #[error("could not use the system keyring ({reason}); set {env_var} instead")]
    Keyring {
        /// The keyring's explanation.
        reason: String,
        /// The environment variable that serves instead.
        env_var: String,
    },
    /// Talking to the sync server failed; the message never contains the password.
    #[error("sync server: {0}")]
    Sync(#[from] duizhao_sync::SyncError),
    /// No sync account is set.
    #[error("no sync account: add one in Settings → Sync or with `dz account add`")]
    NoSyncAccount,
    /// The sync account has no password here (keyring empty, environment unset).
    #[error("no password for the sync account: set {0} or add the account again with its password")]
    NoSyncPassword(&'static str),
    /// A change to a synced feed that its server's API cannot carry (Fever has no
    /// subscription editing; Google Reader servers keep every feed in a folder). Refused here
    /// rather than made locally and undone by the next sync.
    #[error("{what} is not possible on this {server} account: {hint}")]
    SyncCannotEdit {
        /// What was asked (e.g. "renaming a feed").
        what: &'static str,
        /// The server's kind as the reader knows it ("Fever", "Google Reader").
        server: &'static str,
        /// What to do instead.
        hint: &'static str,
    },
    /// A failure that is no fault of the input: a worker thread died, an archive could not be
    /// assembled. Says what was being done.
    #[error("internal error while {0}")]
    Internal(String),
}

impl CoreError {
    /// The stable code the UI and scripts can branch on.
    pub fn code(&self) -> ErrorCode {
        match self {
            CoreError::ArticleNotFound(_)
            | CoreError::FeedNotFound(_)
            | CoreError::GlossaryEntryNotFound(_)
            | CoreError::VocabNotFound(_)
            | CoreError::WordNotInDictionary(_)
            | CoreError::FileNotFound(_) => ErrorCode::NotFound,
            CoreError::NotAnArticle { .. } => ErrorCode::NotAnArticle,
            CoreError::CorruptDatabase { .. } => ErrorCode::CorruptDatabase,
            CoreError::SchemaTooNew { .. } => ErrorCode::SchemaTooNew,
            CoreError::Busy => ErrorCode::Busy,
            CoreError::Database(_) => ErrorCode::Database,
            CoreError::Io { .. } => ErrorCode::Io,
            CoreError::InvalidInput(_) | CoreError::UnknownChoice(_) => ErrorCode::InvalidInput,
            CoreError::Fetch { .. } => ErrorCode::Fetch,
            CoreError::NotAFeed { .. } => ErrorCode::NotAFeed,
            CoreError::Translate(t) => translate_code(&t.kind),
            CoreError::Convert(duizhao_zh::ZhError::Io(_)) => ErrorCode::Io,
            CoreError::Convert(_) => ErrorCode::InvalidInput,
            CoreError::Keyring { .. } => ErrorCode::Keyring,
            CoreError::Sync(e) => sync_code(e),
            CoreError::NoSyncAccount => ErrorCode::NotFound,
            CoreError::NoSyncPassword(_) => ErrorCode::SyncAuth,
            CoreError::SyncCannotEdit { .. } => ErrorCode::Unsupported,
            CoreError::Internal(_) | CoreError::Dictionary(_) => ErrorCode::Internal,
        }
    }

    /// The translation provider an error concerns, if any.
    pub fn provider(&self) -> Option<&str> {
        match self {
            CoreError::Translate(t) => t.provider.as_deref(),
            _ => None,
        }
    }

    /// The failure as the UI and streamed progress carry it.
    pub fn to_failure(&self) -> Failure {
        Failure {
            code: self.code(),
            message: self.to_string(),
            provider: self.provider().map(str::to_string),
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

    pub(crate) fn fetch(url: &str, source: duizhao_feed::FetchError) -> Self {
        CoreError::Fetch {
            url: url.to_string(),
            source,
        }
    }
}

/// SQLite's errors, with "gave up waiting for another process" told apart: it has its own
/// message and code, so a script or the reader knows to try again rather than to worry.
impl From<rusqlite::Error> for CoreError {
    fn from(e: rusqlite::Error) -> Self {
        if is_busy(&e) {
            CoreError::Busy
        } else {
            CoreError::Database(e)
        }
    }
}

/// Whether SQLite gave up waiting for another connection (the app and `dz` on one library).
fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

fn translate_code(kind: &duizhao_translate::ErrorKind) -> ErrorCode {
    use duizhao_translate::ErrorKind as K;
    match kind {
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

fn sync_code(e: &duizhao_sync::SyncError) -> ErrorCode {
    use duizhao_sync::SyncError as S;
    match e {
        S::Auth | S::TokenExpired => ErrorCode::SyncAuth,
        S::Unreachable(_) | S::Server { .. } | S::Protocol(_) | S::TooLarge { .. } => {
            ErrorCode::SyncServer
        }
        S::Unsupported(_) => ErrorCode::Unsupported,
        S::Rejected(_) | S::Config(_) => ErrorCode::InvalidInput,
    }
}

impl From<CoreError> for Failure {
    fn from(e: CoreError) -> Self {
        e.to_failure()
    }
}

/// Result alias for the core.
pub type Result<T, E = CoreError> = std::result::Result<T, E>;
