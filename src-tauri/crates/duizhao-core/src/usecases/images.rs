//! Pictures stored for offline reading: downloading the images of new articles (and of
//! imports such as the bundled seed, which arrive without theirs), checked by their bytes,
//! each written as it arrives so a feed full of pictures never sits in memory at once.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use duizhao_feed::{FetchError, Fetcher};

use crate::error::Result;
use crate::handle::LibraryHandle;
use crate::model::{BlockKind, FeedSettings};
use crate::store::articles::{NewArticle, Origin};
use crate::store::images;
use crate::support::text::http_url;
use crate::usecases::fetch::{article_fetcher, fetcher_for};

/// Most images downloaded per feed and refresh (the rest show from the network).
const MAX_IMAGES_PER_FEED: usize = 200;
/// Images downloaded at once within one feed.
const IMAGE_CONCURRENCY: usize = 4;

impl LibraryHandle {
    /// Downloads and stores the images of an article already in the library that are not
    /// stored yet. Returns how many images were stored; unreachable images are skipped.
    pub async fn store_article_images(&self, id: i64) -> Result<usize> {
        let (settings, article) = self
            .run(move |lib| Ok((lib.feed_settings()?, lib.article(id)?)))
            .await?;
        let fetcher = article_fetcher(&fetcher_for(&settings)?, article.url.as_deref())?;
        let probe = NewArticle {
            dedupe_key: String::new(),
            feed_id: article.feed_id,
            url: article.url,
            title: article.title,
            published_ms: None,
            lang: None,
            origin: Origin::Import,
            blocks: article.blocks,
        };
        self.download_images(&fetcher, &settings, std::slice::from_ref(&probe))
            .await
    }

    /// Downloads and stores the images of `articles` that are not stored yet; returns how
    /// many were stored. Failures are skipped (the reader falls back to the remote URL), and
    /// a host that cannot be reached is not tried again in this call: a feed with hundreds of
    /// images on a dead host must not cost hundreds of timeouts. At most
    /// `settings.max_image_bytes_per_feed` bytes are stored per call; the rest show from the
    /// network.
    pub(crate) async fn download_images(
        &self,
        fetcher: &Fetcher,
        settings: &FeedSettings,
        articles: &[NewArticle],
    ) -> Result<usize> {
        let candidates: Vec<String> = articles
            .iter()
            .flat_map(|a| &a.blocks)
            .filter(|b| b.kind == BlockKind::Image)
            .filter_map(|b| http_url(b.src.as_deref()))
            .collect();
        let wanted = self
            .run(move |lib| {
                let mut wanted: Vec<String> = Vec::new();
                for src in candidates {
                    if wanted.len() >= MAX_IMAGES_PER_FEED {
                        break;
                    }
                    if !wanted.contains(&src) && !lib.store().has_image(&src)? {
                        wanted.push(src);
                    }
                }
                Ok(wanted)
            })
            .await?;
        let permits = Arc::new(tokio::sync::Semaphore::new(IMAGE_CONCURRENCY));
        let dead_hosts: Arc<Mutex<HashSet<String>>> = Arc::default();
        let budget = settings.max_image_bytes_per_feed;
        let used = Arc::new(AtomicUsize::new(0));
        let mut tasks = tokio::task::JoinSet::new();
        for url in wanted {
            let (fetcher, permits, max, dead_hosts, used) = (
                fetcher.clone(),
                permits.clone(),
                settings.max_image_bytes.min(budget),
                dead_hosts.clone(),
                used.clone(),
            );
            tasks.spawn(async move {
                let _permit = permits.acquire_owned().await;
                if used.load(Ordering::Relaxed) >= budget {
                    return None; // the feed's budget is spent: no more downloads
                }
                fetch_image(&fetcher, url, max, &dead_hosts).await
            });
        }
        let mut stored = 0;
        while let Some(joined) = tasks.join_next().await {
            let Ok(Some((url, mime, bytes))) = joined else {
                continue;
            };
            // Counted when it arrives: concurrent downloads may overshoot, the store may not.
            if used.fetch_add(bytes.len(), Ordering::Relaxed) + bytes.len() > budget {
                used.store(budget, Ordering::Relaxed);
                continue;
            }
            self.run(move |lib| {
                lib.store_mut()
                    .write(|tx| images::insert(tx, &url, mime, &bytes))
            })
            .await?;
            stored += 1;
        }
        Ok(stored)
    }
}

/// One image: (URL, sniffed MIME type, bytes), or `None` when it cannot be had.
async fn fetch_image(
    fetcher: &Fetcher,
    url: String,
    max_bytes: usize,
    dead_hosts: &Mutex<HashSet<String>>,
) -> Option<(String, &'static str, Vec<u8>)> {
    let host = url::Url::parse(&url).ok()?.host_str()?.to_string();
    let is_dead = |h: &str| dead_hosts.lock().map(|d| d.contains(h)).unwrap_or(false);
    if is_dead(&host) {
        return None;
    }
    match fetcher.fetch_image(&url, max_bytes).await {
        Ok(img) => Some((url, img.kind.mime(), img.bytes)),
        Err(FetchError::Connect(_) | FetchError::Timeout(_)) => {
            if let Ok(mut d) = dead_hosts.lock() {
                d.insert(host);
            }
            None
        }
        Err(_) => None,
    }
}
