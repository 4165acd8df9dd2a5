//! Prints every article the feed corpus ingests into, blocks and all, as JSON lines: the
//! before/after check that a change to ingest (cleaning, sanitizing, segmenting, language)
//! keeps stored blocks identical. Uses only the public `Library` API, so the same file runs
//! against an older checkout.
//!
//! `cargo run --release -p duizhao-core --example dump_blocks -- CORPUS_DIR > blocks.jsonl`
//! (CORPUS_DIR: `src-tauri/crates/duizhao-feed/tests/fixtures/feed-corpus`).

use std::io::{Read, Write};
use std::path::Path;

fn main() {
    let dir = std::env::args()
        .nth(1)
        .expect("usage: dump_blocks CORPUS_DIR");
    let dir = Path::new(&dir);
    let list = std::fs::read_to_string(dir.join("substantive.txt")).expect("substantive.txt");
    let mut files: Vec<String> = list.lines().map(str::to_string).collect();
    files.push("generated/large/rss2_5000_items.xml.gz".into());
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for rel in files {
        let raw = std::fs::read(dir.join(&rel)).expect("corpus file");
        let bytes = if rel.ends_with(".gz") {
            let mut b = Vec::new();
            flate2::read::GzDecoder::new(raw.as_slice())
                .read_to_end(&mut b)
                .expect("gunzip");
            b
        } else {
            raw
        };
        let mut lib = duizhao_core::Library::open_in_memory().expect("library");
        let url = format!("https://corpus.example/{rel}");
        if lib.ingest_feed_document(&url, &bytes).is_err() {
            writeln!(out, "{rel}\tnot a feed").unwrap();
            continue;
        }
        let mut list = lib.list(&Default::default()).expect("list");
        list.sort_by_key(|a| a.id);
        for a in list {
            let article = lib.article(a.id).expect("article");
            let blocks = serde_json::to_string(&article.blocks).expect("json");
            writeln!(
                out,
                "{rel}\t{}\t{}\t{blocks}",
                article.title,
                article.lang.unwrap_or_default()
            )
            .unwrap();
        }
    }
}
