//! One sync with the reader's feed server, in the order that loses nothing:
//!
//! 1. sign in (a wrong password stops here, with nothing changed);
//! 2. send the changes queued here, grouped, each group removed from the queue only once the
//!    server acknowledged it (a failure keeps it for the next sync and the sync goes on);
//! 3. mirror the server's folders and subscriptions as local feeds with a server id;
//! 4. read the full unread and starred id sets (not increments: what other clients changed
//!    arrives too);
//! 5. fetch the new items in batches, each ingested like a feed's items (sanitising, blocks,
//!    language, search index) and stored as it arrives, with its pictures; then the unread or
//!    starred items the library lacks (older than the new-items window);
//! 6. set read/starred on every synced article from the id sets, except fields with a change
//!    queued meanwhile.
//!
//! A change made both here and elsewhere since the last sync resolves to the one made here:
//! neither API dates state changes, and the change queued here is applied at this sync, after
//! anything the server had. Every step that reads is retried by the client when safe; a
//! failure anywhere leaves stored articles and the queue as they were and is recorded on the
//! account for the settings page.

use std::collections::{BTreeMap, HashSet};
use std::ops::ControlFlow;
use std::sync::Arc;

use duizhao_sync::{AccountSettings, Batch, HttpOptions, ItemId, RecentQuery, ServiceKind};
use duizhao_sync::{Secret, SyncService};
use tokio::sync::mpsc;

use crate::error::{CoreError, Result};
use crate::handle::{LibraryHandle, cpu};
use crate::model::{SyncPhase, SyncProgress, SyncSummary};
use crate::services::sync::{ItemArticle, items_to_articles, send_groups};
use crate::store::articles::{Flag, NewArticle};
use crate::store::auto_translations;
use crate::store::sync_account::{self, SyncedFeed};
use crate::support::time::now_ms;
use crate::usecases::fetch::{article_fetcher, fetcher_for};

/// New items are asked for from this long before the last complete sync began (servers'
/// clocks and their notion of "new" differ: arrival for FreshRSS, publication for Miniflux).
const NEW_ITEMS_MARGIN_S: i64 = 86_400;

/// What the item-storing half of a sync needs, shared with its batches.
struct Ingest {
    feeds: Arc<BTreeMap<String, i64>>,
    images: Option<(duizhao_feed::Fetcher, crate::model::FeedSettings)>,
}

impl LibraryHandle {
    /// Syncs with the account's server (see the module's steps), reporting progress.
    pub async fn sync(&self, progress: impl FnMut(SyncProgress) + Send) -> Result<SyncSummary> {
        self.sync_with(HttpOptions::default(), progress).await
    }

    /// [`LibraryHandle::sync`] with the HTTP options given (tests use short timeouts and
    /// back-offs). One sync runs at a time per handle.
    pub async fn sync_with(
        &self,
        http: HttpOptions,
        mut progress: impl FnMut(SyncProgress) + Send,
    ) -> Result<SyncSummary> {
        let _one_at_a_time = self.sync_lock().lock().await;
        let started = now_ms() / 1000;
        let (account, password, synced_until) = self
            .run(|lib| {
                let (account, password) = lib.sync_credentials()?;
                let until = lib.store().sync_account()?.and_then(|a| a.synced_until);
                Ok((account, password, until))
            })
            .await?;
        let result = self
            .sync_steps(&account, password, http, synced_until, &mut progress)
            .await;
        let (summary, error) = match &result {
            Ok(s) => (serde_json::to_string(s).ok(), None),
            Err(e) => (None, serde_json::to_string(&e.to_failure()).ok()),
        };
        let until = result.is_ok().then_some(started - NEW_ITEMS_MARGIN_S);
        // Best effort: the sync's own result says what happened either way.
        let _ = self
            .run(move |lib| {
                lib.store_mut()
                    .record_sync(summary.as_deref(), error.as_deref(), until)
            })
            .await;
        result
    }

    async fn sync_steps(
        &self,
        account: &AccountSettings,
        password: Secret,
        http: HttpOptions,
        synced_until: Option<i64>,
        progress: &mut (impl FnMut(SyncProgress) + Send),
    ) -> Result<SyncSummary> {
        let mut summary = SyncSummary::default();
        progress(step(SyncPhase::SigningIn, 0, None, 0));
        let service = duizhao_sync::connect(account, password, http)?;
        let service = service.as_ref();
        service.login().await?;

        progress(step(SyncPhase::Sending, 0, None, 0));
        self.send_queue(service, &mut summary).await?;

        progress(step(SyncPhase::Feeds, 0, None, 0));
        let feeds = Arc::new(self.mirror_feeds(service).await?);
        summary.feeds = u32::try_from(feeds.len()).unwrap_or(u32::MAX);

        progress(step(SyncPhase::States, 0, None, 0));
        let unread = service.unread_ids().await?;
        let starred = service.starred_ids().await?;

        progress(step(SyncPhase::Items, 0, None, 0));
        let (known, max_id, images) = self
            .run({
                let url = account.url.clone();
                move |lib| {
                    let settings = lib.feed_settings()?;
                    let images = if settings.download_images {
                        Some((
                            article_fetcher(&fetcher_for(&settings)?, Some(&url))?,
                            settings,
                        ))
                    } else {
                        None
                    };
                    Ok((
                        lib.store().known_sync_items()?,
                        lib.store().max_sync_item()?,
                        images,
                    ))
                }
            })
            .await?;
        let ingest = Ingest { feeds, images };
        let skip = |id: ItemId| known.contains(&id.0);
        let query = RecentQuery {
            // Fever filters `since` by publication date, which would drop late arrivals; it
            // pages by id from `after_id` instead.
            since: match account.kind {
                ServiceKind::GoogleReader => synced_until,
                ServiceKind::Fever => None,
            },
            after_id: synced_until.and(max_id).map(ItemId),
            skip: &skip,
        };
        let (mut on_batch, rx) = batches();
        let fetch = async move { service.recent_items(query, &mut on_batch).await };
        let (fetched, stored) = tokio::join!(
            fetch,
            self.store_batches(rx, &ingest, &mut summary, &mut *progress)
        );
        let seen = stored?;
        fetched?;

        // Unread and starred items the library lacks (older than the window of new items,
        // or dropped by the server between listing and fetching last time).
        let wanted: Vec<ItemId> = unread
            .iter()
            .chain(&starred)
            .filter(|id| !known.contains(&id.0) && !seen.contains(&id.0))
            .copied()
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        if !wanted.is_empty() {
            let (mut on_batch, rx) = batches();
            let wanted = &wanted;
            let fetch = async move { service.fetch_items(wanted, &mut on_batch).await };
            let (fetched, stored) = tokio::join!(
                fetch,
                self.store_batches(rx, &ingest, &mut summary, &mut *progress)
            );
            stored?;
            fetched?;
        }

        let unread: Vec<i64> = unread.iter().map(|i| i.0).collect();
        let starred: Vec<i64> = starred.iter().map(|i| i.0).collect();
        let changed = self
            .run(move |lib| {
                lib.store_mut()
                    .write(|tx| sync_account::apply_state(tx, &unread, &starred))
            })
            .await?;
        summary.updated = u32::try_from(changed.len()).unwrap_or(u32::MAX);
        progress(step(SyncPhase::Done, 0, None, summary.new));
        Ok(summary)
    }

    /// Sends the queued changes, group by group; an acknowledged group leaves the queue. A
    /// refused or failed group stays queued and is counted in `failed`; a refused session
    /// stops the sync.
    async fn send_queue(&self, service: &dyn SyncService, summary: &mut SyncSummary) -> Result<()> {
        let queue = self.run(|lib| lib.store().queued_changes()).await?;
        for group in send_groups(&queue) {
            let sent = match group.flag {
                Flag::Read => service.mark_read(&group.items, group.value).await,
                Flag::Starred => service.mark_starred(&group.items, group.value).await,
            };
            let n = u32::try_from(group.items.len()).unwrap_or(u32::MAX);
            match sent {
                Ok(()) => {
                    let seqs = group.seqs;
                    self.run(move |lib| lib.store_mut().unqueue(&seqs)).await?;
                    summary.sent += n;
                }
                Err(
                    e @ (duizhao_sync::SyncError::Auth | duizhao_sync::SyncError::TokenExpired),
                ) => {
                    return Err(e.into());
                }
                Err(e) => {
                    summary.failed += n;
                    summary
                        .send_error
                        .get_or_insert_with(|| CoreError::Sync(e).to_failure());
                }
            }
        }
        Ok(())
    }

    /// Mirrors the server's subscriptions as local feeds (folder = the first of its folders);
    /// synced feeds the server no longer lists go. Returns local feed ids by server id.
    async fn mirror_feeds(&self, service: &dyn SyncService) -> Result<BTreeMap<String, i64>> {
        let folders: BTreeMap<String, String> = service
            .folders()
            .await?
            .into_iter()
            .map(|f| (f.id, f.title))
            .collect();
        let subs = service.subscriptions().await?;
        self.run(move |lib| {
            lib.store_mut().write(|tx| {
                let mut map = BTreeMap::new();
                for s in &subs {
                    let folder = s
                        .folder_ids
                        .iter()
                        .find_map(|f| folders.get(f))
                        .map(String::as_str);
                    let feed = SyncedFeed {
                        sync_id: &s.id,
                        url: &s.feed_url,
                        title: &s.title,
                        site_url: s.site_url.as_deref(),
                        folder,
                    };
                    map.insert(s.id.clone(), sync_account::upsert_feed(tx, &feed)?);
                }
                let keep: Vec<String> = map.keys().cloned().collect();
                sync_account::remove_feeds_except(tx, &keep)?;
                Ok(map)
            })
        })
        .await
    }

    /// Stores each batch as it arrives: ingest off the async workers, one transaction per
    /// batch, then its pictures. Returns the server ids handled (stored, or not storable).
    /// An error drops the receiver, which stops the fetch.
    async fn store_batches(
        &self,
        mut rx: mpsc::UnboundedReceiver<Batch>,
        ingest: &Ingest,
        summary: &mut SyncSummary,
        progress: &mut (impl FnMut(SyncProgress) + Send),
    ) -> Result<HashSet<i64>> {
        let mut seen = HashSet::new();
        while let Some(batch) = rx.recv().await {
            seen.extend(batch.items.iter().map(|i| i.id.0));
            summary.missing += u32::try_from(batch.missing.len()).unwrap_or(u32::MAX);
            let feeds = ingest.feeds.clone();
            let items = batch.items;
            let (articles, _orphans) = cpu("ingesting synced items", move || {
                items_to_articles(&items, &feeds)
            })
            .await?;
            let articles = Arc::new(articles);
            let stored = articles.clone();
            let new = self
                .run(move |lib| {
                    lib.store_mut().write(|tx| {
                        let mut new: BTreeMap<i64, Vec<(i64, Option<i64>)>> = BTreeMap::new();
                        for a in stored.iter() {
                            let id = sync_account::insert_item(
                                tx, &a.article, a.sync_id, a.read, a.starred,
                            )?;
                            if let (Some(id), Some(feed)) = (id, a.article.feed_id) {
                                new.entry(feed)
                                    .or_default()
                                    .push((id, a.article.published_ms));
                            }
                        }
                        // As a refresh does: new articles of auto-translating feeds are queued
                        // with them.
                        let mut n = 0u32;
                        for (feed, ids) in &new {
                            auto_translations::enqueue_new(tx, *feed, ids)?;
                            n += u32::try_from(ids.len()).unwrap_or(u32::MAX);
                        }
                        Ok(n)
                    })
                })
                .await?;
            summary.new += new;
            if let Some((fetcher, settings)) = &ingest.images {
                let plain: Vec<NewArticle> = articles
                    .iter()
                    .map(|a: &ItemArticle| a.article.clone())
                    .collect();
                // Pictures that fail show from the network; the articles are stored.
                let _ = self.download_images(fetcher, settings, &plain).await;
            }
            progress(step(SyncPhase::Items, batch.done, batch.total, summary.new));
        }
        Ok(seen)
    }
}

/// A batch callback that hands batches over to [`LibraryHandle::store_batches`], and its
/// receiving end. The fetch stops when the storing side gives up (drops the receiver); the
/// storing side ends when the fetch is done (drops the callback).
fn batches() -> (
    impl FnMut(Batch) -> ControlFlow<()> + Send,
    mpsc::UnboundedReceiver<Batch>,
) {
    let (tx, rx) = mpsc::unbounded_channel();
    let on_batch = move |b: Batch| match tx.send(b) {
        Ok(()) => ControlFlow::Continue(()),
        Err(_) => ControlFlow::Break(()),
    };
    (on_batch, rx)
}

/// A progress step.
fn step(phase: SyncPhase, done: usize, total: Option<usize>, new: u32) -> SyncProgress {
    SyncProgress {
        phase,
        done: u32::try_from(done).unwrap_or(u32::MAX),
        total: total.map(|t| u32::try_from(t).unwrap_or(u32::MAX)),
        new,
    }
}
