//! Bulk ingest of a feed document at hand (a saved feed file, a benchmark): no network, so no
//! full text and no images. Worker threads (one per core) turn chunks of items into articles
//! and their search text while this thread writes finished chunks, in feed order, in one
//! transaction: for a big feed the cost is about the larger of the two rather than their sum.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use duizhao_feed::ParsedItem;

use crate::error::{CoreError, Result};
use crate::library::Library;
use crate::services::ingest::clean::CleanRules;
use crate::services::items::item_to_article;
use crate::services::validate::MAX_TITLE_CHARS;
use crate::store::Store;
use crate::store::articles::{self, NewArticle};
use crate::store::feeds as feed_store;
use crate::store::search::IndexText;
use crate::support::text::{clip, http_url};
use crate::usecases::refresh::fresh_items;

/// Most items read from one document at hand (memory stays near 200 MB at this count).
const MAX_DOCUMENT_ITEMS: usize = 100_000;

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
    let threads = crate::support::parallel::threads().min(chunks.len());
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
        // A document at hand is the reader's own file: its items are not capped at the
        // network default (a saved feed archive may hold many thousands).
        let options = duizhao_feed::ParseOptions {
            max_items: MAX_DOCUMENT_ITEMS,
            ..duizhao_feed::ParseOptions::default()
        };
        let parsed =
            duizhao_feed::parse_feed_with(&text.text, Some(feed_url), &options).map_err(|e| {
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
        let rules = CleanRules::from_json(self.store().feed_state(id)?.rules.as_deref());
        let fresh = fresh_items(self.store(), id, parsed.items)?;
        ingest_items(self.store_mut(), id, &fresh, &rules)
    }
}
