//! UTF-8 text → one feed model, whatever the format (RSS 0.9x/1.0/2.0, RDF, Atom 0.3/1.0,
//! JSON Feed).
//!
//! feed-rs does the parsing; the `rss` crate takes over when feed-rs finds no feed root it
//! accepts (an `<rss>` without `version`, or version 0.93/0.94/2.01). Both run behind a size
//! and nesting-depth guard and inside [`std::panic::catch_unwind`], so one bad feed can never
//! take the app down. An HTML page where a feed was expected is reported as
//! [`ParseError::NotAFeed`], with the feeds the page advertises.
//!
//! Titles, authors and descriptions come out as plain text; item bodies come out as HTML that
//! still needs sanitizing (the core's job). Item links are resolved against `xml:base` and the
//! feed URL; URLs inside HTML bodies are left for the sanitizer, which resolves them.

use std::panic::{AssertUnwindSafe, catch_unwind};

use feed_rs::model::{Entry, Feed, FeedType, Link, Text};
use sha2::{Digest, Sha256};
use url::Url;

use crate::text::{
    collapse_whitespace, escape_html, html_to_text, json_depth_exceeds, resolve_url, truncate_text,
    xml_depth_exceeds,
};

/// Default largest document accepted by [`parse_feed`] (20 MB of UTF-8).
pub const DEFAULT_MAX_BYTES: usize = 20 * 1024 * 1024;
/// Default deepest element (or JSON) nesting accepted by [`parse_feed`].
pub const DEFAULT_MAX_DEPTH: usize = 512;
/// Default most items returned per document by [`parse_feed`] (the first ones in document
/// order, which feeds keep newest first).
pub const DEFAULT_MAX_ITEMS: usize = 1_000;
/// Default longest title (and author) returned, in bytes of UTF-8; longer ones are cut on a
/// character boundary and end with `…`. Feed descriptions get four times as much.
pub const DEFAULT_MAX_TITLE_BYTES: usize = 1024;
/// Item and site URLs longer than this are dropped (a cut URL is a wrong URL).
pub const MAX_URL_BYTES: usize = 8 * 1024;
/// Dedupe keys (guid or link) longer than this are replaced by their SHA-256 (hex).
pub const MAX_KEY_BYTES: usize = 4 * 1024;

/// Limits for [`parse_feed_with`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseOptions {
    /// Largest input, in bytes of UTF-8.
    pub max_bytes: usize,
    /// Deepest element nesting (XML) or array/object nesting (JSON).
    pub max_depth: usize,
    /// Most items returned: the first ones in document order. The document is cut before
    /// the parsers see it ([`crate::bounds`]), so time and memory follow this, not the
    /// document's item count; [`ParsedFeed::items_dropped`] says how many were left out.
    pub max_items: usize,
    /// Longest title or author, in bytes (cut on a character boundary, ending with `…`).
    pub max_title_bytes: usize,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            max_bytes: DEFAULT_MAX_BYTES,
            max_depth: DEFAULT_MAX_DEPTH,
            max_items: DEFAULT_MAX_ITEMS,
            max_title_bytes: DEFAULT_MAX_TITLE_BYTES,
        }
    }
}

/// A parsed feed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParsedFeed {
    /// The feed's title as plain text (empty when the feed has none).
    pub title: String,
    /// The web site the feed belongs to (absolute when a base URL was known).
    pub site_url: Option<String>,
    /// The feed's own URL as it declares it (`rel="self"`, JSON Feed `feed_url`).
    pub feed_url: Option<String>,
    /// The feed's description or subtitle, as plain text.
    pub description: Option<String>,
    /// The feed's declared language (`<language>`, `xml:lang`), if any.
    pub language: Option<String>,
    /// The items, in document order (at most [`ParseOptions::max_items`]).
    pub items: Vec<ParsedItem>,
    /// How many items the document had beyond [`ParseOptions::max_items`] (not returned).
    pub items_dropped: usize,
}

/// One item (RSS `<item>`, Atom `<entry>`, JSON Feed item).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParsedItem {
    /// The item's own identifier (`<guid>`, `<id>`, JSON `id`) when it has one.
    pub guid: Option<String>,
    /// The item's link, resolved against `xml:base` and the feed URL.
    pub url: Option<String>,
    /// Title as plain text (entities decoded, tags stripped; empty when absent).
    pub title: String,
    /// Publication (or else last update) time, milliseconds since the Unix epoch.
    pub published: Option<i64>,
    /// The first author's name (or e-mail), plain text.
    pub author: Option<String>,
    /// The full body (`content:encoded`, Atom `<content>`, JSON `content_html`), unsanitized
    /// HTML. Plain-text bodies are HTML-escaped.
    pub content_html: Option<String>,
    /// The summary (`<description>`, Atom `<summary>`, JSON `summary`), unsanitized HTML.
    pub summary_html: Option<String>,
    /// Images attached to the item: enclosures and Media RSS contents of an image type, and
    /// thumbnails, absolute where a base was known, without duplicates.
    pub image_urls: Vec<String>,
    /// A stable key to recognise the item again: the guid, else the link, else the SHA-256
    /// (hex) of the title and body.
    pub dedupe_key: String,
}

/// Why a document could not be parsed as a feed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// The document is larger than the limit.
    #[error("feed too large: {size} bytes (limit {limit})")]
    TooLarge {
        /// Size of the input in bytes.
        size: usize,
        /// The limit in force.
        limit: usize,
    },
    /// Elements (or JSON values) nest deeper than the limit.
    #[error("feed nested too deeply (limit {limit} levels)")]
    TooDeep {
        /// The limit in force.
        limit: usize,
    },
    /// The document is an HTML page, not a feed. `feed_links` lists the feeds the page
    /// advertises (`<link rel="alternate" type="application/rss+xml" href=...>`), absolute.
    #[error("not a feed: this is an HTML page{}", if feed_links.is_empty() { String::new() } else { format!(" (it links to the feed {})", feed_links[0]) })]
    NotAFeed {
        /// Feeds advertised by the page, best first.
        feed_links: Vec<String>,
    },
    /// Neither parser could read the document; the message says why.
    #[error("invalid feed: {0}")]
    Invalid(String),
    /// A parser panicked on this input (caught; a bug in the parser, reported as an error).
    #[error("the feed parser crashed on this document")]
    ParserPanicked,
}

/// Parses a feed with the default limits ([`ParseOptions::default`]).
///
/// `base_url` is where the feed was fetched from; relative item links resolve against it.
pub fn parse_feed(text: &str, base_url: Option<&str>) -> Result<ParsedFeed, ParseError> {
    parse_feed_with(text, base_url, &ParseOptions::default())
}

/// Parses a feed with explicit limits.
pub fn parse_feed_with(
    text: &str,
    base_url: Option<&str>,
    opts: &ParseOptions,
) -> Result<ParsedFeed, ParseError> {
    if text.len() > opts.max_bytes {
        return Err(ParseError::TooLarge {
            size: text.len(),
            limit: opts.max_bytes,
        });
    }
    let body = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
    let base = base_url.and_then(|b| Url::parse(b).ok());
    match body.as_bytes().first() {
        Some(first @ (b'{' | b'[')) => {
            if json_depth_exceeds(body, opts.max_depth) {
                return Err(ParseError::TooDeep {
                    limit: opts.max_depth,
                });
            }
            if *first == b'[' {
                return Err(ParseError::Invalid(
                    "a JSON array is not a JSON Feed".to_string(),
                ));
            }
        }
        Some(b'<') => {
            if looks_like_html(body) {
                return Err(not_a_feed(body, base_url));
            }
            if xml_depth_exceeds(body, opts.max_depth) {
                return Err(ParseError::TooDeep {
                    limit: opts.max_depth,
                });
            }
        }
        Some(_) => {
            if contains_ignore_case(&body.as_bytes()[..body.len().min(4096)], b"<html") {
                return Err(not_a_feed(body, base_url));
            }
            return Err(ParseError::Invalid(
                "the document is neither XML nor JSON".to_string(),
            ));
        }
        None => return Err(ParseError::Invalid("the document is empty".to_string())),
    }

    let repaired = if body.starts_with('<') {
        repair_rss_root(body)
    } else {
        None
    };
    let body = repaired.as_deref().unwrap_or(body);
    let capped = if body.starts_with('<') {
        crate::bounds::cap_xml_items(body, opts.max_items)
    } else {
        crate::bounds::cap_json_items(body, opts.max_items)
    };
    let (body, dropped) = match &capped {
        Some((cut, dropped)) => (cut.as_str(), *dropped),
        None => (body, 0),
    };
    let result = parse_repaired(body, base_url, base.as_ref());
    result.map(|mut feed| {
        demoronize_feed(&mut feed);
        bound_feed(&mut feed, opts, dropped);
        feed
    })
}

/// Applies the item, title, URL and key bounds of `opts` to a parsed feed (`dropped` items
/// were already cut from the document).
fn bound_feed(feed: &mut ParsedFeed, opts: &ParseOptions, dropped: usize) {
    let extra = feed.items.len().saturating_sub(opts.max_items);
    feed.items.truncate(opts.max_items);
    feed.items_dropped = dropped + extra;
    let max = opts.max_title_bytes;
    truncate_text(&mut feed.title, max);
    if let Some(d) = &mut feed.description {
        truncate_text(d, max.saturating_mul(4));
    }
    let url_ok = |u: &String| u.len() <= MAX_URL_BYTES;
    feed.site_url = feed.site_url.take().filter(url_ok);
    feed.feed_url = feed.feed_url.take().filter(url_ok);
    for item in &mut feed.items {
        truncate_text(&mut item.title, max);
        if let Some(a) = &mut item.author {
            truncate_text(a, max);
        }
        item.url = item.url.take().filter(url_ok);
        item.image_urls.retain(url_ok);
        if item.dedupe_key.len() > MAX_KEY_BYTES {
            item.dedupe_key = sha256_hex(&[item.dedupe_key.as_bytes()]);
        }
    }
}

/// Character references such as `&#146;` survive decoding as C1 controls; map them to the
/// windows-1252 characters they were meant to be.
fn demoronize_feed(feed: &mut ParsedFeed) {
    fn fix(s: &mut String) {
        if let std::borrow::Cow::Owned(f) = crate::text::demoronize(s) {
            *s = f;
        }
    }
    fix(&mut feed.title);
    feed.description.as_mut().map(fix);
    for item in &mut feed.items {
        fix(&mut item.title);
        item.author.as_mut().map(fix);
        item.content_html.as_mut().map(fix);
        item.summary_html.as_mut().map(fix);
    }
}

fn parse_repaired(
    body: &str,
    base_url: Option<&str>,
    base: Option<&Url>,
) -> Result<ParsedFeed, ParseError> {
    let feed_rs_result = catch_unwind(AssertUnwindSafe(|| {
        feed_rs::parser::Builder::new()
            .base_uri(base_url)
            .sanitize_content(false)
            // Keep missing ids missing: we want to know whether a guid was given.
            .id_generator(|_, _, _| String::new())
            .build()
            .parse(body.as_bytes())
    }));
    let feed_rs_error = match feed_rs_result {
        Ok(Ok(feed)) => return Ok(from_feed_rs(feed, base)),
        Ok(Err(e)) => ParseError::Invalid(e.to_string()),
        Err(_) => ParseError::ParserPanicked,
    };
    if body.starts_with('{') {
        return Err(feed_rs_error);
    }
    let rss_result = catch_unwind(AssertUnwindSafe(|| {
        rss::Channel::read_from(body.as_bytes())
    }));
    match rss_result {
        Ok(Ok(channel)) => Ok(from_rss(channel, base)),
        _ => {
            if contains_ignore_case(&body.as_bytes()[..body.len().min(4096)], b"<html") {
                Err(not_a_feed(body, base_url))
            } else {
                Err(feed_rs_error)
            }
        }
    }
}

fn not_a_feed(html: &str, base_url: Option<&str>) -> ParseError {
    ParseError::NotAFeed {
        feed_links: discover_feed_links(html, base_url),
    }
}

fn contains_ignore_case(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

/// True when the first element of the markup (after the prolog, comments and DOCTYPE) is
/// `html`, `head` or `body`.
fn looks_like_html(markup: &str) -> bool {
    let Some((_, _, name)) = crate::text::root_element(markup) else {
        return false;
    };
    let local = name.rsplit(':').next().unwrap_or(name);
    ["html", "head", "body"]
        .iter()
        .any(|h| local.eq_ignore_ascii_case(h))
}

/// feed-rs only accepts `<rss version="2.0|0.91|0.92">` with a `<channel>`. Real feeds omit
/// the version, say 0.93/0.94/2.01, or put `<item>`s straight under `<rss>`. Returns a copy
/// with the root repaired when (and only when) one of those applies.
fn repair_rss_root(markup: &str) -> Option<String> {
    let (start, end, name) = crate::text::root_element(markup)?;
    if name != "rss" {
        return None;
    }
    // root_element's range runs from an ASCII `<` to just past `>` (or the end); attr_span's
    // ends are char boundaries; `<rss` is 4 ASCII bytes; rfind gives a match start.
    let tag = &markup[start..end];
    let version_span = crate::text::attr_span(tag, "version");
    let version_ok =
        version_span.is_some_and(|(a, b)| matches!(&tag[a..b], "2.0" | "0.91" | "0.92"));
    let has_channel = crate::text::find(markup.as_bytes(), end, b"<channel").is_some();
    if version_ok && has_channel {
        return None;
    }
    let mut out = String::with_capacity(markup.len() + 32);
    out.push_str(&markup[..start]);
    match version_span {
        Some((a, b)) if !version_ok => {
            out.push_str(&tag[..a]);
            out.push_str("2.0");
            out.push_str(&tag[b..]);
        }
        Some(_) => out.push_str(tag),
        None => {
            out.push_str("<rss version=\"2.0\"");
            out.push_str(&tag[4..]);
        }
    }
    if has_channel {
        out.push_str(&markup[end..]);
    } else {
        let close = markup.rfind("</rss").filter(|c| *c >= end);
        out.push_str("<channel>");
        match close {
            Some(c) => {
                out.push_str(&markup[end..c]);
                out.push_str("</channel>");
                out.push_str(&markup[c..]);
            }
            None => {
                out.push_str(&markup[end..]);
                out.push_str("</channel>");
            }
        }
    }
    Some(out)
}

/// MIME types of feeds that pages advertise with `<link rel="alternate">`.
const FEED_TYPES: &[&str] = &[
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/rdf+xml",
    "application/json",
    "application/xml",
    "text/xml",
];

/// The feeds an HTML page advertises with `<link rel="alternate" type="…" href="…">`, in
/// document order without duplicates, resolved against `base` (and the page's
/// `<base href>`). Uses a linear tag scanner, never a tree parser, so it is safe on any input.
pub fn discover_feed_links(html: &str, base: Option<&str>) -> Vec<String> {
    let b = html.as_bytes();
    let mut base_url = base.and_then(|u| Url::parse(u).ok());
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while let Some(off) = b[i..].iter().position(|c| *c == b'<') {
        let start = i + off;
        let end = crate::text::tag_end(b, start + 1);
        let name = crate::text::tag_name(&b[start + 1..end]);
        if name.eq_ignore_ascii_case(b"base") {
            // From an ASCII `<` to tag_end: char boundaries.
            if let Some(href) = crate::text::attr(&html[start..end], "href")
                && let Some(resolved) = resolve_url(base_url.as_ref(), &href)
                && let Ok(u) = Url::parse(&resolved)
            {
                base_url = Some(u);
            }
        } else if name.eq_ignore_ascii_case(b"link") {
            let tag = &html[start..end];
            let rel = crate::text::attr(tag, "rel")
                .unwrap_or_default()
                .to_ascii_lowercase();
            let ty = crate::text::attr(tag, "type")
                .unwrap_or_default()
                .to_ascii_lowercase();
            let ty = ty.split(';').next().unwrap_or("").trim().to_string();
            if rel.split_ascii_whitespace().any(|r| r == "alternate")
                && FEED_TYPES.contains(&ty.as_str())
                && let Some(href) = crate::text::attr(tag, "href")
                && let Some(u) = resolve_url(base_url.as_ref(), &href)
                && !out.contains(&u)
            {
                out.push(u);
            }
        }
        i = end.max(start + 1);
        if i >= b.len() {
            break;
        }
    }
    out
}

fn text_plain(t: &Text) -> String {
    html_to_text(&t.content)
}

fn text_html(t: &Text) -> Option<String> {
    body_html(&t.content, t.content_type.as_ref())
}

/// An item body as HTML: plain text is escaped (line breaks kept), HTML passes through.
fn body_html(body: &str, content_type: &str) -> Option<String> {
    if body.trim().is_empty() {
        return None;
    }
    let ct = content_type.to_ascii_lowercase();
    if ct.contains("html") || ct.contains("xml") {
        Some(body.to_string())
    } else if ct.starts_with("text/plain") || ct.is_empty() {
        Some(escape_html(body).replace('\n', "<br>\n"))
    } else {
        Some(body.to_string())
    }
}

fn is_alternate(l: &Link) -> bool {
    l.target.is_none()
        && l.rel
            .as_deref()
            .is_none_or(|r| r.eq_ignore_ascii_case("alternate"))
}

fn from_feed_rs(feed: Feed, base: Option<&Url>) -> ParsedFeed {
    let site_url = feed
        .links
        .iter()
        .find(|l| is_alternate(l) && !is_feed_type(l.media_type.as_deref()))
        .or_else(|| feed.links.iter().find(|l| is_alternate(l)))
        .and_then(|l| resolve_url(base, &l.href));
    let feed_url = feed
        .links
        .iter()
        .find(|l| l.rel.as_deref() == Some("self"))
        .and_then(|l| resolve_url(base, &l.href));
    // feed-rs reads RSS 1.0's `<description>` as plain text, but feeds put escaped HTML there
    // exactly as in RSS 2.0 (where feed-rs says HTML): read it the same way, or the reader
    // shows the tags as text.
    let rss1 = feed.feed_type == FeedType::RSS1;
    let items = feed
        .entries
        .into_iter()
        .map(|e| item_from_entry(e, base, rss1))
        .collect();
    ParsedFeed {
        title: feed.title.as_ref().map(text_plain).unwrap_or_default(),
        site_url,
        feed_url,
        description: feed
            .description
            .as_ref()
            .map(text_plain)
            .filter(|d| !d.is_empty()),
        language: feed
            .language
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty()),
        items,
        items_dropped: 0,
    }
}

fn is_feed_type(t: Option<&str>) -> bool {
    t.is_some_and(|t| FEED_TYPES.contains(&t.to_ascii_lowercase().as_str()))
}

fn item_from_entry(e: Entry, feed_base: Option<&Url>, summary_is_html: bool) -> ParsedItem {
    let item_base: Option<Url> = e
        .base
        .as_deref()
        .and_then(|b| resolve_url(feed_base, b))
        .and_then(|b| Url::parse(&b).ok());
    let base = item_base.as_ref().or(feed_base);

    let guid = Some(e.id.trim().to_string()).filter(|g| !g.is_empty());
    let url = e
        .links
        .iter()
        .find(|l| is_alternate(l))
        .or_else(|| e.links.iter().find(|l| l.target.is_none()))
        .and_then(|l| resolve_url(base, &l.href));
    let title = e.title.as_ref().map(text_plain).unwrap_or_default();
    let published = e.published.or(e.updated).map(|d| d.timestamp_millis());
    let author = e.authors.iter().find_map(|p| {
        let name = p.name.as_deref().map(html_to_text).unwrap_or_default();
        if !name.is_empty() {
            Some(name)
        } else {
            p.email
                .as_deref()
                .map(collapse_whitespace)
                .filter(|s| !s.is_empty())
        }
    });
    let content_html = e.content.as_ref().and_then(|c| {
        c.body
            .as_deref()
            .and_then(|b| body_html(b, c.content_type.as_ref()))
    });
    let summary_html = e.summary.as_ref().and_then(|t| {
        if summary_is_html {
            body_html(&t.content, "text/html")
        } else {
            text_html(t)
        }
    });

    let mut image_urls: Vec<String> = Vec::new();
    let mut push_image = |u: &str| {
        if let Some(u) = resolve_url(base, u)
            && !image_urls.contains(&u)
        {
            image_urls.push(u);
        }
    };
    for m in &e.media {
        for c in &m.content {
            let Some(u) = &c.url else { continue };
            let is_image = match &c.content_type {
                Some(ct) => ct.to_string().to_ascii_lowercase().starts_with("image/"),
                None => looks_like_image_url(u.as_str()),
            };
            if is_image {
                push_image(u.as_str());
            }
        }
        for t in &m.thumbnails {
            push_image(&t.image.uri);
        }
    }

    let dedupe_key = dedupe_key(
        guid.as_deref(),
        url.as_deref(),
        &title,
        content_html.as_deref().or(summary_html.as_deref()),
    );
    ParsedItem {
        guid,
        url,
        title,
        published,
        author,
        content_html,
        summary_html,
        image_urls,
        dedupe_key,
    }
}

fn looks_like_image_url(u: &str) -> bool {
    let path = u
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    [".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif"]
        .iter()
        .any(|ext| path.ends_with(ext))
}

fn dedupe_key(guid: Option<&str>, url: Option<&str>, title: &str, body: Option<&str>) -> String {
    if let Some(g) = guid {
        return g.to_string();
    }
    if let Some(u) = url {
        return u.to_string();
    }
    sha256_hex(&[title.as_bytes(), &[0u8], body.unwrap_or("").as_bytes()])
}

/// SHA-256 of the concatenated `parts`, as 64 lower-case hex digits.
fn sha256_hex(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    let digest = h.finalize();
    let mut hex = String::with_capacity(64);
    for byte in digest {
        hex.push_str(&format!("{byte:02x}"));
    }
    hex
}

fn from_rss(channel: rss::Channel, base: Option<&Url>) -> ParsedFeed {
    let items = channel
        .items()
        .iter()
        .map(|it| {
            let guid = it
                .guid()
                .map(|g| g.value().trim().to_string())
                .filter(|g| !g.is_empty());
            let url = it.link().and_then(|l| resolve_url(base, l));
            let title = it.title().map(html_to_text).unwrap_or_default();
            let published = it.pub_date().and_then(parse_date).or_else(|| {
                it.dublin_core_ext()
                    .and_then(|dc| dc.dates().first().and_then(|d| parse_date(d)))
            });
            let author = it
                .author()
                .map(html_to_text)
                .filter(|a| !a.is_empty())
                .or_else(|| {
                    it.dublin_core_ext().and_then(|dc| {
                        dc.creators()
                            .first()
                            .map(|c| html_to_text(c))
                            .filter(|a| !a.is_empty())
                    })
                });
            let content_html = it.content().and_then(|c| body_html(c, "text/html"));
            let summary_html = it.description().and_then(|d| body_html(d, "text/html"));
            let mut image_urls = Vec::new();
            if let Some(enc) = it.enclosure() {
                let ty = enc.mime_type().to_ascii_lowercase();
                if (ty.starts_with("image/") || (ty.is_empty() && looks_like_image_url(enc.url())))
                    && let Some(u) = resolve_url(base, enc.url())
                {
                    image_urls.push(u);
                }
            }
            let dedupe_key = dedupe_key(
                guid.as_deref(),
                url.as_deref(),
                &title,
                content_html.as_deref().or(summary_html.as_deref()),
            );
            ParsedItem {
                guid,
                url,
                title,
                published,
                author,
                content_html,
                summary_html,
                image_urls,
                dedupe_key,
            }
        })
        .collect();
    ParsedFeed {
        title: html_to_text(channel.title()),
        site_url: resolve_url(base, channel.link()),
        feed_url: None,
        description: Some(html_to_text(channel.description())).filter(|d| !d.is_empty()),
        language: channel
            .language()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty()),
        items,
        items_dropped: 0,
    }
}

/// RFC 2822 (RSS) or RFC 3339 (Dublin Core / Atom) dates, to milliseconds since the epoch.
fn parse_date(s: &str) -> Option<i64> {
    let s = s.trim();
    chrono::DateTime::parse_from_rfc2822(s)
        .or_else(|_| chrono::DateTime::parse_from_rfc3339(s))
        .ok()
        .map(|d| d.timestamp_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss_without_version_falls_back() {
        let f = parse_feed(
            "<rss><channel><title>T &amp;amp; U</title><link>/</link><item><title>&lt;b&gt;Hi&lt;/b&gt;</title><link>/a</link></item></channel></rss>",
            Some("https://ex.com/feed.xml"),
        )
        .expect("parses");
        assert_eq!(f.title, "T & U");
        assert_eq!(f.items[0].title, "Hi");
        assert_eq!(f.items[0].url.as_deref(), Some("https://ex.com/a"));
        assert_eq!(f.items[0].dedupe_key, "https://ex.com/a");
    }

    #[test]
    fn html_is_not_a_feed() {
        let html = r#"<!DOCTYPE html><html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml"></head><body>x</body></html>"#;
        let err = parse_feed(html, Some("https://ex.com/page")).expect_err("html");
        assert_eq!(
            err,
            ParseError::NotAFeed {
                feed_links: vec!["https://ex.com/feed.xml".to_string()]
            }
        );
    }

    #[test]
    fn rss1_descriptions_are_html_as_in_rss2() {
        // Found by tests/props.rs: the tags of an RSS 1.0 body were shown as text.
        let f = parse_feed(
            r#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel rdf:about="https://ex.com/"><title>t</title><link>https://ex.com/</link><description>d</description></channel><item rdf:about="https://ex.com/1"><title>A</title><link>https://ex.com/1</link><description>&lt;p&gt;Hi &lt;b&gt;there&lt;/b&gt;&lt;/p&gt;</description></item></rdf:RDF>"#,
            None,
        )
        .expect("parses");
        assert_eq!(
            f.items[0].summary_html.as_deref(),
            Some("<p>Hi <b>there</b></p>")
        );
    }

    #[test]
    fn guid_missing_hashes() {
        let f = parse_feed(
            r#"<rss version="2.0"><channel><title>t</title><item><title>A</title><description>body</description></item></channel></rss>"#,
            None,
        )
        .expect("parses");
        assert_eq!(f.items[0].guid, None);
        assert_eq!(f.items[0].dedupe_key.len(), 64);
    }
}
