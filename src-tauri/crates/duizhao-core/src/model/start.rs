//! What the window needs for its first paint, in one answer: the list of the source the reader
//! left open and the article that was open in it, ready to render. The app asks for it once at
//! start instead of one command after another (issue 9: time to the first paint).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::{Article, ArticleSummary, Failure, ListFilter, ScriptChoice};

/// Where the reader left off, as the window saved it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StartRequest {
    /// The filter of the source that was shown.
    #[serde(default)]
    pub filter: ListFilter,
    /// The article that was open.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(type = "number | null", optional))]
    pub article_id: Option<i64>,
    /// The target language of articles whose feed has no choice of its own (BCP-47).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub to: Option<String>,
    /// The reader's target language per feed, keyed by the feed id in decimal (as the
    /// window saves it); an empty value means none.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<BTreeMap<String, String>>", optional))]
    pub feed_targets: BTreeMap<String, String>,
}

/// The first view: the list and its open article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StartView {
    /// The listed articles, newest first.
    pub articles: Vec<ArticleSummary>,
    /// True when the saved source listed nothing (a feed since removed, say) and `articles`
    /// is the whole library instead.
    pub whole_library: bool,
    /// The open article: the saved one when it is listed, else the list's first; `None` when
    /// nothing is listed.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub article_id: Option<i64>,
    /// That article as the reader sees it (its feed's script and target language).
    pub article: Option<Article>,
    /// Why the article could not be shown, when it could not (it stays selected).
    pub article_error: Option<Failure>,
    /// The script it is shown in (its feed's choice, else the global one).
    pub script: ScriptChoice,
    /// The target language it is shown with.
    pub to: Option<String>,
}
