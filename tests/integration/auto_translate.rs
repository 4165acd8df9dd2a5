//! Per-feed auto-translation through the core's public API: loopback feeds and a
//! LibreTranslate-shaped server on 127.0.0.1 (all keyless fallbacks pointed at it too, so
//! nothing leaves the machine). New articles of a feed that asks are translated after the
//! refresh, newest first and bounded; other feeds and articles already in the target language
//! are left alone; a failing service leaves the articles and the refresh summary intact,
//! records the failure and is tried again after the next refresh.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use duizhao_core::AutoTranslateStatus;
use duizhao_core::TranslationSettings;
use duizhao_core::store::auto_translations::MAX_PER_FEED;
use duizhao_core::{Library, LibraryHandle, ListFilter, ViewOptions};
use duizhao_translate::CancellationToken;
use serde_json::{Value, json};

/// The LibreTranslate fixture: `<target> text`, or 403 for everything while `failing`.
#[derive(Clone, Default)]
struct Translator {
    failing: Arc<AtomicBool>,
    requests: Arc<AtomicUsize>,
    /// Characters asked for, in all.
    chars: Arc<AtomicUsize>,
}

async fn translate(
    State(t): State<Translator>,
    axum::Json(body): axum::Json<Value>,
) -> (StatusCode, axum::Json<Value>) {
    t.requests.fetch_add(1, Ordering::SeqCst);
    if t.failing.load(Ordering::SeqCst) {
        return (StatusCode::FORBIDDEN, axum::Json(json!({"error": "no"})));
    }
    let target = body["target"].as_str().unwrap_or("?").to_string();
    let asked: usize = body["q"]
        .as_array()
        .map(|q| {
            q.iter()
                .map(|s| s.as_str().unwrap_or("").chars().count())
                .sum()
        })
        .unwrap_or(0);
    t.chars.fetch_add(asked, Ordering::SeqCst);
    let out: Vec<String> = body["q"]
        .as_array()
        .map(|q| {
            q.iter()
                .map(|s| format!("<{target}> {}", s.as_str().unwrap_or("")))
                .collect()
        })
        .unwrap_or_default();
    (StatusCode::OK, axum::Json(json!({ "translatedText": out })))
}

/// German items (dated, the newest last in the document) or English ones.
fn rss(lang: &str, n: usize) -> String {
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>{lang}</title>"
    );
    for i in 0..n {
        let (title, body) = if lang == "de" {
            (
                format!("Die Regierung beschließt das Gesetz Nummer {i}"),
                "Der Bundestag hat am Donnerstag nach einer langen Debatte über die Zukunft der \
                 Energieversorgung in Deutschland abgestimmt."
                    .to_string(),
            )
        } else {
            (
                format!("The government passes law number {i}"),
                "Parliament voted on Thursday after a long debate about the future of the \
                 country's energy supply and its cost for households."
                    .to_string(),
            )
        };
        s.push_str(&format!(
            "<item><title>{title}</title><guid>{lang}{i}</guid>\
             <pubDate>{:02} Jan 2024 10:00:00 GMT</pubDate>\
             <description><![CDATA[<p>{body}</p>]]></description></item>",
            i + 1
        ));
    }
    s.push_str("</channel></rss>");
    s
}

/// One German item of about 3,000 characters.
fn long_rss() -> String {
    let body = "Der Bundestag hat am Donnerstag nach einer langen Debatte abgestimmt. ".repeat(40);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>long</title>\
         <item><title>Ein sehr langer Bericht</title><guid>long</guid><description><![CDATA[<p>{body}</p>]]></description></item>\
         </channel></rss>"
    )
}

async fn serve(t: Translator) -> String {
    let app = Router::new()
        .route("/de.xml", get(|| async { rss("de", 12) }))
        .route("/de2.xml", get(|| async { rss("de", 2) }))
        .route("/en.xml", get(|| async { rss("en", 2) }))
        .route("/long.xml", get(|| async { long_rss() }))
        .route("/translate", post(translate))
        .fallback(|State(t): State<Translator>| async move {
            t.requests.fetch_add(1, Ordering::SeqCst);
            StatusCode::FORBIDDEN
        })
        .with_state(t);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    url
}

/// A library subscribed (unfetched) to the three feeds, LibreTranslate as the reader's
/// provider; returns the handle and the feed ids by path.
fn library(dir: &std::path::Path, base: &str) -> (LibraryHandle, [i64; 3]) {
    let mut lib = Library::open(dir).unwrap();
    for p in ["libretranslate", "edge", "google-web"] {
        let values = [("endpoint".to_string(), base.to_string())]
            .into_iter()
            .collect();
        lib.set_provider(p, &values).unwrap();
    }
    lib.set_translation_settings(&TranslationSettings {
        target: "en".into(),
        provider: Some("libretranslate".into()),
    })
    .unwrap();
    let opml = dir.join("subs.opml");
    std::fs::write(
        &opml,
        format!(
            "<opml version=\"2.0\"><body>\
             <outline text=\"de\" xmlUrl=\"{base}/de.xml\"/>\
             <outline text=\"de2\" xmlUrl=\"{base}/de2.xml\"/>\
             <outline text=\"en\" xmlUrl=\"{base}/en.xml\"/></body></opml>"
        ),
    )
    .unwrap();
    lib.opml_import(&opml).unwrap();
    let feeds = lib.list_feeds().unwrap();
    let id = |path: &str| {
        feeds
            .iter()
            .find(|f| f.url.ends_with(path))
            .map(|f| f.id)
            .unwrap()
    };
    let ids = [id("/de.xml"), id("/de2.xml"), id("/en.xml")];
    // Auto-translate the first German feed and the English one into English.
    for feed in [ids[0], ids[2]] {
        let mut o = lib.feed_options(feed).unwrap();
        o.auto_translate = Some("en".into());
        lib.set_feed_options(feed, &o).unwrap();
    }
    (LibraryHandle::new(lib), ids)
}

/// The stored English translation of each of `feed`'s articles (title), newest first.
fn titles_in_english(handle: &LibraryHandle, feed: i64) -> Vec<(String, Option<String>)> {
    let lib = handle.lock();
    let list = lib
        .list(&ListFilter {
            feed_id: Some(feed),
            ..ListFilter::default()
        })
        .unwrap();
    list.iter()
        .map(|a| {
            let view = lib
                .article_view(
                    a.id,
                    &ViewOptions {
                        to: Some("en".into()),
                        ..ViewOptions::default()
                    },
                )
                .unwrap();
            (view.title, view.title_translation)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_articles_of_feeds_that_ask_are_translated_newest_first_and_bounded() {
    let t = Translator::default();
    let base = serve(t.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let (handle, [de, de2, en]) = library(dir.path(), &base);

    let summary = handle.refresh(None, true, |_| {}).await.unwrap();
    assert_eq!((summary.feeds, summary.new_articles), (3, 16));
    assert_eq!(
        t.requests.load(Ordering::SeqCst),
        0,
        "the refresh translates nothing"
    );

    let mut seen = Vec::new();
    let auto = handle
        .auto_translate_pending(|p| seen.push(p), &CancellationToken::new())
        .await
        .unwrap();
    assert_eq!(
        (
            auto.translated,
            auto.skipped,
            auto.failed.len(),
            auto.remaining
        ),
        (MAX_PER_FEED as u32, 2, 0, 0),
        "{auto:?}"
    );
    assert!(seen.iter().all(|p| p.target == "en" && p.error.is_none()));
    assert_eq!(
        seen.iter()
            .filter(|p| p.status == AutoTranslateStatus::Translated)
            .count(),
        MAX_PER_FEED
    );

    // The newest ten of the German feed, titles and blocks; the two oldest are left for the
    // reader.
    let de_titles = titles_in_english(&handle, de);
    assert_eq!(de_titles.len(), 12);
    for (i, (title, translation)) in de_titles.iter().enumerate() {
        if i < MAX_PER_FEED {
            assert_eq!(
                translation.as_deref(),
                Some(format!("<en> {title}").as_str())
            );
        } else {
            assert_eq!(translation, &None, "{title}: beyond the bound");
        }
    }
    let newest = handle.lock().list(&ListFilter::default()).unwrap();
    let newest_de = newest.iter().find(|a| a.feed_id == Some(de)).unwrap();
    let view = handle
        .lock()
        .article_view(
            newest_de.id,
            &ViewOptions {
                to: Some("en".into()),
                ..ViewOptions::default()
            },
        )
        .unwrap();
    assert!(
        view.blocks.iter().all(|b| b
            .translation
            .as_deref()
            .is_some_and(|t| t.starts_with("<en> Der Bundestag"))),
        "{:?}",
        view.blocks
    );
    // A feed without auto-translation, and one already in English: nothing translated.
    assert!(
        titles_in_english(&handle, de2)
            .iter()
            .all(|(_, t)| t.is_none())
    );
    assert!(
        titles_in_english(&handle, en)
            .iter()
            .all(|(_, t)| t.is_none())
    );

    // The queue is empty: a second pass (after a refresh with nothing new) asks nothing.
    let before = t.requests.load(Ordering::SeqCst);
    let summary = handle.refresh(None, true, |_| {}).await.unwrap();
    assert_eq!(summary.new_articles, 0);
    let auto = handle
        .auto_translate_pending(|_| {}, &CancellationToken::new())
        .await
        .unwrap();
    assert_eq!((auto.translated, auto.remaining), (0, 0));
    assert_eq!(t.requests.load(Ordering::SeqCst), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_service_keeps_articles_and_summary_records_and_retries_a_bounded_number_of_times()
 {
    let t = Translator::default();
    t.failing.store(true, Ordering::SeqCst);
    let base = serve(t.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let (handle, [de, _, _]) = library(dir.path(), &base);

    let summary = handle.refresh(None, true, |_| {}).await.unwrap();
    assert_eq!((summary.feeds, summary.new_articles), (3, 16));
    assert!(summary.failed.is_empty(), "{summary:?}");

    let mut seen = Vec::new();
    let auto = handle
        .auto_translate_pending(|p| seen.push(p), &CancellationToken::new())
        .await
        .unwrap();
    // Two failures in a row end the pass: the chain is down, the rest waits.
    assert_eq!(auto.translated, 0);
    assert_eq!(auto.failed.len(), 2, "{auto:?}");
    assert!(
        auto.failed
            .iter()
            .all(|f| f.feed_id == de && !f.message.is_empty())
    );
    // Ten German articles and the two English ones (skipped when their turn comes) wait.
    assert_eq!(
        auto.remaining as usize,
        MAX_PER_FEED + 2,
        "failed ones are retried later"
    );
    assert!(
        seen.iter()
            .all(|p| p.status != AutoTranslateStatus::Translated)
    );
    assert_eq!(
        titles_in_english(&handle, de).len(),
        12,
        "every article stays"
    );
    assert!(
        titles_in_english(&handle, de)
            .iter()
            .all(|(_, t)| t.is_none())
    );

    // Each pass (one per refresh) tries the same two newest articles again; after their third
    // failure they are given up on, so no article is asked for forever.
    handle
        .auto_translate_pending(|_| {}, &CancellationToken::new())
        .await
        .unwrap();
    let auto = handle
        .auto_translate_pending(|_| {}, &CancellationToken::new())
        .await
        .unwrap();
    assert_eq!(auto.remaining as usize, MAX_PER_FEED - 2 + 2);

    // The service is back: the next pass translates what is still queued.
    t.failing.store(false, Ordering::SeqCst);
    let auto = handle
        .auto_translate_pending(|_| {}, &CancellationToken::new())
        .await
        .unwrap();
    assert_eq!(
        (
            auto.translated as usize,
            auto.skipped,
            auto.failed.len(),
            auto.remaining
        ),
        (MAX_PER_FEED - 2, 2, 0, 0),
        "{auto:?}"
    );
    let translated = titles_in_english(&handle, de)
        .iter()
        .filter(|(_, t)| t.is_some())
        .count();
    assert_eq!(
        translated,
        MAX_PER_FEED - 2,
        "the two given up on stay untranslated"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auto_translation_sends_no_more_than_its_character_budgets() {
    let t = Translator::default();
    let base = serve(t.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let (handle, [de, ..]) = library(dir.path(), &base);
    handle
        .with(|lib| {
            let mut s = lib.feed_settings()?;
            s.auto_translate_max_pass_chars = 1_000;
            s.auto_translate_max_article_chars = 1_000;
            lib.set_feed_settings(&s)
        })
        .unwrap();
    handle.refresh(Some(de), true, |_| {}).await.unwrap();
    let auto = handle
        .auto_translate_pending(|_| {}, &CancellationToken::new())
        .await
        .unwrap();
    assert!(
        auto.translated > 0 && (auto.translated as usize) < MAX_PER_FEED,
        "a pass stops at its budget: {auto:?}"
    );
    assert!(auto.failed.is_empty(), "{auto:?}");
    assert_eq!(
        auto.remaining as usize,
        MAX_PER_FEED - auto.translated as usize,
        "what the budget left out stays queued for the next pass"
    );
    assert!(
        t.chars.load(Ordering::SeqCst) <= 1_000,
        "a paid key must never be asked for more than the pass budget: {}",
        t.chars.load(Ordering::SeqCst)
    );

    // An article longer than the per-article budget is never sent, and not asked again.
    let long = handle
        .add_feed(&format!("{base}/long.xml"), None)
        .await
        .unwrap();
    handle
        .with(|lib| {
            let mut o = lib.feed_options(long.id)?;
            o.auto_translate = Some("en".into());
            lib.set_feed_options(long.id, &o).map(|_| ())
        })
        .unwrap();
    let (requests, chars) = (
        t.requests.load(Ordering::SeqCst),
        t.chars.load(Ordering::SeqCst),
    );
    let mut seen = Vec::new();
    let auto = handle
        .auto_translate_pending(|p| seen.push(p), &CancellationToken::new())
        .await
        .unwrap();
    let failed: Vec<_> = seen.iter().filter(|p| p.feed_id == long.id).collect();
    assert_eq!(failed.len(), 1, "{seen:?}");
    let error = failed[0].error.as_ref().expect("the reader is told why");
    assert!(error.message.contains("translate it by hand"), "{error:?}");
    assert!(
        t.chars.load(Ordering::SeqCst) - chars < 3_000,
        "the long article was not sent ({} requests before, {} after)",
        requests,
        t.requests.load(Ordering::SeqCst)
    );
    assert!(
        !auto.failed.is_empty(),
        "it is listed among the failures: {auto:?}"
    );
}
