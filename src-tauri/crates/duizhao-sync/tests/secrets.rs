//! Passwords, tokens and keys never appear in errors, Debug output or logs.
//!
//! Its own test binary: the log capture installs a tracing subscriber, and callsites first hit
//! by tests running on other threads of a shared binary could be cached as disabled, which
//! would make "nothing leaked into the logs" pass vacuously.

use std::io::Write;
use std::sync::{Arc, Mutex};

use duizhao_sync::fever::{FeverClient, FeverOptions};
use duizhao_sync::greader::{GReaderClient, GReaderOptions};
use duizhao_sync::*;

#[allow(dead_code)]
#[path = "it/fever_server.rs"]
mod fever_server;
#[allow(dead_code)]
#[path = "it/greader_server.rs"]
mod greader_server;

use fever_server::{FeverServer, PASSWORD, USER};
use greader_server::{Dialect, GReaderServer, item_id};

fn http_fast() -> HttpOptions {
    HttpOptions {
        backoff_base: std::time::Duration::from_millis(5),
        backoff_max: std::time::Duration::from_millis(20),
        use_env_proxy: false,
        ..HttpOptions::default()
    }
}

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn secrets_stay_out_of_errors_debug_and_logs() {
    let logs = Captured::default();
    let sink = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || sink.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let mut leaked_into = Vec::new();
    for d in [Dialect::FreshRss, Dialect::Miniflux] {
        let server = GReaderServer::start(d, 20).await;
        let password = server.with(|s| s.password.clone());
        let c = GReaderClient::new(
            &server.url,
            "alice",
            Secret::new(password.clone()),
            http_fast(),
            GReaderOptions::default(),
        )
        .unwrap();
        c.unread_ids().await.unwrap();
        c.mark_read(&[ItemId(item_id(d, 1))], true).await.unwrap();
        server.with(|s| {
            s.faults.bad_token = 1;
            s.faults.garbage_json = true;
        });
        let mut texts = vec![format!("{c:?}")];
        texts.push(format!(
            "{:?}",
            c.mark_read(&[ItemId(item_id(d, 2))], true).await
        ));
        texts.push(format!("{:?}", c.unread_ids().await));
        server.with(|s| s.faults.bad_token = 2);
        let e = c
            .mark_read(&[ItemId(item_id(d, 2))], true)
            .await
            .unwrap_err();
        texts.push(format!("{e} {e:?}"));
        let wrong = GReaderClient::new(
            &server.url,
            "alice",
            Secret::new("wrong-password-123"),
            http_fast(),
            GReaderOptions::default(),
        )
        .unwrap();
        let e = wrong.login().await.unwrap_err();
        texts.push(format!("{e} {e:?} {wrong:?}"));
        let (auth, token) = server.with(|s| (s.auth(), s.token()));
        let secrets = [
            password.as_str(),
            "wrong-password-123",
            auth.as_str(),
            token.as_str(),
            auth.split('/').nth(1).unwrap(),
        ];
        for t in &texts {
            for s in secrets {
                if t.contains(s) {
                    leaked_into.push(format!("{d:?}: {s} in {t}"));
                }
            }
        }
        assert!(
            texts[0].contains("***"),
            "Debug shows that a secret is there, not what it is"
        );
        let log = String::from_utf8_lossy(&logs.0.lock().unwrap()).into_owned();
        assert!(
            log.contains("sync server answer"),
            "the client does log (so the check below means something)"
        );
        for s in secrets {
            if log.contains(s) {
                leaked_into.push(format!("{d:?}: {s} in the logs"));
            }
        }
    }

    let server = FeverServer::start(3).await;
    let c = FeverClient::new(
        &server.url,
        USER,
        Secret::new(PASSWORD),
        http_fast(),
        FeverOptions::default(),
    )
    .unwrap();
    c.mark_read(&[ItemId(1)], true).await.unwrap();
    let key = fever::api_key(USER, &Secret::new(PASSWORD))
        .expose()
        .to_owned();
    server.with(|s| s.garbage_json = true);
    let texts = [format!("{c:?}"), format!("{:?}", c.unread_ids().await)];
    let log = String::from_utf8_lossy(&logs.0.lock().unwrap()).into_owned();
    for t in texts.iter().chain([&log]) {
        for s in [PASSWORD, key.as_str()] {
            if t.contains(s) {
                leaked_into.push(format!("fever: {s} in {t}"));
            }
        }
    }
    assert!(leaked_into.is_empty(), "secrets leaked: {leaked_into:#?}");
}
