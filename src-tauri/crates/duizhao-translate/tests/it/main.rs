//! Integration tests: providers and engine against real HTTP fixture servers on 127.0.0.1.

mod apy;
mod engine;
mod faults;
mod fixture;
mod happy;
mod memory;
mod secrets;
mod slicing;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use duizhao_translate::*;

/// Engine options that keep retries fast in tests.
pub fn fast() -> EngineOptions {
    EngineOptions {
        backoff_base: Duration::from_millis(10),
        backoff_max: Duration::from_millis(300),
        requests_per_second: Some(1000),
        ..EngineOptions::default()
    }
}

/// HTTP options with a short timeout (stall tests).
pub fn http_fast() -> HttpOptions {
    HttpOptions {
        timeout: Duration::from_millis(800),
        ..HttpOptions::default()
    }
}

pub fn cfg(endpoint: &str) -> ProviderConfig {
    ProviderConfig::new().with("endpoint", endpoint)
}

pub fn provider(name: &str, endpoint: &str, key: Option<&str>) -> Arc<dyn Provider> {
    providers::build(name, &cfg(endpoint), key.map(Secret::new), &http_fast())
        .expect("build provider")
}

/// `n` distinct English paragraphs.
pub fn article(n: usize) -> Vec<Segment> {
    (0..n)
        .map(|i| {
            Segment::new(
                format!("b{i}"),
                format!("Paragraph {i}: the council discussed the new budget and the state of the harbour for a long time."),
            )
        })
        .collect()
}

pub fn job(segments: Vec<Segment>, target: &str) -> Job {
    Job {
        segments,
        source: None,
        target: target.into(),
        glossary: vec![],
    }
}

/// Run a job, collecting progress events.
pub async fn run(engine: &Engine, job: &Job) -> (Result<Outcome, TranslateError>, Vec<Progress>) {
    let events = Mutex::new(Vec::new());
    let r = engine
        .translate(
            job,
            &|p| events.lock().unwrap().push(p),
            &CancellationToken::new(),
        )
        .await;
    (r, events.into_inner().unwrap())
}
