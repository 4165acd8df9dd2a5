//! Feeds and refreshes: subscriptions as the sidebar shows them, what the reader can set on
//! one feed and on the library, and what a refresh reports.

use serde::{Deserialize, Serialize};

use super::failure::{ErrorCode, Failure};
use super::translation::AutoTranslateFailure;

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
    /// The language its new articles are translated into after each refresh (`None` = off).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
    pub auto_translate: Option<String>,
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
    /// Why this feed failed, if it did (typed, so the UI can offer the right action).
    pub error: Option<Failure>,
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
    /// What kind of failure (`fetch`, `not_a_feed`, …), so the UI can offer the right action.
    pub code: ErrorCode,
    /// What went wrong, in one line.
    pub message: String,
}

/// What a refresh did.
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
    /// Read, unstarred articles deleted afterwards by the retention setting.
    #[serde(default)]
    pub expired: u32,
}

/// A refresh followed by auto-translation: `dz refresh`'s JSON (the summary's fields, then
/// what auto-translation did).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RefreshOutcome {
    /// What the refresh did.
    #[serde(flatten)]
    pub summary: RefreshSummary,
    /// Articles of auto-translating feeds translated afterwards.
    pub translated: u32,
    /// Articles whose translation failed (they stay stored, untranslated, and are tried
    /// again after a later refresh a bounded number of times).
    pub translation_failures: Vec<AutoTranslateFailure>,
    /// Why the auto-translation pass could not run at all (the refresh still counts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub translation_error: Option<Failure>,
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

/// What the reader can set on one feed; the feed dialog and `dz feed set` read it, change
/// what they need and write it back whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FeedOptions {
    /// The title shown.
    pub title: String,
    /// True when the reader chose the title; false when it follows the feed's own (a refresh
    /// updates it). Saving with false (or an empty title) goes back to the feed's own title.
    pub custom_title: bool,
    /// Folder name; `None` (or empty) = top level.
    pub folder: Option<String>,
    /// Fetch each item's page and extract the full text when items are only summaries.
    pub full_text: bool,
    /// This feed's own refresh interval in minutes; `None` = the library default.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub interval_min: Option<i64>,
    /// CSS selectors of elements removed from this feed's new articles before sanitizing.
    pub remove: Vec<String>,
    /// Translate this feed's new articles into this language (BCP-47, one of the languages
    /// the app offers) after each refresh; `None` = off.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
    pub auto_translate: Option<String>,
    /// Readings shown over this feed's Chinese articles when they are opened (the reader's
    /// toolbar can still change them).
    #[serde(default)]
    #[cfg_attr(
        feature = "ts",
        ts(as = "Option<crate::model::ReadingChoice>", optional)
    )]
    pub reading: crate::model::ReadingChoice,
    /// The cleaning every feed gets, always on (read only: ignored when saving).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional, as = "Option<Vec<String>>"))]
    pub builtin: Vec<String>,
}

/// How refreshes behave; stored with the library (`feeds.settings`), defaults when unset.
/// Ranges are checked when saved ([`FeedSettings::validate`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct FeedSettings {
    /// Minutes between automatic checks of a feed (a feed's own interval wins).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub interval_min: i64,
    /// Feeds checked at once.
    pub concurrency: usize,
    /// Delete read, unstarred articles older than this many days after each refresh.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub retention_days: Option<i64>,
    /// Download article images for offline reading.
    pub download_images: bool,
    /// Largest feed or page accepted, in bytes (after decompression).
    pub max_feed_bytes: usize,
    /// Largest image stored, in bytes.
    pub max_image_bytes: usize,
    /// Longest silence from a server while reading its answer, in milliseconds.
    pub idle_timeout_ms: u64,
    /// Longest time for one whole fetch, in milliseconds.
    pub total_timeout_ms: u64,
    /// Most new items stored from one feed per refresh (the newest); the rest wait for the
    /// next refresh, so a hostile or runaway feed cannot flood the library.
    pub max_items_per_refresh: usize,
    /// Most bytes of pictures stored from one feed per refresh.
    pub max_image_bytes_per_feed: usize,
    /// Longest time one feed may take in a refresh (fetch, full text, pictures), in
    /// milliseconds; other feeds are not held up by a slow one.
    pub feed_deadline_ms: u64,
    /// Longest article (characters of title and text) auto-translation sends; longer ones are
    /// left for the reader to translate by hand, so a huge article cannot use up a paid key.
    pub auto_translate_max_article_chars: usize,
    /// Most characters one auto-translation pass (after one refresh) sends in all.
    pub auto_translate_max_pass_chars: usize,
}

impl Default for FeedSettings {
    fn default() -> Self {
        FeedSettings {
            interval_min: 60,
            concurrency: 4,
            retention_days: None,
            download_images: true,
            max_feed_bytes: 20 * 1024 * 1024,
            max_image_bytes: 10 * 1024 * 1024,
            idle_timeout_ms: 20_000,
            total_timeout_ms: 60_000,
            max_items_per_refresh: 200,
            max_image_bytes_per_feed: 64 * 1024 * 1024,
            feed_deadline_ms: 300_000,
            auto_translate_max_article_chars: 30_000,
            auto_translate_max_pass_chars: 150_000,
        }
    }
}
