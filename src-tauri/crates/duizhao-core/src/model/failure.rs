//! Failures as the UI and scripts see them: a stable machine code, one line for people, and
//! the provider concerned. The same shape answers a failed command and travels in streamed
//! progress (a feed that failed in a refresh, an article auto-translation gave up on), so the
//! UI offers the same action either way (open the provider's settings, retry, check the URL).

use serde::{Deserialize, Serialize};

/// A stable, serialisable classification of a failure for the UI and scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// A requested article, feed, glossary entry or file does not exist.
    NotFound,
    /// Input was read but is not something Duizhao can import.
    NotAnArticle,
    /// The database file is damaged or is not a Duizhao database.
    CorruptDatabase,
    /// The library was written by a newer Duizhao: update the app.
    SchemaTooNew,
    /// Another program holds the library for longer than we wait: try again.
    Busy,
    /// The database refused an operation for another reason.
    Database,
    /// Reading or writing a file failed.
    Io,
    /// An argument was invalid (unknown option value, value out of range, …).
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
    /// The system keyring could not be used (use the environment variable instead).
    Keyring,
    /// The user cancelled.
    Cancelled,
    /// The sync server rejected the user name, password or session: check the account.
    SyncAuth,
    /// The sync server could not be reached or answered with an error or garbage: try later.
    SyncServer,
    /// A bug or a failure of the machine (a worker thread died, a zip could not be written).
    Internal,
}

/// One failure: `{code, message, provider?}`, what commands reject with and what streamed
/// progress carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Failure {
    /// What kind of failure, for the UI to branch on.
    pub code: ErrorCode,
    /// One line for the reader; never contains a key.
    pub message: String,
    /// The translation provider concerned, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub provider: Option<String>,
}
