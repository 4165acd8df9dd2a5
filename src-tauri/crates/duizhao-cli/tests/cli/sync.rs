//! `dz account`, `dz sync` and `dz read/unread/star/unstar` against the sync crate's loopback
//! Google Reader server: the password only from DUIZHAO_SYNC_PASSWORD and never written to the
//! library, a JSON summary, changes made here reaching the server at the next sync.

use std::path::Path;
use std::process::{Command, Output};

use crate::{fails_with, json};

#[allow(dead_code)]
#[path = "../../../duizhao-sync/tests/it/greader_server.rs"]
mod greader_server;

use greader_server::{Dialect, GReaderServer, item_id};

const PASSWORD: &str = "correct horse";

/// The server on a runtime of its own, kept alive with it.
fn server(dialect: Dialect, items: usize) -> (tokio::runtime::Runtime, GReaderServer) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let server = rt.block_on(GReaderServer::start(dialect, items));
    (rt, server)
}

/// `dz` with the sync password in the environment (or none).
fn dz(dir: &Path, password: Option<&str>, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dz"));
    cmd.arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("DUIZHAO_DATA_DIR")
        .env_remove("DUIZHAO_SYNC_PASSWORD")
        // No proxy between dz and the loopback server.
        .env("NO_PROXY", "127.0.0.1");
    if let Some(p) = password {
        cmd.env("DUIZHAO_SYNC_PASSWORD", p);
    }
    cmd.output().expect("dz runs")
}

/// Every byte under `dir` (the database, its WAL, config.toml), to look for the password.
fn all_bytes(dir: &Path) -> Vec<u8> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            out.extend(std::fs::read(&path).unwrap());
        }
    }
    out
}

#[test]
fn an_account_syncs_and_sends_what_was_read_and_starred_here() {
    let (_rt, server) = server(Dialect::FreshRss, 12);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();

    let added = json(&dz(
        d,
        Some(PASSWORD),
        &["account", "add", "greader", &server.url, "--user", "alice"],
    ));
    assert_eq!(added["kind"], "greader");
    assert_eq!(added["user"], "alice");
    let listed = json(&dz(d, None, &["account", "list", "--json"]));
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert!(
        !listed.to_string().contains(PASSWORD),
        "the account list never shows the password"
    );

    let summary = json(&dz(d, Some(PASSWORD), &["sync"]));
    assert_eq!(summary["new"], 12, "{summary}");
    assert_eq!(
        (summary["sent"].clone(), summary["failed"].clone()),
        (0.into(), 0.into())
    );
    let articles = json(&dz(d, None, &["list", "--json"]));
    let id_of = |title: &str| -> String {
        articles
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["title"] == title)
            .unwrap_or_else(|| panic!("{title} listed"))["id"]
            .to_string()
    };
    let (one, two) = (id_of("Item 1"), id_of("Item 2"));
    assert_eq!(json(&dz(d, None, &["read", &one]))["read"], true);
    assert_eq!(json(&dz(d, None, &["star", &two]))["starred"], true);
    let pending = json(&dz(d, None, &["account", "list", "--json"]))[0]["pending"].clone();
    assert_eq!(pending, 2, "both changes wait for the next sync");

    let summary = json(&dz(d, Some(PASSWORD), &["sync"]));
    assert_eq!(summary["sent"], 2, "{summary}");
    let (read, starred) = server.with(|s| {
        (
            s.items[&item_id(Dialect::FreshRss, 1)].read,
            s.items[&item_id(Dialect::FreshRss, 2)].starred,
        )
    });
    assert!(read && starred, "what was done here reached the server");

    let haystack = all_bytes(d);
    assert!(
        !haystack
            .windows(PASSWORD.len())
            .any(|w| w == PASSWORD.as_bytes()),
        "the sync password is never written into the library folder"
    );

    let removed = json(&dz(d, None, &["account", "remove"]));
    assert_eq!(removed["url"], server.url.as_str());
    assert_eq!(
        json(&dz(d, None, &["account", "list", "--json"])),
        serde_json::json!([])
    );
    fails_with(&dz(d, Some(PASSWORD), &["sync"]), "no sync account");
}

#[test]
fn a_wrong_or_missing_password_is_one_clear_line_and_nothing_is_saved() {
    let (_rt, server) = server(Dialect::Miniflux, 3);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let add = [
        "account",
        "add",
        "greader",
        server.url.as_str(),
        "--user",
        "alice",
    ];
    fails_with(
        &dz(d, Some("nope"), &add),
        "rejected the user name or password",
    );
    fails_with(&dz(d, None, &add), "DUIZHAO_SYNC_PASSWORD");
    fails_with(
        &dz(
            d,
            Some(PASSWORD),
            &[
                "account",
                "add",
                "greader",
                "http://rss.example.org/",
                "--user",
                "alice",
            ],
        ),
        "plain HTTP",
    );
    assert_eq!(
        json(&dz(d, None, &["account", "list", "--json"])),
        serde_json::json!([])
    );
}

#[test]
fn feed_edits_and_mark_all_read_made_with_dz_reach_the_server() {
    let (_rt, server) = server(Dialect::Miniflux, 12);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    json(&dz(
        d,
        Some(PASSWORD),
        &["account", "add", "greader", &server.url, "--user", "alice"],
    ));
    json(&dz(d, Some(PASSWORD), &["sync"]));
    let feeds = json(&dz(d, None, &["feed", "list", "--json"]));
    let feed_id = |title: &str| -> String {
        feeds
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["title"] == title)
            .unwrap_or_else(|| panic!("{title} listed"))["id"]
            .to_string()
    };
    let renamed = json(&dz(
        d,
        None,
        &["feed", "set", &feed_id("News"), "--title", "Nachrichten"],
    ));
    assert_eq!(renamed["title"], "Nachrichten");
    json(&dz(
        d,
        None,
        &["feed", "set", &feed_id("Tech"), "--folder", "Reading"],
    ));
    json(&dz(d, None, &["feed", "remove", &feed_id("Blog")]));
    let marked = json(&dz(d, None, &["read", "--folder", "Reading"]));
    assert!(marked["marked"].as_u64().unwrap() > 0, "{marked}");
    fails_with(
        &dz(d, None, &["feed", "set", &feed_id("Tech"), "--no-folder"]),
        "keep every feed in a folder",
    );
    let pending = json(&dz(d, None, &["account", "list", "--json"]))[0]["pending"].clone();
    assert_eq!(pending, 4, "rename, move, unsubscribe, mark all read");
    assert_eq!(
        json(&dz(d, None, &["account", "interval", "0"]))["interval_min"],
        0
    );
    fails_with(
        &dz(d, None, &["account", "interval", "5000"]),
        "at most 1440 minutes",
    );

    let summary = json(&dz(d, Some(PASSWORD), &["sync"]));
    assert_eq!(
        (summary["sent"].clone(), summary["failed"].clone()),
        (4.into(), 0.into()),
        "{summary}"
    );
    server.with(|s| {
        assert_eq!(s.feeds[&1].title, "Nachrichten");
        assert_eq!(s.feeds[&2].folder, "Reading");
        assert!(!s.feeds.contains_key(&3), "unsubscribed");
        assert_eq!(s.requests_to("mark-all-as-read").len(), 1);
        assert!(
            s.items.values().filter(|i| i.feed == 2).all(|i| i.read),
            "the folder marked read on the server in one request"
        );
    });
}
