//! Translation as the reader sees it: providers and their settings forms, the reader's
//! defaults, glossary terms, an article's translation as it streams, and auto-translation.

use serde::{Deserialize, Serialize};

use super::failure::{ErrorCode, Failure};
use super::view::ScriptChoice;

/// The target languages the app offers (BCP-47), each with its name in that language, in the
/// order the UI lists them. The UI's list is generated from this one.
pub const LANGUAGES: &[(&str, &str)] = &[
    ("en", "English"),
    ("zh-Hans", "中文（简体）"),
    ("zh-Hant", "中文（繁體）"),
    ("de", "Deutsch"),
    ("fr", "Français"),
    ("es", "Español"),
    ("ja", "日本語"),
    ("ko", "한국어"),
    ("ru", "Русский"),
    ("pt", "Português"),
    ("it", "Italiano"),
];

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
    /// Why it failed (typed: an `auth` failure sends the reader to the provider's settings).
    pub error: Option<Failure>,
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
    /// What kind of failure (`auth`, `quota`, `network`, …).
    pub code: ErrorCode,
    /// The provider that failed, when one did.
    pub provider: Option<String>,
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

#[cfg(test)]
mod tests {
    #[test]
    fn the_offered_languages_are_the_ones_the_translation_engine_knows() {
        let mut offered: Vec<&str> = super::LANGUAGES.iter().map(|(c, _)| *c).collect();
        let mut known = duizhao_translate::lang::LANGUAGES.to_vec();
        offered.sort_unstable();
        known.sort_unstable();
        assert_eq!(
            offered, known,
            "a language in the UI the engine cannot translate to (or the reverse) would fail"
        );
    }
}
