//! A first sync of 10,000 items through the core, against the sync crate's loopback servers:
//! what a reader moving a library to Duizhao waits for. Sign in, the queue (empty), folders and
//! subscriptions mirrored as feeds, the full unread and starred id sets, then every item
//! fetched in batches and stored as it arrives (ingest pipeline: sanitising, blocks, language,
//! search index; pictures off: the items have none), then the id sets applied. Each sample
//! uses a new in-memory library. docs/BENCHMARKS.md reports it.
//!
//!     cargo bench -p duizhao-core --bench first_sync

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use duizhao_core::{Library, LibraryHandle};
use duizhao_sync::HttpOptions;

#[allow(dead_code)]
#[path = "../../duizhao-sync/tests/it/greader_server.rs"]
mod greader_server;

#[allow(dead_code)]
#[path = "../../duizhao-sync/tests/it/fever_server.rs"]
mod fever_server;

const ITEMS: usize = 10_000;

fn http() -> HttpOptions {
    HttpOptions {
        use_env_proxy: false,
        ..HttpOptions::default()
    }
}

async fn first_sync(kind: &str, url: &str, user: &str, password: &str) -> u32 {
    let lib = LibraryHandle::new(Library::open_in_memory().unwrap());
    lib.with(|l| {
        let mut s = l.feed_settings()?;
        s.download_images = false;
        l.set_feed_settings(&s)
    })
    .unwrap();
    lib.add_sync_account_with(kind, url, user, Some(password), http())
        .await
        .unwrap();
    let summary = lib.sync_with(http(), |_| {}).await.unwrap();
    assert_eq!(summary.new as usize, ITEMS, "every item is stored");
    summary.new
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let mut group = c.benchmark_group("core_first_sync_10000");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    let server = rt.block_on(greader_server::GReaderServer::start(
        greader_server::Dialect::FreshRss,
        ITEMS,
    ));
    let password = server.with(|s| s.password.clone());
    group.bench_function("greader_freshrss", |b| {
        b.iter(|| rt.block_on(first_sync("greader", &server.url, "alice", &password)))
    });
    let fever = rt.block_on(fever_server::FeverServer::start(ITEMS));
    group.bench_function("fever", |b| {
        b.iter(|| {
            rt.block_on(first_sync(
                "fever",
                &fever.url,
                fever_server::USER,
                fever_server::PASSWORD,
            ))
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
