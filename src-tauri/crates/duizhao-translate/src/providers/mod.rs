//! The [`Provider`] trait and the registry of the eight services, one file each. A provider
//! turns one batch of plain-text segments into the same number of translations, in order, or
//! a typed error; batching, retries, fallback, caching and glossary protection for MT services
//! are the engine's job, so each file is only the service's request and reply shapes.

use std::sync::Arc;

use async_trait::async_trait;
use serde::Serialize;

use crate::config::{FieldSpec, HttpOptions, Limits, ProviderConfig};
use crate::endpoint::KeyDestination;
use crate::error::TranslateError;
use crate::glossary::GlossaryTerm;
use crate::secret::Secret;

pub mod apertium;
pub mod deepl;
pub mod edge;
pub mod google;
pub mod google_web;
pub mod libretranslate;
pub mod microsoft;
pub mod openai;

/// One request's worth of segments, with languages already normalised by the engine.
#[derive(Debug, Clone)]
pub struct BatchRequest<'a> {
    /// The plain-text segments, in order.
    pub texts: &'a [String],
    /// The source language the user set (canonical BCP-47, see [`crate::lang::canonical`]).
    pub source: Option<&'a str>,
    /// The engine's guess at the source language, for services that cannot auto-detect.
    pub source_hint: Option<&'a str>,
    /// The target language (canonical; Chinese is always `zh-Hans`).
    pub target: &'a str,
    /// Glossary terms occurring in this batch (only for providers that use prompts; MT
    /// services get them substituted into `texts` instead).
    pub glossary: &'a [GlossaryTerm],
}

/// A translation service.
#[async_trait]
pub trait Provider: Send + Sync {
    /// The stable name (`openai`, `deepl`, `google`, `google-web`, `microsoft`, `edge`,
    /// `libretranslate`, `apertium`).
    fn name(&self) -> &'static str;

    /// The model (LLM providers) or empty; part of the translation-memory key.
    fn model(&self) -> &str {
        ""
    }

    /// A version of the prompt or request style; part of the translation-memory key, so a
    /// changed prompt does not reuse old translations.
    fn prompt_version(&self) -> String {
        "1".to_owned()
    }

    /// Batch sizes and request rates this provider accepts.
    fn limits(&self) -> Limits;

    /// `true` when glossary terms go into the prompt ([`BatchRequest::glossary`]); `false`
    /// when the engine should substitute them into the source text.
    fn uses_glossary_prompt(&self) -> bool {
        false
    }

    /// Translate `req.texts`; `Ok` must hold exactly one translation per text, in order.
    async fn translate(&self, req: &BatchRequest<'_>) -> Result<Vec<String>, TranslateError>;
}

/// The stable provider names, in the order the settings list them.
pub const NAMES: [&str; 8] = [
    "openai",
    "deepl",
    "google",
    "google-web",
    "microsoft",
    "edge",
    "libretranslate",
    "apertium",
];

/// The keyless providers the engine uses when the user has configured nothing.
pub const DEFAULT_CHAIN: [&str; 2] = ["edge", "google-web"];

/// What the settings UI and `dz provider list` show about a provider.
#[derive(Debug, Clone, Serialize)]
pub struct ProviderInfo {
    /// The stable name.
    pub name: &'static str,
    /// A human label.
    pub label: &'static str,
    /// Its settings fields (including the secret `api_key` when it takes one).
    pub fields: Vec<FieldSpec>,
    /// Its default limits.
    pub limits: Limits,
    /// Whether it cannot work without a key.
    pub needs_key: bool,
}

/// Information about the provider called `name`, or `None` for an unknown name.
pub fn info(name: &str) -> Option<ProviderInfo> {
    let (name, label, fields, limits): (&'static str, &'static str, Vec<FieldSpec>, Limits) =
        match name {
            "openai" => (
                "openai",
                "OpenAI-compatible (OpenAI, DeepSeek, Ollama, LM Studio, OpenRouter)",
                openai::fields(),
                openai::LIMITS,
            ),
            "deepl" => ("deepl", "DeepL", deepl::fields(), deepl::LIMITS),
            "google" => (
                "google",
                "Google Cloud Translation (v2)",
                google::fields(),
                google::LIMITS,
            ),
            "google-web" => (
                "google-web",
                "Google Translate (no key)",
                google_web::fields(),
                google_web::LIMITS,
            ),
            "microsoft" => (
                "microsoft",
                "Microsoft Translator",
                microsoft::fields(),
                microsoft::LIMITS,
            ),
            "edge" => (
                "edge",
                "Microsoft Edge translator (no key)",
                edge::fields(),
                edge::LIMITS,
            ),
            "libretranslate" => (
                "libretranslate",
                "LibreTranslate",
                libretranslate::fields(),
                libretranslate::LIMITS,
            ),
            "apertium" => (
                "apertium",
                "Apertium (APy server)",
                apertium::fields(),
                apertium::LIMITS,
            ),
            _ => return None,
        };
    let needs_key = fields
        .iter()
        .any(|f| f.kind == crate::config::FieldKind::Secret && f.required);
    Some(ProviderInfo {
        name,
        label,
        fields,
        limits,
        needs_key,
    })
}

/// Every provider's information, in [`NAMES`] order.
pub fn all() -> Vec<ProviderInfo> {
    NAMES.iter().filter_map(|n| info(n)).collect()
}

/// Build the provider `name` from its settings and key (`None` for keyless use). The key is
/// only ever sent to this provider's endpoint.
pub fn build(
    name: &str,
    cfg: &ProviderConfig,
    secret: Option<Secret>,
    opts: &HttpOptions,
) -> Result<Arc<dyn Provider>, TranslateError> {
    let secret = secret.filter(|s| !s.is_empty());
    Ok(match name {
        "openai" => Arc::new(openai::OpenAi::new(cfg, secret, opts)?),
        "deepl" => Arc::new(deepl::DeepL::new(cfg, secret, opts)?),
        "google" => Arc::new(google::Google::new(cfg, secret, opts)?),
        "google-web" => Arc::new(google_web::GoogleWeb::new(cfg, opts)?),
        "microsoft" => Arc::new(microsoft::Microsoft::new(cfg, secret, opts)?),
        "edge" => Arc::new(edge::Edge::new(cfg, opts)?),
        "libretranslate" => Arc::new(libretranslate::LibreTranslate::new(cfg, secret, opts)?),
        "apertium" => Arc::new(apertium::Apertium::new(cfg, opts)?),
        other => {
            return Err(TranslateError::config(
                None,
                format!("unknown provider `{other}`; known: {}", NAMES.join(", ")),
            ));
        }
    })
}

/// Build the default keyless chain ([`DEFAULT_CHAIN`]) with default settings.
pub fn default_chain(opts: &HttpOptions) -> Result<Vec<Arc<dyn Provider>>, TranslateError> {
    DEFAULT_CHAIN
        .iter()
        .map(|n| build(n, &ProviderConfig::new(), None, opts))
        .collect()
}

/// Where `name`'s key goes with settings `cfg`: the configured endpoint, else the default
/// (DeepL's free host for `:fx` keys). `None` for a provider that never sends a key (edge,
/// google-web, apertium), an unknown name, or an unusable endpoint.
pub fn key_destination(
    name: &str,
    cfg: &ProviderConfig,
    key: Option<&Secret>,
) -> Option<KeyDestination> {
    crate::endpoint::key_destination(keyed_endpoint(name, cfg, key)?)
}

/// The endpoint `name` sends its key to with `cfg` (configured, else default), for providers
/// that take a key; `None` for keyless ones and unknown names.
fn keyed_endpoint<'a>(
    name: &str,
    cfg: &'a ProviderConfig,
    key: Option<&Secret>,
) -> Option<&'a str> {
    let default = match name {
        "openai" => openai::DEFAULT_ENDPOINT,
        "deepl" => deepl::default_endpoint(key),
        "google" => google::DEFAULT_ENDPOINT,
        "microsoft" => microsoft::DEFAULT_ENDPOINT,
        "libretranslate" => libretranslate::DEFAULT_ENDPOINT,
        _ => return None,
    };
    Some(cfg.get("endpoint").unwrap_or(default))
}

/// `Err` (a `Config` error naming the provider) when settings `cfg` would send `key` in
/// clear: a plain-http endpoint off this machine. What [`build`] checks, without building;
/// for the core to call when settings or a key are saved, since `ProviderConfig::set` can only
/// check providers that always carry a key.
pub fn check_key_endpoint(
    name: &str,
    cfg: &ProviderConfig,
    key: Option<&Secret>,
) -> Result<(), TranslateError> {
    let key = key.filter(|k| !k.is_empty());
    match (keyed_endpoint(name, cfg, key), key) {
        (Some(endpoint), Some(_)) => crate::endpoint::check_key_transport(name, endpoint),
        _ => Ok(()),
    }
}

/// Whether changing `name`'s settings from `old` to `new` sends its key to another origin
/// (scheme, host or port). When it does, the core clears the stored key or has the user
/// confirm it again before anything is sent: a compromised settings form must not be able to
/// point a key at a host of its choosing.
pub fn key_destination_changes(
    name: &str,
    old: &ProviderConfig,
    new: &ProviderConfig,
    key: Option<&Secret>,
) -> bool {
    key_destination(name, old, key) != key_destination(name, new, key)
}

/// A required key, or a `Config` error telling where to put it.
pub(crate) fn require_key(
    provider: &'static str,
    secret: Option<Secret>,
) -> Result<Secret, TranslateError> {
    secret.ok_or_else(|| {
        TranslateError::provider(
            crate::error::ErrorKind::Auth,
            provider,
            format!(
                "no API key; add it in the provider settings or set {}",
                crate::secret::env_var_name(provider)
            ),
        )
    })
}

/// Check that a reply list has one entry per segment.
pub(crate) fn expect_len(
    http: &crate::http::Http,
    got: usize,
    want: usize,
) -> Result<(), TranslateError> {
    if got == want {
        Ok(())
    } else {
        Err(http.bad_reply(format!("reply has {got} translations for {want} segments")))
    }
}
