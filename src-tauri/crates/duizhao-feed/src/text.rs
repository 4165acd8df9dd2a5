//! Small text helpers shared by the parsers: HTML-to-plain-text for titles, HTML escaping,
//! URL resolution and a cheap, linear markup depth scanner.
//!
//! They exist because feed titles arrive as anything from clean text to double-escaped HTML,
//! and because nesting depth has to be known *before* any tree parser sees a document.

use url::Url;

/// Turns a fragment that may contain HTML tags and entities into plain text: tags and
/// comments are dropped, entities (the full HTML5 table and numeric ones) decoded and runs of
/// whitespace collapsed to one space. A `<` that does not open a tag is kept as text.
pub fn html_to_text(s: &str) -> String {
    if !s.contains('<') && !s.contains('&') {
        return collapse_whitespace(s);
    }
    let stripped = strip_tags(s);
    let decoded = html_escape::decode_html_entities(&stripped);
    collapse_whitespace(&decoded)
}

/// Replaces C1 control characters (U+0080–U+009F) with the characters windows-1252 puts at
/// those bytes (’ “ ” – — € …). Such controls in a feed are always windows-1252 text that was
/// mislabelled as Latin-1 or escaped as `&#146;`; feedparser calls this "demoronizing".
pub fn demoronize(s: &str) -> std::borrow::Cow<'_, str> {
    // U+0080..U+009F are encoded as C2 80..C2 9F in UTF-8.
    let b = s.as_bytes();
    let has_c1 = memchr::memchr_iter(0xC2, b)
        .any(|i| b.get(i + 1).is_some_and(|n| (0x80..=0x9F).contains(n)));
    if !has_c1 {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .map(|c| {
                let v = c as u32;
                if (0x80..=0x9F).contains(&v) {
                    let byte = [v as u8];
                    let (mapped, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&byte);
                    mapped.chars().next().unwrap_or(c)
                } else {
                    c
                }
            })
            .collect(),
    )
}

/// Collapses every run of Unicode whitespace to one ASCII space and trims the ends.
pub fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Cuts `s` to at most `max_bytes` bytes on a character boundary, ending with `…` (within
/// the limit) when anything was cut. Whitespace before the ellipsis is dropped.
pub fn truncate_text(s: &mut String, max_bytes: usize) {
    if s.len() <= max_bytes {
        return;
    }
    const ELLIPSIS: char = '…';
    let room = max_bytes.saturating_sub(ELLIPSIS.len_utf8());
    let mut cut = if max_bytes >= ELLIPSIS.len_utf8() {
        room
    } else {
        max_bytes
    };
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    s.truncate(cut);
    s.truncate(s.trim_end().len());
    if max_bytes >= ELLIPSIS.len_utf8() {
        s.push(ELLIPSIS);
    }
}

/// Escapes `&`, `<`, `>`, `"` and `'` so plain text can be embedded in HTML (through the
/// `html-escape` crate, the escaper the core uses too).
pub fn escape_html(s: &str) -> String {
    html_escape::encode_quoted_attribute(s).into_owned()
}

/// Removes tags and comments, putting a space where a tag was so words do not run together.
/// Raw-text elements (`script`, `style`) are dropped with their content.
pub(crate) fn strip_tags(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    let mut last = 0;
    while let Some(off) = memchr_lt(&b[i..]) {
        let start = i + off;
        let next = b.get(start + 1).copied().unwrap_or(b' ');
        if !(next.is_ascii_alphabetic() || next == b'/' || next == b'!' || next == b'?') {
            i = start + 1;
            continue;
        }
        // `start` is an ASCII `<`; `last` is 0 or just past an ASCII `>`/`-->` or the end:
        // both char boundaries.
        out.push_str(&s[last..start]);
        let end = if b[start..].starts_with(b"<!--") {
            find(b, start + 4, b"-->").map_or(b.len(), |e| e + 3)
        } else {
            let tag_end = tag_end(b, start + 1);
            let name = tag_name(&b[start + 1..tag_end.min(b.len())]);
            if name.eq_ignore_ascii_case(b"script") || name.eq_ignore_ascii_case(b"style") {
                find_close_tag(b, tag_end, name).unwrap_or(b.len())
            } else {
                tag_end
            }
        };
        out.push(' ');
        i = end.min(b.len());
        last = i;
    }
    out.push_str(&s[last..]);
    out
}

fn memchr_lt(b: &[u8]) -> Option<usize> {
    memchr::memchr(b'<', b)
}

/// Index just past the first `>` at or after `from` that is not inside a quoted attribute
/// value, or `None` when the tag never ends. The one tag-end scanner of the project: raw pages
/// here, sanitized article HTML in the core (`services/ingest/markup.rs`). Always a char
/// boundary of the text `b` came from, since `>` is ASCII.
pub fn find_tag_end(b: &[u8], from: usize) -> Option<usize> {
    let mut quote = 0u8;
    for (i, &c) in b.iter().enumerate().skip(from) {
        if quote != 0 {
            if c == quote {
                quote = 0;
            }
        } else if c == b'"' || c == b'\'' {
            quote = c;
        } else if c == b'>' {
            return Some(i + 1);
        }
    }
    None
}

/// [`find_tag_end`], or the length when the tag never ends.
pub(crate) fn tag_end(b: &[u8], from: usize) -> usize {
    find_tag_end(b, from).unwrap_or(b.len())
}

/// The tag name at the start of `b` (which begins just after `<`, or after `</`). It ends at an
/// ASCII byte or the end of `b`, so its length is a char boundary offset.
pub(crate) fn tag_name(b: &[u8]) -> &[u8] {
    let b = b.strip_prefix(b"/").unwrap_or(b);
    let end = b
        .iter()
        .position(|c| c.is_ascii_whitespace() || *c == b'>' || *c == b'/')
        .unwrap_or(b.len());
    &b[..end]
}

/// Index just past `</name ...>` (case-insensitive), searching from `from`.
pub(crate) fn find_close_tag(b: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut i = from;
    while let Some(off) = find(b, i, b"</") {
        let after = off + 2;
        if b.len() >= after + name.len() && b[after..after + name.len()].eq_ignore_ascii_case(name)
        {
            return Some(tag_end(b, after));
        }
        i = after;
    }
    None
}

/// Position of `needle` in `hay` at or after `from`.
pub(crate) fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if from >= hay.len() || needle.is_empty() {
        return None;
    }
    memchr::memmem::find(&hay[from..], needle).map(|p| p + from)
}

/// The value of attribute `name` (ASCII case-insensitive) in a start tag such as
/// `<link rel="alternate" href=/feed>`, entities decoded. Quoted and unquoted values work.
pub(crate) fn attr(tag: &str, name: &str) -> Option<String> {
    attr_span(tag, name).map(|(a, b)| {
        // attr_span's ends are char boundaries (see there).
        html_escape::decode_html_entities(&tag[a..b])
            .trim()
            .to_string()
    })
}

/// The byte range of attribute `name`'s raw value inside `tag` (empty range for a bare
/// attribute), or `None` when the tag has no such attribute. Every index it stops at is next
/// to an ASCII byte (space, `=`, `>`, `/`, a quote) or at an end, so both ends, and the name
/// slice it takes, are char boundaries.
pub(crate) fn attr_span(tag: &str, name: &str) -> Option<(usize, usize)> {
    let b = tag.as_bytes();
    let mut i = 1 + tag_name(b.get(1..).unwrap_or(&[])).len();
    while i < b.len() {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() || b[i] == b'>' {
            return None;
        }
        let n_start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let n = &tag[n_start..i];
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut span = (i, i);
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let v_start = i + 1;
                let v_end = b[v_start..]
                    .iter()
                    .position(|c| *c == q)
                    .map_or(b.len(), |p| p + v_start);
                span = (v_start, v_end);
                i = v_end + 1;
            } else {
                let v_start = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                span = (v_start, i);
            }
        }
        if n.eq_ignore_ascii_case(name) {
            return Some(span);
        }
    }
    None
}

/// The first element of a markup document (after the prolog, comments, processing
/// instructions and DOCTYPE): its start tag's byte range and its name.
pub(crate) fn root_element(markup: &str) -> Option<(usize, usize, &str)> {
    let b = markup.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let start = i + b[i..].iter().position(|c| *c == b'<')?;
        let rest = &b[start..];
        if rest.starts_with(b"<?") {
            i = find(b, start, b"?>").map_or(b.len(), |e| e + 2);
        } else if rest.starts_with(b"<!--") {
            i = find(b, start, b"-->").map_or(b.len(), |e| e + 3);
        } else if rest.starts_with(b"<!") {
            i = skip_doctype(b, start + 2);
        } else if rest
            .get(1)
            .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
        {
            let end = tag_end(b, start + 1);
            let name_len = tag_name(&b[start + 1..end]).len();
            // After the ASCII `<`, ending where tag_name stopped: char boundaries.
            return Some((start, end, &markup[start + 1..start + 1 + name_len]));
        } else {
            i = start + 1;
        }
    }
    None
}

/// Resolves `href` against `base` when it is relative; returns it unchanged when it is
/// already absolute or cannot be resolved. Empty links are `None`.
pub fn resolve_url(base: Option<&Url>, href: &str) -> Option<String> {
    let href = href.trim();
    if href.is_empty() {
        return None;
    }
    if let Ok(abs) = Url::parse(href) {
        return Some(abs.to_string());
    }
    match base.and_then(|b| b.join(href).ok()) {
        Some(u) => Some(u.to_string()),
        None => Some(href.to_string()),
    }
}

/// A tag found by [`xml_tags`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum XmlTag<'a> {
    /// A start tag (`<name ...>` or `<name .../>`) spanning `start..end`.
    Open {
        start: usize,
        end: usize,
        name: &'a str,
        self_closing: bool,
    },
    /// An end tag `</name>` spanning `start..end`.
    Close {
        start: usize,
        end: usize,
        name: &'a str,
    },
}

/// The start and end tags of XML (or XML-like) `text`, in order, in one linear pass that
/// skips comments, CDATA, processing instructions and the DOCTYPE. Every `start` is an ASCII
/// `<` and every `end` is just past `>` (or the end), so all are char boundaries.
pub(crate) fn xml_tags(text: &str) -> impl Iterator<Item = XmlTag<'_>> {
    let b = text.as_bytes();
    let mut i = 0usize;
    std::iter::from_fn(move || {
        while i < b.len() {
            let start = i + memchr_lt(&b[i..])?;
            let rest = &b[start..];
            if rest.starts_with(b"<!--") {
                i = find(b, start + 4, b"-->").map_or(b.len(), |e| e + 3);
            } else if rest.starts_with(b"<![CDATA[") {
                i = find(b, start + 9, b"]]>").map_or(b.len(), |e| e + 3);
            } else if rest.starts_with(b"<?") {
                i = find(b, start + 2, b"?>").map_or(b.len(), |e| e + 2);
            } else if rest.starts_with(b"<!") {
                i = skip_doctype(b, start + 2);
            } else if rest.starts_with(b"</") {
                let end = tag_end(b, start + 2);
                let len = tag_name(&b[start + 2..end]).len();
                i = end;
                // After the ASCII `</`, ending where tag_name stopped: char boundaries.
                let name = &text[start + 2..start + 2 + len];
                return Some(XmlTag::Close { start, end, name });
            } else if rest
                .get(1)
                .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_' || *c >= 0x80)
            {
                let end = tag_end(b, start + 1);
                let len = tag_name(&b[start + 1..end]).len();
                let self_closing = end >= 2 && b[end - 1] == b'>' && b[end - 2] == b'/';
                i = end;
                // After the ASCII `<`, ending where tag_name stopped: char boundaries.
                let name = &text[start + 1..start + 1 + len];
                return Some(XmlTag::Open {
                    start,
                    end,
                    name,
                    self_closing,
                });
            } else {
                i = start + 1;
            }
        }
        None
    })
}

/// True when the XML (or XML-like) `text` nests elements deeper than `max_depth`. A single
/// linear pass over the bytes ([`xml_tags`]); stops as soon as the limit is crossed.
pub(crate) fn xml_depth_exceeds(text: &str, max_depth: usize) -> bool {
    let mut depth = 0usize;
    for tag in xml_tags(text) {
        match tag {
            XmlTag::Open {
                self_closing: false,
                ..
            } => {
                depth += 1;
                if depth > max_depth {
                    return true;
                }
            }
            XmlTag::Open { .. } => {}
            XmlTag::Close { .. } => depth = depth.saturating_sub(1),
        }
    }
    false
}

/// Skips a `<!DOCTYPE ...>` (or other `<!` declaration), including an internal subset in
/// brackets. Returns the index just past it.
fn skip_doctype(b: &[u8], from: usize) -> usize {
    let mut brackets = 0usize;
    let mut quote = 0u8;
    let mut i = from;
    while i < b.len() {
        let c = b[i];
        if quote != 0 {
            if c == quote {
                quote = 0;
            }
        } else {
            match c {
                b'"' | b'\'' => quote = c,
                b'[' => brackets += 1,
                b']' => brackets = brackets.saturating_sub(1),
                b'>' if brackets == 0 => return i + 1,
                _ => {}
            }
        }
        i += 1;
    }
    b.len()
}

/// A structural event of a JSON document, from [`json_events`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JsonEvent {
    /// `[` or `{` at this byte index.
    Open(usize, u8),
    /// `]` or `}` at this byte index.
    Close(usize),
    /// A string; the byte range of its raw content (between the quotes).
    Str(usize, usize),
}

/// The brackets and strings of JSON `text`, in order, in one linear pass (escapes inside
/// strings respected; anything else, valid or not, skipped).
pub(crate) fn json_events(text: &str) -> impl Iterator<Item = JsonEvent> + '_ {
    let b = text.as_bytes();
    let mut i = 0usize;
    std::iter::from_fn(move || {
        while i < b.len() {
            let c = b[i];
            i += 1;
            match c {
                b'"' => {
                    let start = i;
                    let mut escaped = false;
                    while i < b.len() {
                        let c = b[i];
                        i += 1;
                        if escaped {
                            escaped = false;
                        } else if c == b'\\' {
                            escaped = true;
                        } else if c == b'"' {
                            return Some(JsonEvent::Str(start, i - 1));
                        }
                    }
                    return Some(JsonEvent::Str(start, b.len()));
                }
                b'[' | b'{' => return Some(JsonEvent::Open(i - 1, c)),
                b']' | b'}' => return Some(JsonEvent::Close(i - 1)),
                _ => {}
            }
        }
        None
    })
}

/// Maximum nesting of `[`/`{` in a JSON document (strings skipped); stops past `max_depth`.
pub(crate) fn json_depth_exceeds(text: &str, max_depth: usize) -> bool {
    let mut depth = 0usize;
    for event in json_events(text) {
        match event {
            JsonEvent::Open(..) => {
                depth += 1;
                if depth > max_depth {
                    return true;
                }
            }
            JsonEvent::Close(_) => depth = depth.saturating_sub(1),
            JsonEvent::Str(..) => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_become_text() {
        assert_eq!(
            html_to_text("  <b>Bold</b> &amp; co&#8217;s  "),
            "Bold & co\u{2019}s"
        );
        assert_eq!(html_to_text("a < b"), "a < b");
        assert_eq!(html_to_text("AT&T"), "AT&T");
        assert_eq!(html_to_text("x<!-- c -->y<script>bad()</script>"), "x y");
        assert_eq!(html_to_text("中文\n 标题"), "中文 标题");
    }

    #[test]
    fn depth() {
        assert!(!xml_depth_exceeds("<a><b/><c></c></a>", 2));
        assert!(xml_depth_exceeds("<a><b><c/></b></a>", 1));
        assert!(!xml_depth_exceeds(
            "<!DOCTYPE x [<!ENTITY a '<b>'>]><a><!-- <b><b> --></a>",
            1
        ));
        assert!(json_depth_exceeds("[[[1]]]", 2));
        assert!(!json_depth_exceeds(r#"{"a":"[[[["}"#, 2));
    }
}
