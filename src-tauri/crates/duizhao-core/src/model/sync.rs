//! Sync with the reader's own feed server (FreshRSS, Miniflux, Fever servers): the account as
//! the settings page and `dz account list` show it, and what a sync reports as it goes and
//! when it ends. The password is never part of any of these.

use serde::{Deserialize, Serialize};

use super::failure::Failure;

/// The sync account (there is at most one), without its password.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SyncAccount {
    /// `greader` (Google Reader API: FreshRSS, Miniflux) or `fever`.
    pub kind: String,
    /// The server's API base (Google Reader) or endpoint (Fever).
    pub url: String,
    /// The user name.
    pub user: String,
    /// When the last sync ended, RFC 3339.
    pub last_sync: Option<String>,
    /// What the last sync that got through did.
    pub last_result: Option<SyncSummary>,
    /// Why the last sync failed (`None` when it succeeded).
    pub last_error: Option<Failure>,
    /// Changes made here that wait for the next sync.
    pub pending: u32,
    /// The app syncs on its own at start and every this many minutes, and shortly after
    /// changes made here; 0 = only when asked.
    pub interval_min: u32,
}

/// What a sync did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SyncSummary {
    /// Articles added from the server.
    pub new: u32,
    /// Articles whose read or starred state the server changed.
    pub updated: u32,
    /// Queued changes the server acknowledged.
    pub sent: u32,
    /// Queued changes the server did not take; they stay queued for the next sync.
    pub failed: u32,
    /// Items the server listed but no longer had when asked for them.
    pub missing: u32,
    /// The server's subscriptions (local feeds with a server id).
    pub feeds: u32,
    /// Why the queued changes could not be sent, when they could not.
    pub send_error: Option<Failure>,
}

/// Where a sync is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum SyncPhase {
    /// Signing in.
    SigningIn,
    /// Sending the changes queued here.
    Sending,
    /// Reading folders and subscriptions.
    Feeds,
    /// Reading the unread and starred id sets.
    States,
    /// Fetching and storing new items.
    Items,
    /// Done.
    Done,
}

/// One step of a sync, streamed to the UI's progress bar and `dz sync`'s stderr.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SyncProgress {
    /// The phase.
    pub phase: SyncPhase,
    /// Items handled so far in this phase.
    pub done: u32,
    /// How many there are, when known.
    pub total: Option<u32>,
    /// Articles added so far.
    pub new: u32,
}

/// Which articles "mark all as read" covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ReadScope {
    /// Every article.
    All,
    /// One feed, by id.
    Feed(i64),
    /// The folder of this name.
    Folder(String),
}
