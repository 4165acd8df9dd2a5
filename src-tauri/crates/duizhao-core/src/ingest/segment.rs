//! Cuts sanitized article HTML into ordered blocks: the unit of detection, translation and
//! side-by-side alignment.
//!
//! Feeds rarely use semantic markup, so the rules follow what real articles do: a paragraph
//! that is entirely bold is a subheading; a `<small>` run right after an image is its caption
//! (feed services render captions that way); a paragraph holding only a timestamp is metadata.

use ego_tree::NodeRef;
use scraper::{ElementRef, Html, Node};

use crate::model::{Block, BlockKind};

/// Elements whose children are walked as separate blocks.
const CONTAINERS: &[&str] = &[
    "html", "body", "div", "section", "article", "main", "header", "footer", "figure", "ul", "ol",
    "dl", "details", "aside", "nav", "center",
];

/// Splits sanitized HTML into blocks in reading order.
pub fn segment(html: &str) -> Vec<Block> {
    let doc = Html::parse_fragment(html);
    let mut seg = Segmenter::default();
    seg.walk(*doc.root_element(), Context::Normal);
    seg.flush(Context::Normal);
    seg.blocks
}

#[derive(Clone, Copy, PartialEq)]
enum Context {
    Normal,
    Quote,
    ListItem,
}

impl Context {
    fn kind(self) -> BlockKind {
        match self {
            Context::Normal => BlockKind::Paragraph,
            Context::Quote => BlockKind::Quote,
            Context::ListItem => BlockKind::ListItem,
        }
    }
}

#[derive(Default)]
struct Segmenter {
    blocks: Vec<Block>,
    /// Inline content waiting to become a block.
    run_html: String,
    run_text: String,
    /// Element names of the run's top-level inline elements carrying text.
    run_wrappers: Vec<String>,
    /// Whether the run holds text outside any element.
    run_has_bare_text: bool,
}

impl Segmenter {
    fn walk(&mut self, node: NodeRef<'_, Node>, ctx: Context) {
        for child in node.children() {
            match child.value() {
                Node::Text(t) => {
                    self.run_html.push_str(&escape_text(t));
                    self.run_text.push_str(t);
                    if !t.trim().is_empty() {
                        self.run_has_bare_text = true;
                    }
                }
                Node::Element(_) => {
                    let Some(el) = ElementRef::wrap(child) else {
                        continue;
                    };
                    self.element(el, ctx);
                }
                _ => {}
            }
        }
    }

    fn element(&mut self, el: ElementRef<'_>, ctx: Context) {
        let name = el.value().name();
        match name {
            "p" | "pre" | "table" | "dt" | "dd" | "summary" => {
                self.flush(ctx);
                self.leaf(el, ctx);
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.flush(ctx);
                self.push_text_block(BlockKind::Heading, el);
            }
            "figcaption" => {
                self.flush(ctx);
                self.push_text_block(BlockKind::Caption, el);
            }
            "blockquote" => {
                self.flush(ctx);
                self.walk(*el, Context::Quote);
                self.flush(Context::Quote);
            }
            "li" => {
                self.flush(ctx);
                self.walk(*el, Context::ListItem);
                self.flush(Context::ListItem);
            }
            "img" => {
                self.flush(ctx);
                self.image(el);
            }
            "hr" => self.flush(ctx),
            "br" => {
                self.run_html.push_str("<br>");
                self.run_text.push('\n');
            }
            _ if CONTAINERS.contains(&name) => {
                self.flush(ctx);
                self.walk(*el, ctx);
                self.flush(ctx);
            }
            _ => {
                // Inline element. Images nested in links still become image blocks.
                if el.select(&IMG).next().is_some() {
                    self.flush(ctx);
                    self.walk(*el, ctx);
                    self.flush(ctx);
                    return;
                }
                let text: String = el.text().collect();
                if !text.trim().is_empty() {
                    self.run_wrappers.push(name.to_string());
                }
                self.run_html.push_str(&el.html());
                self.run_text.push_str(&text_with_breaks(el));
            }
        }
    }

    /// A block-level element that becomes exactly one block (unless it holds images).
    fn leaf(&mut self, el: ElementRef<'_>, ctx: Context) {
        if el.value().name() == "p" && el.select(&IMG).next().is_some() {
            self.walk(*el, ctx);
            self.flush(ctx);
            return;
        }
        let text = normalize(&text_with_breaks(el));
        if text.is_empty() {
            return;
        }
        let name = el.value().name();
        let kind = if name == "p" && is_all_bold(el) {
            BlockKind::Heading
        } else {
            ctx.kind()
        };
        let html = match name {
            "pre" | "table" => el.html(),
            _ => el.inner_html().trim().to_string(),
        };
        self.blocks.push(Block::text(kind, text, html));
    }

    fn push_text_block(&mut self, kind: BlockKind, el: ElementRef<'_>) {
        let text = normalize(&text_with_breaks(el));
        if !text.is_empty() {
            self.blocks
                .push(Block::text(kind, text, el.inner_html().trim().to_string()));
        }
    }

    fn image(&mut self, el: ElementRef<'_>) {
        let Some(src) = el.value().attr("src").filter(|s| !s.is_empty()) else {
            return;
        };
        let alt = el.value().attr("alt").unwrap_or("").trim().to_string();
        let mut block = Block::text(BlockKind::Image, alt, el.html());
        block.src = Some(src.to_string());
        self.blocks.push(block);
    }

    /// Turns the pending inline run into a block.
    fn flush(&mut self, ctx: Context) {
        let html = std::mem::take(&mut self.run_html);
        let raw_text = std::mem::take(&mut self.run_text);
        let wrappers = std::mem::take(&mut self.run_wrappers);
        let bare = std::mem::replace(&mut self.run_has_bare_text, false);
        let text = normalize(&raw_text);
        if text.is_empty() || is_timestamp(&text) {
            return;
        }
        let only = |names: &[&str]| {
            !bare && !wrappers.is_empty() && wrappers.iter().all(|w| names.contains(&w.as_str()))
        };
        let after_image = matches!(self.blocks.last().map(|b| b.kind), Some(BlockKind::Image));
        let kind = if ctx == Context::Normal && after_image && only(&["small", "em", "i"]) {
            BlockKind::Caption
        } else if ctx == Context::Normal && only(&["strong", "b"]) {
            BlockKind::Heading
        } else {
            ctx.kind()
        };
        let html = if kind == BlockKind::Caption && wrappers.len() == 1 {
            // Keep the caption's own content, not the grey <small> wrapper around it.
            inner_of_single_wrapper(&html).unwrap_or(html)
        } else {
            html.trim().to_string()
        };
        self.blocks.push(Block::text(kind, text, html));
    }
}

static IMG: std::sync::LazyLock<scraper::Selector> =
    std::sync::LazyLock::new(|| scraper::Selector::parse("img").expect("static selector"));

/// A `<p>` whose visible text sits entirely inside `<strong>`/`<b>`.
fn is_all_bold(el: ElementRef<'_>) -> bool {
    let mut saw_bold = false;
    for child in el.children() {
        match child.value() {
            Node::Text(t) if t.trim().is_empty() => {}
            Node::Text(_) => return false,
            Node::Element(e) if matches!(e.name(), "strong" | "b") => saw_bold = true,
            Node::Element(e) if e.name() == "br" => {}
            Node::Element(_) => return false,
            _ => {}
        }
    }
    saw_bold
}

fn inner_of_single_wrapper(html: &str) -> Option<String> {
    let frag = Html::parse_fragment(html);
    let el = frag.root_element().child_elements().next()?;
    Some(el.inner_html().trim().to_string())
}

/// Text of an element with `<br>` as a line break.
fn text_with_breaks(el: ElementRef<'_>) -> String {
    let mut out = String::new();
    for node in el.descendants() {
        match node.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) if e.name() == "br" => out.push('\n'),
            _ => {}
        }
    }
    out
}

/// Collapses HTML whitespace the way a browser shows it, keeping explicit line breaks.
fn normalize(text: &str) -> String {
    text.split('\n')
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A run consisting only of an ISO-8601 timestamp is metadata, not article text.
fn is_timestamp(text: &str) -> bool {
    text.len() <= 40 && chrono::DateTime::parse_from_rfc3339(text).is_ok()
}

fn escape_text(t: &str) -> String {
    let mut s = String::with_capacity(t.len());
    for c in t.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            _ => s.push(c),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(blocks: &[Block]) -> Vec<BlockKind> {
        blocks.iter().map(|b| b.kind).collect()
    }

    #[test]
    fn paragraphs_headings_and_lists_keep_their_order() {
        let b = segment(
            "<h2>T</h2><p>one</p><p><strong>Sub</strong></p><ul><li>a</li><li>b</li></ul><blockquote><p>q</p></blockquote>",
        );
        use BlockKind::*;
        assert_eq!(
            kinds(&b),
            vec![Heading, Paragraph, Heading, ListItem, ListItem, Quote]
        );
        assert_eq!(b[2].text, "Sub");
    }

    #[test]
    fn small_text_after_an_image_is_its_caption() {
        let b = segment(
            r#"<img src="https://e.com/a.jpg"><div><small>A cat.</small></div><p>text</p>"#,
        );
        assert_eq!(
            kinds(&b),
            vec![BlockKind::Image, BlockKind::Caption, BlockKind::Paragraph]
        );
        assert_eq!(b[0].src.as_deref(), Some("https://e.com/a.jpg"));
        assert_eq!(b[1].html, "A cat.");
    }

    #[test]
    fn small_text_elsewhere_is_not_a_caption() {
        let b = segment("<p>x</p><div><small>fine print</small></div>");
        assert_eq!(b[1].kind, BlockKind::Paragraph);
    }

    #[test]
    fn timestamp_only_runs_are_dropped_and_inline_text_is_kept() {
        let b = segment(
            "<div><i><br>2023-09-19T01:49:38.602Z</i></div><div>loose <a href=\"https://e.com\">link</a> text</div>",
        );
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].text, "loose link text");
        assert!(b[0].html.contains("<a href"));
    }

    #[test]
    fn bold_inside_a_sentence_is_not_a_heading() {
        let b = segment("<p>This is <strong>important</strong> news.</p>");
        assert_eq!(b[0].kind, BlockKind::Paragraph);
    }

    #[test]
    fn text_is_escaped_in_block_html() {
        let b = segment("<div>a &lt;script&gt; b</div>");
        assert_eq!(b[0].text, "a <script> b");
        assert_eq!(b[0].html, "a &lt;script&gt; b");
    }
}
