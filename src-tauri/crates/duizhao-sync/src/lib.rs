//! Duizhao's sync protocol layer: clients for the reader's own feed server, behind one
//! service-neutral trait ([`SyncService`]), so the core can store the server's items, queue
//! offline changes and reconcile read/starred state without knowing which protocol is spoken.
//!
//! - [`greader::GReaderClient`]: the Google Reader API as FreshRSS and Miniflux serve it.
//! - [`fever::FeverClient`]: the Fever API.
//!
//! ```no_run
//! # async fn demo() -> Result<(), duizhao_sync::SyncError> {
//! use duizhao_sync::{AccountSettings, HttpOptions, Secret, ServiceKind, connect};
//! let account = AccountSettings {
//!     kind: ServiceKind::GoogleReader,
//!     url: "https://rss.example.org/api/greader.php".into(),
//!     user: "alice".into(),
//! };
//! let service = connect(&account, Secret::new("app password"), HttpOptions::default())?;
//! service.login().await?;
//! let unread = service.unread_ids().await?;
//! # let _ = unread; Ok(()) }
//! ```
//!
//! No SQLite and no core types here: the crate only speaks the protocols, bounded and typed
//! ([`SyncError`]); passwords and tokens are [`Secret`]s that never print.

mod error;
pub mod fever;
pub mod greader;
mod http;
mod model;
mod secret;

pub use error::SyncError;
pub use http::{HttpOptions, USER_AGENT};
pub use model::{
    Batch, FetchSummary, Folder, Item, ItemId, MarkScope, OnBatch, RecentQuery, ServiceKind,
    Subscribed, Subscription, SyncService,
};
pub use secret::Secret;

/// What identifies an account (everything but the password, which lives in the keyring).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountSettings {
    /// The protocol.
    pub kind: ServiceKind,
    /// Google Reader: the API base (FreshRSS `https://host/api/greader.php`, Miniflux
    /// `https://host`); Fever: the endpoint.
    pub url: String,
    /// The user name (FreshRSS: the user; Miniflux: the Google Reader / Fever user set in its
    /// integrations page; coldsweat: the e-mail address).
    pub user: String,
}

/// A client for `account`, with default batch sizes. Nothing is sent until the first call.
pub fn connect(
    account: &AccountSettings,
    password: Secret,
    http: HttpOptions,
) -> Result<Box<dyn SyncService>, SyncError> {
    Ok(match account.kind {
        ServiceKind::GoogleReader => Box::new(greader::GReaderClient::new(
            &account.url,
            &account.user,
            password,
            http,
            greader::GReaderOptions::default(),
        )?),
        ServiceKind::Fever => Box::new(fever::FeverClient::new(
            &account.url,
            &account.user,
            password,
            http,
            fever::FeverOptions::default(),
        )?),
    })
}
