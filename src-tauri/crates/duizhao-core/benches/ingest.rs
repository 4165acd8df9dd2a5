//! Feed ingest throughput: the 5,000-item RSS feed of the feed corpus (duizhao-feed fixtures) through the whole
//! pipeline (decode, parse, clean, sanitize, segment, detect, store into SQLite on disk with
//! the search index) against feed-rs parsing alone, in one run, and the language detection
//! part alone: ingest tags what the script tells, and lingua's part runs in the pass that
//! follows the write (`ingest_then_detect`: both, as a refresh does them). Goal: at most 3×
//! feed-rs.
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

/// A new library in a temporary folder (kept alive with it).
fn fresh_library() -> (tempfile::TempDir, Library) {
    let dir = tempfile::tempdir().expect("temp dir");
    let lib = Library::open(dir.path()).expect("library");
    (dir, lib)
}

fn bench(c: &mut Criterion) {
    let doc = corpus();
    // Every item of the corpus: the default cap (what one refresh parses) is below 5,000.
    let all_items = duizhao_feed::ParseOptions {
        max_items: 10_000,
        ..Default::default()
    };
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
            let feed = duizhao_feed::parse_feed_with(&text.text, None, &all_items).expect("parses");
            assert_eq!(feed.items.len(), 5000);
        })
    });
    g.bench_function("decode_parse_sanitize_segment_1_thread", |b| {
        b.iter(|| {
            let text = duizhao_feed::decode(&doc, None, None).expect("decodes");
            let feed = duizhao_feed::parse_feed_with(&text.text, None, &all_items).expect("parses");
            let blocks: usize = feed
                .items
                .iter()
                .filter_map(|i| i.content_html.as_deref())
                .map(|h| duizhao_core::ingest::html_to_blocks(h, None).map_or(0, |b| b.len()))
                .sum();
            assert!(blocks > 5000);
        })
    });
    // Language detection alone, on one thread: every article and block of the feed tagged as
    // ingest tags them (lingua for the Latin text, the script detector for the Chinese runs),
    // on blocks already segmented. Its share of the whole ingest is what docs/BENCHMARKS.md
    // reports.
    let segmented: Vec<(String, Vec<duizhao_core::Block>)> = {
        let text = duizhao_feed::decode(&doc, None, None).expect("decodes");
        let feed = duizhao_feed::parse_feed_with(&text.text, None, &all_items).expect("parses");
        feed.items
            .iter()
            .map(|i| {
                let html = i.content_html.as_deref().unwrap_or_default();
                let blocks = duizhao_core::ingest::html_to_blocks(html, None).unwrap_or_default();
                (i.title.clone(), blocks)
            })
            .collect()
    };
    // lingua loads its models on first use; the loading is not what is measured here.
    duizhao_translate::lang::warm_up();
    g.bench_function("detect_languages_1_thread", |b| {
        b.iter_batched(
            || segmented.clone(),
            |mut articles| {
                let tagged = articles
                    .iter_mut()
                    .filter_map(|(title, blocks)| duizhao_core::lang::tag_article(title, blocks))
                    .count();
                assert_eq!(tagged, 5000);
                articles
            },
            BatchSize::LargeInput,
        )
    });
    // The write both cases below start with: every item of the feed stored.
    let ingest = |lib: &mut Library| {
        let n = lib
            .ingest_feed_document("https://example.com/feed.xml", &doc)
            .expect("ingests");
        assert_eq!(n, 5000);
    };
    g.bench_function("ingest_into_sqlite", |b| {
        b.iter_batched(
            fresh_library,
            |(dir, mut lib)| {
                ingest(&mut lib);
                (dir, lib)
            },
            BatchSize::PerIteration,
        )
    });
    // What a refresh of this feed costs in all: the write, then the language pass the app
    // runs right after it (lingua on the Latin-script articles the write left to it).
    g.bench_function("ingest_then_detect", |b| {
        b.iter_batched(
            fresh_library,
            |(dir, mut lib)| {
                ingest(&mut lib);
                let judged = lib.redetect_languages(|_| {}).expect("detects");
                assert_eq!(judged, 5000);
                (dir, lib)
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
