//! Translation as the reader uses it: providers and their settings, the translation memory
//! in SQLite, and translating an article (blocks and title) into a target language. The
//! providers and the engine live in `duizhao-translate`; this module is the glue to storage.

use serde::{Deserialize, Serialize};

/// One settings field of a provider, with its current value (never a secret's value).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FieldView {
    /// Key in config.toml and `dz provider set`.
    pub key: String,
    /// Form label.
    pub label: String,
    /// `text`, `secret`, `url`, `number` or `select`.
    pub kind: String,
    /// Choices for `select`.
    pub options: Vec<String>,
    /// Must be set for the provider to work.
    pub required: bool,
    /// Used when unset.
    pub default: Option<String>,
    /// One line of help.
    pub help: String,
    /// The configured value; for a secret, `None` (see `has_key`).
    pub value: Option<String>,
}

/// A translation provider as the settings page and pickers show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProviderView {
    /// Stable name (`openai`, `deepl`, `google`, `google-web`, `microsoft`, `edge`,
    /// `libretranslate`, `apertium`).
    pub name: String,
    /// Human label.
    pub label: String,
    /// Its settings form.
    pub fields: Vec<FieldView>,
    /// It cannot work without a key.
    pub needs_key: bool,
    /// A key is available (keyring or environment); the key itself never leaves Rust.
    pub has_key: bool,
    /// Usable now (a key when one is needed, required fields set).
    pub ready: bool,
}

/// The reader's translation defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TranslationSettings {
    /// Target language (BCP-47): `en`, `zh-Hans`, `zh-Hant`, `de`, …
    pub target: String,
    /// Preferred provider; `None` = the keyless default chain (edge, then google-web).
    pub provider: Option<String>,
}

impl Default for TranslationSettings {
    fn default() -> Self {
        TranslationSettings {
            target: "en".into(),
            provider: None,
        }
    }
}

/// A step of an article translation, streamed to the UI (Tauri Channel) and the CLI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum TranslateEvent {
    /// Work is about to start: `total` segments (blocks + title) need translating.
    Started {
        /// The article.
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        article_id: i64,
        /// Segments in the job.
        total: u32,
    },
    /// A batch finished: translations for these block indices (already in the view's script).
    Batch {
        /// The article.
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        article_id: i64,
        /// Segments done so far.
        done: u32,
        /// Segments in the job.
        total: u32,
        /// Block indices translated in this batch (same order as `texts`).
        blocks: Vec<u32>,
        /// Their translations.
        texts: Vec<String>,
        /// The title's translation, when this batch carried it.
        title: Option<String>,
    },
}

/// What translating an article did: `dz translate`'s JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TranslateSummary {
    /// The article.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub article_id: i64,
    /// Target language as requested.
    pub target: String,
    /// Segments translated by a service now.
    pub translated: u32,
    /// Segments found in the translation memory.
    pub from_memory: u32,
    /// Segments already in the target language.
    pub skipped: u32,
    /// HTTP requests made.
    pub requests: u32,
    /// The providers that answered.
    pub providers: Vec<String>,
}

/// The result of a provider's "test connection".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProviderTest {
    /// It worked.
    pub ok: bool,
    /// What happened, in one sentence.
    pub message: String,
    /// The sample translation, when it worked.
    pub sample: Option<String>,
}

/// A glossary term: always translate `source` as `target`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GlossaryEntry {
    /// Id (0 for a new entry).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    /// The term as it appears in articles.
    pub source: String,
    /// How to render it.
    pub target: String,
    /// Only for this target language (BCP-47); `None` = every target.
    pub lang: Option<String>,
    /// Only for this feed; `None` = global.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub feed_id: Option<i64>,
}

// ---------------------------------------------------------------------------------------------
// Use cases.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use duizhao_translate::{
    CancellationToken, Engine, FieldKind, GlossaryTerm, HttpOptions, Job, Origin, Progress,
    ProviderConfig, Segment, TmError, TmKey, TranslationMemory, providers,
};
use rusqlite::{OptionalExtension, params};

use crate::error::{CoreError, Result};
use crate::handle::LibraryHandle;
use crate::library::Library;
use crate::view::ScriptChoice;

/// The file holding non-secret provider settings, in the data folder.
pub const CONFIG_FILE: &str = "config.toml";

/// Settings key of [`TranslationSettings`] (JSON).
const SETTINGS_KEY: &str = "translation";

/// Segment id of the title in a translation job (blocks are `b<index>`).
const TITLE_ID: &str = "title";
/// `article_translations.seq` of the title.
const TITLE_SEQ: i64 = -1;

/// Every provider's non-secret settings, as in `config.toml`:
/// `[providers.deepl]` / `endpoint = "…"`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProviderConfigs {
    /// Settings by provider name.
    #[serde(default)]
    pub providers: BTreeMap<String, BTreeMap<String, String>>,
}

impl ProviderConfigs {
    /// Reads `DIR/config.toml`; a missing file is an empty configuration.
    pub fn load(dir: &Path) -> Result<Self> {
        let path = dir.join(CONFIG_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str(&text).map_err(|e| {
                CoreError::InvalidInput(format!("{}: {}", path.display(), e.message()))
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(CoreError::Io { path, source: e }),
        }
    }

    /// Writes `DIR/config.toml` atomically (temporary file + rename): never half-written.
    pub fn save(&self, dir: &Path) -> Result<()> {
        let path = dir.join(CONFIG_FILE);
        let tmp = dir.join(format!("{CONFIG_FILE}.tmp"));
        let text = toml::to_string_pretty(self)
            .map_err(|e| CoreError::InvalidInput(format!("config.toml: {e}")))?;
        std::fs::write(&tmp, text).map_err(|e| CoreError::Io {
            path: tmp.clone(),
            source: e,
        })?;
        std::fs::rename(&tmp, &path).map_err(|e| CoreError::Io { path, source: e })
    }

    /// One provider's settings in the form the providers take.
    pub fn get(&self, name: &str) -> ProviderConfig {
        let mut cfg = ProviderConfig::new();
        if let Some(values) = self.providers.get(name) {
            for (k, v) in values {
                cfg.set_unchecked(k, v);
            }
        }
        cfg
    }
}

fn known_provider(name: &str) -> Result<providers::ProviderInfo> {
    providers::info(name).ok_or_else(|| {
        CoreError::InvalidInput(format!(
            "unknown provider `{name}`; known: {}",
            providers::NAMES.join(", ")
        ))
    })
}

/// Where stored translations for `to` are filed: `zh` for every Chinese target (the service
/// is asked for Simplified and the script is converted locally), else the canonical code.
pub fn record_target(to: &str) -> Result<String> {
    let canonical = duizhao_translate::lang::canonical(to).ok_or_else(|| {
        CoreError::InvalidInput(format!(
            "unknown target language `{to}`; use one of {}",
            duizhao_translate::lang::LANGUAGES.join(", ")
        ))
    })?;
    Ok(if canonical.starts_with("zh") {
        "zh".into()
    } else {
        canonical.to_string()
    })
}

/// The OpenCC config that turns a stored Chinese translation (Simplified) into what the reader
/// wants: the script switch when set, else the script the target names.
pub fn translation_config(to: &str, script: ScriptChoice) -> Option<duizhao_zh::Config> {
    if !to.to_ascii_lowercase().starts_with("zh") {
        return None;
    }
    match script {
        ScriptChoice::Original => {
            let lower = to.to_ascii_lowercase();
            if lower.contains("hant") || lower.ends_with("-tw") || lower.ends_with("-hk") {
                Some(duizhao_zh::Config::S2t)
            } else {
                None
            }
        }
        other => other.config_from(Some("zh-Hans")),
    }
}

fn convert_for_view(text: &str, config: Option<duizhao_zh::Config>) -> String {
    match config {
        Some(c) => duizhao_zh::Converter::get(c).convert(text),
        None => text.to_string(),
    }
}

impl Library {
    /// Every provider with its settings form and whether it is ready (keys never included).
    pub fn list_providers(&self) -> Vec<ProviderView> {
        providers::all()
            .into_iter()
            .map(|info| self.provider_view(&info))
            .collect()
    }

    fn provider_view(&self, info: &providers::ProviderInfo) -> ProviderView {
        let cfg = self.providers.get(info.name);
        let has_key = self.secrets().get(info.name).is_some();
        let fields: Vec<FieldView> = info
            .fields
            .iter()
            .map(|f| {
                let (kind, options) = match &f.kind {
                    FieldKind::Text => ("text", vec![]),
                    FieldKind::Secret => ("secret", vec![]),
                    FieldKind::Url => ("url", vec![]),
                    FieldKind::Number => ("number", vec![]),
                    FieldKind::Select { options } => {
                        ("select", options.iter().map(|o| o.to_string()).collect())
                    }
                };
                let value = if f.kind == FieldKind::Secret {
                    None
                } else {
                    cfg.get(f.key).map(str::to_string)
                };
                FieldView {
                    key: f.key.to_string(),
                    label: f.label.to_string(),
                    kind: kind.to_string(),
                    options,
                    required: f.required,
                    default: f.default.map(str::to_string),
                    help: f.help.to_string(),
                    value,
                }
            })
            .collect();
        let required_set = fields
            .iter()
            .all(|f| !f.required || f.kind == "secret" || f.value.is_some() || f.default.is_some());
        ProviderView {
            name: info.name.to_string(),
            label: info.label.to_string(),
            needs_key: info.needs_key,
            has_key,
            ready: required_set && (!info.needs_key || has_key),
            fields,
        }
    }

    /// One provider's view.
    pub fn provider(&self, name: &str) -> Result<ProviderView> {
        Ok(self.provider_view(&known_provider(name)?))
    }

    /// Sets non-secret provider settings (validated), saved to config.toml.
    pub fn set_provider(
        &mut self,
        name: &str,
        values: &BTreeMap<String, String>,
    ) -> Result<ProviderView> {
        let info = known_provider(name)?;
        let mut cfg = self.providers.get(name);
        for (k, v) in values {
            cfg.set(name, &info.fields, k, v)
                .map_err(CoreError::Translate)?;
        }
        let mut next = self.providers.clone();
        next.providers.insert(name.to_string(), cfg.values.clone());
        if let Some(dir) = self.dir() {
            next.save(dir)?;
        }
        self.providers = next;
        self.provider(name)
    }

    /// Stores (or with `None` deletes) a provider's API key in the OS keyring.
    pub fn set_provider_key(&mut self, name: &str, key: Option<&str>) -> Result<ProviderView> {
        known_provider(name)?;
        let result = match key.map(str::trim).filter(|k| !k.is_empty()) {
            Some(k) => {
                duizhao_translate::KeyringSecrets::set(name, &duizhao_translate::Secret::new(k))
            }
            None => duizhao_translate::KeyringSecrets::delete(name),
        };
        result.map_err(|e| {
            CoreError::InvalidInput(format!(
                "could not use the system keyring ({e}); set {} instead",
                duizhao_translate::secret::env_var_name(name)
            ))
        })?;
        self.provider(name)
    }

    /// The reader's translation defaults.
    pub fn translation_settings(&self) -> Result<TranslationSettings> {
        Ok(self
            .store()
            .setting(SETTINGS_KEY)?
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default())
    }

    /// Saves the reader's translation defaults.
    pub fn set_translation_settings(&mut self, settings: &TranslationSettings) -> Result<()> {
        record_target(&settings.target)?;
        if let Some(p) = &settings.provider {
            known_provider(p)?;
        }
        let json =
            serde_json::to_string(settings).map_err(|e| CoreError::InvalidInput(e.to_string()))?;
        self.store_mut().set_setting(SETTINGS_KEY, &json)
    }

    /// The provider chain for a job: the chosen (or configured) provider first, then the
    /// keyless defaults as fallback.
    fn chain(&self, provider: Option<&str>) -> Result<Vec<Arc<dyn duizhao_translate::Provider>>> {
        let configured = self.translation_settings()?.provider;
        let first = provider.map(str::to_string).or(configured);
        let mut names: Vec<String> = Vec::new();
        if let Some(p) = first {
            known_provider(&p)?;
            names.push(p);
        }
        for d in providers::DEFAULT_CHAIN {
            if !names.iter().any(|n| n == d) {
                names.push(d.to_string());
            }
        }
        names
            .iter()
            .map(|n| {
                let cfg = self.providers.get(n);
                let timeout = cfg
                    .number(n, "timeout", 30.0)
                    .map_err(CoreError::Translate)?;
                let opts = HttpOptions {
                    timeout: std::time::Duration::from_secs_f64(timeout.clamp(0.1, 600.0)),
                    ..HttpOptions::default()
                };
                providers::build(n, &cfg, self.secrets().get(n), &opts)
                    .map_err(CoreError::Translate)
            })
            .collect()
    }

    /// Glossary terms that apply to a feed (global ones included).
    pub fn glossary(&self, feed_id: Option<i64>) -> Result<Vec<GlossaryEntry>> {
        let mut stmt = self.store().conn().prepare_cached(
            "SELECT id, source, target, lang, feed_id FROM glossary
             WHERE feed_id IS NULL OR feed_id = ?1 ORDER BY source",
        )?;
        let rows = stmt.query_map([feed_id], |r| {
            Ok(GlossaryEntry {
                id: r.get(0)?,
                source: r.get(1)?,
                target: r.get(2)?,
                lang: r.get(3)?,
                feed_id: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Adds (id 0) or updates a glossary entry.
    pub fn save_glossary_entry(&mut self, entry: &GlossaryEntry) -> Result<GlossaryEntry> {
        let source = entry.source.trim();
        let target = entry.target.trim();
        if source.is_empty() || target.is_empty() {
            return Err(CoreError::InvalidInput(
                "a glossary term needs a source and a target".into(),
            ));
        }
        let conn = self.store().conn();
        let id = if entry.id == 0 {
            conn.execute(
                "INSERT INTO glossary(source, target, lang, feed_id) VALUES (?1, ?2, ?3, ?4)",
                params![source, target, entry.lang, entry.feed_id],
            )?;
            conn.last_insert_rowid()
        } else {
            let n = conn.execute(
                "UPDATE glossary SET source = ?1, target = ?2, lang = ?3, feed_id = ?4 WHERE id = ?5",
                params![source, target, entry.lang, entry.feed_id, entry.id],
            )?;
            if n == 0 {
                return Err(CoreError::InvalidInput(format!(
                    "no glossary entry {}",
                    entry.id
                )));
            }
            entry.id
        };
        Ok(GlossaryEntry {
            id,
            source: source.to_string(),
            target: target.to_string(),
            lang: entry.lang.clone(),
            feed_id: entry.feed_id,
        })
    }

    /// Deletes a glossary entry.
    pub fn delete_glossary_entry(&mut self, id: i64) -> Result<()> {
        self.store()
            .conn()
            .execute("DELETE FROM glossary WHERE id = ?1", [id])?;
        Ok(())
    }

    /// Stored translations of an article into `target` (record form), by block index
    /// (`TITLE_SEQ` for the title).
    pub fn stored_translations(
        &self,
        article_id: i64,
        target: &str,
    ) -> Result<HashMap<i64, String>> {
        let mut stmt = self.store().conn().prepare_cached(
            "SELECT seq, text FROM article_translations WHERE article_id = ?1 AND target = ?2",
        )?;
        let rows = stmt.query_map(params![article_id, target], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn store_article_translations(
        &mut self,
        article_id: i64,
        target: &str,
        rows: &[(i64, String, String)],
    ) -> Result<()> {
        self.store_mut().write(|tx| {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO article_translations(article_id, target, seq, text, provider)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(article_id, target, seq) DO UPDATE SET
                   text = excluded.text, provider = excluded.provider",
            )?;
            for (seq, text, provider) in rows {
                stmt.execute(params![article_id, target, seq, text, provider])?;
            }
            Ok(())
        })
    }

    /// Attaches stored translations to a view of an article.
    pub(crate) fn attach_translations(
        &self,
        article: &mut crate::model::Article,
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

/// The translation memory on the library's SQLite database.
struct SqliteTm(LibraryHandle);

impl TranslationMemory for SqliteTm {
    fn lookup(&self, keys: &[TmKey]) -> std::result::Result<Vec<Option<String>>, TmError> {
        let lib = self.0.lock();
        let mut stmt = lib
            .store()
            .conn()
            .prepare_cached("SELECT text FROM translations WHERE key = ?1")?;
        let mut out = Vec::with_capacity(keys.len());
        for k in keys {
            out.push(stmt.query_row([k.as_str()], |r| r.get(0)).optional()?);
        }
        Ok(out)
    }

    fn store(&self, entries: &[(TmKey, String)]) -> std::result::Result<(), TmError> {
        let mut lib = self.0.lock();
        let now = chrono::Utc::now().timestamp_millis();
        lib.store_mut().write(|tx| {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO translations(key, text, created_ms) VALUES (?1, ?2, ?3)
                 ON CONFLICT(key) DO UPDATE SET text = excluded.text",
            )?;
            for (k, text) in entries {
                stmt.execute(params![k.as_str(), text, now])?;
            }
            Ok(())
        })?;
        Ok(())
    }
}

/// What to translate and how to show it.
#[derive(Debug, Clone, PartialEq)]
pub struct TranslateRequest {
    /// Target language (BCP-47).
    pub to: String,
    /// Provider to try first (else the configured one, else the keyless chain).
    pub provider: Option<String>,
    /// Script for Chinese text in the streamed events.
    pub script: ScriptChoice,
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
        let (article, chain, glossary) = self.with(|lib| {
            let article = lib.article(id)?;
            let chain = lib.chain(req.provider.as_deref())?;
            let glossary = lib.glossary(article.feed_id)?;
            Ok((article, chain, glossary))
        })?;
        // Languages detected at import travel with the segments, so the engine only runs its
        // detector on what we could not tell (and the first batch leaves at once).
        let known = |l: Option<&String>| {
            l.filter(|l| duizhao_translate::lang::canonical(l).is_some())
                .cloned()
        };
        let mut segments: Vec<Segment> = vec![
            Segment::new(TITLE_ID, article.title.clone()).with_lang(known(article.lang.as_ref())),
        ];
        for (i, b) in article.blocks.iter().enumerate() {
            if b.kind.is_textual() && !b.text.trim().is_empty() {
                segments.push(
                    Segment::new(format!("b{i}"), b.text.clone()).with_lang(known(b.lang.as_ref())),
                );
            }
        }
        let job = Job {
            segments,
            source: None,
            target: req.to.clone(),
            glossary: glossary
                .iter()
                .map(|g| GlossaryTerm {
                    source: g.source.clone(),
                    target: g.target.clone(),
                    scope: g.lang.clone(),
                })
                .collect(),
        };
        on_event(TranslateEvent::Started {
            article_id: id,
            total: job.segments.len() as u32,
        });
        let engine = Engine::new(chain).with_memory(Arc::new(SqliteTm(self.clone())));
        let view_config = translation_config(&req.to, req.script);
        let store_error: std::sync::Mutex<Option<CoreError>> = std::sync::Mutex::new(None);
        let progress = |p: Progress| {
            let mut rows = Vec::with_capacity(p.segments.len());
            let mut blocks = Vec::new();
            let mut texts = Vec::new();
            let mut title = None;
            for s in &p.segments {
                let provider = match s.origin {
                    Origin::Skipped => "same-language".to_string(),
                    _ => s.provider.clone().unwrap_or_else(|| "memory".into()),
                };
                let shown = convert_for_view(&s.text, view_config);
                if s.id == TITLE_ID {
                    rows.push((TITLE_SEQ, s.text.clone(), provider));
                    title = Some(shown);
                } else if let Some(i) = s.id.strip_prefix('b').and_then(|n| n.parse::<u32>().ok()) {
                    rows.push((i64::from(i), s.text.clone(), provider));
                    blocks.push(i);
                    texts.push(shown);
                }
            }
            if let Err(e) = self.with(|lib| lib.store_article_translations(id, &record, &rows)) {
                store_error
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .get_or_insert(e);
            }
            on_event(TranslateEvent::Batch {
                article_id: id,
                done: p.done as u32,
                total: p.total as u32,
                blocks,
                texts,
                title,
            });
        };
        let outcome = engine
            .translate(&job, &progress, cancel)
            .await
            .map_err(CoreError::Translate)?;
        if let Some(e) = store_error.into_inner().unwrap_or_else(|p| p.into_inner()) {
            return Err(e);
        }
        let mut summary = TranslateSummary {
            article_id: id,
            target: req.to.clone(),
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
        Ok(summary)
    }

    /// Translates a short sample with one provider only: the settings page's "test connection".
    pub async fn test_provider(&self, name: &str) -> Result<ProviderTest> {
        let provider = self.with(|lib| {
            known_provider(name)?;
            let cfg = lib.providers.get(name);
            providers::build(name, &cfg, lib.secrets().get(name), &HttpOptions::default())
                .map_err(CoreError::Translate)
        });
        let provider = match provider {
            Ok(p) => p,
            Err(e) => {
                return Ok(ProviderTest {
                    ok: false,
                    message: e.to_string(),
                    sample: None,
                });
            }
        };
        let engine = Engine::new(vec![provider]);
        let job = Job {
            segments: vec![Segment::new("t", "Good morning, world.")],
            source: Some("en".into()),
            target: "de".into(),
            glossary: vec![],
        };
        Ok(
            match engine
                .translate(&job, &|_| {}, &CancellationToken::new())
                .await
            {
                Ok(out) => ProviderTest {
                    ok: true,
                    message: format!("{name} answered."),
                    sample: out.segments.first().map(|s| s.text.clone()),
                },
                Err(e) => ProviderTest {
                    ok: false,
                    message: e.to_string(),
                    sample: None,
                },
            },
        )
    }
}

impl Library {
    /// Imports glossary terms from a CSV file with the columns `source,target[,lang]` (a
    /// header row is recognised and skipped). Returns the number of terms added.
    pub fn import_glossary_csv(&mut self, path: &Path, feed_id: Option<i64>) -> Result<usize> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_path(path)
            .map_err(|e| csv_error(path, e))?;
        let mut entries = Vec::new();
        for (i, record) in reader.records().enumerate() {
            let record = record.map_err(|e| csv_error(path, e))?;
            let field = |n: usize| record.get(n).map(str::trim).unwrap_or("");
            if i == 0 && field(0).eq_ignore_ascii_case("source") {
                continue;
            }
            if field(0).is_empty() && field(1).is_empty() {
                continue;
            }
            entries.push(GlossaryEntry {
                id: 0,
                source: field(0).to_string(),
                target: field(1).to_string(),
                lang: Some(field(2)).filter(|l| !l.is_empty()).map(str::to_string),
                feed_id,
            });
        }
        // All or nothing: a bad row leaves the glossary as it was.
        for e in &entries {
            if e.source.is_empty() || e.target.is_empty() {
                return Err(CoreError::InvalidInput(format!(
                    "{}: every row needs a source and a target",
                    path.display()
                )));
            }
        }
        self.store_mut().write(|tx| {
            for e in &entries {
                tx.execute(
                    "INSERT INTO glossary(source, target, lang, feed_id) VALUES (?1, ?2, ?3, ?4)",
                    params![e.source, e.target, e.lang, e.feed_id],
                )?;
            }
            Ok(())
        })?;
        Ok(entries.len())
    }

    /// Writes the glossary (global and per-feed terms) as CSV `source,target,lang`.
    pub fn export_glossary_csv(&self, path: &Path) -> Result<()> {
        let mut stmt = self
            .store()
            .conn()
            .prepare("SELECT source, target, COALESCE(lang, '') FROM glossary ORDER BY source")?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut w = csv::Writer::from_path(path).map_err(|e| csv_error(path, e))?;
        w.write_record(["source", "target", "lang"])
            .map_err(|e| csv_error(path, e))?;
        for (s, t, l) in rows {
            w.write_record([s, t, l]).map_err(|e| csv_error(path, e))?;
        }
        w.flush().map_err(|e| CoreError::Io {
            path: path.to_path_buf(),
            source: e,
        })
    }
}

fn csv_error(path: &Path, e: csv::Error) -> CoreError {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => CoreError::Io {
            path: path.to_path_buf(),
            source: io,
        },
        other => CoreError::InvalidInput(format!(
            "{}: not a valid CSV file ({other:?})",
            path.display()
        )),
    }
}
