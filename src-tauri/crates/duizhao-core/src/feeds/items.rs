//! From feed items to stored articles: the per-item pipeline (clean, sanitize, segment,
//! detect) that every refresh runs, spread over the cores, and the bulk path for a feed
//! document at hand, where worker threads prepare articles while one thread writes them.
//! Split from `feeds.rs` because it is the CPU-bound half of a refresh (see the ingest
//! benchmark in docs/BENCHMARKS.md); the network half stays there.

use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};

use duizhao_feed::ParsedItem;

use super::{MAX_KEY_BYTES, MAX_TITLE_CHARS, clip, http_url};
use crate::error::{CoreError, Result};
use crate::ingest::{self, clean::CleanRules};
use crate::library::Library;
use crate::store::Store;
use crate::store::articles::{self, NewArticle, Origin};
use crate::store::feeds as feed_store;
use crate::store::search::IndexText;

/// The article key of a feed item: the feed's id plus the item's guid, else link, else
/// content hash (so two feeds carrying the same guid keep one copy each).
fn item_key(feed_id: i64, item: &ParsedItem) -> String {
    let key = if item.dedupe_key.len() > MAX_KEY_BYTES {
        format!(
            "sha256:{}",
            crate::hash::sha256_hex(item.dedupe_key.as_bytes())
        )
    } else {
        item.dedupe_key.clone()
    };
    format!("feed:{feed_id}:{key}")
}

/// The items of feed `feed_id` worth ingesting: those whose key is neither stored nor
/// deleted by the reader, each key once (feeds repeat items).
pub(super) fn fresh_items(
    store: &Store,
    feed_id: i64,
    items: Vec<ParsedItem>,
) -> Result<Vec<ParsedItem>> {
    let keys: Vec<String> = items.iter().map(|i| item_key(feed_id, i)).collect();
    let known = store.known_keys(&keys)?;
    let mut seen = HashSet::new();
    Ok(items
        .into_iter()
        .zip(keys)
        .filter(|(_, k)| !known.contains(k) && seen.insert(k.clone()))
        .map(|(item, _)| item)
        .collect())
}

/// Ingests one item (pure): body → blocks, title, language. `body` is the extracted full text,
/// when there is one; else the item's content, else its summary.
pub(super) fn item_to_article(
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
    let lang = crate::lang::tag_article(&title, &mut blocks);
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
pub(super) fn items_to_articles(
    feed_id: i64,
    items: &[ParsedItem],
    bodies: &[Option<String>],
    rules: &CleanRules,
) -> Vec<NewArticle> {
    let one = |(item, body): (&ParsedItem, &Option<String>)| {
        item_to_article(feed_id, item, body.as_deref(), rules)
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    if threads <= 1 || items.len() < 32 {
        return items.iter().zip(bodies).map(one).collect();
    }
    let chunk = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let workers: Vec<_> = items
            .chunks(chunk)
            .zip(bodies.chunks(chunk))
            .map(|(it, bo)| scope.spawn(move || it.iter().zip(bo).map(one).collect::<Vec<_>>()))
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    })
}

/// Items per unit of work handed to an ingest worker.
const INGEST_CHUNK: usize = 32;

/// Ingests items straight into the store, for documents already at hand. Worker threads (one
/// per core) turn chunks of items into articles and their search text while this thread
/// writes finished chunks, in feed order, in one transaction: for a big feed the cost is
/// about the larger of the two rather than their sum. A worker that panics loses only the
/// chunk it was on; those items stay unknown and are tried again by the next refresh.
fn ingest_items(
    store: &mut Store,
    feed_id: i64,
    items: &[ParsedItem],
    rules: &CleanRules,
) -> Result<u32> {
    let prepare = |item: &ParsedItem| {
        let article = item_to_article(feed_id, item, None, rules);
        let search = IndexText::new(&article.title, &article.blocks);
        (article, search)
    };
    let write = |tx: &rusqlite::Transaction<'_>, prepared: &[(NewArticle, IndexText)]| {
        let mut new = 0;
        for (article, search) in prepared {
            new += u32::from(articles::insert_indexed(tx, article, search)?.1);
        }
        Ok::<_, CoreError>(new)
    };
    let chunks: Vec<&[ParsedItem]> = items.chunks(INGEST_CHUNK).collect();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get().min(8))
        .min(chunks.len());
    if threads <= 1 {
        let prepared: Vec<_> = items.iter().map(prepare).collect();
        return store.write(|tx| write(tx, &prepared));
    }
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let (send, receive) = std::sync::mpsc::sync_channel(threads * 2);
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let (send, next, chunks, prepare) = (send.clone(), &next, &chunks, &prepare);
                scope.spawn(move || {
                    loop {
                        let n = next.fetch_add(1, Ordering::Relaxed);
                        let Some(chunk) = chunks.get(n) else { break };
                        let prepared: Vec<_> = chunk.iter().map(prepare).collect();
                        if send.send((n, prepared)).is_err() {
                            break; // the writer stopped (an error): stop too
                        }
                    }
                })
            })
            .collect();
        drop(send);
        let result = store.write(|tx| {
            // Owned here so that an early error drops it and unblocks the workers.
            let receive = receive;
            let mut pending = BTreeMap::new();
            let (mut want, mut new) = (0, 0);
            for (n, prepared) in receive {
                pending.insert(n, prepared);
                while let Some(ready) = pending.remove(&want) {
                    new += write(tx, &ready)?;
                    want += 1;
                }
            }
            // What follows a chunk lost to a panicking worker.
            for ready in pending.into_values() {
                new += write(tx, &ready)?;
            }
            Ok(new)
        });
        for w in workers {
            let _ = w.join();
        }
        result
    })
}

impl Library {
    /// Ingests a feed document that is already at hand (a saved feed file, a benchmark):
    /// subscribes to `feed_url` if needed, then decodes, parses, cleans, sanitizes and stores
    /// its new items in one transaction. No network: no full text, no image downloads.
    /// Returns the number of articles added.
    pub fn ingest_feed_document(&mut self, feed_url: &str, bytes: &[u8]) -> Result<u32> {
        let text =
            duizhao_feed::decode(bytes, None, Some(feed_url)).map_err(|e| CoreError::NotAFeed {
                url: feed_url.to_string(),
                reason: e.to_string(),
            })?;
        let parsed = duizhao_feed::parse_feed(&text.text, Some(feed_url)).map_err(|e| {
            CoreError::NotAFeed {
                url: feed_url.to_string(),
                reason: e.to_string(),
            }
        })?;
        let title = clip(parsed.title.trim(), MAX_TITLE_CHARS);
        let site = http_url(parsed.site_url.as_deref());
        let id = self.store_mut().write(|tx| {
            Ok(feed_store::insert_feed(tx, feed_url, &title, site.as_deref(), None)?.0)
        })?;
        let rules = CleanRules::from_json(
            self.store()
                .feed_states(Some(id))?
                .first()
                .and_then(|s| s.rules.as_deref()),
        );
        let fresh = fresh_items(self.store(), id, parsed.items)?;
        ingest_items(self.store_mut(), id, &fresh, &rules)
    }
}
