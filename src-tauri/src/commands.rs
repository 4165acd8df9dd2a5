//! Tauri commands: each is a one-line delegation to `duizhao_core::Library`.

use duizhao_core::{Article, ArticleSummary, ImportOutcome, ListFilter};
use tauri::State;

use crate::AppState;
use crate::error::CmdResult;

/// Articles in the library, newest first.
#[tauri::command(async)]
pub fn list_articles(
    state: State<'_, AppState>,
    filter: ListFilter,
) -> CmdResult<Vec<ArticleSummary>> {
    state.with(|lib| lib.list(&filter))
}

/// One article with its blocks.
#[tauri::command(async)]
pub fn get_article(state: State<'_, AppState>, id: i64) -> CmdResult<Article> {
    state.with(|lib| lib.article(id))
}

/// Imports a local file chosen by the user.
#[tauri::command(async)]
pub fn import_file(state: State<'_, AppState>, path: String) -> CmdResult<ImportOutcome> {
    state.with(|lib| lib.import_file(std::path::Path::new(&path)))
}
