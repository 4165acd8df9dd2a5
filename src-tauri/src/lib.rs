//! The desktop shell: builds the Tauri app around one `duizhao_core::Library`.
//!
//! All behaviour lives in the core; this crate owns only process concerns: where the data
//! folder is, the bundled seed article, window and plugin setup, and the command table.

pub mod bench;
mod bindings;
pub mod commands;
pub mod error;
pub mod painting;
pub mod picker;
pub mod sync;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use duizhao_translate::CancellationToken;

use duizhao_core::{
    AutoTranslate, AutoTranslateProgress, AutoTranslateStatus, AutoTranslateSummary, CoreError,
    Library, LibraryHandle, RefreshOutcome, RefreshSummary,
};
use tauri::{Manager, Runtime};

/// The sample article every new library starts with (a DW Chinese item, as a full-text feed
/// service exports it).
pub const SEED_NAME: &str = "dw-wang-yi-lavrov.md";
/// The seed's text, compiled in so a fresh install works offline.
pub const SEED_TEXT: &str = include_str!("../resources/seed/dw-wang-yi-lavrov.md");

/// Shared state: the library handle (async use cases lock it only for short steps) and the
/// cancel switches of running translations.
pub struct AppState {
    library: LibraryHandle,
    jobs: Mutex<HashMap<i64, CancellationToken>>,
    /// Chooses the files the app reads and writes: the native dialogs unless a test installed
    /// its own ([`AppState::with_picker`]).
    picker: Option<std::sync::Arc<dyn picker::FilePicker>>,
    /// The background sync's scheduler and wake-up bell.
    sync: sync::SyncBackground,
}

impl AppState {
    /// Wraps an opened library.
    pub fn new(library: Library) -> Self {
        AppState {
            library: LibraryHandle::new(library),
            jobs: Mutex::new(HashMap::new()),
            picker: None,
            sync: sync::SyncBackground::default(),
        }
    }

    /// Chooses files with `picker` instead of the native dialogs (tests).
    pub fn with_picker(mut self, picker: std::sync::Arc<dyn picker::FilePicker>) -> Self {
        self.picker = Some(picker);
        self
    }

    /// The file picker for a command.
    pub fn picker<R: Runtime>(
        &self,
        app: &tauri::AppHandle<R>,
    ) -> std::sync::Arc<dyn picker::FilePicker> {
        picker::picker(app, self.picker.clone())
    }

    /// Registers a cancellable job for an article (replacing, and cancelling, an older one).
    pub fn start_job(&self, id: i64) -> CancellationToken {
        let token = CancellationToken::new();
        let mut jobs = self.jobs.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(old) = jobs.insert(id, token.clone()) {
            old.cancel();
        }
        token
    }

    /// Forgets a finished job.
    pub fn finish_job(&self, id: i64) {
        self.jobs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&id);
    }

    /// Cancels the article's running job, if any.
    pub fn cancel_job(&self, id: i64) {
        if let Some(t) = self.jobs.lock().unwrap_or_else(|p| p.into_inner()).get(&id) {
            t.cancel();
        }
    }

    /// The background sync's state (commands tell it of changes the server must hear of).
    pub fn sync_background(&self) -> &sync::SyncBackground {
        &self.sync
    }

    /// The handle, for async commands (refresh, translate).
    pub fn handle(&self) -> &LibraryHandle {
        &self.library
    }

    /// Opens the library in `dir` and imports the seed on first start.
    pub fn open(dir: &std::path::Path) -> Result<Self, CoreError> {
        let mut library = Library::open(dir)?;
        library.ensure_seed(SEED_NAME, SEED_TEXT)?;
        Ok(Self::new(library))
    }

    /// Runs `f` with the library locked, mapping errors for the UI.
    pub fn with<T>(
        &self,
        f: impl FnOnce(&mut Library) -> Result<T, CoreError>,
    ) -> Result<T, error::IpcError> {
        self.library.with(f).map_err(Into::into)
    }
}

/// Registers plugins and commands; shared by `run` and the command-layer tests.
pub fn builder<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_window_state::Builder::default().build())
        // Stored article images, served from SQLite so articles read the same offline.
        .register_asynchronous_uri_scheme_protocol(
            commands::feeds::IMAGE_SCHEME,
            |ctx, request, responder| {
                let app = ctx.app_handle().clone();
                let path = request.uri().path().to_string();
                tauri::async_runtime::spawn_blocking(move || {
                    let state = app.try_state::<AppState>();
                    responder.respond(commands::feeds::image_response(state.as_deref(), &path));
                });
            },
        )
        .invoke_handler(tauri::generate_handler![
            // reader
            commands::library::list_articles,
            commands::library::library_counts,
            commands::library::get_article,
            commands::library::start_view,
            commands::library::get_script_preference,
            commands::library::set_script_preference,
            commands::library::import_file,
            commands::library::get_ui_state,
            commands::library::set_ui_state,
            // feeds and library (commands/feeds.rs)
            commands::feeds::list_feeds,
            commands::feeds::add_feed,
            commands::feeds::remove_feed,
            commands::feeds::get_feed_options,
            commands::feeds::set_feed_options,
            commands::feeds::get_feed_settings,
            commands::feeds::set_feed_settings,
            commands::feeds::refresh,
            commands::feeds::save_url,
            commands::feeds::opml_import,
            commands::feeds::opml_export,
            commands::feeds::search,
            commands::feeds::set_read,
            commands::feeds::set_starred,
            commands::feeds::delete_article,
            commands::feeds::export_article,
            // sync (commands/sync.rs)
            commands::sync::get_sync_account,
            commands::sync::add_sync_account,
            commands::sync::remove_sync_account,
            commands::sync::sync_now,
            commands::sync::set_sync_interval,
            commands::feeds::mark_all_read,
            // translation (commands/translation.rs)
            commands::translation::list_providers,
            commands::translation::set_provider,
            commands::translation::set_provider_key,
            commands::translation::test_provider,
            commands::translation::get_translation_settings,
            commands::translation::set_translation_settings,
            commands::translation::translate_article,
            commands::translation::cancel_translation,
            commands::translation::list_glossary,
            commands::translation::save_glossary_entry,
            commands::translation::delete_glossary_entry,
            commands::translation::import_glossary_csv,
            commands::translation::export_glossary_csv,
            // reading aids (commands/study.rs)
            commands::study::define,
            commands::study::word_at,
            commands::study::annotate,
            commands::study::add_vocab_word,
            commands::study::list_vocab,
            commands::study::delete_vocab_word,
            commands::study::export_vocab,
        ])
}

/// The data folder: `$DUIZHAO_DATA_DIR`, else the platform data folder (shared with `dz`).
pub fn data_dir() -> Result<PathBuf, CoreError> {
    duizhao_core::default_data_dir()
}

/// Environment variable that keeps the app from any network access of its own at start
/// (end-to-end tests set it; readers on metered links can too).
pub const OFFLINE_ENV: &str = "DUIZHAO_OFFLINE";

/// Event sent to the webview when an article's pictures were stored, with its id.
pub const IMAGES_STORED_EVENT: &str = "images-stored";

/// Event sent to the webview when a background refresh changed the library (feeds were
/// checked or old articles expired), with the `RefreshSummary`, or when the languages of an
/// older library were re-detected (an empty summary): the UI reloads its counts and rows.
pub const LIBRARY_CHANGED_EVENT: &str = "library-changed";

/// Event sent to the webview when a background auto-translation pass stored an article's
/// translations (an open article or the list reloads its bilingual titles) or failed on it
/// (the reader is told why), with the `AutoTranslateProgress` (`article_id`, `status`, …).
pub const TRANSLATIONS_STORED_EVENT: &str = "translations-stored";

/// How often the background scheduler asks the core to check the feeds that are due.
pub const AUTO_REFRESH_EVERY: Duration = Duration::from_secs(60);

/// Whether the app must keep off the network on its own initiative.
fn offline() -> bool {
    std::env::var_os(OFFLINE_ENV).is_some()
}

/// Tells the webview of an auto-translated article (stored translations reload the reader;
/// failures are told to the reader too).
pub(crate) fn announce_translation<R: Runtime>(
    app: &tauri::AppHandle<R>,
) -> impl FnMut(AutoTranslateProgress) + Send + '_ {
    move |p: AutoTranslateProgress| {
        if p.status != AutoTranslateStatus::Skipped {
            let _ = tauri::Emitter::emit(app, TRANSLATIONS_STORED_EVENT, &p);
        }
    }
}

/// Tells the webview that a refresh changed the library (feeds were checked or old articles
/// expired), so it reloads its counts and rows.
fn announce_refresh<R: Runtime>(app: &tauri::AppHandle<R>, summary: &RefreshSummary) {
    if summary.feeds > 0 || summary.expired > 0 {
        let _ = tauri::Emitter::emit(app, LIBRARY_CHANGED_EVENT, summary);
    }
}

/// One pass of the background scheduler: the core checks the feeds that are due (it decides
/// which), applies retention, and translates the new articles of feeds that ask for it; the
/// webview hears of each step.
pub async fn refresh_due<R: Runtime>(
    app: &tauri::AppHandle<R>,
    library: &LibraryHandle,
) -> Result<RefreshOutcome, CoreError> {
    let outcome = library
        .refresh_and_translate(
            None,
            false,
            AutoTranslate::AfterCheck,
            |_| {},
            |summary| {
                announce_refresh(app, summary);
                if summary.new_articles > 0 {
                    detect_languages(app.clone(), library.clone());
                }
            },
            announce_translation(app),
            &CancellationToken::new(),
        )
        .await?;
    report_translation(&outcome);
    Ok(outcome)
}

/// Failures of a background auto-translation go to stderr too (the webview was told).
fn report_translation(outcome: &RefreshOutcome) {
    for f in &outcome.translation_failures {
        eprintln!(
            "duizhao: auto-translation of article {} failed: {}",
            f.article_id, f.message
        );
    }
    if let Some(e) = &outcome.translation_error {
        eprintln!("duizhao: auto-translation: {}", e.message);
    }
}

/// Translates what is queued for auto-translation (articles of a feed whose option was just
/// turned on), announcing each article to the webview.
pub async fn auto_translate<R: Runtime>(
    app: &tauri::AppHandle<R>,
    library: &LibraryHandle,
) -> Result<AutoTranslateSummary, CoreError> {
    library
        .auto_translate_pending(announce_translation(app), &CancellationToken::new())
        .await
}

/// Starts [`auto_translate`] without waiting for it.
pub fn spawn_auto_translate<R: Runtime>(app: tauri::AppHandle<R>, library: LibraryHandle) {
    tauri::async_runtime::spawn(async move {
        if let Err(e) = auto_translate(&app, &library).await {
            eprintln!("duizhao: auto-translation: {e}");
        }
    });
}

/// Checks due feeds at start and then every [`AUTO_REFRESH_EVERY`], for as long as the app
/// runs (not at all with `DUIZHAO_OFFLINE`). The task owns what it needs: the library handle
/// and the app handle.
fn start_auto_refresh<R: Runtime>(app: tauri::AppHandle<R>, library: LibraryHandle) {
    if offline() {
        return;
    }
    tauri::async_runtime::spawn(async move {
        let mut ticks = tokio::time::interval(AUTO_REFRESH_EVERY);
        // After a suspend, one check rather than a burst of missed ones.
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if let Err(e) = refresh_due(&app, &library).await {
                eprintln!("duizhao: background refresh: {e}");
            }
        }
    });
}

/// In the background, brings the languages of the library up to date (see
/// `duizhao_core::usecases::languages`): at start those stored by an older build, after an
/// ingest those of the new articles, whose statistical detection waits for this pass. It goes a
/// batch at a time, so the window's own commands wait for one batch's database work at most;
/// the list then reloads with the new tags. (An auto-translation pass that starts first runs
/// the same pass itself and this one finds nothing left: the list then reloads with the
/// translations.) An up-to-date library costs one settings read, and loads no detector model.
pub(crate) fn detect_languages<R: Runtime>(app: tauri::AppHandle<R>, library: LibraryHandle) {
    tauri::async_runtime::spawn(async move {
        match library.redetect_languages().await {
            Ok(0) => {}
            Ok(_) => {
                let _ =
                    tauri::Emitter::emit(&app, LIBRARY_CHANGED_EVENT, RefreshSummary::default());
            }
            Err(e) => eprintln!("duizhao: re-detecting languages: {e}"),
        }
    });
}

/// In the background, downloads the pictures of recent articles that arrived without them
/// (imports such as the bundled seed), so they are read offline from the library like feed
/// articles. The webview only ever loads images from the app's own protocol.
fn fetch_missing_images<R: Runtime>(app: tauri::AppHandle<R>, library: LibraryHandle) {
    if offline() {
        return;
    }
    tauri::async_runtime::spawn(async move {
        let recent = library
            .with(|lib| lib.list(&duizhao_core::ListFilter::default()))
            .unwrap_or_default();
        for article in recent.iter().take(20) {
            if let Ok(n) = library.store_article_images(article.id).await
                && n > 0
            {
                let _ = tauri::Emitter::emit(&app, IMAGES_STORED_EVENT, article.id);
            }
        }
    });
}

/// Starts the app.
pub fn run() {
    // First, while the process has one thread (it may set an environment variable).
    painting::choose();
    let state = match data_dir().and_then(|dir| AppState::open(&dir)) {
        Ok(state) => state,
        Err(e) => {
            eprintln!("duizhao: {e}");
            std::process::exit(1);
        }
    };
    let mut app = builder(tauri::Builder::default());
    if bench::enabled() {
        app = app.plugin(bench::plugin());
    }
    let result = app
        // The window-state plugin saves on a clean exit; saving after each resize or move
        // too means a crash or a killed process still reopens the window as it was.
        .on_window_event(|window, event| {
            if matches!(
                event,
                tauri::WindowEvent::Resized(_) | tauri::WindowEvent::Moved(_)
            ) {
                use tauri_plugin_window_state::{AppHandleExt, StateFlags};
                let _ = window.app_handle().save_window_state(
                    StateFlags::SIZE | StateFlags::POSITION | StateFlags::MAXIMIZED,
                );
            }
        })
        .setup(move |app| {
            let handle = state.handle().clone();
            app.manage(state);
            detect_languages(app.handle().clone(), handle.clone());
            fetch_missing_images(app.handle().clone(), handle.clone());
            start_auto_refresh(app.handle().clone(), handle);
            if !offline() {
                sync::start_background_sync(app.handle().clone());
            }
            Ok(())
        })
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("duizhao: {e}");
        std::process::exit(1);
    }
}
