//! Translating an article: its blocks and title into a target language through the provider
//! chain, each finished batch stored at once (a cancel or failure keeps what was finished) and
//! streamed to the reader already in the script they chose; stored translations attached to
//! views. The providers and the engine live in `duizhao-translate`; the translation memory
//! they consult is the library's (`store/translations.rs`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use duizhao_translate::{
    BoxFuture, CancellationToken, Engine, GlossaryTerm, Job, Origin, Progress, Segment, TmError,
    TmKey, TranslationMemory,
};

use crate::error::{CoreError, Result};
use crate::handle::LibraryHandle;
use crate::library::Library;
use crate::model::{Article, ScriptChoice, TranslateEvent, TranslateRequest, TranslateSummary};
use crate::services::target::{convert_for_view, record_target, translation_config};
use crate::store::translations::{TITLE_SEQ, TranslatedPiece};

/// Segment id of the title in a translation job (blocks are `b<index>`).
const TITLE_ID: &str = "title";

impl Library {
    /// Stored translations of an article into `target` (record form), by block index
    /// (`-1` for the title).
    pub fn stored_translations(
        &self,
        article_id: i64,
        target: &str,
    ) -> Result<HashMap<i64, String>> {
        self.store().article_translations(article_id, target)
    }

    /// Attaches stored translations into `to` to a view of an article, in the reader's script.
    pub(crate) fn attach_translations(
        &self,
        article: &mut Article,
        to: &str,
        script: ScriptChoice,
    ) -> Result<()> {
        let stored = self.stored_translations(article.id, &record_target(to)?)?;
        if stored.is_empty() {
            return Ok(());
        }
        let config = translation_config(to, script);
        article.title_translation = stored.get(&TITLE_SEQ).map(|t| convert_for_view(t, config));
        for (i, block) in article.blocks.iter_mut().enumerate() {
            block.translation = stored.get(&(i as i64)).map(|t| convert_for_view(t, config));
        }
        Ok(())
    }
}

/// The translation memory on the library's SQLite database; each call runs on a blocking
/// thread, never on the engine's async worker.
struct SqliteTm(LibraryHandle);

impl TranslationMemory for SqliteTm {
    fn lookup(
        &self,
        keys: Vec<TmKey>,
    ) -> BoxFuture<'_, std::result::Result<Vec<Option<String>>, TmError>> {
        let handle = self.0.clone();
        Box::pin(async move {
            let rows = handle
                .run(move |lib| {
                    let keys: Vec<&str> = keys.iter().map(|k| k.as_str()).collect();
                    lib.store().memory_lookup(&keys)
                })
                .await?;
            Ok(rows)
        })
    }

    fn store(
        &self,
        entries: Vec<(TmKey, String)>,
    ) -> BoxFuture<'_, std::result::Result<(), TmError>> {
        let handle = self.0.clone();
        Box::pin(async move {
            handle
                .run(move |lib| {
                    let entries: Vec<(&str, &str)> = entries
                        .iter()
                        .map(|(k, t)| (k.as_str(), t.as_str()))
                        .collect();
                    lib.store_mut().memory_store(&entries)
                })
                .await?;
            Ok(())
        })
    }
}

/// The job for an article: its title and textual blocks, with the languages detected at
/// import, so the engine only runs its detector on what could not be told (and the first
/// batch leaves at once).
fn job_for(article: &Article, to: &str, glossary: Vec<GlossaryTerm>) -> Job {
    let known = |l: Option<&String>| {
        l.filter(|l| duizhao_translate::lang::canonical(l).is_some())
            .cloned()
    };
    let mut segments =
        vec![Segment::new(TITLE_ID, article.title.clone()).with_lang(known(article.lang.as_ref()))];
    for (i, b) in article.blocks.iter().enumerate() {
        if b.kind.is_textual() && !b.text.trim().is_empty() {
            segments.push(
                Segment::new(format!("b{i}"), b.text.clone()).with_lang(known(b.lang.as_ref())),
            );
        }
    }
    Job {
        segments,
        source: None,
        target: to.to_string(),
        glossary,
    }
}

/// One finished batch as it is stored (record form) and as it is shown (the view's script).
struct Batch {
    pieces: Vec<TranslatedPiece>,
    blocks: Vec<u32>,
    texts: Vec<String>,
    title: Option<String>,
}

fn batch_of(p: &Progress, view: Option<duizhao_zh::Config>) -> Batch {
    let mut batch = Batch {
        pieces: Vec::with_capacity(p.segments.len()),
        blocks: Vec::new(),
        texts: Vec::new(),
        title: None,
    };
    for s in &p.segments {
        let provider = match s.origin {
            Origin::Skipped => "same-language".to_string(),
            _ => s.provider.clone().unwrap_or_else(|| "memory".into()),
        };
        let shown = convert_for_view(&s.text, view);
        let seq = if s.id == TITLE_ID {
            batch.title = Some(shown);
            TITLE_SEQ
        } else if let Some(i) = s.id.strip_prefix('b').and_then(|n| n.parse::<u32>().ok()) {
            batch.blocks.push(i);
            batch.texts.push(shown);
            i64::from(i)
        } else {
            continue;
        };
        batch.pieces.push(TranslatedPiece {
            seq,
            text: s.text.clone(),
            provider,
        });
    }
    batch
}

impl LibraryHandle {
    /// Translates an article's blocks and title, streaming each finished batch to `on_event`
    /// and storing it at once (a cancel or failure keeps what was finished). The database is
    /// locked only for short reads and writes, never while waiting on the network.
    pub async fn translate_article(
        &self,
        id: i64,
        req: &TranslateRequest,
        on_event: &(dyn Fn(TranslateEvent) + Send + Sync),
        cancel: &CancellationToken,
    ) -> Result<TranslateSummary> {
        let record = record_target(&req.to)?;
        let provider = req.provider.clone();
        let (article, chain, glossary) = self
            .run(move |lib| {
                let article = lib.article(id)?;
                let chain = lib.chain(provider.as_deref())?;
                let glossary = lib.glossary(article.feed_id)?;
                Ok((article, chain, glossary))
            })
            .await?;
        let terms = glossary
            .into_iter()
            .map(|g| GlossaryTerm {
                source: g.source,
                target: g.target,
                scope: g.lang,
            })
            .collect();
        let job = job_for(&article, &req.to, terms);
        on_event(TranslateEvent::Started {
            article_id: id,
            total: job.segments.len() as u32,
        });
        let engine = Engine::new(chain).with_memory(Arc::new(SqliteTm(self.clone())));
        let view = translation_config(&req.to, req.script);
        // Each batch is stored on a blocking thread as it arrives (the engine calls back from
        // its async task); the writes are awaited before answering, also after a failure or a
        // cancel, so what was finished is stored when this returns.
        let writes: Mutex<Vec<tokio::task::JoinHandle<Result<()>>>> = Mutex::new(Vec::new());
        let progress = |p: Progress| {
            let batch = batch_of(&p, view);
            let (handle, record, pieces) = (self.clone(), record.clone(), batch.pieces);
            let write = tokio::task::spawn_blocking(move || {
                handle.with(|lib| {
                    lib.store_mut()
                        .put_article_translations(id, &record, &pieces)
                })
            });
            writes.lock().unwrap_or_else(|p| p.into_inner()).push(write);
            on_event(TranslateEvent::Batch {
                article_id: id,
                done: p.done as u32,
                total: p.total as u32,
                blocks: batch.blocks,
                texts: batch.texts,
                title: batch.title,
            });
        };
        let outcome = engine.translate(&job, &progress, cancel).await;
        for write in writes.into_inner().unwrap_or_else(|p| p.into_inner()) {
            write
                .await
                .map_err(|e| CoreError::Internal(format!("storing a translation ({e})")))??;
        }
        let outcome = outcome.map_err(CoreError::Translate)?;
        Ok(summary_of(id, &req.to, &outcome))
    }
}

/// What the engine did, counted.
fn summary_of(
    article_id: i64,
    target: &str,
    outcome: &duizhao_translate::Outcome,
) -> TranslateSummary {
    let mut summary = TranslateSummary {
        article_id,
        target: target.to_string(),
        translated: 0,
        from_memory: 0,
        skipped: 0,
        requests: outcome.requests as u32,
        providers: Vec::new(),
    };
    for s in &outcome.segments {
        match s.origin {
            Origin::Provider => summary.translated += 1,
            Origin::Memory => summary.from_memory += 1,
            Origin::Skipped => summary.skipped += 1,
        }
        if let Some(p) = &s.provider
            && s.origin == Origin::Provider
            && !summary.providers.contains(p)
        {
            summary.providers.push(p.clone());
        }
    }
    summary
}
