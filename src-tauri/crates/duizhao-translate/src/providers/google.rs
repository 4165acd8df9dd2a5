//! Google Cloud Translation v2 (basic): `POST {endpoint}/language/translate/v2` with the key
//! in the `X-goog-api-key` header (never `?key=` in the URL, where proxies, server logs and
//! error messages would see it), `{q:[..], target, source?, format:"text"}` →
//! `data.translations[].translatedText`.
//! Quota exhaustion is a 403 whose reason mentions a limit; an invalid key is a 400.

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::json;

use super::{BatchRequest, Provider, expect_len, require_key};
use crate::config::{
    FieldSpec, HttpOptions, Limits, ProviderConfig, endpoint_field, key_field, timeout_field,
};
use crate::error::{ErrorKind, TranslateError};
use crate::http::{self, Http};
use crate::secret::Secret;

const NAME: &str = "google";
pub(crate) const DEFAULT_ENDPOINT: &str = "https://translation.googleapis.com";

/// ≤128 segments per request; Google recommends keeping requests to a few thousand characters.
pub const LIMITS: Limits = Limits {
    max_segments: 128,
    max_chars: 10_000,
    requests_per_second: 10,
    max_concurrency: 4,
};

/// The settings fields.
pub fn fields() -> Vec<FieldSpec> {
    vec![
        endpoint_field(DEFAULT_ENDPOINT, "Cloud Translation API host."),
        key_field(
            true,
            "An API key of a Google Cloud project with the Cloud Translation API enabled.",
        ),
        timeout_field("30"),
    ]
}

/// Google's code for a canonical code (`zh-CN` / `zh-TW` for Chinese).
pub fn code(lang: &str) -> &str {
    match lang {
        "zh-Hans" | "zh" => "zh-CN",
        "zh-Hant" => "zh-TW",
        other => other,
    }
}

/// The Google Cloud v2 provider.
pub struct Google {
    http: Http,
    url: String,
}

impl Google {
    /// Build from settings; a key is required.
    pub fn new(
        cfg: &ProviderConfig,
        secret: Option<Secret>,
        opts: &HttpOptions,
    ) -> Result<Self, TranslateError> {
        let key = require_key(NAME, secret)?;
        let endpoint = http::endpoint(NAME, cfg, DEFAULT_ENDPOINT, true)?;
        Ok(Google {
            http: Http::new(NAME, cfg, opts, Some(key))?,
            url: http::join(&endpoint, "language/translate/v2"),
        })
    }
}

#[derive(Deserialize)]
struct Reply {
    data: Data,
}

#[derive(Deserialize)]
struct Data {
    translations: Vec<Item>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Item {
    translated_text: String,
}

#[async_trait]
impl Provider for Google {
    fn name(&self) -> &'static str {
        NAME
    }

    fn limits(&self) -> Limits {
        LIMITS
    }

    async fn translate(&self, req: &BatchRequest<'_>) -> Result<Vec<String>, TranslateError> {
        let mut body = json!({
            "q": req.texts,
            "target": code(req.target),
            "format": "text",
        });
        if let Some(s) = req.source {
            body["source"] = json!(code(s));
        }
        let key = self.http.secret().map(|s| s.expose()).unwrap_or_default();
        let rb = self
            .http
            .client()
            .post(&self.url)
            .header("X-goog-api-key", key)
            .json(&body);
        let reply = self.http.send(rb).await?;
        let reply = self.http.check(reply, |status, body| {
            let lower = body.to_ascii_lowercase();
            match status {
                400 if lower.contains("api key not valid") || lower.contains("api_key_invalid") => {
                    Some(ErrorKind::Auth)
                }
                403 if lower.contains("limit") || lower.contains("quota") => Some(ErrorKind::Quota),
                _ => None,
            }
        })?;
        let r: Reply = self.http.json(&reply.body)?;
        expect_len(&self.http, r.data.translations.len(), req.texts.len())?;
        Ok(r.data
            .translations
            .into_iter()
            .map(|t| t.translated_text)
            .collect())
    }
}
