//! Settings → Sync through the real command table: the account round trip (the password never
//! comes back), "sync now" with its progress channel, read/star in the reader queued for the
//! server, typed errors. Against the sync crate's loopback Google Reader server.
//!
//! A test binary of its own: it sets `DUIZHAO_SYNC_PASSWORD` (no keyring on a test machine),
//! which must not happen while other tests' threads read the environment.

use serde_json::{Value, json};

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
    let one = articles
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Item 1")
        .unwrap()["id"]
        .clone();
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

    invoke(&webview, "remove_sync_account", json!({})).unwrap();
    let err = invoke(&webview, "sync_now", json!({"onProgress": "__CHANNEL__:9"})).unwrap_err();
    assert_eq!(err["code"], "not_found", "no account: {err}");
}
