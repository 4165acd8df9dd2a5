//! Bounds on what one feed document may cost, applied before the parsers build their models.
//!
//! The parsers (feed-rs, rss) build a model of every item in memory: a 20 MB feed of tiny
//! items is hundreds of thousands of entries, hundreds of megabytes and seconds of work, only
//! for the core to keep a few hundred. So the document itself is cut after its first
//! `max_items` items — XML after the N-th `<item>`/`<entry>` element (its open ancestors
//! closed again), JSON Feed after the N-th object of the top-level `items` array — by a
//! linear byte scan, and the parsers see at most N items. The first N in document order are
//! kept: feeds list newest first (RSS and Atom practice, JSON Feed's rule), so those are the
//! newest.

use crate::text::{JsonEvent, XmlTag, json_events, xml_tags};

/// `markup` cut after its first `max` items (XML elements named `item` or `entry`, any prefix,
/// at the depth where the first one appears), with the open ancestors closed, and how many
/// items were cut off; `None` when it has no more than `max`.
pub(crate) fn cap_xml_items(markup: &str, max: usize) -> Option<(String, usize)> {
    let mut open: Vec<&str> = Vec::new();
    let mut item_depth: Option<usize> = None;
    let mut seen = 0usize;
    let mut cut: Option<(usize, Vec<&str>)> = None;
    for tag in xml_tags(markup) {
        match tag {
            XmlTag::Open {
                start,
                name,
                self_closing,
                ..
            } => {
                let local = name.rsplit(':').next().unwrap_or(name);
                let is_item =
                    local.eq_ignore_ascii_case("item") || local.eq_ignore_ascii_case("entry");
                if is_item && *item_depth.get_or_insert(open.len()) == open.len() {
                    seen += 1;
                    if seen == max + 1 {
                        cut = Some((start, open.clone()));
                    }
                }
                if !self_closing {
                    open.push(name);
                }
            }
            XmlTag::Close { name, .. } => {
                if let Some(pos) = open.iter().rposition(|n| *n == name) {
                    open.truncate(pos);
                }
            }
        }
    }
    let (at, ancestors) = cut?;
    let mut out = String::with_capacity(at + 64);
    // `at` is the ASCII `<` of the first item cut off: a char boundary.
    out.push_str(&markup[..at]);
    for name in ancestors.iter().rev() {
        out.push_str("</");
        out.push_str(name);
        out.push('>');
    }
    Some((out, seen - max))
}

/// JSON Feed `text` with its top-level `items` array cut after the `max`-th object (what
/// follows the array, such as a `version` key written after `items`, is kept), and how many
/// items were cut off; `None` when it has no more than `max` (or no such array).
pub(crate) fn cap_json_items(text: &str, max: usize) -> Option<(String, usize)> {
    let b = text.as_bytes();
    let mut depth = 0usize;
    // The last string closed at depth 1 (a key of the top-level object), as a byte range.
    let mut last_key = (0usize, 0usize);
    let mut in_items = false;
    let mut seen = 0usize;
    let mut cut_at: Option<usize> = None;
    // Where the items array closes (its `]`).
    let mut items_end: Option<usize> = None;
    for event in json_events(text) {
        match event {
            JsonEvent::Str(start, end) if depth == 1 => last_key = (start, end),
            JsonEvent::Str(..) => {}
            JsonEvent::Open(i, c) => {
                if c == b'[' && depth == 1 && &b[last_key.0..last_key.1] == b"items" {
                    in_items = true;
                } else if c == b'{' && in_items && depth == 2 {
                    seen += 1;
                    if seen == max + 1 {
                        cut_at = Some(i);
                    }
                }
                depth += 1;
            }
            JsonEvent::Close(i) => {
                depth = depth.saturating_sub(1);
                if in_items && depth == 1 {
                    in_items = false;
                    items_end.get_or_insert(i);
                }
            }
        }
    }
    let at = cut_at?;
    // `at` is an ASCII `{`; trimming whitespace and one ASCII `,` keeps a char boundary.
    let head = text[..at].trim_end();
    let head = head.strip_suffix(',').unwrap_or(head).trim_end();
    // `end` is the array's ASCII `]`: a char boundary. A document cut short (no `]`) gets the
    // array and the object closed.
    let tail = match items_end {
        Some(end) => &text[end..],
        None => "]}",
    };
    Some((format!("{head}{tail}"), seen - max))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_is_cut_after_the_nth_item() {
        let doc = "<?xml version=\"1.0\"?><rss><channel><title>t</title>\
<item><title>1</title><item>nested</item></item><item/><item><title>3</title></item>\
<item>4</item></channel></rss>";
        let (cut, dropped) = cap_xml_items(doc, 2).expect("cut");
        assert_eq!(
            cut,
            "<?xml version=\"1.0\"?><rss><channel><title>t</title>\
<item><title>1</title><item>nested</item></item><item/></channel></rss>"
        );
        assert_eq!(dropped, 2, "nested items are not counted");
        assert!(cap_xml_items(doc, 4).is_none());
        let atom = "<feed xmlns='http://www.w3.org/2005/Atom'><atom:entry>a</atom:entry><entry>b</entry></feed>";
        assert_eq!(
            cap_xml_items(atom, 1),
            Some((
                "<feed xmlns='http://www.w3.org/2005/Atom'><atom:entry>a</atom:entry></feed>"
                    .to_string(),
                1
            ))
        );
    }

    #[test]
    fn json_is_cut_after_the_nth_item() {
        let doc = r#"{"version":"https://jsonfeed.org/version/1.1","title":"items [",
"items":[{"id":"1","tags":[{"x":1}]}, {"id":"2"} ,{"id":"3"}],"next_url":"x"}"#;
        let (cut, dropped) = cap_json_items(doc, 2).expect("cut");
        assert_eq!(
            cut,
            r#"{"version":"https://jsonfeed.org/version/1.1","title":"items [",
"items":[{"id":"1","tags":[{"x":1}]}, {"id":"2"}],"next_url":"x"}"#
        );
        assert_eq!(dropped, 1);
        assert!(serde_json_like(&cut));
        assert!(cap_json_items(doc, 3).is_none());
        // Keys after the array stay (serializers that sort keys write `version` last).
        let sorted = r#"{"items":[{"id":"1"},{"id":"2"},{"id":"3"}],"title":"t","version":"https://jsonfeed.org/version/1.1"}"#;
        let (cut, dropped) = cap_json_items(sorted, 1).expect("cut");
        assert_eq!(
            cut,
            r#"{"items":[{"id":"1"}],"title":"t","version":"https://jsonfeed.org/version/1.1"}"#
        );
        assert_eq!(dropped, 2);
        assert!(cap_json_items(r#"{"items":[]}"#, 0).is_none());
    }

    /// Brackets balance outside strings (the cut is well-formed enough for a JSON parser).
    fn serde_json_like(s: &str) -> bool {
        !crate::text::json_depth_exceeds(s, 16) && s.matches('{').count() == s.matches('}').count()
    }
}
