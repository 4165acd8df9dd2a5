//! When the app syncs on its own: at start, every N minutes (the library's setting; 0 turns
//! background sync off), and shortly after the reader changed something the server must hear
//! of (debounced, so reading ten articles in a row is one sync), never while a sync runs, and
//! after a failure not again for a while just because more changes came. Pure: the clock is
//! passed in, so the decisions are tested without waiting; the app's thin layer sleeps until
//! the time it is given and reports what happened.

/// The background interval a new library gets, minutes.
pub const DEFAULT_SYNC_INTERVAL_MIN: u32 = 30;
/// The longest background interval accepted, minutes (a day).
pub const MAX_SYNC_INTERVAL_MIN: u32 = 1440;
/// How long after the reader's last change the sync starts (more changes push it back).
pub const CHANGE_DEBOUNCE_MS: i64 = 10_000;
/// After a failed sync, changes wait at least this long before the next try (the interval
/// still applies when it is shorter).
pub const RETRY_AFTER_FAILURE_MS: i64 = 5 * 60_000;

/// What the scheduler should do now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncDecision {
    /// Start a sync now.
    Now,
    /// Nothing before this time (ms since the epoch), unless told of something new.
    At(i64),
    /// Nothing until told of something new (no account, background sync off, or a sync is
    /// running and will report its end).
    Idle,
}

/// What the scheduler knows; the app keeps one for the library it shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncScheduler {
    /// When the last sync (background or "Sync now") ended in this session.
    last_end_ms: Option<i64>,
    /// Whether it failed.
    last_failed: bool,
    /// When the last sync started.
    last_start_ms: Option<i64>,
    /// The reader's latest change not yet covered by a sync that started after it.
    pending_change_ms: Option<i64>,
}

impl SyncScheduler {
    /// A scheduler for a session that has not synced yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The reader changed something the server must hear of, at `now_ms`.
    pub fn changed(&mut self, now_ms: i64) {
        self.pending_change_ms = Some(now_ms);
    }

    /// A sync (background or asked for) started at `now_ms`.
    pub fn started(&mut self, now_ms: i64) {
        self.last_start_ms = Some(now_ms);
    }

    /// The sync that started last ended at `now_ms`. Changes made before it started were
    /// sent by it (or stay queued after a failure, to be retried); later ones are still due.
    pub fn finished(&mut self, now_ms: i64, ok: bool) {
        self.last_end_ms = Some(now_ms);
        self.last_failed = !ok;
        if let (Some(change), Some(start)) = (self.pending_change_ms, self.last_start_ms)
            && change <= start
        {
            self.pending_change_ms = None;
        }
    }

    /// What to do at `now_ms`, given the setting (`interval_min`, 0 = off), whether an
    /// account is set and whether a sync is running.
    pub fn decide(
        &self,
        now_ms: i64,
        interval_min: u32,
        has_account: bool,
        running: bool,
    ) -> SyncDecision {
        if !has_account || interval_min == 0 || running {
            return SyncDecision::Idle;
        }
        let Some(last_end) = self.last_end_ms else {
            // Not synced in this session: the start-up sync.
            return SyncDecision::Now;
        };
        let interval_ms = i64::from(interval_min.min(MAX_SYNC_INTERVAL_MIN)) * 60_000;
        let mut due = last_end.saturating_add(interval_ms);
        if let Some(change) = self.pending_change_ms {
            let mut after_change = change.saturating_add(CHANGE_DEBOUNCE_MS);
            if self.last_failed {
                after_change = after_change.max(last_end.saturating_add(RETRY_AFTER_FAILURE_MS));
            }
            due = due.min(after_change);
        }
        if due <= now_ms {
            SyncDecision::Now
        } else {
            SyncDecision::At(due)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: i64 = 1_800_000_000_000;
    const MIN: i64 = 60_000;

    #[test]
    fn the_first_sync_of_a_session_is_at_once_and_then_every_interval() {
        let mut s = SyncScheduler::new();
        assert_eq!(
            s.decide(T, 30, true, false),
            SyncDecision::Now,
            "start-up sync"
        );
        s.started(T);
        s.finished(T + 5_000, true);
        assert_eq!(
            s.decide(T + 6_000, 30, true, false),
            SyncDecision::At(T + 5_000 + 30 * MIN),
            "the interval counts from the end of the last sync"
        );
        assert_eq!(
            s.decide(T + 5_000 + 30 * MIN, 30, true, false),
            SyncDecision::Now
        );
        assert_eq!(
            s.decide(T + 6_000, 5, true, false),
            SyncDecision::At(T + 5_000 + 5 * MIN),
            "a new setting applies at once"
        );
    }

    #[test]
    fn nothing_happens_without_an_account_when_off_or_while_a_sync_runs() {
        let s = SyncScheduler::new();
        assert_eq!(s.decide(T, 30, false, false), SyncDecision::Idle);
        assert_eq!(s.decide(T, 0, true, false), SyncDecision::Idle, "0 = off");
        assert_eq!(
            s.decide(T, 30, true, true),
            SyncDecision::Idle,
            "never two syncs at once"
        );
    }

    #[test]
    fn changes_made_here_are_synced_shortly_after_the_last_one() {
        let mut s = SyncScheduler::new();
        s.started(T);
        s.finished(T + 1_000, true);
        s.changed(T + 60_000);
        assert_eq!(
            s.decide(T + 60_000, 30, true, false),
            SyncDecision::At(T + 60_000 + CHANGE_DEBOUNCE_MS)
        );
        s.changed(T + 65_000);
        assert_eq!(
            s.decide(T + 65_000, 30, true, false),
            SyncDecision::At(T + 65_000 + CHANGE_DEBOUNCE_MS),
            "each change pushes the sync back: a run of reads is one sync"
        );
        let start = T + 75_000;
        assert_eq!(s.decide(start, 30, true, false), SyncDecision::Now);
        s.started(start);
        s.changed(start + 500); // made while the sync ran: not sent by it
        s.finished(start + 2_000, true);
        assert_eq!(
            s.decide(start + 2_000, 30, true, false),
            SyncDecision::At(start + 500 + CHANGE_DEBOUNCE_MS),
            "a change made during a sync gets its own"
        );
        s.started(start + 10_500);
        s.finished(start + 11_000, true);
        assert_eq!(
            s.decide(start + 11_000, 30, true, false),
            SyncDecision::At(start + 11_000 + 30 * MIN),
            "all sent: back to the interval"
        );
    }

    #[test]
    fn after_a_failure_changes_wait_before_the_next_try() {
        let mut s = SyncScheduler::new();
        s.started(T);
        s.changed(T - 1);
        s.finished(T + 1_000, false);
        s.changed(T + 2_000);
        assert_eq!(
            s.decide(T + 2_000, 30, true, false),
            SyncDecision::At(T + 1_000 + RETRY_AFTER_FAILURE_MS),
            "a server that is down is not asked again at every click"
        );
        assert_eq!(
            s.decide(T + 2_000, 1, true, false),
            SyncDecision::At(T + 1_000 + MIN),
            "a shorter interval still applies"
        );
    }
}
