//! Google's keyless web endpoint (`GET {endpoint}/translate_a/single?client=gtx&dt=t&dj=1`),
//! one request per segment; the reply's `sentences[].trans` are joined. Unofficial: it may
//! rate-limit by IP, which is why it sits behind Edge in the default fallback chain.

use async_trait::async_trait;
use serde::Deserialize;

use super::{BatchRequest, Provider};
use crate::config::{
    FieldSpec, HttpOptions, Limits, ProviderConfig, endpoint_field, timeout_field,
};
use crate::error::TranslateError;
use crate::http::{self, Http};

const NAME: &str = "google-web";
const DEFAULT_ENDPOINT: &str = "https://translate.googleapis.com";

/// One segment per GET request (long URLs are refused past ~5,000 characters).
pub const LIMITS: Limits = Limits {
    max_segments: 1,
    max_chars: 4_500,
    requests_per_second: 10,
    max_concurrency: 6,
};

/// The settings fields.
pub fn fields() -> Vec<FieldSpec> {
    vec![
        endpoint_field(
            DEFAULT_ENDPOINT,
            "Host of the keyless translate_a endpoint.",
        ),
        timeout_field("20"),
    ]
}

/// The keyless Google provider.
pub struct GoogleWeb {
    http: Http,
    url: String,
}

impl GoogleWeb {
    /// Build from settings (no key).
    pub fn new(cfg: &ProviderConfig, opts: &HttpOptions) -> Result<Self, TranslateError> {
        let endpoint = http::endpoint(NAME, cfg, DEFAULT_ENDPOINT, false)?;
        Ok(GoogleWeb {
            http: Http::new(NAME, cfg, opts, None)?,
            url: http::join(&endpoint, "translate_a/single"),
        })
    }

    async fn one(&self, text: &str, sl: &str, tl: &str) -> Result<String, TranslateError> {
        let rb = self.http.client().get(&self.url).query(&[
            ("client", "gtx"),
            ("sl", sl),
            ("tl", tl),
            ("dt", "t"),
            ("dj", "1"),
            ("q", text),
        ]);
        let reply = self.http.send(rb).await?;
        let reply = self.http.check(reply, |_, _| None)?;
        let r: Reply = self.http.json(&reply.body)?;
        let out: String = r
            .sentences
            .iter()
            .filter_map(|s| s.trans.as_deref())
            .collect();
        Ok(out)
    }
}

#[derive(Deserialize)]
struct Reply {
    #[serde(default)]
    sentences: Vec<Sentence>,
}

#[derive(Deserialize)]
struct Sentence {
    #[serde(default)]
    trans: Option<String>,
}

#[async_trait]
impl Provider for GoogleWeb {
    fn name(&self) -> &'static str {
        NAME
    }

    fn limits(&self) -> Limits {
        LIMITS
    }

    async fn translate(&self, req: &BatchRequest<'_>) -> Result<Vec<String>, TranslateError> {
        let sl = req.source.map(super::google::code).unwrap_or("auto");
        let tl = super::google::code(req.target);
        let mut out = Vec::with_capacity(req.texts.len());
        for t in req.texts {
            out.push(self.one(t, sl, tl).await?);
        }
        Ok(out)
    }
}
