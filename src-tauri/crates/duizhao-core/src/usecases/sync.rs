//! One sync with the reader's feed server, in the order that loses nothing:
//!
//! 1. sign in (a wrong password stops here, with nothing changed);
//! 2. send the changes queued here, in order: read/starred changes grouped, "mark all as
//!    read", and subscription edits (subscribe, unsubscribe, rename, move), each removed from
//!    the queue only once the server acknowledged it (a failure keeps it for the next sync and
//!    the sync goes on);
//! 3. mirror the server's folders and subscriptions as local feeds with a server id;
//! 4. read the full unread and starred id sets (not increments: what other clients changed
//!    arrives too);
//! 5. fetch the new items in batches, each ingested like a feed's items (sanitising, blocks,
//!    language, search index) and stored as it arrives, with its pictures; then the unread or
//!    starred items the library lacks (older than the new-items window);
//! 6. set read/starred on every synced article from the id sets, except fields with a change
//!    queued meanwhile.
//!
//! A change made both here and elsewhere since the last sync resolves to the later one when
//! the server dates its changes (Miniflux's `updated`); otherwise to the one made here (see
//! `services::sync::resolve` and docs/SYNC.md). Every step that reads is retried by the client
//! when safe; a failure anywhere leaves stored articles and the queue as they were and is
//! recorded on the account for the settings page.

use std::collections::{BTreeMap, HashSet};
use std::ops::ControlFlow;
use std::sync::Arc;

use duizhao_sync::{AccountSettings, Batch, HttpOptions, ItemId, RecentQuery, ServiceKind};
use duizhao_sync::{MarkScope, Secret, SyncError, SyncService, greader};
use tokio::sync::mpsc;

use crate::error::{CoreError, Result};
use crate::handle::{LibraryHandle, cpu};
use crate::model::{SyncPhase, SyncProgress, SyncSummary};
use crate::services::sync::{ItemArticle, Resolution, SendStep, is_ambiguous, resolve};
use crate::services::sync::{items_to_articles, send_plan};
use crate::store::articles::{Flag, NewArticle};
use crate::store::auto_translations;
use crate::store::sync_account::{self, SyncedFeed};
use crate::store::sync_edits;
use crate::store::sync_queue::{Change, Queued, QueuedScope};
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

    /// Sends the queued changes in order (see [`send_plan`]); an acknowledged change leaves
    /// the queue. Read/starred changes the reader made and undid are first checked against
    /// the server ("latest wins", [`resolve`]). A change the server refused for good (a feed
    /// it no longer has, an edit its API cannot make) leaves the queue and is counted in
    /// `failed`; one that failed on the way stays for the next sync. A refused session stops
    /// the sync.
    async fn send_queue(&self, service: &dyn SyncService, summary: &mut SyncSummary) -> Result<()> {
        let queue = self.run(|lib| lib.store().queued_changes()).await?;
        let queue = self.resolve_conflicts(service, queue).await?;
        let mut folders: Option<BTreeMap<String, String>> = None;
        for step in send_plan(&queue) {
            match step {
                SendStep::Flags(group) => {
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
                        Err(e) => failed(summary, n, stop_on_session(e)?),
                    }
                }
                SendStep::Feed(q) => {
                    let sent = self
                        .send_feed_change(service, &q.change, &mut folders)
                        .await;
                    match sent {
                        Ok(new_id) => {
                            self.run(move |lib| {
                                lib.store_mut().acknowledge_feed_change(
                                    q.seq,
                                    &q.change,
                                    new_id.as_deref(),
                                )
                            })
                            .await?;
                            summary.sent += 1;
                        }
                        Err(e) => {
                            let e = stop_on_session(e)?;
                            if matches!(e, SyncError::Rejected(_) | SyncError::Unsupported(_)) {
                                // Never going to pass: kept, it would fail at every sync.
                                let seq = q.seq;
                                self.run(move |lib| lib.store_mut().unqueue(&[seq])).await?;
                            }
                            failed(summary, 1, e);
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// Drops the read/starred changes the server makes moot (it has the value already, or a
    /// later change of its own: see [`resolve`]), after asking the server for those items.
    /// Only changes the reader undid need asking; Fever items carry no change time, so only
    /// Google Reader servers are asked.
    async fn resolve_conflicts(
        &self,
        service: &dyn SyncService,
        queue: Vec<Queued>,
    ) -> Result<Vec<Queued>> {
        let ambiguous: Vec<ItemId> = queue
            .iter()
            .filter(|q| is_ambiguous(q))
            .filter_map(|q| match q.change {
                Change::Flag { item_id, .. } => Some(ItemId(item_id)),
                _ => None,
            })
            .collect();
        if ambiguous.is_empty() || service.kind() != ServiceKind::GoogleReader {
            return Ok(queue);
        }
        // Best effort: without the server's answer the changes are sent as they are.
        let items = match service.items(&ambiguous).await {
            Ok((items, _missing)) => items,
            Err(e) => {
                stop_on_session(e)?;
                return Ok(queue);
            }
        };
        let on_server: BTreeMap<i64, &duizhao_sync::Item> =
            items.iter().map(|i| (i.id.0, i)).collect();
        let mut keep = Vec::with_capacity(queue.len());
        let mut dropped = Vec::new();
        for q in queue {
            let server = match q.change {
                Change::Flag { item_id, flag, .. } if is_ambiguous(&q) => {
                    on_server.get(&item_id).map(|i| {
                        let value = match flag {
                            Flag::Read => i.read,
                            Flag::Starred => i.starred,
                        };
                        (value, i.updated)
                    })
                }
                _ => {
                    keep.push(q);
                    continue;
                }
            };
            match resolve(&q, server) {
                Resolution::Send => keep.push(q),
                Resolution::Drop => dropped.push(q.seq),
            }
        }
        if !dropped.is_empty() {
            self.run(move |lib| lib.store_mut().unqueue(&dropped))
                .await?;
        }
        Ok(keep)
    }

    /// Sends one feed-level change; a new subscription returns its server id. `folders`
    /// caches the server's folder ids by name (Fever marks a folder read by its group id).
    async fn send_feed_change(
        &self,
        service: &dyn SyncService,
        change: &Change,
        folders: &mut Option<BTreeMap<String, String>>,
    ) -> std::result::Result<Option<String>, SyncError> {
        match change {
            Change::MarkAllRead { scope, before } => {
                let scope = match scope {
                    QueuedScope::All => MarkScope::All,
                    QueuedScope::Feed { sync_id, .. } => MarkScope::Feed(sync_id.clone()),
                    QueuedScope::Folder(name) => {
                        if folders.is_none() {
                            let list = service.folders().await?;
                            *folders = Some(list.into_iter().map(|f| (f.title, f.id)).collect());
                        }
                        let id = folders.as_ref().and_then(|m| m.get(name)).ok_or_else(|| {
                            SyncError::Rejected(format!("the server has no folder named {name:?}"))
                        })?;
                        MarkScope::Folder(id.clone())
                    }
                };
                service.mark_all_read(&scope, *before).await?;
                Ok(None)
            }
            Change::Subscribe {
                url, title, folder, ..
            } => {
                let folder = folder.as_deref().filter(|f| !f.trim().is_empty());
                let added = service.subscribe(url, title.as_deref(), folder).await?;
                Ok(Some(added.id))
            }
            Change::Unsubscribe { sync_id } => service.unsubscribe(sync_id).await.map(|()| None),
            Change::Rename { sync_id, title, .. } => service
                .rename_subscription(sync_id, title)
                .await
                .map(|()| None),
            Change::Move {
                sync_id, folder, ..
            } => service
                .move_subscription(sync_id, folder)
                .await
                .map(|()| None),
            Change::Flag { .. } => Ok(None),
        }
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
        let kind = service.kind();
        self.run(move |lib| {
            lib.store_mut().write(|tx| {
                // Unsubscribed here, not yet acknowledged: not brought back meanwhile.
                let (unsubscribed, _) = sync_edits::pending_feed_edits(tx)?;
                let mut map = BTreeMap::new();
                for s in subs.iter().filter(|s| !unsubscribed.contains(&s.id)) {
                    // FreshRSS lists a title it was given with `&`, `?`, `/`… in fullwidth
                    // forms: the title set here stays as the reader typed it.
                    let local = sync_account::feed_title(tx, &s.id)?;
                    let title = match local {
                        Some(t)
                            if kind == ServiceKind::GoogleReader
                                && greader::freshrss_title_form(&t) == s.title =>
                        {
                            t
                        }
                        _ => s.title.clone(),
                    };
                    let folder = s
                        .folder_ids
                        .iter()
                        .find_map(|f| folders.get(f))
                        .map(String::as_str);
                    let feed = SyncedFeed {
                        sync_id: &s.id,
                        url: &s.feed_url,
                        title: &title,
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

/// A refused session stops the sync (nothing else will pass); any other error is returned
/// for the caller to count.
fn stop_on_session(e: SyncError) -> Result<SyncError> {
    match e {
        SyncError::Auth | SyncError::TokenExpired => Err(e.into()),
        e => Ok(e),
    }
}

/// Counts `n` changes that did not reach the server, keeping the first reason.
fn failed(summary: &mut SyncSummary, n: u32, e: SyncError) {
    summary.failed += n;
    summary
        .send_error
        .get_or_insert_with(|| CoreError::Sync(e).to_failure());
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
