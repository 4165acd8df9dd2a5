//! Engine benchmark (not a test): a 60-block article against a loopback LibreTranslate-shaped
//! server with a fixed latency L per request, at several concurrency levels. Prints total time
//! against the ideal ⌈batches/c⌉·L, time to the first translated block against L, and a cached
//! reopen (must send 0 requests).
//!
//! `cargo run --release -p duizhao-translate --example bench -- [L_ms] [blocks] [batch] [--no-detect] [--known-lang]`
//! Figures: docs/BENCHMARKS.md ("Translation engine").
//!
//! `--known-lang` gives every segment its language, as the core does with the languages it
//! stored at import: detection is skipped, so the first batch leaves at once.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use duizhao_translate::*;
use serde_json::{Value, json};

async fn server(latency: Duration, hits: Arc<AtomicUsize>) -> String {
    let app = axum::Router::new().route(
        "/translate",
        axum::routing::post(move |axum::Json(req): axum::Json<Value>| {
            let hits = hits.clone();
            async move {
                hits.fetch_add(1, Ordering::Relaxed);
                tokio::time::sleep(latency).await;
                let target = req["target"].as_str().unwrap_or("?").to_owned();
                let out: Vec<String> = req["q"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .map(|t| format!("[{target}] {}", t.as_str().unwrap_or("")))
                            .collect()
                    })
                    .unwrap_or_default();
                axum::Json(json!({"translatedText": out}))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{addr}")
}

fn article(n: usize) -> Vec<Segment> {
    let known = std::env::args().any(|a| a == "--known-lang");
    (0..n)
        .map(|i| {
            let seg = Segment::new(
                format!("b{i}"),
                format!(
                    "Paragraph {i}. The city council met on Tuesday to discuss the new budget, \
                     the state of the harbour and the plans for a second railway line."
                ),
            );
            seg.with_lang(known.then_some("en"))
        })
        .collect()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let latency = Duration::from_millis(*args.first().unwrap_or(&100) as u64);
    let blocks = *args.get(1).unwrap_or(&60);
    let batch = *args.get(2).unwrap_or(&6);
    let batches = blocks.div_ceil(batch);
    let skip = !std::env::args().any(|a| a == "--no-detect");

    let t = Instant::now();
    lang::warm_up();
    println!(
        "language detector warm-up: {:.0?} (done once at start-up, off the UI thread)",
        t.elapsed()
    );
    let sample = article(blocks);
    let t = Instant::now();
    let n = sample
        .iter()
        .filter(|s| lang::detect(&s.text).is_some())
        .count();
    println!(
        "detecting {n} blocks: {:.1?} (per-segment same-language skip: {})",
        t.elapsed(),
        if skip { "on" } else { "off" }
    );
    println!(
        "article: {blocks} blocks, batch ≤ {batch} segments → {batches} batches; server latency L = {latency:?}\n"
    );
    println!(
        "| c | total | ideal ⌈b/c⌉·L | ratio | first block | ratio to L | reopen | reopen requests |"
    );
    println!("|---|---|---|---|---|---|---|---|");

    for c in [1usize, 2, 4, 8] {
        let hits = Arc::new(AtomicUsize::new(0));
        let url = server(latency, hits.clone()).await;
        let provider = providers::build(
            "libretranslate",
            &ProviderConfig::new().with("endpoint", &url),
            None,
            &HttpOptions::default(),
        )
        .expect("provider");
        let tm = Arc::new(InMemoryTm::new());
        let opts = EngineOptions {
            concurrency: Some(c),
            max_segments: Some(batch),
            // A self-hosted server: no per-second cap, concurrency is the only limit.
            requests_per_second: Some(1000),
            skip_same_language: skip,
            ..EngineOptions::default()
        };
        let engine = Engine::with_options(vec![provider], opts).with_memory(tm.clone());
        let job = Job {
            segments: article(blocks),
            source: None,
            target: "es".into(),
            glossary: vec![],
        };
        // Warm the connection pool the way an app session would have (not timed).
        let warm = Job {
            segments: vec![Segment::new(
                "w",
                "Warm-up sentence for the connection pool.",
            )],
            ..job.clone()
        };
        engine
            .translate(&warm, &|_| {}, &CancellationToken::new())
            .await
            .expect("warm-up");
        hits.store(0, Ordering::Relaxed);

        let first: Mutex<Option<Duration>> = Mutex::new(None);
        let start = Instant::now();
        let out = engine
            .translate(
                &job,
                &|p: Progress| {
                    if p.segments.iter().any(|s| s.origin == Origin::Provider) {
                        let mut f = first.lock().unwrap();
                        if f.is_none() {
                            *f = Some(start.elapsed());
                        }
                    }
                },
                &CancellationToken::new(),
            )
            .await
            .expect("translation");
        let total = start.elapsed();
        assert_eq!(out.segments.len(), blocks);
        let sent = hits.load(Ordering::Relaxed);
        assert_eq!(sent, batches);
        let first = first.lock().unwrap().unwrap_or_default();
        let ideal = latency * batches.div_ceil(c) as u32;

        hits.store(0, Ordering::Relaxed);
        let start = Instant::now();
        let again = engine
            .translate(&job, &|_| {}, &CancellationToken::new())
            .await
            .expect("reopen");
        let reopen = start.elapsed();
        let reopen_requests = hits.load(Ordering::Relaxed);
        assert!(again.segments.iter().all(|s| s.origin == Origin::Memory));

        println!(
            "| {c} | {:.0?} | {:.0?} | {:.2}× | {:.0?} | {:.2}× | {:.1?} | {reopen_requests} |",
            total,
            ideal,
            total.as_secs_f64() / ideal.as_secs_f64(),
            first,
            first.as_secs_f64() / latency.as_secs_f64(),
            reopen,
        );
    }
}
