//! Failure injection: every fault ends in a complete, correct result or a clear typed error,
//! and the translation memory never holds a wrong or partial row.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use duizhao_translate::*;

use crate::fixture::{self, Fault, Fixture, fake};
use crate::{article, fast, job, provider, run};

/// The memory holds exactly one correct row per segment (keys recomputed independently).
pub fn assert_tm_exact(
    tm: &InMemoryTm,
    provider: &str,
    model: &str,
    version: &str,
    target: &str,
    segs: &[Segment],
    tag: &str,
) {
    let rows: HashMap<TmKey, String> = tm.entries().into_iter().collect();
    assert_eq!(rows.len(), segs.len(), "one row per segment");
    for s in segs {
        let k = TmKey::new(&s.text, provider, model, "auto", target, version);
        assert_eq!(rows.get(&k), Some(&fake(tag, &s.text)), "row for {}", s.id);
    }
}

/// Every row in the memory is a correct translation of one of `segs` (partial runs).
fn assert_tm_correct(
    tm: &InMemoryTm,
    provider: &str,
    model: &str,
    version: &str,
    target: &str,
    segs: &[Segment],
    tag: &str,
) {
    let expected: HashMap<TmKey, String> = segs
        .iter()
        .map(|s| {
            (
                TmKey::new(&s.text, provider, model, "auto", target, version),
                fake(tag, &s.text),
            )
        })
        .collect();
    for (k, v) in tm.entries() {
        assert_eq!(expected.get(&k), Some(&v), "memory row is wrong");
    }
}

async fn deepl_engine(f: &Fixture, opts: EngineOptions) -> (Engine, Arc<InMemoryTm>) {
    let tm = Arc::new(InMemoryTm::new());
    let e = Engine::with_options(vec![provider("deepl", &f.url, Some("kf"))], opts)
        .with_memory(tm.clone());
    (e, tm)
}

#[tokio::test]
async fn retry_after_is_honoured_and_capped() {
    let f = fixture::deepl("kf").await;
    f.fault(Fault::Status(
        429,
        "{\"message\":\"Too many requests\"}".into(),
        vec![("retry-after", "1".into())],
    ));
    let opts = EngineOptions {
        backoff_max: Duration::from_secs(5),
        ..fast()
    };
    let (engine, tm) = deepl_engine(&f, opts).await;
    let segs = article(10);
    let started = Instant::now();
    run(&engine, &job(segs.clone(), "es")).await.0.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "waited Retry-After"
    );
    assert_eq!(f.translate_requests().len(), 2);
    assert_tm_exact(&tm, "deepl", "", "1", "es", &segs, "ES");

    // A huge Retry-After is capped by backoff_max (300 ms in tests).
    let f = fixture::deepl("kf").await;
    f.fault(Fault::Status(
        429,
        "{}".into(),
        vec![("retry-after", "3600".into())],
    ));
    let (engine, _) = deepl_engine(&f, fast()).await;
    let started = Instant::now();
    run(&engine, &job(article(3), "es")).await.0.unwrap();
    // Not a speed check: an hour's wait (uncapped) could never finish within a minute.
    assert!(started.elapsed() < Duration::from_secs(60));
}

#[tokio::test]
async fn server_errors_stalls_truncated_and_malformed_replies_are_retried() {
    let faults = [
        Fault::Status(
            500,
            "{\"message\":\"Internal Server Error\"}".into(),
            vec![],
        ),
        Fault::Status(502, "<html>Bad gateway</html>".into(), vec![]),
        Fault::Stall(Duration::from_secs(3)),
        Fault::Body(
            "{\"translations\":[{\"detected_source_language\":\"EN\",\"text\":\"[ES] Para".into(),
        ),
        Fault::Body("<html><body>Service unavailable</body></html>".into()),
        Fault::Body("{\"translations\": 42}".into()),
        Fault::Mode("missing-id"),
    ];
    for fault in faults {
        let f = fixture::deepl("kf").await;
        f.fault(fault.clone()).fault(fault.clone());
        let (engine, tm) = deepl_engine(&f, fast()).await;
        let segs = article(70);
        let out = run(&engine, &job(segs.clone(), "es"))
            .await
            .0
            .unwrap_or_else(|e| panic!("{fault:?}: {e}"));
        for (s, t) in segs.iter().zip(&out.segments) {
            assert_eq!(t.text, fake("ES", &s.text), "{fault:?}");
        }
        assert_tm_exact(&tm, "deepl", "", "1", "es", &segs, "ES");
    }
}

#[tokio::test]
async fn persistent_server_errors_end_in_a_typed_error_and_no_rows() {
    let f = fixture::deepl("kf").await;
    for _ in 0..50 {
        f.fault(Fault::Status(500, "{}".into(), vec![]));
    }
    let (engine, tm) = deepl_engine(&f, fast()).await;
    let e = run(&engine, &job(article(5), "es")).await.0.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Network);
    assert!(tm.is_empty());

    let f = fixture::deepl("kf").await;
    for _ in 0..50 {
        f.fault(Fault::Stall(Duration::from_secs(3)));
    }
    let (engine, tm) = deepl_engine(
        &f,
        EngineOptions {
            max_attempts: 2,
            ..fast()
        },
    )
    .await;
    let e = run(&engine, &job(article(2), "es")).await.0.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Timeout, "{e}");
    assert!(e.message.contains("timeout"), "actionable: {e}");
    assert!(tm.is_empty());
}

#[tokio::test]
async fn llm_misaligned_replies_are_repaired_by_halving() {
    for mode in ["missing-id", "swap-ids", "extra-id", "dup-id", "length"] {
        let f = fixture::openai(Some("sk-llm")).await;
        f.fault(Fault::Mode(mode)).fault(Fault::Mode(mode));
        let tm = Arc::new(InMemoryTm::new());
        let engine = Engine::with_options(
            vec![provider("openai", &format!("{}/v1", f.url), Some("sk-llm"))],
            fast(),
        )
        .with_memory(tm.clone());
        let segs = article(20);
        let out = run(&engine, &job(segs.clone(), "es"))
            .await
            .0
            .unwrap_or_else(|e| panic!("{mode}: {e}"));
        for (s, t) in segs.iter().zip(&out.segments) {
            assert_eq!(t.text, fake("Spanish", &s.text), "{mode}");
        }
        assert!(
            f.translate_requests().len() >= 3,
            "{mode}: split and retried"
        );
        assert_tm_exact(
            &tm,
            "openai",
            "gpt-4o-mini",
            "json-ids-1",
            "es",
            &segs,
            "Spanish",
        );
    }
}

#[tokio::test]
async fn a_single_segment_still_misaligned_is_a_bad_reply_and_is_not_stored() {
    let f = fixture::openai(None).await;
    for _ in 0..100 {
        f.fault(Fault::Mode("missing-id"));
    }
    let tm = Arc::new(InMemoryTm::new());
    let engine = Engine::with_options(
        vec![provider("openai", &format!("{}/v1", f.url), None)],
        fast(),
    )
    .with_memory(tm.clone());
    let segs = article(4);
    let e = run(&engine, &job(segs.clone(), "es")).await.0.unwrap_err();
    assert_eq!(e.kind, ErrorKind::BadReply);
    assert!(tm.is_empty());
    // 1 (4) + 2 (2+2) + 4 singles × 2 tries = 11 at most.
    assert!(
        f.translate_requests().len() <= 11,
        "{}",
        f.translate_requests().len()
    );

    // Only some segments broken: the good ones are stored, the broken one is not.
    let f = fixture::openai(None).await;
    f.fault(Fault::Mode("missing-id")); // whole batch
    f.fault(Fault::Mode("missing-id")); // first half (2)
    f.fault(Fault::Mode("missing-id")); // segment 0
    f.fault(Fault::Mode("missing-id")); // segment 0 again → gives up
    let tm = Arc::new(InMemoryTm::new());
    let engine = Engine::with_options(
        vec![provider("openai", &format!("{}/v1", f.url), None)],
        fast(),
    )
    .with_memory(tm.clone());
    let (r, events) = run(&engine, &job(segs.clone(), "es")).await;
    assert_eq!(r.unwrap_err().kind, ErrorKind::BadReply);
    assert_eq!(tm.len(), 3);
    assert_tm_correct(
        &tm,
        "openai",
        "gpt-4o-mini",
        "json-ids-1",
        "es",
        &segs,
        "Spanish",
    );
    let streamed: Vec<String> = events
        .iter()
        .flat_map(|e| e.segments.iter().map(|s| s.id.clone()))
        .collect();
    assert_eq!(streamed.len(), 3);
    assert!(!streamed.contains(&"b0".to_owned()));
}

#[tokio::test]
async fn hard_errors_are_typed_per_provider() {
    // DeepL: 456 quota; 403 auth.
    let f = fixture::deepl("kf").await;
    f.fault(Fault::Status(
        456,
        "{\"message\":\"Quota Exceeded\"}".into(),
        vec![],
    ));
    let (engine, _) = deepl_engine(&f, fast()).await;
    let e = run(&engine, &job(article(2), "es")).await.0.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Quota);
    assert!(e.message.contains("quota"), "{e}");

    // Google: bad key (400 API_KEY_INVALID) → auth; 403 with a limit reason → quota.
    let f = fixture::google("good").await;
    let engine = Engine::with_options(
        vec![provider("google", &f.url, Some("bad-google-key"))],
        fast(),
    );
    let e = run(&engine, &job(article(2), "es")).await.0.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Auth);
    let f = fixture::google("good").await;
    f.fault(Fault::Status(403, r#"{"error":{"code":403,"message":"Daily Limit Exceeded","errors":[{"reason":"dailyLimitExceeded"}]}}"#.into(), vec![]));
    let engine = Engine::with_options(vec![provider("google", &f.url, Some("good"))], fast());
    assert_eq!(
        run(&engine, &job(article(2), "es"))
            .await
            .0
            .unwrap_err()
            .kind,
        ErrorKind::Quota
    );

    // Microsoft: 401 → auth, 403 → quota; OpenAI 429 insufficient_quota → quota.
    let f = fixture::microsoft("ms", None).await;
    let engine = Engine::with_options(vec![provider("microsoft", &f.url, Some("not-ms"))], fast());
    assert_eq!(
        run(&engine, &job(article(2), "es"))
            .await
            .0
            .unwrap_err()
            .kind,
        ErrorKind::Auth
    );
    let f = fixture::microsoft("ms", None).await;
    f.fault(Fault::Status(403, r#"{"error":{"code":403001,"message":"The operation is not allowed because the subscription has exceeded its free quota."}}"#.into(), vec![]));
    let engine = Engine::with_options(vec![provider("microsoft", &f.url, Some("ms"))], fast());
    assert_eq!(
        run(&engine, &job(article(2), "es"))
            .await
            .0
            .unwrap_err()
            .kind,
        ErrorKind::Quota
    );
    let f = fixture::openai(None).await;
    f.fault(Fault::Status(429, r#"{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}}"#.into(), vec![]));
    let engine = Engine::with_options(
        vec![provider("openai", &format!("{}/v1", f.url), None)],
        fast(),
    );
    let e = run(&engine, &job(article(2), "es")).await.0.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Quota);
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(json["code"], "quota");
    assert_eq!(json["provider"], "openai");

    // Missing key for a keyed provider → auth error telling where to put it.
    let e = providers::build(
        "deepl",
        &ProviderConfig::new(),
        None,
        &HttpOptions::default(),
    )
    .err()
    .unwrap();
    assert_eq!(e.kind, ErrorKind::Auth);
    assert!(e.message.contains("DUIZHAO_DEEPL_API_KEY"));
}

#[tokio::test]
async fn oversized_replies_are_rejected() {
    let f = fixture::libretranslate(None).await;
    f.fault(Fault::Body(format!(
        "{{\"translatedText\":[\"{}\"]}}",
        "x".repeat(4096)
    )));
    for _ in 0..20 {
        f.fault(Fault::Body(format!(
            "{{\"translatedText\":[\"{}\"]}}",
            "x".repeat(4096)
        )));
    }
    let http = HttpOptions {
        max_reply_bytes: 2048,
        ..crate::http_fast()
    };
    let p = providers::build("libretranslate", &crate::cfg(&f.url), None, &http).unwrap();
    let tm = Arc::new(InMemoryTm::new());
    let engine = Engine::with_options(vec![p], fast()).with_memory(tm.clone());
    let e = run(&engine, &job(article(1), "es")).await.0.unwrap_err();
    assert_eq!(e.kind, ErrorKind::BadReply);
    assert!(e.message.contains("limit"), "{e}");
    assert!(tm.is_empty());
}

#[tokio::test]
async fn rate_limit_spaces_requests() {
    let f = fixture::google_web().await;
    let opts = EngineOptions {
        requests_per_second: Some(10),
        concurrency: Some(4),
        ..fast()
    };
    let engine = Engine::with_options(vec![provider("google-web", &f.url, None)], opts);
    let started = Instant::now();
    run(&engine, &job(article(6), "es")).await.0.unwrap();
    // 6 requests at 10/s: the last starts ≥ 500 ms after the first.
    assert!(
        started.elapsed() >= Duration::from_millis(480),
        "{:?}",
        started.elapsed()
    );
}
