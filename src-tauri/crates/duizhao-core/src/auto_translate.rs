//! Per-feed auto-translation of new articles: the policy, in one place, for the app and `dz`.
//!
//! A feed can name a target language ([`crate::subscription::FeedOptions::auto_translate`]).
//! When a refresh stores new articles of such a feed, the newest [`MAX_PER_FEED`] of them are
//! queued in the same transaction (the rest are left for the reader to translate by hand: an
//! old feed's first big check must not cost hundreds of paid translations). After the refresh
//! the caller runs [`LibraryHandle::auto_translate_pending`], which works through the queue
//! newest first with the reader's provider chain (the same defaults as `dz translate` without
//! `--provider`), one article at a time, never holding the database while it waits.
//!
//! - Articles already in the target language (any Chinese script counts as Chinese: scripts
//!   are converted locally) are skipped without a request.
//! - A failure is recorded on the queued row (attempts, last error) and the article stays as
//!   it was; it is tried again after the next refresh, at most [`MAX_ATTEMPTS`] times in all,
//!   so a provider that is down for an hour costs nothing but a note, and one that never
//!   works is not asked forever.
//! - Two failures in a row end the pass (the chain is down or the key rejected: asking for
//!   every other article would only wait for the same error); what is left stays queued.
//! - A feed whose auto-translation was turned off drops its queued articles at the next pass;
//!   a feed switched to another language translates them into the new one.

use serde::{Deserialize, Serialize};

use duizhao_translate::CancellationToken;
use rusqlite::{Transaction, params};

use crate::error::{CoreError, Result};
use crate::handle::LibraryHandle;
use crate::library::Library;
use crate::translation::TranslateRequest;
use crate::view::ScriptChoice;

/// Most new articles of one feed queued by one refresh, newest first.
pub const MAX_PER_FEED: usize = 10;
/// Most tries of one article (each after a refresh) before it is left untranslated.
pub const MAX_ATTEMPTS: i64 = 3;
/// Failures in a row that end a pass.
const FAILURES_TO_STOP: u32 = 2;

/// What became of one queued article, streamed as the pass goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum AutoTranslateStatus {
    /// Its title and blocks were translated and stored.
    Translated,
    /// It is already in the target language: nothing to do.
    Skipped,
    /// The translation failed; the article is unchanged (see `error`).
    Failed,
}

/// One article of an auto-translation pass, done: the app's `translations-stored` event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AutoTranslateProgress {
    /// The article.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub article_id: i64,
    /// Its feed.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub feed_id: i64,
    /// The target language (BCP-47), as the feed names it.
    pub target: String,
    /// Articles done so far in this pass.
    pub done: u32,
    /// Articles queued when the pass started.
    pub total: u32,
    /// What happened.
    pub status: AutoTranslateStatus,
    /// Why it failed, in one line.
    pub error: Option<String>,
}

/// An article whose auto-translation failed in a pass.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AutoTranslateFailure {
    /// The article (still stored, untranslated).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub article_id: i64,
    /// Its feed.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub feed_id: i64,
    /// What went wrong, in one line.
    pub message: String,
}

/// What an auto-translation pass did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AutoTranslateSummary {
    /// Articles translated and stored.
    pub translated: u32,
    /// Articles already in the target language.
    pub skipped: u32,
    /// Articles that failed this time.
    pub failed: Vec<AutoTranslateFailure>,
    /// Articles still queued for a later pass (the pass stopped early or was cancelled).
    pub remaining: u32,
}

/// A queued article as a pass sees it.
#[derive(Debug, Clone, PartialEq)]
struct Queued {
    article_id: i64,
    feed_id: i64,
    target: Option<String>,
    lang: Option<String>,
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

/// Whether an article in `lang` needs no translation into `target`: the same language, with
/// every Chinese script counting as Chinese (scripts are converted locally) — the family the
/// translation memory files translations under ([`crate::translation::record_target`]).
fn already_in(lang: Option<&str>, target: &str) -> bool {
    let family = |l: &str| crate::translation::record_target(l).ok();
    match (lang.and_then(family), family(target)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

/// Least detector confidence for calling an article's language (as the engine's skip rule).
const DETECT_CONFIDENCE: f64 = 0.7;
/// Characters of an article (title first) the detector judges it by.
const DETECT_SAMPLE_CHARS: usize = 2000;

/// Queues the newest [`MAX_PER_FEED`] of `new` (article id, publication time in ms) when feed
/// `feed_id` auto-translates; runs in the transaction that stored them. Articles without a
/// date count as older than dated ones; among equals the feed's own order wins. Returns how
/// many were queued.
pub(crate) fn enqueue_new(
    tx: &Transaction<'_>,
    feed_id: i64,
    new: &[(i64, Option<i64>)],
) -> Result<usize> {
    if new.is_empty() {
        return Ok(0);
    }
    let on: Option<String> = tx
        .prepare_cached("SELECT auto_translate FROM feeds WHERE id = ?1")?
        .query_row([feed_id], |r| r.get(0))?;
    if on.is_none() {
        return Ok(0);
    }
    let mut newest = new.to_vec();
    // Stable: equal dates keep the feed's order (newest first in nearly every feed).
    newest.sort_by_key(|(_, published)| std::cmp::Reverse(published.unwrap_or(i64::MIN)));
    let now = chrono::Utc::now().timestamp_millis();
    let mut stmt = tx.prepare_cached(
        "INSERT OR IGNORE INTO auto_translations(article_id, queued_ms) VALUES (?1, ?2)",
    )?;
    let mut n = 0;
    for (id, _) in newest.iter().take(MAX_PER_FEED) {
        n += stmt.execute(params![id, now])?;
    }
    Ok(n)
}

/// Queues the newest [`MAX_PER_FEED`] unread articles of feed `feed_id` (when it
/// auto-translates), for a feed whose option was just turned on.
pub(crate) fn enqueue_unread(tx: &Transaction<'_>, feed_id: i64) -> Result<usize> {
    let unread: Vec<(i64, Option<i64>)> = tx
        .prepare_cached(
            "SELECT id, COALESCE(published_ms, added_ms) FROM articles
             WHERE feed_id = ?1 AND read = 0
             ORDER BY COALESCE(published_ms, added_ms) DESC, id DESC LIMIT ?2",
        )?
        .query_map(params![feed_id, MAX_PER_FEED as i64], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    enqueue_new(tx, feed_id, &unread)
}

impl Library {
    /// Articles waiting for auto-translation (fewer than [`MAX_ATTEMPTS`] tries so far),
    /// newest first, with their feed's current target (`None` = turned off since).
    fn auto_translate_queue(&self) -> Result<Vec<Queued>> {
        let mut stmt = self.store().conn().prepare_cached(
            "SELECT q.article_id, a.feed_id, f.auto_translate, a.lang
             FROM auto_translations q
             JOIN articles a ON a.id = q.article_id
             LEFT JOIN feeds f ON f.id = a.feed_id
             WHERE q.attempts < ?1
             ORDER BY COALESCE(a.published_ms, a.added_ms) DESC, q.article_id DESC",
        )?;
        let rows = stmt.query_map([MAX_ATTEMPTS], |r| {
            Ok(Queued {
                article_id: r.get(0)?,
                feed_id: r.get::<_, Option<i64>>(1)?.unwrap_or(0),
                target: r.get(2)?,
                lang: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Articles queued for auto-translation and not yet given up on.
    pub fn auto_translate_pending_count(&self) -> Result<u32> {
        Ok(self.store().conn().query_row(
            "SELECT COUNT(*) FROM auto_translations WHERE attempts < ?1",
            [MAX_ATTEMPTS],
            |r| r.get(0),
        )?)
    }

    fn auto_translate_done(&self, article_id: i64) -> Result<()> {
        self.store().conn().execute(
            "DELETE FROM auto_translations WHERE article_id = ?1",
            [article_id],
        )?;
        Ok(())
    }

    fn auto_translate_failed(&self, article_id: i64, message: &str) -> Result<()> {
        self.store().conn().execute(
            "UPDATE auto_translations SET attempts = attempts + 1, last_error = ?2
             WHERE article_id = ?1",
            params![article_id, message],
        )?;
        Ok(())
    }
}

impl LibraryHandle {
    /// The language of an article whose stored tag tells none (Latin-script text), from its
    /// title and first blocks; `None` when the detector is not sure.
    async fn detect_article(&self, id: i64) -> Result<Option<String>> {
        let article = match self.lock().article(id) {
            Ok(a) => a,
            Err(CoreError::ArticleNotFound(_)) => return Ok(None),
            Err(e) => return Err(e),
        };
        let mut sample = article.title;
        for b in article.blocks.iter().filter(|b| b.kind.is_textual()) {
            if sample.chars().count() >= DETECT_SAMPLE_CHARS {
                break;
            }
            sample.push('\n');
            sample.push_str(&b.text);
        }
        let detected =
            tokio::task::spawn_blocking(move || duizhao_translate::lang::detect(&sample))
                .await
                .ok()
                .flatten();
        Ok(detected
            .filter(|d| d.confidence >= DETECT_CONFIDENCE)
            .map(|d| d.lang.to_string()))
    }

    /// Works through the auto-translation queue (see the module docs for the policy):
    /// translates each queued article's title and blocks into its feed's target language,
    /// calling `progress` as each article is done. Failures are recorded and listed in the
    /// summary, not returned as errors (an `Err` means the database failed). `cancel` stops
    /// between articles and inside a running translation; what was finished is kept. One
    /// pass runs at a time per handle: a second one waits, then finds what is still queued.
    pub async fn auto_translate_pending(
        &self,
        mut progress: impl FnMut(AutoTranslateProgress) + Send,
        cancel: &CancellationToken,
    ) -> Result<AutoTranslateSummary> {
        let _one_at_a_time = self.auto_translate_lock().lock().await;
        let queue = self.lock().auto_translate_queue()?;
        let total = u32::try_from(queue.len()).unwrap_or(u32::MAX);
        let mut summary = AutoTranslateSummary::default();
        let (mut done, mut failures_in_a_row) = (0u32, 0u32);
        for q in queue {
            if cancel.is_cancelled() || failures_in_a_row >= FAILURES_TO_STOP {
                break;
            }
            let Some(target) = q.target.clone() else {
                // The feed no longer auto-translates (or is gone): nothing to do.
                self.lock().auto_translate_done(q.article_id)?;
                done += 1;
                continue;
            };
            let lang = match q
                .lang
                .as_deref()
                .filter(|l| duizhao_translate::lang::canonical(l).is_some())
            {
                Some(l) => Some(l.to_string()),
                // Latin-script text is stored untagged: judge it now, off the async threads.
                None => self.detect_article(q.article_id).await?,
            };
            let status = if already_in(lang.as_deref(), &target) {
                self.lock().auto_translate_done(q.article_id)?;
                summary.skipped += 1;
                Ok(AutoTranslateStatus::Skipped)
            } else {
                let req = TranslateRequest {
                    to: target.clone(),
                    provider: None,
                    script: ScriptChoice::Original,
                };
                match self
                    .translate_article(q.article_id, &req, &|_| {}, cancel)
                    .await
                {
                    Ok(_) => {
                        self.lock().auto_translate_done(q.article_id)?;
                        summary.translated += 1;
                        failures_in_a_row = 0;
                        Ok(AutoTranslateStatus::Translated)
                    }
                    // Deleted meanwhile: its queue row went with it.
                    Err(CoreError::ArticleNotFound(_)) => {
                        done += 1;
                        continue;
                    }
                    // Not the article's fault: it stays queued as it was.
                    Err(_) if cancel.is_cancelled() => break,
                    Err(e) => {
                        let message = e.to_string();
                        self.lock().auto_translate_failed(q.article_id, &message)?;
                        summary.failed.push(AutoTranslateFailure {
                            article_id: q.article_id,
                            feed_id: q.feed_id,
                            message: message.clone(),
                        });
                        failures_in_a_row += 1;
                        Err(message)
                    }
                }
            };
            done += 1;
            let (status, error) = match status {
                Ok(s) => (s, None),
                Err(m) => (AutoTranslateStatus::Failed, Some(m)),
            };
            progress(AutoTranslateProgress {
                article_id: q.article_id,
                feed_id: q.feed_id,
                target,
                done,
                total,
                status,
                error,
            });
        }
        summary.remaining = self.lock().auto_translate_pending_count()?;
        Ok(summary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn queued_ids(lib: &Library) -> Vec<i64> {
        let queue = lib.auto_translate_queue().unwrap();
        queue.iter().map(|q| q.article_id).collect()
    }

    #[test]
    fn targets_are_the_offered_languages_or_off() {
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

    #[test]
    fn an_article_in_the_target_language_or_any_chinese_script_is_skipped() {
        assert!(already_in(Some("en"), "en"));
        assert!(already_in(Some("en-GB"), "en"));
        assert!(already_in(Some("zh-Hant"), "zh-Hans"));
        assert!(!already_in(Some("zh-Hant"), "en"));
        assert!(
            !already_in(None, "en"),
            "unknown: translate (blocks are checked)"
        );
        assert!(!already_in(Some("und"), "en"));
        assert!(already_in(Some("zh"), "zh-Hant"), "the detector says zh");
    }

    #[test]
    fn a_refresh_queues_only_the_newest_new_articles_of_feeds_that_ask() {
        use crate::store::feeds as feed_store;
        let mut lib = Library::open_in_memory().unwrap();
        let (on, off) = lib
            .store_mut()
            .write(|tx| {
                let on = feed_store::insert_feed(tx, "https://a.example/f", "A", None, None)?.0;
                let off = feed_store::insert_feed(tx, "https://b.example/f", "B", None, None)?.0;
                feed_store::set_auto_translate(tx, on, Some("en"))?;
                Ok((on, off))
            })
            .unwrap();
        let ids: Vec<i64> = (1..=15).collect();
        lib.store_mut()
            .write(|tx| {
                for (feed, base) in [(on, 0), (off, 100)] {
                    for i in &ids {
                        tx.execute(
                            "INSERT INTO articles(id, feed_id, dedupe_key, title, published_ms,
                                 origin, added_ms) VALUES (?1, ?2, ?3, 't', ?4, 'feed', 0)",
                            params![base + i, feed, format!("k{}", base + i), i * 1000],
                        )?;
                    }
                }
                let new = |base: i64| -> Vec<(i64, Option<i64>)> {
                    ids.iter().map(|i| (base + i, Some(i * 1000))).collect()
                };
                assert_eq!(enqueue_new(tx, on, &new(0))?, MAX_PER_FEED);
                assert_eq!(enqueue_new(tx, off, &new(100))?, 0);
                Ok(())
            })
            .unwrap();
        let queued = queued_ids(&lib);
        assert_eq!(queued, (6..=15).rev().collect::<Vec<i64>>(), "newest first");
        // Failures count; after MAX_ATTEMPTS the row is kept as a record but not tried again.
        for _ in 0..MAX_ATTEMPTS {
            lib.auto_translate_failed(15, "down").unwrap();
        }
        assert_eq!(lib.auto_translate_pending_count().unwrap(), 9);
        let last: String = lib
            .store()
            .conn()
            .query_row(
                "SELECT last_error FROM auto_translations WHERE article_id = 15",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(last, "down");
    }

    #[test]
    fn turning_it_on_queues_the_newest_unread_articles_once() {
        use crate::store::feeds as feed_store;
        let mut lib = Library::open_in_memory().unwrap();
        let feed = lib
            .store_mut()
            .write(|tx| {
                let f = feed_store::insert_feed(tx, "https://a.example/f", "A", None, None)?.0;
                for i in 1..=14i64 {
                    tx.execute(
                        "INSERT INTO articles(id, feed_id, dedupe_key, title, published_ms,
                             origin, added_ms, read) VALUES (?1, ?2, ?3, 't', ?4, 'feed', 0, ?5)",
                        params![i, f, format!("k{i}"), i * 1000, i64::from(i == 14)],
                    )?;
                }
                Ok(f)
            })
            .unwrap();
        let mut options = lib.feed_options(feed).unwrap();
        lib.set_feed_options(feed, &options).unwrap();
        assert_eq!(lib.auto_translate_pending_count().unwrap(), 0, "still off");
        options.auto_translate = Some("en".into());
        lib.set_feed_options(feed, &options).unwrap();
        let queued = queued_ids(&lib);
        assert_eq!(
            queued,
            (4..=13).rev().collect::<Vec<i64>>(),
            "the ten newest unread (14 is read)"
        );
        options.title = "Renamed".into();
        options.custom_title = true;
        lib.set_feed_options(feed, &options).unwrap();
        assert_eq!(
            lib.auto_translate_pending_count().unwrap(),
            10,
            "saving again with the same language queues nothing more"
        );
    }
}
