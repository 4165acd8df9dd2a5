//! Shared helpers: where the shared test data lives, reading (and gunzipping) files.

use std::io::Read;
use std::path::PathBuf;

/// `shared/data/feed-corpus`, beside the repository (as in CI: shared/ next to the clone).
pub fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../../shared/data/feed-corpus")
}

/// `shared/data/readability-pages/pages`.
#[allow(dead_code)]
pub fn readability_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../../shared/data/readability-pages/pages")
}

/// Reads a corpus file, gunzipping `.gz` files in memory.
pub fn read_corpus(rel: &str) -> Vec<u8> {
    let path = corpus_dir().join(rel);
    let raw = std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    if rel.ends_with(".gz") {
        gunzip(&raw)
    } else {
        raw
    }
}

/// Gunzips in memory.
pub fn gunzip(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(raw)
        .read_to_end(&mut out)
        .expect("valid gzip");
    out
}
