//! The fetcher against real HTTP servers on 127.0.0.1 (axum), one per test.

use std::convert::Infallible;
use std::io::Write;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use bytes::Bytes;
use duizhao_feed::{
    DecodeError, FetchError, FetchOptions, FetchOutcome, Fetcher, ImageKind, ParseError, decode,
    parse_feed,
};
use futures_util::stream::{self, StreamExt};

use crate::common::{PNG, serve};

fn fetcher(max_body_bytes: usize) -> Fetcher {
    Fetcher::new(FetchOptions {
        max_body_bytes,
        connect_timeout: Duration::from_secs(5),
        total_timeout: Duration::from_secs(20),
        idle_timeout: Duration::from_millis(400),
        max_redirects: 5,
        use_env_proxy: false,
        ..FetchOptions::default()
    })
    .expect("client")
}

fn fetched(outcome: FetchOutcome) -> duizhao_feed::Fetched {
    match outcome {
        FetchOutcome::Fetched(f) => f,
        FetchOutcome::NotModified { .. } => panic!("unexpected 304"),
    }
}

fn hundred_mb_stream() -> Body {
    let chunk = Bytes::from(vec![b'a'; 64 * 1024]);
    Body::from_stream(stream::iter(
        (0..1600).map(move |_| Ok::<_, Infallible>(chunk.clone())),
    ))
}

fn app() -> Router {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&vec![0u8; 10 * 1024 * 1024]).expect("gzip");
    let bomb = Bytes::from(gz.finish().expect("gzip"));
    Router::new()
        .route("/big", get(|| async { hundred_mb_stream() }))
        .route(
            "/big-declared",
            get(|| async {
                (
                    [(header::CONTENT_LENGTH, (100u64 * 1024 * 1024).to_string())],
                    hundred_mb_stream(),
                )
            }),
        )
        .route(
            "/bomb",
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
            "/chain/{n}",
            get(
                |axum::extract::Path(n): axum::extract::Path<u32>| async move {
                    Redirect::temporary(&format!("/chain/{}", n + 1))
                },
            ),
        )
        .route(
            "/stall",
            get(|| async {
                let half =
                    stream::once(async { Ok::<_, Infallible>(Bytes::from(vec![b'<'; 500])) });
                let body = Body::from_stream(half.chain(stream::pending()));
                ([(header::CONTENT_LENGTH, "1000")], body)
            }),
        )
        .route(
            "/page.html",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                    r#"<!DOCTYPE html><html><head><title>News</title>
<link rel="alternate" type="application/rss+xml" title="RSS" href="/feeds/all.xml">
</head><body><p>Hello</p></body></html>"#,
                )
            }),
        )
        .route(
            "/binary",
            get(|| async { ([(header::CONTENT_TYPE, "application/rss+xml")], PNG) }),
        )
        .route(
            "/noise",
            get(|| async {
                let noise: Vec<u8> = (0..8192u32)
                    .map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8)
                    .collect();
                ([(header::CONTENT_TYPE, "application/octet-stream")], noise)
            }),
        )
        .route("/etag", get(etag))
        .route(
            "/ua",
            get(|headers: HeaderMap| async move {
                headers
                    .get(header::USER_AGENT)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_string()
            }),
        )
        .route(
            "/big5",
            get(|| async {
                let (bytes, _, _) = encoding_rs::BIG5.encode(
                    "<rss version=\"2.0\"><channel><title>臺灣新聞</title></channel></rss>",
                );
                (
                    [(header::CONTENT_TYPE, "application/rss+xml; charset=big5")],
                    bytes.into_owned(),
                )
            }),
        )
        .route(
            "/img.svg",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "image/svg+xml")],
                    r#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#,
                )
            }),
        )
        .route(
            "/fake.png",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "image/png")],
                    "<!DOCTYPE html><html><body>nope</body></html>",
                )
            }),
        )
        .route(
            "/real.png",
            get(|| async { ([(header::CONTENT_TYPE, "application/octet-stream")], PNG) }),
        )
}

async fn etag(headers: HeaderMap) -> Response {
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some("\"v1\"")
    {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, "\"v1\"")]).into_response();
    }
    (
        [
            (header::ETAG, "\"v1\""),
            (header::LAST_MODIFIED, "Mon, 06 Jan 2025 08:00:00 GMT"),
            (header::CONTENT_TYPE, "application/rss+xml"),
        ],
        "<rss version=\"2.0\"><channel><title>t</title></channel></rss>",
    )
        .into_response()
}

#[tokio::test]
async fn hundred_megabytes_stop_at_the_limit() {
    let addr = serve(app()).await;
    let f = fetcher(1024 * 1024);
    for path in ["big", "big-declared"] {
        let err = f
            .fetch(&format!("http://{addr}/{path}"), None)
            .await
            .expect_err("too large");
        assert_eq!(err, FetchError::TooLarge { limit: 1024 * 1024 }, "{path}");
    }
}

#[tokio::test]
async fn gzip_bomb_is_limited_on_decompressed_bytes() {
    let addr = serve(app()).await;
    let err = fetcher(1024 * 1024)
        .fetch(&format!("http://{addr}/bomb"), None)
        .await
        .expect_err("bomb");
    assert_eq!(err, FetchError::TooLarge { limit: 1024 * 1024 });
    // Under a generous limit the same body decompresses fully: the limit is what stopped it.
    let ok = fetched(
        fetcher(16 * 1024 * 1024)
            .fetch(&format!("http://{addr}/bomb"), None)
            .await
            .expect("fits in 16 MB"),
    );
    assert_eq!(ok.body.len(), 10 * 1024 * 1024);
}

#[tokio::test]
async fn redirect_loop_and_chain_are_errors() {
    let addr = serve(app()).await;
    let f = fetcher(1024);
    let err = f
        .fetch(&format!("http://{addr}/loop-a"), None)
        .await
        .expect_err("loop");
    assert!(
        matches!(err, FetchError::RedirectLoop(ref u) if u.ends_with("/loop-a")),
        "{err:?}"
    );
    let err = f
        .fetch(&format!("http://{addr}/chain/0"), None)
        .await
        .expect_err("chain");
    assert_eq!(err, FetchError::TooManyRedirects(5));
}

#[tokio::test]
async fn stalled_body_times_out() {
    let addr = serve(app()).await;
    let err = fetcher(1024 * 1024)
        .fetch(&format!("http://{addr}/stall"), None)
        .await
        .expect_err("stall");
    assert!(matches!(err, FetchError::Timeout(_)), "{err:?}");
}

#[tokio::test]
async fn html_served_as_feed_names_the_real_feed() {
    let addr = serve(app()).await;
    let page = fetched(
        fetcher(1024 * 1024)
            .fetch(&format!("http://{addr}/page.html"), None)
            .await
            .expect("page"),
    );
    assert_eq!(page.content_type.as_deref(), Some("text/html"));
    let text = decode(&page.body, page.charset.as_deref(), Some(&page.final_url)).expect("text");
    let err = parse_feed(&text.text, Some(&page.final_url)).expect_err("not a feed");
    assert_eq!(
        err,
        ParseError::NotAFeed {
            feed_links: vec![format!("http://{addr}/feeds/all.xml")]
        }
    );
    assert!(err.to_string().contains("/feeds/all.xml"));
}

#[tokio::test]
async fn binary_bodies_are_not_text() {
    let addr = serve(app()).await;
    for path in ["binary", "noise"] {
        let got = fetched(
            fetcher(1024 * 1024)
                .fetch(&format!("http://{addr}/{path}"), None)
                .await
                .expect("fetched"),
        );
        let err = decode(&got.body, got.charset.as_deref(), Some(&got.final_url)).expect_err(path);
        assert!(matches!(err, DecodeError::NotText(_)), "{path}: {err:?}");
        assert!(err.to_string().contains("not a text document"));
    }
}

#[tokio::test]
async fn conditional_get_and_headers() {
    let addr = serve(app()).await;
    let f = fetcher(1024 * 1024);
    let url = format!("http://{addr}/etag");
    let first = fetched(f.fetch(&url, None).await.expect("200"));
    assert_eq!(first.status, 200);
    assert_eq!(first.validators.etag.as_deref(), Some("\"v1\""));
    assert_eq!(
        first.validators.last_modified.as_deref(),
        Some("Mon, 06 Jan 2025 08:00:00 GMT")
    );
    match f.fetch(&url, Some(&first.validators)).await.expect("304") {
        FetchOutcome::NotModified { validators, .. } => {
            assert_eq!(validators.etag.as_deref(), Some("\"v1\""))
        }
        other => panic!("expected NotModified, got {other:?}"),
    }
    let ua = fetched(
        f.fetch(&format!("http://{addr}/ua"), None)
            .await
            .expect("ua"),
    );
    assert_eq!(ua.body, b"Duizhao/0.1");
    // The HTTP charset travels to decode().
    let big5 = fetched(
        f.fetch(&format!("http://{addr}/big5"), None)
            .await
            .expect("big5"),
    );
    assert_eq!(big5.charset.as_deref(), Some("big5"));
    let d = decode(&big5.body, big5.charset.as_deref(), None).expect("decodes");
    assert_eq!(parse_feed(&d.text, None).expect("feed").title, "臺灣新聞");
    let missing = f
        .fetch(&format!("http://{addr}/missing"), None)
        .await
        .expect_err("404");
    assert_eq!(missing, FetchError::Status(404));
    let bad = f
        .fetch("file:///etc/passwd", None)
        .await
        .expect_err("scheme");
    assert!(matches!(bad, FetchError::InvalidUrl(_)));
}

#[tokio::test]
async fn images_are_checked_by_their_bytes() {
    let addr = serve(app()).await;
    let f = fetcher(1024 * 1024);
    let svg = f
        .fetch_image(&format!("http://{addr}/img.svg"), 65536)
        .await
        .expect_err("svg");
    assert!(
        matches!(svg, FetchError::NotAnImage(ref m) if m.contains("SVG")),
        "{svg:?}"
    );
    let fake = f
        .fetch_image(&format!("http://{addr}/fake.png"), 65536)
        .await
        .expect_err("html");
    assert!(
        matches!(fake, FetchError::NotAnImage(ref m) if m.contains("HTML")),
        "{fake:?}"
    );
    let png = f
        .fetch_image(&format!("http://{addr}/real.png"), 65536)
        .await
        .expect("png");
    assert_eq!(png.kind, ImageKind::Png);
    assert_eq!(png.kind.mime(), "image/png");
    assert_eq!(png.bytes, PNG);
    let small = f
        .fetch_image(&format!("http://{addr}/real.png"), 16)
        .await
        .expect_err("limit");
    assert_eq!(small, FetchError::TooLarge { limit: 16 });
}
