//! A light tree over the sanitizer's own output, so block segmentation does not parse HTML a
//! second time.
//!
//! Ammonia parses untrusted HTML with html5ever and serializes the cleaned tree. That
//! serialization is a small, regular subset of HTML: lowercase tag names, every attribute value
//! in double quotes, `&`, `<`, `>` and no-break spaces escaped in text, every non-void element
//! closed, no comments, no doctype and (with the article allow-list) no raw-text elements such
//! as `<script>` or `<textarea>`. Reparsing it with html5ever cost as much as sanitizing it
//! (the ingest benchmark, docs/BENCHMARKS.md), so this module reads that subset directly and
//! keeps byte ranges: a block's HTML is a slice of the sanitized string, never re-serialized.
//!
//! Anything outside the subset (the function is public and may be fed other text) is handled
//! without panicking: a stray `<` is text, an unmatched end tag is ignored, elements left open
//! are closed at the end. It is never a sanitizer: its input has already been sanitized.

use std::borrow::Cow;
use std::ops::Range;

/// Elements that never have content or an end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Index of the synthetic root node that holds the fragment's top-level nodes.
pub const ROOT: usize = 0;

/// One node: an element or a run of text.
#[derive(Debug)]
pub struct Node<'a> {
    /// Element name, `""` for text and for the root.
    pub name: &'a str,
    /// Whether this is a run of text.
    text: bool,
    /// Escaped source of a text node, or the attribute text of an element's start tag.
    raw: &'a str,
    /// Byte range of the whole element (start tag to end tag) or of the text.
    pub outer: Range<usize>,
    /// Byte range of an element's content (empty for void elements and text).
    pub inner: Range<usize>,
    /// Child node indices in document order.
    pub children: Vec<usize>,
    /// Whether an `<img>` is this element or inside it.
    pub has_img: bool,
}

impl<'a> Node<'a> {
    /// True for text nodes.
    pub fn is_text(&self) -> bool {
        self.text
    }

    /// The decoded text of a text node.
    pub fn text(&self) -> Cow<'a, str> {
        unescape(self.raw)
    }

    /// The decoded value of an attribute of an element.
    pub fn attr(&self, name: &str) -> Option<Cow<'a, str>> {
        attributes(self.raw)
            .find(|(n, _)| *n == name)
            .map(|(_, v)| unescape(v))
    }
}

/// A parsed fragment: nodes in document order, [`ROOT`] first.
#[derive(Debug)]
pub struct Tree<'a> {
    /// The source the ranges point into.
    pub src: &'a str,
    /// All nodes; index [`ROOT`] is the fragment itself.
    pub nodes: Vec<Node<'a>>,
}

impl<'a> Tree<'a> {
    /// Reads sanitized HTML into a tree.
    // Longer than most functions on purpose: one loop whose branches (text, start tag, end
    // tag, comment) share the cursor and the stack of open elements, on the hot path of every
    // ingest; split, each piece would have to hand all of that back and forth.
    pub fn parse(src: &'a str) -> Tree<'a> {
        let mut nodes = vec![Node {
            name: "",
            text: false,
            raw: "",
            outer: 0..src.len(),
            inner: 0..src.len(),
            children: Vec::new(),
            has_img: false,
        }];
        let mut open: Vec<usize> = vec![ROOT];
        let bytes = src.as_bytes();
        let mut text_start: Option<usize> = None;
        let mut i = 0;
        while i < bytes.len() {
            let Some(lt) = memchr::memchr(b'<', &bytes[i..]).map(|p| p + i) else {
                text_start.get_or_insert(i);
                break;
            };
            let tag = match bytes.get(lt + 1) {
                Some(b'/') => scan_end_tag(src, lt),
                Some(c) if c.is_ascii_alphabetic() => scan_start_tag(src, lt),
                _ => None,
            };
            let Some(tag) = tag else {
                // Not a tag: the '<' is text.
                text_start.get_or_insert(i);
                i = lt + 1;
                continue;
            };
            if lt > i {
                text_start.get_or_insert(i);
            }
            if let Some(start) = text_start.take() {
                push_text(&mut nodes, &open, src, start..lt);
            }
            match tag {
                Tag::Start { name, attrs, end } => {
                    let id = nodes.len();
                    let void = VOID.contains(&name);
                    nodes.push(Node {
                        name,
                        text: false,
                        raw: attrs,
                        outer: lt..end,
                        inner: end..end,
                        children: Vec::new(),
                        has_img: name == "img",
                    });
                    let parent = *open.last().unwrap_or(&ROOT);
                    nodes[parent].children.push(id);
                    if name == "img" {
                        for &a in &open {
                            nodes[a].has_img = true;
                        }
                    }
                    if !void {
                        open.push(id);
                    }
                }
                Tag::End { name, end } => {
                    // Close up to the matching open element; an end tag nothing matches is dropped.
                    if let Some(pos) = open
                        .iter()
                        .rposition(|&n| n != ROOT && nodes[n].name == name)
                    {
                        for &n in &open[pos + 1..] {
                            nodes[n].inner.end = lt;
                            nodes[n].outer.end = lt;
                        }
                        let n = open[pos];
                        nodes[n].inner.end = lt;
                        nodes[n].outer.end = end;
                        open.truncate(pos);
                    }
                }
            }
            i = match tag {
                Tag::Start { end, .. } | Tag::End { end, .. } => end,
            };
        }
        if let Some(start) = text_start {
            push_text(&mut nodes, &open, src, start..src.len());
        }
        for &n in &open[1..] {
            nodes[n].inner.end = src.len();
            nodes[n].outer.end = src.len();
        }
        Tree { src, nodes }
    }

    /// The node at `id`.
    pub fn node(&self, id: usize) -> &Node<'a> {
        &self.nodes[id]
    }

    /// The element's own markup, start tag to end tag.
    pub fn outer_html(&self, id: usize) -> &'a str {
        &self.src[self.nodes[id].outer.clone()]
    }

    /// The element's content markup.
    pub fn inner_html(&self, id: usize) -> &'a str {
        &self.src[self.nodes[id].inner.clone()]
    }

    /// Appends the decoded text under `id`, with `<br>` as a line break.
    pub fn text_into(&self, id: usize, out: &mut String) {
        let n = &self.nodes[id];
        if n.is_text() {
            out.push_str(&n.text());
            return;
        }
        if n.name == "br" {
            out.push('\n');
            return;
        }
        for &c in &n.children {
            self.text_into(c, out);
        }
    }
}

#[derive(Clone, Copy)]
enum Tag<'a> {
    Start {
        name: &'a str,
        attrs: &'a str,
        end: usize,
    },
    End {
        name: &'a str,
        end: usize,
    },
}

fn push_text<'a>(nodes: &mut Vec<Node<'a>>, open: &[usize], src: &'a str, range: Range<usize>) {
    let id = nodes.len();
    nodes.push(Node {
        name: "",
        text: true,
        raw: &src[range.clone()],
        outer: range.clone(),
        inner: range.end..range.end,
        children: Vec::new(),
        has_img: false,
    });
    let parent = *open.last().unwrap_or(&ROOT);
    nodes[parent].children.push(id);
}

/// `<name attr="v" …>` starting at `lt`; quoted values may hold `>`.
fn scan_start_tag(src: &str, lt: usize) -> Option<Tag<'_>> {
    let bytes = src.as_bytes();
    let name_end = (lt + 1..bytes.len()).find(|&j| {
        matches!(
            bytes[j],
            b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>'
        )
    })?;
    let name = &src[lt + 1..name_end];
    let end = duizhao_feed::text::find_tag_end(bytes, name_end)?;
    let attrs = src[name_end..end - 1].trim_end_matches('/');
    Some(Tag::Start { name, attrs, end })
}

/// Index just past the `>` ending the tag that starts at `lt` (a `<`), quotes respected: the
/// serializer leaves `>` unescaped inside attribute values. `src.len()` when it never ends.
pub fn tag_end(src: &str, lt: usize) -> usize {
    duizhao_feed::text::find_tag_end(src.as_bytes(), lt + 1).unwrap_or(src.len())
}

/// `</name>` starting at `lt`.
fn scan_end_tag(src: &str, lt: usize) -> Option<Tag<'_>> {
    let gt = memchr::memchr(b'>', &src.as_bytes()[lt..])? + lt;
    let name = src[lt + 2..gt].trim();
    (!name.is_empty()).then_some(Tag::End { name, end: gt + 1 })
}

/// `name="value"` pairs of a start tag's attribute text (values still escaped).
fn attributes(mut s: &str) -> impl Iterator<Item = (&str, &str)> {
    std::iter::from_fn(move || {
        s = s.trim_start();
        if s.is_empty() {
            return None;
        }
        let name_end = s
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(s.len());
        let name = &s[..name_end];
        let rest = s[name_end..].trim_start();
        if let Some(rest) = rest.strip_prefix('=') {
            let rest = rest.trim_start();
            let (value, after) = match rest.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let body = &rest[1..];
                    match body.find(q) {
                        Some(e) => (&body[..e], &body[e + 1..]),
                        None => (body, ""),
                    }
                }
                _ => {
                    let e = rest.find(char::is_whitespace).unwrap_or(rest.len());
                    (&rest[..e], &rest[e..])
                }
            };
            s = after;
            Some((name, value))
        } else {
            s = rest;
            Some((name, ""))
        }
    })
}

/// Decodes the character references the serializer writes (`&amp; &lt; &gt; &quot; &nbsp;`,
/// plus numeric ones); any other `&` is kept as it is.
pub fn unescape(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        // A reference is short: look for its ';' within a few bytes (ASCII, so a char boundary).
        let entity = rest.as_bytes()[1..rest.len().min(12)]
            .iter()
            .position(|&b| b == b';')
            .map(|e| &rest[1..1 + e]);
        let decoded = entity.and_then(|e| {
            Some(match e {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" => '\u{a0}',
                _ => {
                    let num = e.strip_prefix('#')?;
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    char::from_u32(code)?
                }
            })
        });
        match (entity, decoded) {
            (Some(e), Some(c)) => {
                out.push(c);
                rest = &rest[e.len() + 2..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_cover_elements_and_their_content() {
        let src = r#"<p>a <a href="https://e.com/?a=1&amp;b=2" title="x>y">b</a></p><img src="i.png" alt="c &quot;d&quot;"><br>"#;
        let t = Tree::parse(src);
        let p = t.node(ROOT).children[0];
        assert_eq!(t.node(p).name, "p");
        assert_eq!(
            t.inner_html(p),
            r#"a <a href="https://e.com/?a=1&amp;b=2" title="x>y">b</a>"#
        );
        let a = t.node(p).children[1];
        assert_eq!(
            t.node(a).attr("href").as_deref(),
            Some("https://e.com/?a=1&b=2")
        );
        assert_eq!(t.node(a).attr("title").as_deref(), Some("x>y"));
        let img = t.node(ROOT).children[1];
        assert_eq!(
            t.outer_html(img),
            r#"<img src="i.png" alt="c &quot;d&quot;">"#
        );
        assert_eq!(t.node(img).attr("alt").as_deref(), Some("c \"d\""));
        assert_eq!(t.node(ROOT).children.len(), 3, "br is void");
    }

    #[test]
    fn text_is_decoded_and_breaks_become_newlines() {
        let t = Tree::parse("<p>a &lt;b&gt; &amp;&nbsp;c<br>d &#x4e2d;&#25991; &bogus; &</p>");
        let mut s = String::new();
        t.text_into(ROOT, &mut s);
        assert_eq!(s, "a <b> &\u{a0}c\nd 中文 &bogus; &");
    }

    #[test]
    fn malformed_input_never_panics() {
        for src in [
            "<",
            "</",
            "<p",
            "</p>",
            "a < b",
            "<p>unclosed",
            "<a href=\"x>",
            "</>",
            "<p></q></p>",
            "<<p>>",
            "<p a=>x</p>",
            "&#xffffffff; &#; &",
            "<p>é</p",
            "<1>",
        ] {
            let t = Tree::parse(src);
            let mut s = String::new();
            t.text_into(ROOT, &mut s);
            for n in &t.nodes {
                assert!(
                    n.outer.start <= n.outer.end && n.outer.end <= src.len(),
                    "{src}"
                );
                assert!(src.get(n.outer.clone()).is_some() && src.get(n.inner.clone()).is_some());
            }
        }
    }

    #[test]
    fn random_markup_never_panics_and_ranges_stay_in_bounds() {
        // A small deterministic generator over the characters that matter to the scanner.
        const PIECES: &[&str] = &[
            "<",
            ">",
            "/",
            "\"",
            "'",
            "=",
            "&",
            ";",
            "#x",
            "amp",
            "p",
            "a",
            "img",
            "br",
            " ",
            "中",
            "é",
            "</",
            "<p>",
            "</p>",
            "<img src=\"",
            "&nbsp;",
            "\n",
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..5_000 {
            let len = (next() % 40) as usize;
            let src: String = (0..len)
                .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
                .collect();
            let t = Tree::parse(&src);
            let mut text = String::new();
            t.text_into(ROOT, &mut text);
            for (id, n) in t.nodes.iter().enumerate() {
                assert!(src.get(n.outer.clone()).is_some(), "{src:?}");
                assert!(src.get(n.inner.clone()).is_some(), "{src:?}");
                let _ = (t.outer_html(id), t.inner_html(id), n.attr("src"));
            }
        }
    }
}
