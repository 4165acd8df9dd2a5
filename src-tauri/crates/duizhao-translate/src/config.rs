//! Provider settings as data: each provider declares its fields ([`FieldSpec`]) so one generic
//! settings form (UI) and one `dz provider set NAME KEY=VALUE` (CLI) serve every provider, and
//! its [`Limits`] so the engine batches correctly. [`ProviderConfig`] holds the non-secret
//! values the core stores in `config.toml`; the key comes separately from a `SecretSource`.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::TranslateError;

/// How a settings field is edited and validated.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FieldKind {
    /// Free text.
    Text,
    /// An API key: shown masked, stored in the keyring, never in `config.toml`.
    Secret,
    /// An `http://` or `https://` URL.
    Url,
    /// A decimal number.
    Number,
    /// One of fixed options.
    Select {
        /// The allowed values.
        options: Vec<&'static str>,
    },
}

/// One settings field of a provider.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldSpec {
    /// The key in `config.toml` and in `dz provider set NAME KEY=VALUE`.
    pub key: &'static str,
    /// The form label.
    pub label: &'static str,
    /// How it is edited and validated.
    pub kind: FieldKind,
    /// Whether the provider cannot work without it.
    pub required: bool,
    /// The value used when unset (shown as placeholder).
    pub default: Option<&'static str>,
    /// One line of help under the field.
    pub help: &'static str,
}

/// What one provider accepts per request, and how hard it may be driven.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Limits {
    /// Segments per request.
    pub max_segments: usize,
    /// Characters (Unicode scalar values) per request, summed over segments.
    pub max_chars: usize,
    /// Requests started per second (across concurrent batches).
    pub requests_per_second: u32,
    /// Requests in flight at once.
    pub max_concurrency: usize,
}

/// Transport settings shared by all providers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpOptions {
    /// Whole-request time limit (connect, send, read the reply).
    pub timeout: Duration,
    /// Largest reply body accepted; anything longer is a `BadReply`.
    pub max_reply_bytes: usize,
}

impl Default for HttpOptions {
    fn default() -> Self {
        HttpOptions {
            timeout: Duration::from_secs(30),
            max_reply_bytes: 8 * 1024 * 1024,
        }
    }
}

/// A provider's non-secret settings (`key → value`), stored by the core in `config.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ProviderConfig {
    /// The values, by [`FieldSpec::key`].
    pub values: BTreeMap<String, String>,
}

impl ProviderConfig {
    /// An empty config (all defaults).
    pub fn new() -> Self {
        Self::default()
    }

    /// Builder-style [`ProviderConfig::set_unchecked`].
    pub fn with(mut self, key: &str, value: &str) -> Self {
        self.set_unchecked(key, value);
        self
    }

    /// Set a value without validation (tests, programmatic use).
    pub fn set_unchecked(&mut self, key: &str, value: &str) {
        self.values.insert(key.to_owned(), value.to_owned());
    }

    /// The value for `key`, if set and not blank.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.values
            .get(key)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// Validate and set `key=value` against `fields` (what `dz provider set` does). Secret
    /// fields are refused here: keys go to the keyring or the environment, never to a file.
    /// An empty value removes the key.
    pub fn set(
        &mut self,
        provider: &str,
        fields: &[FieldSpec],
        key: &str,
        value: &str,
    ) -> Result<(), TranslateError> {
        let Some(spec) = fields.iter().find(|f| f.key == key) else {
            let known: Vec<&str> = fields
                .iter()
                .filter(|f| f.kind != FieldKind::Secret)
                .map(|f| f.key)
                .collect();
            return Err(TranslateError::config(
                Some(provider),
                format!(
                    "unknown setting `{key}`; known settings: {}",
                    known.join(", ")
                ),
            ));
        };
        let value = value.trim();
        if value.is_empty() {
            self.values.remove(key);
            return Ok(());
        }
        match &spec.kind {
            FieldKind::Secret => {
                return Err(TranslateError::config(
                    Some(provider),
                    format!(
                        "`{key}` is secret and is not stored in config.toml; save it in the app's settings (system keyring) or set {}",
                        crate::secret::env_var_name(provider)
                    ),
                ));
            }
            FieldKind::Url => {
                let ok = reqwest::Url::parse(value)
                    .map(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
                    .unwrap_or(false);
                if !ok {
                    return Err(TranslateError::config(
                        Some(provider),
                        format!("`{key}` must be an http:// or https:// URL"),
                    ));
                }
                // A provider that cannot work without a key always sends it to its endpoint;
                // those with an optional key are checked when built with one.
                let always_keyed = fields
                    .iter()
                    .any(|f| f.kind == FieldKind::Secret && f.required);
                if key == "endpoint" && always_keyed {
                    crate::endpoint::check_key_transport(provider, value)?;
                }
            }
            FieldKind::Number => {
                if value.parse::<f64>().map(|n| !n.is_finite()).unwrap_or(true) {
                    return Err(TranslateError::config(
                        Some(provider),
                        format!("`{key}` must be a number"),
                    ));
                }
            }
            FieldKind::Select { options } => {
                if !options.contains(&value) {
                    return Err(TranslateError::config(
                        Some(provider),
                        format!("`{key}` must be one of: {}", options.join(", ")),
                    ));
                }
            }
            FieldKind::Text => {}
        }
        self.values.insert(key.to_owned(), value.to_owned());
        Ok(())
    }

    /// A numeric setting, or `default` when unset; an unparsable value is a `Config` error.
    pub fn number(&self, provider: &str, key: &str, default: f64) -> Result<f64, TranslateError> {
        match self.get(key) {
            None => Ok(default),
            Some(v) => v
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .ok_or_else(|| {
                    TranslateError::config(Some(provider), format!("`{key}` must be a number"))
                }),
        }
    }
}

/// The `endpoint` field every provider has.
pub(crate) fn endpoint_field(default: &'static str, help: &'static str) -> FieldSpec {
    FieldSpec {
        key: "endpoint",
        label: "Endpoint",
        kind: FieldKind::Url,
        required: false,
        default: Some(default),
        help,
    }
}

/// The `timeout` field every provider has (seconds per request).
pub(crate) fn timeout_field(default: &'static str) -> FieldSpec {
    FieldSpec {
        key: "timeout",
        label: "Timeout (seconds)",
        kind: FieldKind::Number,
        required: false,
        default: Some(default),
        help: "How long one request may take before it is retried.",
    }
}

/// The `api_key` field (a secret: keyring or environment, never config.toml).
pub(crate) fn key_field(required: bool, help: &'static str) -> FieldSpec {
    FieldSpec {
        key: "api_key",
        label: "API key",
        kind: FieldKind::Secret,
        required,
        default: None,
        help,
    }
}
