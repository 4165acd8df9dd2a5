//! Measures what hostile documents cost this crate: time and peak memory of fetching (from a
//! loopback server, as the app would), decoding and parsing each of
//!
//! * `body` — a 200 MB body, streamed (the fetcher must stop at its limit);
//! * `bomb` — 50-megapixel PNG, JPEG, GIF and WebP headers (decompression bombs);
//! * `title` — a feed whose one item has a 10 MB title;
//! * `items` — a feed of 100,000 items (`json`: the same as JSON Feed; `tiny`: 19 MB of
//!   minimal items, about 660,000, the parser's worst case).
//!
//! A second argument `uncapped` parses with no item cap, to show what the cap saves.
//!
//! Run one scenario per process so its peak memory is its own:
//! `/usr/bin/time -v cargo run --release -p duizhao-feed --example bounds -- items`
//! (the program prints its own peak RSS, `VmHWM`, too).

use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use std::time::Instant;

use axum::Router;
use axum::http::{StatusCode, Uri, header};
use axum::response::IntoResponse;
use duizhao_feed::{FetchOptions, FetchOutcome, Fetcher, ParseOptions, decode, parse_feed_with};

#[path = "../tests/it/common.rs"]
#[allow(dead_code)]
mod common;
#[path = "../tests/it/hostile_docs.rs"]
mod docs;

#[tokio::main]
async fn main() {
    let which = std::env::args().nth(1).unwrap_or_default();
    let addr = common::serve(app()).await;
    let fetcher = Fetcher::new(FetchOptions {
        use_env_proxy: false,
        ..FetchOptions::default()
    })
    .expect("client");
    let started = Instant::now();
    match which.as_str() {
        "body" => {
            let r = fetcher.fetch(&format!("http://{addr}/body"), None).await;
            println!("200 MB body: {:?}", r.map(|_| ()));
        }
        "bomb" => {
            for kind in ["png", "jpeg", "gif", "webp"] {
                let r = fetcher
                    .fetch_image(&format!("http://{addr}/bomb.{kind}"), 10 * 1024 * 1024)
                    .await;
                println!("50 MP {kind}: {:?}", r.map(|i| i.bytes.len()));
            }
        }
        "title" | "items" | "json" | "tiny" => {
            let t = Instant::now();
            let f = match fetcher.fetch(&format!("http://{addr}/{which}"), None).await {
                Ok(FetchOutcome::Fetched(f)) => f,
                other => panic!("fetch: {other:?}"),
            };
            let fetched = t.elapsed();
            let t = Instant::now();
            let text = decode(&f.body, f.charset.as_deref(), Some(&f.final_url)).expect("text");
            let decoded = t.elapsed();
            drop(f);
            let t = Instant::now();
            let opts = if std::env::args().nth(2).as_deref() == Some("uncapped") {
                ParseOptions {
                    max_items: usize::MAX,
                    ..ParseOptions::default()
                }
            } else {
                ParseOptions::default()
            };
            let feed = parse_feed_with(&text.text, None, &opts).expect("feed");
            let parsed = t.elapsed();
            let longest = feed.items.iter().map(|i| i.title.len()).max().unwrap_or(0);
            println!(
                "{which}: {} bytes, {} items kept ({} dropped), longest title {longest} bytes; fetch {fetched:.2?}, decode {decoded:.2?}, parse {parsed:.2?}",
                text.text.len(),
                feed.items.len(),
                feed.items_dropped
            );
        }
        other => {
            eprintln!("usage: bounds body|bomb|title|items|json|tiny [uncapped] (got {other:?})");
            std::process::exit(2);
        }
    }
    println!("total {:.2?}, peak RSS {}", started.elapsed(), peak_rss());
}

/// `VmHWM` from /proc (Linux); "unknown" elsewhere.
fn peak_rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l["VmHWM:".len()..].trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

fn app() -> Router {
    let sent = Arc::new(AtomicUsize::new(0));
    Router::new().fallback(move |uri: Uri| {
        let sent = sent.clone();
        async move {
            let path = uri.path();
            if path == "/body" {
                return docs::endless(Vec::new(), 200 * 1024 * 1024, sent).into_response();
            }
            if let Some(kind) = path.strip_prefix("/bomb.") {
                let head = docs::bombs()
                    .into_iter()
                    .find(|(k, _)| *k == kind)
                    .map(|(_, h)| h)
                    .unwrap_or_default();
                return docs::endless(head, 64 * 1024 * 1024, sent).into_response();
            }
            let doc = match path {
                "/title" => docs::rss([docs::huge_title()]),
                "/items" => docs::rss((0..100_000).map(docs::item_title)),
                "/tiny" => {
                    // As many items as fit the fetch limit: the parser's worst case.
                    let item = "<item><title>x</title></item>";
                    format!(
                        "<rss version=\"2.0\"><channel>{}</channel></rss>",
                        item.repeat(19 * 1024 * 1024 / item.len())
                    )
                }
                "/json" => docs::json_feed(100_000),
                _ => return StatusCode::NOT_FOUND.into_response(),
            };
            ([(header::CONTENT_TYPE, "application/xml")], doc).into_response()
        }
    })
}
