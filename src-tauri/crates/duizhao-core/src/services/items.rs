//! From feed items to articles ready to store: the per-item pipeline (clean, sanitize,
//! segment, detect) that every refresh and bulk ingest runs, spread over the cores. Pure and
//! CPU-bound (see the ingest benchmark in docs/BENCHMARKS.md): the network half of a refresh
//! and the writing are the use cases' (`usecases/refresh.rs`, `usecases/ingest_document.rs`).

use duizhao_feed::ParsedItem;

use crate::services::ingest::{self, clean::CleanRules};
use crate::services::lang::Detection;
use crate::services::validate::MAX_TITLE_CHARS;
use crate::store::articles::{NewArticle, Origin};
use crate::support::text::{clip, http_url};

/// Longest dedupe key kept verbatim; longer ones are hashed.
const MAX_KEY_BYTES: usize = 512;

/// The article key of a feed item: the feed's id plus the item's guid, else link, else
/// content hash (so two feeds carrying the same guid keep one copy each).
pub fn item_key(feed_id: i64, item: &ParsedItem) -> String {
    let key = if item.dedupe_key.len() > MAX_KEY_BYTES {
        format!(
            "sha256:{}",
            crate::support::hash::sha256_hex(item.dedupe_key.as_bytes())
        )
    } else {
        item.dedupe_key.clone()
    };
    format!("feed:{feed_id}:{key}")
}

/// Ingests one item (pure): body → blocks, title, language. `body` is the extracted full text,
/// when there is one; else the item's content, else its summary.
pub fn item_to_article(
    feed_id: i64,
    item: &ParsedItem,
    body: Option<&str>,
    rules: &CleanRules,
) -> NewArticle {
    let base = http_url(item.url.as_deref());
    let candidates = [
        body,
        item.content_html.as_deref(),
        item.summary_html.as_deref(),
    ];
    let mut blocks = Vec::new();
    for html in candidates.into_iter().flatten() {
        // An oversized body is skipped in favour of the next candidate, never fatal.
        if let Ok(b) = ingest::html_to_blocks_with(html, base.as_deref(), rules)
            && !b.is_empty()
        {
            blocks = b;
            break;
        }
    }
    let title = match item.title.trim() {
        "" => blocks
            .iter()
            .find(|b| b.kind.is_textual() && !b.text.is_empty())
            .map(|b| clip(&b.text, 80))
            .unwrap_or_else(|| "Untitled".into()),
        t => clip(t, MAX_TITLE_CHARS),
    };
    // Feed items come in bulk: lingua's part waits for the background pass (`services/lang.rs`).
    let lang = crate::services::lang::tag_article_with(&title, &mut blocks, Detection::Deferred);
    NewArticle {
        dedupe_key: item_key(feed_id, item),
        feed_id: Some(feed_id),
        url: base,
        title,
        published_ms: item.published,
        lang,
        origin: Origin::Feed,
        blocks,
    }
}

/// Ingests many items, spread over the machine's cores (sanitizing and segmenting are
/// CPU-bound and independent per item). Order is kept. A worker that panics loses only its
/// share of items, which stay unknown and are tried again by the next refresh.
pub fn items_to_articles(
    feed_id: i64,
    items: &[ParsedItem],
    bodies: &[Option<String>],
    rules: &CleanRules,
) -> Vec<NewArticle> {
    crate::support::parallel::map(items.iter().zip(bodies).collect(), 32, |(item, body)| {
        item_to_article(feed_id, item, body.as_deref(), rules)
    })
}
