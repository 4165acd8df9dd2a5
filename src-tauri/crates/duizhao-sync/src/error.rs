//! What can go wrong talking to a sync server, typed so the UI can act on it: ask for the
//! password again ([`SyncError::Auth`]), say the server is down and retry later
//! ([`SyncError::Unreachable`], [`SyncError::Server`]), report a server that does not speak the
//! protocol ([`SyncError::Protocol`]) or hide a button ([`SyncError::Unsupported`]).
//!
//! Messages never contain a password, token or API key: they are built from fixed text, HTTP
//! statuses and transport errors stripped of URLs, and anything a server said is redacted.

use std::time::Duration;

/// Why a sync operation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyncError {
    /// The server rejected the user name or password (ClientLogin refused, Fever `auth: 0`).
    #[error("the server rejected the user name or password")]
    Auth,
    /// The session was refused even after signing in again and fetching a new write token
    /// (the one re-login and retry did not help).
    #[error("the server keeps refusing the session after signing in again")]
    TokenExpired,
    /// No usable answer: connection refused or closed, DNS failure, timeout.
    #[error("cannot reach the server: {0}")]
    Unreachable(String),
    /// The server answered with an error status (after the retries that were safe).
    #[error("the server answered HTTP {status}{}", retry_after.map(|d| format!(" (retry after {}s)", d.as_secs())).unwrap_or_default())]
    Server {
        /// The HTTP status.
        status: u16,
        /// How long the server asked us to wait, when it said (429/503 `Retry-After`).
        retry_after: Option<Duration>,
    },
    /// The answer was not what the protocol says (garbage JSON, unexpected shape, a write not
    /// acknowledged): a short description without any key or body excerpt.
    #[error("unexpected answer from the server: {0}")]
    Protocol(String),
    /// An answer was larger than the configured limit.
    #[error("an answer from the server was larger than the {limit}-byte limit")]
    TooLarge {
        /// The limit in force.
        limit: usize,
    },
    /// This service's API cannot do that (Fever has no subscription editing).
    #[error("{0} is not possible with this server's API")]
    Unsupported(&'static str),
    /// The server understood but refused this request (no feed at a subscribed address, an
    /// unknown subscription).
    #[error("the server refused: {0}")]
    Rejected(String),
    /// The account settings are unusable (not an http(s) URL, a redirect to another address).
    #[error("invalid account settings: {0}")]
    Config(String),
}

impl SyncError {
    /// Whether trying again later may succeed without the user changing anything.
    pub fn is_transient(&self) -> bool {
        match self {
            SyncError::Unreachable(_) => true,
            SyncError::Server { status, .. } => *status == 429 || *status >= 500,
            _ => false,
        }
    }
}
