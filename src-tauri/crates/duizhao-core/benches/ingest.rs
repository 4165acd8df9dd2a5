//! Feed ingest throughput: the 5,000-item RSS feed of the feed corpus (duizhao-feed fixtures) through the whole
//! pipeline (decode, parse, clean, sanitize, segment, detect, store into SQLite on disk with
//! the search index) against feed-rs parsing alone, in one run. Goal: at most 3× feed-rs.
//! Figures go to docs/BENCHMARKS.md ("Feed ingest").

use std::io::Read;
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use duizhao_core::Library;

fn corpus() -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../duizhao-feed/tests/fixtures/feed-corpus/generated/large/rss2_5000_items.xml.gz");
    let raw = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(raw.as_slice())
        .read_to_end(&mut out)
        .expect("gunzip");
    out
}

fn bench(c: &mut Criterion) {
    let doc = corpus();
    let mut g = c.benchmark_group("feed_ingest_5000_items");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.bench_function("feed_rs_parse_only", |b| {
        b.iter(|| {
            let feed = feed_rs::parser::parse(doc.as_slice()).expect("parses");
            assert_eq!(feed.entries.len(), 5000);
        })
    });
    // Where the time goes: duizhao-feed's decode + parse, then the same plus sanitize and
    // segmentation of every item on one thread (no language detection, no storage).
    g.bench_function("decode_parse_only", |b| {
        b.iter(|| {
            let text = duizhao_feed::decode(&doc, None, None).expect("decodes");
            let feed = duizhao_feed::parse_feed(&text.text, None).expect("parses");
            assert_eq!(feed.items.len(), 5000);
        })
    });
    g.bench_function("decode_parse_sanitize_segment_1_thread", |b| {
        b.iter(|| {
            let text = duizhao_feed::decode(&doc, None, None).expect("decodes");
            let feed = duizhao_feed::parse_feed(&text.text, None).expect("parses");
            let blocks: usize = feed
                .items
                .iter()
                .filter_map(|i| i.content_html.as_deref())
                .map(|h| duizhao_core::ingest::html_to_blocks(h, None).map_or(0, |b| b.len()))
                .sum();
            assert!(blocks > 5000);
        })
    });
    g.bench_function("ingest_into_sqlite", |b| {
        b.iter_batched(
            || {
                let dir = tempfile::tempdir().expect("temp dir");
                let lib = Library::open(dir.path()).expect("library");
                (dir, lib)
            },
            |(dir, mut lib)| {
                let n = lib
                    .ingest_feed_document("https://example.com/feed.xml", &doc)
                    .expect("ingests");
                assert_eq!(n, 5000);
                (dir, lib)
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
