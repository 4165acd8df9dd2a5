//! Translating through the core with the SQLite translation memory, against a
//! LibreTranslate-shaped server on 127.0.0.1 that fails on purpose: order and alignment hold
//! across batches and retries, the memory never keeps a wrong or partial row, and a second
//! translation makes no request.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use duizhao_core::TranslateRequest;
use duizhao_core::services::target::record_target;
use duizhao_core::{Library, LibraryHandle, ScriptChoice};
use duizhao_translate::CancellationToken;
use serde_json::{Value, json};

/// How the fixture misbehaves.
#[derive(Clone, Copy, PartialEq)]
enum Faults {
    /// 429 with Retry-After on request 2, 500 on request 4, malformed JSON on request 6,
    /// a reply with one translation missing on request 8; all others succeed.
    Transient,
    /// Every request whose batch contains "POISON" gets malformed JSON, forever.
    Poison,
}

#[derive(Clone)]
struct Fixture {
    faults: Faults,
    requests: Arc<AtomicUsize>,
    bodies: Arc<Mutex<Vec<Value>>>,
}

fn translate(text: &str) -> String {
    format!("EN:{}", text.chars().rev().collect::<String>())
}

async fn handler(State(f): State<Fixture>, Json(body): Json<Value>) -> Response {
    let n = f.requests.fetch_add(1, Ordering::SeqCst) + 1;
    f.bodies.lock().unwrap().push(body.clone());
    let q: Vec<String> = body["q"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    let mut out: Vec<String> = q.iter().map(|t| translate(t)).collect();
    match f.faults {
        Faults::Transient => match n {
            2 => {
                let mut h = HeaderMap::new();
                h.insert("retry-after", HeaderValue::from_static("1"));
                return (StatusCode::TOO_MANY_REQUESTS, h, "slow down").into_response();
            }
            4 => return (StatusCode::INTERNAL_SERVER_ERROR, "boom").into_response(),
            6 => {
                return (
                    StatusCode::OK,
                    [("content-type", "application/json")],
                    "{\"translatedText\": [\"tru",
                )
                    .into_response();
            }
            8 => {
                out.pop();
            }
            _ => {}
        },
        Faults::Poison => {
            if q.iter().any(|t| t.contains("POISON")) {
                return (
                    StatusCode::OK,
                    [("content-type", "application/json")],
                    "{not json",
                )
                    .into_response();
            }
        }
    }
    Json(json!({ "translatedText": out })).into_response()
}

struct Running {
    url: String,
    requests: Arc<AtomicUsize>,
    _stop: tokio::sync::oneshot::Sender<()>,
}

async fn serve(faults: Faults) -> Running {
    let f = Fixture {
        faults,
        requests: Arc::default(),
        bodies: Arc::default(),
    };
    let requests = f.requests.clone();
    let app = axum::Router::new()
        .route("/translate", post(handler))
        .fallback(|| async { StatusCode::SERVICE_UNAVAILABLE })
        .with_state(f);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await
            .unwrap();
    });
    Running {
        url,
        requests,
        _stop: tx,
    }
}

/// A library holding one Markdown article of `n` numbered paragraphs (English-looking text
/// so nothing is skipped as already German), all providers pointed at the fixture.
fn library(dir: &std::path::Path, url: &str, paragraphs: &[String]) -> LibraryHandle {
    let mut lib = Library::open(dir).unwrap();
    let md = format!(
        "# Title of the test article\n\n{}\n",
        paragraphs.join("\n\n")
    );
    let file = dir.join("a.md");
    std::fs::write(&file, md).unwrap();
    lib.import_file(&file).unwrap();
    for p in ["libretranslate", "edge", "google-web"] {
        let values = [
            ("endpoint".to_string(), url.to_string()),
            ("timeout".to_string(), "5".to_string()),
        ]
        .into_iter()
        .collect();
        lib.set_provider(p, &values).unwrap();
    }
    LibraryHandle::new(lib)
}

fn req() -> TranslateRequest {
    TranslateRequest {
        to: "de".into(),
        provider: Some("libretranslate".into()),
        script: ScriptChoice::Original,
    }
}

fn tm_rows(dir: &std::path::Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(dir.join("duizhao.sqlite3")).unwrap();
    let mut stmt = conn.prepare("SELECT text FROM translations").unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_200_block_article_stays_aligned_through_faults_and_is_free_the_second_time() {
    let server = serve(Faults::Transient).await;
    let dir = tempfile::tempdir().unwrap();
    let paragraphs: Vec<String> = (0..200)
        .map(|i| format!("Paragraph number {i} talks about the weather in the city today."))
        .collect();
    let handle = library(dir.path(), &server.url, &paragraphs);

    let events = Mutex::new(0usize);
    let summary = handle
        .translate_article(
            1,
            &req(),
            &|_e| *events.lock().unwrap() += 1,
            &CancellationToken::new(),
        )
        .await
        .expect("transient faults are retried until the article is translated");
    assert_eq!(
        summary.translated, 201,
        "200 paragraphs and the title: {summary:?}"
    );
    assert!(
        *events.lock().unwrap() > 2,
        "progress arrives batch by batch"
    );

    let view = handle
        .with(|lib| {
            lib.article_view(
                1,
                &duizhao_core::ViewOptions {
                    to: Some("de".into()),
                    ..Default::default()
                },
            )
        })
        .unwrap();
    assert_eq!(view.blocks.len(), 200);
    for (i, b) in view.blocks.iter().enumerate() {
        assert_eq!(
            b.translation.as_deref(),
            Some(translate(&paragraphs[i]).as_str()),
            "block {i} must carry its own translation after batching and retries"
        );
    }
    for row in tm_rows(dir.path()) {
        assert!(
            row.starts_with("EN:") && !row.contains("tru"),
            "no truncated or foreign row in the memory: {row}"
        );
    }

    let before = server.requests.load(Ordering::SeqCst);
    let again = handle
        .translate_article(1, &req(), &|_| {}, &CancellationToken::new())
        .await
        .unwrap();
    assert_eq!(again.requests, 0);
    assert_eq!(again.from_memory, 201);
    assert_eq!(
        server.requests.load(Ordering::SeqCst),
        before,
        "the second translation makes zero requests"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_that_never_succeeds_ends_in_a_clear_error_and_leaves_only_correct_rows() {
    let server = serve(Faults::Poison).await;
    let dir = tempfile::tempdir().unwrap();
    let mut paragraphs: Vec<String> = (0..60)
        .map(|i| format!("Sentence {i} about trains and buses in the region."))
        .collect();
    paragraphs[45] = "This POISON paragraph always gets a broken reply from the service.".into();
    let handle = library(dir.path(), &server.url, &paragraphs);

    let err = handle
        .translate_article(1, &req(), &|_| {}, &CancellationToken::new())
        .await
        .expect_err("a paragraph no provider can translate must fail the job");
    assert!(
        !err.to_string().is_empty() && !err.to_string().contains('\n'),
        "one clear line: {err}"
    );

    let rows = tm_rows(dir.path());
    assert!(
        !rows.is_empty(),
        "batches that finished are kept, so a retry pays only for the rest"
    );
    let expected: Vec<String> = paragraphs
        .iter()
        .map(|p| translate(p))
        .chain([translate("Title of the test article")])
        .collect();
    for row in &rows {
        assert!(
            expected.contains(row),
            "the memory holds only correct translations, found {row:?}"
        );
        assert!(
            !row.contains("NOSIOP"),
            "the poisoned paragraph was never stored"
        );
    }
    let stored = handle
        .with(|lib| lib.stored_translations(1, &record_target("de")?))
        .unwrap();
    for (seq, text) in stored {
        if seq >= 0 {
            assert_eq!(
                text,
                translate(&paragraphs[seq as usize]),
                "block {seq} is aligned"
            );
        }
    }
}
