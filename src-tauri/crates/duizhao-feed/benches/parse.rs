//! Ingest benchmark, first stage: parsing the 5,000-item RSS 2.0 feed (12.5 MB unzipped) with
//! feed-rs alone versus this crate's decode + parse (encoding detection, depth guard, feed-rs,
//! model mapping). The core adds clean + sanitize + store to this later.

use std::hint::black_box;
use std::io::Read;
use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn large_feed() -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/feed-corpus/generated/large/rss2_5000_items.xml.gz");
    let gz = std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(gz.as_slice())
        .read_to_end(&mut out)
        .expect("gunzip");
    out
}

fn bench(c: &mut Criterion) {
    let bytes = large_feed();
    let mut group = c.benchmark_group("parse_rss2_5000_items");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("feed_rs_alone", |b| {
        b.iter(|| {
            let feed = feed_rs::parser::parse(black_box(bytes.as_slice())).expect("parses");
            assert_eq!(feed.entries.len(), 5000);
        })
    });
    group.bench_function("decode_and_parse", |b| {
        b.iter(|| {
            let d = duizhao_feed::decode(black_box(&bytes), None, Some("https://example.com/feed"))
                .expect("decodes");
            // Every item: the default cap (what one refresh parses) is below 5,000.
            let all = duizhao_feed::ParseOptions {
                max_items: 10_000,
                ..Default::default()
            };
            let f = duizhao_feed::parse_feed_with(&d.text, Some("https://example.com/feed"), &all)
                .expect("parses");
            assert_eq!(f.items.len(), 5000);
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
