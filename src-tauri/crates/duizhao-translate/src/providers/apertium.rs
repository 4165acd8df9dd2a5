//! Apertium APy (`{endpoint}/translate?langpair=eng|spa&q=..&markUnknown=no` →
//! `{responseData:{translatedText}, responseStatus}`): free, rule-based, self-hostable.
//! Codes are ISO 639-3; the installed pairs come from `/listPairs` (fetched once), so an
//! unsupported pair is reported before any text is sent. APy cannot auto-detect the source,
//! so the engine's guess is used when the user set none.

use async_trait::async_trait;
use serde::Deserialize;
use tokio::sync::OnceCell;

use super::{BatchRequest, Provider};
use crate::config::{
    FieldSpec, HttpOptions, Limits, ProviderConfig, endpoint_field, timeout_field,
};
use crate::error::{ErrorKind, TranslateError};
use crate::http::{self, Http};

const NAME: &str = "apertium";
const DEFAULT_ENDPOINT: &str = "http://127.0.0.1:2737";

/// One segment per request (APy translates one `q`); a local server takes many in parallel.
pub const LIMITS: Limits = Limits {
    max_segments: 1,
    max_chars: 20_000,
    requests_per_second: 50,
    max_concurrency: 4,
};

/// The settings fields.
pub fn fields() -> Vec<FieldSpec> {
    vec![
        endpoint_field(
            DEFAULT_ENDPOINT,
            "Your APy server, e.g. http://localhost:2737 (or https://apertium.org/apy).",
        ),
        timeout_field("30"),
    ]
}

/// The Apertium provider.
pub struct Apertium {
    http: Http,
    endpoint: String,
    pairs: OnceCell<Vec<(String, String)>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PairsReply {
    response_data: Vec<Pair>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Pair {
    source_language: String,
    target_language: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Reply {
    response_data: Option<Data>,
    #[serde(default)]
    response_status: Option<u16>,
    #[serde(default)]
    response_details: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Data {
    translated_text: String,
}

impl Apertium {
    /// Build from settings (no key).
    pub fn new(cfg: &ProviderConfig, opts: &HttpOptions) -> Result<Self, TranslateError> {
        Ok(Apertium {
            http: Http::new(NAME, cfg, opts, None)?,
            endpoint: http::endpoint(NAME, cfg, DEFAULT_ENDPOINT, false)?,
            pairs: OnceCell::new(),
        })
    }

    /// The installed pairs (`("eng","spa")`, ...), fetched once from `/listPairs`.
    pub async fn pairs(&self) -> Result<&[(String, String)], TranslateError> {
        let v = self
            .pairs
            .get_or_try_init(|| async {
                let rb = self
                    .http
                    .client()
                    .get(http::join(&self.endpoint, "listPairs"));
                let reply = self.http.send(rb).await?;
                let reply = self.http.check(reply, |_, _| None)?;
                let r: PairsReply = self.http.json(&reply.body)?;
                Ok::<_, TranslateError>(
                    r.response_data
                        .into_iter()
                        .map(|p| (p.source_language, p.target_language))
                        .collect(),
                )
            })
            .await?;
        Ok(v)
    }

    async fn one(&self, text: &str, pair: &str) -> Result<String, TranslateError> {
        let rb = self
            .http
            .client()
            .post(http::join(&self.endpoint, "translate"))
            .form(&[("langpair", pair), ("q", text), ("markUnknown", "no")]);
        let reply = self.http.send(rb).await?;
        let reply = self.http.check(reply, |status, body| match status {
            400 if body.contains("not installed") => Some(ErrorKind::Unsupported),
            _ => None,
        })?;
        let r: Reply = self.http.json(&reply.body)?;
        match (r.response_status, r.response_data) {
            (Some(200) | None, Some(d)) => Ok(d.translated_text),
            (status, _) => Err(self.http.bad_reply(format!(
                "reply status {:?}: {}",
                status,
                r.response_details
                    .unwrap_or_default()
                    .chars()
                    .take(200)
                    .collect::<String>()
            ))),
        }
    }
}

#[async_trait]
impl Provider for Apertium {
    fn name(&self) -> &'static str {
        NAME
    }

    fn limits(&self) -> Limits {
        LIMITS
    }

    async fn translate(&self, req: &BatchRequest<'_>) -> Result<Vec<String>, TranslateError> {
        let unsupported = |msg: String| TranslateError::provider(ErrorKind::Unsupported, NAME, msg);
        let source = req.source.or(req.source_hint).ok_or_else(|| {
            unsupported("Apertium needs the source language; set it for this translation".into())
        })?;
        let (Some(src), Some(tgt)) = (
            crate::lang::iso639_3(source),
            crate::lang::iso639_3(req.target),
        ) else {
            return Err(unsupported(format!(
                "no Apertium code for {source} → {}",
                req.target
            )));
        };
        let pairs = self.pairs().await?;
        if !pairs.iter().any(|(s, t)| s == src && t == tgt) {
            return Err(unsupported(format!(
                "the Apertium server has no {src}→{tgt} pair installed (see its /listPairs)"
            )));
        }
        let pair = format!("{src}|{tgt}");
        let mut out = Vec::with_capacity(req.texts.len());
        for t in req.texts {
            out.push(self.one(t, &pair).await?);
        }
        Ok(out)
    }
}
