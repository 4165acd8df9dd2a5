//! Duizhao's core: everything the reader does, with no user interface attached.
//!
//! The desktop app (`duizhao-app`) and the command line (`dz`) are two thin faces over
//! [`Library`]; keeping all behaviour here means both faces behave the same and the whole
//! product can be tested without a webview.

pub mod auto_translate;
pub mod error;
pub mod export;
pub mod feeds;
pub mod handle;
pub mod hash;
pub mod import;
pub mod ingest;
pub mod lang;
pub mod library;
pub mod model;
pub mod store;
pub mod subscription;
pub mod translation;
pub mod view;

pub use duizhao_zh as zh;
pub use error::{CoreError, ErrorCode};
pub use handle::LibraryHandle;
pub use library::{ImportOutcome, Library, ListFilter, default_data_dir};
pub use model::{Article, ArticleSummary, Block, BlockKind};
pub use view::{ScriptChoice, ViewMode, ViewOptions};
