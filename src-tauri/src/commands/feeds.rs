//! Feed and library commands: subscriptions, refresh with progress, saving pages, OPML,
//! search, read/starred state, export; and the `dzimg` protocol that shows stored images.
//!
//! Each command is a one-line delegation to the core. Commands that wait on the network are
//! async methods of the library handle, which locks the database only for short steps.

use duizhao_core::{
    AutoTranslate, ExportOptions, Feed, FeedOptions, FeedSettings, ImportOutcome,
    OpmlImportSummary, ReadScope, RefreshProgress, RefreshSummary, SearchHit,
};
use duizhao_translate::CancellationToken;
use tauri::http::{Response, StatusCode, header};
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};

use crate::AppState;
use crate::error::{CmdResult, IpcError};
use crate::picker::FileKind;

/// The URL scheme of stored images.
pub const IMAGE_SCHEME: &str = "dzimg";

/// How the webview addresses a stored image (`<prefix><id>`): custom schemes are
/// `scheme://localhost/` on Linux and macOS, `http://scheme.localhost/` on Windows and Android.
#[cfg(any(windows, target_os = "android"))]
pub const IMAGE_URL_PREFIX: &str = "http://dzimg.localhost/";
/// How the webview addresses a stored image (`<prefix><id>`): custom schemes are
/// `scheme://localhost/` on Linux and macOS, `http://scheme.localhost/` on Windows and Android.
#[cfg(not(any(windows, target_os = "android")))]
pub const IMAGE_URL_PREFIX: &str = "dzimg://localhost/";

/// Subscribed feeds with unread/total counts.
#[tauri::command(async)]
pub fn list_feeds(state: State<'_, AppState>) -> CmdResult<Vec<Feed>> {
    state.with(|lib| lib.list_feeds())
}

/// Subscribes to a feed (or the feed a page links to) and fetches it.
#[tauri::command]
pub async fn add_feed<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    url: String,
    folder: Option<String>,
) -> CmdResult<Feed> {
    let feed = state.handle().add_feed(&url, folder.as_deref()).await?;
    crate::detect_languages(app, state.handle().clone());
    // With a Google Reader account the subscription waits for the next sync.
    state.sync_background().changed();
    Ok(feed)
}

/// Unsubscribes (the feed's articles go with it; a synced feed on the server too, at the next
/// sync).
#[tauri::command(async)]
pub fn remove_feed(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    state.with(|lib| lib.remove_feed(id))?;
    state.sync_background().changed();
    Ok(())
}

/// Marks every article of a feed, a folder or the library read (one request to the sync
/// server); answers how many changed.
#[tauri::command(async)]
pub fn mark_all_read(state: State<'_, AppState>, scope: ReadScope) -> CmdResult<usize> {
    let n = state.with(|lib| lib.mark_all_read(&scope))?;
    state.sync_background().changed();
    Ok(n)
}

/// Everything the feed dialog edits: title, folder, full text, own interval, cleaning rules.
#[tauri::command(async)]
pub fn get_feed_options(state: State<'_, AppState>, id: i64) -> CmdResult<FeedOptions> {
    state.with(|lib| lib.feed_options(id))
}

/// Saves the feed dialog (checked in the core; nothing changes when a value is invalid).
/// Turning auto-translation on queues the newest unread articles; a pass starts at once.
#[tauri::command(async)]
pub fn set_feed_options<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: i64,
    options: FeedOptions,
) -> CmdResult<Feed> {
    let (feed, queued) = state.with(|lib| {
        let feed = lib.set_feed_options(id, &options)?;
        Ok((feed, lib.auto_translate_pending_count()?))
    })?;
    if queued > 0 {
        crate::spawn_auto_translate(app, state.handle().clone());
    }
    // A synced feed's new title or folder waits for the next sync.
    state.sync_background().changed();
    Ok(feed)
}

/// The library's refresh settings (interval, retention, images, feeds at once, limits).
#[tauri::command(async)]
pub fn get_feed_settings(state: State<'_, AppState>) -> CmdResult<FeedSettings> {
    state.with(|lib| lib.feed_settings())
}

/// Saves the refresh settings (ranges checked in the core).
#[tauri::command(async)]
pub fn set_feed_settings(state: State<'_, AppState>, settings: FeedSettings) -> CmdResult<()> {
    state.with(|lib| lib.set_feed_settings(&settings))
}

/// Refreshes every feed (or one), streaming each finished feed to `on_progress`, and answers
/// with the summary as soon as the refresh is done; the core then translates, in the
/// background, the new articles of feeds that ask for it (each stored article is announced
/// with the `translations-stored` event).
#[tauri::command]
pub async fn refresh<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    feed_id: Option<i64>,
    on_progress: Channel<RefreshProgress>,
) -> CmdResult<RefreshSummary> {
    let (done, summary) = tokio::sync::oneshot::channel();
    let handle = state.handle().clone();
    let work = tauri::async_runtime::spawn(async move {
        // A closed window drops its channel; the refresh still completes and is stored.
        let send = |p: RefreshProgress| drop(on_progress.send(p));
        let refreshed = |s: &RefreshSummary| {
            if s.new_articles > 0 {
                crate::detect_languages(app.clone(), handle.clone());
            }
            drop(done.send(s.clone()))
        };
        handle
            .refresh_and_translate(
                feed_id,
                true,
                AutoTranslate::Always,
                send,
                refreshed,
                crate::announce_translation(&app),
                &CancellationToken::new(),
            )
            .await
    });
    match summary.await {
        Ok(summary) => Ok(summary),
        // The refresh failed before it was done: its error is the answer.
        Err(_) => match work.await {
            Ok(Err(e)) => Err(e.into()),
            _ => Err(duizhao_core::CoreError::Internal("refreshing".into()).into()),
        },
    }
}

/// Saves one web page as an article.
#[tauri::command]
pub async fn save_url(state: State<'_, AppState>, url: String) -> CmdResult<ImportOutcome> {
    state.handle().save_url(&url).await.map_err(IpcError::from)
}

/// Subscribes to the feeds of an OPML file the user chooses; `null` when cancelled.
#[tauri::command(async)]
pub fn opml_import<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<Option<OpmlImportSummary>> {
    let Some(path) = state.picker(&app).open(FileKind::Opml) else {
        return Ok(None);
    };
    state.with(|lib| lib.opml_import(&path)).map(Some)
}

/// Writes the subscriptions to an OPML file the user chooses; answers with its path (`null`
/// when cancelled).
#[tauri::command(async)]
pub fn opml_export<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<Option<String>> {
    let Some(path) = state
        .picker(&app)
        .save(FileKind::Opml, "subscriptions.opml")
    else {
        return Ok(None);
    };
    state.with(|lib| lib.opml_export(&path))?;
    Ok(Some(path.display().to_string()))
}

/// Full-text search, Simplified and Traditional alike.
#[tauri::command(async)]
pub fn search(state: State<'_, AppState>, query: String) -> CmdResult<Vec<SearchHit>> {
    state.with(|lib| lib.search(&query))
}

/// Marks an article read or unread.
#[tauri::command(async)]
pub fn set_read(state: State<'_, AppState>, id: i64, value: bool) -> CmdResult<()> {
    state.with(|lib| lib.set_read(id, value))?;
    state.sync_background().changed();
    Ok(())
}

/// Stars or unstars an article.
#[tauri::command(async)]
pub fn set_starred(state: State<'_, AppState>, id: i64, value: bool) -> CmdResult<()> {
    state.with(|lib| lib.set_starred(id, value))?;
    state.sync_background().changed();
    Ok(())
}

/// Deletes an article (a refresh does not bring it back).
#[tauri::command(async)]
pub fn delete_article(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    state.with(|lib| lib.delete_article(id))
}

/// Exports an article to a file the user chooses (the article's title is suggested);
/// answers with its path (`null` when cancelled).
#[tauri::command(async)]
pub fn export_article<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: i64,
    options: ExportOptions,
) -> CmdResult<Option<String>> {
    let title = state.with(|lib| Ok(lib.article(id)?.title))?;
    let name = crate::picker::export_name(&title, options.format);
    let Some(path) = state
        .picker(&app)
        .save(FileKind::Export(options.format), &name)
    else {
        return Ok(None);
    };
    state.with(|lib| lib.export_article(id, &options, &path))?;
    Ok(Some(path.display().to_string()))
}

/// Answers a `dzimg` request: `/<id>` → the stored image with its sniffed MIME type.
/// Images are immutable (a new download gets a new id), so they may be cached for good.
pub fn image_response(state: Option<&AppState>, path: &str) -> Response<Vec<u8>> {
    let plain = |status: StatusCode, text: &str| {
        Response::builder()
            .status(status)
            .header(header::CONTENT_TYPE, "text/plain")
            .body(text.as_bytes().to_vec())
            .unwrap_or_default()
    };
    let Some(state) = state else {
        return plain(StatusCode::SERVICE_UNAVAILABLE, "library not open");
    };
    let Ok(id) = path.trim_start_matches('/').parse::<i64>() else {
        return plain(StatusCode::BAD_REQUEST, "not an image id");
    };
    match state.with(|lib| lib.image(id)) {
        Ok(Some((mime, bytes))) => Response::builder()
            .status(StatusCode::OK)
            .header(header::CONTENT_TYPE, mime)
            .header(header::CACHE_CONTROL, "max-age=31536000, immutable")
            .header("X-Content-Type-Options", "nosniff")
            .body(bytes)
            .unwrap_or_default(),
        Ok(None) => plain(StatusCode::NOT_FOUND, "no such image"),
        Err(e) => plain(StatusCode::INTERNAL_SERVER_ERROR, &e.message),
    }
}
