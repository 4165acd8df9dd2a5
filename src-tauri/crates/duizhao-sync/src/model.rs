//! The service-neutral model the core sees, whatever the server speaks: folders,
//! subscriptions, items with the server's own ids, and the [`SyncService`] trait that the
//! Google Reader and Fever clients implement.

use std::ops::ControlFlow;

use async_trait::async_trait;

use crate::error::SyncError;

/// An item (article) id as the server knows it. Google Reader ids are 64-bit (decimal signed
/// or unsigned, or 16 hex digits of the two's complement; see [`crate::greader::ids`]); Fever
/// ids are integers. Stored as the signed 64-bit value so SQLite can keep it as an INTEGER.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ItemId(pub i64);

impl std::fmt::Display for ItemId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Which protocol a service speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ServiceKind {
    /// The Google Reader API (FreshRSS, Miniflux, and others).
    GoogleReader,
    /// The Fever API.
    Fever,
}

impl ServiceKind {
    /// The stable name used in settings and by `dz account add`.
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceKind::GoogleReader => "greader",
            ServiceKind::Fever => "fever",
        }
    }

    /// Parses [`ServiceKind::as_str`]'s names.
    pub fn parse(s: &str) -> Option<ServiceKind> {
        match s {
            "greader" => Some(ServiceKind::GoogleReader),
            "fever" => Some(ServiceKind::Fever),
            _ => None,
        }
    }
}

/// A folder (Google Reader label, Fever group).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folder {
    /// The server's id: `user/-/label/NAME` for Google Reader, the group number for Fever.
    pub id: String,
    /// The name shown.
    pub title: String,
}

/// A subscribed feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    /// The server's id: `feed/42` for Google Reader, `42` for Fever.
    pub id: String,
    /// The title the server shows.
    pub title: String,
    /// The feed's own URL (may be empty when a server does not say).
    pub feed_url: String,
    /// The site's URL, when known.
    pub site_url: Option<String>,
    /// Ids of the folders it is in (usually one; none means top level).
    pub folder_ids: Vec<String>,
}

/// An article as the server sent it. The HTML is untrusted: the core sanitises it like any
/// feed's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The server's id.
    pub id: ItemId,
    /// The id of its [`Subscription`].
    pub feed_id: String,
    /// The title (plain text as the server gave it).
    pub title: String,
    /// The article's link.
    pub url: Option<String>,
    /// The author, when given.
    pub author: Option<String>,
    /// Publication time, Unix seconds.
    pub published: Option<i64>,
    /// The content (HTML).
    pub html: String,
    /// Read on the server.
    pub read: bool,
    /// Starred (Fever: saved) on the server.
    pub starred: bool,
    /// When the server last changed the item, Unix seconds, when it says: Miniflux sends its
    /// `changed_at` (set by a read/starred change, or a new version of the content) as
    /// `updated`; FreshRSS (1.25) and Fever send nothing of the kind. Used to let the later
    /// of two conflicting read/starred changes win.
    pub updated: Option<i64>,
}

/// Which items a "mark all as read" covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MarkScope {
    /// Every item.
    All,
    /// One subscription, by [`Subscription::id`].
    Feed(String),
    /// One folder, by [`Folder::id`].
    Folder(String),
}

/// What to fetch in [`SyncService::recent_items`].
#[derive(Clone, Copy)]
pub struct RecentQuery<'a> {
    /// Only items newer than this (Unix seconds); `None` for everything the server keeps.
    pub since: Option<i64>,
    /// The highest id already stored (Fever pages upward from it; Google Reader ignores it).
    pub after_id: Option<ItemId>,
    /// True for ids already stored, which are not fetched again.
    pub skip: &'a (dyn Fn(ItemId) -> bool + Sync),
}

impl std::fmt::Debug for RecentQuery<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecentQuery")
            .field("since", &self.since)
            .field("after_id", &self.after_id)
            .finish_non_exhaustive()
    }
}

/// One batch of fetched items, handed to the caller as soon as it arrives (to store it and
/// move a progress bar).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    /// The items in this batch.
    pub items: Vec<Item>,
    /// Ids asked for in this batch that the server did not return (deleted between listing and
    /// fetching): not an error, the caller drops or retries them later.
    pub missing: Vec<ItemId>,
    /// Items (and missing ids) handled so far, this batch included.
    pub done: usize,
    /// How many there will be in all, when known in advance.
    pub total: Option<usize>,
}

/// What a batched fetch did in all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FetchSummary {
    /// Items handed over.
    pub fetched: usize,
    /// Ids the server listed but did not return.
    pub missing: usize,
    /// Whether the caller stopped the fetch early (returned [`ControlFlow::Break`]).
    pub stopped: bool,
}

impl FetchSummary {
    /// Counts a batch and hands it to `on_batch`; `true` when the caller asked to stop (then
    /// [`FetchSummary::stopped`] is set and the fetch ends).
    pub(crate) fn hand_over(
        &mut self,
        items: Vec<Item>,
        missing: Vec<ItemId>,
        total: Option<usize>,
        on_batch: &mut OnBatch<'_>,
    ) -> bool {
        self.fetched += items.len();
        self.missing += missing.len();
        let flow = on_batch(Batch {
            items,
            missing,
            done: self.fetched + self.missing,
            total,
        });
        self.stopped = flow.is_break();
        self.stopped
    }
}

/// The callback that receives each [`Batch`]; `Break` stops the fetch (say, the library
/// could not store it).
pub type OnBatch<'a> = dyn FnMut(Batch) -> ControlFlow<()> + Send + 'a;

/// What a new subscription got on the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscribed {
    /// The new [`Subscription::id`].
    pub id: String,
    /// Its title on the server.
    pub title: String,
}

/// A sync server, whatever protocol it speaks. Every method is one self-contained exchange
/// (signing in first when needed); state changes are idempotent, so a caller may resend what
/// it is not sure arrived.
#[async_trait]
pub trait SyncService: Send + Sync + std::fmt::Debug {
    /// The protocol.
    fn kind(&self) -> ServiceKind;

    /// Signs in (again), checking the credentials: [`SyncError::Auth`] when they are wrong.
    async fn login(&self) -> Result<(), SyncError>;

    /// The folders.
    async fn folders(&self) -> Result<Vec<Folder>, SyncError>;

    /// The subscriptions, with their folders.
    async fn subscriptions(&self) -> Result<Vec<Subscription>, SyncError>;

    /// Every unread item's id (the full set, to reconcile with the library).
    async fn unread_ids(&self) -> Result<Vec<ItemId>, SyncError>;

    /// Every starred item's id (the full set).
    async fn starred_ids(&self) -> Result<Vec<ItemId>, SyncError>;

    /// Every item id newer than `since` (Unix seconds), read or not. Fever cannot list ids
    /// without contents: [`SyncError::Unsupported`] (use [`SyncService::recent_items`]).
    async fn recent_ids(&self, since: Option<i64>) -> Result<Vec<ItemId>, SyncError>;

    /// Fetches the given items in batches, handing each to `on_batch`.
    async fn fetch_items(
        &self,
        ids: &[ItemId],
        on_batch: &mut OnBatch<'_>,
    ) -> Result<FetchSummary, SyncError>;

    /// Fetches the items that arrived on the server since the last sync, in batches: the
    /// first sync of a library and every later one.
    async fn recent_items(
        &self,
        query: RecentQuery<'_>,
        on_batch: &mut OnBatch<'_>,
    ) -> Result<FetchSummary, SyncError>;

    /// Marks items read (`true`) or unread (`false`), in as few requests as the API allows.
    async fn mark_read(&self, ids: &[ItemId], read: bool) -> Result<(), SyncError>;

    /// Stars (`true`) or unstars (`false`) items.
    async fn mark_starred(&self, ids: &[ItemId], starred: bool) -> Result<(), SyncError>;

    /// Marks every item of `scope` from before `before` (Unix seconds) as read, in one
    /// request. "Before" is each server's own clock: FreshRSS compares with the time an item
    /// arrived (its ids are arrival microseconds), Miniflux and coldsweat with its publication
    /// time. `before <= 0` sends nothing (both Google Reader servers read `ts=0` as "now").
    async fn mark_all_read(&self, scope: &MarkScope, before: i64) -> Result<(), SyncError>;

    /// Subscribes to the feed at `url` (the server discovers the feed of a page), then puts
    /// it in `folder` (a name; created when missing) and renames it to `title` when given.
    async fn subscribe(
        &self,
        url: &str,
        title: Option<&str>,
        folder: Option<&str>,
    ) -> Result<Subscribed, SyncError>;

    /// Unsubscribes.
    async fn unsubscribe(&self, feed_id: &str) -> Result<(), SyncError>;

    /// Renames a subscription.
    async fn rename_subscription(&self, feed_id: &str, title: &str) -> Result<(), SyncError>;

    /// Moves a subscription to the folder named `folder` (created when missing).
    async fn move_subscription(&self, feed_id: &str, folder: &str) -> Result<(), SyncError>;

    /// Fetches the given items into memory (a convenience over [`SyncService::fetch_items`]).
    async fn items(&self, ids: &[ItemId]) -> Result<(Vec<Item>, Vec<ItemId>), SyncError> {
        let mut items = Vec::new();
        let mut missing = Vec::new();
        self.fetch_items(ids, &mut |b: Batch| {
            items.extend(b.items);
            missing.extend(b.missing);
            ControlFlow::Continue(())
        })
        .await?;
        Ok((items, missing))
    }
}
