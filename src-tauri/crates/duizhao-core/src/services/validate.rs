//! What the reader can set, checked in one place: the library's refresh settings and one
//! feed's options, with their allowed ranges, and which feeds are due for an automatic check.
//! Pure: the clock is a parameter (`now_ms`), so the schedule is tested without waiting. Both
//! faces (the app's dialogs, `dz feed set` / `dz settings`) get the same checks and messages.

use std::ops::RangeInclusive;

use crate::error::{CoreError, Result};
use crate::model::{FeedOptions, FeedSettings};
use crate::services::ingest::clean::CleanRules;

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
pub const MAX_FOLDER_CHARS: usize = 200;
/// Longest title, in characters (the reader's or a feed's).
pub const MAX_TITLE_CHARS: usize = 1000;

/// Allowed largest feed or page, in bytes (64 KiB to 512 MiB).
const FEED_BYTES_RANGE: RangeInclusive<usize> = 64 * 1024..=512 * 1024 * 1024;
/// Allowed largest image, in bytes (1 KiB to 256 MiB).
const IMAGE_BYTES_RANGE: RangeInclusive<usize> = 1024..=256 * 1024 * 1024;
/// Allowed silence from a server, in milliseconds (0.1 s to 10 min).
const IDLE_TIMEOUT_RANGE: RangeInclusive<u64> = 100..=600_000;
/// Allowed time for one whole fetch, in milliseconds (0.1 s to 1 h).
const TOTAL_TIMEOUT_RANGE: RangeInclusive<u64> = 100..=3_600_000;
/// Allowed new items per feed and refresh.
pub const ITEMS_PER_REFRESH_RANGE: RangeInclusive<usize> = 1..=10_000;
/// Allowed picture bytes per feed and refresh (1 MiB to 2 GiB).
const FEED_IMAGE_BYTES_RANGE: RangeInclusive<usize> = 1024 * 1024..=2048 * 1024 * 1024;
/// Allowed time per feed, in milliseconds (1 s to 1 h).
const FEED_DEADLINE_RANGE: RangeInclusive<u64> = 1_000..=3_600_000;
/// Allowed auto-translation budgets, in characters.
const AUTO_TRANSLATE_CHARS_RANGE: RangeInclusive<usize> = 1_000..=10_000_000;

/// The cleaning every feed gets whatever its rules say, as the feed dialog describes it.
pub const BUILTIN_RULES: &[&str] = &[
    "Full-text feed services' promotional footers (such as feedx's) are removed.",
    "Images behind image proxies are shown from their original address.",
];

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
pub fn checked_rules(selectors: &[String]) -> Result<CleanRules> {
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
        )?;
        check(
            "max_items_per_refresh",
            &ITEMS_PER_REFRESH_RANGE,
            "items",
            self.max_items_per_refresh,
        )?;
        check(
            "max_image_bytes_per_feed",
            &FEED_IMAGE_BYTES_RANGE,
            "bytes",
            self.max_image_bytes_per_feed,
        )?;
        check(
            "feed_deadline_ms",
            &FEED_DEADLINE_RANGE,
            "ms",
            self.feed_deadline_ms,
        )?;
        check(
            "auto_translate_max_article_chars",
            &AUTO_TRANSLATE_CHARS_RANGE,
            "characters",
            self.auto_translate_max_article_chars,
        )?;
        check(
            "auto_translate_max_pass_chars",
            &AUTO_TRANSLATE_CHARS_RANGE,
            "characters",
            self.auto_translate_max_pass_chars,
        )
    }

    /// Sets one setting from text, as `dz settings KEY=VALUE` takes it: `interval_min`
    /// (minutes), `retention_days` (days; `0`, `none` or `off` = keep everything),
    /// `download_images` (`on`/`off`, `true`/`false`, `yes`/`no`, `1`/`0`), `concurrency`,
    /// `max_items_per_refresh`, `auto_translate_max_article_chars` or
    /// `auto_translate_max_pass_chars`. Ranges are checked by [`FeedSettings::validate`] when
    /// the settings are saved.
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
            key @ ("max_items_per_refresh"
            | "auto_translate_max_article_chars"
            | "auto_translate_max_pass_chars") => {
                let n = usize::try_from(number(key)?).map_err(|_| {
                    CoreError::InvalidInput(format!("{key} takes a positive number, not `{value}`"))
                })?;
                match key {
                    "max_items_per_refresh" => self.max_items_per_refresh = n,
                    "auto_translate_max_article_chars" => self.auto_translate_max_article_chars = n,
                    _ => self.auto_translate_max_pass_chars = n,
                }
            }
            other => {
                return Err(CoreError::InvalidInput(format!(
                    "unknown setting `{other}` (interval_min, retention_days, download_images, \
                     concurrency, max_items_per_refresh, auto_translate_max_article_chars, \
                     auto_translate_max_pass_chars)"
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

/// Checks an auto-translation target: `None`, empty or `off` turn it off; anything else must
/// be one of the languages the app offers (`en`, `zh-Hans`, …; case and region folded, so
/// `zh-TW` is `zh-Hant`). Returns the canonical tag.
pub fn check_target(target: Option<&str>) -> Result<Option<String>> {
    let Some(t) = target.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if t.eq_ignore_ascii_case("off") {
        return Ok(None);
    }
    duizhao_translate::lang::canonical(t)
        .map(|c| Some(c.to_string()))
        .ok_or_else(|| {
            CoreError::InvalidInput(format!(
                "auto-translate takes one of {} (or off), not `{t}`",
                duizhao_translate::lang::LANGUAGES.join(", ")
            ))
        })
}

/// A feed's options as they are saved: trimmed, clipped and checked. Nothing is saved when
/// one value is invalid.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedOptions {
    /// The reader's title (`None` = follow the feed's own).
    pub title: Option<String>,
    /// Folder (`None` = top level).
    pub folder: Option<String>,
    /// Full-text extraction.
    pub full_text: bool,
    /// Own refresh interval.
    pub interval_min: Option<i64>,
    /// Cleaning rules as stored (JSON), `None` when there are none.
    pub rules_json: Option<String>,
    /// Auto-translation target (canonical), `None` = off.
    pub auto_translate: Option<String>,
}

/// Checks everything the feed dialog or `dz feed set` sends.
pub fn check_options(options: &FeedOptions) -> Result<CheckedOptions> {
    check_interval(options.interval_min)?;
    let rules_json = checked_rules_json(&options.remove)?;
    let auto_translate = check_target(options.auto_translate.as_deref())?;
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
    Ok(CheckedOptions {
        title,
        folder: folder.map(str::to_string),
        full_text: options.full_text,
        interval_min: options.interval_min,
        rules_json,
        auto_translate,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_translation_targets_are_the_offered_languages_or_off() {
        assert_eq!(check_target(None).unwrap(), None);
        assert_eq!(check_target(Some(" ")).unwrap(), None);
        assert_eq!(check_target(Some("OFF")).unwrap(), None);
        assert_eq!(check_target(Some("en")).unwrap().as_deref(), Some("en"));
        assert_eq!(
            check_target(Some("zh-TW")).unwrap().as_deref(),
            Some("zh-Hant")
        );
        let err = check_target(Some("klingon")).unwrap_err();
        assert_eq!(err.code(), crate::ErrorCode::InvalidInput);
        assert!(err.to_string().contains("not `klingon`"), "{err}");
        assert!(err.to_string().contains("zh-Hans"), "{err}");
    }
}
