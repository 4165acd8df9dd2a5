//! LibreTranslate (`POST {endpoint}/translate`, `{q:[..], source, target, format:"text",
//! api_key?}` → `{translatedText:[..]}`). Self-hosted servers usually need no key.

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::json;

use super::{BatchRequest, Provider, expect_len};
use crate::config::{
    FieldSpec, HttpOptions, Limits, ProviderConfig, endpoint_field, key_field, timeout_field,
};
use crate::error::{ErrorKind, TranslateError};
use crate::http::{self, Http};
use crate::secret::Secret;

const NAME: &str = "libretranslate";
pub(crate) const DEFAULT_ENDPOINT: &str = "https://libretranslate.com";

/// Servers may set `--batch-limit` / `--char-limit`; these defaults fit the usual settings.
pub const LIMITS: Limits = Limits {
    max_segments: 20,
    max_chars: 5_000,
    requests_per_second: 5,
    max_concurrency: 2,
};

/// The settings fields.
pub fn fields() -> Vec<FieldSpec> {
    vec![
        endpoint_field(
            DEFAULT_ENDPOINT,
            "Your LibreTranslate server, e.g. http://localhost:5000.",
        ),
        key_field(
            false,
            "Only if the server requires one (libretranslate.com does).",
        ),
        timeout_field("60"),
    ]
}

/// LibreTranslate's code for a canonical code (`zh` for Chinese).
pub fn code(lang: &str) -> &str {
    match lang {
        "zh-Hans" | "zh-Hant" => "zh",
        other => other,
    }
}

/// The LibreTranslate provider.
pub struct LibreTranslate {
    http: Http,
    url: String,
}

impl LibreTranslate {
    /// Build from settings; the key is optional.
    pub fn new(
        cfg: &ProviderConfig,
        secret: Option<Secret>,
        opts: &HttpOptions,
    ) -> Result<Self, TranslateError> {
        let sends_key = secret.as_ref().is_some_and(|s| !s.is_empty());
        let endpoint = http::endpoint(NAME, cfg, DEFAULT_ENDPOINT, sends_key)?;
        Ok(LibreTranslate {
            http: Http::new(NAME, cfg, opts, secret)?,
            url: http::join(&endpoint, "translate"),
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Reply {
    translated_text: Texts,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Texts {
    Many(Vec<String>),
    One(String),
}

#[async_trait]
impl Provider for LibreTranslate {
    fn name(&self) -> &'static str {
        NAME
    }

    fn limits(&self) -> Limits {
        LIMITS
    }

    async fn translate(&self, req: &BatchRequest<'_>) -> Result<Vec<String>, TranslateError> {
        let mut body = json!({
            "q": req.texts,
            "source": req.source.map(code).unwrap_or("auto"),
            "target": code(req.target),
            "format": "text",
        });
        if let Some(k) = self.http.secret() {
            body["api_key"] = json!(k.expose());
        }
        let rb = self.http.client().post(&self.url).json(&body);
        let reply = self.http.send(rb).await?;
        let reply = self.http.check(reply, |status, body| match status {
            // libretranslate.com answers 400 "Visit https://portal.libretranslate.com to get an
            // API key" when a key is missing.
            400 if body.contains("API key") => Some(ErrorKind::Auth),
            _ => None,
        })?;
        let r: Reply = self.http.json(&reply.body)?;
        let texts = match r.translated_text {
            Texts::Many(v) => v,
            Texts::One(s) => vec![s],
        };
        expect_len(&self.http, texts.len(), req.texts.len())?;
        Ok(texts)
    }
}
