//! `dz feed set --auto-translate` and `dz refresh` translating the new articles of such feeds,
//! against one loopback server that serves two feeds and answers as Microsoft Edge's keyless
//! translator (the default chain `dz translate` uses when no provider is given; Google's
//! keyless endpoint, next in the chain, is pointed at the same server).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use axum::Router;
use axum::extract::RawQuery;
use axum::http::StatusCode;
use axum::routing::{get, post};
use serde_json::{Value, json};

use crate::fixture::Server;
use crate::{dz, fails_with, json};

fn feed(name: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>{name}</title>\
         <item><title>經濟新聞 {name} 一</title><guid>{name}1</guid><pubDate>01 Jan 2024 10:00:00 GMT</pubDate>\
         <description><![CDATA[<p>臺灣經濟成長第一季。</p>]]></description></item>\
         <item><title>經濟新聞 {name} 二</title><guid>{name}2</guid><pubDate>02 Jan 2024 10:00:00 GMT</pubDate>\
         <description><![CDATA[<p>臺灣經濟成長第二季。</p>]]></description></item>\
         </channel></rss>"
    )
}

/// `/a.xml`, `/b.xml`, and Edge's `POST /translate/translatetext?to=..` (a bare JSON array in,
/// the Translator v3 shape out: `[to] text`); everything answers 403 while `failing`.
fn server(failing: Arc<AtomicBool>, requests: Arc<AtomicUsize>) -> Server {
    let r2 = requests.clone();
    Server::start(
        Router::new()
            .route("/a.xml", get(|| async { feed("a") }))
            .route("/b.xml", get(|| async { feed("b") }))
            .route(
                "/translate/translatetext",
                post(
                    move |RawQuery(q): RawQuery,
                          axum::Json(texts): axum::Json<Vec<String>>| {
                        let (failing, requests) = (failing.clone(), requests.clone());
                        async move {
                            requests.fetch_add(1, Ordering::SeqCst);
                            if failing.load(Ordering::SeqCst) {
                                return (StatusCode::FORBIDDEN, axum::Json(json!({})));
                            }
                            let to = q
                                .unwrap_or_default()
                                .split('&')
                                .find_map(|kv| kv.strip_prefix("to=").map(str::to_string))
                                .unwrap_or_default();
                            let out: Vec<Value> = texts
                                .iter()
                                .map(|t| json!({"translations": [{"text": format!("[{to}] {t}"), "to": to}]}))
                                .collect();
                            (StatusCode::OK, axum::Json(Value::Array(out)))
                        }
                    },
                ),
            )
            .fallback(move || {
                let requests = r2.clone();
                async move {
                    requests.fetch_add(1, Ordering::SeqCst);
                    StatusCode::FORBIDDEN
                }
            }),
    )
}

/// Subscribes (without fetching) to `/a.xml` and `/b.xml`; returns their ids.
fn subscribe(dir: &std::path::Path, lib: &std::path::Path, url: &str) -> (String, String) {
    let opml = dir.join("subs.opml");
    std::fs::write(
        &opml,
        format!(
            "<opml version=\"2.0\"><body><outline text=\"A\" xmlUrl=\"{url}/a.xml\"/>\
             <outline text=\"B\" xmlUrl=\"{url}/b.xml\"/></body></opml>"
        ),
    )
    .unwrap();
    json(&dz(lib, &["opml", "import", opml.to_str().unwrap()]));
    for p in ["edge", "google-web"] {
        json(&dz(
            lib,
            &["provider", "set", p, &format!("endpoint={url}")],
        ));
    }
    let feeds = json(&dz(lib, &["feed", "list", "--json"]));
    let id = |name: &str| {
        feeds
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["url"].as_str().unwrap().ends_with(name))
            .unwrap()["id"]
            .to_string()
    };
    (id("/a.xml"), id("/b.xml"))
}

fn title_translations(lib: &std::path::Path, feed: &str) -> Vec<Value> {
    json(&dz(lib, &["list", "--feed", feed, "--json"]))
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let id = a["id"].to_string();
            json(&dz(lib, &["show", &id, "--json", "--to", "en"]))["title_translation"].clone()
        })
        .collect()
}

#[test]
fn refresh_translates_new_articles_of_auto_translating_feeds_only() {
    let (failing, requests) = (Arc::new(AtomicBool::new(false)), Arc::default());
    let server = server(failing, Arc::clone(&requests));
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    let (a, b) = subscribe(dir.path(), &lib, &server.url());

    fails_with(
        &dz(&lib, &["feed", "set", &a, "--auto-translate", "klingon"]),
        "auto-translate takes one of en, zh-Hans",
    );
    let feed = json(&dz(&lib, &["feed", "set", &a, "--auto-translate", "EN"]));
    assert_eq!(feed["auto_translate"], "en", "{feed}");

    let out = dz(&lib, &["refresh"]);
    let summary = json(&out);
    assert_eq!(summary["new_articles"], 4, "{summary}");
    assert_eq!(summary["translated"], 2, "{summary}");
    assert_eq!(summary["translation_failures"], json!([]));
    assert!(
        out.stdout.ends_with(b"\n")
            && !String::from_utf8_lossy(&out.stdout).contains("translating")
    );
    for t in title_translations(&lib, &a) {
        let t = t.as_str().expect("translated title");
        assert!(t.starts_with("[en] 經濟新聞 a"), "{t}");
    }
    assert!(
        title_translations(&lib, &b).iter().all(Value::is_null),
        "feed b does not auto-translate"
    );

    // Nothing new: nothing translated, nothing asked. `off` turns it off.
    let before = requests.load(Ordering::SeqCst);
    assert_eq!(json(&dz(&lib, &["refresh"]))["translated"], 0);
    assert_eq!(requests.load(Ordering::SeqCst), before);
    let feed = json(&dz(&lib, &["feed", "set", &a, "--auto-translate", "off"]));
    assert_eq!(feed["auto_translate"], Value::Null);
}

#[test]
fn a_failing_translator_leaves_the_refresh_and_its_articles_intact() {
    let failing = Arc::new(AtomicBool::new(true));
    let server = server(failing.clone(), Arc::default());
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    let (a, _) = subscribe(dir.path(), &lib, &server.url());
    json(&dz(&lib, &["feed", "set", &a, "--auto-translate", "en"]));

    let out = dz(&lib, &["refresh"]);
    let summary = json(&out);
    assert_eq!(
        (
            &summary["feeds"],
            &summary["new_articles"],
            &summary["failed"]
        ),
        (&json!(2), &json!(4), &json!([])),
        "{summary}"
    );
    assert_eq!(summary["translated"], 0);
    let failures = summary["translation_failures"].as_array().unwrap();
    assert_eq!(failures.len(), 2, "{summary}");
    let a_id: i64 = a.parse().unwrap();
    assert!(failures.iter().all(|f| f["feed_id"] == a_id));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not translated"), "{stderr}");
    assert_eq!(
        json(&dz(&lib, &["list", "--feed", &a, "--json"]))
            .as_array()
            .unwrap()
            .len(),
        2,
        "the articles stay"
    );

    // The translator is back: the next refresh (nothing new) translates what failed.
    failing.store(false, Ordering::SeqCst);
    let summary = json(&dz(&lib, &["refresh"]));
    assert_eq!(
        (&summary["new_articles"], &summary["translated"]),
        (&json!(0), &json!(2))
    );
    assert!(title_translations(&lib, &a).iter().all(Value::is_string));
}
