//! Duizhao's core: everything the reader does, with no user interface attached.
//!
//! The desktop app (`duizhao-app`) and the command line (`dz`) are two thin faces over
//! [`Library`] and [`LibraryHandle`]; keeping all behaviour here means both faces behave the
//! same and the whole product can be tested without a webview.
//!
//! Layers, bottom to top; a module only uses the layers below it (`tests/layers.rs` checks):
//!
//! 1. `model` (every type the UI and CLI see), `support` (clock, files, escaping) and `error`;
//! 2. `store`: all SQL, one module per table, the connection private;
//! 3. `services`: pure functions (ingest, import, export rendering, script view, language);
//! 4. `library` and `handle`: the open library and the lock around it;
//! 5. `usecases`: what a reader can do, one module per domain, as methods of the two types.
//!
//! `docs/ARCHITECTURE.md` draws the data flow and says where to add a provider, a table, a
//! command or a UI panel.

pub mod error;
pub mod handle;
pub mod library;
pub mod model;
pub mod services;
pub mod store;
pub mod support;
pub mod usecases;

pub use duizhao_zh as zh;
pub use error::{CoreError, ErrorCode, Failure};
pub use handle::LibraryHandle;
pub use library::{DATA_DIR_ENV, DB_FILE, Library, default_data_dir};
pub use model::*;
pub use services::{import, ingest, lang};
pub use store::config::ProviderConfigs;
pub use usecases::refresh::AutoTranslate;
