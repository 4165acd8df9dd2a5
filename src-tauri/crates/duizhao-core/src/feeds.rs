//! Feeds and the offline library: subscribing, refreshing, saving pages, OPML, images, search
//! and export. The types here are the IPC/CLI contract; the use cases are `impl Library`
//! blocks so the facade stays one type.

use serde::{Deserialize, Serialize};

use crate::view::{ScriptChoice, ViewMode};

/// A subscribed feed as the sidebar shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Feed {
    /// Library-wide id.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    /// The feed document's URL.
    pub url: String,
    /// Title (from the feed, or set by the reader).
    pub title: String,
    /// The site the feed belongs to.
    pub site_url: Option<String>,
    /// Folder name; `None` = top level.
    pub folder: Option<String>,
    /// Unread articles.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub unread: i64,
    /// All articles.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub total: i64,
    /// Fetch full text with the extractor when items are only summaries.
    pub full_text: bool,
    /// Last successful fetch, RFC 3339.
    pub last_fetched: Option<String>,
    /// The last refresh's error, if it failed (stored articles are kept).
    pub last_error: Option<String>,
}

/// One step of a refresh, streamed to the UI and the CLI's progress bar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RefreshProgress {
    /// The feed just finished.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub feed_id: i64,
    /// Its title.
    pub title: String,
    /// Feeds finished so far.
    pub done: u32,
    /// Feeds in this refresh.
    pub total: u32,
    /// Articles added from this feed.
    pub new_articles: u32,
    /// Why this feed failed, if it did.
    pub error: Option<String>,
}

/// A feed that failed during a refresh.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FeedFailure {
    /// The feed.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub feed_id: i64,
    /// Its URL.
    pub url: String,
    /// What went wrong, in one line.
    pub message: String,
}

/// What a refresh did: `dz refresh`'s JSON.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RefreshSummary {
    /// Feeds checked.
    pub feeds: u32,
    /// Feeds that answered 304 Not Modified.
    pub not_modified: u32,
    /// Articles added.
    pub new_articles: u32,
    /// Feeds that failed (their stored articles are untouched).
    pub failed: Vec<FeedFailure>,
}

/// What an OPML import did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OpmlImportSummary {
    /// Feeds subscribed.
    pub added: u32,
    /// Feeds already subscribed.
    pub skipped: u32,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SearchHit {
    /// The article.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    /// Its title.
    pub title: String,
    /// Its feed, if any.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub feed_id: Option<i64>,
    /// Publication time, RFC 3339.
    pub published: Option<String>,
    /// A short excerpt around the match, HTML-escaped, matches wrapped in `<mark>`.
    pub snippet: String,
    /// Relevance (higher is better).
    pub rank: f64,
}

/// Export file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    /// One self-contained HTML file (images as data: URIs).
    Html,
    /// Markdown.
    Md,
    /// EPUB 3 with `xml:lang` on every block.
    Epub,
}

/// How to export an article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ExportOptions {
    /// The file format.
    pub format: ExportFormat,
    /// Include translations into this language (BCP-47), when stored.
    #[serde(default)]
    pub to: Option<String>,
    /// Chinese script for original and translation.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<ScriptChoice>", optional))]
    pub script: ScriptChoice,
    /// Layout of original and translation.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<ViewMode>", optional))]
    pub mode: ViewMode,
}
