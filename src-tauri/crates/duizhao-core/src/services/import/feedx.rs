//! The export format of full-text feed services such as feedx (the seed's format):
//!
//! ```text
//! <!--1695089822000-->            publish time, ms since the epoch
//! [Title](https://article/url)
//! ------
//! <html body …>
//! ```

use super::ImportedArticle;
use crate::error::Result;
use crate::services::ingest;

/// Parses the format; `Ok(None)` when the text is not in it (so other formats can be tried).
pub fn parse(text: &str) -> Result<Option<ImportedArticle>> {
    let mut lines = text.lines();
    let Some(first) = lines.next().map(str::trim) else {
        return Ok(None);
    };
    let Some(ms) = first
        .strip_prefix("<!--")
        .and_then(|s| s.strip_suffix("-->"))
        .map(str::trim)
    else {
        return Ok(None);
    };
    let published_ms = ms.parse::<i64>().ok();
    if published_ms.is_none() {
        return Ok(None);
    }
    let Some((title, url)) = lines
        .by_ref()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .and_then(parse_link)
    else {
        return Ok(None);
    };
    let Some(rule) = lines.by_ref().map(str::trim).find(|l| !l.is_empty()) else {
        return Ok(None);
    };
    if rule.len() < 3 || !rule.chars().all(|c| c == '-') {
        return Ok(None);
    }
    let body: String = lines.collect::<Vec<_>>().join("\n");
    let url = crate::support::text::http_url(url.as_deref());
    let blocks = ingest::html_to_blocks(&body, url.as_deref())?;
    Ok(Some(ImportedArticle {
        title,
        url,
        published_ms,
        blocks,
    }))
}

/// `[title](url)` → (title, url). The title may itself contain brackets; the URL is the last
/// parenthesised part of the line.
fn parse_link(line: &str) -> Option<(String, Option<String>)> {
    let inner = line.strip_prefix('[')?;
    let split = inner.rfind("](")?;
    let title = inner[..split].trim();
    let url = inner[split + 2..].strip_suffix(')')?.trim();
    if title.is_empty() {
        return None;
    }
    let title = title.replace("\\[", "[").replace("\\]", "]");
    Some((title, (!url.is_empty()).then(|| url.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_is_parsed() {
        let a = parse("<!--1000-->\n[A [b] c](https://e.com/x)\n------\n<p>hi</p>")
            .unwrap()
            .unwrap();
        assert_eq!(a.title, "A [b] c");
        assert_eq!(a.url.as_deref(), Some("https://e.com/x"));
        assert_eq!(a.published_ms, Some(1000));
        assert_eq!(a.blocks.len(), 1);
    }

    #[test]
    fn other_text_is_not_this_format() {
        assert!(parse("# Title\n\ntext").unwrap().is_none());
        assert!(parse("<!--x-->\n[a](b)\n---\n").unwrap().is_none());
        assert!(parse("<!--1-->\nno link\n---\n").unwrap().is_none());
    }

    #[test]
    fn a_non_http_url_is_not_kept() {
        let a = parse("<!--1-->\n[t](javascript:alert(1))\n---\n<p>x</p>")
            .unwrap()
            .unwrap();
        assert_eq!(a.url, None);
    }
}
