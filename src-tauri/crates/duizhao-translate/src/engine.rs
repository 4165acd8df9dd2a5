//! The translation engine: turns an article's segments into aligned translations through an
//! ordered provider chain. It skips segments already in the target language, answers what it
//! can from the translation memory, batches the rest in order within each provider's limits,
//! runs batches concurrently under a concurrency cap and a requests-per-second limiter,
//! retries 429/5xx/timeouts with exponential backoff honouring `Retry-After`, repairs
//! misaligned replies by halving batches, falls back to the next provider on hard failure,
//! streams every finished batch, stores only complete validated translations, and stops on
//! cancel.

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures_util::future::BoxFuture;
use futures_util::{FutureExt, StreamExt};
use serde::Serialize;
use tokio::sync::Semaphore;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::config::{HttpOptions, Limits};
use crate::error::{ErrorKind, TranslateError};
use crate::glossary::{self, GlossaryTerm};
use crate::lang;
use crate::providers::{self, BatchRequest, Provider};
use crate::tm::{TmKey, TranslationMemory};

/// One piece of text to translate (a block of an article).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Segment {
    /// The caller's id (e.g. the block id); returned with the translation.
    pub id: String,
    /// Plain text.
    pub text: String,
    /// The segment's language when the caller already knows it (BCP-47): detection is skipped
    /// for it, which keeps the first batch from waiting on the detector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

impl Segment {
    /// A segment.
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Self {
        Segment {
            id: id.into(),
            text: text.into(),
            lang: None,
        }
    }

    /// The same segment with its language known.
    pub fn with_lang(mut self, lang: Option<impl Into<String>>) -> Self {
        self.lang = lang.map(Into::into);
        self
    }
}

/// A translation request for a whole article.
#[derive(Debug, Clone, Default)]
pub struct Job {
    /// The segments, in reading order.
    pub segments: Vec<Segment>,
    /// Source language (BCP-47) if known; `None` or `auto` lets services detect it.
    pub source: Option<String>,
    /// Target language (BCP-47: `en`, `es`, `zh-Hans`, `zh-Hant`, ...).
    pub target: String,
    /// Glossary terms (those not applying to the target are ignored).
    pub glossary: Vec<GlossaryTerm>,
}

/// Where a segment's text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Already in the target language (or nothing to translate): the source text is returned.
    Skipped,
    /// From the translation memory.
    Memory,
    /// Translated now by a provider.
    Provider,
}

/// One finished segment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Translated {
    /// The segment id.
    pub id: String,
    /// The translation (or the source text when skipped).
    pub text: String,
    /// Where it came from.
    pub origin: Origin,
    /// The provider that made it (memory hits name the provider that made them originally).
    pub provider: Option<String>,
}

/// Emitted after each finished batch (and once for skipped and memory-hit segments).
#[derive(Debug, Clone, Serialize)]
pub struct Progress {
    /// Segments finished so far, including these.
    pub done: usize,
    /// Segments in the job.
    pub total: usize,
    /// The segments finished in this step.
    pub segments: Vec<Translated>,
}

/// The result of a job: every segment, in job order.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// The target language to record: `zh` for Chinese (the service was asked for Simplified;
    /// the core converts locally to the script the user picked), else the canonical code.
    pub target: String,
    /// One entry per job segment, same order.
    pub segments: Vec<Translated>,
    /// HTTP translation requests sent for this job (0 when everything came from memory).
    pub requests: usize,
}

/// Engine tuning; the defaults suit the app.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EngineOptions {
    /// Tries per batch for transient failures (429, 5xx, network, timeout), first included.
    pub max_attempts: u32,
    /// First backoff delay; doubles each retry.
    pub backoff_base: Duration,
    /// Cap on any single wait (backoff or a server's `Retry-After`).
    pub backoff_max: Duration,
    /// Skip segments detected to be in the target language already.
    pub skip_same_language: bool,
    /// Minimum detection confidence for skipping.
    pub skip_confidence: f64,
    /// Override every provider's `max_concurrency`.
    pub concurrency: Option<usize>,
    /// Override every provider's `requests_per_second`.
    pub requests_per_second: Option<u32>,
    /// Override every provider's `max_segments` (never above the provider's own limit).
    pub max_segments: Option<usize>,
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            max_attempts: 4,
            backoff_base: Duration::from_millis(500),
            backoff_max: Duration::from_secs(30),
            skip_same_language: true,
            skip_confidence: 0.7,
            concurrency: None,
            requests_per_second: None,
            max_segments: None,
        }
    }
}

/// Spaces request starts at least `interval` apart; a 429 can push the next start back.
struct RateLimiter {
    interval: Duration,
    next: Mutex<Option<Instant>>,
}

impl RateLimiter {
    fn new(rps: u32) -> Self {
        RateLimiter {
            interval: Duration::from_secs(1) / rps.max(1),
            next: Mutex::new(None),
        }
    }

    /// The instant this caller may start (reserved), without waiting.
    fn reserve(&self) -> Instant {
        let now = Instant::now();
        let mut next = match self.next.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        let at = next.map_or(now, |n| n.max(now));
        *next = Some(at + self.interval);
        at
    }

    fn pause_for(&self, d: Duration) {
        let until = Instant::now() + d;
        let mut next = match self.next.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        *next = Some(next.map_or(until, |n| n.max(until)));
    }
}

struct Slot {
    provider: Arc<dyn Provider>,
    limits: Limits,
    limiter: RateLimiter,
    sem: Semaphore,
}

impl Slot {
    /// Texts to send and memory keys of the `pending` segments for this provider.
    fn prepare(&self, ctx: &JobCtx<'_>, pending: &[usize]) -> Vec<Prepared> {
        let p = &self.provider;
        let version = p.prompt_version();
        let target = ctx.langs.target;
        pending
            .iter()
            .map(|&idx| {
                let text = &ctx.job.segments[idx].text;
                let terms = glossary::terms_in(&ctx.glossary, text, target);
                // The glossary terms that applied are part of the memory key: changing the
                // glossary must not serve translations made without it.
                let (send, applied, version) = if terms.is_empty() {
                    (text.clone(), Vec::new(), version.clone())
                } else {
                    let mut fp: Vec<String> = terms
                        .iter()
                        .map(|t| format!("{}\u{1f}{}", t.source, t.target))
                        .collect();
                    fp.sort();
                    let v = format!("{version}|glossary:{}", fp.join("\u{1e}"));
                    if p.uses_glossary_prompt() {
                        (text.clone(), terms.into_iter().cloned().collect(), v)
                    } else {
                        let (s, applied) = glossary::protect(text, &terms);
                        (s, applied.into_iter().cloned().collect(), v)
                    }
                };
                Prepared {
                    idx,
                    key: TmKey::new(text, p.name(), p.model(), ctx.src_key, target, &version),
                    send,
                    applied,
                }
            })
            .collect()
    }

    /// Batches of indices into `prep`, in order, within this provider's limits.
    fn batches(&self, prep: &[Prepared]) -> Vec<Vec<usize>> {
        let limits = &self.limits;
        let mut out = Vec::new();
        let mut cur: Vec<usize> = Vec::new();
        let mut chars = 0usize;
        for (k, p) in prep.iter().enumerate() {
            let c = p.send.chars().count();
            if !cur.is_empty() && (cur.len() >= limits.max_segments || chars + c > limits.max_chars)
            {
                out.push(std::mem::take(&mut cur));
                chars = 0;
            }
            cur.push(k);
            chars += c;
        }
        if !cur.is_empty() {
            out.push(cur);
        }
        out
    }
}

/// The translation engine (cheap to share behind an `Arc`; one per provider chain).
pub struct Engine {
    slots: Vec<Slot>,
    tm: Option<Arc<dyn TranslationMemory>>,
    opts: EngineOptions,
}

/// A segment prepared for one provider.
struct Prepared {
    idx: usize,
    send: String,
    key: TmKey,
    applied: Vec<GlossaryTerm>,
}

/// Indices into a provider's `Prepared` and what became of them.
type Piece = (Vec<usize>, Result<Vec<String>, TranslateError>);

/// A job's languages, checked and resolved before any work.
#[derive(Clone, Copy)]
struct Langs {
    /// The canonical source language, or `None` to let services detect it.
    source: Option<&'static str>,
    /// The canonical target language.
    target: &'static str,
    /// The target providers are asked for.
    ask: &'static str,
    /// The target the outcome records.
    record: &'static str,
}

/// The languages sent with every batch of a job.
#[derive(Clone, Copy)]
struct ProviderCtx {
    source: Option<&'static str>,
    hint: Option<&'static str>,
    target: &'static str,
}

/// What the memory and provider phases of one job share.
struct JobCtx<'a> {
    job: &'a Job,
    cancel: &'a CancellationToken,
    /// The job's glossary terms that apply to its target.
    glossary: Vec<GlossaryTerm>,
    /// The source part of memory keys: the requested source language or `auto`.
    src_key: &'static str,
    langs: ProviderCtx,
    /// HTTP translation requests sent so far.
    requests: AtomicUsize,
}

impl<'a> JobCtx<'a> {
    fn new(
        job: &'a Job,
        cancel: &'a CancellationToken,
        langs: Langs,
        hint: Option<&'static str>,
    ) -> Self {
        let glossary = job
            .glossary
            .iter()
            .filter(|g| {
                g.applies_to(langs.target)
                    && !g.source.trim().is_empty()
                    && !g.target.trim().is_empty()
            })
            .cloned()
            .collect();
        JobCtx {
            job,
            cancel,
            glossary,
            src_key: langs.source.unwrap_or("auto"),
            langs: ProviderCtx {
                source: langs.source,
                hint,
                target: langs.ask,
            },
            requests: AtomicUsize::new(0),
        }
    }
}

/// A job's finished segments, and the sink every finished step is reported to.
struct Results<'a> {
    segments: Vec<Option<Translated>>,
    done: usize,
    progress: &'a (dyn Fn(Progress) + Send + Sync),
}

impl<'a> Results<'a> {
    fn new(n: usize, progress: &'a (dyn Fn(Progress) + Send + Sync)) -> Self {
        Results {
            segments: vec![None; n],
            done: 0,
            progress,
        }
    }

    /// Record finished segments (by job index) and report them as one progress step; an
    /// empty step reports nothing.
    fn finish(&mut self, step: Vec<(usize, Translated)>) {
        if step.is_empty() {
            return;
        }
        self.done += step.len();
        let segments = step
            .into_iter()
            .map(|(i, t)| {
                self.segments[i] = Some(t.clone());
                t
            })
            .collect();
        (self.progress)(Progress {
            done: self.done,
            total: self.segments.len(),
            segments,
        });
    }

    /// Job indices of the segments not finished yet, in order.
    fn pending(&self) -> Vec<usize> {
        (0..self.segments.len())
            .filter(|&i| self.segments[i].is_none())
            .collect()
    }

    /// Every finished segment, in job order.
    fn into_segments(self) -> Vec<Translated> {
        self.segments.into_iter().flatten().collect()
    }
}

/// A finished batch's translations: rows for the memory and the progress step.
#[derive(Default)]
struct Finished {
    store: Vec<(TmKey, String)>,
    step: Vec<(usize, Translated)>,
}

impl Engine {
    /// An engine over `chain` (tried in order), with default options and no memory.
    pub fn new(chain: Vec<Arc<dyn Provider>>) -> Self {
        Self::with_options(chain, EngineOptions::default())
    }

    /// An engine over the default keyless chain (`edge`, then `google-web`).
    pub fn default_chain(opts: &HttpOptions) -> Result<Self, TranslateError> {
        Ok(Self::new(providers::default_chain(opts)?))
    }

    /// An engine over `chain` with `opts`.
    pub fn with_options(chain: Vec<Arc<dyn Provider>>, opts: EngineOptions) -> Self {
        let slots = chain
            .into_iter()
            .map(|p| {
                let mut l = p.limits();
                if let Some(c) = opts.concurrency {
                    l.max_concurrency = c;
                }
                if let Some(r) = opts.requests_per_second {
                    l.requests_per_second = r;
                }
                if let Some(m) = opts.max_segments {
                    l.max_segments = m.min(l.max_segments);
                }
                l.max_concurrency = l.max_concurrency.max(1);
                l.max_segments = l.max_segments.max(1);
                l.max_chars = l.max_chars.max(1);
                Slot {
                    limiter: RateLimiter::new(l.requests_per_second),
                    sem: Semaphore::new(l.max_concurrency),
                    provider: p,
                    limits: l,
                }
            })
            .collect();
        Engine {
            slots,
            tm: None,
            opts,
        }
    }

    /// Use `tm` for lookups and to store finished translations.
    pub fn with_memory(mut self, tm: Arc<dyn TranslationMemory>) -> Self {
        self.tm = Some(tm);
        self
    }

    /// The provider names in chain order.
    pub fn chain(&self) -> Vec<&'static str> {
        self.slots.iter().map(|s| s.provider.name()).collect()
    }

    /// Translate `job`. `progress` is called after each finished batch; `cancel` stops the
    /// job (finished batches stay stored). On failure, segments that were finished are
    /// already in the memory, so a retry only pays for the rest.
    pub async fn translate(
        &self,
        job: &Job,
        progress: &(dyn Fn(Progress) + Send + Sync),
        cancel: &CancellationToken,
    ) -> Result<Outcome, TranslateError> {
        let langs = self.resolve(job)?;
        let mut results = Results::new(job.segments.len(), progress);

        // 1. Skip what needs no translation.
        let (skips, hint) = self.classify(job, langs).await?;
        results.finish(skipped(job, &skips));
        let mut pending = results.pending();
        let ctx = JobCtx::new(job, cancel, langs, hint);

        // 2. The translation memory.
        self.recall(&ctx, &mut pending, &mut results).await;

        // 3. The providers (fails unless every pending segment gets translated).
        self.run_chain(&ctx, pending, &mut results).await?;

        let segments = results.into_segments();
        debug_assert_eq!(segments.len(), job.segments.len());
        Ok(Outcome {
            target: langs.record.to_owned(),
            segments,
            requests: ctx.requests.into_inner(),
        })
    }

    /// Check the chain and the job's languages before any work.
    fn resolve(&self, job: &Job) -> Result<Langs, TranslateError> {
        if self.slots.is_empty() {
            return Err(TranslateError::config(
                None,
                "no translation provider is configured",
            ));
        }
        let target = lang::canonical(&job.target).ok_or_else(|| {
            TranslateError::new(
                ErrorKind::Unsupported,
                None,
                format!(
                    "unknown target language `{}`; use one of {}",
                    job.target,
                    lang::LANGUAGES.join(", ")
                ),
            )
        })?;
        // Services are asked for Simplified Chinese and the result is recorded as `zh`: the
        // core converts locally to whichever script the user picked.
        let (ask, record) = if target.starts_with("zh") {
            ("zh-Hans", "zh")
        } else {
            (target, target)
        };
        let source = match job.source.as_deref().map(str::trim) {
            None | Some("") | Some("auto") => None,
            Some(s) => Some(lang::canonical(s).ok_or_else(|| {
                TranslateError::new(
                    ErrorKind::Unsupported,
                    None,
                    format!("unknown source language `{s}`"),
                )
            })?),
        };
        Ok(Langs {
            source,
            target,
            ask,
            record,
        })
    }

    /// Which segments need no translation (nothing alphabetic, or already in the target
    /// language), and a source-language hint for services that cannot detect one.
    async fn classify(
        &self,
        job: &Job,
        langs: Langs,
    ) -> Result<(Vec<bool>, Option<&'static str>), TranslateError> {
        let target_base = lang::base(langs.target);
        let same_source = langs.source.is_some_and(|s| lang::base(s) == target_base);
        let rule = SkipRule {
            detect_all: self.opts.skip_same_language && !same_source,
            same_source,
            threshold: self.opts.skip_confidence,
            target_base,
            source: langs.source,
        };
        let texts: Vec<String> = job.segments.iter().map(|s| s.text.clone()).collect();
        let known: Vec<Option<String>> = job
            .segments
            .iter()
            .map(|s| s.lang.as_deref().map(lang::base))
            .collect();
        // Detection is CPU-bound (milliseconds for a long article): off the async workers.
        tokio::task::spawn_blocking(move || rule.apply(&texts, &known))
            .await
            .map_err(|e| {
                TranslateError::new(
                    ErrorKind::Config,
                    None,
                    format!("language detection failed: {e}"),
                )
            })
    }

    /// Answer what the memory already holds, trying the keys of every provider of the chain
    /// (earlier ones preferred); all hits are reported as one progress step.
    async fn recall(&self, ctx: &JobCtx<'_>, pending: &mut Vec<usize>, results: &mut Results<'_>) {
        let Some(tm) = &self.tm else {
            return;
        };
        let mut step = Vec::new();
        for slot in &self.slots {
            if pending.is_empty() {
                break;
            }
            let prep = slot.prepare(ctx, pending);
            let keys: Vec<TmKey> = prep.iter().map(|p| p.key.clone()).collect();
            match tm.lookup(keys).await {
                Ok(found) if found.len() == prep.len() => {
                    let mut missed = Vec::new();
                    for (p, hit) in prep.iter().zip(found) {
                        match hit.filter(|t| !t.trim().is_empty()) {
                            Some(text) => step.push((
                                p.idx,
                                Translated {
                                    id: ctx.job.segments[p.idx].id.clone(),
                                    text,
                                    origin: Origin::Memory,
                                    provider: Some(slot.provider.name().to_owned()),
                                },
                            )),
                            None => missed.push(p.idx),
                        }
                    }
                    *pending = missed;
                }
                // A failing memory costs requests, never correctness: translate anew.
                Ok(_) => tracing::warn!(
                    "translation memory returned a wrong number of rows; ignoring it"
                ),
                Err(e) => {
                    tracing::warn!(error = %e, "translation memory lookup failed; translating anew")
                }
            }
        }
        results.finish(step);
    }

    /// Run the pending segments through the providers in chain order: what one cannot
    /// translate goes to the next. Fails, naming the first cause, if any segment is left.
    async fn run_chain(
        &self,
        ctx: &JobCtx<'_>,
        mut pending: Vec<usize>,
        results: &mut Results<'_>,
    ) -> Result<(), TranslateError> {
        let mut first_err: Option<TranslateError> = None;
        for slot in &self.slots {
            if pending.is_empty() {
                break;
            }
            if ctx.cancel.is_cancelled() {
                return Err(TranslateError::cancelled());
            }
            let prep = slot.prepare(ctx, &pending);
            let failed = self.run_provider(slot, ctx, &prep, results).await?;
            if let Some((_, e)) = failed.first() {
                tracing::warn!(
                    provider = slot.provider.name(),
                    code = e.code(),
                    segments = failed.len(),
                    "provider failed; falling back"
                );
                first_err.get_or_insert_with(|| e.clone());
            }
            pending = failed.into_iter().map(|(i, _)| i).collect();
        }
        if pending.is_empty() {
            return Ok(());
        }
        let e = first_err
            .unwrap_or_else(|| TranslateError::new(ErrorKind::Network, None, "translation failed"));
        Err(TranslateError {
            message: format!(
                "{} of {} segments could not be translated by any provider ({}): {}",
                pending.len(),
                ctx.job.segments.len(),
                self.chain().join(", "),
                e.message
            ),
            ..e
        })
    }

    /// One provider's pass over `prep`: its batches run concurrently and each finished batch
    /// is stored and reported as it arrives. Returns the segments it could not translate
    /// (job index and cause), in job order.
    async fn run_provider(
        &self,
        slot: &Slot,
        ctx: &JobCtx<'_>,
        prep: &[Prepared],
        results: &mut Results<'_>,
    ) -> Result<Vec<(usize, TranslateError)>, TranslateError> {
        let run = Run {
            engine: self,
            slot,
            prep,
            ctx,
            dead: Mutex::new(None),
        };
        let batches = slot.batches(prep);
        let mut stream = futures_util::stream::iter(batches.into_iter().map(|b| run.attempt(b)))
            .buffer_unordered(slot.limits.max_concurrency);
        let mut failed = Vec::new();
        loop {
            let pieces = tokio::select! {
                biased;
                _ = ctx.cancel.cancelled() => return Err(TranslateError::cancelled()),
                next = stream.next() => match next {
                    Some(p) => p,
                    None => break,
                },
            };
            let finished = run.accept(pieces, &mut failed)?;
            // Stored before it is reported: whatever the caller has seen survives a later
            // failure or cancel.
            self.remember(finished.store).await;
            results.finish(finished.step);
        }
        failed.sort_by_key(|(i, _)| *i);
        Ok(failed)
    }

    /// Store finished translations in the memory, if any.
    async fn remember(&self, entries: Vec<(TmKey, String)>) {
        let Some(tm) = &self.tm else {
            return;
        };
        if entries.is_empty() {
            return;
        }
        // A failing memory costs requests later, never this job's result.
        if let Err(e) = tm.store(entries).await {
            tracing::warn!(error = %e, "could not store translations in the memory");
        }
    }
}

/// The segments `skips` marks, finished as their own source text.
fn skipped(job: &Job, skips: &[bool]) -> Vec<(usize, Translated)> {
    job.segments
        .iter()
        .zip(skips)
        .enumerate()
        .filter(|(_, (_, skip))| **skip)
        .map(|(i, (seg, _))| {
            let t = Translated {
                id: seg.id.clone(),
                text: seg.text.clone(),
                origin: Origin::Skipped,
                provider: None,
            };
            (i, t)
        })
        .collect()
}

/// How [`Engine::classify`] decides that a segment needs no translation.
struct SkipRule {
    /// Skip segments in the target language (detected, or as the caller gave).
    detect_all: bool,
    /// The requested source is the target language: nothing is translated.
    same_source: bool,
    /// Minimum detection confidence for a skip.
    threshold: f64,
    /// The target's base language (`zh`, `en`, ...).
    target_base: String,
    /// The requested source, if any (no hint is needed then).
    source: Option<&'static str>,
}

impl SkipRule {
    /// A skip flag per segment, and the source hint. `known` holds the base language the
    /// caller gave for each segment.
    fn apply(
        &self,
        texts: &[String],
        known: &[Option<String>],
    ) -> (Vec<bool>, Option<&'static str>) {
        // Only segments whose language the caller did not give go through the detector.
        let unknown: Vec<&str> = texts
            .iter()
            .zip(known)
            .filter(|(_, k)| k.is_none())
            .map(|(t, _)| t.as_str())
            .collect();
        let mut detected_unknown = if self.detect_all && !unknown.is_empty() {
            lang::detect_many(&unknown).into_iter()
        } else {
            vec![None; unknown.len()].into_iter()
        };
        let mut skips = Vec::with_capacity(texts.len());
        let mut sample = String::new();
        let mut known_source: Option<&str> = None;
        for (t, k) in texts.iter().zip(known) {
            let nothing = !t.chars().any(char::is_alphabetic);
            let same = match k {
                Some(k) => self.detect_all && *k == self.target_base,
                None => detected_unknown
                    .next()
                    .flatten()
                    .is_some_and(|d| d.lang == self.target_base && d.confidence >= self.threshold),
            };
            let skip = nothing || self.same_source || same;
            if !skip {
                if let Some(k) = k {
                    known_source.get_or_insert(k);
                } else if sample.len() < 1000 {
                    sample.push_str(t);
                    sample.push('\n');
                }
            }
            skips.push(skip);
        }
        (skips, self.hint(known_source, &sample))
    }

    /// The source language of what will be translated, for services that need one: the
    /// first language the caller gave, else detected on a sample of the text.
    fn hint(&self, known_source: Option<&str>, sample: &str) -> Option<&'static str> {
        if self.source.is_some() {
            return None;
        }
        if let Some(k) = known_source {
            return lang::canonical(k);
        }
        if sample.is_empty() {
            return None;
        }
        lang::detect_many(&[sample])
            .pop()
            .flatten()
            .and_then(|d| lang::canonical(d.lang))
    }
}

/// One provider pass over a job's pending segments.
struct Run<'a> {
    engine: &'a Engine,
    slot: &'a Slot,
    prep: &'a [Prepared],
    ctx: &'a JobCtx<'a>,
    /// Set when the provider is out for the rest of the job (auth, quota, retries used up):
    /// batches not yet sent fail at once with this error instead of hammering it.
    dead: Mutex<Option<TranslateError>>,
}

impl Run<'_> {
    fn dead(&self) -> Option<TranslateError> {
        match self.dead.lock() {
            Ok(g) => g.clone(),
            Err(p) => p.into_inner().clone(),
        }
    }

    fn kill(&self, e: &TranslateError) {
        let mut g = match self.dead.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        if g.is_none() {
            *g = Some(e.clone());
        }
    }

    async fn sleep(&self, d: Duration) -> Result<(), TranslateError> {
        tokio::select! {
            _ = self.ctx.cancel.cancelled() => Err(TranslateError::cancelled()),
            _ = tokio::time::sleep(d) => Ok(()),
        }
    }

    /// Translate `items` (indices into `prep`) with retries; a misaligned reply splits the
    /// batch in halves down to single segments.
    fn attempt(&self, items: Vec<usize>) -> BoxFuture<'_, Vec<Piece>> {
        async move {
            let mut tries = 0u32;
            let mut bad_retry = false;
            loop {
                if let Some(e) = self.dead() {
                    return vec![(items, Err(e))];
                }
                if self.ctx.cancel.is_cancelled() {
                    return vec![(items, Err(TranslateError::cancelled()))];
                }
                tries += 1;
                let e = match self.send(&items).await {
                    Ok(out) => return vec![(items, Ok(out))],
                    Err(e) => e,
                };
                tracing::debug!(
                    provider = self.slot.provider.name(),
                    code = e.code(),
                    segments = items.len(),
                    attempt = tries,
                    "batch failed"
                );
                match &e.kind {
                    ErrorKind::Cancelled => return vec![(items, Err(e))],
                    k if k.disables_provider() => {
                        self.kill(&e);
                        return vec![(items, Err(e))];
                    }
                    ErrorKind::BadReply if items.len() > 1 => {
                        let mid = items.len() / 2;
                        let right = items[mid..].to_vec();
                        let mut left = items;
                        left.truncate(mid);
                        let mut out = self.attempt(left).await;
                        out.extend(self.attempt(right).await);
                        return out;
                    }
                    ErrorKind::BadReply => {
                        if bad_retry {
                            return vec![(items, Err(e))];
                        }
                        bad_retry = true;
                    }
                    k if k.is_transient() && tries < self.engine.opts.max_attempts => {
                        if let Err(c) = self.sleep(self.backoff(k, tries)).await {
                            return vec![(items, Err(c))];
                        }
                    }
                    _ => {
                        // Retries used up: the provider is unreliable right now; let the next
                        // one in the chain take over the rest of the job.
                        self.kill(&e);
                        return vec![(items, Err(e))];
                    }
                }
            }
        }
        .boxed()
    }

    /// Send `items` once, within the provider's concurrency and rate limits, and check the
    /// reply lines up with what was sent.
    async fn send(&self, items: &[usize]) -> Result<Vec<String>, TranslateError> {
        let provider = &self.slot.provider;
        let cancel = self.ctx.cancel;
        let texts: Vec<String> = items.iter().map(|&k| self.prep[k].send.clone()).collect();
        let mut terms: Vec<GlossaryTerm> = Vec::new();
        if provider.uses_glossary_prompt() {
            for &k in items {
                for t in &self.prep[k].applied {
                    if !terms.contains(t) {
                        terms.push(t.clone());
                    }
                }
            }
        }
        let req = BatchRequest {
            texts: &texts,
            source: self.ctx.langs.source,
            source_hint: self.ctx.langs.hint,
            target: self.ctx.langs.target,
            glossary: &terms,
        };
        let permit = tokio::select! {
            _ = cancel.cancelled() => return Err(TranslateError::cancelled()),
            p = self.slot.sem.acquire() => p,
        };
        let at = self.slot.limiter.reserve();
        tokio::select! {
            _ = cancel.cancelled() => return Err(TranslateError::cancelled()),
            _ = tokio::time::sleep_until(at) => {}
        }
        self.ctx.requests.fetch_add(1, Ordering::Relaxed);
        let res = tokio::select! {
            _ = cancel.cancelled() => Err(TranslateError::cancelled()),
            r = provider.translate(&req) => r,
        };
        drop(permit);
        res.and_then(|out| validate(provider.name(), &texts, out))
    }

    /// The wait before the next try: exponential from `backoff_base`, or the server's
    /// `Retry-After` (which also holds back this provider's other batches), at most
    /// `backoff_max`.
    fn backoff(&self, kind: &ErrorKind, tries: u32) -> Duration {
        let opts = &self.engine.opts;
        let wait = match kind {
            ErrorKind::RateLimited {
                retry_after: Some(ra),
            } => {
                let ra = (*ra).min(opts.backoff_max);
                self.slot.limiter.pause_for(ra);
                ra
            }
            _ => opts
                .backoff_base
                .saturating_mul(1u32 << (tries - 1).min(16)),
        };
        wait.min(opts.backoff_max)
    }

    /// Sort a finished batch's pieces: translations to store and report, failures (job
    /// index and cause) into `failed`. A cancelled piece ends the job.
    fn accept(
        &self,
        pieces: Vec<Piece>,
        failed: &mut Vec<(usize, TranslateError)>,
    ) -> Result<Finished, TranslateError> {
        let name = self.slot.provider.name();
        let job = self.ctx.job;
        let mut out = Finished::default();
        for (items, res) in pieces {
            let texts = match res {
                Ok(texts) => texts,
                Err(e) if e.kind == ErrorKind::Cancelled => return Err(e),
                Err(e) => {
                    failed.extend(items.iter().map(|&k| (self.prep[k].idx, e.clone())));
                    continue;
                }
            };
            for (&k, text) in items.iter().zip(texts) {
                let p = &self.prep[k];
                let refs: Vec<&GlossaryTerm> = p.applied.iter().collect();
                let miss = glossary::missing(&text, &refs);
                if !miss.is_empty() {
                    tracing::warn!(
                        provider = name,
                        segment = %job.segments[p.idx].id,
                        terms = miss.len(),
                        "glossary term(s) not found in the translation"
                    );
                }
                out.store.push((p.key.clone(), text.clone()));
                let t = Translated {
                    id: job.segments[p.idx].id.clone(),
                    text,
                    origin: Origin::Provider,
                    provider: Some(name.to_owned()),
                };
                out.step.push((p.idx, t));
            }
        }
        Ok(out)
    }
}

/// A reply is usable only if it has one non-empty translation per non-empty source text.
fn validate(
    provider: &str,
    sent: &[String],
    got: Vec<String>,
) -> Result<Vec<String>, TranslateError> {
    if got.len() != sent.len() {
        return Err(TranslateError::bad_reply(
            provider,
            format!(
                "reply has {} translations for {} segments",
                got.len(),
                sent.len()
            ),
        ));
    }
    for (s, t) in sent.iter().zip(&got) {
        if !s.trim().is_empty() && t.trim().is_empty() {
            return Err(TranslateError::bad_reply(
                provider,
                "reply contains an empty translation",
            ));
        }
    }
    Ok(got)
}
