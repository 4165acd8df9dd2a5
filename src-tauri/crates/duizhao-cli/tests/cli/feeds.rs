//! `dz feed add|list`, `refresh`, `save`, `search`, `export`, `opml import|export` as a script
//! sees them, against loopback feed servers; bad input as one-line errors; and a refresh
//! killed with SIGKILL half-way, which must leave a sound database.

use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::http::header;
use axum::routing::get;

use crate::fixture::Server;
use crate::{dz, export_html, fails_with, json};

/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];

fn feed_xml(host: &str, items: usize) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>臺灣新聞</title><link>https://example.com/</link>",
    );
    for i in 0..items {
        s.push_str(&format!(
            "<item><title>經濟新聞 {i}</title><link>https://example.com/{i}</link><guid>g{i}</guid><description><![CDATA[<p>臺灣經濟成長第 {i} 季。</p><img src=\"http://{host}/dot.png\" alt=\"圖\">]]></description></item>"
        ));
    }
    s.push_str("</channel></rss>");
    s
}

fn host_of(headers: &axum::http::HeaderMap) -> String {
    headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

fn news_server() -> Server {
    Server::start(
        Router::new()
            .route(
                "/feed.xml",
                get(|h: axum::http::HeaderMap| async move { feed_xml(&host_of(&h), 3) }),
            )
            .route("/dot.png", get(|| async { PNG }))
            .route(
                "/page.html",
                get(|| async {
                    (
                        [(header::CONTENT_TYPE, "text/html")],
                        "<html><body><p>No feed here.</p></body></html>",
                    )
                }),
            )
            .route(
                "/binary",
                get(|| async { ([(header::CONTENT_TYPE, "application/rss+xml")], PNG) }),
            )
            .route(
                "/loop",
                get(|| async { axum::response::Redirect::temporary("/loop") }),
            )
            .route(
                "/deep.html",
                get(|| async {
                    (
                        [(header::CONTENT_TYPE, "text/html")],
                        format!(
                            "<html><body>{}deep words{}</body></html>",
                            "<div>".repeat(30_000),
                            "</div>".repeat(30_000)
                        ),
                    )
                }),
            )
            .route(
                "/huge.xml",
                get(|| async {
                    let chunk = bytes::Bytes::from(vec![b' '; 1 << 20]);
                    let body = futures_util::stream::iter(
                        (0..100).map(move |_| Ok::<_, std::convert::Infallible>(chunk.clone())),
                    );
                    axum::body::Body::from_stream(body)
                }),
            ),
    )
}

#[test]
fn subscribe_refresh_search_export_and_opml_round_trip() {
    let server = news_server();
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    let feed = json(&dz(
        &lib,
        &[
            "feed",
            "add",
            &format!("{}/feed.xml", server.url()),
            "--folder",
            "臺灣",
        ],
    ));
    assert_eq!(feed["total"], 3, "dz feed add fetches at once");
    assert_eq!(feed["folder"], "臺灣");
    let feed_id = feed["id"].as_i64().unwrap().to_string();

    let list = json(&dz(&lib, &["feed", "list", "--json"]));
    assert_eq!(list[0]["unread"], 3);

    let summary = json(&dz(&lib, &["refresh"]));
    assert_eq!(summary["feeds"], 1);
    assert_eq!(
        summary["new_articles"], 0,
        "a second refresh adds no duplicates"
    );

    let articles = json(&dz(
        &lib,
        &["list", "--feed", &feed_id, "--unread", "--json"],
    ));
    assert_eq!(articles.as_array().unwrap().len(), 3);
    let id = articles[0]["id"].as_i64().unwrap().to_string();

    let hits = json(&dz(&lib, &["search", "经济成长", "--json"]));
    assert_eq!(
        hits.as_array().unwrap().len(),
        3,
        "a Simplified query finds the Traditional articles"
    );
    assert!(hits[0]["snippet"].as_str().unwrap().contains("<mark>"));

    let text = export_html(&lib, &id, &dir.path().join("a.html"));
    assert!(
        text.contains("src=\"data:image/png;base64,"),
        "the image downloaded at refresh is inlined"
    );
    assert!(!text.contains("src=\"http"), "the export needs no network");
    for (format, magic) in [("md", &b"# "[..]), ("epub", &b"PK"[..])] {
        let file = dir.path().join(format!("a.{format}"));
        let out = dz(
            &lib,
            &[
                "export",
                &id,
                "--format",
                format,
                "--script",
                "hans",
                "-o",
                file.to_str().unwrap(),
            ],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(std::fs::read(&file).unwrap().starts_with(magic), "{format}");
    }
    let md = std::fs::read_to_string(dir.path().join("a.md")).unwrap();
    assert!(
        md.contains("经济"),
        "--script hans converts the export: {md}"
    );
    fails_with(
        &dz(&lib, &["export", &id, "--format", "pdf", "-o", "x.pdf"]),
        "unknown export format",
    );

    let opml = dir.path().join("subs.opml");
    let out = dz(&lib, &["opml", "export", opml.to_str().unwrap()]);
    assert!(out.status.success());
    let other = dir.path().join("other");
    let imported = json(&dz(&other, &["opml", "import", opml.to_str().unwrap()]));
    assert_eq!(imported["added"], 1);
    let feeds = json(&dz(&other, &["feed", "list", "--json"]));
    assert_eq!(feeds[0]["folder"], "臺灣", "folders survive OPML");
}

#[test]
fn bad_sources_are_one_line_errors_that_store_nothing() {
    let server = news_server();
    let dir = tempfile::tempdir().unwrap();
    for (path, needle) in [
        ("/page.html", "not a feed"),
        ("/binary", "not a text document"),
        ("/loop", "redirect loop"),
        ("/huge.xml", "too large"),
    ] {
        fails_with(
            &dz(
                dir.path(),
                &["feed", "add", &format!("{}{path}", server.url())],
            ),
            needle,
        );
    }
    fails_with(
        &dz(dir.path(), &["feed", "add", "not a url"]),
        "invalid URL",
    );
    assert_eq!(
        json(&dz(dir.path(), &["feed", "list", "--json"])),
        serde_json::json!([]),
        "nothing is subscribed after refused sources"
    );
    let saved = json(&dz(
        dir.path(),
        &["save", &format!("{}/deep.html", server.url())],
    ));
    let shown = json(&dz(
        dir.path(),
        &["show", &saved["id"].as_i64().unwrap().to_string(), "--json"],
    ));
    assert!(
        shown.to_string().contains("deep words"),
        "a 30,000-level page is saved as its words"
    );
}

#[test]
fn sigkill_during_a_refresh_leaves_a_sound_database_with_every_committed_article() {
    const FEEDS: usize = 60;
    let served = Arc::new(AtomicUsize::new(0));
    let (tx, rx) = std::sync::mpsc::channel::<usize>();
    let tx = Arc::new(Mutex::new(tx));
    let s = served.clone();
    let server = Server::start(Router::new().route(
        "/f/{n}",
        get(move |axum::extract::Path(n): axum::extract::Path<usize>| {
            let (s, tx) = (s.clone(), tx.clone());
            async move {
                // A slow server: the refresh is still running when the test kills it.
                tokio::time::sleep(Duration::from_millis(150)).await;
                let body = feed_xml("127.0.0.1:9", 20).replace("<guid>g", &format!("<guid>f{n}-"));
                let done = s.fetch_add(1, Ordering::SeqCst) + 1;
                if let Ok(tx) = tx.lock() {
                    let _ = tx.send(done);
                }
                body
            }
        }),
    ));
    let dir = tempfile::tempdir().unwrap();
    let opml = dir.path().join("many.opml");
    let outlines: String = (0..FEEDS)
        .map(|n| format!("<outline text=\"f{n}\" xmlUrl=\"{}/f/{n}\"/>", server.url()))
        .collect();
    std::fs::write(
        &opml,
        format!("<opml version=\"2.0\"><body>{outlines}</body></opml>"),
    )
    .unwrap();
    let lib = dir.path().join("lib");
    json(&dz(&lib, &["opml", "import", opml.to_str().unwrap()]));

    let mut child = Command::new(env!("CARGO_BIN_EXE_dz"))
        .arg("--data-dir")
        .arg(&lib)
        .arg("refresh")
        .env_remove("DUIZHAO_DATA_DIR")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("dz starts");

    // Wait (bounded, driven by the server's own events) until feeds were served and some
    // articles are committed, as a second connection sees them.
    let db_path = lib.join("duizhao.sqlite3");
    let reader = rusqlite::Connection::open(&db_path).unwrap();
    let mut committed: Vec<i64> = Vec::new();
    for _ in 0..FEEDS {
        let n = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("the refresh keeps fetching feeds");
        let mut stmt = reader
            .prepare("SELECT id FROM articles ORDER BY id")
            .unwrap();
        committed = stmt
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        if n >= 12 && !committed.is_empty() {
            break;
        }
    }
    assert!(
        !committed.is_empty(),
        "articles were committed before the kill"
    );
    assert!(
        child.try_wait().unwrap().is_none(),
        "the refresh must still be running when it is killed"
    );
    child.kill().expect("SIGKILL"); // Child::kill is SIGKILL on Unix.
    child.wait().unwrap();
    drop(reader);
    assert!(
        served.load(Ordering::SeqCst) < FEEDS,
        "the kill happened mid-way"
    );

    let db = rusqlite::Connection::open(&db_path).unwrap();
    let check: String = db
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok", "SIGKILL must not corrupt the library");
    for id in &committed {
        let present: bool = db
            .query_row(
                "SELECT EXISTS(SELECT 1 FROM articles WHERE id = ?1)",
                [id],
                |r| r.get(0),
            )
            .unwrap();
        assert!(
            present,
            "article {id} was committed before the kill and must survive it"
        );
    }
    let listed = json(&dz(&lib, &["list", "--json"]));
    assert!(listed.as_array().unwrap().len() >= committed.len());
    // The library keeps working: the next refresh completes without duplicates.
    let summary = json(&dz(&lib, &["refresh"]));
    assert_eq!(summary["failed"], serde_json::json!([]));
    let total: i64 = db
        .query_row("SELECT COUNT(*) FROM articles", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        total as usize,
        FEEDS * 20,
        "every item exactly once after resuming"
    );
}
