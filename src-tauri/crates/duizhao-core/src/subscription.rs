//! Managing subscriptions and the library's refresh settings: what the reader can set on one
//! feed (title, folder, full text, its own refresh interval, cleaning rules), the library-wide
//! refresh settings with their allowed ranges, and which feeds are due for an automatic check.
//!
//! The clock is a parameter (`now_ms`) so the schedule is tested without waiting. The app's
//! background scheduler only calls `LibraryHandle::refresh(None, false, …)` every minute;
//! deciding which feeds that checks happens here, in [`is_due`].

use std::ops::RangeInclusive;

use serde::{Deserialize, Serialize};

use crate::error::{CoreError, Result};
use crate::feeds::{Feed, FeedSettings};
use crate::ingest::clean::CleanRules;
use crate::library::Library;
use crate::store::feeds as feed_store;

/// Allowed refresh intervals, in minutes (5 minutes to a week).
pub const INTERVAL_MIN_RANGE: RangeInclusive<i64> = 5..=10_080;
/// Allowed retention periods, in days (a day to ten years).
pub const RETENTION_DAYS_RANGE: RangeInclusive<i64> = 1..=3_650;
/// Allowed numbers of feeds checked at once.
pub const CONCURRENCY_RANGE: RangeInclusive<usize> = 1..=16;
/// Most cleaning rules on one feed.
pub const MAX_RULES: usize = 50;
/// Longest cleaning rule (one CSS selector), in characters.
pub const MAX_RULE_CHARS: usize = 500;
/// Longest folder name, in characters.
const MAX_FOLDER_CHARS: usize = 200;
/// Longest title the reader can set, in characters.
const MAX_TITLE_CHARS: usize = 1000;

/// Allowed largest feed or page, in bytes (64 KiB to 512 MiB).
const FEED_BYTES_RANGE: RangeInclusive<usize> = 64 * 1024..=512 * 1024 * 1024;
/// Allowed largest image, in bytes (1 KiB to 256 MiB).
const IMAGE_BYTES_RANGE: RangeInclusive<usize> = 1024..=256 * 1024 * 1024;
/// Allowed silence from a server, in milliseconds (0.1 s to 10 min).
const IDLE_TIMEOUT_RANGE: RangeInclusive<u64> = 100..=600_000;
/// Allowed time for one whole fetch, in milliseconds (0.1 s to 1 h).
const TOTAL_TIMEOUT_RANGE: RangeInclusive<u64> = 100..=3_600_000;

/// The cleaning every feed gets whatever its rules say, as the feed dialog describes it.
pub const BUILTIN_RULES: &[&str] = &[
    "Full-text feed services' promotional footers (such as feedx's) are removed.",
    "Images behind image proxies are shown from their original address.",
];

/// What the reader can set on one feed; the feed dialog and `dz feed set` read it, change
/// what they need and write it back whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FeedOptions {
    /// The title shown.
    pub title: String,
    /// True when the reader chose the title; false when it follows the feed's own (a refresh
    /// updates it). Saving with false (or an empty title) goes back to the feed's own title.
    pub custom_title: bool,
    /// Folder name; `None` (or empty) = top level.
    pub folder: Option<String>,
    /// Fetch each item's page and extract the full text when items are only summaries.
    pub full_text: bool,
    /// This feed's own refresh interval in minutes; `None` = the library default.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub interval_min: Option<i64>,
    /// CSS selectors of elements removed from this feed's new articles before sanitizing.
    pub remove: Vec<String>,
    /// Translate this feed's new articles into this language (BCP-47, one of the languages
    /// the app offers) after each refresh; `None` = off. See [`crate::auto_translate`].
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
    pub auto_translate: Option<String>,
    /// The cleaning every feed gets, always on (read only: ignored when saving).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional, as = "Option<Vec<String>>"))]
    pub builtin: Vec<String>,
}

/// Whether a feed last checked at `last_checked_ms` (never: `None`) is due for a check at
/// `now_ms`, with `interval_min` minutes between checks. A check recorded in the future (the
/// clock went back) counts as due rather than waiting for the clock to catch up.
pub fn is_due(last_checked_ms: Option<i64>, interval_min: i64, now_ms: i64) -> bool {
    let Some(last) = last_checked_ms else {
        return true;
    };
    let elapsed = now_ms.saturating_sub(last);
    elapsed < 0 || elapsed >= interval_min.saturating_mul(60_000)
}

fn out_of_range<T: std::fmt::Display>(
    what: &str,
    range: &RangeInclusive<T>,
    unit: &str,
    got: impl std::fmt::Display,
) -> CoreError {
    CoreError::InvalidInput(format!(
        "{what} must be between {} and {} {unit} (got {got})",
        range.start(),
        range.end()
    ))
}

fn check<T: PartialOrd + std::fmt::Display + Copy>(
    what: &str,
    range: &RangeInclusive<T>,
    unit: &str,
    value: T,
) -> Result<()> {
    if range.contains(&value) {
        Ok(())
    } else {
        Err(out_of_range(what, range, unit, value))
    }
}

/// Checks a refresh interval in minutes (`None` = the default, always fine).
pub fn check_interval(interval_min: Option<i64>) -> Result<()> {
    interval_min.map_or(Ok(()), |m| {
        check("the refresh interval", &INTERVAL_MIN_RANGE, "minutes", m)
    })
}

/// Cleans and checks cleaning rules: selectors are trimmed, blanks and repeats dropped, and
/// each must be a CSS selector (so a typo is reported now, not silently skipped later).
fn checked_rules(selectors: &[String]) -> Result<CleanRules> {
    let mut remove: Vec<String> = Vec::new();
    for sel in selectors.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        if sel.chars().count() > MAX_RULE_CHARS {
            return Err(CoreError::InvalidInput(format!(
                "a cleaning rule is longer than {MAX_RULE_CHARS} characters"
            )));
        }
        // The parser's own message spans lines and speaks to developers: name the rule only.
        if scraper::Selector::parse(sel).is_err() {
            return Err(CoreError::InvalidInput(format!(
                "`{sel}` is not a CSS selector (such as `.share`, `aside` or `div.related > a`)"
            )));
        }
        if !remove.iter().any(|r| r == sel) {
            remove.push(sel.to_string());
        }
    }
    if remove.len() > MAX_RULES {
        return Err(CoreError::InvalidInput(format!(
            "a feed has at most {MAX_RULES} cleaning rules (got {})",
            remove.len()
        )));
    }
    Ok(CleanRules { remove })
}

/// [`checked_rules`] as stored with the feed: JSON, or `None` when there are no rules.
pub fn checked_rules_json(selectors: &[String]) -> Result<Option<String>> {
    let rules = checked_rules(selectors)?;
    (!rules.is_empty())
        .then(|| serde_json::to_string(&rules))
        .transpose()
        .map_err(|e| CoreError::InvalidInput(e.to_string()))
}

impl FeedSettings {
    /// Checks every value against its allowed range; the error names the setting and the range.
    pub fn validate(&self) -> Result<()> {
        check(
            "interval_min (default refresh interval)",
            &INTERVAL_MIN_RANGE,
            "minutes",
            self.interval_min,
        )?;
        check(
            "concurrency (feeds checked at once)",
            &CONCURRENCY_RANGE,
            "feeds",
            self.concurrency,
        )?;
        if let Some(days) = self.retention_days {
            check("retention_days", &RETENTION_DAYS_RANGE, "days", days)?;
        }
        check(
            "max_feed_bytes",
            &FEED_BYTES_RANGE,
            "bytes",
            self.max_feed_bytes,
        )?;
        check(
            "max_image_bytes",
            &IMAGE_BYTES_RANGE,
            "bytes",
            self.max_image_bytes,
        )?;
        check(
            "idle_timeout_ms",
            &IDLE_TIMEOUT_RANGE,
            "ms",
            self.idle_timeout_ms,
        )?;
        check(
            "total_timeout_ms",
            &TOTAL_TIMEOUT_RANGE,
            "ms",
            self.total_timeout_ms,
        )
    }

    /// Sets one setting from text, as `dz settings KEY=VALUE` takes it: `interval_min`
    /// (minutes), `retention_days` (days; `0`, `none` or `off` = keep everything),
    /// `download_images` (`on`/`off`, `true`/`false`, `yes`/`no`, `1`/`0`) or `concurrency`.
    /// Ranges are checked by [`FeedSettings::validate`] when the settings are saved.
    pub fn set(&mut self, key: &str, value: &str) -> Result<()> {
        let value = value.trim();
        let number = |what: &str| {
            value.parse::<i64>().map_err(|_| {
                CoreError::InvalidInput(format!("{what} takes a whole number, not `{value}`"))
            })
        };
        match key.trim() {
            "interval_min" => self.interval_min = number("interval_min")?,
            "concurrency" => {
                self.concurrency = usize::try_from(number("concurrency")?)
                    .map_err(|_| out_of_range("concurrency", &CONCURRENCY_RANGE, "feeds", value))?
            }
            "retention_days" => {
                self.retention_days = match value.to_ascii_lowercase().as_str() {
                    "none" | "off" | "0" => None,
                    _ => Some(number("retention_days")?),
                }
            }
            "download_images" => self.download_images = parse_switch("download_images", value)?,
            other => {
                return Err(CoreError::InvalidInput(format!(
                    "unknown setting `{other}` (interval_min, retention_days, download_images, concurrency)"
                )));
            }
        }
        Ok(())
    }
}

/// Parses an on/off switch: `on`/`off`, `true`/`false`, `yes`/`no`, `1`/`0`.
pub fn parse_switch(what: &str, value: &str) -> Result<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "on" | "true" | "yes" | "1" => Ok(true),
        "off" | "false" | "no" | "0" => Ok(false),
        _ => Err(CoreError::InvalidInput(format!(
            "{what} is on or off, not `{value}`"
        ))),
    }
}

impl Library {
    /// Everything the reader can set on feed `id`: title, folder, full text, its own refresh
    /// interval, cleaning rules and auto-translation, with the built-in rules described.
    pub fn feed_options(&self, id: i64) -> Result<FeedOptions> {
        let feed = self.store().feed(id)?;
        let custom_title = self.store().feed_has_custom_title(id)?;
        let state = self
            .store()
            .feed_states(Some(id))?
            .into_iter()
            .next()
            .ok_or_else(|| CoreError::InvalidInput(format!("no feed with id {id}")))?;
        Ok(FeedOptions {
            title: feed.title,
            custom_title,
            folder: feed.folder,
            full_text: feed.full_text,
            interval_min: state.interval_min,
            remove: CleanRules::from_json(state.rules.as_deref()).remove,
            auto_translate: self.store().feed_auto_translate(id)?,
            builtin: BUILTIN_RULES.iter().map(|r| r.to_string()).collect(),
        })
    }

    /// Saves everything the reader can set on feed `id` in one transaction, after checking it
    /// all (an invalid selector or interval changes nothing). New rules apply to articles
    /// fetched from now on. Returns the feed as the sidebar shows it.
    pub fn set_feed_options(&mut self, id: i64, options: &FeedOptions) -> Result<Feed> {
        check_interval(options.interval_min)?;
        let rules_json = checked_rules_json(&options.remove)?;
        let auto_translate =
            crate::auto_translate::check_target(options.auto_translate.as_deref())?;
        let title = options.title.trim();
        let title = (options.custom_title && !title.is_empty())
            .then(|| title.chars().take(MAX_TITLE_CHARS).collect::<String>());
        let folder = options
            .folder
            .as_deref()
            .map(str::trim)
            .filter(|f| !f.is_empty());
        if folder.is_some_and(|f| f.chars().count() > MAX_FOLDER_CHARS) {
            return Err(CoreError::InvalidInput(format!(
                "a folder name is at most {MAX_FOLDER_CHARS} characters"
            )));
        }
        let before = self.store().feed_auto_translate(id)?;
        self.store_mut().write(|tx| {
            feed_store::update_options(
                tx,
                id,
                title.as_deref(),
                folder,
                options.full_text,
                options.interval_min,
                rules_json.as_deref(),
            )?;
            feed_store::set_auto_translate(tx, id, auto_translate.as_deref())?;
            if auto_translate.is_some() && auto_translate != before {
                // Turned on (or to another language): the reader expects the articles in
                // front of them too, not only the next ones; the newest unread are queued.
                crate::auto_translate::enqueue_unread(tx, id)?;
            }
            Ok(())
        })?;
        self.store().feed(id)
    }

    /// The feeds due for an automatic check at `now_ms` (ms since the epoch), by id: those
    /// never checked and those whose interval (their own, else the default) has passed.
    pub fn due_feeds(&self, now_ms: i64) -> Result<Vec<i64>> {
        let default = self.feed_settings()?.interval_min;
        Ok(self
            .store()
            .feed_states(None)?
            .into_iter()
            .filter(|s| is_due(s.last_checked_ms, s.interval_min.unwrap_or(default), now_ms))
            .map(|s| s.id)
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: i64 = 60_000;

    fn library_with_feeds(n: usize) -> (Library, Vec<i64>) {
        let mut lib = Library::open_in_memory().unwrap();
        let ids = lib
            .store_mut()
            .write(|tx| {
                (0..n)
                    .map(|i| {
                        feed_store::insert_feed(
                            tx,
                            &format!("https://example.com/{i}.xml"),
                            &format!("Feed {i}"),
                            None,
                            None,
                        )
                        .map(|(id, _)| id)
                    })
                    .collect::<Result<Vec<_>>>()
            })
            .unwrap();
        (lib, ids)
    }

    fn checked_at(lib: &Library, id: i64, ms: i64) {
        lib.store()
            .conn()
            .execute(
                "UPDATE feeds SET last_checked_ms = ?2 WHERE id = ?1",
                [id, ms],
            )
            .unwrap();
    }

    #[test]
    fn a_feed_is_due_when_never_checked_or_its_interval_has_passed() {
        let t = 1_700_000_000_000;
        assert!(is_due(None, 60, t), "never checked");
        assert!(!is_due(Some(t), 60, t), "just checked");
        assert!(
            !is_due(Some(t), 60, t + 60 * MIN - 1),
            "a millisecond early"
        );
        assert!(is_due(Some(t), 60, t + 60 * MIN), "exactly on time");
        assert!(is_due(Some(t + 5 * MIN), 60, t), "checked in the future");
        assert!(!is_due(Some(t), i64::MAX, t + 1), "no overflow");
    }

    #[test]
    fn due_feeds_follow_each_feeds_interval_else_the_default_at_an_injected_time() {
        let (mut lib, ids) = library_with_feeds(4);
        let t = 1_700_000_000_000;
        let mut s = lib.feed_settings().unwrap();
        s.interval_min = 60;
        lib.set_feed_settings(&s).unwrap();
        // 0: never checked; 1: default (60) interval; 2: own 15-minute interval; 3: own 1 day.
        checked_at(&lib, ids[1], t);
        checked_at(&lib, ids[2], t);
        checked_at(&lib, ids[3], t);
        for (id, minutes) in [(ids[2], 15), (ids[3], 1440)] {
            let mut o = lib.feed_options(id).unwrap();
            o.interval_min = Some(minutes);
            lib.set_feed_options(id, &o).unwrap();
        }
        assert_eq!(lib.due_feeds(t + MIN).unwrap(), vec![ids[0]]);
        assert_eq!(lib.due_feeds(t + 15 * MIN).unwrap(), vec![ids[0], ids[2]]);
        assert_eq!(
            lib.due_feeds(t + 60 * MIN).unwrap(),
            vec![ids[0], ids[1], ids[2]]
        );
        assert_eq!(lib.due_feeds(t + 1440 * MIN).unwrap(), ids);
        // Back to the default: feed 3 now waits 60 minutes like feed 1.
        let mut o = lib.feed_options(ids[3]).unwrap();
        o.interval_min = None;
        lib.set_feed_options(ids[3], &o).unwrap();
        assert_eq!(lib.due_feeds(t + 60 * MIN).unwrap(), ids);
    }

    #[test]
    fn feed_options_round_trip_and_are_saved_whole_or_not_at_all() {
        let (mut lib, ids) = library_with_feeds(1);
        let id = ids[0];
        let o = lib.feed_options(id).unwrap();
        assert_eq!(
            (
                o.title.as_str(),
                o.custom_title,
                o.folder.clone(),
                o.full_text
            ),
            ("Feed 0", false, None, false)
        );
        assert_eq!((o.interval_min, o.remove.len()), (None, 0));
        assert_eq!(o.builtin.len(), BUILTIN_RULES.len());

        let wanted = FeedOptions {
            title: "  My news ".into(),
            custom_title: true,
            folder: Some(" 臺灣 ".into()),
            full_text: true,
            interval_min: Some(30),
            remove: vec![
                " .share ".into(),
                "aside".into(),
                "".into(),
                ".share".into(),
            ],
            auto_translate: Some("zh-TW".into()),
            builtin: vec![],
        };
        let feed = lib.set_feed_options(id, &wanted).unwrap();
        assert_eq!(
            (feed.title.as_str(), feed.folder.as_deref(), feed.full_text),
            ("My news", Some("臺灣"), true)
        );
        let o = lib.feed_options(id).unwrap();
        assert!(o.custom_title);
        assert_eq!(o.interval_min, Some(30));
        assert_eq!(o.auto_translate.as_deref(), Some("zh-Hant"), "canonical");
        assert_eq!(
            o.remove,
            [".share", "aside"],
            "trimmed, blanks and repeats dropped"
        );

        // Invalid input is refused with a clear message and changes nothing.
        for (bad, needle) in [
            (
                FeedOptions {
                    remove: vec!["[[oops".into()],
                    ..o.clone()
                },
                "not a CSS selector",
            ),
            (
                FeedOptions {
                    interval_min: Some(1),
                    ..o.clone()
                },
                "between 5 and 10080 minutes",
            ),
            (
                FeedOptions {
                    remove: (0..=MAX_RULES).map(|i| format!(".c{i}")).collect(),
                    ..o.clone()
                },
                "at most 50 cleaning rules",
            ),
            (
                FeedOptions {
                    auto_translate: Some("tlh".into()),
                    ..o.clone()
                },
                "auto-translate takes one of en, zh-Hans",
            ),
        ] {
            let err = lib.set_feed_options(id, &bad).unwrap_err();
            assert_eq!(err.code(), crate::ErrorCode::InvalidInput);
            assert!(err.to_string().contains(needle), "{err}");
            assert_eq!(lib.feed_options(id).unwrap(), o, "nothing changed");
        }
        let err = lib.set_feed_options(999, &o).unwrap_err();
        assert!(err.to_string().contains("no feed with id 999"), "{err}");

        // An empty title (or custom_title false) follows the feed's own title again.
        let back = FeedOptions {
            title: String::new(),
            folder: None,
            remove: vec![],
            auto_translate: Some("off".into()),
            ..o
        };
        let feed = lib.set_feed_options(id, &back).unwrap();
        assert_eq!(feed.folder, None);
        let o = lib.feed_options(id).unwrap();
        assert!(!o.custom_title);
        assert!(o.remove.is_empty());
        assert_eq!(o.auto_translate, None, "off turns it off");
    }

    #[test]
    fn settings_are_checked_in_the_core_and_parsed_from_key_value_text() {
        let mut lib = Library::open_in_memory().unwrap();
        let mut s = lib.feed_settings().unwrap();
        s.set("interval_min", "30").unwrap();
        s.set("retention_days", "14").unwrap();
        s.set("download_images", "off").unwrap();
        s.set("concurrency", "8").unwrap();
        lib.set_feed_settings(&s).unwrap();
        let stored = lib.feed_settings().unwrap();
        assert_eq!(
            (
                stored.interval_min,
                stored.retention_days,
                stored.download_images,
                stored.concurrency
            ),
            (30, Some(14), false, 8)
        );
        for off in ["0", "none", "OFF"] {
            s.set("retention_days", off).unwrap();
            assert_eq!(s.retention_days, None, "{off}");
        }
        for (key, value, needle) in [
            ("interval_min", "soon", "whole number"),
            ("download_images", "maybe", "on or off"),
            ("colour", "red", "unknown setting `colour`"),
            ("concurrency", "-1", "between 1 and 16"),
        ] {
            let err = s.clone().set(key, value).unwrap_err();
            assert!(err.to_string().contains(needle), "{key}={value}: {err}");
        }
        for (tweak, needle) in [
            (
                (|s: &mut FeedSettings| s.interval_min = 0) as fn(&mut FeedSettings),
                "interval_min (default refresh interval) must be between 5 and 10080 minutes (got 0)",
            ),
            (|s| s.concurrency = 0, "between 1 and 16 feeds"),
            (|s| s.concurrency = 100, "between 1 and 16 feeds"),
            (
                |s| s.retention_days = Some(0),
                "retention_days must be between 1 and 3650 days",
            ),
            (|s| s.idle_timeout_ms = 0, "idle_timeout_ms"),
            (|s| s.max_feed_bytes = 10, "max_feed_bytes"),
        ] {
            let mut bad = stored.clone();
            tweak(&mut bad);
            let err = lib.set_feed_settings(&bad).unwrap_err();
            assert_eq!(err.code(), crate::ErrorCode::InvalidInput);
            assert!(err.to_string().contains(needle), "{err}");
            assert_eq!(lib.feed_settings().unwrap(), stored, "nothing saved");
        }
    }

    #[test]
    fn a_refresh_waits_while_another_one_runs() {
        use std::future::Future;
        use std::task::{Context, Poll, Waker};
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let handle = crate::LibraryHandle::new(Library::open_in_memory().unwrap());
        rt.block_on(async {
            let running = handle.refresh_lock().lock().await;
            let mut second = std::pin::pin!(handle.refresh(None, false, |_| {}));
            let mut cx = Context::from_waker(Waker::noop());
            // With nothing to check, a refresh finishes on its first poll unless it waits.
            assert!(
                second.as_mut().poll(&mut cx).is_pending(),
                "a second refresh must wait for the running one"
            );
            drop(running);
            match second.as_mut().poll(&mut cx) {
                Poll::Ready(summary) => assert_eq!(summary.unwrap().feeds, 0),
                Poll::Pending => panic!("the refresh goes on once the first one is done"),
            }
        });
    }

    #[test]
    fn the_older_rules_setter_checks_its_input_too() {
        let (mut lib, ids) = library_with_feeds(1);
        let bad = CleanRules {
            remove: vec!["div >".into()],
        };
        assert!(lib.set_feed_rules(ids[0], &bad, None).is_err());
        assert!(
            lib.set_feed_rules(ids[0], &CleanRules::default(), Some(0))
                .is_err()
        );
        let good = CleanRules {
            remove: vec![".ad".into()],
        };
        lib.set_feed_rules(ids[0], &good, Some(20)).unwrap();
        let o = lib.feed_options(ids[0]).unwrap();
        assert_eq!(
            (o.remove, o.interval_min),
            (vec![".ad".to_string()], Some(20))
        );
    }
}
