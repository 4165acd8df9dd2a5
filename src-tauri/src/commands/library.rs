//! Reader commands: listing, showing and importing articles, script preferences, UI state.

use duizhao_core::{
    Article, ArticleSummary, ImportOutcome, LibraryCounts, ListFilter, ScriptChoice, StartRequest,
    StartView, ViewOptions,
};
use tauri::{AppHandle, Runtime, State};

use crate::AppState;
use crate::error::CmdResult;
use crate::picker::FileKind;

/// Articles in the library, newest first.
#[tauri::command(async)]
pub fn list_articles(
    state: State<'_, AppState>,
    filter: ListFilter,
) -> CmdResult<Vec<ArticleSummary>> {
    state.with(|lib| lib.list(&filter))
}

/// What the sidebar counts: all, unread, starred, per feed and per folder.
#[tauri::command(async)]
pub fn library_counts(state: State<'_, AppState>) -> CmdResult<LibraryCounts> {
    state.with(|lib| lib.counts())
}

/// One article with its blocks, in the requested script; stored images point at `dzimg`.
#[tauri::command(async)]
pub fn get_article(state: State<'_, AppState>, id: i64, view: ViewOptions) -> CmdResult<Article> {
    state.with(|lib| lib.article_view_local(id, &view, super::feeds::IMAGE_URL_PREFIX))
}

/// What the window shows first: the saved source's list and its open article, in one call.
#[tauri::command(async)]
pub fn start_view(state: State<'_, AppState>, request: StartRequest) -> CmdResult<StartView> {
    state.with(|lib| lib.start_view(&request, super::feeds::IMAGE_URL_PREFIX))
}

/// The remembered script choice for a feed (or the global one).
#[tauri::command(async)]
pub fn get_script_preference(
    state: State<'_, AppState>,
    feed_id: Option<i64>,
) -> CmdResult<ScriptChoice> {
    state.with(|lib| lib.script_preference(feed_id))
}

/// Remembers a script choice for a feed and as the global default.
#[tauri::command(async)]
pub fn set_script_preference(
    state: State<'_, AppState>,
    feed_id: Option<i64>,
    script: ScriptChoice,
) -> CmdResult<()> {
    state.with(|lib| lib.set_script_preference(feed_id, script))
}

/// Imports a local file the user chooses in the native open dialog; `null` when cancelled.
#[tauri::command(async)]
pub fn import_file<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<Option<ImportOutcome>> {
    let Some(path) = state.picker(&app).open(FileKind::Article) else {
        return Ok(None);
    };
    let outcome = state.with(|lib| lib.import_file(&path))?;
    crate::detect_languages(app, state.handle().clone());
    Ok(Some(outcome))
}

/// A piece of UI state (pane sizes, selection, theme…) saved as JSON by the webview.
#[tauri::command(async)]
pub fn get_ui_state(state: State<'_, AppState>, key: String) -> CmdResult<Option<String>> {
    state.with(|lib| lib.ui_state(&key))
}

/// Saves a piece of UI state.
#[tauri::command(async)]
pub fn set_ui_state(state: State<'_, AppState>, key: String, value: String) -> CmdResult<()> {
    state.with(|lib| lib.set_ui_state(&key, &value))
}
