//! Per-feed auto-translation of new articles: the policy, in one place, for the app and `dz`.
//!
//! A feed can name a target language (`FeedOptions::auto_translate`).
//! When a refresh stores new articles of such a feed, the newest `MAX_PER_FEED` of them are
//! queued in the same transaction (`store/auto_translations.rs`) (the rest are left for the reader to translate by hand: an
//! old feed's first big check must not cost hundreds of paid translations). After the refresh
//! the caller runs [`LibraryHandle::auto_translate_pending`], which works through the queue
//! newest first with the reader's provider chain (the same defaults as `dz translate` without
//! `--provider`), one article at a time, never holding the database while it waits.
//!
//! - Articles already in the target language (any Chinese script counts as Chinese: scripts
//!   are converted locally) are skipped without a request.
//! - A failure is recorded on the queued row (attempts, last error) and the article stays as
//!   it was; it is tried again after the next refresh, at most `MAX_ATTEMPTS` times in all,
//!   so a provider that is down for an hour costs nothing but a note, and one that never
//!   works is not asked forever.
//! - Two failures in a row end the pass (the chain is down or the key rejected: asking for
//!   every other article would only wait for the same error); what is left stays queued.
//! - A feed whose auto-translation was turned off drops its queued articles at the next pass;
//!   a feed switched to another language translates them into the new one.

use duizhao_translate::CancellationToken;

use crate::error::{CoreError, Result};
use crate::handle::LibraryHandle;
use crate::library::Library;
use crate::model::{
    AutoTranslateFailure, AutoTranslateProgress, AutoTranslateStatus, AutoTranslateSummary,
    ScriptChoice, TranslateRequest,
};
use crate::services::target::same_family;
use crate::store::auto_translations::Queued;

/// Failures in a row that end a pass.
const FAILURES_TO_STOP: u32 = 2;

/// What became of one queued article.
enum Step {
    /// Left queued: translating it would pass this pass's character budget.
    OverBudget,
    /// Its feed no longer auto-translates (or is gone): dropped from the queue.
    Dropped,
    /// Deleted meanwhile: its queue row went with it.
    Gone,
    /// The pass was cancelled while it was being translated; it stays queued as it was.
    Cancelled,
    /// Translated, skipped or failed: reported.
    Done(AutoTranslateStatus, Option<CoreError>),
    /// Longer than an article may be for auto-translation: taken off the queue and reported
    /// as failed, but not the provider's fault (the pass goes on).
    TooLong(CoreError),
}

/// What auto-translation may still send, in characters.
struct Budget {
    /// Most for one article.
    article: usize,
    /// Left for this pass.
    pass_left: usize,
}

/// A failed article as the summary lists it.
fn failure_of(q: &Queued, error: Option<&CoreError>) -> AutoTranslateFailure {
    let failure = error.map(CoreError::to_failure);
    AutoTranslateFailure {
        article_id: q.article_id,
        feed_id: q.feed_id,
        code: failure
            .as_ref()
            .map_or(crate::ErrorCode::Internal, |f| f.code),
        provider: failure.as_ref().and_then(|f| f.provider.clone()),
        message: failure.map(|f| f.message).unwrap_or_default(),
    }
}

/// The characters a translation of `article` sends: its title and textual blocks.
fn chars_of(article: &crate::model::Article) -> usize {
    article.title.chars().count()
        + article
            .blocks
            .iter()
            .filter(|b| b.kind.is_textual())
            .map(|b| b.text.chars().count())
            .sum::<usize>()
}

impl Library {
    /// Articles queued for auto-translation and not yet given up on.
    pub fn auto_translate_pending_count(&self) -> Result<u32> {
        self.store().auto_translate_pending_count()
    }
}

impl LibraryHandle {
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
        // The queue is judged by language: the articles a refresh has just stored get theirs
        // first (`usecases/languages.rs`).
        self.redetect_languages().await?;
        let (queue, settings) = self
            .run(|lib| Ok((lib.store().auto_translate_queue()?, lib.feed_settings()?)))
            .await?;
        let mut budget = Budget {
            article: settings.auto_translate_max_article_chars,
            pass_left: settings.auto_translate_max_pass_chars,
        };
        let total = u32::try_from(queue.len()).unwrap_or(u32::MAX);
        let mut summary = AutoTranslateSummary::default();
        let (mut done, mut failures_in_a_row) = (0u32, 0u32);
        for q in queue {
            if cancel.is_cancelled() || failures_in_a_row >= FAILURES_TO_STOP {
                break;
            }
            let (status, error, provider_failed) =
                match self.translate_queued(&q, &mut budget, cancel).await? {
                    Step::Cancelled | Step::OverBudget => break,
                    Step::Dropped | Step::Gone => {
                        done += 1;
                        continue;
                    }
                    Step::Done(status, error) => (status, error, true),
                    Step::TooLong(e) => (AutoTranslateStatus::Failed, Some(e), false),
                };
            done += 1;
            match status {
                AutoTranslateStatus::Translated => {
                    summary.translated += 1;
                    failures_in_a_row = 0;
                }
                AutoTranslateStatus::Skipped => summary.skipped += 1,
                AutoTranslateStatus::Failed => {
                    summary.failed.push(failure_of(&q, error.as_ref()));
                    failures_in_a_row += u32::from(provider_failed);
                }
            }
            progress(AutoTranslateProgress {
                article_id: q.article_id,
                feed_id: q.feed_id,
                target: q.target.clone().unwrap_or_default(),
                done,
                total,
                status,
                error: error.map(|e| e.to_failure()),
            });
        }
        summary.remaining = self
            .run(|lib| lib.store().auto_translate_pending_count())
            .await?;
        Ok(summary)
    }

    /// Translates one queued article into its feed's target, unless it is already in that
    /// language or over a budget; records the outcome on the queue.
    async fn translate_queued(
        &self,
        q: &Queued,
        budget: &mut Budget,
        cancel: &CancellationToken,
    ) -> Result<Step> {
        let id = q.article_id;
        let Some(target) = q.target.clone() else {
            self.dequeue(id).await?;
            return Ok(Step::Dropped);
        };
        // The language detected when the article was stored (`services/lang.rs`); an article
        // with none (no text worth judging) is left to the engine, which skips by block.
        if same_family(q.lang.as_deref(), &target) {
            self.dequeue(id).await?;
            return Ok(Step::Done(AutoTranslateStatus::Skipped, None));
        }
        let chars = match self.run(move |lib| lib.article(id)).await {
            Ok(article) => chars_of(&article),
            Err(CoreError::ArticleNotFound(_)) => return Ok(Step::Gone),
            Err(e) => return Err(e),
        };
        if chars > budget.article {
            self.dequeue(id).await?;
            return Ok(Step::TooLong(CoreError::InvalidInput(format!(
                "the article has {chars} characters, more than auto-translation sends for one \
                 article ({}); translate it by hand",
                budget.article
            ))));
        }
        if chars > budget.pass_left {
            return Ok(Step::OverBudget);
        }
        budget.pass_left -= chars;
        let req = TranslateRequest {
            to: target,
            provider: None,
            script: ScriptChoice::Original,
        };
        match self.translate_article(id, &req, &|_| {}, cancel).await {
            Ok(_) => {
                self.dequeue(id).await?;
                Ok(Step::Done(AutoTranslateStatus::Translated, None))
            }
            Err(CoreError::ArticleNotFound(_)) => Ok(Step::Gone),
            // Not the article's fault: it stays queued as it was.
            Err(_) if cancel.is_cancelled() => Ok(Step::Cancelled),
            Err(e) => {
                let message = e.to_string();
                self.run(move |lib| lib.store_mut().auto_translate_failed(id, &message))
                    .await?;
                Ok(Step::Done(AutoTranslateStatus::Failed, Some(e)))
            }
        }
    }

    /// Takes an article off the auto-translation queue.
    async fn dequeue(&self, id: i64) -> Result<()> {
        self.run(move |lib| lib.store_mut().auto_translate_done(id))
            .await
    }
}
