//! `dz feed set`, `dz feed remove` and `dz settings` as a script sees them: JSON on stdout,
//! one-line errors that change nothing, and cleaning rules that really apply at the next
//! refresh of a loopback feed.

use axum::Router;
use axum::routing::get;
use serde_json::{Value, json};

use crate::fixture::Server;
use crate::{dz, fails_with, json};

/// A feed whose item carries a share bar and an aside around its text.
fn cluttered_server() -> Server {
    Server::start(Router::new().route(
        "/feed.xml",
        get(|| async {
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>臺灣新聞</title>\
             <item><title>經濟新聞</title><link>https://example.com/1</link><guid>1</guid>\
             <description><![CDATA[<p>臺灣經濟成長。</p><div class=\"share\">Share this</div><aside>Advert</aside>]]></description>\
             </item></channel></rss>"
        }),
    ))
}

/// Subscribes `lib` to `url` through OPML (no fetch yet) and returns the feed id.
fn subscribe_unfetched(dir: &std::path::Path, lib: &std::path::Path, url: &str) -> String {
    let opml = dir.join("subs.opml");
    std::fs::write(
        &opml,
        format!("<opml version=\"2.0\"><body><outline text=\"T\" xmlUrl=\"{url}\"/></body></opml>"),
    )
    .unwrap();
    json(&dz(lib, &["opml", "import", opml.to_str().unwrap()]));
    json(&dz(lib, &["feed", "list", "--json"]))[0]["id"]
        .as_i64()
        .unwrap()
        .to_string()
}

fn article_text(lib: &std::path::Path, feed: &str) -> String {
    let list = json(&dz(lib, &["list", "--feed", feed, "--json"]));
    let id = list[0]["id"].as_i64().expect("an article").to_string();
    json(&dz(lib, &["show", &id, "--json"]))["blocks"].to_string()
}

#[test]
fn feed_set_renames_moves_and_its_rules_apply_at_the_next_refresh() {
    let server = cluttered_server();
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    let id = subscribe_unfetched(dir.path(), &lib, &format!("{}/feed.xml", server.url()));

    let feed = json(&dz(
        &lib,
        &[
            "feed",
            "set",
            &id,
            "--title",
            "My news",
            "--folder",
            "臺灣",
            "--full-text",
            "off",
            "--interval",
            "30",
            "--remove",
            ".share",
            "--remove",
            "aside",
        ],
    ));
    assert_eq!(
        (&feed["title"], &feed["folder"], &feed["full_text"]),
        (&json!("My news"), &json!("臺灣"), &json!(false)),
        "{feed}"
    );
    json(&dz(&lib, &["refresh"]));
    let text = article_text(&lib, &id);
    assert!(text.contains("臺灣經濟成長"), "{text}");
    assert!(
        !text.contains("Share this") && !text.contains("Advert"),
        "the feed's rules removed its clutter: {text}"
    );
    let listed = json(&dz(&lib, &["feed", "list", "--json"]));
    assert_eq!(
        listed[0]["title"], "My news",
        "a refresh keeps the reader's title"
    );

    // Refused changes are one line each and change nothing, not even the valid parts.
    for (args, needle) in [
        (
            vec!["--title", "Other", "--interval", "2"],
            "between 5 and 10080 minutes",
        ),
        (
            vec!["--interval", "soon"],
            "--interval takes minutes or `default`",
        ),
        (vec!["--remove", "[[x"], "is not a CSS selector"),
        (vec!["--full-text", "maybe"], "--full-text is on or off"),
        (vec!["--folder", "A", "--no-folder"], "cannot be used with"),
    ] {
        let mut all = vec!["feed", "set", id.as_str()];
        all.extend(args);
        fails_with(&dz(&lib, &all), needle);
    }
    fails_with(
        &dz(&lib, &["feed", "set", "999", "--title", "x"]),
        "no feed with id 999",
    );
    assert_eq!(json(&dz(&lib, &["feed", "list", "--json"])), listed);

    // Back to the defaults: top level, the feed's own title (taken at the next refresh).
    let feed = json(&dz(
        &lib,
        &[
            "feed",
            "set",
            &id,
            "--no-folder",
            "--title",
            "",
            "--interval",
            "default",
            "--clear-rules",
        ],
    ));
    assert_eq!(feed["folder"], Value::Null);
    json(&dz(&lib, &["refresh"]));
    assert_eq!(
        json(&dz(&lib, &["feed", "list", "--json"]))[0]["title"],
        "臺灣新聞"
    );
}

#[test]
fn feed_remove_unsubscribes_with_the_articles_and_prints_what_went() {
    let server = cluttered_server();
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    let feed = json(&dz(
        &lib,
        &["feed", "add", &format!("{}/feed.xml", server.url())],
    ));
    let id = feed["id"].as_i64().unwrap().to_string();
    assert_eq!(
        json(&dz(&lib, &["list", "--json"]))
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let removed = json(&dz(&lib, &["feed", "remove", &id]));
    assert_eq!(
        (&removed["id"], &removed["total"]),
        (&feed["id"], &json!(1))
    );
    assert_eq!(json(&dz(&lib, &["feed", "list", "--json"])), json!([]));
    assert_eq!(
        json(&dz(&lib, &["list", "--json"])),
        json!([]),
        "its articles went with it"
    );
    fails_with(
        &dz(&lib, &["feed", "remove", &id]),
        &format!("no feed with id {id}"),
    );
}

#[test]
fn settings_print_and_change_with_ranges_checked_and_nothing_half_saved() {
    let dir = tempfile::tempdir().unwrap();
    let shown = json(&dz(dir.path(), &["settings"]));
    assert_eq!(
        (
            &shown["interval_min"],
            &shown["retention_days"],
            &shown["download_images"],
            &shown["concurrency"]
        ),
        (&json!(60), &Value::Null, &json!(true), &json!(4)),
        "{shown}"
    );
    let set = json(&dz(
        dir.path(),
        &[
            "settings",
            "interval_min=30",
            "retention_days=14",
            "download_images=off",
            "concurrency=2",
        ],
    ));
    assert_eq!(
        (
            &set["interval_min"],
            &set["retention_days"],
            &set["download_images"],
            &set["concurrency"]
        ),
        (&json!(30), &json!(14), &json!(false), &json!(2))
    );
    assert_eq!(json(&dz(dir.path(), &["settings"])), set, "stored");
    assert_eq!(
        json(&dz(dir.path(), &["settings", "retention_days=none"]))["retention_days"],
        Value::Null
    );

    for (args, needle) in [
        (
            vec!["interval_min=1"],
            "between 5 and 10080 minutes (got 1)",
        ),
        (vec!["concurrency=3", "interval_min=1"], "interval_min"),
        (
            vec!["retention_days=-3"],
            "retention_days must be between 1 and 3650 days",
        ),
        (vec!["concurrency=99"], "between 1 and 16"),
        (vec!["colour=red"], "unknown setting `colour`"),
        (vec!["interval_min"], "`interval_min` is not KEY=VALUE"),
        (
            vec!["download_images=maybe"],
            "download_images is on or off",
        ),
    ] {
        let mut all = vec!["settings"];
        all.extend(args);
        fails_with(&dz(dir.path(), &all), needle);
    }
    let after = json(&dz(dir.path(), &["settings"]));
    assert_eq!(
        after["concurrency"], 2,
        "a refused call saves none of its values"
    );
    assert_eq!(after["interval_min"], 30);
}
