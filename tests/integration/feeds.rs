//! Feeds end to end through the core's public API, against real HTTP servers on 127.0.0.1
//! (axum) and temporary libraries: subscribe, conditional refresh, dedupe, failures that keep
//! what was stored, hostile servers, the XSS corpus through ingest and export, images, search,
//! OPML, retention.

use std::convert::Infallible;
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use bytes::Bytes;
use duizhao_core::{ExportFormat, ExportOptions, FeedSettings};
use duizhao_core::{Library, LibraryHandle, ListFilter, ViewMode, ViewOptions};
use futures_util::stream::{self, StreamExt};

/// Serves `app` on an ephemeral loopback port for the rest of the test's runtime.
async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{addr}")
}

fn library(dir: &std::path::Path, tweak: impl FnOnce(&mut FeedSettings)) -> LibraryHandle {
    let mut lib = Library::open(dir).expect("library opens");
    let mut s = lib.feed_settings().expect("settings");
    tweak(&mut s);
    lib.set_feed_settings(&s).expect("settings saved");
    LibraryHandle::new(lib)
}

fn rss(items: &[(&str, &str)]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Test feed</title><link>https://example.com/</link>",
    );
    for (guid, body) in items {
        s.push_str(&format!(
            "<item><title>Item {guid}</title><link>https://example.com/{guid}</link><guid>{guid}</guid><description><![CDATA[{body}]]></description></item>"
        ));
    }
    s.push_str("</channel></rss>");
    s
}

/// The `Host` a request was sent to, so fixture pages can link back to their own server.
fn host(headers: &HeaderMap) -> String {
    headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

fn count(handle: &LibraryHandle) -> usize {
    handle
        .lock()
        .list(&ListFilter::default())
        .expect("list")
        .len()
}

/// A 1×1 PNG.
pub(crate) const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conditional_get_answers_304_and_items_are_never_duplicated() {
    let version = Arc::new(AtomicUsize::new(1));
    let conditional = Arc::new(AtomicUsize::new(0));
    let (v, c) = (version.clone(), conditional.clone());
    let app = Router::new().route(
        "/feed.xml",
        get(move |headers: HeaderMap| {
            let (v, c) = (v.clone(), c.clone());
            async move {
                let n = v.load(Ordering::SeqCst);
                let etag = format!("\"v{n}\"");
                if headers
                    .get(header::IF_NONE_MATCH)
                    .and_then(|h| h.to_str().ok())
                    == Some(etag.as_str())
                {
                    c.fetch_add(1, Ordering::SeqCst);
                    return (
                        StatusCode::NOT_MODIFIED,
                        [(header::ETAG, etag)],
                        String::new(),
                    )
                        .into_response();
                }
                let mut items = vec![("a", "<p>first</p>"), ("b", "<p>second</p>")];
                if n >= 2 {
                    items.push(("c", "<p>third</p>"));
                }
                (
                    [
                        (header::ETAG, etag),
                        (header::CONTENT_TYPE, "application/rss+xml".to_string()),
                    ],
                    rss(&items),
                )
                    .into_response()
            }
        }),
    );
    let base = serve(app).await;
    let dir = tempfile::tempdir().unwrap();
    let handle = library(dir.path(), |_| {});
    let feed = handle
        .add_feed(&format!("{base}/feed.xml"), Some("News"))
        .await
        .expect("subscribing works");
    assert_eq!(
        (feed.total, feed.unread),
        (2, 2),
        "the items are stored at once"
    );
    assert_eq!(feed.folder.as_deref(), Some("News"));
    let again = handle
        .add_feed(&format!("{base}/feed.xml"), None)
        .await
        .expect("subscribing twice is not an error");
    assert_eq!(again.id, feed.id, "the same URL is one subscription");

    let summary = handle.refresh(None, true, |_| {}).await.expect("refresh");
    assert_eq!(
        conditional.load(Ordering::SeqCst),
        1,
        "the second fetch must send the stored ETag as If-None-Match"
    );
    assert_eq!(
        (summary.not_modified, summary.new_articles),
        (1, 0),
        "an unchanged feed costs one 304 and adds nothing"
    );

    version.store(2, Ordering::SeqCst);
    let mut progress = Vec::new();
    let summary = handle
        .refresh(None, true, |p| progress.push(p))
        .await
        .expect("refresh");
    assert_eq!(
        summary.new_articles, 1,
        "only the new item is added, the two old ones are recognised by guid"
    );
    assert_eq!(progress.len(), 1, "one progress step per feed");
    assert_eq!(count(&handle), 3, "no duplicates across refreshes");

    // Not forced: the feed was just checked, so its interval has not passed.
    let summary = handle.refresh(None, false, |_| {}).await.expect("refresh");
    assert_eq!(
        summary.feeds, 0,
        "a feed is not checked again before its interval"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_web_page_subscribes_through_the_feed_it_links_to() {
    let app = Router::new()
        .route(
            "/",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/html")],
                    "<html><head><link rel=alternate type=application/rss+xml href=/feed.xml></head><body>home</body></html>",
                )
            }),
        )
        .route(
            "/feed.xml",
            get(|| async { rss(&[("a", "<p>hello</p>")]) }),
        );
    let base = serve(app).await;
    let dir = tempfile::tempdir().unwrap();
    let handle = library(dir.path(), |_| {});
    let feed = handle.add_feed(&format!("{base}/"), None).await.unwrap();
    assert_eq!(
        feed.url,
        format!("{base}/feed.xml"),
        "the page's advertised feed is what gets subscribed"
    );
    assert_eq!(feed.total, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_feed_keeps_its_articles_and_records_the_error() {
    let mode = Arc::new(AtomicUsize::new(0));
    let m = mode.clone();
    let app = Router::new().route(
        "/feed.xml",
        get(move || {
            let m = m.clone();
            async move {
                match m.load(Ordering::SeqCst) {
                    0 => rss(&[("a", "<p>one</p>"), ("b", "<p>two</p>")]).into_response(),
                    1 => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
                    _ => (
                        [(header::CONTENT_TYPE, "text/html")],
                        "<html><body><p>We moved!</p></body></html>",
                    )
                        .into_response(),
                }
            }
        }),
    );
    let base = serve(app).await;
    let dir = tempfile::tempdir().unwrap();
    let handle = library(dir.path(), |_| {});
    let feed = handle
        .add_feed(&format!("{base}/feed.xml"), None)
        .await
        .unwrap();
    assert_eq!(feed.total, 2);

    for (m, needle) in [(1, "500"), (2, "not a feed")] {
        mode.store(m, Ordering::SeqCst);
        let summary = handle.refresh(None, true, |_| {}).await.unwrap();
        assert_eq!(summary.failed.len(), 1, "the failure is reported");
        assert!(
            summary.failed[0].message.contains(needle),
            "{:?} should say {needle}",
            summary.failed[0].message
        );
        let after = handle.lock().feed(feed.id).unwrap();
        assert_eq!(
            after.total, 2,
            "a failed refresh must keep every stored article"
        );
        assert!(
            after
                .last_error
                .as_deref()
                .is_some_and(|e| e.contains(needle)),
            "last_error tells the reader why: {:?}",
            after.last_error
        );
    }
    mode.store(0, Ordering::SeqCst);
    handle.refresh(None, true, |_| {}).await.unwrap();
    assert_eq!(
        handle.lock().feed(feed.id).unwrap().last_error,
        None,
        "a successful refresh clears the error"
    );
}

fn hundred_mb() -> Body {
    let chunk = Bytes::from(vec![b'a'; 64 * 1024]);
    Body::from_stream(stream::iter(
        (0..1600).map(move |_| Ok::<_, Infallible>(chunk.clone())),
    ))
}

fn hostile_app() -> Router {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    for _ in 0..16 {
        gz.write_all(&[0u8; 1 << 20]).unwrap();
    }
    let bomb = Bytes::from(gz.finish().unwrap());
    let deep = format!(
        "<html><head><title>Deep</title></head><body>{}deep words survive{}</body></html>",
        "<div>".repeat(30_000),
        "</div>".repeat(30_000)
    );
    Router::new()
        .route(
            "/big.xml",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "application/rss+xml")],
                    hundred_mb(),
                )
            }),
        )
        .route(
            "/bomb.xml",
            get(move || {
                let bomb = bomb.clone();
                async move {
                    (
                        [
                            (header::CONTENT_ENCODING, "gzip"),
                            (header::CONTENT_TYPE, "application/rss+xml"),
                        ],
                        bomb,
                    )
                }
            }),
        )
        .route("/loop-a", get(|| async { Redirect::temporary("/loop-b") }))
        .route("/loop-b", get(|| async { Redirect::temporary("/loop-a") }))
        .route(
            "/binary.xml",
            get(|| async {
                let mut b = PNG.to_vec();
                b.extend((0..4096u32).map(|i| (i * 7 % 256) as u8));
                ([(header::CONTENT_TYPE, "application/rss+xml")], b)
            }),
        )
        .route(
            "/page.html",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/html")],
                    "<html><head><title>Hi</title></head><body><p>No feed here.</p></body></html>",
                )
            }),
        )
        .route(
            "/stall.xml",
            get(|| async {
                let half = stream::once(async {
                    Ok::<_, Infallible>(Bytes::from_static(b"<?xml version=\"1.0\"?><rss"))
                });
                (
                    [(header::CONTENT_LENGTH, "1000")],
                    Body::from_stream(half.chain(stream::pending())),
                )
            }),
        )
        .route(
            "/deep.html",
            get(move || {
                let deep = deep.clone();
                async move { ([(header::CONTENT_TYPE, "text/html")], deep) }
            }),
        )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_servers_give_one_line_errors_and_lose_nothing() {
    let base = serve(hostile_app()).await;
    let dir = tempfile::tempdir().unwrap();
    let handle = library(dir.path(), |s| {
        s.max_feed_bytes = 4 * 1024 * 1024;
        s.idle_timeout_ms = 500;
    });
    handle
        .lock()
        .import_file(&crate::seed_path())
        .expect("the seed imports");
    for (path, needle) in [
        ("/big.xml", "too large"),
        ("/bomb.xml", "too large"),
        ("/loop-a", "redirect loop"),
        ("/binary.xml", "not a text document"),
        ("/page.html", "links to no feed"),
        ("/stall.xml", "timed out"),
    ] {
        let err = handle
            .add_feed(&format!("{base}{path}"), None)
            .await
            .expect_err(path);
        let msg = err.to_string();
        assert!(
            !msg.contains('\n') && msg.contains(needle),
            "{path}: the error must be one line saying {needle:?}, got {msg:?}"
        );
    }
    assert!(
        handle.lock().list_feeds().unwrap().is_empty(),
        "a URL that gives no feed subscribes nothing"
    );
    assert_eq!(count(&handle), 1, "the stored article is untouched");

    // A 30,000-level page is reduced to its words without a tree parse, not refused.
    let saved = handle
        .save_url(&format!("{base}/deep.html"))
        .await
        .expect("a pathological page still saves its text");
    let article = handle.lock().article(saved.id).unwrap();
    assert!(
        article
            .blocks
            .iter()
            .any(|b| b.text.contains("deep words survive")),
        "the words of a too-deep page are kept"
    );
    assert_eq!(count(&handle), 2);
}

/// Elements that must never reach the webview.
const FORBIDDEN_TAGS: &[&str] = &[
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "link",
    "style", "svg", "math", "form", "template", "noscript", "portal",
];
const URL_ATTRS: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "srcset",
    "poster",
    "background",
    "cite",
    "data",
    "ping",
    "longdesc",
    "lowsrc",
    "dynsrc",
];

/// Every executable construct in `html` parsed as a browser would (and reparsed, for mXSS).
fn violations(html: &str, document: bool) -> Vec<String> {
    let mut out = Vec::new();
    let first = if document {
        scraper::Html::parse_document(html)
    } else {
        scraper::Html::parse_fragment(html)
    };
    let again = scraper::Html::parse_fragment(&first.root_element().inner_html());
    for doc in [&first, &again] {
        for node in doc.tree.nodes() {
            let Some(el) = node.value().as_element() else {
                continue;
            };
            let name = el.name().to_ascii_lowercase();
            // The export's own Content Security Policy is the one <meta> a document may carry:
            // `http-equiv` and `content` only, and it only forbids.
            let own_csp = document
                && name == "meta"
                && el.attrs().count() == 2
                && el
                    .attr("http-equiv")
                    .is_some_and(|v| v.eq_ignore_ascii_case("content-security-policy"))
                && el
                    .attr("content")
                    .is_some_and(|v| v.starts_with("default-src 'none'"));
            if FORBIDDEN_TAGS.contains(&name.as_str()) && !own_csp {
                out.push(format!("<{name}>"));
            }
            for (attr, value) in el.attrs() {
                let attr = attr.to_ascii_lowercase();
                if attr.starts_with("on")
                    || ["srcdoc", "formaction", "action", "http-equiv"].contains(&attr.as_str())
                        && !own_csp
                {
                    out.push(format!("{attr}= on <{name}>"));
                }
                if URL_ATTRS.contains(&attr.as_str()) {
                    let v: String = value
                        .chars()
                        .filter(|c| !c.is_whitespace() && !c.is_control())
                        .collect::<String>()
                        .to_ascii_lowercase();
                    let data_image = name == "img"
                        && attr == "src"
                        && ["png", "jpeg", "gif", "webp", "avif"]
                            .iter()
                            .any(|t| v.starts_with(&format!("data:image/{t};base64,")));
                    let absolute = v.starts_with("http://")
                        || v.starts_with("https://")
                        || v.starts_with("mailto:");
                    if !(absolute || document && data_image) {
                        out.push(format!("{attr}={value:?} on <{name}>"));
                    }
                }
            }
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_xss_corpus_through_a_feed_leaves_nothing_executable_stored_or_exported() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/xss-payloads/payloads.json");
    let payloads: Vec<String> =
        serde_json::from_slice(&std::fs::read(&path).expect("the XSS corpus is present"))
            .expect("a JSON array of strings");
    assert_eq!(payloads.len(), 2067);
    // JSON Feed carries any string verbatim (XML would refuse the control characters).
    let items: Vec<serde_json::Value> = payloads
        .iter()
        .enumerate()
        .map(|(i, p)| {
            serde_json::json!({
                "id": format!("x{i}"),
                "title": format!("payload {i}"),
                "url": format!("https://example.com/x/{i}"),
                "content_html": p,
            })
        })
        .collect();
    let feed = serde_json::json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": "XSS corpus",
        "items": items,
    })
    .to_string();
    let app = Router::new().route(
        "/feed.json",
        get(move || {
            let feed = feed.clone();
            async move { ([(header::CONTENT_TYPE, "application/feed+json")], feed) }
        }),
    );
    let base = serve(app).await;
    let dir = tempfile::tempdir().unwrap();
    // Payload URLs point all over the internet; tests talk to loopback only. Every payload is
    // one item: the per-refresh cap is raised so all of them go through.
    let handle = library(dir.path(), |s| {
        s.download_images = false;
        s.max_items_per_refresh = 5_000;
    });
    let feed = handle
        .add_feed(&format!("{base}/feed.json"), None)
        .await
        .unwrap();
    assert_eq!(feed.total, 2067, "every payload went through ingest");

    let out = tempfile::tempdir().unwrap();
    let lib = handle.lock();
    let mut bad = Vec::new();
    for summary in lib.list(&ListFilter::default()).unwrap() {
        let article = lib.article(summary.id).unwrap();
        for b in &article.blocks {
            for v in violations(&b.html, false) {
                bad.push(format!("{}: block {v}", article.title));
            }
            if let Some(src) = &b.src
                && !(src.starts_with("http://") || src.starts_with("https://"))
            {
                bad.push(format!("{}: image src {src:?}", article.title));
            }
        }
        let file = out.path().join(format!("{}.html", summary.id));
        let options = ExportOptions {
            format: ExportFormat::Html,
            to: None,
            script: Default::default(),
            mode: ViewMode::Columns,
        };
        lib.export_article(summary.id, &options, &file).unwrap();
        let exported = std::fs::read_to_string(&file).unwrap();
        for v in violations(&exported, true) {
            bad.push(format!("{}: export {v}", article.title));
        }
    }
    assert!(
        bad.is_empty(),
        "{} executable constructs survived (the webview would run them), e.g. {:?}",
        bad.len(),
        &bad[..bad.len().min(10)]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn images_are_stored_served_locally_and_inlined_in_exports() {
    let app = Router::new()
        .route(
            "/feed.xml",
            get(|headers: HeaderMap| async move {
                let host = host(&headers);
                rss(&[(
                    "img",
                    &format!(
                        "<p>Picture:</p><img src=\"http://{host}/a.png\" alt=\"a dot\"><img src=\"http://{host}/evil.svg\"><img src=\"https://images.weserv.nl/?url=http://{host}/a.png&amp;w=300\">"
                    ),
                )])
            }),
        )
        .route(
            "/a.png",
            get(|| async { ([(header::CONTENT_TYPE, "text/plain")], PNG) }),
        )
        .route(
            "/evil.svg",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "image/png")],
                    "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
                )
            }),
        );
    let base = serve(app).await;
    let dir = tempfile::tempdir().unwrap();
    let handle = library(dir.path(), |_| {});
    handle
        .add_feed(&format!("{base}/feed.xml"), None)
        .await
        .unwrap();
    let lib = handle.lock();
    let id = lib.list(&ListFilter::default()).unwrap()[0].id;
    let view = lib
        .article_view_local(id, &ViewOptions::default(), "dzimg://localhost/")
        .unwrap();
    let images: Vec<_> = view
        .blocks
        .iter()
        .filter(|b| b.kind == duizhao_core::BlockKind::Image)
        .collect();
    assert_eq!(images.len(), 3);
    let png_url = format!("{base}/a.png");
    assert_eq!(
        images[0].remote_src.as_deref(),
        Some(png_url.as_str()),
        "the original URL is kept as a fallback"
    );
    assert_eq!(
        images[0].size,
        Some([1, 1]),
        "the stored copy's pixel size comes with it, so the reader can reserve its space"
    );
    assert_eq!(images[1].size, None, "no stored copy, no size");
    let local = images[0].src.as_deref().unwrap();
    let image_id: i64 = local
        .strip_prefix("dzimg://localhost/")
        .expect("stored images are shown from the dzimg protocol")
        .parse()
        .unwrap();
    let (mime, bytes) = lib.image(image_id).unwrap().expect("the blob is stored");
    assert_eq!(
        (mime.as_str(), bytes.as_slice()),
        ("image/png", PNG),
        "the MIME type is sniffed, not the server's text/plain"
    );
    assert!(
        images[1].remote_src.is_none(),
        "an SVG (which can carry script) is never stored, whatever its Content-Type"
    );
    assert_eq!(
        images[2].src.as_deref(),
        Some(local),
        "a proxied copy of the same image unwraps to the same stored blob"
    );

    let file = dir.path().join("out.html");
    let options = ExportOptions {
        format: ExportFormat::Html,
        to: None,
        script: Default::default(),
        mode: ViewMode::Original,
    };
    lib.export_article(id, &options, &file).unwrap();
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(
        html.contains("src=\"data:image/png;base64,"),
        "the stored image is inlined"
    );
    assert!(
        !html.contains("src=\"http"),
        "nothing in the export loads from the network: {html}"
    );
    let epub = dir.path().join("out.epub");
    lib.export_article(
        id,
        &ExportOptions {
            format: ExportFormat::Epub,
            ..options
        },
        &epub,
    )
    .unwrap();
    let bytes = std::fs::read(&epub).unwrap();
    assert!(
        bytes.windows(PNG.len()).any(|w| w == PNG),
        "the EPUB carries the image"
    );
}

/// Relative picture paths with non-ASCII characters, as any Chinese feed may carry; one of
/// them once panicked the sanitizer and took the whole refresh (and every later one) down.
const NON_ASCII_PICTURES: &str =
    r#"<p>圖片新聞</p><img src="/p/新闻.jpg"><img src="./圖片/x.png"><img src="../café.jpg">"#;

/// Serves a picture for any path: the paths above arrive percent-encoded.
fn any_picture() -> Router {
    Router::new().fallback(|| async { ([(header::CONTENT_TYPE, "image/png")], PNG) })
}

fn stored_pictures(lib: &Library, id: i64) -> Vec<Option<String>> {
    let view = lib
        .article_view_local(id, &ViewOptions::default(), "dzimg://localhost/")
        .unwrap();
    view.blocks
        .iter()
        .filter(|b| b.kind == duizhao_core::BlockKind::Image)
        .map(|b| b.src.clone())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn non_ascii_relative_picture_paths_are_stored_not_a_panic() {
    let app = any_picture().route(
        "/feed.xml",
        get(|headers: HeaderMap| async move {
            let host = host(&headers);
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>中文</title><link>http://{host}/</link><item><title>新聞</title><link>http://{host}/zh/a/1</link><guid>1</guid><description><![CDATA[{NON_ASCII_PICTURES}]]></description></item></channel></rss>"
            )
        }),
    );
    let base = serve(app).await;
    let dir = tempfile::tempdir().unwrap();
    let handle = library(dir.path(), |_| {});
    handle
        .add_feed(&format!("{base}/feed.xml"), None)
        .await
        .expect("the feed is stored, not lost to a panic");
    let lib = handle.lock();
    let list = lib.list(&ListFilter::default()).unwrap();
    assert_eq!(list.len(), 1, "the item is stored");
    let pictures = stored_pictures(&lib, list[0].id);
    assert_eq!(pictures.len(), 3, "every picture is kept: {pictures:?}");
    assert!(
        pictures
            .iter()
            .all(|p| p.as_deref().is_some_and(|p| p.starts_with("dzimg://"))),
        "each picture is stored for offline reading: {pictures:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_imported_page_with_non_ascii_picture_paths_is_stored_with_its_pictures() {
    let base = serve(any_picture()).await;
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.html");
    std::fs::write(
        &page,
        format!(
            "<html><head><title>新聞</title><link rel=\"canonical\" href=\"{base}/zh/a/1\"></head><body><article>{NON_ASCII_PICTURES}</article></body></html>"
        ),
    )
    .unwrap();
    let handle = library(dir.path(), |_| {});
    let outcome = handle
        .lock()
        .import_file(&page)
        .expect("the page imports, not a panic");
    let stored = handle.store_article_images(outcome.id).await.unwrap();
    assert_eq!(stored, 3, "every picture of the page is stored");
    let pictures = stored_pictures(&handle.lock(), outcome.id);
    assert!(
        pictures
            .iter()
            .all(|p| p.as_deref().is_some_and(|p| p.starts_with("dzimg://"))),
        "{pictures:?}"
    );
}

#[test]
fn an_article_url_that_is_not_http_reaches_neither_the_library_nor_an_export() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.html");
    std::fs::write(
        &page,
        "<html><head><title>T</title><meta property=\"og:url\" content=\"javascript:alert(document.cookie)\"></head><body><article><p>Some text worth reading.</p></article></body></html>",
    )
    .unwrap();
    let mut lib = Library::open(dir.path()).unwrap();
    let id = lib.import_file(&page).unwrap().id;
    assert_eq!(
        lib.article(id).unwrap().url,
        None,
        "a script URL must not become the article's link"
    );
    for format in [ExportFormat::Html, ExportFormat::Md] {
        let options = ExportOptions {
            format,
            to: None,
            script: Default::default(),
            mode: ViewMode::Original,
        };
        let bytes = lib.render_article(id, &options).unwrap();
        let text = String::from_utf8_lossy(&bytes).to_ascii_lowercase();
        assert!(!text.contains("javascript:"), "{format:?}: {text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pictures_of_a_public_article_are_never_fetched_from_this_machine() {
    let asked = Arc::new(AtomicUsize::new(0));
    let counter = asked.clone();
    let app = Router::new().fallback(move || {
        let counter = counter.clone();
        async move {
            counter.fetch_add(1, Ordering::SeqCst);
            ([(header::CONTENT_TYPE, "image/png")], PNG)
        }
    });
    let base = serve(app).await;
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.html");
    // A page from a public site whose pictures point at this machine's services (or the
    // router's admin page): following them would let any article probe the local network.
    std::fs::write(
        &page,
        format!(
            "<html><head><title>T</title><link rel=\"canonical\" href=\"https://news.example.com/a\"></head><body><article><p>Text worth reading here.</p><img src=\"{base}/admin.png\"><img src=\"http://[::ffff:127.0.0.1]:{port}/x.png\"></article></body></html>",
            port = base.rsplit(':').next().unwrap()
        ),
    )
    .unwrap();
    let handle = library(dir.path(), |_| {});
    let id = handle.lock().import_file(&page).unwrap().id;
    let stored = handle.store_article_images(id).await.unwrap();
    assert_eq!(stored, 0);
    assert_eq!(
        asked.load(Ordering::SeqCst),
        0,
        "no request may reach a local address on behalf of a public article"
    );
}

/// `n` dated items, the oldest first in the document (as some feeds order them).
fn dated_rss(n: usize) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Many</title>",
    );
    for i in 0..n {
        s.push_str(&format!(
            "<item><title>Item {i}</title><guid>g{i}</guid><pubDate>{:02} Jan 2024 {:02}:00:00 GMT</pubDate><description>x</description></item>",
            1 + i / 24,
            i % 24
        ));
    }
    s.push_str("</channel></rss>");
    s
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refresh_stores_at_most_the_newest_items_it_is_allowed() {
    let app = Router::new().route("/feed.xml", get(|| async { dated_rss(300) }));
    let base = serve(app).await;
    let dir = tempfile::tempdir().unwrap();
    let handle = library(dir.path(), |s| s.max_items_per_refresh = 25);
    let feed = handle
        .add_feed(&format!("{base}/feed.xml"), None)
        .await
        .unwrap();
    assert_eq!(
        feed.total, 25,
        "a runaway feed cannot flood the library in one refresh"
    );
    let titles: Vec<String> = handle
        .lock()
        .list(&ListFilter::default())
        .unwrap()
        .into_iter()
        .map(|a| a.title)
        .collect();
    assert_eq!(titles[0], "Item 299", "the newest are the ones kept");
    assert_eq!(titles[24], "Item 275");
}

/// A PNG of about 400 KB (a real header, padding after it).
fn big_png() -> Vec<u8> {
    let mut png = PNG.to_vec();
    png.resize(400 * 1024, 0);
    png
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_feed_stores_no_more_picture_bytes_than_its_budget() {
    let app = Router::new()
        .route(
            "/feed.xml",
            get(|headers: HeaderMap| async move {
                let host = host(&headers);
                let pictures: String = (0..6)
                    .map(|i| format!("<img src=\"http://{host}/p{i}.png\">"))
                    .collect();
                rss(&[("pics", &format!("<p>Pictures</p>{pictures}"))])
            }),
        )
        .fallback(|| async { ([(header::CONTENT_TYPE, "image/png")], big_png()) });
    let base = serve(app).await;
    let dir = tempfile::tempdir().unwrap();
    // 1 MiB for a feed: two of the six 400 KB pictures fit, a third would not.
    let handle = library(dir.path(), |s| s.max_image_bytes_per_feed = 1024 * 1024);
    handle
        .add_feed(&format!("{base}/feed.xml"), None)
        .await
        .unwrap();
    let lib = handle.lock();
    let id = lib.list(&ListFilter::default()).unwrap()[0].id;
    let stored = stored_pictures(&lib, id)
        .iter()
        .filter(|p| p.as_deref().is_some_and(|p| p.starts_with("dzimg://")))
        .count();
    assert_eq!(
        stored, 2,
        "pictures beyond the feed's byte budget show from the network, they are not stored"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_feed_that_never_finishes_answering_fails_at_its_deadline_and_others_go_on() {
    let app = Router::new()
        .route("/ok.xml", get(|| async { rss(&[("a", "<p>fine</p>")]) }))
        .route(
            "/stuck.xml",
            get(|| async {
                // Headers, then a trickle that never ends: each byte keeps the idle timeout
                // from firing, only the feed's deadline stops it.
                let trickle = stream::unfold((), |()| async {
                    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
                    Some((Ok::<_, Infallible>(Bytes::from_static(b" ")), ()))
                });
                (
                    [(header::CONTENT_TYPE, "application/rss+xml")],
                    Body::from_stream(
                        stream::once(async {
                            Ok::<_, Infallible>(Bytes::from_static(
                                b"<?xml version=\"1.0\"?><rss version=\"2.0\">",
                            ))
                        })
                        .chain(trickle),
                    ),
                )
            }),
        );
    let base = serve(app).await;
    let dir = tempfile::tempdir().unwrap();
    let handle = library(dir.path(), |s| s.feed_deadline_ms = 1_000);
    let opml = dir.path().join("two.opml");
    std::fs::write(
        &opml,
        format!(
            "<opml version=\"2.0\"><body><outline text=\"ok\" xmlUrl=\"{base}/ok.xml\"/><outline text=\"stuck\" xmlUrl=\"{base}/stuck.xml\"/></body></opml>"
        ),
    )
    .unwrap();
    handle.lock().opml_import(&opml).unwrap();
    let summary = handle.refresh(None, true, |_| {}).await.unwrap();
    assert_eq!(
        summary.new_articles, 1,
        "the healthy feed is not held up: {summary:?}"
    );
    assert_eq!(summary.failed.len(), 1, "{summary:?}");
    assert!(
        summary.failed[0].url.ends_with("/stuck.xml")
            && summary.failed[0].message.contains("deadline"),
        "the reader learns which feed and why: {summary:?}"
    );
}

#[test]
fn search_matches_across_scripts_ranked_and_highlighted() {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open(dir.path()).unwrap();
    let hant = lib
        .import_bytes(
            std::path::Path::new("hant.md"),
            "# 臺灣經濟新聞\n\n今年臺灣經濟成長強勁，出口<創新高>。".as_bytes(),
        )
        .unwrap();
    let hans = lib
        .import_bytes(
            std::path::Path::new("hans.md"),
            "# 大陆新闻\n\n中国经济数据发布。".as_bytes(),
        )
        .unwrap();
    lib.import_bytes(
        std::path::Path::new("other.md"),
        "# Weather\n\nSunny all week.".as_bytes(),
    )
    .unwrap();

    let hits = lib.search("经济").unwrap();
    let ids: Vec<i64> = hits.iter().map(|h| h.id).collect();
    assert!(
        ids.contains(&hant.id) && ids.contains(&hans.id) && ids.len() == 2,
        "a Simplified query finds Traditional text too: {hits:?}"
    );
    assert_eq!(
        hits[0].id, hant.id,
        "the article with the term in its title and twice in the text ranks first"
    );
    let hits = lib.search("經濟").unwrap();
    assert_eq!(
        hits.len(),
        2,
        "a Traditional query finds Simplified text too"
    );
    let snippet = &hits.iter().find(|h| h.id == hant.id).unwrap().snippet;
    assert!(
        snippet.contains("<mark>經濟</mark>") && snippet.contains("&lt;創新高&gt;"),
        "snippets mark the match in the article's own script and escape the rest: {snippet}"
    );
    assert!(lib.search("\"unbalanced OR (").unwrap().is_empty());

    lib.delete_article(hant.id).unwrap();
    assert_eq!(
        lib.search("经济").unwrap().len(),
        1,
        "a deleted article leaves the index"
    );
}

#[test]
fn a_big_feed_at_hand_is_stored_in_feed_order_once_and_searchable() {
    // More items than one worker's share, so the parallel path and the in-order writer run.
    let bodies: Vec<(String, String)> = (0..200)
        .map(|i| {
            let body = if i == 7 {
                "<p>經濟 <img src=x onerror=alert(1)><script>alert(2)</script></p>".to_string()
            } else {
                format!("<p>Paragraph {i}</p><p>second</p>")
            };
            (format!("g{i}"), body)
        })
        .collect();
    let mut items: Vec<(&str, &str)> = bodies
        .iter()
        .map(|(g, b)| (g.as_str(), b.as_str()))
        .collect();
    items.push(("g3", "<p>the same guid again</p>"));
    let doc = rss(&items);
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open(dir.path()).unwrap();
    let added = lib
        .ingest_feed_document("https://example.com/feed.xml", doc.as_bytes())
        .unwrap();
    assert_eq!(added, 200, "one article per guid");
    let mut listed = lib.list(&ListFilter::default()).unwrap();
    listed.sort_by_key(|a| a.id);
    let titles: Vec<String> = listed.iter().map(|a| a.title.clone()).collect();
    let expected: Vec<String> = (0..200).map(|i| format!("Item g{i}")).collect();
    assert_eq!(titles, expected, "ids follow the feed's order");
    let hostile = lib.article(listed[7].id).unwrap();
    assert_eq!(hostile.blocks[0].html, "經濟", "the script is gone");
    assert!(
        hostile
            .blocks
            .iter()
            .all(|b| !b.html.contains("onerror") && !b.html.contains("script")),
        "no handler or script survives: {:?}",
        hostile.blocks
    );
    assert_eq!(
        lib.search("经济").unwrap().first().map(|h| h.id),
        Some(listed[7].id),
        "indexed in the same transaction, across scripts"
    );
    assert_eq!(
        lib.ingest_feed_document("https://example.com/feed.xml", doc.as_bytes())
            .unwrap(),
        0,
        "a second ingest adds nothing"
    );
}

#[test]
fn opml_round_trips_with_folders() {
    let dir = tempfile::tempdir().unwrap();
    let opml = dir.path().join("in.opml");
    std::fs::write(
        &opml,
        r#"<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>
<outline text="Top" xmlUrl="https://top.example/feed" htmlUrl="https://top.example/"/>
<outline text="中文"><outline text="DW 中文" type="rss" xmlUrl="https://rss.dw.com/zh"/>
<outline text="BBC" xmlUrl="https://bbc.example/zh"/></outline>
<outline text="Tech"><outline text="HN" xmlUrl="https://hn.example/rss"/></outline>
<outline text="bad" xmlUrl="javascript:alert(1)"/>
</body></opml>"#,
    )
    .unwrap();
    let mut lib = Library::open(&dir.path().join("a")).unwrap();
    let summary = lib.opml_import(&opml).unwrap();
    assert_eq!((summary.added, summary.skipped), (4, 1));
    assert_eq!(
        lib.opml_import(&opml).unwrap().added,
        0,
        "no duplicate subscriptions"
    );
    let out = dir.path().join("out.opml");
    lib.opml_export(&out).unwrap();

    let mut other = Library::open(&dir.path().join("b")).unwrap();
    assert_eq!(other.opml_import(&out).unwrap().added, 4);
    let shape = |l: &Library| {
        let mut v: Vec<_> = l
            .list_feeds()
            .unwrap()
            .into_iter()
            .map(|f| (f.url, f.title, f.folder))
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        shape(&lib),
        shape(&other),
        "export then import gives the same feeds, titles and folders"
    );
    assert!(
        shape(&other).contains(&(
            "https://rss.dw.com/zh".into(),
            "DW 中文".into(),
            Some("中文".into())
        )),
        "folders survive the round trip"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleted_and_expired_articles_stay_gone_and_starred_ones_stay() {
    let app = Router::new().route(
        "/feed.xml",
        get(|| async { rss(&[("a", "<p>a</p>"), ("b", "<p>b</p>"), ("c", "<p>c</p>")]) }),
    );
    let base = serve(app).await;
    let dir = tempfile::tempdir().unwrap();
    let handle = library(dir.path(), |s| s.retention_days = Some(30));
    handle
        .add_feed(&format!("{base}/feed.xml"), None)
        .await
        .unwrap();
    let ids: Vec<i64> = handle
        .lock()
        .list(&ListFilter::default())
        .unwrap()
        .iter()
        .map(|a| a.id)
        .collect();
    {
        let mut lib = handle.lock();
        lib.delete_article(ids[0]).unwrap();
        for id in &ids[1..] {
            lib.set_read(*id, true).unwrap();
        }
        lib.set_starred(ids[1], true).unwrap();
    }
    // Age the two remaining articles past the retention period (as 40 days would).
    let db = rusqlite::Connection::open(dir.path().join("duizhao.sqlite3")).unwrap();
    db.execute(
        "UPDATE articles SET added_ms = added_ms - 40 * 86400000, published_ms = 0",
        [],
    )
    .unwrap();
    let summary = handle.refresh(None, true, |_| {}).await.unwrap();
    assert_eq!(
        summary.expired, 1,
        "the summary counts what retention deleted"
    );
    let left: Vec<i64> = handle
        .lock()
        .list(&ListFilter::default())
        .unwrap()
        .iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(
        left,
        vec![ids[1]],
        "the deleted article is not re-added, the old read one expires, the starred one stays"
    );
    assert_eq!(
        handle
            .lock()
            .list(&ListFilter {
                unread: true,
                ..ListFilter::default()
            })
            .unwrap()
            .len(),
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn summary_only_items_get_their_full_text_when_asked() {
    let app = Router::new()
        .route(
            "/feed.xml",
            get(|headers: HeaderMap| async move {
                let host = host(&headers);
                format!(
                    "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>F</title><item><title>Story</title><link>http://{host}/story</link><description>Just a teaser.</description></item></channel></rss>"
                )
            }),
        )
        .route(
            "/story",
            get(|| async {
                let para = "The whole story is told here in many words, sentence after sentence, so that the extractor recognises an article. ".repeat(6);
                (
                    [(header::CONTENT_TYPE, "text/html")],
                    format!("<html><head><title>Story</title></head><body><nav>Menu</nav><article><h1>Story</h1><p>{para}</p><p>{para}</p></article></body></html>"),
                )
            }),
        );
    let base = serve(app).await;
    let dir = tempfile::tempdir().unwrap();
    let handle = library(dir.path(), |_| {});
    let feed = handle
        .add_feed(&format!("{base}/feed.xml"), None)
        .await
        .unwrap();
    assert_eq!(count(&handle), 1);
    handle.lock().remove_feed(feed.id).unwrap();
    assert_eq!(count(&handle), 0, "removing a feed removes its articles");
    // Subscribe again, this time with the full-text switch on before the first fetch.
    let feed = {
        let mut lib = handle.lock();
        let opml = dir.path().join("one.opml");
        std::fs::write(
            &opml,
            format!("<opml version=\"2.0\"><body><outline text=\"F\" xmlUrl=\"{base}/feed.xml\"/></body></opml>"),
        )
        .unwrap();
        lib.opml_import(&opml).unwrap();
        let id = lib.list_feeds().unwrap()[0].id;
        let mut options = lib.feed_options(id).unwrap();
        options.full_text = true;
        lib.set_feed_options(id, &options).unwrap()
    };
    assert!(feed.full_text);
    handle.refresh(Some(feed.id), true, |_| {}).await.unwrap();
    let lib = handle.lock();
    let id = lib.list(&ListFilter::default()).unwrap()[0].id;
    let text: String = lib
        .article(id)
        .unwrap()
        .blocks
        .iter()
        .map(|b| b.text.clone())
        .collect();
    assert!(
        text.contains("The whole story") && !text.contains("Menu"),
        "the article page's text replaces the teaser: {text}"
    );
}
