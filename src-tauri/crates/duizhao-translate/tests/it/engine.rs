//! Engine behaviour: alignment over many batches, memory, fallback, skipping, glossary,
//! cancel, progress.

use std::sync::Arc;
use std::time::Duration;

use duizhao_translate::*;

use crate::fixture::{self, Fault, fake};
use crate::{article, fast, job, provider, run};

#[tokio::test]
async fn two_hundred_segments_stay_aligned_across_batches_and_retries() {
    let f = fixture::deepl("k-align").await;
    f.fault(Fault::Status(
        500,
        "{\"message\":\"Internal error\"}".into(),
        vec![],
    ))
    .fault(Fault::Status(
        429,
        "{\"message\":\"Too many requests\"}".into(),
        vec![("retry-after", "0".into())],
    ))
    .fault(Fault::Mode("missing-id"))
    .fault(Fault::Body("{\"translations\":[{\"text\":\"x".into()));
    let tm = Arc::new(InMemoryTm::new());
    let engine = Engine::with_options(vec![provider("deepl", &f.url, Some("k-align"))], fast())
        .with_memory(tm.clone());
    let segs = article(200);
    let (r, events) = run(&engine, &job(segs.clone(), "es")).await;
    let out = r.expect("complete");
    assert_eq!(out.segments.len(), 200);
    for (i, (s, t)) in segs.iter().zip(&out.segments).enumerate() {
        assert_eq!(t.id, s.id, "id at {i}");
        assert_eq!(t.text, fake("ES", &s.text), "translation at {i}");
    }
    // 4 batches of 50, +1 (500) +1 (429) +2 (missing id → halves) +2 (truncated → halves).
    let reqs = f.translate_requests();
    assert!(
        reqs.iter()
            .all(|r| r.json()["text"].as_array().unwrap().len() <= 50)
    );
    assert_eq!(out.requests, reqs.len());
    assert!(reqs.len() >= 8, "retries happened: {}", reqs.len());
    let streamed: usize = events.iter().map(|e| e.segments.len()).sum();
    assert_eq!(streamed, 200);
    crate::faults::assert_tm_exact(&tm, "deepl", "", "1", "es", &segs, "ES");
}

#[tokio::test]
async fn second_run_with_same_memory_makes_no_request() {
    let f = fixture::libretranslate(None).await;
    let tm = Arc::new(InMemoryTm::new());
    let engine = Engine::with_options(vec![provider("libretranslate", &f.url, None)], fast())
        .with_memory(tm.clone());
    let j = job(article(60), "de");
    let (first, _) = run(&engine, &j).await;
    let first = first.unwrap();
    let sent = f.requests().len();
    assert!(sent >= 3);
    let (second, events) = run(&engine, &j).await;
    let second = second.unwrap();
    assert_eq!(f.requests().len(), sent, "no request on reopen");
    assert_eq!(second.requests, 0);
    assert!(second.segments.iter().all(|s| s.origin == Origin::Memory));
    assert_eq!(
        first.segments.iter().map(|s| &s.text).collect::<Vec<_>>(),
        second.segments.iter().map(|s| &s.text).collect::<Vec<_>>()
    );
    assert_eq!(events.len(), 1, "memory hits arrive as one progress step");
    // A fresh engine (app restart) over the same memory is also free.
    let engine2 = Engine::with_options(vec![provider("libretranslate", &f.url, None)], fast())
        .with_memory(tm.clone());
    assert_eq!(run(&engine2, &j).await.0.unwrap().requests, 0);
}

#[tokio::test]
async fn fallback_moves_to_the_next_provider_on_hard_failure() {
    for (fault, code) in [
        (
            Fault::Status(403, "{\"message\":\"Forbidden\"}".into(), vec![]),
            "auth",
        ),
        (
            Fault::Status(456, "{\"message\":\"Quota exceeded\"}".into(), vec![]),
            "quota",
        ),
    ] {
        let deepl = fixture::deepl("k-fb").await;
        for _ in 0..10 {
            deepl.fault(fault.clone());
        }
        let lt = fixture::libretranslate(None).await;
        let tm = Arc::new(InMemoryTm::new());
        let engine = Engine::with_options(
            vec![
                provider("deepl", &deepl.url, Some("k-fb")),
                provider("libretranslate", &lt.url, None),
            ],
            fast(),
        )
        .with_memory(tm.clone());
        let segs = article(120);
        let out = run(&engine, &job(segs.clone(), "fr"))
            .await
            .0
            .expect("fallback succeeds");
        for (s, t) in segs.iter().zip(&out.segments) {
            assert_eq!(t.text, fake("fr", &s.text));
            assert_eq!(t.provider.as_deref(), Some("libretranslate"));
        }
        // The dead provider is not hammered: batches already in flight (3) fail, none is retried.
        assert!(
            deepl.translate_requests().len() <= 3,
            "{code}: {}",
            deepl.translate_requests().len()
        );
        crate::faults::assert_tm_exact(&tm, "libretranslate", "", "1", "fr", &segs, "fr");
    }
}

#[tokio::test]
async fn fallback_after_repeated_server_errors_and_memory_prefers_any_chain_member() {
    let edge = fixture::edge().await;
    for _ in 0..20 {
        edge.fault(Fault::Status(503, "busy".into(), vec![]));
    }
    let gw = fixture::google_web().await;
    let tm = Arc::new(InMemoryTm::new());
    let chain = || {
        vec![
            provider("edge", &edge.url, None),
            provider("google-web", &gw.url, None),
        ]
    };
    let engine = Engine::with_options(chain(), fast()).with_memory(tm.clone());
    let segs = article(5);
    let out = run(&engine, &job(segs.clone(), "ru")).await.0.unwrap();
    assert!(
        out.segments
            .iter()
            .all(|s| s.provider.as_deref() == Some("google-web"))
    );
    assert_eq!(
        edge.translate_requests().len(),
        4,
        "max_attempts tries, then fall back"
    );
    // Reopen: the fallback's translations are found even though edge comes first.
    let engine = Engine::with_options(chain(), fast()).with_memory(tm);
    edge.clear();
    gw.clear();
    assert_eq!(run(&engine, &job(segs, "ru")).await.0.unwrap().requests, 0);
    assert!(edge.requests().is_empty() && gw.requests().is_empty());
}

#[tokio::test]
async fn all_providers_failing_is_a_typed_error_naming_the_first_cause() {
    let deepl = fixture::deepl("right").await;
    let lt = fixture::libretranslate(Some("lt-right")).await;
    let engine = Engine::with_options(
        vec![
            provider("deepl", &deepl.url, Some("wrong-deepl-key")),
            provider("libretranslate", &lt.url, Some("wrong-lt")),
        ],
        fast(),
    );
    let e = run(&engine, &job(article(3), "es")).await.0.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Auth);
    assert_eq!(e.provider.as_deref(), Some("deepl"));
    assert!(e.message.contains("3 of 3 segments"), "{e}");
    assert!(!e.to_string().contains("wrong-deepl-key"));
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(json["code"], "auth");
}

#[tokio::test]
async fn segments_already_in_the_target_language_are_skipped() {
    let f = fixture::libretranslate(None).await;
    let engine = Engine::with_options(vec![provider("libretranslate", &f.url, None)], fast());
    let segs = vec![
        Segment::new(
            "1",
            "The weather in Hamburg was unusually warm this week, according to forecasters.",
        ),
        Segment::new(
            "2",
            "Die Regierung hat am Dienstag neue Maßnahmen gegen die Inflation angekündigt.",
        ),
        Segment::new("3", "   "),
        Segment::new("4", "2024 — 15 %"),
    ];
    let out = run(&engine, &job(segs.clone(), "en")).await.0.unwrap();
    assert_eq!(out.segments[0].origin, Origin::Skipped);
    assert_eq!(out.segments[0].text, segs[0].text);
    assert_eq!(out.segments[1].origin, Origin::Provider);
    assert_eq!(out.segments[1].text, fake("en", &segs[1].text));
    assert_eq!(out.segments[2].origin, Origin::Skipped);
    assert_eq!(out.segments[3].origin, Origin::Skipped);
    assert_eq!(f.translate_requests().len(), 1);
    assert_eq!(
        f.translate_requests()[0].json()["q"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Chinese in either script is skipped for a Chinese target: the core converts locally.
    let zh = vec![Segment::new(
        "z",
        "德國總理週二宣布了新的經濟措施，以遏制通貨膨脹。",
    )];
    let out = run(&engine, &job(zh, "zh-Hans")).await.0.unwrap();
    assert_eq!(out.segments[0].origin, Origin::Skipped);
    assert_eq!(out.target, "zh");
}

#[tokio::test]
async fn glossary_is_substituted_for_mt_and_prompted_for_llm() {
    let terms = vec![
        GlossaryTerm::new("王毅", "Wang Yi"),
        GlossaryTerm::new("port", "港口"),
    ];
    // zh → en through an MT service: the CJK term is replaced inside unspaced text.
    let f = fixture::deepl("kg").await;
    let engine = Engine::with_options(vec![provider("deepl", &f.url, Some("kg"))], fast());
    let mut j = job(
        vec![Segment::new(
            "1",
            "中国外长王毅周二在北京表示，双方将加强合作。",
        )],
        "en",
    );
    j.glossary = terms.clone();
    let out = run(&engine, &j).await.0.unwrap();
    let sent = f.translate_requests()[0].json()["text"][0]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(sent, "中国外长Wang Yi周二在北京表示，双方将加强合作。");
    assert!(out.segments[0].text.contains("Wang Yi"));

    // en → zh: "port" is replaced as a word, "export" and "Support" are untouched.
    let f = fixture::deepl("kg").await;
    let engine = Engine::with_options(vec![provider("deepl", &f.url, Some("kg"))], fast());
    let mut j = job(
        vec![Segment::new(
            "1",
            "Exports from the port rose; Support for export subsidies fell.",
        )],
        "zh-Hans",
    );
    j.glossary = terms.clone();
    run(&engine, &j).await.0.unwrap();
    let sent = f.translate_requests()[0].json()["text"][0]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        sent,
        "Exports from the 港口 rose; Support for export subsidies fell."
    );

    // LLM: the original text goes out, with the matching terms in the glossary list only.
    let f = fixture::openai(None).await;
    let engine = Engine::with_options(
        vec![provider("openai", &format!("{}/v1", f.url), None)],
        fast(),
    );
    let mut j = job(vec![Segment::new("1", "王毅周二表示，合作将继续。")], "en");
    j.glossary = terms;
    let out = run(&engine, &j).await.0.unwrap();
    let body = f.translate_requests()[0].json();
    let user: serde_json::Value =
        serde_json::from_str(body["messages"][1]["content"].as_str().unwrap()).unwrap();
    assert_eq!(user["segments"][0]["text"], "王毅周二表示，合作将继续。");
    assert_eq!(
        user["glossary"],
        serde_json::json!([{"source": "王毅", "target": "Wang Yi"}])
    );
    assert!(out.segments[0].text.contains("Wang Yi"));
}

#[tokio::test]
async fn cancel_stops_promptly_and_stores_nothing_unfinished() {
    let f = fixture::libretranslate(None).await;
    // Every answer takes 5 s: a cancel that waited for one would be seen below.
    f.set_latency(Duration::from_secs(5));
    let tm = Arc::new(InMemoryTm::new());
    let engine = Engine::with_options(vec![provider("libretranslate", &f.url, None)], fast())
        .with_memory(tm.clone());
    let cancel = CancellationToken::new();
    let job = job(article(30), "es");
    let translating = engine.translate(&job, &|_| {}, &cancel);
    let cancelling = async {
        // Cancelled once the first request is on its way, mid-job.
        f.first_request().await;
        cancel.cancel();
    };
    let (result, ()) = tokio::join!(translating, cancelling);
    let e = result.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Cancelled);
    assert_eq!(
        f.answered(),
        0,
        "the engine returned without waiting for an answer in flight"
    );
    assert!(tm.is_empty());
}

#[tokio::test]
async fn batches_run_concurrently_and_progress_streams_per_batch() {
    let f = fixture::libretranslate(None).await;
    f.set_latency(Duration::from_millis(300));
    let opts = EngineOptions {
        concurrency: Some(4),
        max_segments: Some(5),
        // No language detection before the batches: in a debug build on a loaded machine,
        // lingua's first model load can outlast the fixture's rendezvous and let the first
        // batches go alone, which says nothing about concurrency.
        skip_same_language: false,
        ..fast()
    };
    // The server holds requests until four are in flight together: only an engine that
    // really sends four batches at once gets past it without waiting out the fixture.
    f.hold_until_in_flight(4);
    let engine = Engine::with_options(vec![provider("libretranslate", &f.url, None)], opts);
    let (r, events) = run(&engine, &job(article(40), "es")).await;
    r.unwrap();
    assert_eq!(
        f.max_in_flight(),
        4,
        "8 batches at concurrency 4 run four at a time, never more"
    );
    assert_eq!(events.len(), 8);
    assert!(events.iter().all(|e| e.segments.len() == 5));
    assert_eq!(events.last().unwrap().done, 40);
}

#[tokio::test]
async fn default_chain_is_edge_then_google_web() {
    let e = Engine::default_chain(&HttpOptions::default()).unwrap();
    assert_eq!(e.chain(), vec!["edge", "google-web"]);
}

#[tokio::test]
async fn unknown_languages_are_rejected_before_any_request() {
    let f = fixture::edge().await;
    let engine = Engine::with_options(vec![provider("edge", &f.url, None)], fast());
    let e = run(&engine, &job(article(1), "tlh")).await.0.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unsupported);
    assert!(f.requests().is_empty());
}
