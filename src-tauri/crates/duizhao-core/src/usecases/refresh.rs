//! Refreshing feeds: checking them concurrently (bounded), with a conditional GET; parsing,
//! cleaning and ingesting only items whose dedupe key is new (nor deleted by the reader);
//! extracting full text for summary-only items of feeds that ask for it; downloading the
//! images of new articles; then writing a feed's new articles, images and validators in one
//! transaction. A feed that fails records `last_error` and keeps everything it had. After a
//! refresh, auto-translation may run ([`LibraryHandle::refresh_and_translate`]).

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use duizhao_feed::{FetchError, Fetched, Fetcher, ParsedFeed, ParsedItem, Validators};
use duizhao_translate::CancellationToken;

use crate::error::{CoreError, Result};
use crate::handle::{LibraryHandle, cpu};
use crate::model::{
    AutoTranslateProgress, FeedFailure, FeedSettings, RefreshOutcome, RefreshProgress,
    RefreshSummary,
};
use crate::services::ingest::clean::CleanRules;
use crate::services::items::{item_key, items_to_articles};
use crate::services::validate::{MAX_TITLE_CHARS, is_due};
use crate::store::Store;
use crate::store::articles::{self, NewArticle};
use crate::store::auto_translations;
use crate::store::feeds::{self as feed_store, FeedState};
use crate::support::text::{clip, http_url};
use crate::support::time::now_ms;
use crate::usecases::fetch::{self, Fetch, fetcher_for, full_text_of};

/// Most full-text page fetches per feed and refresh (the rest keep their summary).
const MAX_EXTRACTIONS_PER_FEED: usize = 50;

/// When a refresh is followed by auto-translation of the new articles of feeds that ask for
/// it (see `usecases/auto_translate.rs` for what a pass does).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AutoTranslate {
    /// Never (`dz refresh --no-translate`).
    Off,
    /// Only when the refresh checked feeds (the app's background checks: a minute with
    /// nothing due must not retry failed translations).
    AfterCheck,
    /// Always (the reader asked for a refresh: articles queued since are translated too).
    Always,
}

/// A feed as a refresh ingests it.
pub(crate) struct FeedSource {
    pub(crate) id: i64,
    pub(crate) full_text: bool,
    pub(crate) rules: CleanRules,
}

/// How one feed's check ended.
enum FeedOutcome {
    NotModified,
    Updated(u32),
    Failed(CoreError),
}

/// The items of feed `feed_id` worth ingesting: those whose key is neither stored nor
/// deleted by the reader, each key once (feeds repeat items).
pub(crate) fn fresh_items(
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

impl LibraryHandle {
    /// Checks every feed (or one): `force` ignores the refresh intervals, else only due feeds
    /// are checked ([`is_due`]). `progress` is called as each feed finishes. Failed feeds are
    /// listed in the summary, not returned as errors. Retention is applied afterwards. One
    /// refresh runs at a time per handle: a second one waits for the first, then checks what
    /// is still due.
    pub async fn refresh(
        &self,
        feed_id: Option<i64>,
        force: bool,
        mut progress: impl FnMut(RefreshProgress) + Send,
    ) -> Result<RefreshSummary> {
        let _one_at_a_time = self.refresh_lock().lock().await;
        let (settings, states) = self
            .run(move |lib| Ok((lib.feed_settings()?, lib.store().feed_states(feed_id)?)))
            .await?;
        if let Some(id) = feed_id
            && states.is_empty()
        {
            return Err(CoreError::FeedNotFound(id));
        }
        let fetcher = fetcher_for(&settings)?;
        let now = now_ms();
        let due: Vec<FeedState> = states
            .into_iter()
            // The sync server checks its own subscriptions (`usecases/sync.rs`).
            .filter(|s| !s.synced)
            .filter(|s| {
                force
                    || is_due(
                        s.last_checked_ms,
                        s.interval_min.unwrap_or(settings.interval_min),
                        now,
                    )
            })
            .collect();
        let mut summary = RefreshSummary {
            feeds: due.len() as u32,
            ..RefreshSummary::default()
        };
        let mut tasks = self.check_all(&fetcher, &settings, due);
        let mut done = 0;
        while let Some(joined) = tasks.join_next().await {
            let Ok((state, outcome)) = joined else {
                continue;
            };
            done += 1;
            progress(tally(&mut summary, state, outcome, done));
        }
        let expired = self.run(|lib| lib.apply_retention()).await?;
        summary.expired = u32::try_from(expired).unwrap_or(u32::MAX);
        summary.failed.sort_by_key(|f| f.feed_id);
        Ok(summary)
    }

    /// Refreshes (as [`LibraryHandle::refresh`]), tells `refreshed` the summary as soon as
    /// the refresh is done, then runs an auto-translation pass when `auto` says so. A failing
    /// pass never spoils the refresh: its error is in the outcome.
    #[allow(clippy::too_many_arguments)] // the two progress streams and their cancel
    pub async fn refresh_and_translate(
        &self,
        feed_id: Option<i64>,
        force: bool,
        auto: AutoTranslate,
        progress: impl FnMut(RefreshProgress) + Send,
        refreshed: impl FnOnce(&RefreshSummary) + Send,
        translated: impl FnMut(AutoTranslateProgress) + Send,
        cancel: &CancellationToken,
    ) -> Result<RefreshOutcome> {
        let summary = self.refresh(feed_id, force, progress).await?;
        refreshed(&summary);
        let run = match auto {
            AutoTranslate::Off => false,
            AutoTranslate::AfterCheck => summary.feeds > 0,
            AutoTranslate::Always => true,
        };
        let mut outcome = RefreshOutcome {
            summary,
            ..RefreshOutcome::default()
        };
        if run {
            match self.auto_translate_pending(translated, cancel).await {
                Ok(t) => {
                    outcome.translated = t.translated;
                    outcome.translation_failures = t.failed;
                }
                Err(e) => outcome.translation_error = Some(e.to_failure()),
            }
        }
        Ok(outcome)
    }

    /// Starts checking `due` feeds, at most `settings.concurrency` at once.
    fn check_all(
        &self,
        fetcher: &Fetcher,
        settings: &FeedSettings,
        due: Vec<FeedState>,
    ) -> tokio::task::JoinSet<(FeedState, FeedOutcome)> {
        let permits = Arc::new(tokio::sync::Semaphore::new(settings.concurrency.max(1)));
        let mut tasks = tokio::task::JoinSet::new();
        for state in due {
            let (handle, fetcher, settings, permits) = (
                self.clone(),
                fetcher.clone(),
                settings.clone(),
                permits.clone(),
            );
            tasks.spawn(async move {
                let _permit = permits.acquire_owned().await;
                let outcome = handle.check_feed(&fetcher, &settings, &state).await;
                (state, outcome)
            });
        }
        tasks
    }

    /// Checks one feed within its deadline; a failure is recorded on the feed (its articles
    /// and validators stay).
    async fn check_feed(
        &self,
        fetcher: &Fetcher,
        settings: &FeedSettings,
        state: &FeedState,
    ) -> FeedOutcome {
        let deadline = Instant::now() + Duration::from_millis(settings.feed_deadline_ms);
        let result = match tokio::time::timeout_at(
            deadline,
            self.refresh_feed(fetcher, settings, state, deadline),
        )
        .await
        {
            Ok(result) => result,
            Err(_) => Err(CoreError::fetch(
                &state.url,
                FetchError::Timeout("(the feed's deadline passed)"),
            )),
        };
        match result {
            Ok(outcome) => outcome,
            Err(e) => {
                let (id, message) = (state.id, e.to_string());
                // Best effort: the refresh's own result says what failed either way.
                let _ = self
                    .run(move |lib| lib.store_mut().record_feed_error(id, &message))
                    .await;
                FeedOutcome::Failed(e)
            }
        }
    }

    async fn refresh_feed(
        &self,
        fetcher: &Fetcher,
        settings: &FeedSettings,
        state: &FeedState,
        deadline: Instant,
    ) -> Result<FeedOutcome> {
        let validators = Validators {
            etag: state.etag.clone(),
            last_modified: state.last_modified.clone(),
        };
        let fetched = match fetch::fetch(fetcher, &state.url, Some(&validators)).await? {
            Fetch::Fresh(f) => f,
            Fetch::NotModified(v) => {
                let id = state.id;
                self.run(move |lib| {
                    lib.store_mut().record_not_modified(
                        id,
                        v.etag.as_deref(),
                        v.last_modified.as_deref(),
                    )
                })
                .await?;
                return Ok(FeedOutcome::NotModified);
            }
        };
        let (fetched, parsed) = fetch::parse_off_thread(fetched, settings)
            .await?
            .map_err(|e| e.into_error(&state.url))?;
        let source = FeedSource {
            id: state.id,
            full_text: state.full_text,
            rules: CleanRules::from_json(state.rules.as_deref()),
        };
        let content = fetch::content_fetcher(fetcher, &fetched)?;
        let n = self
            .ingest_parsed(&content, settings, &source, &fetched, parsed, deadline)
            .await?;
        Ok(FeedOutcome::Updated(n))
    }

    /// Turns a parsed feed into new articles (the newest `max_items_per_refresh`) and stores
    /// them with the feed's title and validators in one transaction, then stores their images
    /// as they arrive until `deadline`. `content` fetches what the items link to (see
    /// `fetch::content_fetcher`). Returns how many articles were added.
    pub(crate) async fn ingest_parsed(
        &self,
        content: &Fetcher,
        settings: &FeedSettings,
        source: &FeedSource,
        fetched: &Fetched,
        parsed: ParsedFeed,
        deadline: Instant,
    ) -> Result<u32> {
        let title = Some(clip(parsed.title.trim(), MAX_TITLE_CHARS)).filter(|t| !t.is_empty());
        let site = http_url(parsed.site_url.as_deref());
        let articles = Arc::new(
            self.new_articles(content, settings, source, parsed.items, deadline)
                .await?,
        );
        let (id, validators, stored) = (source.id, fetched.validators.clone(), articles.clone());
        let added = self
            .run(move |lib| {
                lib.store_mut().write(|tx| {
                    let mut new = Vec::new();
                    for a in stored.iter() {
                        if feed_store::is_tombstoned(tx, &a.dedupe_key)? {
                            continue;
                        }
                        let (article_id, created) = articles::insert(tx, a)?;
                        if created {
                            new.push((article_id, a.published_ms));
                        }
                    }
                    // Queued with the articles: never a queued id that was not stored.
                    auto_translations::enqueue_new(tx, id, &new)?;
                    feed_store::record_success(
                        tx,
                        id,
                        title.as_deref(),
                        site.as_deref(),
                        validators.etag.as_deref(),
                        validators.last_modified.as_deref(),
                    )?;
                    Ok(u32::try_from(new.len()).unwrap_or(u32::MAX))
                })
            })
            .await?;
        if settings.download_images {
            // Out of time, the pictures left show from the network; the articles are stored.
            let _ = tokio::time::timeout_at(
                deadline,
                self.download_images(content, settings, &articles),
            )
            .await;
        }
        Ok(added)
    }

    /// The new items of a feed (the newest `max_items_per_refresh`) as articles: full text
    /// fetched where the feed asks for it, during the first half of the time left (no
    /// database lock held while fetching), then the CPU-bound ingest off the async workers.
    async fn new_articles(
        &self,
        fetcher: &Fetcher,
        settings: &FeedSettings,
        source: &FeedSource,
        items: Vec<ParsedItem>,
        deadline: Instant,
    ) -> Result<Vec<NewArticle>> {
        let (id, max) = (source.id, settings.max_items_per_refresh);
        let fresh = self
            .run(move |lib| Ok(newest(fresh_items(lib.store(), id, items)?, max)))
            .await?;
        let now = Instant::now();
        let extract_until = now + deadline.saturating_duration_since(now) / 2;
        let mut bodies: Vec<Option<String>> = vec![None; fresh.len()];
        if source.full_text {
            let wanted = fresh
                .iter()
                .enumerate()
                .filter(|(_, i)| i.content_html.is_none())
                .filter_map(|(n, i)| http_url(i.url.as_deref()).map(|u| (n, u)))
                .take(MAX_EXTRACTIONS_PER_FEED);
            for (n, url) in wanted {
                // Past its share of the time the rest keep their summaries.
                match tokio::time::timeout_at(extract_until, full_text_of(fetcher, &url)).await {
                    Ok(body) => bodies[n] = body,
                    Err(_) => break,
                }
            }
        }
        let rules = source.rules.clone();
        cpu("ingesting feed items", move || {
            items_to_articles(id, &fresh, &bodies, &rules)
        })
        .await
    }
}

/// At most `max` of `items`: the newest by date (undated ones after dated ones), in the
/// feed's order.
fn newest(items: Vec<ParsedItem>, max: usize) -> Vec<ParsedItem> {
    if items.len() <= max {
        return items;
    }
    let mut order: Vec<usize> = (0..items.len()).collect();
    // Stable: equal dates (and undated items) keep the feed's order.
    order.sort_by_key(|&i| std::cmp::Reverse(items[i].published.unwrap_or(i64::MIN)));
    let mut keep = vec![false; items.len()];
    for i in order.into_iter().take(max) {
        keep[i] = true;
    }
    items
        .into_iter()
        .zip(keep)
        .filter_map(|(item, k)| k.then_some(item))
        .collect()
}

/// Adds one feed's outcome to the summary; returns the progress step to report.
fn tally(
    summary: &mut RefreshSummary,
    state: FeedState,
    outcome: FeedOutcome,
    done: u32,
) -> RefreshProgress {
    let (new_articles, error) = match outcome {
        FeedOutcome::NotModified => {
            summary.not_modified += 1;
            (0, None)
        }
        FeedOutcome::Updated(n) => (n, None),
        FeedOutcome::Failed(e) => {
            let failure = e.to_failure();
            summary.failed.push(FeedFailure {
                feed_id: state.id,
                url: state.url.clone(),
                code: failure.code,
                message: failure.message.clone(),
            });
            (0, Some(failure))
        }
    };
    summary.new_articles += new_articles;
    RefreshProgress {
        feed_id: state.id,
        title: state.title,
        done,
        total: summary.feeds,
        new_articles,
        error,
    }
}

#[cfg(test)]
mod tests {
    use crate::library::Library;

    #[test]
    fn a_refresh_waits_while_another_one_runs() {
        use std::future::Future;
        use std::task::{Context, Waker};
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let handle = crate::LibraryHandle::new(Library::open_in_memory().unwrap());
        rt.block_on(async {
            let running = handle.refresh_lock().lock().await;
            let mut second = std::pin::pin!(handle.refresh(None, false, |_| {}));
            let mut cx = Context::from_waker(Waker::noop());
            // With nothing to check, a refresh finishes on its first poll unless it waits.
            assert!(
                second.as_mut().poll(&mut cx).is_pending(),
                "a second refresh must wait for the running one"
            );
            drop(running);
            // It goes on once the first one is done (its database reads run on a blocking
            // thread, so it is awaited rather than polled once).
            let summary = second.await;
            assert_eq!(
                summary.unwrap().feeds,
                0,
                "the refresh goes on once the first one is done"
            );
        });
    }
}
