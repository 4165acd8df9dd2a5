//! Full-text extraction of an article page, for feeds that only carry a summary and for
//! "save this URL".
//!
//! dom_smoothie (a faithful Readability.js port) does the work; this module guards it. Pages
//! are untrusted: html5ever, which every Rust HTML tree builder uses, takes time quadratic in
//! the nesting depth of `<div>`-like elements (30,000 levels take seconds), so the size and the
//! depth are checked with a linear byte scanner *before* any parse. Past the depth limit the
//! page is reduced to plain text (tags stripped, paragraphs from line breaks) instead. The
//! output is unsanitized HTML: the core sanitizes it.

use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::text::{collapse_whitespace, escape_html, find, tag_end, tag_name};

/// Largest page accepted (bytes).
pub const MAX_PAGE_BYTES: usize = 5 * 1024 * 1024;
/// Deepest element nesting handed to the HTML parser; deeper pages become plain text.
pub const MAX_HTML_DEPTH: usize = 512;
/// Most elements dom_smoothie will look at.
const MAX_ELEMENTS: usize = 400_000;

/// The article extracted from a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractedPage {
    /// The article title, plain text.
    pub title: String,
    /// The author line, plain text.
    pub byline: Option<String>,
    /// Publication time from the page's metadata, milliseconds since the epoch.
    pub published: Option<i64>,
    /// The page's declared language (`<html lang>`), if any.
    pub lang: Option<String>,
    /// The article body: unsanitized HTML with links resolved against the page URL.
    pub content_html: String,
    /// Length of the article text in characters.
    pub text_len: usize,
    /// True when the page was too deeply nested to parse and was reduced to plain text.
    pub plain_text_fallback: bool,
}

/// Why no article could be extracted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    /// The page is larger than [`MAX_PAGE_BYTES`].
    #[error("page too large: {size} bytes (limit {limit})")]
    TooLarge {
        /// Size of the page in bytes.
        size: usize,
        /// The limit in force.
        limit: usize,
    },
    /// The page URL is not an absolute URL.
    #[error("invalid page URL {0}")]
    BadUrl(String),
    /// The page has too many elements to analyse.
    #[error("page has too many elements ({0})")]
    TooManyElements(usize),
    /// Readability found no article on the page.
    #[error("no article found on the page")]
    NoArticle,
    /// The extractor panicked (caught; reported as an error).
    #[error("the article extractor crashed on this page")]
    ExtractorPanicked,
}

/// Extracts the article of `html`, fetched from `url` (relative links resolve against it).
pub fn extract_article(html: &str, url: &str) -> Result<ExtractedPage, ExtractError> {
    if html.len() > MAX_PAGE_BYTES {
        return Err(ExtractError::TooLarge {
            size: html.len(),
            limit: MAX_PAGE_BYTES,
        });
    }
    let parsed_url = url::Url::parse(url).map_err(|_| ExtractError::BadUrl(url.to_string()))?;
    if !html_depth_ok(html, MAX_HTML_DEPTH) {
        return Ok(plain_text_page(html));
    }
    let result = catch_unwind(AssertUnwindSafe(|| {
        let cfg = dom_smoothie::Config {
            max_elements_to_parse: MAX_ELEMENTS,
            ..dom_smoothie::Config::default()
        };
        let mut r = dom_smoothie::Readability::new(html, Some(parsed_url.as_str()), Some(cfg))?;
        r.parse()
    }));
    let article = match result {
        Ok(Ok(a)) => a,
        Ok(Err(dom_smoothie::ReadabilityError::BadDocumentURL)) => {
            return Err(ExtractError::BadUrl(url.to_string()));
        }
        Ok(Err(dom_smoothie::ReadabilityError::TooManyElements(n, _))) => {
            return Err(ExtractError::TooManyElements(n));
        }
        Ok(Err(_)) => return Err(ExtractError::NoArticle),
        Err(_) => return Err(ExtractError::ExtractorPanicked),
    };
    let text = collapse_whitespace(&article.text_content);
    Ok(ExtractedPage {
        title: collapse_whitespace(&article.title),
        byline: article
            .byline
            .as_deref()
            .map(collapse_whitespace)
            .filter(|b| !b.is_empty()),
        published: article.published_time.as_deref().and_then(parse_time),
        lang: article
            .lang
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty()),
        content_html: article.content.to_string(),
        text_len: text.chars().count(),
        plain_text_fallback: false,
    })
}

fn parse_time(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(d) = chrono::DateTime::parse_from_rfc3339(s)
        .or_else(|_| chrono::DateTime::parse_from_rfc2822(s))
        .or_else(|_| chrono::DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f%z"))
    {
        return Some(d.timestamp_millis());
    }
    chrono::NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc().timestamp_millis())
}

/// Elements without an end tag: they never nest.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen", "basefont", "bgsound", "frame",
];
/// Elements whose end tag is optional and that the tree builder closes implicitly when a
/// sibling opens (`<p><p>` does not nest): counting them would overestimate depth.
const IMPLICIT_END: &[&str] = &[
    "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "rb", "rt", "rp", "rtc",
    "tbody", "thead", "tfoot", "colgroup",
];
/// Elements whose content is raw text, not markup.
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
];

/// True when `html` nests elements no deeper than `max_depth`, as an HTML tree builder would
/// see it (void elements and implicitly closed ones do not nest; an end tag closes the nearest
/// open element of its name, a stray one closes nothing). One linear pass, stops as soon as
/// the limit is crossed; cheap enough to run before every parse.
pub fn html_depth_ok(html: &str, max_depth: usize) -> bool {
    let b = html.as_bytes();
    // Open element names as written (compared ignoring ASCII case): no allocation per tag.
    let mut stack: Vec<&[u8]> = Vec::new();
    let is =
        |name: &[u8], list: &[&str]| list.iter().any(|l| name.eq_ignore_ascii_case(l.as_bytes()));
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'<', &b[i..]) {
        let start = i + off;
        let rest = &b[start..];
        if rest.starts_with(b"<!--") {
            i = find(b, start + 4, b"-->").map_or(b.len(), |e| e + 3);
        } else if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            i = tag_end(b, start + 2);
        } else if rest.starts_with(b"</") {
            let end = tag_end(b, start + 2);
            let name = short_name(tag_name(&b[start + 2..end]));
            // Pop up to and including the nearest open element of that name; a stray end
            // tag closes nothing.
            if let Some(pos) = stack.iter().rposition(|n| n.eq_ignore_ascii_case(name)) {
                stack.truncate(pos);
            }
            i = end;
        } else if rest.get(1).is_some_and(u8::is_ascii_alphabetic) {
            let end = tag_end(b, start + 1);
            let name = short_name(tag_name(&b[start + 1..end]));
            i = end;
            if is(name, RAW_TEXT) {
                i = crate::text::find_close_tag(b, end, name).unwrap_or(b.len());
                continue;
            }
            if name.eq_ignore_ascii_case(b"plaintext") {
                break;
            }
            if is(name, VOID) || is(name, IMPLICIT_END) {
                continue;
            }
            stack.push(name);
            if stack.len() > max_depth {
                return false;
            }
        } else {
            i = start + 1;
        }
        if i >= b.len() {
            break;
        }
    }
    true
}

/// A tag name cut to 32 bytes, as [`lower_name`] does.
fn short_name(name: &[u8]) -> &[u8] {
    &name[..name.len().min(32)]
}

fn lower_name(name: &[u8]) -> String {
    let n = &name[..name.len().min(32)];
    String::from_utf8_lossy(n).to_ascii_lowercase()
}

/// Block-level tags that end a line in the plain-text fallback.
const BLOCK: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "blockquote",
    "section",
    "article",
    "header",
    "footer",
    "pre",
    "ul",
    "ol",
    "table",
    "hr",
    "dt",
    "dd",
    "figure",
    "figcaption",
];

/// The page as plain text: tags stripped (script/style with their content), entities decoded,
/// one `<p>` per non-empty line, where block-level tags end lines.
fn plain_text_page(html: &str) -> ExtractedPage {
    let b = html.as_bytes();
    let mut text = String::with_capacity(html.len() / 2);
    let mut title = String::new();
    let mut i = 0;
    let mut last = 0;
    while let Some(off) = b[i..].iter().position(|c| *c == b'<') {
        let start = i + off;
        let next = b.get(start + 1).copied().unwrap_or(b' ');
        if !(next.is_ascii_alphabetic() || next == b'/' || next == b'!' || next == b'?') {
            i = start + 1;
            continue;
        }
        // `start` is an ASCII `<`, `last` just past a `>`/`-->` or the end: char boundaries.
        text.push_str(&html[last..start]);
        let end = if b[start..].starts_with(b"<!--") {
            find(b, start + 4, b"-->").map_or(b.len(), |e| e + 3)
        } else {
            let end = tag_end(b, start + 1);
            let name = lower_name(tag_name(&b[start + 1..end]));
            if RAW_TEXT.contains(&name.as_str()) && next != b'/' {
                let close = crate::text::find_close_tag(b, end, name.as_bytes()).unwrap_or(b.len());
                if name == "title" && title.is_empty() {
                    let inner_end = close.min(b.len());
                    // tag_end and find_close_tag stop past an ASCII `>` or at the end.
                    let inner = &html[end..inner_end];
                    let inner = inner.rfind("</").map_or(inner, |p| &inner[..p]);
                    title = collapse_whitespace(&html_escape::decode_html_entities(inner));
                }
                close
            } else {
                text.push(if BLOCK.contains(&name.as_str()) {
                    '\n'
                } else {
                    ' '
                });
                end
            }
        };
        i = end.min(b.len());
        last = i;
        if i >= b.len() {
            break;
        }
    }
    if last < html.len() {
        text.push_str(&html[last..]);
    }
    let decoded = html_escape::decode_html_entities(&text);
    let mut content = String::new();
    let mut text_len = 0;
    for line in decoded.lines() {
        let line = collapse_whitespace(line);
        if line.is_empty() {
            continue;
        }
        text_len += line.chars().count();
        content.push_str("<p>");
        content.push_str(&escape_html(&line));
        content.push_str("</p>\n");
    }
    ExtractedPage {
        title,
        byline: None,
        published: None,
        lang: None,
        content_html: content,
        text_len,
        plain_text_fallback: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_scanner() {
        assert!(html_depth_ok("<div><p>a<p>b<br><img src=x></div>", 1));
        assert!(!html_depth_ok("<div><div><div>", 2));
        assert!(html_depth_ok("<div></div><div></div><div></div>", 1));
        // Stray end tags close nothing.
        assert!(!html_depth_ok(&"<div></span>".repeat(10), 5));
        // Markup inside script is text.
        assert!(html_depth_ok(
            "<script>'<div><div><div>'</script><div></div>",
            1
        ));
        assert!(html_depth_ok("<!-- <div><div> --><div></div>", 1));
    }

    #[test]
    fn deep_pages_fall_back_to_text() {
        let html = format!(
            "<html><head><title>Deep &amp; dark</title><style>p{{}}</style></head><body>{}First line<br>Second line{}</body></html>",
            "<div>".repeat(5000),
            "</div>".repeat(5000)
        );
        let page = extract_article(&html, "https://ex.com/a").expect("fallback");
        assert!(page.plain_text_fallback);
        assert_eq!(page.title, "Deep & dark");
        assert_eq!(page.content_html, "<p>First line</p>\n<p>Second line</p>\n");
    }
}
