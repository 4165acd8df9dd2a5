//! DeepL API v2 (`POST /v2/translate`, `Authorization: DeepL-Auth-Key`). Free-plan keys end in
//! `:fx` and live on a separate host, chosen automatically unless the endpoint is overridden.
//! HTTP 456 means the character quota is used up.

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

const NAME: &str = "deepl";
const PRO_ENDPOINT: &str = "https://api.deepl.com";
const FREE_ENDPOINT: &str = "https://api-free.deepl.com";

/// ≤50 texts and ≤128 KiB per request (characters counted conservatively for CJK bytes).
pub const LIMITS: Limits = Limits {
    max_segments: 50,
    max_chars: 30_000,
    requests_per_second: 5,
    max_concurrency: 4,
};

/// The settings fields.
pub fn fields() -> Vec<FieldSpec> {
    vec![
        endpoint_field(
            PRO_ENDPOINT,
            "Leave empty: keys ending in :fx use https://api-free.deepl.com automatically.",
        ),
        key_field(
            true,
            "Your DeepL API authentication key (Account → API keys).",
        ),
        timeout_field("30"),
    ]
}

/// DeepL's target code for a canonical code.
pub fn target_code(lang: &str) -> &'static str {
    match lang {
        "en" => "EN-US",
        "pt" => "PT-BR",
        "zh-Hant" => "ZH-HANT",
        "zh-Hans" | "zh" => "ZH-HANS",
        "ja" => "JA",
        "ko" => "KO",
        "de" => "DE",
        "fr" => "FR",
        "es" => "ES",
        "ru" => "RU",
        "it" => "IT",
        _ => "EN-US",
    }
}

/// DeepL's source code (base language, upper case: `EN`, `ZH`, ...).
pub fn source_code(lang: &str) -> String {
    crate::lang::base(lang).to_ascii_uppercase()
}

/// The host a key goes to when no endpoint is set: free-plan keys (`…:fx`) live on their own.
pub(crate) fn default_endpoint(key: Option<&Secret>) -> &'static str {
    if key.is_some_and(|k| k.expose().ends_with(":fx")) {
        FREE_ENDPOINT
    } else {
        PRO_ENDPOINT
    }
}

/// The DeepL provider.
pub struct DeepL {
    http: Http,
    url: String,
}

impl DeepL {
    /// Build from settings; a key is required.
    pub fn new(
        cfg: &ProviderConfig,
        secret: Option<Secret>,
        opts: &HttpOptions,
    ) -> Result<Self, TranslateError> {
        let key = require_key(NAME, secret)?;
        let default = default_endpoint(Some(&key));
        let endpoint = http::endpoint(NAME, cfg, default, true)?;
        Ok(DeepL {
            http: Http::new(NAME, cfg, opts, Some(key))?,
            url: http::join(&endpoint, "v2/translate"),
        })
    }

    /// The URL requests go to (tests and diagnostics).
    pub fn url(&self) -> &str {
        &self.url
    }
}

#[derive(Deserialize)]
struct Reply {
    translations: Vec<Item>,
}

#[derive(Deserialize)]
struct Item {
    text: String,
}

#[async_trait]
impl Provider for DeepL {
    fn name(&self) -> &'static str {
        NAME
    }

    fn limits(&self) -> Limits {
        LIMITS
    }

    async fn translate(&self, req: &BatchRequest<'_>) -> Result<Vec<String>, TranslateError> {
        let mut body = json!({
            "text": req.texts,
            "target_lang": target_code(req.target),
        });
        if let Some(s) = req.source {
            body["source_lang"] = json!(source_code(s));
        }
        let key = self.http.secret().map(|s| s.expose()).unwrap_or_default();
        let rb = self
            .http
            .client()
            .post(&self.url)
            .header("Authorization", format!("DeepL-Auth-Key {key}"))
            .json(&body);
        let reply = self.http.send(rb).await?;
        let reply = self.http.check(reply, |status, _| match status {
            456 => Some(ErrorKind::Quota),
            _ => None,
        })?;
        let r: Reply = self.http.json(&reply.body)?;
        expect_len(&self.http, r.translations.len(), req.texts.len())?;
        Ok(r.translations.into_iter().map(|t| t.text).collect())
    }
}
