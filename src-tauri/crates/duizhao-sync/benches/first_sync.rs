//! A first sync of 10,000 items against the loopback servers of the tests: sign in, the full
//! unread and starred id sets, every id of the reading list, then the contents in batches of
//! 100 (Google Reader, both dialects) or 50 (Fever's since_id pages). This is what a reader
//! moving a library to Duizhao waits for; docs/BENCHMARKS.md reports it.
//!
//!     cargo bench -p duizhao-sync --bench first_sync

use std::ops::ControlFlow;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use duizhao_sync::fever::{FeverClient, FeverOptions};
use duizhao_sync::greader::{GReaderClient, GReaderOptions};
use duizhao_sync::{Batch, HttpOptions, ItemId, RecentQuery, Secret, SyncService};

#[allow(dead_code)]
#[path = "../tests/it/greader_server.rs"]
mod greader_server;

#[allow(dead_code)]
#[path = "../tests/it/fever_server.rs"]
mod fever_server;

const ITEMS: usize = 10_000;

fn http() -> HttpOptions {
    HttpOptions {
        use_env_proxy: false,
        ..HttpOptions::default()
    }
}

async fn first_sync(service: &dyn SyncService) -> usize {
    service.login().await.unwrap();
    let unread = service.unread_ids().await.unwrap();
    let starred = service.starred_ids().await.unwrap();
    assert!(!unread.is_empty() && !starred.is_empty());
    let none = |_: ItemId| false;
    let mut n = 0;
    service
        .recent_items(
            RecentQuery {
                since: None,
                after_id: None,
                skip: &none,
            },
            &mut |b: Batch| {
                n += b.items.len();
                ControlFlow::Continue(())
            },
        )
        .await
        .unwrap();
    assert_eq!(n, ITEMS, "every item arrived");
    n
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let mut group = c.benchmark_group("first_sync_10000");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(30));
    for (name, dialect) in [
        ("greader_freshrss", greader_server::Dialect::FreshRss),
        ("greader_miniflux", greader_server::Dialect::Miniflux),
    ] {
        let server = rt.block_on(greader_server::GReaderServer::start(dialect, ITEMS));
        let password = server.with(|s| s.password.clone());
        group.bench_function(name, |b| {
            b.iter(|| {
                let client = GReaderClient::new(
                    &server.url,
                    "alice",
                    Secret::new(password.clone()),
                    http(),
                    GReaderOptions::default(),
                )
                .unwrap();
                rt.block_on(first_sync(&client))
            })
        });
    }
    let server = rt.block_on(fever_server::FeverServer::start(ITEMS));
    group.bench_function("fever", |b| {
        b.iter(|| {
            let client = FeverClient::new(
                &server.url,
                fever_server::USER,
                Secret::new(fever_server::PASSWORD),
                http(),
                FeverOptions::default(),
            )
            .unwrap();
            rt.block_on(first_sync(&client))
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
