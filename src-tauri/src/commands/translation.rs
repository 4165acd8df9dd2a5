//! Translation commands: providers and their settings, translating an article with
//! progress and cancel, the glossary. Each is a one-line delegation to the core.

use std::collections::BTreeMap;

use duizhao_core::{
    GlossaryEntry, ProviderTest, ProviderView, ScriptChoice, TranslateEvent, TranslateRequest,
    TranslateSummary, TranslationSettings,
};
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};

use crate::AppState;
use crate::error::{CmdResult, IpcError};
use crate::picker::FileKind;

/// Every provider with its settings form (keys never included).
#[tauri::command(async)]
pub fn list_providers(state: State<'_, AppState>) -> CmdResult<Vec<ProviderView>> {
    state.with(|lib| Ok(lib.list_providers()))
}

/// Saves non-secret provider settings to config.toml.
#[tauri::command(async)]
pub fn set_provider(
    state: State<'_, AppState>,
    name: String,
    values: BTreeMap<String, String>,
) -> CmdResult<ProviderView> {
    state.with(|lib| lib.set_provider(&name, &values))
}

/// Stores (or with `null` deletes) a provider's key in the OS keyring.
#[tauri::command(async)]
pub fn set_provider_key(
    state: State<'_, AppState>,
    name: String,
    key: Option<String>,
) -> CmdResult<ProviderView> {
    state.with(|lib| lib.set_provider_key(&name, key.as_deref()))
}

/// Translates a sample with one provider.
#[tauri::command]
pub async fn test_provider(state: State<'_, AppState>, name: String) -> CmdResult<ProviderTest> {
    state
        .handle()
        .test_provider(&name)
        .await
        .map_err(IpcError::from)
}

/// The reader's translation defaults.
#[tauri::command(async)]
pub fn get_translation_settings(state: State<'_, AppState>) -> CmdResult<TranslationSettings> {
    state.with(|lib| lib.translation_settings())
}

/// Saves the reader's translation defaults.
#[tauri::command(async)]
pub fn set_translation_settings(
    state: State<'_, AppState>,
    settings: TranslationSettings,
) -> CmdResult<()> {
    state.with(|lib| lib.set_translation_settings(&settings))
}

/// Translates an article, streaming each finished batch to `on_progress`.
#[tauri::command]
pub async fn translate_article(
    state: State<'_, AppState>,
    id: i64,
    to: String,
    provider: Option<String>,
    script: ScriptChoice,
    on_progress: Channel<TranslateEvent>,
) -> CmdResult<TranslateSummary> {
    let req = TranslateRequest {
        to,
        provider,
        script,
    };
    let cancel = state.start_job(id);
    let send = |e: TranslateEvent| {
        // A closed window drops its channel; the translation still completes and is stored.
        let _ = on_progress.send(e);
    };
    let result = state
        .handle()
        .translate_article(id, &req, &send, &cancel)
        .await;
    state.finish_job(id);
    result.map_err(IpcError::from)
}

/// Cancels a running translation of the article (finished batches stay stored).
#[tauri::command(async)]
pub fn cancel_translation(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    state.cancel_job(id);
    Ok(())
}

/// Glossary terms for a feed (global ones included).
#[tauri::command(async)]
pub fn list_glossary(
    state: State<'_, AppState>,
    feed_id: Option<i64>,
) -> CmdResult<Vec<GlossaryEntry>> {
    state.with(|lib| lib.glossary(feed_id))
}

/// Adds (id 0) or updates a glossary term.
#[tauri::command(async)]
pub fn save_glossary_entry(
    state: State<'_, AppState>,
    entry: GlossaryEntry,
) -> CmdResult<GlossaryEntry> {
    state.with(|lib| lib.save_glossary_entry(&entry))
}

/// Deletes a glossary term.
#[tauri::command(async)]
pub fn delete_glossary_entry(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    state.with(|lib| lib.delete_glossary_entry(id))
}

/// Imports glossary terms from a CSV file (`source,target,lang`) the user chooses; answers
/// how many were added (`null` when cancelled).
#[tauri::command(async)]
pub fn import_glossary_csv<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<Option<usize>> {
    let Some(path) = state.picker(&app).open(FileKind::GlossaryCsv) else {
        return Ok(None);
    };
    state
        .with(|lib| lib.import_glossary_csv(&path, None))
        .map(Some)
}

/// Writes the glossary as CSV to a file the user chooses; answers with its path (`null` when
/// cancelled).
#[tauri::command(async)]
pub fn export_glossary_csv<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<Option<String>> {
    let Some(path) = state
        .picker(&app)
        .save(FileKind::GlossaryCsv, "glossary.csv")
    else {
        return Ok(None);
    };
    state.with(|lib| lib.export_glossary_csv(&path))?;
    Ok(Some(path.display().to_string()))
}
