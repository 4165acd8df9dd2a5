//! The feed commands and the `dzimg` image protocol through Tauri's IPC path
//! (`tauri::test::mock_builder`, the app's real context and capabilities) over a real
//! temporary library, with a real HTTP server on 127.0.0.1 serving the feed and its image
//! (and answering as LibreTranslate, for auto-translation).

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

use duizhao_app::AppState;
use duizhao_app::commands::feeds::{IMAGE_URL_PREFIX, image_response};
use serde_json::{Value, json};
use tauri::Manager;

use crate::{app, invoke, pick};

/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];

/// A minimal HTTP/1.1 server on 127.0.0.1 (one connection at a time, `Connection: close`):
/// `/feed.xml` is an RSS feed whose item shows `/dot.png`, `/en.xml` one English item;
/// `POST /translate` answers as LibreTranslate.
fn start_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let feed = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>臺灣新聞</title><item><title>經濟新聞</title><link>https://example.com/1</link><guid>1</guid><description><![CDATA[<p>臺灣經濟成長。</p><img src=\"{base}/dot.png\" alt=\"dot\">]]></description></item></channel></rss>"
    );
    let english = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Harbour News</title><item><title>Harbour traffic grows</title><link>https://example.com/en/1</link><guid>en-1</guid><description><![CDATA[<p>The harbour authority said on Monday that ship traffic grew for the sixth month in a row, helped by new routes.</p>]]></description></item></channel></rss>";
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut request_line = String::new();
            let _ = reader.read_line(&mut request_line);
            let mut line = String::new();
            let mut length = 0usize;
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                if let Some((name, value)) = line.split_once(':')
                    && name.eq_ignore_ascii_case("content-length")
                {
                    length = value.trim().parse().unwrap_or(0);
                }
                line.clear();
            }
            let mut request = vec![0u8; length];
            let _ = std::io::Read::read_exact(&mut reader, &mut request);
            let path = request_line.split_whitespace().nth(1).unwrap_or("/");
            // LibreTranslate: `{q: [..], target}` → `{translatedText: ["<target> ..", ..]}`.
            let translated = (path == "/translate").then(|| {
                let req: Value = serde_json::from_slice(&request).unwrap_or_default();
                let target = req["target"].as_str().unwrap_or("?").to_string();
                let out: Vec<String> = req["q"]
                    .as_array()
                    .map(|q| {
                        q.iter()
                            .map(|t| format!("<{target}> {}", t.as_str().unwrap_or("")))
                            .collect()
                    })
                    .unwrap_or_default();
                json!({ "translatedText": out }).to_string()
            });
            let (ctype, body): (&str, &[u8]) = match (path, &translated) {
                (_, Some(reply)) => ("application/json", reply.as_bytes()),
                ("/feed.xml", _) => ("application/rss+xml", feed.as_bytes()),
                ("/en.xml", _) => ("application/rss+xml", english.as_bytes()),
                ("/dot.png", _) => ("application/octet-stream", PNG),
                _ => ("text/plain", b"not found"),
            };
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(body);
        }
    });
    base
}

#[test]
fn subscribing_shows_stored_images_through_the_dzimg_protocol() {
    let base = start_server();
    let dir = tempfile::tempdir().unwrap();
    let (app, webview) = app(dir.path());
    let feed = invoke(
        &webview,
        "add_feed",
        json!({ "url": format!("{base}/feed.xml"), "folder": "臺灣" }),
    )
    .expect("add_feed works");
    assert_eq!(feed["total"], 1);
    assert_eq!(feed["folder"], "臺灣");
    let feeds = invoke(&webview, "list_feeds", json!({})).unwrap();
    assert_eq!(feeds[0]["unread"], 1, "the sidebar shows unread counts");

    let list = invoke(
        &webview,
        "list_articles",
        json!({ "filter": { "feedId": feed["id"] } }),
    )
    .unwrap();
    let id = list[0]["id"].as_i64().unwrap();
    let article = invoke(&webview, "get_article", json!({ "id": id, "view": {} })).unwrap();
    let image = article["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["kind"] == "image")
        .expect("an image block");
    let src = image["src"].as_str().unwrap();
    assert!(
        src.starts_with(IMAGE_URL_PREFIX),
        "a stored image is shown from the library, offline: {src}"
    );
    assert_eq!(
        image["remote_src"],
        format!("{base}/dot.png"),
        "remote URL kept"
    );

    let state = app.state::<AppState>();
    let path = &src[IMAGE_URL_PREFIX.len() - 1..];
    let resp = image_response(Some(&state), path);
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.headers()["content-type"],
        "image/png",
        "served with the sniffed type, not the server's octet-stream"
    );
    assert_eq!(resp.body().as_slice(), PNG);
    assert_eq!(image_response(Some(&state), "/999999").status(), 404);
    assert_eq!(image_response(Some(&state), "/../etc/passwd").status(), 400);
    assert_eq!(image_response(None, "/1").status(), 503);
}

#[test]
fn the_languages_of_a_new_feed_arrive_after_the_write_and_the_list_is_told() {
    use tauri::Listener;
    let base = start_server();
    let dir = tempfile::tempdir().unwrap();
    let (app, webview) = app(dir.path());
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    app.listen(duizhao_app::LIBRARY_CHANGED_EVENT, move |_| {
        let _ = tx.send(());
    });
    let feed = invoke(
        &webview,
        "add_feed",
        json!({ "url": format!("{base}/en.xml") }),
    )
    .expect("add_feed works");
    // The language pass runs after the command answered; the event is its end (a generous
    // bound only so that a broken pass fails the test instead of hanging it).
    rx.recv_timeout(std::time::Duration::from_secs(120))
        .expect("the webview is told when the new article's language is in");
    let list = invoke(
        &webview,
        "list_articles",
        json!({ "filter": { "feedId": feed["id"] } }),
    )
    .unwrap();
    assert_eq!(
        list[0]["lang"], "en",
        "the list, the reader and translation read the language the pass stored: {list}"
    );
}

#[test]
fn library_state_search_export_and_opml_commands() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app(dir.path());
    let seed = invoke(&webview, "list_articles", json!({ "filter": {} })).unwrap();
    let id = seed[0]["id"].as_i64().unwrap();

    let hits = invoke(&webview, "search", json!({ "query": "外长" })).unwrap();
    assert_eq!(
        hits[0]["id"], id,
        "the Simplified query finds the Traditional seed"
    );
    assert!(
        hits[0]["snippet"]
            .as_str()
            .unwrap()
            .contains("<mark>外長</mark>")
    );

    invoke(&webview, "set_read", json!({ "id": id, "value": true })).unwrap();
    invoke(&webview, "set_starred", json!({ "id": id, "value": true })).unwrap();
    let a = invoke(&webview, "get_article", json!({ "id": id, "view": {} })).unwrap();
    assert_eq!(
        (a["read"].clone(), a["starred"].clone()),
        (json!(true), json!(true))
    );

    let out = dir.path().join("seed.html");
    pick(&webview, Some(&out));
    let written = invoke(
        &webview,
        "export_article",
        json!({ "id": id, "options": { "format": "html", "script": "hans" } }),
    )
    .unwrap();
    assert_eq!(written, json!(out.display().to_string()));
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(
        html.contains("王毅见俄外长"),
        "the export is in the chosen script"
    );

    let opml = dir.path().join("in.opml");
    std::fs::write(
        &opml,
        "<opml version=\"2.0\"><body><outline text=\"News\"><outline text=\"A\" xmlUrl=\"https://a.example/feed\"/></outline></body></opml>",
    )
    .unwrap();
    pick(&webview, Some(&opml));
    let summary = invoke(&webview, "opml_import", json!({})).unwrap();
    assert_eq!(summary["added"], 1);
    let feeds = invoke(&webview, "list_feeds", json!({})).unwrap();
    let feed_id = feeds[0]["id"].as_i64().unwrap();
    let mut options = invoke(&webview, "get_feed_options", json!({ "id": feed_id })).unwrap();
    options["title"] = json!("Renamed");
    options["custom_title"] = json!(true);
    options["folder"] = Value::Null;
    options["full_text"] = json!(true);
    let renamed = invoke(
        &webview,
        "set_feed_options",
        json!({ "id": feed_id, "options": options }),
    )
    .unwrap();
    assert_eq!(
        (
            renamed["title"].clone(),
            renamed["folder"].clone(),
            renamed["full_text"].clone()
        ),
        (json!("Renamed"), Value::Null, json!(true))
    );
    let exported = dir.path().join("out.opml");
    pick(&webview, Some(&exported));
    invoke(&webview, "opml_export", json!({})).unwrap();
    assert!(
        std::fs::read_to_string(&exported)
            .unwrap()
            .contains("Renamed")
    );
    invoke(&webview, "remove_feed", json!({ "id": feed_id })).unwrap();
    assert_eq!(
        invoke(&webview, "list_feeds", json!({})).unwrap(),
        json!([])
    );

    invoke(&webview, "delete_article", json!({ "id": id })).unwrap();
    let err = invoke(&webview, "delete_article", json!({ "id": id })).unwrap_err();
    assert_eq!(
        err["code"], "not_found",
        "the UI can tell a missing article apart"
    );
    let err = invoke(
        &webview,
        "add_feed",
        json!({ "url": "ftp://x", "folder": null }),
    )
    .unwrap_err();
    assert_eq!(err["code"], "fetch", "{err}");
}

#[test]
fn the_feed_dialog_and_library_settings_commands_round_trip_and_refuse_bad_values() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app(dir.path());
    let opml = dir.path().join("in.opml");
    std::fs::write(
        &opml,
        "<opml version=\"2.0\"><body><outline text=\"A\" xmlUrl=\"https://a.example/feed\"/></body></opml>",
    )
    .unwrap();
    pick(&webview, Some(&opml));
    invoke(&webview, "opml_import", json!({})).unwrap();
    let id = invoke(&webview, "list_feeds", json!({})).unwrap()[0]["id"].clone();

    let options = invoke(&webview, "get_feed_options", json!({ "id": id })).unwrap();
    assert_eq!(options["title"], "A");
    assert_eq!(options["custom_title"], false);
    assert_eq!(options["interval_min"], Value::Null);
    assert_eq!(options["remove"], json!([]));
    assert!(
        options["builtin"].as_array().unwrap().len() >= 2,
        "the dialog can show the built-in rules: {options}"
    );

    let feed = invoke(
        &webview,
        "set_feed_options",
        json!({ "id": id, "options": {
            "title": "Renamed", "custom_title": true, "folder": "News", "full_text": true,
            "interval_min": 30, "remove": [".share", "aside"]
        } }),
    )
    .unwrap();
    assert_eq!(
        (&feed["title"], &feed["folder"], &feed["full_text"]),
        (&json!("Renamed"), &json!("News"), &json!(true))
    );
    let options = invoke(&webview, "get_feed_options", json!({ "id": id })).unwrap();
    assert_eq!(options["interval_min"], 30);
    assert_eq!(options["remove"], json!([".share", "aside"]));
    assert_eq!(options["auto_translate"], Value::Null, "off unless asked");

    // Auto-translation round trip: stored in its canonical form, refused when unknown.
    let mut auto = options.clone();
    auto["auto_translate"] = json!("zh-TW");
    invoke(
        &webview,
        "set_feed_options",
        json!({ "id": id, "options": auto }),
    )
    .unwrap();
    let options = invoke(&webview, "get_feed_options", json!({ "id": id })).unwrap();
    assert_eq!(options["auto_translate"], "zh-Hant");
    for (key, value, needle) in [
        (
            "auto_translate",
            json!("tlh"),
            "auto-translate takes one of",
        ),
        ("remove", json!(["div >"]), "not a CSS selector"),
    ] {
        let mut bad = options.clone();
        bad[key] = value;
        let err = invoke(
            &webview,
            "set_feed_options",
            json!({ "id": id, "options": bad }),
        )
        .unwrap_err();
        assert_eq!(err["code"], "invalid_input");
        assert!(err["message"].as_str().unwrap().contains(needle), "{err}");
    }
    assert_eq!(
        invoke(&webview, "get_feed_options", json!({ "id": id })).unwrap(),
        options,
        "a refused save changes nothing"
    );

    let mut settings = invoke(&webview, "get_feed_settings", json!({})).unwrap();
    assert_eq!(settings["interval_min"], 60, "defaults before any change");
    assert_eq!(settings["retention_days"], Value::Null);
    settings["interval_min"] = json!(120);
    settings["retention_days"] = json!(30);
    settings["download_images"] = json!(false);
    settings["concurrency"] = json!(2);
    invoke(
        &webview,
        "set_feed_settings",
        json!({ "settings": settings }),
    )
    .unwrap();
    assert_eq!(
        invoke(&webview, "get_feed_settings", json!({})).unwrap(),
        settings
    );
    let mut bad = settings.clone();
    bad["retention_days"] = json!(0);
    let err = invoke(&webview, "set_feed_settings", json!({ "settings": bad })).unwrap_err();
    assert_eq!(err["code"], "invalid_input");
    assert!(
        err["message"].as_str().unwrap().contains("retention_days"),
        "{err}"
    );
    assert_eq!(
        invoke(&webview, "get_feed_settings", json!({})).unwrap(),
        settings,
        "nothing saved"
    );
}

/// The app over a library subscribed by OPML to `base`'s feed: never checked, so due.
fn subscribed_app(
    dir: &std::path::Path,
    base: &str,
) -> (
    tauri::App<tauri::test::MockRuntime>,
    tauri::WebviewWindow<tauri::test::MockRuntime>,
) {
    let (app, webview) = app(dir);
    let opml = dir.join("in.opml");
    std::fs::write(
        &opml,
        format!("<opml version=\"2.0\"><body><outline text=\"T\" xmlUrl=\"{base}/feed.xml\"/></body></opml>"),
    )
    .unwrap();
    app.state::<AppState>()
        .with(|lib| lib.opml_import(&opml))
        .unwrap();
    (app, webview)
}

#[test]
fn a_background_pass_checks_due_feeds_and_tells_the_webview() {
    use tauri::Listener;
    let base = start_server();
    let dir = tempfile::tempdir().unwrap();
    let (app, _webview) = subscribed_app(dir.path(), &base);
    let state = app.state::<AppState>();
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    app.listen(duizhao_app::LIBRARY_CHANGED_EVENT, move |e| {
        let _ = tx.send(e.payload().to_string());
    });

    let summary =
        tauri::async_runtime::block_on(duizhao_app::refresh_due(app.handle(), state.handle()))
            .expect("the pass runs")
            .summary;
    assert_eq!((summary.feeds, summary.new_articles), (1, 1));
    // Listeners hear an event before `emit` returns, so the absence of one below means
    // something too.
    let payload: Value =
        serde_json::from_str(&rx.try_recv().expect("the webview is told")).unwrap();
    assert_eq!(payload["new_articles"], 1, "{payload}");
    assert_eq!(
        state.with(|lib| lib.list_feeds()).unwrap()[0].unread,
        1,
        "the counts the UI reloads are already stored"
    );

    // Just checked: nothing is due, nothing is fetched, the webview is left alone.
    let summary =
        tauri::async_runtime::block_on(duizhao_app::refresh_due(app.handle(), state.handle()))
            .unwrap()
            .summary;
    assert_eq!(summary.feeds, 0);
    assert!(rx.try_recv().is_err(), "no event when nothing changed");
}

/// An app subscribed to the loopback feed with auto-translation to English on, every provider
/// of the chain at `endpoint`, and a receiver of the `translations-stored` events.
fn auto_translating_app(
    dir: &std::path::Path,
    base: &str,
    endpoint: &str,
) -> (
    tauri::App<tauri::test::MockRuntime>,
    tauri::WebviewWindow<tauri::test::MockRuntime>,
    std::sync::mpsc::Receiver<String>,
) {
    use tauri::Listener;
    let (app, webview) = subscribed_app(dir, base);
    let feed = app
        .state::<AppState>()
        .with(|lib| {
            // Every provider of the chain on the loopback server: nothing leaves the machine.
            for p in ["libretranslate", "edge", "google-web"] {
                let values = [("endpoint".to_string(), endpoint.to_string())]
                    .into_iter()
                    .collect();
                lib.set_provider(p, &values)?;
            }
            lib.set_translation_settings(&duizhao_core::TranslationSettings {
                target: "en".into(),
                provider: Some("libretranslate".into()),
            })?;
            Ok(lib.list_feeds()?[0].id)
        })
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    app.listen(duizhao_app::TRANSLATIONS_STORED_EVENT, move |e| {
        let _ = tx.send(e.payload().to_string());
    });
    let mut options = invoke(&webview, "get_feed_options", json!({ "id": feed })).unwrap();
    options["auto_translate"] = json!("en");
    invoke(
        &webview,
        "set_feed_options",
        json!({ "id": feed, "options": options }),
    )
    .unwrap();
    (app, webview, rx)
}

#[test]
fn after_a_refresh_new_articles_of_an_auto_translating_feed_are_translated_and_announced() {
    let base = start_server();
    let dir = tempfile::tempdir().unwrap();
    let (app, webview, rx) = auto_translating_app(dir.path(), &base, &base);
    let state = app.state::<AppState>();
    // The background pass checks the feed and then translates what it brought.
    let outcome =
        tauri::async_runtime::block_on(duizhao_app::refresh_due(app.handle(), state.handle()))
            .unwrap();
    assert_eq!(outcome.summary.new_articles, 1);
    assert_eq!(
        (outcome.translated, outcome.translation_failures.len()),
        (1, 0),
        "{outcome:?}"
    );
    let payload: Value =
        serde_json::from_str(&rx.try_recv().expect("the webview is told")).unwrap();
    assert_eq!(
        (&payload["target"], &payload["status"]),
        (&json!("en"), &json!("translated"))
    );
    let article = invoke(
        &webview,
        "get_article",
        json!({ "id": payload["article_id"], "view": { "to": "en" } }),
    )
    .unwrap();
    assert_eq!(article["title_translation"], "<en> 經濟新聞", "{article}");
}

#[test]
fn a_failed_auto_translation_is_announced_with_its_reason() {
    let base = start_server();
    let dir = tempfile::tempdir().unwrap();
    // Every provider answers "not found" as plain text: a bad reply, not a translation.
    let (app, _webview, rx) = auto_translating_app(dir.path(), &base, &format!("{base}/nope"));
    let state = app.state::<AppState>();
    let outcome =
        tauri::async_runtime::block_on(duizhao_app::refresh_due(app.handle(), state.handle()))
            .unwrap();
    assert_eq!(
        (outcome.translated, outcome.translation_failures.len()),
        (0, 1),
        "{outcome:?}"
    );
    let payload: Value =
        serde_json::from_str(&rx.try_recv().expect("the webview is told of the failure")).unwrap();
    assert_eq!(payload["status"], "failed", "{payload}");
    assert!(
        payload["error"]["message"]
            .as_str()
            .is_some_and(|e| !e.is_empty()),
        "the reason comes along, for the reader: {payload}"
    );
    assert_eq!(
        payload["error"]["code"], "bad_reply",
        "typed, so the UI can offer the right action: {payload}"
    );
}
