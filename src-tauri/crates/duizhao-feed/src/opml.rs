//! OPML subscription lists, in and out, so readers can move to and from other feed readers.
//!
//! Reading is lenient about what exporters vary on (`text` vs `title`, attribute case, HTML
//! entities such as `&nbsp;` in titles, folders nested several levels deep) and strict about
//! what matters: size and nesting are bounded and malformed XML is an error. Nested folders are
//! flattened to one level, keeping the innermost folder's name, because Duizhao's sources pane
//! has one level of folders.
//!
//! quick-xml (already in the tree through feed-rs) is used rather than the `opml` crate,
//! whose strict serde model rejects common real-world exports.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::text::{collapse_whitespace, root_element, xml_depth_exceeds};

/// Largest OPML document accepted (bytes).
pub const MAX_OPML_BYTES: usize = 10 * 1024 * 1024;
/// Deepest element nesting accepted.
pub const MAX_OPML_DEPTH: usize = 256;

/// One subscription.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OpmlOutline {
    /// Display title (`text`, else `title`, else the feed URL).
    pub title: String,
    /// The feed URL (`xmlUrl`).
    pub xml_url: String,
    /// The site URL (`htmlUrl`), if given.
    pub html_url: Option<String>,
    /// The innermost folder the outline sat in, if any.
    pub folder: Option<String>,
}

/// Why an OPML document could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpmlError {
    /// Larger than [`MAX_OPML_BYTES`].
    #[error("OPML file too large (limit {limit} bytes)")]
    TooLarge {
        /// The limit in force.
        limit: usize,
    },
    /// Nested deeper than [`MAX_OPML_DEPTH`].
    #[error("OPML nested too deeply (limit {limit} levels)")]
    TooDeep {
        /// The limit in force.
        limit: usize,
    },
    /// The root element is not `<opml>`.
    #[error("not an OPML document")]
    NotOpml,
    /// The XML is malformed.
    #[error("invalid OPML: {0}")]
    Invalid(String),
}

/// Reads the subscriptions of an OPML document (decode it with [`crate::decode()`] first).
pub fn parse_opml(text: &str) -> Result<Vec<OpmlOutline>, OpmlError> {
    if text.len() > MAX_OPML_BYTES {
        return Err(OpmlError::TooLarge {
            limit: MAX_OPML_BYTES,
        });
    }
    let body = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
    match root_element(body) {
        Some((_, _, name)) if name.eq_ignore_ascii_case("opml") => {}
        _ => return Err(OpmlError::NotOpml),
    }
    if xml_depth_exceeds(body, MAX_OPML_DEPTH) {
        return Err(OpmlError::TooDeep {
            limit: MAX_OPML_DEPTH,
        });
    }
    let mut reader = Reader::from_str(body);
    // For each open <outline>: Some(name) when it is a folder.
    let mut stack: Vec<Option<String>> = Vec::new();
    let mut out = Vec::new();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| OpmlError::Invalid(format!("{e} at byte {}", reader.error_position())))?;
        match event {
            Event::Start(e) if is_outline(&e) => {
                let o = read_outline(&e);
                match o.xml_url {
                    Some(url) => {
                        out.push(to_outline(o.title, url, o.html_url, &stack));
                        stack.push(None);
                    }
                    None => stack.push(Some(o.title.unwrap_or_default())),
                }
            }
            Event::Empty(e) if is_outline(&e) => {
                let o = read_outline(&e);
                if let Some(url) = o.xml_url {
                    out.push(to_outline(o.title, url, o.html_url, &stack));
                }
            }
            Event::End(e) if e.local_name().as_ref().eq_ignore_ascii_case("outline") => {
                stack.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

struct RawOutline {
    title: Option<String>,
    xml_url: Option<String>,
    html_url: Option<String>,
}

fn is_outline(e: &BytesStart<'_>) -> bool {
    e.local_name().as_ref().eq_ignore_ascii_case("outline")
}

fn read_outline(e: &BytesStart<'_>) -> RawOutline {
    let (mut text, mut title, mut xml_url, mut html_url) = (None, None, None, None);
    for attr in e.attributes().with_checks(false).flatten() {
        let raw: &str = &attr.value;
        let value = collapse_whitespace(&html_escape::decode_html_entities(raw));
        if value.is_empty() {
            continue;
        }
        let key = attr.key.local_name();
        let key = key.as_ref();
        if key.eq_ignore_ascii_case("text") {
            text = Some(value);
        } else if key.eq_ignore_ascii_case("title") {
            title = Some(value);
        } else if key.eq_ignore_ascii_case("xmlUrl") {
            xml_url = Some(value);
        } else if key.eq_ignore_ascii_case("htmlUrl") {
            html_url = Some(value);
        }
    }
    RawOutline {
        title: text.or(title),
        xml_url,
        html_url,
    }
}

fn to_outline(
    title: Option<String>,
    xml_url: String,
    html_url: Option<String>,
    stack: &[Option<String>],
) -> OpmlOutline {
    OpmlOutline {
        title: title.unwrap_or_else(|| xml_url.clone()),
        folder: stack.iter().rev().find_map(|f| f.clone()),
        xml_url,
        html_url,
    }
}

/// Writes an OPML 2.0 document: outlines without a folder first, then one parent outline per
/// folder (in order of first appearance) holding its feeds.
pub fn write_opml(title: &str, outlines: &[OpmlOutline]) -> String {
    let mut s =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n");
    s.push_str("  <head>\n    <title>");
    s.push_str(&esc(title));
    s.push_str("</title>\n  </head>\n  <body>\n");
    for o in outlines.iter().filter(|o| o.folder.is_none()) {
        write_feed(&mut s, o, "    ");
    }
    let mut folders: Vec<&str> = Vec::new();
    for f in outlines.iter().filter_map(|o| o.folder.as_deref()) {
        if !folders.contains(&f) {
            folders.push(f);
        }
    }
    for folder in folders {
        let name = esc(folder);
        s.push_str(&format!("    <outline text=\"{name}\" title=\"{name}\">\n"));
        for o in outlines
            .iter()
            .filter(|o| o.folder.as_deref() == Some(folder))
        {
            write_feed(&mut s, o, "      ");
        }
        s.push_str("    </outline>\n");
    }
    s.push_str("  </body>\n</opml>\n");
    s
}

fn write_feed(s: &mut String, o: &OpmlOutline, indent: &str) {
    let title = esc(&o.title);
    s.push_str(&format!(
        "{indent}<outline type=\"rss\" text=\"{title}\" title=\"{title}\" xmlUrl=\"{}\"",
        esc(&o.xml_url)
    ));
    if let Some(h) = &o.html_url {
        s.push_str(&format!(" htmlUrl=\"{}\"", esc(h)));
    }
    s.push_str("/>\n");
}

/// Escapes for an attribute or text node, dropping characters XML 1.0 forbids.
fn esc(v: &str) -> String {
    let cleaned: String = v
        .chars()
        .filter(|c| {
            matches!(c, '\t' | '\n' | '\r') || (*c >= ' ' && *c != '\u{FFFE}' && *c != '\u{FFFF}')
        })
        .collect();
    quick_xml::escape::escape(cleaned.as_str()).into_owned()
}
