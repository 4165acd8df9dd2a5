//! The app and `dz` on one library at the same time (issue 11.6): a refresh through the core,
//! as the app runs it, while `dz refresh` and `dz translate` run as processes of their own on
//! the same data folder, against loopback feed and translation servers. Each either finishes
//! or answers with the clear "library is busy" error; the file stays sound and nothing any of
//! them committed is lost.

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::header;
use axum::routing::{get, post};
use axum::{Json, Router};
use duizhao_core::{AutoTranslate, ErrorCode, Library, LibraryHandle};
use serde_json::{Value, json};

use crate::fixture::Server;
use crate::{dz, json, seed};

const FEEDS: usize = 4;
const ITEMS: usize = 30;
const KEY: &str = "lt-key-concurrent";

/// Holds the first feed request until a second one is in flight at the same moment. Every
/// process checks one feed at a time (`concurrency=1`), so two requests in flight are two
/// processes refreshing together: the overlap the test is about, reached without sleeping.
/// Bounded: a process that never comes (it failed at once) releases the gate after 60 s.
struct Gate {
    armed: AtomicBool,
    in_flight: AtomicUsize,
    open: tokio::sync::watch::Sender<bool>,
}

impl Gate {
    async fn meet(&self) {
        if !self.armed.load(Ordering::SeqCst) {
            return;
        }
        if self.in_flight.fetch_add(1, Ordering::SeqCst) + 1 >= 2 {
            self.open.send_replace(true);
        }
        let mut open = self.open.subscribe();
        let _ = tokio::time::timeout(Duration::from_secs(60), open.wait_for(|o| *o)).await;
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
    }

    fn overlapped(&self) -> bool {
        *self.open.borrow()
    }
}

fn feed_xml(n: usize) -> String {
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel>\
         <title>Feed {n}</title><link>https://example.com/{n}/</link>"
    );
    for i in 0..ITEMS {
        s.push_str(&format!(
            "<item><title>Report {n}-{i} on the harbour</title><link>https://example.com/{n}/{i}</link>\
             <guid>f{n}-{i}</guid><description><![CDATA[<p>The harbour authority said on Monday \
             that ship traffic grew for the {i}th month in a row, and that new cranes would \
             arrive before winter.</p><p>Dock workers welcomed the news.</p>]]></description></item>"
        ));
    }
    s.push_str("</channel></rss>");
    s
}

fn server(gate: Arc<Gate>) -> Server {
    async fn feed(
        Path(n): Path<usize>,
        State(gate): State<Arc<Gate>>,
    ) -> impl axum::response::IntoResponse {
        gate.meet().await;
        ([(header::CONTENT_TYPE, "application/rss+xml")], feed_xml(n))
    }
    async fn translate(State(gate): State<Arc<Gate>>, Json(body): Json<Value>) -> Json<Value> {
        // The translation is written while the refreshes are under way.
        if gate.armed.load(Ordering::SeqCst) {
            let mut open = gate.open.subscribe();
            let _ = tokio::time::timeout(Duration::from_secs(60), open.wait_for(|o| *o)).await;
        }
        let target = body["target"].as_str().unwrap_or("").to_string();
        let out: Vec<String> = body["q"]
            .as_array()
            .map(|q| {
                q.iter()
                    .map(|s| format!("<{target}> {}", s.as_str().unwrap_or("")))
                    .collect()
            })
            .unwrap_or_default();
        Json(json!({ "translatedText": out }))
    }
    Server::start(
        Router::new()
            .route("/feeds/{n}", get(feed))
            .route("/translate", post(translate))
            .with_state(gate),
    )
}

fn spawn_dz(dir: &std::path::Path, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_dz"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("DUIZHAO_DATA_DIR")
        .env("DUIZHAO_LIBRETRANSLATE_API_KEY", KEY)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("dz starts")
}

/// A finished `dz`: it succeeded, or said in one line that the library was busy.
fn finished_or_busy(what: &str, child: Child) -> bool {
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    if out.status.success() {
        return true;
    }
    assert!(
        err.contains("library is busy"),
        "{what} may only fail because the library is busy, and must say so: {err}"
    );
    false
}

#[test]
fn the_app_and_dz_refresh_and_translate_one_library_at_the_same_time() {
    let gate = Arc::new(Gate {
        armed: AtomicBool::new(false),
        in_flight: AtomicUsize::new(0),
        open: tokio::sync::watch::channel(false).0,
    });
    let srv = server(gate.clone());
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    let seed_id = json(&dz(&lib, &["import", seed().to_str().unwrap()]))["id"]
        .as_i64()
        .unwrap();
    let ep = format!("endpoint={}", srv.url());
    for p in ["libretranslate", "edge", "google-web"] {
        json(&dz(&lib, &["provider", "set", p, &ep]));
    }
    let opml = dir.path().join("feeds.opml");
    let outlines: String = (0..FEEDS)
        .map(|n| {
            format!(
                "<outline type=\"rss\" text=\"Feed {n}\" xmlUrl=\"{}/feeds/{n}\"/>",
                srv.url()
            )
        })
        .collect();
    std::fs::write(
        &opml,
        format!("<?xml version=\"1.0\"?><opml version=\"2.0\"><body>{outlines}</body></opml>"),
    )
    .unwrap();
    json(&dz(&lib, &["opml", "import", opml.to_str().unwrap()]));
    json(&dz(
        &lib,
        &["settings", "concurrency=1", "download_images=off"],
    ));
    gate.armed.store(true, Ordering::SeqCst);

    let refresh = spawn_dz(&lib, &["refresh"]);
    let seed_arg = seed_id.to_string();
    let translate = spawn_dz(
        &lib,
        &[
            "translate",
            &seed_arg,
            "--to",
            "en",
            "--provider",
            "libretranslate",
        ],
    );
    // The app's refresh: the core's use case on a handle of its own, as the window's command
    // runs it.
    let app = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let handle = LibraryHandle::new(Library::open(&lib)?);
            handle
                .refresh_and_translate(
                    None,
                    true,
                    AutoTranslate::Always,
                    |_| {},
                    |_| {},
                    |_| {},
                    &duizhao_translate::CancellationToken::new(),
                )
                .await
        });
    let app_done = match app {
        Ok(outcome) => {
            assert!(
                outcome.summary.failed.is_empty(),
                "{:?}",
                outcome.summary.failed
            );
            true
        }
        Err(e) => {
            assert_eq!(
                e.code(),
                ErrorCode::Busy,
                "the app may only be told it is busy: {e}"
            );
            false
        }
    };
    let dz_refreshed = finished_or_busy("dz refresh", refresh);
    let dz_translated = finished_or_busy("dz translate", translate);
    assert!(
        gate.overlapped(),
        "the two refreshes must have been fetching at the same moment"
    );
    assert!(app_done || dz_refreshed, "at least one refresh finishes");

    let db = rusqlite::Connection::open(lib.join("duizhao.sqlite3")).unwrap();
    let check: String = db
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok", "two processes writing must leave a sound file");
    let count = |sql: &str| -> i64 { db.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(
        count("SELECT count(*) FROM articles WHERE feed_id IS NOT NULL") as usize,
        FEEDS * ITEMS,
        "every item of every feed is stored, once, whichever process stored it"
    );
    assert_eq!(
        count("SELECT count(*) FROM articles WHERE feed_id IS NOT NULL AND lang = 'en'") as usize,
        FEEDS * ITEMS,
        "and tagged with its language"
    );
    assert_eq!(
        count(&format!(
            "SELECT count(*) FROM articles WHERE id = {seed_id}"
        )),
        1,
        "the article stored before is still there"
    );
    if dz_translated {
        assert!(
            count(&format!(
                "SELECT count(*) FROM article_translations WHERE article_id = {seed_id} AND target = 'en'"
            )) > 0,
            "the translation dz reported done is stored"
        );
    }
}
