//! Integration tests: the Google Reader and Fever clients against real HTTP servers on
//! 127.0.0.1 (loopback fixtures in both Google Reader dialects, a loopback Fever server, and,
//! ignored unless `tests/run.sh` starts it, a real coldsweat).

mod coldsweat;
mod fever;
mod fever_server;
mod greader;
mod greader_server;

use std::time::Duration;

use duizhao_sync::HttpOptions;

/// Bounded and fast: retries back off in milliseconds so fault tests stay quick.
pub fn http_fast() -> HttpOptions {
    HttpOptions {
        connect_timeout: Duration::from_secs(2),
        timeout: Duration::from_secs(10),
        idle_timeout: Duration::from_secs(5),
        retries: 2,
        backoff_base: Duration::from_millis(5),
        backoff_max: Duration::from_millis(20),
        max_retry_after: Duration::from_secs(5),
        use_env_proxy: false,
        ..HttpOptions::default()
    }
}

/// Everything `recent_items` hands over, collected, with its summary and batch count.
pub async fn recent(
    service: &dyn duizhao_sync::SyncService,
    query: duizhao_sync::RecentQuery<'_>,
) -> (Vec<duizhao_sync::Item>, duizhao_sync::FetchSummary, usize) {
    let mut items = Vec::new();
    let mut batches = 0;
    let summary = service
        .recent_items(query, &mut |b: duizhao_sync::Batch| {
            batches += 1;
            items.extend(b.items);
            std::ops::ControlFlow::Continue(())
        })
        .await
        .unwrap();
    (items, summary, batches)
}
