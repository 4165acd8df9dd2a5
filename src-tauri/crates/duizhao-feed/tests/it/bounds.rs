//! Resource bounds against a real loopback server: an endless body, decompression-bomb image
//! headers, a 10 MB title and 100,000 items each end in one clear error or a clean cut. Time
//! and peak memory are measured by `examples/bounds.rs`, not asserted here.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::http::{Uri, header};
use axum::response::IntoResponse;
use duizhao_feed::{
    DEFAULT_MAX_IMAGE_PIXELS, DEFAULT_MAX_ITEMS, FetchError, FetchOptions, FetchOutcome, Fetcher,
    ImageKind, check_image, decode, parse_feed,
};

use crate::common::serve;
use crate::hostile_docs::{
    bombs, endless, gif_header, huge_title, item_title, jpeg_header, json_feed, png_header, rss,
    webp_header,
};

fn fetcher() -> Fetcher {
    Fetcher::new(FetchOptions {
        use_env_proxy: false,
        ..FetchOptions::default()
    })
    .expect("client")
}

/// Serves `/body` (200 MB), `/bomb/<format>` (a 50 MP header, then 64 MB), `/title`, `/items`
/// and `/items.json`; `sent` counts the endless bytes produced.
async fn server(sent: Arc<AtomicUsize>) -> std::net::SocketAddr {
    let app = Router::new().fallback(move |uri: Uri| {
        let sent = sent.clone();
        async move {
            let path = uri.path();
            if path == "/body" {
                return endless(Vec::new(), 200 * 1024 * 1024, sent).into_response();
            }
            if let Some(kind) = path.strip_prefix("/bomb/") {
                let head = bombs()
                    .into_iter()
                    .find(|(k, _)| *k == kind)
                    .map(|(_, h)| h)
                    .unwrap_or_default();
                return endless(head, 64 * 1024 * 1024, sent).into_response();
            }
            let doc = match path {
                "/title" => rss([huge_title()]),
                "/items" => rss((0..100_000).map(item_title)),
                "/items.json" => json_feed(100_000),
                _ => return axum::http::StatusCode::NOT_FOUND.into_response(),
            };
            ([(header::CONTENT_TYPE, "application/xml")], doc).into_response()
        }
    });
    serve(app).await
}

async fn feed(addr: std::net::SocketAddr, path: &str) -> duizhao_feed::ParsedFeed {
    let f = match fetcher()
        .fetch(&format!("http://{addr}{path}"), None)
        .await
        .expect("within the fetch limit")
    {
        FetchOutcome::Fetched(f) => f,
        other => panic!("{other:?}"),
    };
    let text = decode(&f.body, f.charset.as_deref(), Some(&f.final_url)).expect("text");
    parse_feed(&text.text, Some(&f.final_url)).expect("a feed")
}

#[tokio::test]
async fn a_200_mb_body_stops_at_the_fetch_limit() {
    let sent = Arc::new(AtomicUsize::new(0));
    let addr = server(sent.clone()).await;
    let err = fetcher()
        .fetch(&format!("http://{addr}/body"), None)
        .await
        .expect_err("too large");
    let limit = FetchOptions::default().max_body_bytes;
    assert_eq!(err, FetchError::TooLarge { limit }, "one clear error");
    assert!(
        sent.load(Ordering::SeqCst) < 64 * 1024 * 1024,
        "the download stopped near the limit instead of reading 200 MB ({} bytes sent)",
        sent.load(Ordering::SeqCst)
    );
}

#[tokio::test]
async fn decompression_bombs_are_refused_from_their_header() {
    let sent = Arc::new(AtomicUsize::new(0));
    let addr = server(sent.clone()).await;
    for (kind, _) in bombs() {
        let before = sent.load(Ordering::SeqCst);
        // A byte limit far above the body: only the pixel check can refuse it.
        let err = fetcher()
            .fetch_image(&format!("http://{addr}/bomb/{kind}"), 512 * 1024 * 1024)
            .await
            .expect_err("a 50 MP image is refused");
        assert!(
            matches!(err, FetchError::ImageTooLarge { limit, .. } if limit == DEFAULT_MAX_IMAGE_PIXELS),
            "{kind}: {err:?}"
        );
        assert!(
            err.to_string().contains("pixels"),
            "{kind}: the message says why: {err}"
        );
        let streamed = sent.load(Ordering::SeqCst) - before;
        assert!(
            streamed < 32 * 1024 * 1024,
            "{kind}: refused from the header, not after 64 MB ({streamed} bytes sent)"
        );
    }
}

#[test]
fn image_headers_are_judged_by_their_pixel_count() {
    let max = DEFAULT_MAX_IMAGE_PIXELS;
    for (kind, head) in bombs() {
        assert!(
            matches!(
                check_image(&head, max),
                Err(FetchError::ImageTooLarge { .. })
            ),
            "{kind}"
        );
    }
    // Just under 40 MP passes, in every format.
    let ok = [
        (png_header(6000, 6000), ImageKind::Png),
        (jpeg_header(6000, 6000), ImageKind::Jpeg),
        (gif_header(65535, 600), ImageKind::Gif),
        (webp_header(6000, 6000), ImageKind::Webp),
    ];
    for (head, kind) in ok {
        assert_eq!(check_image(&head, max), Ok(kind));
    }
    // A header that declares no size, or a zero side, is not kept.
    assert!(matches!(
        check_image(&png_header(0, 10), max),
        Err(FetchError::NotAnImage(_))
    ));
    assert!(matches!(
        check_image(b"\x89PNG\r\n\x1a\n", max),
        Err(FetchError::NotAnImage(_))
    ));
}

#[tokio::test]
async fn a_10_mb_title_is_cut_on_a_character_boundary() {
    let addr = server(Arc::default()).await;
    let f = feed(addr, "/title").await;
    let title = &f.items[0].title;
    assert!(
        title.len() <= duizhao_feed::DEFAULT_MAX_TITLE_BYTES,
        "{} bytes",
        title.len()
    );
    assert!(title.ends_with('…'), "the cut is visible");
    let kept = title.trim_end_matches('…');
    assert!(
        huge_title().starts_with(kept),
        "the cut keeps the start of the title"
    );
    assert!(kept.len() > 1000, "and most of the allowed length");
}

#[tokio::test]
async fn a_feed_of_100000_items_keeps_the_first_thousand() {
    let addr = server(Arc::default()).await;
    for path in ["/items", "/items.json"] {
        let f = feed(addr, path).await;
        assert_eq!(f.items.len(), DEFAULT_MAX_ITEMS, "{path}");
        assert_eq!(f.items_dropped, 100_000 - DEFAULT_MAX_ITEMS, "{path}");
        assert_eq!(f.items[0].title, item_title(0), "{path}: document order");
        assert_eq!(
            f.items[DEFAULT_MAX_ITEMS - 1].title,
            item_title(DEFAULT_MAX_ITEMS - 1),
            "{path}: the first items are the ones kept"
        );
        assert_eq!(
            f.title, "Bounds",
            "{path}: the feed around the items survives the cut"
        );
    }
}
