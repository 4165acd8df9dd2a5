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

/// Every provider that sends a key, with a distinctive key and the path its endpoint needs.
const KEYED: [(&str, &str, &str); 5] = [
    ("deepl", "DEEPL-SECRET-0123456789abcdef:fx", ""),
    ("google", "AIzaGOOGLE-SECRET-0123456789abcdef", ""),
    ("microsoft", "MS-SECRET-0123456789abcdef", ""),
    ("openai", "sk-OPENAI-SECRET-0123456789abcdef", "/v1"),
    ("libretranslate", "LT-SECRET-0123456789abcdef", ""),
];

fn build(
    name: &str,
    endpoint: &str,
    key: Option<&str>,
) -> Result<Arc<dyn Provider>, TranslateError> {
    providers::build(
        name,
        &crate::cfg(endpoint),
        key.map(Secret::new),
        &crate::http_fast(),
    )
}

/// The first 8-byte window of `key` found in `text`: a key cut in half is still a leak.
fn leaked<'a>(text: &str, key: &'a str) -> Option<&'a str> {
    (0..=key.len().saturating_sub(8))
        .map(|i| &key[i..i + 8])
        .find(|w| text.contains(w))
}

#[test]
fn keys_are_not_sent_over_plain_http_off_this_machine() {
    for (name, key, _) in KEYED {
        for ep in [
            "http://translate.example.com",
            "http://192.168.1.20:5000",
            "http://[fe80::1]:80",
            "http://0x0a.0.0.1/",
            "http://localhost.example.com",
        ] {
            let Err(e) = build(name, ep, Some(key)) else {
                panic!("{name} accepted {ep}: its key would travel in clear");
            };
            assert_eq!(e.kind, ErrorKind::Config, "{name} {ep}");
            assert_eq!(
                e.provider.as_deref(),
                Some(name),
                "the error names the provider"
            );
            assert!(
                e.message.contains("in clear") && e.message.contains("https://"),
                "the error says why and what to do: {e}"
            );
            assert!(leaked(&format!("{e} {e:?}"), key).is_none());
        }
        for ep in [
            "https://translate.example.com",
            "http://127.0.0.1:5000",
            "http://127.1.2.3:5000",
            "http://localhost:11434/v1",
            "http://[::1]:8080",
        ] {
            assert!(
                build(name, ep, Some(key)).is_ok(),
                "{name} must accept {ep} (https, or plain http on this machine)"
            );
        }
    }
    // No key, nothing to protect: keyless providers and keyless local servers may use http.
    for name in ["edge", "google-web", "apertium", "libretranslate", "openai"] {
        assert!(
            build(name, "http://translate.example.com", None).is_ok(),
            "{name} without a key may use plain http"
        );
    }
    // `dz provider set` refuses it up front for providers that always send a key.
    for name in ["deepl", "google", "microsoft"] {
        let fields = providers::info(name).unwrap().fields;
        let mut c = ProviderConfig::new();
        let e = c
            .set(name, &fields, "endpoint", "http://translate.example.com")
            .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Config);
        assert!(e.message.contains("in clear"), "{e}");
        assert!(c.values.is_empty(), "a refused endpoint is not stored");
        c.set(name, &fields, "endpoint", "https://translate.example.com")
            .unwrap();
    }
}

#[tokio::test]
async fn a_key_may_go_to_a_plain_http_server_on_this_machine() {
    let f = fixture::deepl("local-deepl-key").await;
    let url = f.url.replace("127.0.0.1", "localhost");
    let engine = Engine::with_options(
        vec![provider("deepl", &url, Some("local-deepl-key"))],
        fast(),
    );
    let out = run(&engine, &job(article(1), "es")).await.0;
    assert!(
        out.is_ok(),
        "a local DeepL-compatible server works: {out:?}"
    );
}

#[test]
fn the_core_can_tell_when_an_endpoint_change_moves_the_key() {
    let deepl_default = ProviderConfig::new();
    let free = Secret::new("abc-123:fx");
    assert_eq!(
        providers::key_destination("deepl", &deepl_default, Some(&free)).map(|d| d.to_string()),
        Some("https://api-free.deepl.com:443".to_owned()),
        "the default is where the key actually goes"
    );
    let same = ProviderConfig::new().with("endpoint", "https://API-FREE.deepl.com/v2/");
    assert!(!providers::key_destination_changes(
        "deepl",
        &deepl_default,
        &same,
        Some(&free)
    ));
    let moved =
        ProviderConfig::new().with("endpoint", "https://api-free.deepl.com.attacker.example");
    assert!(providers::key_destination_changes(
        "deepl",
        &deepl_default,
        &moved,
        Some(&free)
    ));
    let port = ProviderConfig::new().with("endpoint", "https://api-free.deepl.com:8443");
    assert!(providers::key_destination_changes(
        "deepl",
        &deepl_default,
        &port,
        Some(&free)
    ));
    // Saving settings or a key: the same check `build` makes, for optional-key providers too.
    let plain = ProviderConfig::new().with("endpoint", "http://llm.example.com/v1");
    let key = Secret::new("sk-check-0123456789");
    let e = providers::check_key_endpoint("openai", &plain, Some(&key)).unwrap_err();
    assert!(e.message.contains("in clear"), "{e}");
    assert!(providers::check_key_endpoint("openai", &plain, None).is_ok());
    assert!(providers::check_key_endpoint("edge", &plain, Some(&key)).is_ok());
    assert!(providers::check_key_endpoint("openai", &ProviderConfig::new(), Some(&key)).is_ok());
    // Keyless providers have no key to move.
    assert!(providers::key_destination("edge", &ProviderConfig::new(), None).is_none());
    assert!(same_key_destination(
        "http://localhost:11434/v1",
        "http://localhost:11434/api"
    ));
    assert!(!same_key_destination(
        "http://localhost:11434/v1",
        "http://127.0.0.1:11434/v1"
    ));
}

/// How the failing fixture echoes what it received.
#[derive(Clone, Copy, Debug)]
enum Echo {
    /// `{"message": everything}`.
    Json,
    /// The same, but starting 190 characters before the key, so the key straddles the
    /// 200-character cut of the excerpt an error message quotes.
    Straddle,
    /// Everything as plain text (not JSON).
    Plain,
}

async fn failing_echo(status: u16, key: &'static str, echo: Echo) -> Fixture {
    Fixture::start("/", move |r, _| {
        let all = r.everything();
        let body = match echo {
            Echo::Json => serde_json::json!({ "message": all }).to_string(),
            Echo::Straddle => {
                let from = all.find(key).unwrap_or(0);
                let msg = format!("{} {}", "x".repeat(190), &all[from..]);
                serde_json::json!({ "message": msg }).to_string()
            }
            Echo::Plain => all,
        };
        (status, body)
    })
    .await
}

#[tokio::test]
async fn echoed_keys_never_reach_errors_or_logs() {
    let (logs, _guard) = capture();
    for (name, key, path) in KEYED {
        for status in [403, 500] {
            for echo in [Echo::Json, Echo::Straddle, Echo::Plain] {
                let f = failing_echo(status, key, echo).await;
                let engine = Engine::with_options(
                    vec![provider(name, &format!("{}{path}", f.url), Some(key))],
                    EngineOptions {
                        max_attempts: 1,
                        ..fast()
                    },
                );
                let e = run(&engine, &job(article(1), "es")).await.0.unwrap_err();
                let shown = format!("{e} {e:?} {}", serde_json::to_string(&e).unwrap());
                assert!(
                    shown.contains(&format!("HTTP {status}")),
                    "{name} {status} {echo:?}: the error still says what happened: {shown}"
                );
                if let Some(w) = leaked(&shown, key) {
                    panic!("{name} {status} {echo:?}: key fragment {w:?} in the error: {shown}");
                }
                let sent = f.requests();
                assert!(!sent.is_empty(), "{name} reached its server");
                for r in sent {
                    assert!(
                        r.everything().contains(key),
                        "{name}: the echo carried the key"
                    );
                    assert!(
                        leaked(&r.uri, key).is_none(),
                        "{name} put its key in the URL, where proxies and logs see it: {}",
                        r.uri
                    );
                }
            }
        }
    }
    let logs = logs.text();
    assert!(logs.contains("provider reply"), "logs were captured");
    for (name, key, _) in KEYED {
        assert!(leaked(&logs, key).is_none(), "{name} key in logs");
    }
}
