//! Microsoft Translator v3 (`POST {endpoint}/translate?api-version=3.0&to=..`), keyed by
//! `Ocp-Apim-Subscription-Key` (+ `Ocp-Apim-Subscription-Region` for regional resources).
//! Body `[{"Text":..}]` → `[{"translations":[{"text","to"}]}]`; 403 is a used-up free tier.

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::json;

use super::{BatchRequest, Provider, expect_len, require_key};
use crate::config::{
    FieldKind, FieldSpec, HttpOptions, Limits, ProviderConfig, endpoint_field, key_field,
    timeout_field,
};
use crate::error::{ErrorKind, TranslateError};
use crate::http::{self, Http};
use crate::secret::Secret;

const NAME: &str = "microsoft";
pub(crate) const DEFAULT_ENDPOINT: &str = "https://api.cognitive.microsofttranslator.com";

/// ≤1,000 elements and ≤50,000 characters per request; kept smaller for steady progress.
pub const LIMITS: Limits = Limits {
    max_segments: 100,
    max_chars: 20_000,
    requests_per_second: 10,
    max_concurrency: 4,
};

/// The settings fields.
pub fn fields() -> Vec<FieldSpec> {
    vec![
        endpoint_field(
            DEFAULT_ENDPOINT,
            "Translator endpoint (global, or your resource's regional/custom endpoint).",
        ),
        key_field(true, "Key of your Azure Translator resource."),
        FieldSpec {
            key: "region",
            label: "Region",
            kind: FieldKind::Text,
            required: false,
            default: None,
            help: "Azure region of the resource (e.g. westeurope); leave empty for a global resource.",
        },
        timeout_field("30"),
    ]
}

/// Microsoft's code for a canonical code (`zh-Hans`/`zh-Hant` as is).
pub fn code(lang: &str) -> &str {
    match lang {
        "zh" => "zh-Hans",
        other => other,
    }
}

/// v3 reply shape: one entry per input, each with its translations.
#[derive(Deserialize)]
pub(crate) struct V3Item {
    pub translations: Vec<V3Translation>,
}

/// One translation in a v3 reply.
#[derive(Deserialize)]
pub(crate) struct V3Translation {
    pub text: String,
}

/// Parse a v3 reply into one text per input.
pub(crate) fn parse_v3(
    http: &Http,
    body: &[u8],
    want: usize,
) -> Result<Vec<String>, TranslateError> {
    let items: Vec<V3Item> = http.json(body)?;
    expect_len(http, items.len(), want)?;
    items
        .into_iter()
        .map(|i| {
            i.translations
                .into_iter()
                .next()
                .map(|t| t.text)
                .ok_or_else(|| http.bad_reply("an entry has no translation"))
        })
        .collect()
}

/// The Microsoft Translator provider.
pub struct Microsoft {
    http: Http,
    url: String,
    region: Option<String>,
}

impl Microsoft {
    /// Build from settings; a key is required.
    pub fn new(
        cfg: &ProviderConfig,
        secret: Option<Secret>,
        opts: &HttpOptions,
    ) -> Result<Self, TranslateError> {
        let key = require_key(NAME, secret)?;
        let endpoint = http::endpoint(NAME, cfg, DEFAULT_ENDPOINT, true)?;
        Ok(Microsoft {
            http: Http::new(NAME, cfg, opts, Some(key))?,
            url: http::join(&endpoint, "translate"),
            region: cfg.get("region").map(str::to_owned),
        })
    }
}

#[async_trait]
impl Provider for Microsoft {
    fn name(&self) -> &'static str {
        NAME
    }

    fn limits(&self) -> Limits {
        LIMITS
    }

    async fn translate(&self, req: &BatchRequest<'_>) -> Result<Vec<String>, TranslateError> {
        let body: Vec<_> = req.texts.iter().map(|t| json!({"Text": t})).collect();
        let mut query = vec![
            ("api-version", "3.0"),
            ("to", code(req.target)),
            ("textType", "plain"),
        ];
        if let Some(s) = req.source {
            query.push(("from", code(s)));
        }
        let key = self.http.secret().map(|s| s.expose()).unwrap_or_default();
        let mut rb = self
            .http
            .client()
            .post(&self.url)
            .query(&query)
            .header("Ocp-Apim-Subscription-Key", key)
            .json(&body);
        if let Some(r) = &self.region {
            rb = rb.header("Ocp-Apim-Subscription-Region", r);
        }
        let reply = self.http.send(rb).await?;
        let reply = self.http.check(reply, |status, _| match status {
            403 => Some(ErrorKind::Quota),
            _ => None,
        })?;
        parse_v3(&self.http, &reply.body, req.texts.len())
    }
}
