//! Background sync: the thin layer that runs the core's decisions
//! (`duizhao_core::services::sync_schedule`) on a timer. It syncs at start, every N minutes
//! (Settings → Sync; 0 = off) and shortly after the reader changed something the server must
//! hear of, never while another sync runs; each end is announced to the webview
//! ([`SYNC_FINISHED_EVENT`]) so the sidebar and the settings show the last sync's time and
//! result. No decision is made here: the core's scheduler says when, the core syncs.

use std::sync::Mutex;
use std::time::Duration;

use duizhao_core::services::sync_schedule::{SyncDecision, SyncScheduler};
use duizhao_core::support::time::now_ms;
use duizhao_core::{CoreError, LibraryHandle, SyncProgress, SyncSummary};
use tauri::{Emitter, Manager, Runtime};
use tokio::sync::Notify;

use crate::{AppState, LIBRARY_CHANGED_EVENT};

/// Event sent to the webview when a sync (background or "Sync now") ended, with the account
/// as `get_sync_account` gives it (last sync time, result or failure, changes waiting).
pub const SYNC_FINISHED_EVENT: &str = "sync-finished";

/// The scheduler's memory for this session and the bell that wakes the background task.
#[derive(Default)]
pub struct SyncBackground {
    scheduler: Mutex<SyncScheduler>,
    wake: Notify,
}

impl SyncBackground {
    /// The reader changed something the server must hear of (read, star, mark all read, a
    /// feed edit): a sync follows shortly.
    pub fn changed(&self) {
        self.with(|s| s.changed(now_ms()));
        self.wake.notify_one();
    }

    /// Something the schedule depends on changed (the account, the interval): decide again.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    fn with<T>(&self, f: impl FnOnce(&mut SyncScheduler) -> T) -> T {
        f(&mut self.scheduler.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

/// Syncs through the core, telling the scheduler when it started and ended and the webview
/// how it went (and, when articles or their state changed, that the library changed).
pub async fn run_sync<R: Runtime>(
    app: &tauri::AppHandle<R>,
    library: &LibraryHandle,
    background: &SyncBackground,
    progress: impl FnMut(SyncProgress) + Send,
) -> Result<SyncSummary, CoreError> {
    background.with(|s| s.started(now_ms()));
    let result = library.sync(progress).await;
    background.with(|s| s.finished(now_ms(), result.is_ok()));
    if let Ok(account) = library.with(|lib| lib.sync_account()) {
        let _ = app.emit(SYNC_FINISHED_EVENT, &account);
    }
    if let Ok(summary) = &result
        && (summary.new > 0 || summary.updated > 0 || summary.feeds > 0)
    {
        let _ = app.emit(
            LIBRARY_CHANGED_EVENT,
            duizhao_core::RefreshSummary::default(),
        );
    }
    if let Ok(summary) = &result
        && summary.new > 0
    {
        // The new articles' Latin-script languages come from the pass after the write.
        crate::detect_languages(app.clone(), library.clone());
    }
    // A sync asked for meanwhile, or changes made during this one, are decided on now.
    background.wake();
    result
}

/// One turn of the background task at `now` (ms since the epoch): asks the core's scheduler,
/// and syncs when it says so. Returns the decision. Failures are reported through the event
/// and stored on the account, as for "Sync now".
pub async fn sync_if_due<R: Runtime>(app: &tauri::AppHandle<R>, now: i64) -> SyncDecision {
    let state = app.state::<AppState>();
    let library = state.handle();
    let background = state.sync_background();
    let (interval, has_account) = library
        .with(|lib| Ok((lib.sync_interval_min()?, lib.sync_account()?.is_some())))
        .unwrap_or((0, false));
    let decision = background.with(|s| s.decide(now, interval, has_account, library.is_syncing()));
    if decision == SyncDecision::Now
        && let Err(e) = run_sync(app, library, background, |_| {}).await
    {
        eprintln!("duizhao: background sync: {e}");
    }
    decision
}

/// Runs [`sync_if_due`] for as long as the app runs, sleeping until the scheduler's next time
/// or until woken (a change, a new setting, the end of a sync). Not started with
/// `DUIZHAO_OFFLINE`.
pub fn start_background_sync<R: Runtime>(app: tauri::AppHandle<R>) {
    tauri::async_runtime::spawn(async move {
        loop {
            let decision = sync_if_due(&app, now_ms()).await;
            let state = app.state::<AppState>();
            let wake = state.sync_background().wake.notified();
            match decision {
                SyncDecision::Now => continue,
                SyncDecision::At(t) => {
                    let wait = Duration::from_millis(u64::try_from(t - now_ms()).unwrap_or(0));
                    tokio::select! {
                        () = tokio::time::sleep(wait) => {}
                        () = wake => {}
                    }
                }
                SyncDecision::Idle => wake.await,
            }
        }
    });
}
