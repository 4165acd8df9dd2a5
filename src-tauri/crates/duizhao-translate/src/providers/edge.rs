//! Microsoft Edge's keyless translator: `POST {endpoint}/translate/translatetext?from=&to=..
//! &isEnterpriseClient=false`, body a bare JSON array of strings, reply in the Translator v3
//! shape. The endpoint always runs an HTML aligner, so `&` and `<` in plain text are escaped
//! before sending and entities in the reply are decoded.

use async_trait::async_trait;

use super::{BatchRequest, Provider};
use crate::config::{
    FieldSpec, HttpOptions, Limits, ProviderConfig, endpoint_field, timeout_field,
};
use crate::error::TranslateError;
use crate::http::{self, Http};

const NAME: &str = "edge";
const DEFAULT_ENDPOINT: &str = "https://edge.microsoft.com";

/// Modest batches: the endpoint is unofficial and shared by every Edge user.
pub const LIMITS: Limits = Limits {
    max_segments: 50,
    max_chars: 10_000,
    requests_per_second: 5,
    max_concurrency: 3,
};

/// The settings fields.
pub fn fields() -> Vec<FieldSpec> {
    vec![
        endpoint_field(DEFAULT_ENDPOINT, "Host of Edge's translatetext endpoint."),
        timeout_field("20"),
    ]
}

/// Escape plain text for the HTML aligner (`&` and `<`, and `>` for symmetry).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Decode the HTML entities the aligner produces (one pass: `&amp;lt;` → `&lt;`).
pub fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        // `i` and `e` below are positions of ASCII `&` and `;`: char boundaries. (The entity
        // is looked for in the first 12 *bytes*, which may end inside a character, so that
        // window is searched as bytes, never sliced as text.)
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let end = tail.as_bytes()[..tail.len().min(12)]
            .iter()
            .position(|&c| c == b';');
        let decoded = end.and_then(|e| {
            let ent = &tail[1..e];
            let c = match ent {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => {
                    let num = ent.strip_prefix('#')?;
                    let n = match num.strip_prefix(['x', 'X']) {
                        Some(h) => u32::from_str_radix(h, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    char::from_u32(n)
                }
            }?;
            Some((c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &tail[len..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The keyless Edge provider.
pub struct Edge {
    http: Http,
    url: String,
}

impl Edge {
    /// Build from settings (no key).
    pub fn new(cfg: &ProviderConfig, opts: &HttpOptions) -> Result<Self, TranslateError> {
        let endpoint = http::endpoint(NAME, cfg, DEFAULT_ENDPOINT, false)?;
        Ok(Edge {
            http: Http::new(NAME, cfg, opts, None)?,
            url: http::join(&endpoint, "translate/translatetext"),
        })
    }
}

#[async_trait]
impl Provider for Edge {
    fn name(&self) -> &'static str {
        NAME
    }

    fn limits(&self) -> Limits {
        LIMITS
    }

    async fn translate(&self, req: &BatchRequest<'_>) -> Result<Vec<String>, TranslateError> {
        let body: Vec<String> = req.texts.iter().map(|t| escape(t)).collect();
        let from = req.source.map(super::microsoft::code).unwrap_or("");
        let to = super::microsoft::code(req.target);
        let rb = self
            .http
            .client()
            .post(&self.url)
            .query(&[("from", from), ("to", to), ("isEnterpriseClient", "false")])
            .json(&body);
        let reply = self.http.send(rb).await?;
        let reply = self.http.check(reply, |_, _| None)?;
        let texts = super::microsoft::parse_v3(&self.http, &reply.body, req.texts.len())?;
        Ok(texts.iter().map(|t| unescape(t)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_roundtrip() {
        let s = "a < b && c > d &amp; 1";
        assert_eq!(escape(s), "a &lt; b &amp;&amp; c &gt; d &amp;amp; 1");
        assert_eq!(unescape(&escape(s)), s);
        assert_eq!(
            unescape("&#20013;&#x6587; & x &bogus; &"),
            "中文 & x &bogus; &"
        );
    }
}
