//! Settings → Sync through the real command table: the account round trip (the password never
//! comes back), "sync now" with its progress channel, read/star in the reader queued for the
//! server, typed errors. Against the sync crate's loopback Google Reader server.
//!
//! A test binary of its own: it sets `DUIZHAO_SYNC_PASSWORD` (no keyring on a test machine),
//! which must not happen while other tests' threads read the environment.

use duizhao_core::services::sync_schedule::SyncDecision;
use serde_json::{Value, json};
use tauri::Manager;

#[allow(dead_code)]
#[path = "../app/harness.rs"]
mod harness;

use harness::{app, invoke};

#[allow(dead_code)]
#[path = "../../crates/duizhao-sync/tests/it/greader_server.rs"]
mod greader_server;

use greader_server::{Dialect, GReaderServer, item_id};

const PASSWORD: &str = "correct horse";

/// The server on a runtime of its own, kept alive with it.
fn server() -> (tokio::runtime::Runtime, GReaderServer) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let server = rt.block_on(GReaderServer::start(Dialect::FreshRss, 6));
    (rt, server)
}

#[test]
fn the_sync_settings_add_an_account_sync_and_send_what_the_reader_did() {
    // No keyring on a test machine: the password comes from the environment, as it would
    // for a reader who starts the app with it.
    // SAFETY: the only test of this binary, before it starts any thread.
    unsafe { std::env::set_var("DUIZHAO_SYNC_PASSWORD", PASSWORD) };
    let (_rt, server) = server();
    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app(dir.path());

    assert_eq!(
        invoke(&webview, "get_sync_account", json!({})).unwrap(),
        Value::Null
    );
    let err = invoke(
        &webview,
        "add_sync_account",
        json!({"kind": "miniflux", "url": server.url, "user": "alice", "password": null}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "invalid_input", "{err}");

    let account = invoke(
        &webview,
        "add_sync_account",
        json!({"kind": "greader", "url": server.url, "user": "alice", "password": null}),
    )
    .unwrap();
    assert_eq!(account["user"], "alice");
    assert!(
        !account.to_string().contains(PASSWORD),
        "the password never goes back to the webview"
    );

    let summary = invoke(&webview, "sync_now", json!({"onProgress": "__CHANNEL__:7"})).unwrap();
    assert_eq!(summary["new"], 6, "{summary}");
    assert_eq!(summary["feeds"], 3);
    let feeds = invoke(&webview, "list_feeds", json!({})).unwrap();
    let folders: Vec<&str> = feeds
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["folder"].as_str())
        .collect();
    assert_eq!(
        folders.len(),
        3,
        "the sidebar gets the server's folders: {feeds}"
    );

    let articles = invoke(&webview, "list_articles", json!({"filter": {}})).unwrap();
    let id_of = |title: &str| {
        articles
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["title"] == title)
            .unwrap_or_else(|| panic!("{title} is listed"))["id"]
            .clone()
    };
    let one = id_of("Item 1");
    invoke(&webview, "set_read", json!({"id": one, "value": true})).unwrap();
    let account = invoke(&webview, "get_sync_account", json!({})).unwrap();
    assert_eq!(
        account["pending"], 1,
        "reading in the app queues the change"
    );
    assert!(account["last_sync"].is_string() && account["last_error"].is_null());

    let summary = invoke(&webview, "sync_now", json!({"onProgress": "__CHANNEL__:8"})).unwrap();
    assert_eq!(summary["sent"], 1);
    assert!(server.with(|s| s.items[&item_id(Dialect::FreshRss, 1)].read));

    // The background schedule, stepped with an injected clock (no sleeping): "Sync now" just
    // ran, so nothing is due; a read in the reader makes a sync due shortly after; the sync
    // it starts sends it; an interval of 0 turns it off.
    let step = |now: i64| {
        tauri::async_runtime::block_on(duizhao_app::sync::sync_if_due(webview.app_handle(), now))
    };
    let now = duizhao_core::support::time::now_ms();
    assert!(
        matches!(step(now), SyncDecision::At(t) if t >= now + 29 * 60_000),
        "after a sync the next is an interval (30 minutes by default) away"
    );
    let two = id_of("Item 2");
    invoke(&webview, "set_starred", json!({"id": two, "value": true})).unwrap();
    let now = duizhao_core::support::time::now_ms();
    assert!(
        matches!(step(now), SyncDecision::At(t) if t <= now + 10_000),
        "a change is synced within seconds, not at the next interval"
    );
    assert!(!server.with(|s| s.items[&item_id(Dialect::FreshRss, 2)].starred));
    assert_eq!(step(now + 11_000), SyncDecision::Now);
    assert!(
        server.with(|s| s.items[&item_id(Dialect::FreshRss, 2)].starred),
        "the background sync sent the star"
    );
    let account = invoke(&webview, "get_sync_account", json!({})).unwrap();
    assert_eq!(account["pending"], 0);
    assert_eq!(account["interval_min"], 30);
    let account = invoke(&webview, "set_sync_interval", json!({"minutes": 0})).unwrap();
    assert_eq!(account["interval_min"], 0);
    assert_eq!(step(now + 86_400_000), SyncDecision::Idle, "0 = off");
    let err = invoke(&webview, "set_sync_interval", json!({"minutes": 100000})).unwrap_err();
    assert_eq!(err["code"], "invalid_input", "{err}");

    // "Mark all as read" in the app: one request for the whole library.
    invoke(&webview, "set_sync_interval", json!({"minutes": 30})).unwrap();
    let n = invoke(&webview, "mark_all_read", json!({"scope": "all"})).unwrap();
    assert!(n.as_u64().unwrap() > 0, "{n}");
    let summary = invoke(
        &webview,
        "sync_now",
        json!({"onProgress": "__CHANNEL__:10"}),
    )
    .unwrap();
    assert_eq!(summary["sent"], 1, "{summary}");
    assert!(server.with(|s| s.items.values().all(|i| i.read)));
    assert_eq!(server.with(|s| s.requests_to("mark-all-as-read").len()), 1);

    invoke(&webview, "remove_sync_account", json!({})).unwrap();
    let err = invoke(&webview, "sync_now", json!({"onProgress": "__CHANNEL__:9"})).unwrap_err();
    assert_eq!(err["code"], "not_found", "no account: {err}");
}
