//! Every provider's happy path against its fixture, and the request shapes it sends.

use std::sync::Arc;

use duizhao_translate::*;

use crate::fixture::{self, fake};
use crate::{article, fast, job, provider, run};

fn segs() -> Vec<Segment> {
    vec![
        Segment::new("a", "The minister arrived in Berlin on Monday."),
        Segment::new(
            "b",
            "Prices rose by 3% while wages < inflation & rents went up.",
        ),
        Segment::new("c", "Nobody expected the vote to pass so easily."),
    ]
}

async fn check(p: Arc<dyn Provider>, target: &str, tag: &str) {
    let engine = Engine::with_options(vec![p], fast());
    let (r, events) = run(&engine, &job(segs(), target)).await;
    let out = r.expect("translation succeeds");
    assert_eq!(out.segments.len(), 3);
    for (s, t) in segs().iter().zip(&out.segments) {
        assert_eq!(t.id, s.id);
        assert_eq!(t.text, fake(tag, &s.text), "segment {}", s.id);
        assert_eq!(t.origin, Origin::Provider);
    }
    let done: usize = events.iter().map(|e| e.segments.len()).sum();
    assert_eq!(done, 3);
    assert_eq!(events.last().unwrap().done, 3);
}

#[tokio::test]
async fn openai_happy_path() {
    let f = fixture::openai(Some("sk-test-123456")).await;
    let p = provider("openai", &format!("{}/v1", f.url), Some("sk-test-123456"));
    check(p, "es", "Spanish").await;
    let reqs = f.translate_requests();
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].path, "/v1/chat/completions");
    let body = reqs[0].json();
    assert_eq!(body["model"], "gpt-4o-mini");
    assert_eq!(body["stream"], false);
    let user: serde_json::Value =
        serde_json::from_str(body["messages"][1]["content"].as_str().unwrap()).unwrap();
    assert_eq!(user["segments"][0]["id"], "1");
    assert_eq!(user["targetLanguage"], "Spanish");
}

#[tokio::test]
async fn openai_without_key_sends_no_authorization() {
    let f = fixture::openai(None).await;
    let p = provider("openai", &format!("{}/v1", f.url), None);
    check(p, "de", "German").await;
    assert!(f.translate_requests()[0].header("authorization").is_none());
}

#[tokio::test]
async fn deepl_happy_path() {
    let f = fixture::deepl("abc-123:fx").await;
    check(provider("deepl", &f.url, Some("abc-123:fx")), "es", "ES").await;
    let r = &f.translate_requests()[0];
    assert_eq!(r.header("authorization"), Some("DeepL-Auth-Key abc-123:fx"));
    assert_eq!(r.json()["text"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn deepl_free_keys_use_the_free_host() {
    let p = providers::deepl::DeepL::new(
        &ProviderConfig::new(),
        Some(Secret::new("k:fx")),
        &HttpOptions::default(),
    )
    .unwrap();
    assert_eq!(p.url(), "https://api-free.deepl.com/v2/translate");
    let p = providers::deepl::DeepL::new(
        &ProviderConfig::new(),
        Some(Secret::new("k")),
        &HttpOptions::default(),
    )
    .unwrap();
    assert_eq!(p.url(), "https://api.deepl.com/v2/translate");
    let p = providers::deepl::DeepL::new(
        &crate::cfg("http://127.0.0.1:9"),
        Some(Secret::new("k:fx")),
        &HttpOptions::default(),
    )
    .unwrap();
    assert_eq!(p.url(), "http://127.0.0.1:9/v2/translate");
}

#[tokio::test]
async fn deepl_chinese_target_is_zh_hans_and_recorded_as_zh() {
    let f = fixture::deepl("k1234").await;
    let engine = Engine::with_options(vec![provider("deepl", &f.url, Some("k1234"))], fast());
    for target in ["zh-Hant", "zh-Hans", "zh-TW"] {
        let (r, _) = run(&engine, &job(segs(), target)).await;
        let out = r.unwrap();
        assert_eq!(out.target, "zh");
        assert_eq!(out.segments[0].text, fake("ZH-HANS", &segs()[0].text));
    }
}

#[tokio::test]
async fn google_happy_path() {
    let f = fixture::google("AIzaTestKey").await;
    check(provider("google", &f.url, Some("AIzaTestKey")), "ja", "ja").await;
    let r = &f.translate_requests()[0];
    assert_eq!(r.method, "POST");
    assert_eq!(
        r.header("x-goog-api-key"),
        Some("AIzaTestKey"),
        "the key rides in a header"
    );
    assert!(
        !r.uri.contains("AIzaTestKey") && r.query_get("key").is_none(),
        "a key in the URL ends up in proxy and server logs: {}",
        r.uri
    );
    assert_eq!(r.json()["format"], "text");
}

#[tokio::test]
async fn google_web_happy_path() {
    let f = fixture::google_web().await;
    check(provider("google-web", &f.url, None), "zh-Hans", "zh-CN").await;
    let reqs = f.translate_requests();
    assert_eq!(reqs.len(), 3, "one GET per segment");
    assert!(
        reqs.iter()
            .all(|r| r.method == "GET" && r.query_get("sl").as_deref() == Some("auto"))
    );
}

#[tokio::test]
async fn microsoft_happy_path() {
    let f = fixture::microsoft("ms-key-1", Some("westeurope")).await;
    let p = providers::build(
        "microsoft",
        &crate::cfg(&f.url).with("region", "westeurope"),
        Some(Secret::new("ms-key-1")),
        &crate::http_fast(),
    )
    .unwrap();
    check(p, "fr", "fr").await;
    let r = &f.translate_requests()[0];
    assert_eq!(r.path, "/translate");
    assert_eq!(r.query_get("to").as_deref(), Some("fr"));
    assert_eq!(r.json()[0]["Text"], segs()[0].text);
}

#[tokio::test]
async fn edge_happy_path_escapes_markup_characters() {
    let f = fixture::edge().await;
    check(provider("edge", &f.url, None), "ko", "ko").await;
    let r = &f.translate_requests()[0];
    let sent = r.json();
    assert_eq!(
        sent[1],
        "Prices rose by 3% while wages &lt; inflation &amp; rents went up."
    );
    assert_eq!(r.query_get("from").as_deref(), Some(""));
}

#[tokio::test]
async fn libretranslate_happy_path() {
    let f = fixture::libretranslate(Some("lt-key")).await;
    check(
        provider("libretranslate", &f.url, Some("lt-key")),
        "it",
        "it",
    )
    .await;
    let body = f.translate_requests()[0].json();
    assert_eq!(body["source"], "auto");
    assert_eq!(body["format"], "text");
}

#[tokio::test]
async fn apertium_happy_path_uses_iso639_3_and_the_detected_source() {
    let f = fixture::apertium().await;
    check(provider("apertium", &f.url, None), "es", "eng|spa").await;
    let reqs = f.requests();
    assert_eq!(
        reqs.iter().filter(|r| r.path == "/listPairs").count(),
        1,
        "pairs fetched once"
    );
    let t = f.translate_requests();
    assert_eq!(t.len(), 3);
    assert!(t[0].form().contains(&("markUnknown".into(), "no".into())));
}

#[tokio::test]
async fn apertium_missing_pair_is_unsupported_before_sending_text() {
    let f = fixture::apertium().await;
    let engine = Engine::with_options(vec![provider("apertium", &f.url, None)], fast());
    let (r, _) = run(&engine, &job(article(2), "ja")).await;
    assert_eq!(r.unwrap_err().kind, ErrorKind::Unsupported);
    assert!(f.translate_requests().is_empty());
}

#[test]
fn registry_knows_every_provider_and_its_fields() {
    assert_eq!(providers::all().len(), 8);
    for info in providers::all() {
        assert!(
            info.fields.iter().any(|f| f.key == "endpoint"),
            "{} has endpoint",
            info.name
        );
        assert!(info.limits.max_segments >= 1);
    }
    assert!(providers::info("deepl").unwrap().needs_key);
    assert!(!providers::info("edge").unwrap().needs_key);
    assert!(providers::info("nope").is_none());
    let mut c = ProviderConfig::new();
    let fields = providers::info("openai").unwrap().fields;
    c.set("openai", &fields, "model", "deepseek-chat").unwrap();
    assert_eq!(
        c.set("openai", &fields, "api_key", "sk-x")
            .unwrap_err()
            .kind,
        ErrorKind::Config
    );
    assert!(c.set("openai", &fields, "endpoint", "ftp://x").is_err());
    assert!(c.set("openai", &fields, "temperature", "warm").is_err());
    assert!(c.set("openai", &fields, "colour", "red").is_err());
    let toml_like = serde_json::to_string(&c).unwrap();
    assert_eq!(toml_like, r#"{"model":"deepseek-chat"}"#);
}
