//! Duizhao's translation layer: eight providers behind one [`Provider`] trait, and an
//! [`Engine`] that batches, caches, retries, falls back and streams progress. No Tauri and no
//! SQLite: the core implements [`TranslationMemory`] on its database and calls
//! [`Engine::translate`]; the app and the `dz` CLI go through the core.
//!
//! ```no_run
//! # async fn demo() -> Result<(), duizhao_translate::TranslateError> {
//! use std::sync::Arc;
//! use duizhao_translate::*;
//! let cfg = ProviderConfig::new(); // from config.toml
//! let key = DefaultSecrets.get("deepl"); // env wins over the keyring
//! let chain = vec![
//!     providers::build("deepl", &cfg, key, &HttpOptions::default())?,
//!     providers::build("edge", &ProviderConfig::new(), None, &HttpOptions::default())?,
//! ];
//! let engine = Engine::new(chain).with_memory(Arc::new(InMemoryTm::new()));
//! let job = Job {
//!     segments: vec![Segment::new("b1", "Hello, world.")],
//!     target: "zh-Hant".into(),
//!     ..Job::default()
//! };
//! let out = engine
//!     .translate(&job, &|p: Progress| println!("{}/{}", p.done, p.total), &CancellationToken::new())
//!     .await?;
//! assert_eq!(out.target, "zh"); // convert to Traditional locally
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

pub mod config;
pub mod endpoint;
pub mod engine;
pub mod error;
pub mod glossary;
mod http;
pub mod lang;
pub mod providers;
pub mod secret;
pub mod tm;

pub use config::{FieldKind, FieldSpec, HttpOptions, Limits, ProviderConfig};
pub use endpoint::{KeyDestination, key_destination, same_key_destination};
pub use engine::{Engine, EngineOptions, Job, Origin, Outcome, Progress, Segment, Translated};
pub use error::{ErrorKind, TranslateError};
pub use glossary::GlossaryTerm;
pub use providers::{BatchRequest, Provider, ProviderInfo};
#[cfg(feature = "keyring")]
pub use secret::KeyringSecrets;
pub use secret::{DefaultSecrets, EnvSecrets, Secret, SecretSource};
pub use tm::{BoxFuture, InMemoryTm, TmError, TmKey, TranslationMemory};
/// Re-exported so callers need not depend on `tokio-util` to cancel a job.
pub use tokio_util::sync::CancellationToken;
