//! Use cases: what a reader can do with a library, one module per domain. Each adds methods
//! to [`crate::Library`] (quick database work, called directly or through
//! `LibraryHandle::with`/`run`) or to [`crate::LibraryHandle`] (anything that waits on the
//! network: the database is locked only for the short steps in between). A use case reads
//! and writes through `crate::store`, runs the pure `crate::services` in between, and never
//! holds SQL of its own.

pub mod account;
pub mod articles;
pub mod auto_translate;
pub mod export;
pub mod feeds;
mod fetch;
pub mod glossary;
pub mod images;
pub mod ingest_document;
pub mod languages;
pub mod opml;
pub mod providers;
pub mod refresh;
pub mod save_page;
pub mod search;
pub mod settings;
pub mod startup;
pub mod sync;
pub mod translation;
pub mod vocabulary;
