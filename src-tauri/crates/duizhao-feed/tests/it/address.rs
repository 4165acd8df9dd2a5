//! The address policy against real loopback servers: what content may make the reader fetch.
//! "Local" is played by 127.0.0.1; "public" hosts are reached through a loopback HTTP proxy,
//! which is how a first hop can be allowed while its redirect to a local address is not.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::http::{Uri, header};
use axum::response::{IntoResponse, Redirect};
use duizhao_feed::{AddressPolicy, FetchError, FetchOptions, FetchOutcome, Fetcher};

use crate::common::{PNG, serve};

/// A "private service" on loopback that counts every request it receives.
async fn private_service() -> (SocketAddr, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let h = hits.clone();
    let app = Router::new().fallback(move || {
        h.fetch_add(1, Ordering::SeqCst);
        async { ([(header::CONTENT_TYPE, "image/png")], PNG) }
    });
    (serve(app).await, hits)
}

/// A server that redirects `/go?to=URL` to URL and serves `/feed.xml`, counting requests.
async fn redirector() -> (SocketAddr, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let h = hits.clone();
    let app = Router::new().fallback(move |uri: Uri| {
        h.fetch_add(1, Ordering::SeqCst);
        async move {
            if uri.path() == "/feed.xml" {
                return (
                    [(header::CONTENT_TYPE, "application/rss+xml")],
                    "<rss version=\"2.0\"><channel><title>t</title></channel></rss>",
                )
                    .into_response();
            }
            let to = url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
                .find(|(k, _)| k == "to")
                .map(|(_, v)| v.into_owned())
                .unwrap_or_else(|| "/".into());
            Redirect::temporary(&to).into_response()
        }
    });
    (serve(app).await, hits)
}

fn options(policy: AddressPolicy) -> FetchOptions {
    FetchOptions {
        connect_timeout: Duration::from_secs(2),
        total_timeout: Duration::from_secs(10),
        idle_timeout: Duration::from_secs(5),
        use_env_proxy: false,
        address_policy: policy,
        ..FetchOptions::default()
    }
}

fn fetcher(policy: AddressPolicy) -> Fetcher {
    Fetcher::new(options(policy)).expect("client")
}

fn is_blocked(r: &Result<impl std::fmt::Debug, FetchError>) -> bool {
    matches!(r, Err(FetchError::Blocked(_)))
}

#[tokio::test]
async fn literal_local_addresses_in_every_spelling_are_refused_before_connecting() {
    let (svc, hits) = private_service().await;
    let port = svc.port();
    // Each spelling the URL parser turns into a loopback address (decimal, hex, octal,
    // shortened, IPv4-mapped IPv6).
    let loopback = [
        format!("http://127.0.0.1:{port}/a.png"),
        format!("http://127.1:{port}/a.png"),
        format!("http://2130706433:{port}/a.png"),
        format!("http://0x7f000001:{port}/a.png"),
        format!("http://0x7f.0.0.1:{port}/a.png"),
        format!("http://0177.0.0.1:{port}/a.png"),
        format!("http://[::ffff:127.0.0.1]:{port}/a.png"),
        format!("http://[::ffff:7f00:1]:{port}/a.png"),
        format!("http://[::1]:{port}/a.png"),
        format!("http://0.0.0.0:{port}/a.png"),
        format!("http://localhost:{port}/a.png"),
    ];
    // Other non-public targets (nothing listens there; a refusal must come without trying).
    let elsewhere = [
        "http://10.0.0.1/a.png",
        "http://172.16.5.4/a.png",
        "http://192.168.1.1/a.png",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/a.png",
        "http://[fe80::1]/a.png",
        "http://[fd00::1]/a.png",
        "http://[64:ff9b::a9fe:a9fe]/a.png",
        "http://224.0.0.1/a.png",
        "http://255.255.255.255/a.png",
    ];
    let strict = fetcher(AddressPolicy::PublicOnly);
    for url in loopback.iter().map(String::as_str).chain(elsewhere) {
        let r = strict.fetch_image(url, 1 << 20).await;
        assert!(is_blocked(&r), "{url} must be refused for content: {r:?}");
        let r = strict.fetch(url, None).await;
        assert!(is_blocked(&r), "{url} must be refused for content: {r:?}");
    }
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "a refused request never reaches the private service"
    );
    // The same IPv4 spellings do reach the service under the relaxed policy: the refusals
    // above were the policy's doing.
    let relaxed = fetcher(AddressPolicy::AllowLocal);
    for url in &loopback[..6] {
        relaxed
            .fetch_image(url, 1 << 20)
            .await
            .unwrap_or_else(|e| panic!("{url} under AllowLocal: {e}"));
    }
    assert_eq!(hits.load(Ordering::SeqCst), 6);
    let e = strict.fetch(&loopback[0], None).await.expect_err("refused");
    assert!(
        e.to_string().contains("not a public address"),
        "one clear message: {e}"
    );
}

#[tokio::test]
async fn names_are_judged_by_the_addresses_they_resolve_to() {
    let (svc, hits) = private_service().await;
    let url = format!("http://images.example.test:{}/a.png", svc.port());
    let with_name = |policy| {
        Fetcher::new(FetchOptions {
            dns_overrides: vec![("images.example.test".into(), svc)],
            ..options(policy)
        })
        .expect("client")
    };
    let r = with_name(AddressPolicy::PublicOnly)
        .fetch_image(&url, 1 << 20)
        .await;
    assert!(
        is_blocked(&r),
        "a name resolving to loopback is refused: {r:?}"
    );
    assert_eq!(hits.load(Ordering::SeqCst), 0);
    with_name(AddressPolicy::AllowLocal)
        .fetch_image(&url, 1 << 20)
        .await
        .expect("the same name is fetched under AllowLocal");
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn redirects_are_checked_at_every_hop() {
    let (svc, hits) = private_service().await;
    let (redir, redir_hits) = redirector().await;
    let port = svc.port();
    let targets = [
        format!("http://127.0.0.1:{port}/a.png"),
        format!("http://[::ffff:127.0.0.1]:{port}/a.png"),
        format!("http://2130706433:{port}/a.png"),
        format!("http://localhost:{port}/a.png"),
        "http://169.254.169.254/latest/meta-data/".to_string(),
    ];
    // Allowed first hop to a redirect to the private service: followed under AllowLocal.
    let relaxed = fetcher(AddressPolicy::AllowLocal);
    let img = relaxed
        .fetch_image(
            &format!("http://{redir}/go?to={}", urlencode(&targets[0])),
            1 << 20,
        )
        .await
        .expect("followed under AllowLocal");
    assert_eq!(img.final_url, targets[0]);
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    // Under PublicOnly the first hop goes to a public name (through a loopback proxy, the
    // only way a test can reach a "public" host); each redirect to a local target is refused.
    let strict = Fetcher::new(FetchOptions {
        proxy: Some(format!("http://{redir}")),
        ..options(AddressPolicy::PublicOnly)
    })
    .expect("client");
    for t in &targets {
        let before = redir_hits.load(Ordering::SeqCst);
        let r = strict
            .fetch_image(
                &format!("http://news.example.com/go?to={}", urlencode(t)),
                1 << 20,
            )
            .await;
        assert!(is_blocked(&r), "redirect to {t} must be refused: {r:?}");
        assert_eq!(
            redir_hits.load(Ordering::SeqCst),
            before + 1,
            "only the first hop was sent"
        );
    }
    assert_eq!(hits.load(Ordering::SeqCst), 1, "nothing more reached it");
}

#[tokio::test]
async fn a_feed_on_a_local_host_keeps_its_local_images() {
    let (svc, hits) = private_service().await;
    let (redir, _) = redirector().await;
    let feed = match fetcher(AddressPolicy::AllowLocal)
        .fetch(&format!("http://{redir}/feed.xml"), None)
        .await
        .expect("feed")
    {
        FetchOutcome::Fetched(f) => f,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        feed.remote_addr,
        Some("127.0.0.1".parse().unwrap()),
        "the address the feed came from is known"
    );
    let policy = AddressPolicy::for_document(&feed);
    assert_eq!(policy, AddressPolicy::AllowLocal);
    let content = fetcher(AddressPolicy::PublicOnly)
        .with_address_policy(policy)
        .expect("client");
    content
        .fetch_image(&format!("http://{svc}/a.png"), 1 << 20)
        .await
        .expect("a loopback feed's loopback image is fetched");
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    // The same document judged as if it had come from a public address: strict.
    assert_eq!(
        AddressPolicy::for_source("https://news.example.com/feed.xml", None),
        AddressPolicy::PublicOnly
    );
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
