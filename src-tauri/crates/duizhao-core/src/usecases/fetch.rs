//! Fetching for the use cases: the fetcher the refresh settings describe, the one fetch →
//! 304 → error sequence, and decoding + parsing what came back, off the async workers.

use std::time::Duration;

use duizhao_feed::{
    AddressPolicy, FetchError, FetchOptions, FetchOutcome, Fetched, Fetcher, ParseError,
    ParsedFeed, Validators,
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

/// The fetcher for URLs found in a document's content (its pictures, its items' pages): they
/// may not point at this machine or the local network, unless the document itself came from
/// there (a LAN or loopback feed keeps working). Checked after DNS and on every redirect.
pub(crate) fn content_fetcher(fetcher: &Fetcher, source: &Fetched) -> Result<Fetcher> {
    policy_fetcher(fetcher, AddressPolicy::for_document(source))
}

/// The content fetcher for a stored article, judged by its own URL (none: public only).
pub(crate) fn article_fetcher(fetcher: &Fetcher, article_url: Option<&str>) -> Result<Fetcher> {
    let policy = match article_url {
        Some(url) => AddressPolicy::for_source(url, None),
        None => AddressPolicy::PublicOnly,
    };
    policy_fetcher(fetcher, policy)
}

fn policy_fetcher(fetcher: &Fetcher, policy: AddressPolicy) -> Result<Fetcher> {
    fetcher
        .with_address_policy(policy)
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

/// Decodes and parses a fetched document as a feed (pure), reading at most `max_items` items
/// (the first, in document order).
pub(crate) fn parse_fetched(
    f: &Fetched,
    max_items: usize,
) -> std::result::Result<ParsedFeed, ParseFailure> {
    let text = duizhao_feed::decode(&f.body, f.charset.as_deref(), Some(&f.final_url))
        .map_err(|e| ParseFailure::Other(e.to_string()))?;
    let options = duizhao_feed::ParseOptions {
        max_items,
        ..duizhao_feed::ParseOptions::default()
    };
    duizhao_feed::parse_feed_with(&text.text, Some(&f.final_url), &options).map_err(|e| match e {
        ParseError::NotAFeed { feed_links } => ParseFailure::Html(feed_links),
        e => ParseFailure::Other(e.to_string()),
    })
}

/// [`parse_fetched`] on a blocking thread; the document comes back with its parse. Reads the
/// parser's default number of items, or the per-refresh cap when that is larger (the newest
/// of them are kept later).
pub(crate) async fn parse_off_thread(
    fetched: Fetched,
    settings: &FeedSettings,
) -> Result<std::result::Result<(Fetched, ParsedFeed), ParseFailure>> {
    let max_items = settings
        .max_items_per_refresh
        .max(duizhao_feed::ParseOptions::default().max_items);
    cpu("parsing a feed", move || {
        parse_fetched(&fetched, max_items).map(|p| (fetched, p))
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
