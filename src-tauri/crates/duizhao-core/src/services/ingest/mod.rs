//! The ingest pipeline shared by every source: clean → guard → sanitize → segment.
//!
//! Pure functions of strings: no IO, so every source (import, feed, saved page) gets the same
//! treatment and the pipeline is tested without a network or database.

pub mod clean;
pub(crate) mod markup;
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
    html_to_blocks_with(html, base_url, &clean::CleanRules::default())
}

/// Turns untrusted article HTML into sanitized blocks, applying a source's cleaning rules.
pub fn html_to_blocks_with(
    html: &str,
    base_url: Option<&str>,
    rules: &clean::CleanRules,
) -> Result<Vec<Block>> {
    if html.len() > MAX_HTML_BYTES {
        return Err(CoreError::InvalidInput(format!(
            "article body is {} bytes; the limit is {} bytes",
            html.len(),
            MAX_HTML_BYTES
        )));
    }
    let base = base_url.and_then(|u| Url::parse(u).ok());
    let html = clean::strip_service_footer(html);
    if !duizhao_feed::html_depth_ok(html, MAX_DEPTH) {
        // Too deep to parse in bounded time: keep the words, lose the markup.
        return Ok(plain_text_blocks(html));
    }
    let cleaned;
    let html = if rules.is_empty() {
        html
    } else {
        cleaned = clean::apply_rules(html, rules);
        cleaned.as_str()
    };
    let safe = sanitize::sanitize_html(html, base.as_ref());
    Ok(segment::segment(&safe))
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
            let escaped = crate::support::text::escape_text(l);
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
    fn oversized_bodies_are_refused_with_a_clear_error() {
        let html = "a".repeat(MAX_HTML_BYTES + 1);
        let err = html_to_blocks(&html, None).unwrap_err();
        assert!(err.to_string().contains("limit"), "{err}");
    }
}
