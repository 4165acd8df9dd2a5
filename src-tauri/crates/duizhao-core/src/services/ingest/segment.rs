//! Cuts sanitized article HTML into ordered blocks: the unit of detection, translation and
//! side-by-side alignment.
//!
//! Feeds rarely use semantic markup, so the rules follow what real articles do: a paragraph
//! that is entirely bold is a subheading; a `<small>` run right after an image is its caption
//! (feed services render captions that way); a paragraph holding only a timestamp is metadata.

use super::markup::{ROOT, Tree};
use crate::model::{Block, BlockKind};

/// Elements whose children are walked as separate blocks.
const CONTAINERS: &[&str] = &[
    "html", "body", "div", "section", "article", "main", "header", "footer", "figure", "ul", "ol",
    "dl", "details", "aside", "nav", "center",
];

/// Splits sanitized HTML (the output of [`super::sanitize::sanitize_html`]) into blocks in
/// reading order. Block HTML is cut from the input, so it is exactly as sanitized.
pub fn segment(html: &str) -> Vec<Block> {
    let tree = Tree::parse(html);
    let mut seg = Segmenter {
        tree: &tree,
        blocks: Vec::new(),
        run_html: String::new(),
        run_text: String::new(),
        run_wrappers: Vec::new(),
        run_has_bare_text: false,
    };
    seg.walk(ROOT, Context::Normal);
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

struct Segmenter<'t, 'a> {
    tree: &'t Tree<'a>,
    blocks: Vec<Block>,
    /// Inline content waiting to become a block.
    run_html: String,
    run_text: String,
    /// The run's top-level inline elements carrying text.
    run_wrappers: Vec<usize>,
    /// Whether the run holds text outside any element.
    run_has_bare_text: bool,
}

impl Segmenter<'_, '_> {
    fn walk(&mut self, id: usize, ctx: Context) {
        let tree = self.tree;
        for &child in &tree.node(id).children {
            let node = tree.node(child);
            if node.is_text() {
                let text = node.text();
                self.run_html.push_str(tree.outer_html(child));
                self.run_text.push_str(&text);
                if !text.trim().is_empty() {
                    self.run_has_bare_text = true;
                }
            } else {
                self.element(child, ctx);
            }
        }
    }

    fn element(&mut self, id: usize, ctx: Context) {
        let tree = self.tree;
        let name = tree.node(id).name;
        match name {
            "p" | "pre" | "table" | "dt" | "dd" | "summary" => {
                self.flush(ctx);
                self.leaf(id, ctx);
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.flush(ctx);
                self.push_text_block(BlockKind::Heading, id);
            }
            "figcaption" => {
                self.flush(ctx);
                self.push_text_block(BlockKind::Caption, id);
            }
            "blockquote" => {
                self.flush(ctx);
                self.walk(id, Context::Quote);
                self.flush(Context::Quote);
            }
            "li" => {
                self.flush(ctx);
                self.walk(id, Context::ListItem);
                self.flush(Context::ListItem);
            }
            "img" => {
                self.flush(ctx);
                self.image(id);
            }
            "hr" => self.flush(ctx),
            "br" => {
                self.run_html.push_str("<br>");
                self.run_text.push('\n');
            }
            _ if CONTAINERS.contains(&name) => {
                self.flush(ctx);
                self.walk(id, ctx);
                self.flush(ctx);
            }
            _ => {
                // Inline element. Images nested in links still become image blocks.
                if tree.node(id).has_img {
                    self.flush(ctx);
                    self.walk(id, ctx);
                    self.flush(ctx);
                    return;
                }
                self.run_html.push_str(tree.outer_html(id));
                let before = self.run_text.len();
                tree.text_into(id, &mut self.run_text);
                if !self.run_text[before..].trim().is_empty() {
                    self.run_wrappers.push(id);
                }
            }
        }
    }

    /// A block-level element that becomes exactly one block (unless it holds images).
    fn leaf(&mut self, id: usize, ctx: Context) {
        let tree = self.tree;
        let node = tree.node(id);
        if node.name == "p" && node.has_img {
            self.walk(id, ctx);
            self.flush(ctx);
            return;
        }
        let text = normalize(&self.text_of(id));
        if text.is_empty() {
            return;
        }
        let kind = if node.name == "p" && self.is_all_bold(id) {
            BlockKind::Heading
        } else {
            ctx.kind()
        };
        let html = match node.name {
            "pre" | "table" => tree.outer_html(id),
            _ => tree.inner_html(id).trim(),
        };
        self.blocks.push(Block::text(kind, text, html));
    }

    fn push_text_block(&mut self, kind: BlockKind, id: usize) {
        let text = normalize(&self.text_of(id));
        if !text.is_empty() {
            let html = self.tree.inner_html(id).trim();
            self.blocks.push(Block::text(kind, text, html));
        }
    }

    fn image(&mut self, id: usize) {
        let node = self.tree.node(id);
        let Some(src) = node.attr("src").filter(|s| !s.is_empty()) else {
            return;
        };
        let alt = node.attr("alt").unwrap_or_default().trim().to_string();
        let mut block = Block::text(BlockKind::Image, alt, self.tree.outer_html(id));
        block.src = Some(src.into_owned());
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
        let tree = self.tree;
        let only = |names: &[&str]| {
            !bare
                && !wrappers.is_empty()
                && wrappers.iter().all(|&w| names.contains(&tree.node(w).name))
        };
        let after_image = matches!(self.blocks.last().map(|b| b.kind), Some(BlockKind::Image));
        let kind = if ctx == Context::Normal && after_image && only(&["small", "em", "i"]) {
            BlockKind::Caption
        } else if ctx == Context::Normal && only(&["strong", "b"]) {
            BlockKind::Heading
        } else {
            ctx.kind()
        };
        let html = match wrappers.as_slice() {
            // Keep the caption's own content, not the grey <small> wrapper around it.
            [only] if kind == BlockKind::Caption => tree.inner_html(*only).trim().to_string(),
            _ => html.trim().to_string(),
        };
        self.blocks.push(Block::text(kind, text, html));
    }

    fn text_of(&self, id: usize) -> String {
        let mut out = String::new();
        self.tree.text_into(id, &mut out);
        out
    }

    /// A `<p>` whose visible text sits entirely inside `<strong>`/`<b>`.
    fn is_all_bold(&self, id: usize) -> bool {
        let mut saw_bold = false;
        for &c in &self.tree.node(id).children {
            let n = self.tree.node(c);
            match n.name {
                _ if n.is_text() => {
                    if !n.text().trim().is_empty() {
                        return false;
                    }
                }
                "strong" | "b" => saw_bold = true,
                "br" => {}
                _ => return false,
            }
        }
        saw_bold
    }
}

/// Collapses HTML whitespace the way a browser shows it, keeping explicit line breaks.
fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split('\n') {
        let mut words = line.split_whitespace();
        let Some(first) = words.next() else {
            continue;
        };
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(first);
        for w in words {
            out.push(' ');
            out.push_str(w);
        }
    }
    out
}

/// A run consisting only of an ISO-8601 timestamp is metadata, not article text.
fn is_timestamp(text: &str) -> bool {
    text.len() <= 40
        && text.starts_with(|c: char| c.is_ascii_digit())
        && chrono::DateTime::parse_from_rfc3339(text).is_ok()
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
