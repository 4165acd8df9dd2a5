//! Articles: what is listed, opened and stored.
//!
//! An article is an ordered list of blocks: the unit that is detected, translated and shown
//! side by side. Field names here are the `dz` JSON contract (README, "The `dz` command
//! line"), so renaming one is a breaking change for scripts outside the project.

use serde::{Deserialize, Serialize};

/// What a block is; decides how it is shown and whether it is translated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    /// A paragraph of running text.
    Paragraph,
    /// A subheading (including a paragraph that is entirely bold).
    Heading,
    /// An image; its `src` holds the resolved URL.
    Image,
    /// The caption belonging to the image before it.
    Caption,
    /// A block quotation.
    Quote,
    /// One item of a list.
    ListItem,
}

impl BlockKind {
    /// The name stored in the database and used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            BlockKind::Paragraph => "paragraph",
            BlockKind::Heading => "heading",
            BlockKind::Image => "image",
            BlockKind::Caption => "caption",
            BlockKind::Quote => "quote",
            BlockKind::ListItem => "list_item",
        }
    }

    /// Parses a stored name; unknown names are `None` rather than a panic.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "paragraph" => BlockKind::Paragraph,
            "heading" => BlockKind::Heading,
            "image" => BlockKind::Image,
            "caption" => BlockKind::Caption,
            "quote" => BlockKind::Quote,
            "list_item" => BlockKind::ListItem,
            _ => return None,
        })
    }

    /// Whether the block carries text worth translating.
    pub fn is_textual(self) -> bool {
        !matches!(self, BlockKind::Image)
    }
}

/// One block of an article, in reading order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Block {
    /// What the block is.
    pub kind: BlockKind,
    /// Plain text (what is detected, translated and searched).
    pub text: String,
    /// Sanitized inline HTML of the block (links, emphasis); never contains scripts.
    pub html: String,
    /// Image URL for image blocks (already unwrapped from image proxies).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub src: Option<String>,
    /// The image's original URL when `src` points at the locally stored copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub remote_src: Option<String>,
    /// BCP-47 language of this block when known (e.g. `zh-Hant`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub lang: Option<String>,
    /// The translation of `text`, when the view asked for one and it exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub translation: Option<String>,
    /// The translation as HTML with readings over it (`<ruby>`), when the view asked for
    /// readings and the translation is Chinese.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub translation_html: Option<String>,
    /// Pixel size of an image block's stored copy `[width, height]`, when known: lets the
    /// reader reserve the image's space before it loads (no layout shift).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub size: Option<[u32; 2]>,
}

impl Block {
    /// A text block of the given kind.
    pub fn text(kind: BlockKind, text: impl Into<String>, html: impl Into<String>) -> Self {
        Block {
            kind,
            text: text.into(),
            html: html.into(),
            src: None,
            remote_src: None,
            lang: None,
            translation: None,
            translation_html: None,
            size: None,
        }
    }
}

/// An article as listed: what the library and `dz list --json` show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ArticleSummary {
    /// Library-wide id.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    /// Title as published.
    pub title: String,
    /// The article's own URL, when it has one.
    pub url: Option<String>,
    /// The feed it came from; `None` for saved or imported articles.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub feed_id: Option<i64>,
    /// Publication time, RFC 3339 in UTC.
    pub published: Option<String>,
    /// BCP-47 language of the article (e.g. `zh-Hant`), when known.
    pub lang: Option<String>,
    /// Whether the reader has opened it.
    pub read: bool,
    /// Whether the reader starred it.
    pub starred: bool,
    /// The stored translation of the title into the reader's target language, for
    /// bilingual titles in the list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub title_translation: Option<String>,
}

/// A whole article with its blocks: what the reader shows and `dz show --json` prints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Article {
    /// Library-wide id.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    /// Title as published (or converted, in a view).
    pub title: String,
    /// The article's own URL, when it has one.
    pub url: Option<String>,
    /// Publication time, RFC 3339 in UTC.
    pub published: Option<String>,
    /// BCP-47 language of the article, when known.
    pub lang: Option<String>,
    /// The feed it came from.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub feed_id: Option<i64>,
    /// Whether the reader has opened it.
    pub read: bool,
    /// Whether the reader starred it.
    pub starred: bool,
    /// The title's translation, when the view asked for one and it exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub title_translation: Option<String>,
    /// The title as HTML with readings over it (`<ruby>`), when the view asked for readings and
    /// the title is Chinese.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub title_html: Option<String>,
    /// The readings the view put over the text (`None` = none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub reading: Option<crate::model::ReadingChoice>,
    /// The blocks in reading order.
    pub blocks: Vec<Block>,
}

/// Which articles to list. Every condition narrows the list; none = the whole library.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ListFilter {
    /// Only this feed's articles.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(type = "number | null", optional))]
    pub feed_id: Option<i64>,
    /// Only unread articles.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<bool>", optional))]
    pub unread: bool,
    /// Only starred articles.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<bool>", optional))]
    pub starred: bool,
    /// Only articles of the feeds in this folder.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(type = "string | null", optional))]
    pub folder: Option<String>,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportOutcome {
    /// The article's id (existing one when it was already in the library).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    /// False when the article was already in the library.
    pub created: bool,
    /// The article's title.
    pub title: String,
}

/// Article counts of one feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FeedCount {
    /// The feed.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub feed_id: i64,
    /// All its articles.
    pub total: u32,
    /// Its unread articles.
    pub unread: u32,
}

/// Article counts of one folder (the feeds in it together).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FolderCount {
    /// The folder's name.
    pub folder: String,
    /// All articles of its feeds.
    pub total: u32,
    /// Unread articles of its feeds.
    pub unread: u32,
}

/// The counts the sidebar shows, computed by the library in one pass (the UI never loads
/// every article to count them).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LibraryCounts {
    /// Every article.
    pub all: u32,
    /// Unread articles.
    pub unread: u32,
    /// Starred articles.
    pub starred: u32,
    /// Per feed, for every subscribed feed.
    pub feeds: Vec<FeedCount>,
    /// Per folder, by name.
    pub folders: Vec<FolderCount>,
}

/// A language detection: `dz detect`'s JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Detected {
    /// BCP-47 tag, e.g. `zh-Hant`, `ja`, `en`; `und` when nothing could be told.
    pub lang: String,
    /// From 0 (a guess) to 1.
    pub confidence: f64,
}
