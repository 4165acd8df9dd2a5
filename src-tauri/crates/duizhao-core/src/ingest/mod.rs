//! The ingest pipeline shared by every source: clean → guard → sanitize → segment.
//!
//! Pure functions of strings: no IO, so every source (import, feed, saved page) gets the same
//! treatment and the pipeline is tested without a network or database.

pub mod clean;
pub mod sanitize;
pub mod segment;

use url::Url;

use crate::error::{CoreError, Result};
use crate::model::Block;

/// Largest article body accepted, before any HTML parse.
pub const MAX_HTML_BYTES: usize = 5 * 1024 * 1024;
/// Deepest element nesting parsed as HTML; html5ever is quadratic in nesting depth.
pub const MAX_DEPTH: usize = 512;

/// Turns untrusted article HTML into sanitized blocks.
pub fn html_to_blocks(html: &str, base_url: Option<&str>) -> Result<Vec<Block>> {
    if html.len() > MAX_HTML_BYTES {
        return Err(CoreError::InvalidInput(format!(
            "article body is {} bytes; the limit is {} bytes",
            html.len(),
            MAX_HTML_BYTES
        )));
    }
    let base = base_url.and_then(|u| Url::parse(u).ok());
    let html = clean::strip_service_footer(html);
    if nesting_depth_exceeds(html, MAX_DEPTH) {
        // Too deep to parse in bounded time: keep the words, lose the markup.
        return Ok(plain_text_blocks(html));
    }
    let safe = sanitize::sanitize_html(html, base.as_ref());
    Ok(segment::segment(&safe))
}

/// Cheap byte scan: does element nesting go deeper than `max`? Stops as soon as it does.
pub fn nesting_depth_exceeds(html: &str, max: usize) -> bool {
    const VOID: &[&[u8]] = &[
        b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta",
        b"source", b"track", b"wbr", b"p", b"li",
    ];
    let bytes = html.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(off) = memchr(b'<', &bytes[i..]) {
        i += off + 1;
        let closing = bytes.get(i) == Some(&b'/');
        let start = if closing { i + 1 } else { i };
        let end = bytes[start..]
            .iter()
            .position(|c| !c.is_ascii_alphanumeric())
            .map_or(bytes.len(), |p| start + p);
        if end == start {
            continue;
        }
        let name = bytes[start..end].to_ascii_lowercase();
        if VOID.contains(&name.as_slice()) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else {
            depth += 1;
            if depth > max {
                return true;
            }
        }
    }
    false
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&b| b == needle)
}

/// Fallback for pathological markup: tags stripped without parsing, one block per line.
fn plain_text_blocks(html: &str) -> Vec<Block> {
    let mut text = String::with_capacity(html.len() / 2);
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push('\n');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let escaped = l
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            Block::text(crate::model::BlockKind::Paragraph, l, escaped)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_falls_back_to_text_without_parsing() {
        let html = format!(
            "{}deep words{}",
            "<div>".repeat(30_000),
            "</div>".repeat(30_000)
        );
        let blocks = html_to_blocks(&html, None).unwrap();
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].text, "deep words");
    }

    #[test]
    fn shallow_markup_is_not_flagged() {
        assert!(!nesting_depth_exceeds(
            "<div><p>a<p>b<br><img src=x></div>",
            3
        ));
        assert!(nesting_depth_exceeds("<div><div><div><div>", 3));
    }

    #[test]
    fn oversized_bodies_are_refused_with_a_clear_error() {
        let html = "a".repeat(MAX_HTML_BYTES + 1);
        let err = html_to_blocks(&html, None).unwrap_err();
        assert!(err.to_string().contains("limit"), "{err}");
    }
}
