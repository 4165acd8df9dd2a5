//! Full-text search results.

use serde::{Deserialize, Serialize};

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
