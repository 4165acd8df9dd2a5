//! The one way the clients talk HTTP, bounded as everywhere in Duizhao (see duizhao-feed's
//! `net` and duizhao-translate's `http`): connect and per-request timeouts, an idle-read
//! timeout, a size limit enforced while streaming the (decompressed) body, no redirects (a
//! redirect could carry the `Authorization` header or the Fever key to another host), and
//! retries only where they are safe: any request whose connection failed before it was sent,
//! and requests marked [`Retry::Safe`] (reads and idempotent edits) on 429/5xx, timeouts and
//! dropped connections, a bounded number of times, honouring `Retry-After`.

use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;
use reqwest::{RequestBuilder, StatusCode};
use serde::de::DeserializeOwned;

use crate::error::SyncError;
use crate::secret::{Secret, redact};

/// The user agent every request sends.
pub const USER_AGENT: &str = concat!("Duizhao/", env!("CARGO_PKG_VERSION"));

/// Limits and retry policy of a client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpOptions {
    /// Time allowed to establish a connection (TLS included).
    pub connect_timeout: Duration,
    /// Time allowed for one whole exchange, body included.
    pub timeout: Duration,
    /// Longest silence allowed while reading an answer.
    pub idle_timeout: Duration,
    /// Largest answer accepted, counted after decompression.
    pub max_body_bytes: usize,
    /// Extra attempts after the first, for what is safe to retry.
    pub retries: u32,
    /// First back-off delay; doubles on each retry.
    pub backoff_base: Duration,
    /// Longest back-off delay.
    pub backoff_max: Duration,
    /// Longest `Retry-After` honoured; a longer one ends the call with [`SyncError::Server`]
    /// carrying the delay, for the caller to schedule.
    pub max_retry_after: Duration,
    /// Use proxies from the environment (`HTTPS_PROXY`, ...). Tests turn this off.
    pub use_env_proxy: bool,
}

impl Default for HttpOptions {
    fn default() -> Self {
        HttpOptions {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(120),
            idle_timeout: Duration::from_secs(30),
            max_body_bytes: 64 * 1024 * 1024,
            retries: 2,
            backoff_base: Duration::from_millis(500),
            backoff_max: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
            use_env_proxy: true,
        }
    }
}

/// Whether a request may be sent again after it may have reached the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Retry {
    /// A read or an idempotent edit: retried on 429/5xx, timeouts and broken connections.
    Safe,
    /// Creates something (quickadd, subscribe): retried only when the connection failed
    /// before anything was sent.
    ConnectOnly,
}

/// An answer read completely, within the size bound.
#[derive(Debug)]
pub(crate) struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    /// The body as text (lossy: servers are not trusted to send UTF-8).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// `Retry-After` as a duration (seconds or an HTTP date).
    pub fn retry_after(&self) -> Option<Duration> {
        retry_after(&self.headers)
    }
}

/// A reusable client with the limits of [`HttpOptions`]. Cheap to clone.
#[derive(Debug, Clone)]
pub(crate) struct Http {
    client: reqwest::Client,
    opts: HttpOptions,
}

/// What went wrong on the wire, before any status was seen.
enum Transport {
    /// The connection could not be made: nothing reached the server.
    Connect(String),
    /// Timed out or broke after the request may have been sent.
    Broken(String),
    /// The answer was larger than the limit.
    TooLarge,
}

impl Http {
    pub fn new(opts: HttpOptions) -> Result<Http, SyncError> {
        let mut builder = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(opts.connect_timeout)
            .timeout(opts.timeout)
            .read_timeout(opts.idle_timeout)
            .gzip(true);
        if !opts.use_env_proxy {
            builder = builder.no_proxy();
        }
        let client = builder
            .build()
            .map_err(|e| SyncError::Config(format!("cannot set up HTTP ({})", e.without_url())))?;
        Ok(Http { client, opts })
    }

    /// Sends the request `build` makes (again on each attempt) and reads the whole answer.
    /// Any status is returned as a [`Reply`] except 429/5xx that retries could not get past
    /// (then [`SyncError::Server`]); transport failures are [`SyncError::Unreachable`].
    /// `secrets` are redacted from every message.
    pub async fn send(
        &self,
        what: &str,
        retry: Retry,
        secrets: &[&Secret],
        build: impl Fn(&reqwest::Client) -> RequestBuilder,
    ) -> Result<Reply, SyncError> {
        let mut attempt: u32 = 0;
        loop {
            let last = attempt >= self.opts.retries;
            let started = std::time::Instant::now();
            let outcome = self.send_once(build(&self.client)).await;
            let wait = match outcome {
                Ok(reply) => {
                    let status = reply.status.as_u16();
                    tracing::debug!(
                        what,
                        status,
                        bytes = reply.body.len(),
                        elapsed_ms = started.elapsed().as_millis() as u64,
                        "sync server answer"
                    );
                    if !(status == 429 || (500..=599).contains(&status)) {
                        return Ok(reply);
                    }
                    let retry_after = reply.retry_after();
                    let error = SyncError::Server {
                        status,
                        retry_after,
                    };
                    if last || retry != Retry::Safe {
                        return Err(error);
                    }
                    match retry_after {
                        Some(d) if d > self.opts.max_retry_after => return Err(error),
                        Some(d) => d,
                        None => self.backoff(attempt),
                    }
                }
                Err(Transport::TooLarge) => {
                    return Err(SyncError::TooLarge {
                        limit: self.opts.max_body_bytes,
                    });
                }
                Err(Transport::Connect(msg)) => {
                    tracing::debug!(what, error = %redact(&msg, secrets), "sync server unreachable");
                    if last {
                        return Err(SyncError::Unreachable(redact(&msg, secrets)));
                    }
                    self.backoff(attempt)
                }
                Err(Transport::Broken(msg)) => {
                    tracing::debug!(what, error = %redact(&msg, secrets), "sync exchange broken");
                    if last || retry != Retry::Safe {
                        return Err(SyncError::Unreachable(redact(&msg, secrets)));
                    }
                    self.backoff(attempt)
                }
            };
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        self.opts
            .backoff_base
            .saturating_mul(1u32 << attempt.min(16))
            .min(self.opts.backoff_max)
    }

    async fn send_once(&self, rb: RequestBuilder) -> Result<Reply, Transport> {
        let mut resp = rb.send().await.map_err(transport)?;
        let status = resp.status();
        let headers = resp.headers().clone();
        let limit = self.opts.max_body_bytes;
        if resp.content_length().is_some_and(|n| n > limit as u64) {
            return Err(Transport::TooLarge);
        }
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(transport)? {
            if body.len() + chunk.len() > limit {
                return Err(Transport::TooLarge);
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Reply {
            status,
            headers,
            body,
        })
    }
}

fn transport(e: reqwest::Error) -> Transport {
    let e = e.without_url();
    let msg = error_chain(&e);
    if e.is_connect() {
        Transport::Connect(msg)
    } else if e.is_timeout() {
        Transport::Broken(format!("no answer in time ({msg})"))
    } else {
        Transport::Broken(msg)
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

/// `Retry-After` as seconds or an HTTP date (capped at a day).
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
            .unwrap_or(Duration::ZERO)
            .min(Duration::from_secs(86_400)),
    )
}

/// The error a non-2xx status means, for answers the protocol code did not handle itself.
pub(crate) fn status_error(reply: &Reply) -> SyncError {
    let status = reply.status.as_u16();
    match status {
        300..=399 => {
            let to = reply
                .headers
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|l| url::Url::parse(l).ok())
                .map(|u| format!("{}{}", u.origin().ascii_serialization(), u.path()));
            SyncError::Config(match to {
                Some(to) => format!("the server redirects to {to}; enter that address instead"),
                None => format!("the server answered with a redirect (HTTP {status})"),
            })
        }
        _ => SyncError::Server {
            status,
            retry_after: reply.retry_after(),
        },
    }
}

/// Parses a server address a user typed (`what` names it in messages): http(s) with a host,
/// no credentials in it (they would be sent and logged), query and fragment dropped.
pub(crate) fn parse_server_url(url: &str, what: &str) -> Result<url::Url, SyncError> {
    let mut u = url::Url::parse(url.trim())
        .map_err(|_| SyncError::Config(format!("the {what} is not a URL")))?;
    if !matches!(u.scheme(), "http" | "https") || u.host_str().is_none() {
        return Err(SyncError::Config(format!(
            "the {what} must start with http:// or https://"
        )));
    }
    if !u.username().is_empty() || u.password().is_some() {
        return Err(SyncError::Config(
            "put the user name and password in their own fields, not in the address".into(),
        ));
    }
    u.set_query(None);
    u.set_fragment(None);
    Ok(u)
}

/// Parses a JSON answer. A failure is [`SyncError::Protocol`] naming `what` and where the
/// JSON went wrong, never quoting it (it could hold anything, even a token).
pub(crate) fn json<T: DeserializeOwned>(body: &[u8], what: &str) -> Result<T, SyncError> {
    serde_json::from_slice(body).map_err(|e| SyncError::Protocol(describe_json_error(what, &e)))
}

pub(crate) fn describe_json_error(what: &str, e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let kind = match e.classify() {
        Category::Syntax => "not JSON".to_owned(),
        Category::Eof => "truncated JSON".to_owned(),
        Category::Io => "unreadable JSON".to_owned(),
        Category::Data => {
            // serde's own text may quote the offending value; keep only the field name.
            let msg = e.to_string();
            match msg
                .strip_prefix("missing field `")
                .and_then(|r| r.split('`').next())
            {
                Some(field) => format!("JSON without the `{field}` field"),
                None => "JSON of an unexpected shape".to_owned(),
            }
        }
    };
    format!("{what}: {kind} (line {}, column {})", e.line(), e.column())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_errors_never_quote_the_body() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct S {
            n: u32,
        }
        let e = json::<S>(br#"{"n": "secret-token-value"}"#, "test").unwrap_err();
        let msg = e.to_string();
        assert!(
            !msg.contains("secret-token-value"),
            "a JSON error must not echo the body: {msg}"
        );
        assert!(msg.contains("unexpected shape"), "{msg}");
        let e = json::<S>(br#"{"m": 1}"#, "test").unwrap_err();
        assert!(
            e.to_string().contains("`n`"),
            "a missing field is named: {e}"
        );
        let e = json::<S>(b"<html>oops</html>", "test").unwrap_err();
        assert!(e.to_string().contains("not JSON"), "{e}");
    }

    #[test]
    fn retry_after_in_seconds_and_dates() {
        let mut h = HeaderMap::new();
        h.insert(reqwest::header::RETRY_AFTER, "7".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(7)));
        h.insert(
            reqwest::header::RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(
            retry_after(&h),
            Some(Duration::ZERO),
            "a past date means now"
        );
        h.insert(reqwest::header::RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&h), None);
    }
}
