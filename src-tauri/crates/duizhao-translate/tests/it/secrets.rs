//! Keys: never printed, never sent to another host, never in error messages or logs.

use std::io::Write;
use std::sync::{Arc, Mutex};

use duizhao_translate::*;

use crate::fixture::{self, Fault, Fixture};
use crate::{article, fast, job, provider, run};

/// A `tracing` writer into a shared buffer.
#[derive(Clone, Default)]
struct Buf(Arc<Mutex<Vec<u8>>>);

impl Write for Buf {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Buf {
    type Writer = Buf;
    fn make_writer(&'a self) -> Buf {
        self.clone()
    }
}

impl Buf {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

fn capture() -> (Buf, tracing::subscriber::DefaultGuard) {
    // `tracing` caches each callsite's interest process-wide, decided by the first thread that
    // reaches it against that thread's subscriber. A sibling test thread with none would cache
    // "never" for `provider reply` and blind this capture (it did whenever the tests ran in
    // parallel). A global subscriber that wants every event (and drops it) keeps every callsite
    // live; this thread's own default below still receives the events.
    static ANCHOR: std::sync::Once = std::sync::Once::new();
    ANCHOR.call_once(|| {
        let _ = tracing::subscriber::set_global_default(tracing_subscriber::registry());
    });
    let buf = Buf::default();
    let sub = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(buf.clone())
        .with_ansi(false)
        .finish();
    let guard = tracing::subscriber::set_default(sub);
    (buf, guard)
}

#[test]
fn secrets_do_not_print_themselves() {
    let s = Secret::new("  sk-very-secret-value\n");
    assert_eq!(s.expose(), "sk-very-secret-value");
    assert_eq!(format!("{s}"), "***");
    assert_eq!(format!("{s:?}"), "Secret(***)");
    assert!(!format!("{:?}", Some(s)).contains("very-secret"));
}

#[test]
fn env_secrets_use_the_documented_variable_names() {
    assert_eq!(
        secret::env_var_name("google-web"),
        "DUIZHAO_GOOGLE_WEB_API_KEY"
    );
    assert_eq!(secret::env_var_name("deepl"), "DUIZHAO_DEEPL_API_KEY");
    // SAFETY: this variable is only touched by this test.
    unsafe { std::env::set_var("DUIZHAO_TEST_ENV_ONLY_API_KEY", "env-key-1") };
    assert_eq!(
        EnvSecrets
            .get("test-env-only")
            .map(|s| s.expose().to_owned()),
        Some("env-key-1".into())
    );
    // The environment wins; with no env key, a keyring without a secret service means no key.
    assert_eq!(
        DefaultSecrets
            .get("test-env-only")
            .map(|s| s.expose().to_owned()),
        Some("env-key-1".into())
    );
    assert!(DefaultSecrets.get("test-no-such-provider").is_none());
    unsafe { std::env::remove_var("DUIZHAO_TEST_ENV_ONLY_API_KEY") };
}

/// A server that echoes everything it received back in a 500 error body.
async fn echo_server() -> Fixture {
    Fixture::start("/", |r, _| {
        (
            500,
            serde_json::json!({"message": r.everything()}).to_string(),
        )
    })
    .await
}

#[tokio::test]
async fn keys_stay_out_of_other_hosts_errors_and_logs() {
    let (logs, _guard) = capture();
    let key_deepl = "DEEPL-SECRET-0123456789:fx";
    let key_google = "AIzaGOOGLE-SECRET-0123456789";
    let key_ms = "MS-SECRET-0123456789";
    let key_oa = "sk-OPENAI-SECRET-0123456789";
    let deepl = echo_server().await;
    let google = echo_server().await;
    let ms = echo_server().await;
    let oa = echo_server().await;
    let lt = fixture::libretranslate(None).await;
    let edge = fixture::edge().await;
    let chain = vec![
        provider("deepl", &deepl.url, Some(key_deepl)),
        provider("google", &google.url, Some(key_google)),
        provider("microsoft", &ms.url, Some(key_ms)),
        provider("openai", &format!("{}/v1", oa.url), Some(key_oa)),
        provider("libretranslate", &lt.url, None),
        provider("edge", &edge.url, None),
    ];
    let engine = Engine::with_options(
        chain,
        EngineOptions {
            max_attempts: 2,
            ..fast()
        },
    );
    let out = run(&engine, &job(article(3), "es")).await.0.unwrap();
    assert!(
        out.segments
            .iter()
            .all(|s| s.provider.as_deref() == Some("libretranslate"))
    );
    let keys = [key_deepl, key_google, key_ms, key_oa];
    // Each keyed server saw its own key (and only its own).
    for (f, own) in [
        (&deepl, key_deepl),
        (&google, key_google),
        (&ms, key_ms),
        (&oa, key_oa),
    ] {
        let seen: String = f.requests().iter().map(|r| r.everything()).collect();
        assert!(seen.contains(own));
        for k in keys.iter().filter(|k| **k != own) {
            assert!(!seen.contains(k), "{k} leaked to another provider");
        }
    }
    for f in [&lt, &edge] {
        for r in f.requests() {
            for k in keys {
                assert!(
                    !r.everything().contains(k),
                    "{k} leaked to a keyless provider"
                );
            }
        }
    }
    // Errors: the servers echoed the keys back, the messages must not repeat them.
    for (name, url, key) in [
        ("deepl", &deepl.url, key_deepl),
        ("google", &google.url, key_google),
        ("microsoft", &ms.url, key_ms),
    ] {
        let e = run(
            &Engine::with_options(
                vec![provider(name, url, Some(key))],
                EngineOptions {
                    max_attempts: 1,
                    ..fast()
                },
            ),
            &job(article(1), "es"),
        )
        .await
        .0
        .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Network);
        let shown = format!("{e} {e:?} {}", serde_json::to_string(&e).unwrap());
        assert!(!shown.contains(key), "{name} key in error: {shown}");
        assert!(
            shown.contains("***") || !shown.contains("SECRET"),
            "{shown}"
        );
    }
    // Transport errors (nothing listening) carry no URL, so no `?key=`.
    let closed = "http://127.0.0.1:9";
    let e = run(
        &Engine::with_options(
            vec![provider("google", closed, Some(key_google))],
            EngineOptions {
                max_attempts: 1,
                ..fast()
            },
        ),
        &job(article(1), "es"),
    )
    .await
    .0
    .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Network);
    assert!(!format!("{e:?}").contains(key_google), "{e:?}");
    let logs = logs.text();
    assert!(logs.contains("provider reply"), "logs were captured");
    for k in keys {
        assert!(!logs.contains(k), "{k} in logs");
    }
}

#[tokio::test]
async fn redirects_are_not_followed_so_keys_cannot_travel() {
    let other = echo_server().await;
    let target = format!("{}/steal", other.url);
    let redirector = Fixture::start("/", move |_, _| (200, String::new())).await;
    for _ in 0..5 {
        redirector.fault(Fault::Status(
            307,
            String::new(),
            vec![("location", target.clone())],
        ));
    }
    let engine = Engine::with_options(
        vec![provider(
            "microsoft",
            &redirector.url,
            Some("MS-KEY-REDIRECT"),
        )],
        fast(),
    );
    let e = run(&engine, &job(article(1), "es")).await.0.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Config);
    assert!(other.requests().is_empty());
}
