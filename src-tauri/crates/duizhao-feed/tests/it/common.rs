//! Shared helpers: where the test corpora live (in this crate's `tests/fixtures`, each with
//! its licence), reading (and gunzipping) files, and serving a fixture app on loopback.

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

/// Serves `app` on an ephemeral loopback port; the server lives as long as the runtime.
pub async fn serve(app: axum::Router) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    addr
}

/// A 1×1 transparent PNG.
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];
