//! The one way providers talk HTTP: bounded reply size, per-request timeout, no redirects (a
//! redirect could carry a key to another host), status codes mapped to [`ErrorKind`]s, and
//! error text that never contains the key or the URL (keys ride in headers or bodies; the URL
//! is left out anyway, defence in depth).

use std::time::{Duration, Instant, SystemTime};

use reqwest::header::HeaderMap;
use reqwest::{RequestBuilder, StatusCode};
use serde::de::DeserializeOwned;

use crate::config::{HttpOptions, ProviderConfig};
use crate::error::{ErrorKind, TranslateError};
use crate::secret::Secret;

/// A reply whose body was read completely (and within the size bound).
#[derive(Debug)]
pub(crate) struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

/// Per-provider HTTP state: client, limits, and the key to redact from any message.
#[derive(Clone)]
pub(crate) struct Http {
    client: reqwest::Client,
    timeout: Duration,
    max_reply: usize,
    provider: &'static str,
    secret: Option<Secret>,
}

impl Http {
    /// A client for `provider`; the `timeout` setting (seconds) overrides `opts.timeout`.
    pub fn new(
        provider: &'static str,
        cfg: &ProviderConfig,
        opts: &HttpOptions,
        secret: Option<Secret>,
    ) -> Result<Self, TranslateError> {
        let secs = cfg.number(provider, "timeout", opts.timeout.as_secs_f64())?;
        if !(secs > 0.0 && secs <= 3600.0) {
            return Err(TranslateError::config(
                Some(provider),
                "`timeout` must be between 0 and 3600 seconds",
            ));
        }
        let timeout = Duration::from_secs_f64(secs);
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .gzip(true)
            .user_agent(concat!("Duizhao/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .build()
            .map_err(|e| {
                TranslateError::config(
                    Some(provider),
                    format!("could not set up HTTP: {}", e.without_url()),
                )
            })?;
        Ok(Http {
            client,
            timeout,
            max_reply: opts.max_reply_bytes,
            provider,
            secret: secret.filter(|s| !s.is_empty()),
        })
    }

    /// The underlying client, to start building a request.
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// The key, if any.
    pub fn secret(&self) -> Option<&Secret> {
        self.secret.as_ref()
    }

    fn err(&self, kind: ErrorKind, msg: impl Into<String>) -> TranslateError {
        TranslateError::provider(kind, self.provider, msg).redact(self.secret.as_ref())
    }

    /// Send and read the whole reply (any status), within the time and size bounds.
    pub async fn send(&self, rb: RequestBuilder) -> Result<Reply, TranslateError> {
        let started = Instant::now();
        let resp = rb
            .timeout(self.timeout)
            .send()
            .await
            .map_err(|e| self.transport(e))?;
        let status = resp.status();
        let headers = resp.headers().clone();
        if let Some(len) = resp.content_length()
            && len > self.max_reply as u64
        {
            return Err(self.err(
                ErrorKind::BadReply,
                format!(
                    "reply of {len} bytes is larger than the {} byte limit",
                    self.max_reply
                ),
            ));
        }
        let mut resp = resp;
        let mut body = Vec::new();
        loop {
            match resp.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > self.max_reply {
                        return Err(self.err(
                            ErrorKind::BadReply,
                            format!("reply is larger than the {} byte limit", self.max_reply),
                        ));
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => return Err(self.transport(e)),
            }
        }
        tracing::debug!(
            provider = self.provider,
            status = status.as_u16(),
            bytes = body.len(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "provider reply"
        );
        Ok(Reply {
            status,
            headers,
            body,
        })
    }

    fn transport(&self, e: reqwest::Error) -> TranslateError {
        let e = e.without_url();
        if e.is_timeout() {
            self.err(
                ErrorKind::Timeout,
                format!(
                    "no reply within {:.0?}; the service is slow or unreachable (raise `timeout` in the provider settings if this persists)",
                    self.timeout
                ),
            )
        } else if e.is_builder() {
            self.err(
                ErrorKind::Config,
                format!("invalid request ({e}); check the endpoint setting"),
            )
        } else {
            let mut msg = format!("could not reach the service ({e}");
            let mut src = std::error::Error::source(&e);
            while let Some(s) = src {
                msg.push_str(&format!(": {s}"));
                src = s.source();
            }
            msg.push_str("); check the network and the endpoint setting");
            self.err(ErrorKind::Network, msg)
        }
    }

    /// `Ok(reply)` for 2xx; otherwise the error the status means. `classify` lets a provider
    /// decide first (DeepL's 456, Google's 403 quota, ...), given status and body text.
    pub fn check(
        &self,
        reply: Reply,
        classify: impl Fn(u16, &str) -> Option<ErrorKind>,
    ) -> Result<Reply, TranslateError> {
        let status = reply.status;
        if status.is_success() {
            return Ok(reply);
        }
        // Redacted before anything is cut from it: a key straddling the cut of the 200-character
        // excerpt would otherwise survive as a prefix no later redaction recognises.
        let text = match &self.secret {
            Some(s) => crate::error::redact_str(&String::from_utf8_lossy(&reply.body), s),
            None => String::from_utf8_lossy(&reply.body).into_owned(),
        };
        let detail = server_message(&text);
        let code = status.as_u16();
        let kind = classify(code, &text).unwrap_or(match code {
            401 | 403 => ErrorKind::Auth,
            429 => ErrorKind::RateLimited {
                retry_after: retry_after(&reply.headers),
            },
            408 | 504 => ErrorKind::Timeout,
            500..=599 => ErrorKind::Network,
            300..=399 | 404 | 405 => ErrorKind::Config,
            _ => ErrorKind::Unsupported,
        });
        let kind = match kind {
            ErrorKind::RateLimited { retry_after: None } => ErrorKind::RateLimited {
                retry_after: retry_after(&reply.headers),
            },
            k => k,
        };
        let advice = match &kind {
            ErrorKind::Auth => {
                "the service rejected the API key; check it in the provider settings"
            }
            ErrorKind::Quota => {
                "the account's quota is used up; wait for it to renew or upgrade the plan"
            }
            ErrorKind::RateLimited { .. } => "too many requests; slowing down",
            ErrorKind::Timeout => "the service timed out",
            ErrorKind::Network => "the service had a server error; will retry",
            ErrorKind::Config => "unexpected endpoint reply; check the endpoint setting",
            ErrorKind::Unsupported => "the service refused this request (language pair or size)",
            ErrorKind::BadReply => "the service sent an unusable reply",
            ErrorKind::Cancelled => "cancelled",
        };
        let msg = if detail.is_empty() {
            format!("HTTP {code}: {advice}")
        } else {
            format!("HTTP {code}: {advice} (server said: {detail})")
        };
        Err(self.err(kind, msg))
    }

    /// Parse a JSON reply body; failure is a `BadReply`.
    pub fn json<T: DeserializeOwned>(&self, body: &[u8]) -> Result<T, TranslateError> {
        serde_json::from_slice(body).map_err(|e| {
            self.err(
                ErrorKind::BadReply,
                format!("reply is not the expected JSON ({e})"),
            )
        })
    }

    /// A `BadReply` error for this provider.
    pub fn bad_reply(&self, msg: impl Into<String>) -> TranslateError {
        self.err(ErrorKind::BadReply, msg)
    }
}

/// A short, single-line message from an error body (`error.message`, `message`, `error`,
/// `detail`, or the text itself), at most 200 characters.
fn server_message(text: &str) -> String {
    let from_json = serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|v| {
            let pick = |v: &serde_json::Value| v.as_str().map(str::to_owned);
            v.pointer("/error/message")
                .and_then(pick)
                .or_else(|| v.get("message").and_then(pick))
                .or_else(|| v.get("error").and_then(pick))
                .or_else(|| v.get("detail").and_then(pick))
                .or_else(|| v.pointer("/responseDetails").and_then(pick))
        });
    let s = from_json.unwrap_or_else(|| text.to_owned());
    let one_line: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    one_line.chars().take(200).collect()
}

/// `Retry-After` as seconds or an HTTP date.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let v = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(secs) = v.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0)
            .then(|| Duration::from_secs_f64(secs.min(86_400.0)));
    }
    let when = httpdate::parse_http_date(v).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// Join `endpoint` (no trailing slash needed) and `path`.
pub(crate) fn join(endpoint: &str, path: &str) -> String {
    format!(
        "{}/{}",
        endpoint.trim_end_matches('/'),
        path.trim_start_matches('/')
    )
}

/// Validate an endpoint URL from config (or the default). With `sends_key`, a plain-HTTP
/// endpoint off this machine is refused ([`crate::endpoint::check_key_transport`]).
pub(crate) fn endpoint(
    provider: &'static str,
    cfg: &ProviderConfig,
    default: &str,
    sends_key: bool,
) -> Result<String, TranslateError> {
    let e = cfg.get("endpoint").unwrap_or(default);
    let ok = reqwest::Url::parse(e)
        .map(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
        .unwrap_or(false);
    if !ok {
        return Err(TranslateError::config(
            Some(provider),
            "`endpoint` must be an http:// or https:// URL",
        ));
    }
    if sends_key {
        crate::endpoint::check_key_transport(provider, e)?;
    }
    Ok(e.trim_end_matches('/').to_owned())
}
