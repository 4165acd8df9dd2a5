//! Generators of hostile documents, shared by the bounds tests and the `bounds` example that
//! measures them: decompression-bomb image headers, feeds with huge titles or many items, and
//! endless bodies.

#![allow(dead_code)] // each user takes what it needs

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::body::Body;
use bytes::Bytes;
use futures_util::StreamExt;
use futures_util::stream;

/// A body of `total` bytes of `<`, streamed in 64 KiB chunks after `head`; `sent` counts the
/// chunks the stream produced (what left the server, give or take socket buffers).
pub fn endless(head: Vec<u8>, total: usize, sent: Arc<AtomicUsize>) -> Body {
    const CHUNK: usize = 64 * 1024;
    let chunk = Bytes::from(vec![b'<'; CHUNK]);
    let head = stream::once(async move { Ok::<_, Infallible>(Bytes::from(head)) });
    Body::from_stream(head.chain(stream::iter((0..total / CHUNK).map(move |_| {
        sent.fetch_add(CHUNK, Ordering::SeqCst);
        Ok::<_, Infallible>(chunk.clone())
    }))))
}

/// A PNG header declaring `w` × `h` pixels.
pub fn png_header(w: u32, h: u32) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
    b.extend_from_slice(&w.to_be_bytes());
    b.extend_from_slice(&h.to_be_bytes());
    b.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
    b
}

/// A baseline JPEG header (JFIF, then SOF0) declaring `w` × `h` pixels.
pub fn jpeg_header(w: u16, h: u16) -> Vec<u8> {
    let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
    b.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
    b.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x11, 0x08]);
    b.extend_from_slice(&h.to_be_bytes());
    b.extend_from_slice(&w.to_be_bytes());
    b.extend_from_slice(&[3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
    b
}

/// A GIF header declaring `w` × `h` pixels (sides are 16-bit).
pub fn gif_header(w: u16, h: u16) -> Vec<u8> {
    let mut b = b"GIF89a".to_vec();
    b.extend_from_slice(&w.to_le_bytes());
    b.extend_from_slice(&h.to_le_bytes());
    b.extend_from_slice(&[0, 0, 0]);
    b
}

/// A WebP (VP8X) header declaring `w` × `h` pixels.
pub fn webp_header(w: u32, h: u32) -> Vec<u8> {
    let mut b = b"RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0\0\0\0\0".to_vec();
    b.extend_from_slice(&(w - 1).to_le_bytes()[..3]);
    b.extend_from_slice(&(h - 1).to_le_bytes()[..3]);
    b
}

/// Headers of about 50 megapixels in each format a feed image may have, by name.
pub fn bombs() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("png", png_header(7072, 7072)),
        ("jpeg", jpeg_header(7072, 7072)),
        ("gif", gif_header(65535, 800)),
        ("webp", webp_header(7072, 7072)),
    ]
}

/// An RSS 2.0 document with one item per title, in order.
pub fn rss(titles: impl IntoIterator<Item = String>) -> String {
    let mut s = String::from("<rss version=\"2.0\"><channel><title>Bounds</title>");
    for (i, t) in titles.into_iter().enumerate() {
        s.push_str(&format!(
            "<item><title>{t}</title><link>https://ex.com/{i}</link>\
<pubDate>Mon, 06 Jan 2025 08:00:00 GMT</pubDate></item>"
        ));
    }
    s.push_str("</channel></rss>");
    s
}

/// A JSON Feed with `n` items.
pub fn json_feed(n: usize) -> String {
    let items: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"id":"{i}","url":"https://ex.com/{i}","title":"Item {i}","content_text":"x"}}"#
            )
        })
        .collect();
    format!(
        r#"{{"version":"https://jsonfeed.org/version/1.1","title":"Bounds","items":[{}]}}"#,
        items.join(",")
    )
}

/// The title of item `i` in the many-items feeds.
pub fn item_title(i: usize) -> String {
    format!("Item {i}")
}

/// A 10 MB title mixing characters of 1 to 4 bytes, so any cut can land inside one.
pub fn huge_title() -> String {
    "a é 標 😀 ".repeat(10_000_000 / 15)
}
