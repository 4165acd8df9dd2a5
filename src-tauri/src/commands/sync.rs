//! Sync commands: the account (Settings → Sync) and "sync now" with progress. Each is a
//! one-line delegation to the core; the password goes from the form to the OS keyring and is
//! never sent back to the webview.

use duizhao_core::{SyncAccount, SyncProgress, SyncSummary};
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};

use crate::AppState;
use crate::error::{CmdResult, IpcError};

/// The sync account (never its password); `null` when there is none.
#[tauri::command(async)]
pub fn get_sync_account(state: State<'_, AppState>) -> CmdResult<Option<SyncAccount>> {
    state.with(|lib| lib.sync_account())
}

/// Adds (or replaces) the sync account after signing in with it; the password goes to the
/// keyring (`null`: `DUIZHAO_SYNC_PASSWORD` is used).
#[tauri::command]
pub async fn add_sync_account(
    state: State<'_, AppState>,
    kind: String,
    url: String,
    user: String,
    password: Option<String>,
) -> CmdResult<SyncAccount> {
    let account = state
        .handle()
        .add_sync_account(&kind, &url, &user, password.as_deref())
        .await
        .map_err(IpcError::from)?;
    // A new account syncs in the background at once.
    state.sync_background().wake();
    Ok(account)
}

/// Sets the minutes between background syncs (0 = only "Sync now"); answers with the account.
#[tauri::command(async)]
pub fn set_sync_interval(
    state: State<'_, AppState>,
    minutes: u32,
) -> CmdResult<Option<SyncAccount>> {
    let account = state.with(|lib| {
        lib.set_sync_interval_min(minutes)?;
        lib.sync_account()
    })?;
    state.sync_background().wake();
    Ok(account)
}

/// Removes the sync account (its feeds stay, as local ones).
#[tauri::command(async)]
pub fn remove_sync_account(state: State<'_, AppState>) -> CmdResult<()> {
    state.with(|lib| lib.remove_sync_account())
}

/// Syncs with the account's server, streaming each step to `on_progress` (the background
/// schedule counts it as its own last sync, and [`crate::sync::SYNC_FINISHED_EVENT`] follows).
#[tauri::command]
pub async fn sync_now<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    on_progress: Channel<SyncProgress>,
) -> CmdResult<SyncSummary> {
    // A closed window drops its channel; the sync still completes and is stored.
    let send = move |p: SyncProgress| drop(on_progress.send(p));
    crate::sync::run_sync(&app, state.handle(), state.sync_background(), send)
        .await
        .map_err(IpcError::from)
}
