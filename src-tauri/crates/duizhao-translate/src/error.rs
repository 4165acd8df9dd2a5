//! One error type for every provider and the engine, classified so the engine knows whether to
//! retry, fall back or give up, and so the UI can react (an `auth` error opens the provider's
//! settings). Messages say what to do next and never contain an API key: every message built
//! from provider or transport text is passed through [`TranslateError::redact`].

use std::fmt;
use std::time::Duration;

use serde::Serialize;

use crate::secret::Secret;

/// What went wrong, as a stable code for the UI and scripts (`{"code": "quota", ...}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ErrorKind {
    /// The service rejected the key (missing, wrong, revoked): fix it in the provider settings.
    Auth,
    /// The account's quota or character allowance is used up.
    Quota,
    /// Too many requests; `retry_after` is the wait the service asked for, if it said.
    RateLimited {
        /// The server's `Retry-After`, in milliseconds when serialised.
        #[serde(rename = "retry_after_ms", serialize_with = "ser_opt_ms")]
        retry_after: Option<Duration>,
    },
    /// The service could not be reached, or answered with a server error (5xx).
    Network,
    /// The service did not answer in time.
    Timeout,
    /// The service answered with something unusable (malformed, truncated, misaligned).
    BadReply,
    /// The service does not offer this language pair or request.
    Unsupported,
    /// The provider is misconfigured (bad endpoint, missing field or key).
    Config,
    /// The job was cancelled by the user.
    Cancelled,
}

fn ser_opt_ms<S: serde::Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_some(&(d.as_millis().min(u128::from(u64::MAX)) as u64)),
        None => s.serialize_none(),
    }
}

impl ErrorKind {
    /// The stable code string (`auth`, `quota`, `rate_limited`, ...).
    pub fn code(&self) -> &'static str {
        match self {
            ErrorKind::Auth => "auth",
            ErrorKind::Quota => "quota",
            ErrorKind::RateLimited { .. } => "rate_limited",
            ErrorKind::Network => "network",
            ErrorKind::Timeout => "timeout",
            ErrorKind::BadReply => "bad_reply",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::Config => "config",
            ErrorKind::Cancelled => "cancelled",
        }
    }

    /// Whether trying the same request again later may succeed (429, 5xx, network, timeout).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ErrorKind::RateLimited { .. } | ErrorKind::Network | ErrorKind::Timeout
        )
    }

    /// Whether the provider is unusable for the rest of a job (no point sending more batches).
    pub fn disables_provider(&self) -> bool {
        matches!(
            self,
            ErrorKind::Auth | ErrorKind::Quota | ErrorKind::Unsupported | ErrorKind::Config
        )
    }
}

/// A translation failure: a kind, the provider it came from, and an actionable message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TranslateError {
    /// The classification (flattened into `code` and, for rate limits, `retry_after_ms`).
    #[serde(flatten)]
    pub kind: ErrorKind,
    /// The stable provider name (`deepl`, `openai`, ...) or `None` for engine-level errors.
    pub provider: Option<String>,
    /// One sentence for a person: what happened and what to do.
    pub message: String,
}

impl TranslateError {
    /// A new error; `message` must not contain secrets (see [`TranslateError::redact`]).
    pub fn new(kind: ErrorKind, provider: Option<&str>, message: impl Into<String>) -> Self {
        TranslateError {
            kind,
            provider: provider.map(str::to_owned),
            message: message.into(),
        }
    }

    /// An error of `kind` from `provider`.
    pub fn provider(kind: ErrorKind, provider: &str, message: impl Into<String>) -> Self {
        Self::new(kind, Some(provider), message)
    }

    /// A reply that could not be used.
    pub fn bad_reply(provider: &str, message: impl Into<String>) -> Self {
        Self::provider(ErrorKind::BadReply, provider, message)
    }

    /// A configuration problem.
    pub fn config(provider: Option<&str>, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Config, provider, message)
    }

    /// The job was cancelled.
    pub fn cancelled() -> Self {
        Self::new(ErrorKind::Cancelled, None, "translation cancelled")
    }

    /// The stable code string of this error's kind.
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// Replace every occurrence of `secret` in the message by `***` (defence in depth: servers
    /// sometimes echo what they were sent).
    pub fn redact(mut self, secret: Option<&Secret>) -> Self {
        if let Some(s) = secret {
            self.message = redact_str(&self.message, s);
        }
        self
    }
}

/// `text` with every occurrence of the secret (if it is at least 4 chars long) replaced, in
/// the forms a server may echo it in: as sent, percent-encoded (a URL or form body) and
/// JSON-escaped (a JSON body).
pub(crate) fn redact_str(text: &str, secret: &Secret) -> String {
    let raw = secret.expose();
    if raw.len() < 4 {
        return text.to_owned();
    }
    let encoded: String = url::form_urlencoded::byte_serialize(raw.as_bytes()).collect();
    let json = serde_json::to_string(raw).unwrap_or_default();
    let json = json.trim_matches('"');
    let mut out = text.to_owned();
    for form in [raw, encoded.as_str(), json] {
        if form.len() >= 4 && out.contains(form) {
            out = out.replace(form, "***");
        }
    }
    out
}

impl fmt::Display for TranslateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.provider {
            Some(p) => write!(f, "{p}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for TranslateError {}
