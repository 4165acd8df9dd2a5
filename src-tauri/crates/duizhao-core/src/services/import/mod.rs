//! Importing local files: the full-text feed service's export format (the seed), HTML pages
//! and Markdown. Each parser is a pure function from text to an [`ImportedArticle`].

pub mod feedx;

use crate::error::{CoreError, Result};
use crate::model::Block;
use crate::services::ingest;
use crate::support::text::http_url;
use std::path::Path;

/// An article parsed from a file, before it is stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedArticle {
    /// Title.
    pub title: String,
    /// The article's URL, when the file names one.
    pub url: Option<String>,
    /// Publication time in milliseconds since the epoch.
    pub published_ms: Option<i64>,
    /// Sanitized blocks.
    pub blocks: Vec<Block>,
}

/// Largest file accepted for import.
pub const MAX_IMPORT_BYTES: u64 = 20 * 1024 * 1024;

/// Parses an import file's bytes; `path` is used for messages and the format hint.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<ImportedArticle> {
    let not_article = |reason: &str| CoreError::NotAnArticle {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    };
    if bytes.contains(&0) {
        return Err(not_article("binary file"));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| not_article("not UTF-8 text"))?;
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err(not_article("empty file"));
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let article = if let Some(a) = feedx::parse(text)? {
        a
    } else if matches!(ext.as_str(), "html" | "htm" | "xhtml") || looks_like_html(text) {
        parse_html(text)?
    } else if matches!(ext.as_str(), "md" | "markdown" | "txt") {
        parse_markdown(text)?
    } else {
        return Err(not_article(
            "neither the feed export format, HTML nor Markdown",
        ));
    };
    if article.blocks.iter().all(|b| b.text.trim().is_empty()) {
        return Err(not_article("no readable text"));
    }
    Ok(article)
}

fn looks_like_html(text: &str) -> bool {
    let head = text
        .trim_start()
        .get(..256)
        .unwrap_or(text.trim_start())
        .to_ascii_lowercase();
    head.starts_with("<!doctype html") || head.starts_with("<html") || head.contains("<body")
}

/// Extracted text shorter than this is not trusted to be the article (the whole body is kept).
const MIN_EXTRACTED_CHARS: usize = 200;

/// A saved web page: its `<title>` (or first heading) and body.
fn parse_html(text: &str) -> Result<ImportedArticle> {
    if !duizhao_feed::html_depth_ok(text, ingest::MAX_DEPTH) {
        // Too deep for a tree parser in bounded time: the words only, as plain text.
        return Ok(ImportedArticle {
            title: "Untitled".into(),
            url: None,
            published_ms: None,
            blocks: ingest::html_to_blocks(text, None)?,
        });
    }
    let doc = scraper::Html::parse_document(text);
    let pick = |sel: &str| {
        scraper::Selector::parse(sel)
            .ok()
            .and_then(|s| doc.select(&s).next())
            .map(|e| e.text().collect::<String>().trim().to_string())
            .filter(|t| !t.is_empty())
    };
    let attr = |sel: &str, name: &str| {
        scraper::Selector::parse(sel)
            .ok()
            .and_then(|s| doc.select(&s).next())
            .and_then(|e| e.value().attr(name).map(str::to_string))
    };
    // Only an absolute http(s) URL is kept: a `javascript:` or relative one must neither
    // reach an export's link nor serve as the base of the article's links.
    let url = http_url(
        attr("link[rel=canonical]", "href")
            .or_else(|| attr("meta[property='og:url']", "content"))
            .as_deref(),
    );
    let title = pick("title")
        .or_else(|| pick("h1"))
        .unwrap_or_else(|| "Untitled".into());
    // A page with an article in it (navigation, sidebars, comments around it): keep the
    // article only, as `dz save` does. Relative links resolve against the canonical URL;
    // without one, against a placeholder whose links the sanitizer then drops.
    let page_url = url.as_deref().unwrap_or("file:///imported.html");
    if let Ok(page) = duizhao_feed::extract_article(text, page_url)
        && !page.plain_text_fallback
        && page.text_len >= MIN_EXTRACTED_CHARS
    {
        let mut blocks = ingest::html_to_blocks(&page.content_html, url.as_deref())?;
        let title = if page.title.trim().is_empty() {
            title.clone()
        } else {
            page.title.trim().to_string()
        };
        if blocks.first().is_some_and(|b| b.text == title) {
            blocks.remove(0);
        }
        if blocks.iter().any(|b| !b.text.trim().is_empty()) {
            return Ok(ImportedArticle {
                title,
                url,
                published_ms: page.published,
                blocks,
            });
        }
    }
    let body = scraper::Selector::parse("body")
        .ok()
        .and_then(|s| doc.select(&s).next())
        .map(|b| b.inner_html())
        .unwrap_or_else(|| text.to_string());
    let mut blocks = ingest::html_to_blocks(&body, url.as_deref())?;
    // The page's own first heading repeats the title.
    if blocks.first().is_some_and(|b| b.text == title) {
        blocks.remove(0);
    }
    Ok(ImportedArticle {
        title,
        url,
        published_ms: None,
        blocks,
    })
}

/// A Markdown export: the first `# ` heading is the title.
fn parse_markdown(text: &str) -> Result<ImportedArticle> {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(text));
    let mut blocks = ingest::html_to_blocks(&html, None)?;
    let title = match blocks.first() {
        Some(b)
            if b.kind == crate::model::BlockKind::Heading && text.trim_start().starts_with('#') =>
        {
            blocks.remove(0).text
        }
        _ => text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("Untitled")
            .chars()
            .take(120)
            .collect(),
    };
    Ok(ImportedArticle {
        title,
        url: None,
        published_ms: None,
        blocks,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_and_empty_files_are_not_articles() {
        let p = Path::new("x.bin");
        assert!(matches!(
            parse(p, b"\x00\x01\x02"),
            Err(CoreError::NotAnArticle { .. })
        ));
        assert!(matches!(
            parse(p, b"   \n"),
            Err(CoreError::NotAnArticle { .. })
        ));
        assert!(matches!(
            parse(p, &[0xff, 0xfe, 0x41]),
            Err(CoreError::NotAnArticle { .. })
        ));
    }

    #[test]
    fn a_canonical_url_that_is_not_http_is_not_kept() {
        for bad in [
            "javascript:alert(1)",
            "/relative/path",
            "data:text/html,x",
            "https://",
        ] {
            let page = format!(
                "<html><head><title>T</title><link rel=canonical href='{bad}'></head><body><p>Body text <a href='https://e.com/x'>x</a></p></body></html>"
            );
            let a = parse(Path::new("p.html"), page.as_bytes()).unwrap();
            assert_eq!(a.url, None, "{bad} must not become the article's URL");
        }
    }

    #[test]
    fn html_pages_import_with_their_title() {
        let a = parse(
            Path::new("p.html"),
            b"<html><head><title>Hello</title><link rel=canonical href='https://e.com/p'></head><body><h1>Hello</h1><p>World <a href='/x'>x</a></p></body></html>",
        )
        .unwrap();
        assert_eq!(a.title, "Hello");
        assert_eq!(a.blocks.len(), 1);
        assert!(
            a.blocks[0].html.contains("https://e.com/x"),
            "{}",
            a.blocks[0].html
        );
    }

    #[test]
    fn markdown_imports_with_its_heading_as_title() {
        let a = parse(
            Path::new("n.md"),
            "# Title\n\nFirst para.\n\n## Sub\n\n- item".as_bytes(),
        )
        .unwrap();
        assert_eq!(a.title, "Title");
        let kinds: Vec<_> = a.blocks.iter().map(|b| b.kind.as_str()).collect();
        assert_eq!(kinds, ["paragraph", "heading", "list_item"]);
    }

    #[test]
    fn unknown_formats_are_refused() {
        assert!(matches!(
            parse(Path::new("x.csv"), b"a,b,c"),
            Err(CoreError::NotAnArticle { .. })
        ));
    }
}
