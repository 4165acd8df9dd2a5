//! The core's sync against real HTTP servers on 127.0.0.1: the sync crate's loopback Google
//! Reader server (FreshRSS and Miniflux dialects) and Fever server, included from its tests as
//! its benchmark does. Accounts, the offline queue, reconciliation of the full id sets, items
//! through the ingest pipeline, and faults that must lose nothing.

#[allow(dead_code)]
#[path = "../../../duizhao-sync/tests/it/greader_server.rs"]
mod greader_server;

#[allow(dead_code)]
#[path = "../../../duizhao-sync/tests/it/fever_server.rs"]
mod fever_server;

mod edits;
mod faults;
mod fever;
mod greader;

use std::time::Duration;

use duizhao_core::{Library, LibraryHandle, ListFilter, SyncProgress, SyncSummary};
use duizhao_sync::HttpOptions;

/// Bounded and fast: retries back off in milliseconds so fault tests stay quick.
pub fn http_fast() -> HttpOptions {
    HttpOptions {
        connect_timeout: Duration::from_secs(2),
        timeout: Duration::from_secs(10),
        idle_timeout: Duration::from_secs(5),
        retries: 2,
        backoff_base: Duration::from_millis(5),
        backoff_max: Duration::from_millis(20),
        max_retry_after: Duration::from_secs(1),
        use_env_proxy: false,
        ..HttpOptions::default()
    }
}

/// An in-memory library (its password stays in memory: no keyring in tests).
pub fn library() -> LibraryHandle {
    let handle = LibraryHandle::new(Library::open_in_memory().unwrap());
    // No picture downloads: the fixture items have none, and nothing may leave loopback.
    handle
        .with(|lib| {
            let mut s = lib.feed_settings()?;
            s.download_images = false;
            lib.set_feed_settings(&s)
        })
        .unwrap();
    handle
}

/// A library with an account on a new loopback Google Reader server holding `items` items.
pub async fn greader_account(
    dialect: greader_server::Dialect,
    items: usize,
) -> (greader_server::GReaderServer, LibraryHandle) {
    let server = greader_server::GReaderServer::start(dialect, items).await;
    let lib = library();
    lib.add_sync_account_with(
        "greader",
        &server.url,
        "alice",
        Some("correct horse"),
        http_fast(),
    )
    .await
    .unwrap();
    (server, lib)
}

/// Syncs, collecting the progress steps.
pub async fn sync(
    lib: &LibraryHandle,
) -> (
    Result<SyncSummary, duizhao_core::CoreError>,
    Vec<SyncProgress>,
) {
    let mut steps = Vec::new();
    let result = lib.sync_with(http_fast(), |p| steps.push(p)).await;
    (result, steps)
}

/// Server id → (read, starred) of every synced article, through the public listing.
pub fn local_state(lib: &LibraryHandle) -> std::collections::BTreeMap<String, (bool, bool)> {
    lib.with(|l| {
        let list = l.list(&ListFilter::default())?;
        Ok(list
            .into_iter()
            .map(|a| (a.title, (a.read, a.starred)))
            .collect())
    })
    .unwrap()
}

/// The local article id of the fixture item titled `title`.
pub fn article_id(lib: &LibraryHandle, title: &str) -> i64 {
    lib.with(|l| l.list(&ListFilter::default()))
        .unwrap()
        .into_iter()
        .find(|a| a.title == title)
        .unwrap_or_else(|| panic!("{title} is stored"))
        .id
}
