//! Feeds and the offline library: subscribing, refreshing, saving pages, OPML, images, search
//! and export. The types here are the IPC/CLI contract; the use cases are `impl Library`
//! blocks (quick database work) and `impl LibraryHandle` blocks (anything that waits on the
//! network), so the facade stays one type and the database is never locked during a fetch.
//!
//! A refresh checks feeds concurrently (bounded), sends the stored validators for a
//! conditional GET, parses and ingests only items whose dedupe key is new (nor deleted by the
//! reader), extracts full text for summary-only items of feeds that ask for it, downloads the
//! images of new articles, and then writes the feed's new articles, images and validators in
//! one transaction. A feed that fails records `last_error` and keeps everything it had.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use duizhao_feed::{
    FetchError, FetchOptions, FetchOutcome, Fetched, Fetcher, ParseError, ParsedFeed, Validators,
};
use serde::{Deserialize, Serialize};

mod items;

use items::{fresh_items, items_to_articles};

use crate::error::{CoreError, Result};
use crate::handle::LibraryHandle;
use crate::ingest::{self, clean::CleanRules};
use crate::library::{ImportOutcome, Library};
use crate::model::{Article, Block, BlockKind};
use crate::store::articles::{self, NewArticle, Origin};
use crate::store::feeds::{self as feed_store, FeedState};
use crate::store::images;
use crate::view::{ScriptChoice, ViewMode, ViewOptions};

/// A subscribed feed as the sidebar shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Feed {
    /// Library-wide id.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    /// The feed document's URL.
    pub url: String,
    /// Title (from the feed, or set by the reader).
    pub title: String,
    /// The site the feed belongs to.
    pub site_url: Option<String>,
    /// Folder name; `None` = top level.
    pub folder: Option<String>,
    /// Unread articles.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub unread: i64,
    /// All articles.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub total: i64,
    /// Fetch full text with the extractor when items are only summaries.
    pub full_text: bool,
    /// Last successful fetch, RFC 3339.
    pub last_fetched: Option<String>,
    /// The last refresh's error, if it failed (stored articles are kept).
    pub last_error: Option<String>,
    /// The language its new articles are translated into after each refresh (`None` = off).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
    pub auto_translate: Option<String>,
}

/// One step of a refresh, streamed to the UI and the CLI's progress bar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RefreshProgress {
    /// The feed just finished.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub feed_id: i64,
    /// Its title.
    pub title: String,
    /// Feeds finished so far.
    pub done: u32,
    /// Feeds in this refresh.
    pub total: u32,
    /// Articles added from this feed.
    pub new_articles: u32,
    /// Why this feed failed, if it did.
    pub error: Option<String>,
}

/// A feed that failed during a refresh.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FeedFailure {
    /// The feed.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub feed_id: i64,
    /// Its URL.
    pub url: String,
    /// What went wrong, in one line.
    pub message: String,
}

/// What a refresh did: `dz refresh`'s JSON.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RefreshSummary {
    /// Feeds checked.
    pub feeds: u32,
    /// Feeds that answered 304 Not Modified.
    pub not_modified: u32,
    /// Articles added.
    pub new_articles: u32,
    /// Feeds that failed (their stored articles are untouched).
    pub failed: Vec<FeedFailure>,
    /// Read, unstarred articles deleted afterwards by the retention setting.
    #[serde(default)]
    pub expired: u32,
}

/// What an OPML import did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OpmlImportSummary {
    /// Feeds subscribed.
    pub added: u32,
    /// Feeds already subscribed.
    pub skipped: u32,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SearchHit {
    /// The article.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    /// Its title.
    pub title: String,
    /// Its feed, if any.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub feed_id: Option<i64>,
    /// Publication time, RFC 3339.
    pub published: Option<String>,
    /// A short excerpt around the match, HTML-escaped, matches wrapped in `<mark>`.
    pub snippet: String,
    /// Relevance (higher is better).
    pub rank: f64,
}

/// Export file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    /// One self-contained HTML file (images as data: URIs).
    Html,
    /// Markdown.
    Md,
    /// EPUB 3 with `xml:lang` on every block.
    Epub,
}

/// How to export an article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ExportOptions {
    /// The file format.
    pub format: ExportFormat,
    /// Include translations into this language (BCP-47), when stored.
    #[serde(default)]
    pub to: Option<String>,
    /// Chinese script for original and translation.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<ScriptChoice>", optional))]
    pub script: ScriptChoice,
    /// Layout of original and translation.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<ViewMode>", optional))]
    pub mode: ViewMode,
}

/// Settings key of [`FeedSettings`] (JSON).
const SETTINGS_KEY: &str = "feeds.settings";

/// Most full-text page fetches per feed and refresh (the rest keep their summary).
const MAX_EXTRACTIONS_PER_FEED: usize = 50;
/// Most images downloaded per feed and refresh (the rest show from the network).
const MAX_IMAGES_PER_FEED: usize = 200;
/// Images downloaded at once within one feed.
const IMAGE_CONCURRENCY: usize = 4;
/// Longest stored title, in characters.
const MAX_TITLE_CHARS: usize = 1000;
/// Longest dedupe key kept verbatim; longer ones are hashed.
const MAX_KEY_BYTES: usize = 512;
/// Largest OPML file read.
const MAX_OPML_FILE: u64 = 10 * 1024 * 1024;

/// How refreshes behave; stored with the library (`feeds.settings`), defaults when unset.
/// Ranges are checked when saved ([`FeedSettings::validate`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct FeedSettings {
    /// Minutes between automatic checks of a feed (a feed's own interval wins).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub interval_min: i64,
    /// Feeds checked at once.
    pub concurrency: usize,
    /// Delete read, unstarred articles older than this many days after each refresh.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub retention_days: Option<i64>,
    /// Download article images for offline reading.
    pub download_images: bool,
    /// Largest feed or page accepted, in bytes (after decompression).
    pub max_feed_bytes: usize,
    /// Largest image stored, in bytes.
    pub max_image_bytes: usize,
    /// Longest silence from a server while reading its answer, in milliseconds.
    pub idle_timeout_ms: u64,
    /// Longest time for one whole fetch, in milliseconds.
    pub total_timeout_ms: u64,
}

impl Default for FeedSettings {
    fn default() -> Self {
        FeedSettings {
            interval_min: 60,
            concurrency: 4,
            retention_days: None,
            download_images: true,
            max_feed_bytes: 20 * 1024 * 1024,
            max_image_bytes: 10 * 1024 * 1024,
            idle_timeout_ms: 20_000,
            total_timeout_ms: 60_000,
        }
    }
}

impl FeedSettings {
    fn fetcher(&self) -> Result<Fetcher> {
        Fetcher::new(FetchOptions {
            max_body_bytes: self.max_feed_bytes,
            idle_timeout: Duration::from_millis(self.idle_timeout_ms.max(1)),
            total_timeout: Duration::from_millis(self.total_timeout_ms.max(1)),
            ..FetchOptions::default()
        })
        .map_err(|e| CoreError::InvalidInput(e.to_string()))
    }
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn fetch_error(url: &str, e: impl std::fmt::Display) -> CoreError {
    CoreError::Fetch {
        url: url.to_string(),
        message: e.to_string(),
    }
}

pub(super) fn http_url(u: Option<&str>) -> Option<String> {
    u.map(str::trim)
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
        .map(str::to_string)
}

pub(super) fn clip(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// Decodes and parses a fetched document as a feed.
fn parse_fetched(f: &Fetched) -> std::result::Result<ParsedFeed, ParseFailure> {
    let text = duizhao_feed::decode(&f.body, f.charset.as_deref(), Some(&f.final_url))
        .map_err(|e| ParseFailure::Other(e.to_string()))?;
    duizhao_feed::parse_feed(&text.text, Some(&f.final_url)).map_err(|e| match e {
        ParseError::NotAFeed { feed_links } => ParseFailure::Html(feed_links),
        e => ParseFailure::Other(e.to_string()),
    })
}

enum ParseFailure {
    /// An HTML page, with the feeds it links to.
    Html(Vec<String>),
    /// Anything else, one line.
    Other(String),
}

impl ParseFailure {
    fn into_error(self, url: &str) -> CoreError {
        match self {
            ParseFailure::Html(links) if links.is_empty() => CoreError::NotAFeed {
                url: url.to_string(),
                reason: "not a feed: an HTML page that links to no feed".into(),
            },
            ParseFailure::Html(links) => CoreError::NotAFeed {
                url: url.to_string(),
                reason: format!("not a feed: an HTML page (its feed is {})", links[0]),
            },
            ParseFailure::Other(m) => CoreError::NotAFeed {
                url: url.to_string(),
                reason: m,
            },
        }
    }
}

/// Runs CPU-heavy pure work off the async threads.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| CoreError::InvalidInput(format!("internal error: {e}")))
}

/// What a fetch of one feed yields before it is written.
struct FeedUpdate {
    articles: Vec<NewArticle>,
    images: Vec<(String, &'static str, Vec<u8>)>,
}

/// How one feed's check ended.
enum FeedOutcome {
    NotModified,
    Updated(u32),
    Failed(String),
}

impl Library {
    /// The refresh settings (defaults when never set).
    pub fn feed_settings(&self) -> Result<FeedSettings> {
        Ok(self
            .store()
            .setting(SETTINGS_KEY)?
            .and_then(|v| serde_json::from_str(&v).ok())
            .unwrap_or_default())
    }

    /// Saves the refresh settings, after checking every value's range (nothing is saved when
    /// one is out of range).
    pub fn set_feed_settings(&mut self, settings: &FeedSettings) -> Result<()> {
        settings.validate()?;
        let json =
            serde_json::to_string(settings).map_err(|e| CoreError::InvalidInput(e.to_string()))?;
        self.store_mut().set_setting(SETTINGS_KEY, &json)
    }

    /// Every subscribed feed with unread/total counts.
    pub fn list_feeds(&self) -> Result<Vec<Feed>> {
        self.store().list_feeds()
    }

    /// One feed with its counts.
    pub fn feed(&self, id: i64) -> Result<Feed> {
        self.store().feed(id)
    }

    /// Unsubscribes: the feed and its articles go (starred ones too; export them first).
    pub fn remove_feed(&mut self, id: i64) -> Result<()> {
        self.store().feed(id)?;
        self.store_mut().write(|tx| {
            tx.execute("DELETE FROM feeds WHERE id = ?1", [id])?;
            images::drop_unused(tx)?;
            Ok(())
        })
    }

    /// Sets a feed's title (`None` = the feed's own), folder and full-text switch.
    pub fn set_feed(
        &mut self,
        id: i64,
        title: Option<&str>,
        folder: Option<&str>,
        full_text: bool,
    ) -> Result<Feed> {
        self.store().update_feed(id, title, folder, full_text)?;
        self.store().feed(id)
    }

    /// Sets a feed's cleaning rules and its own refresh interval (`None` = the default);
    /// selectors must parse and the interval be in range.
    pub fn set_feed_rules(
        &mut self,
        id: i64,
        rules: &CleanRules,
        interval_min: Option<i64>,
    ) -> Result<()> {
        crate::subscription::check_interval(interval_min)?;
        let json = crate::subscription::checked_rules_json(&rules.remove)?;
        self.store()
            .set_feed_rules(id, json.as_deref(), interval_min)
    }

    /// Marks an article read or unread.
    pub fn set_read(&mut self, id: i64, value: bool) -> Result<()> {
        self.set_flag(id, "read", value)
    }

    /// Stars or unstars an article (starred articles are kept by retention).
    pub fn set_starred(&mut self, id: i64, value: bool) -> Result<()> {
        self.set_flag(id, "starred", value)
    }

    fn set_flag(&mut self, id: i64, column: &'static str, value: bool) -> Result<()> {
        let n = self.store().conn().execute(
            &format!("UPDATE articles SET {column} = ?2 WHERE id = ?1"),
            rusqlite::params![id, value],
        )?;
        if n == 0 {
            return Err(CoreError::ArticleNotFound(id));
        }
        Ok(())
    }

    /// Deletes an article; a refresh will not bring it back.
    pub fn delete_article(&mut self, id: i64) -> Result<()> {
        let n = self
            .store_mut()
            .write(|tx| feed_store::delete_articles(tx, &[id]))?;
        if n == 0 {
            return Err(CoreError::ArticleNotFound(id));
        }
        Ok(())
    }

    /// Deletes read, unstarred articles older than the retention setting; returns how many.
    pub fn apply_retention(&mut self) -> Result<usize> {
        let Some(days) = self.feed_settings()?.retention_days else {
            return Ok(0);
        };
        let ids = self.store().expired_articles(days)?;
        if ids.is_empty() {
            return Ok(0);
        }
        self.store_mut()
            .write(|tx| feed_store::delete_articles(tx, &ids))
    }

    /// Full-text search (Simplified and Traditional find each other), best first.
    pub fn search(&self, query: &str) -> Result<Vec<SearchHit>> {
        self.store().search(query)
    }

    /// An article view whose image blocks point at the stored copies: `src` becomes
    /// `image_prefix` + the image id (the app's `dzimg` URL), `remote_src` the original.
    pub fn article_view_local(
        &self,
        id: i64,
        options: &ViewOptions,
        image_prefix: &str,
    ) -> Result<Article> {
        let mut article = self.article_view(id, options)?;
        for b in article
            .blocks
            .iter_mut()
            .filter(|b| b.kind == BlockKind::Image)
        {
            if let Some(src) = b.src.clone()
                && let Some((image_id, size)) = self.store().image_ref(&src)?
            {
                b.src = Some(format!("{image_prefix}{image_id}"));
                b.remote_src = Some(src);
                b.size = size;
            }
        }
        Ok(article)
    }

    /// A stored image by id: (MIME type, bytes), for the app's image protocol.
    pub fn image(&self, id: i64) -> Result<Option<(String, Vec<u8>)>> {
        Ok(self.store().image(id)?.map(|i| (i.mime, i.bytes)))
    }

    /// Exports an article to `path` (written whole or not at all).
    pub fn export_article(&self, id: i64, options: &ExportOptions, path: &Path) -> Result<()> {
        let view = ViewOptions {
            script: options.script,
            config: None,
            to: options.to.clone(),
        };
        let article = self.article_view(id, &view)?;
        let store = self.store();
        let image = |url: &str| store.image_by_url(url).ok().flatten();
        let bytes = crate::export::render(&article, options, &image)?;
        write_atomic(path, &bytes)
    }

    /// Subscribes to every feed of an OPML file (folders kept); feeds are fetched by the next
    /// refresh.
    pub fn opml_import(&mut self, path: &Path) -> Result<OpmlImportSummary> {
        let meta = std::fs::metadata(path).map_err(|e| CoreError::io(path, e))?;
        if meta.len() > MAX_OPML_FILE {
            return Err(CoreError::InvalidInput(format!(
                "{}: OPML file larger than {} MB",
                path.display(),
                MAX_OPML_FILE >> 20
            )));
        }
        let bytes = std::fs::read(path).map_err(|e| CoreError::io(path, e))?;
        let bad = |m: String| CoreError::InvalidInput(format!("{}: {m}", path.display()));
        let text = duizhao_feed::decode(&bytes, None, None).map_err(|e| bad(e.to_string()))?;
        let outlines = duizhao_feed::parse_opml(&text.text).map_err(|e| bad(e.to_string()))?;
        self.store_mut().write(|tx| {
            let mut summary = OpmlImportSummary::default();
            for o in &outlines {
                let Some(url) = http_url(Some(&o.xml_url)) else {
                    summary.skipped += 1;
                    continue;
                };
                let html_url = http_url(o.html_url.as_deref());
                let title = if o.title.trim().is_empty() {
                    url.clone()
                } else {
                    clip(o.title.trim(), MAX_TITLE_CHARS)
                };
                let (_, created) = feed_store::insert_feed(
                    tx,
                    &url,
                    &title,
                    html_url.as_deref(),
                    o.folder.as_deref(),
                )?;
                if created {
                    summary.added += 1;
                } else {
                    summary.skipped += 1;
                }
            }
            Ok(summary)
        })
    }

    /// Writes every subscription, with folders, to an OPML file.
    pub fn opml_export(&self, path: &Path) -> Result<()> {
        let outlines: Vec<duizhao_feed::OpmlOutline> = self
            .list_feeds()?
            .into_iter()
            .map(|f| duizhao_feed::OpmlOutline {
                title: f.title,
                xml_url: f.url,
                html_url: f.site_url,
                folder: f.folder,
            })
            .collect();
        write_atomic(
            path,
            duizhao_feed::write_opml("Duizhao subscriptions", &outlines).as_bytes(),
        )
    }
}

/// Writes `bytes` to a temporary file beside `path`, then renames it into place: a failed
/// export never leaves a half-written file.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| CoreError::InvalidInput(format!("{}: not a file name", path.display())))?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(CoreError::io(path, e));
    }
    Ok(())
}

impl LibraryHandle {
    fn settings_and_fetcher(&self) -> Result<(FeedSettings, Fetcher)> {
        let settings = self.lock().feed_settings()?;
        let fetcher = settings.fetcher()?;
        Ok((settings, fetcher))
    }

    /// Subscribes to `url` and stores its items. A web page that advertises a feed is
    /// subscribed through that feed. Nothing is stored when the URL gives no feed.
    pub async fn add_feed(&self, url: &str, folder: Option<&str>) -> Result<Feed> {
        let url = url.trim();
        let (settings, fetcher) = self.settings_and_fetcher()?;
        // Bound first: a guard in an `if let` scrutinee would still be held in its body.
        let existing = self.lock().store().feed_id_by_url(url)?;
        if let Some(id) = existing {
            return self.lock().feed(id);
        }
        let (feed_url, fetched, parsed) = match self.fetch_parse(&fetcher, url).await? {
            Ok((f, p)) => (url.to_string(), f, p),
            Err(ParseFailure::Html(links)) if !links.is_empty() => {
                let link = links[0].clone();
                match self.fetch_parse(&fetcher, &link).await? {
                    Ok((f, p)) => (link, f, p),
                    Err(e) => return Err(e.into_error(&link)),
                }
            }
            Err(e) => return Err(e.into_error(url)),
        };
        let existing = self.lock().store().feed_id_by_url(&feed_url)?;
        if let Some(id) = existing {
            return self.lock().feed(id);
        }
        let title = if parsed.title.trim().is_empty() {
            feed_url.clone()
        } else {
            clip(parsed.title.trim(), MAX_TITLE_CHARS)
        };
        let site = http_url(parsed.site_url.as_deref());
        let folder = folder.map(str::trim).filter(|f| !f.is_empty());
        let id = self.with(|lib| {
            lib.store_mut().write(|tx| {
                Ok(feed_store::insert_feed(tx, &feed_url, &title, site.as_deref(), folder)?.0)
            })
        })?;
        let update = self
            .build_update(
                &fetcher,
                &settings,
                id,
                false,
                CleanRules::default(),
                parsed,
            )
            .await?;
        self.write_update(id, &fetched, Some(&title), site.as_deref(), update)?;
        self.lock().feed(id)
    }

    async fn fetch_parse(
        &self,
        fetcher: &Fetcher,
        url: &str,
    ) -> Result<std::result::Result<(Fetched, ParsedFeed), ParseFailure>> {
        let fetched = match fetcher.fetch(url, None).await {
            Ok(FetchOutcome::Fetched(f)) => f,
            Ok(FetchOutcome::NotModified { .. }) => {
                return Err(fetch_error(url, "HTTP status 304"));
            }
            Err(e) => return Err(fetch_error(url, e)),
        };
        blocking(move || parse_fetched(&fetched).map(|p| (fetched, p))).await
    }

    /// Checks every feed (or one): `force` ignores the refresh intervals, else only due feeds
    /// are checked ([`crate::subscription::is_due`]). `progress` is called as each feed
    /// finishes. Failed feeds are listed in the summary, not returned as errors. Retention is
    /// applied afterwards. One refresh runs at a time per handle: a second one waits for the
    /// first, then checks what is still due.
    pub async fn refresh(
        &self,
        feed_id: Option<i64>,
        force: bool,
        mut progress: impl FnMut(RefreshProgress) + Send,
    ) -> Result<RefreshSummary> {
        let _one_at_a_time = self.refresh_lock().lock().await;
        let (settings, fetcher) = self.settings_and_fetcher()?;
        let states = self.lock().store().feed_states(feed_id)?;
        if let Some(id) = feed_id
            && states.is_empty()
        {
            return Err(CoreError::InvalidInput(format!("no feed with id {id}")));
        }
        let now = now_ms();
        let due: Vec<FeedState> = states
            .into_iter()
            .filter(|s| {
                force
                    || crate::subscription::is_due(
                        s.last_checked_ms,
                        s.interval_min.unwrap_or(settings.interval_min),
                        now,
                    )
            })
            .collect();
        let total = due.len() as u32;
        let mut summary = RefreshSummary {
            feeds: total,
            ..RefreshSummary::default()
        };
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
                let (id, url, title) = (state.id, state.url.clone(), state.title.clone());
                let outcome = handle.refresh_one(&fetcher, &settings, state).await;
                (id, url, title, outcome)
            });
        }
        let mut done = 0;
        while let Some(joined) = tasks.join_next().await {
            let Ok((feed_id, url, title, outcome)) = joined else {
                continue;
            };
            done += 1;
            let (new_articles, error) = match outcome {
                FeedOutcome::NotModified => {
                    summary.not_modified += 1;
                    (0, None)
                }
                FeedOutcome::Updated(n) => (n, None),
                FeedOutcome::Failed(message) => {
                    summary.failed.push(FeedFailure {
                        feed_id,
                        url,
                        message: message.clone(),
                    });
                    (0, Some(message))
                }
            };
            summary.new_articles += new_articles;
            progress(RefreshProgress {
                feed_id,
                title,
                done,
                total,
                new_articles,
                error,
            });
        }
        let expired = self.with(|lib| lib.apply_retention())?;
        summary.expired = u32::try_from(expired).unwrap_or(u32::MAX);
        summary.failed.sort_by_key(|f| f.feed_id);
        Ok(summary)
    }

    async fn refresh_one(
        &self,
        fetcher: &Fetcher,
        settings: &FeedSettings,
        state: FeedState,
    ) -> FeedOutcome {
        let id = state.id;
        let result = self.refresh_feed(fetcher, settings, state).await;
        match result {
            Ok(outcome) => outcome,
            Err(e) => {
                let message = e.to_string();
                // The feed keeps its articles and validators; only the error is recorded.
                let _ = self.lock().store().record_feed_error(id, &message);
                FeedOutcome::Failed(message)
            }
        }
    }

    async fn refresh_feed(
        &self,
        fetcher: &Fetcher,
        settings: &FeedSettings,
        state: FeedState,
    ) -> Result<FeedOutcome> {
        let validators = Validators {
            etag: state.etag.clone(),
            last_modified: state.last_modified.clone(),
        };
        let fetched = match fetcher.fetch(&state.url, Some(&validators)).await {
            Ok(FetchOutcome::Fetched(f)) => f,
            Ok(FetchOutcome::NotModified { validators, .. }) => {
                self.lock().store().record_not_modified(
                    state.id,
                    validators.etag.as_deref(),
                    validators.last_modified.as_deref(),
                )?;
                return Ok(FeedOutcome::NotModified);
            }
            Err(e) => return Err(fetch_error(&state.url, e)),
        };
        let (fetched, parsed) = blocking(move || parse_fetched(&fetched).map(|p| (fetched, p)))
            .await?
            .map_err(|e| e.into_error(&state.url))?;
        let title = (!parsed.title.trim().is_empty()).then(|| clip(parsed.title.trim(), 1000));
        let site = http_url(parsed.site_url.as_deref());
        let rules = CleanRules::from_json(state.rules.as_deref());
        let update = self
            .build_update(fetcher, settings, state.id, state.full_text, rules, parsed)
            .await?;
        let n = self.write_update(
            state.id,
            &fetched,
            title.as_deref(),
            site.as_deref(),
            update,
        )?;
        Ok(FeedOutcome::Updated(n))
    }

    /// Turns a parsed feed into new articles and their images (no database lock held while
    /// fetching pages and images).
    async fn build_update(
        &self,
        fetcher: &Fetcher,
        settings: &FeedSettings,
        feed_id: i64,
        full_text: bool,
        rules: CleanRules,
        parsed: ParsedFeed,
    ) -> Result<FeedUpdate> {
        let fresh = fresh_items(self.lock().store(), feed_id, parsed.items)?;
        let mut bodies: Vec<Option<String>> = vec![None; fresh.len()];
        if full_text {
            let wanted = fresh
                .iter()
                .enumerate()
                .filter(|(_, i)| i.content_html.is_none())
                .filter_map(|(n, i)| http_url(i.url.as_deref()).map(|u| (n, u)))
                .take(MAX_EXTRACTIONS_PER_FEED);
            for (n, url) in wanted {
                bodies[n] = full_text_of(fetcher, &url).await;
            }
        }
        let articles =
            blocking(move || items_to_articles(feed_id, &fresh, &bodies, &rules)).await?;
        let images = if settings.download_images {
            self.download_images(fetcher, settings, &articles).await?
        } else {
            Vec::new()
        };
        Ok(FeedUpdate { articles, images })
    }

    /// Downloads and stores the images of an article already in the library that are not
    /// stored yet (imports such as the bundled seed arrive without their pictures). Returns
    /// how many images were stored; unreachable images are skipped.
    pub async fn store_article_images(&self, id: i64) -> Result<usize> {
        let (settings, article) = self.with(|lib| Ok((lib.feed_settings()?, lib.article(id)?)))?;
        let fetcher = settings.fetcher()?;
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
        let images = self
            .download_images(&fetcher, &settings, std::slice::from_ref(&probe))
            .await?;
        self.with(|lib| {
            lib.store_mut().write(|tx| {
                for (url, mime, bytes) in &images {
                    images::insert(tx, url, mime, bytes)?;
                }
                Ok(images.len())
            })
        })
    }

    /// Downloads the images of `articles` that are not stored yet (failures are skipped:
    /// the reader falls back to the remote URL).
    async fn download_images(
        &self,
        fetcher: &Fetcher,
        settings: &FeedSettings,
        articles: &[NewArticle],
    ) -> Result<Vec<(String, &'static str, Vec<u8>)>> {
        let mut wanted: Vec<String> = Vec::new();
        {
            let lib = self.lock();
            for src in articles
                .iter()
                .flat_map(|a| &a.blocks)
                .filter(|b| b.kind == BlockKind::Image)
                .filter_map(|b| http_url(b.src.as_deref()))
            {
                if wanted.len() >= MAX_IMAGES_PER_FEED {
                    break;
                }
                if !wanted.contains(&src) && !lib.store().has_image(&src)? {
                    wanted.push(src);
                }
            }
        }
        let permits = Arc::new(tokio::sync::Semaphore::new(IMAGE_CONCURRENCY));
        // A host that cannot be reached is not tried again in this refresh: a feed with
        // hundreds of images on a dead host must not cost hundreds of timeouts.
        let dead_hosts: Arc<std::sync::Mutex<HashSet<String>>> = Arc::default();
        let mut tasks = tokio::task::JoinSet::new();
        for url in wanted {
            let (fetcher, permits, max, dead_hosts) = (
                fetcher.clone(),
                permits.clone(),
                settings.max_image_bytes,
                dead_hosts.clone(),
            );
            tasks.spawn(async move {
                let _permit = permits.acquire_owned().await;
                let host = url::Url::parse(&url).ok()?.host_str()?.to_string();
                let is_dead = |h: &str| dead_hosts.lock().map(|d| d.contains(h)).unwrap_or(false);
                if is_dead(&host) {
                    return None;
                }
                match fetcher.fetch_image(&url, max).await {
                    Ok(img) => Some((url, img.kind.mime(), img.bytes)),
                    Err(FetchError::Connect(_) | FetchError::Timeout(_)) => {
                        if let Ok(mut d) = dead_hosts.lock() {
                            d.insert(host);
                        }
                        None
                    }
                    Err(_) => None,
                }
            });
        }
        let mut out = Vec::new();
        while let Some(joined) = tasks.join_next().await {
            if let Ok(Some(img)) = joined {
                out.push(img);
            }
        }
        Ok(out)
    }

    /// Stores a feed's new articles and images and its validators, in one transaction.
    fn write_update(
        &self,
        feed_id: i64,
        fetched: &Fetched,
        title: Option<&str>,
        site: Option<&str>,
        update: FeedUpdate,
    ) -> Result<u32> {
        self.with(|lib| {
            lib.store_mut().write(|tx| {
                for (url, mime, bytes) in &update.images {
                    images::insert(tx, url, mime, bytes)?;
                }
                let mut new = Vec::new();
                for a in &update.articles {
                    if feed_store::is_tombstoned(tx, &a.dedupe_key)? {
                        continue;
                    }
                    let (id, created) = articles::insert(tx, a)?;
                    if created {
                        new.push((id, a.published_ms));
                    }
                }
                // Queued with the articles: never a queued id that was not stored.
                crate::auto_translate::enqueue_new(tx, feed_id, &new)?;
                feed_store::record_success(
                    tx,
                    feed_id,
                    title,
                    site,
                    fetched.validators.etag.as_deref(),
                    fetched.validators.last_modified.as_deref(),
                )?;
                Ok(u32::try_from(new.len()).unwrap_or(u32::MAX))
            })
        })
    }

    /// Saves one web page as an article: fetched, full text extracted, cleaned, sanitized,
    /// images stored. Saving the same page twice returns the stored article.
    pub async fn save_url(&self, url: &str) -> Result<ImportOutcome> {
        let url = url.trim();
        let (settings, fetcher) = self.settings_and_fetcher()?;
        let fetched = match fetcher.fetch(url, None).await {
            Ok(FetchOutcome::Fetched(f)) => f,
            Ok(FetchOutcome::NotModified { .. }) => {
                return Err(fetch_error(url, "HTTP status 304"));
            }
            Err(e) => return Err(fetch_error(url, e)),
        };
        let article = blocking(move || page_to_article(&fetched)).await??;
        let existing = self
            .lock()
            .store()
            .conn()
            .query_row(
                "SELECT id FROM articles WHERE dedupe_key = ?1",
                [&article.dedupe_key],
                |r| r.get::<_, i64>(0),
            )
            .ok();
        if let Some(id) = existing {
            return Ok(ImportOutcome {
                id,
                created: false,
                title: article.title,
            });
        }
        let images = if settings.download_images {
            self.download_images(&fetcher, &settings, std::slice::from_ref(&article))
                .await?
        } else {
            Vec::new()
        };
        self.with(|lib| {
            lib.store_mut().write(|tx| {
                for (u, mime, bytes) in &images {
                    images::insert(tx, u, mime, bytes)?;
                }
                let (id, created) = articles::insert(tx, &article)?;
                Ok(ImportOutcome {
                    id,
                    created,
                    title: article.title.clone(),
                })
            })
        })
    }
}

/// Fetches an item's page and extracts its article body (unsanitized HTML); `None` on any
/// failure, so the item keeps its summary.
async fn full_text_of(fetcher: &Fetcher, url: &str) -> Option<String> {
    let Ok(FetchOutcome::Fetched(f)) = fetcher.fetch(url, None).await else {
        return None;
    };
    blocking(move || {
        let text = duizhao_feed::decode(&f.body, f.charset.as_deref(), Some(&f.final_url)).ok()?;
        let page = duizhao_feed::extract_article(&text.text, &f.final_url).ok()?;
        (page.text_len > 0).then_some(page.content_html)
    })
    .await
    .ok()
    .flatten()
}

/// A fetched web page as an article to store (pure).
fn page_to_article(f: &Fetched) -> Result<NewArticle> {
    let url = f.final_url.as_str();
    let text = duizhao_feed::decode(&f.body, f.charset.as_deref(), Some(url)).map_err(|e| {
        CoreError::NotAFeed {
            url: url.to_string(),
            reason: format!("not a web page: {e}"),
        }
    })?;
    let page = duizhao_feed::extract_article(&text.text, url).map_err(|e| CoreError::NotAFeed {
        url: url.to_string(),
        reason: e.to_string(),
    })?;
    let mut blocks = ingest::html_to_blocks(&page.content_html, Some(url))?;
    if blocks
        .iter()
        .all(|b| b.text.trim().is_empty() && b.kind != BlockKind::Image)
    {
        return Err(CoreError::NotAFeed {
            url: url.to_string(),
            reason: "no article text found on the page".into(),
        });
    }
    let title = match page.title.trim() {
        "" => url.to_string(),
        t => clip(t, MAX_TITLE_CHARS),
    };
    if blocks.first().is_some_and(|b: &Block| b.text == title) {
        blocks.remove(0);
    }
    let lang = crate::lang::tag_article(&title, &mut blocks);
    Ok(NewArticle {
        dedupe_key: format!("url:{url}"),
        feed_id: None,
        url: Some(url.to_string()),
        title,
        published_ms: page.published,
        lang,
        origin: Origin::Saved,
        blocks,
    })
}
