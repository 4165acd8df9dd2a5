//! Fetching for the use cases: the fetcher the refresh settings describe, the one fetch →
//! 304 → error sequence, and decoding + parsing what came back, off the async workers.

use std::time::Duration;

use duizhao_feed::{
    FetchError, FetchOptions, FetchOutcome, Fetched, Fetcher, ParseError, ParsedFeed, Validators,
};

use crate::error::{CoreError, Result};
use crate::handle::cpu;
use crate::model::FeedSettings;

/// The fetcher `settings` describe (size and time limits).
pub(crate) fn fetcher_for(settings: &FeedSettings) -> Result<Fetcher> {
    Fetcher::new(FetchOptions {
        max_body_bytes: settings.max_feed_bytes,
        idle_timeout: Duration::from_millis(settings.idle_timeout_ms.max(1)),
        total_timeout: Duration::from_millis(settings.total_timeout_ms.max(1)),
        ..FetchOptions::default()
    })
    .map_err(|e| CoreError::Internal(format!("setting up the HTTP client ({e})")))
}

/// What a conditional fetch gave.
pub(crate) enum Fetch {
    /// A new document.
    Fresh(Fetched),
    /// 304: the document is unchanged (with the validators the server sent).
    NotModified(Validators),
}

/// Fetches `url`, conditionally when `validators` are given.
pub(crate) async fn fetch(
    fetcher: &Fetcher,
    url: &str,
    validators: Option<&Validators>,
) -> Result<Fetch> {
    match fetcher.fetch(url, validators).await {
        Ok(FetchOutcome::Fetched(f)) => Ok(Fetch::Fresh(f)),
        Ok(FetchOutcome::NotModified { validators: v, .. }) if validators.is_some() => {
            Ok(Fetch::NotModified(v))
        }
        // A 304 to an unconditional request is a broken server.
        Ok(FetchOutcome::NotModified { .. }) => Err(CoreError::fetch(url, FetchError::Status(304))),
        Err(e) => Err(CoreError::fetch(url, e)),
    }
}

/// Fetches `url` unconditionally: a 304 is an error.
pub(crate) async fn fetch_fresh(fetcher: &Fetcher, url: &str) -> Result<Fetched> {
    match fetch(fetcher, url, None).await? {
        Fetch::Fresh(f) => Ok(f),
        Fetch::NotModified(_) => Err(CoreError::fetch(url, FetchError::Status(304))),
    }
}

/// Why a fetched document is not a feed.
pub(crate) enum ParseFailure {
    /// An HTML page, with the feeds it links to.
    Html(Vec<String>),
    /// Anything else, one line.
    Other(String),
}

impl ParseFailure {
    /// The error for `url`: an HTML page names the feed it links to.
    pub(crate) fn into_error(self, url: &str) -> CoreError {
        let reason = match self {
            ParseFailure::Html(links) if links.is_empty() => {
                "not a feed: an HTML page that links to no feed".into()
            }
            ParseFailure::Html(links) => {
                format!("not a feed: an HTML page (its feed is {})", links[0])
            }
            ParseFailure::Other(m) => m,
        };
        CoreError::NotAFeed {
            url: url.to_string(),
            reason,
        }
    }
}

/// Decodes and parses a fetched document as a feed (pure).
pub(crate) fn parse_fetched(f: &Fetched) -> std::result::Result<ParsedFeed, ParseFailure> {
    let text = duizhao_feed::decode(&f.body, f.charset.as_deref(), Some(&f.final_url))
        .map_err(|e| ParseFailure::Other(e.to_string()))?;
    duizhao_feed::parse_feed(&text.text, Some(&f.final_url)).map_err(|e| match e {
        ParseError::NotAFeed { feed_links } => ParseFailure::Html(feed_links),
        e => ParseFailure::Other(e.to_string()),
    })
}

/// [`parse_fetched`] on a blocking thread; the document comes back with its parse.
pub(crate) async fn parse_off_thread(
    fetched: Fetched,
) -> Result<std::result::Result<(Fetched, ParsedFeed), ParseFailure>> {
    cpu("parsing a feed", move || {
        parse_fetched(&fetched).map(|p| (fetched, p))
    })
    .await
}

/// Fetches an item's page and extracts its article body (unsanitized HTML); `None` on any
/// failure, so the item keeps its summary.
pub(crate) async fn full_text_of(fetcher: &Fetcher, url: &str) -> Option<String> {
    let Ok(FetchOutcome::Fetched(f)) = fetcher.fetch(url, None).await else {
        return None;
    };
    cpu("extracting an article", move || {
        let text = duizhao_feed::decode(&f.body, f.charset.as_deref(), Some(&f.final_url)).ok()?;
        let page = duizhao_feed::extract_article(&text.text, &f.final_url).ok()?;
        (page.text_len > 0).then_some(page.content_html)
    })
    .await
    .ok()
    .flatten()
}
