//! Shared helpers: where the test corpora live (in this crate's `tests/fixtures`, each with
//! its licence), reading (and gunzipping) files.

use std::io::Read;
use std::path::{Path, PathBuf};

/// `tests/fixtures/feed-corpus`: feedparser's and feed-rs's test feeds plus generated ones.
pub fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/feed-corpus")
}

/// `tests/fixtures/readability-pages/pages`: Mozilla Readability's test pages.
#[allow(dead_code)]
pub fn readability_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/readability-pages/pages")
}

/// Reads a text fixture that may be stored gzipped as `NAME.gz` (the large pages are).
#[allow(dead_code)]
pub fn read_text(path: &Path) -> String {
    let raw = match std::fs::read(path) {
        Ok(raw) => raw,
        Err(_) => {
            let mut gz = path.as_os_str().to_owned();
            gz.push(".gz");
            gunzip(&std::fs::read(&gz).unwrap_or_else(|e| panic!("read {}: {e}", path.display())))
        }
    };
    String::from_utf8(raw).unwrap_or_else(|e| panic!("{} is not UTF-8: {e}", path.display()))
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
