//! The only module that does IO: an HTTP fetcher for feeds, pages and images.
//!
//! Everything it talks to is untrusted, so every fetch is bounded: connect, total and
//! idle-stall timeouts; a body limit enforced while streaming, on *decompressed* bytes (so a
//! gzip bomb stops at the limit); a small number of redirects, with loops reported as such.
//! It supports conditional GET (`If-None-Match` / `If-Modified-Since`) so refreshing an
//! unchanged feed costs one round trip, and it accepts images only when their magic bytes say
//! PNG, JPEG, GIF, WebP or AVIF, whatever the server claims (SVG, which can carry script, is
//! refused), and when their header declares a size within a pixel budget: a 100 kB PNG can
//! declare 50,000 × 50,000 pixels and cost gigabytes to whoever decodes it (the webview), so
//! such a decompression bomb is refused from its first bytes, before the rest is downloaded. What addresses a fetch may reach is its [`AddressPolicy`] (see [`crate::address`]).

use std::net::IpAddr;
use std::time::Duration;

use tokio::time::Instant;
use url::Url;

use crate::address::{AddressPolicy, BlockedAddress, PolicyResolver};

/// The user agent every request sends.
pub const USER_AGENT: &str = "Duizhao/0.1";

/// Default most pixels (width × height) of an accepted image: 40 megapixels, above any photo a
/// feed shows (a 8K frame is 33 MP) and a tenth of what makes a decoder allocate gigabytes.
pub const DEFAULT_MAX_IMAGE_PIXELS: u64 = 40_000_000;

/// How far into an image the header search goes before the download's end decides (JPEG's
/// size follows its metadata segments, which can be long).
const IMAGE_HEADER_WINDOW: usize = 1024 * 1024;

/// Cache validators from an earlier response, sent back for a conditional GET.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// The `ETag` the server sent.
    pub etag: Option<String>,
    /// The `Last-Modified` the server sent.
    pub last_modified: Option<String>,
}

impl Validators {
    /// True when there is nothing to send.
    pub fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }
}

/// Limits and identity of a [`Fetcher`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchOptions {
    /// Largest body accepted, counted after decompression.
    pub max_body_bytes: usize,
    /// Time allowed to establish the connection (including TLS).
    pub connect_timeout: Duration,
    /// Time allowed for the whole exchange, body included.
    pub total_timeout: Duration,
    /// Longest silence allowed while reading the response (a stalled server).
    pub idle_timeout: Duration,
    /// Most redirects followed.
    pub max_redirects: usize,
    /// `User-Agent` header.
    pub user_agent: String,
    /// Use proxies from the environment (`HTTPS_PROXY`, ...). Tests turn this off.
    pub use_env_proxy: bool,
    /// A proxy for every request (`http://host:port`), overriding the environment's.
    pub proxy: Option<String>,
    /// Which addresses requests may reach, checked after DNS and on every redirect.
    /// [`AddressPolicy::AllowLocal`] (the default) for URLs the user gave;
    /// [`AddressPolicy::PublicOnly`] for URLs found in content.
    pub address_policy: AddressPolicy,
    /// Most pixels (width × height) an image's header may declare ([`Fetcher::fetch_image`]).
    pub max_image_pixels: u64,
    /// Fixed answers for host names, as `/etc/hosts` gives (still subject to the address
    /// policy). Tests use it to give names to loopback servers.
    pub dns_overrides: Vec<(String, std::net::SocketAddr)>,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            max_body_bytes: 20 * 1024 * 1024,
            connect_timeout: Duration::from_secs(10),
            total_timeout: Duration::from_secs(60),
            idle_timeout: Duration::from_secs(20),
            max_redirects: 5,
            user_agent: USER_AGENT.to_string(),
            use_env_proxy: true,
            proxy: None,
            address_policy: AddressPolicy::AllowLocal,
            max_image_pixels: DEFAULT_MAX_IMAGE_PIXELS,
            dns_overrides: Vec::new(),
        }
    }
}

/// A successful (2xx) response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    /// The URL after redirects: the base for relative links in the document.
    pub final_url: String,
    /// The HTTP status (2xx).
    pub status: u16,
    /// The media type of `Content-Type`, lower-cased, without parameters.
    pub content_type: Option<String>,
    /// The `charset` parameter of `Content-Type`, if any (for [`crate::decode()`]).
    pub charset: Option<String>,
    /// The (decompressed) body.
    pub body: Vec<u8>,
    /// Validators for the next conditional GET.
    pub validators: Validators,
    /// The address the response came from (`None` through a proxy, whose address says nothing
    /// about the server's): what [`AddressPolicy::for_document`] judges the source by.
    pub remote_addr: Option<IpAddr>,
}

/// What a conditional fetch produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchOutcome {
    /// The resource was sent.
    Fetched(Fetched),
    /// 304: the resource has not changed since the validators were issued.
    NotModified {
        /// The URL after redirects.
        final_url: String,
        /// The validators to keep (the server's new ones, else the ones sent).
        validators: Validators,
    },
}

/// An image format accepted by [`Fetcher::fetch_image`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    /// PNG (also APNG).
    Png,
    /// JPEG.
    Jpeg,
    /// GIF.
    Gif,
    /// WebP.
    Webp,
    /// AVIF.
    Avif,
}

impl ImageKind {
    /// The MIME type to store and serve the image with.
    pub fn mime(self) -> &'static str {
        match self {
            ImageKind::Png => "image/png",
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Gif => "image/gif",
            ImageKind::Webp => "image/webp",
            ImageKind::Avif => "image/avif",
        }
    }
}

/// An image whose bytes were checked to be of an accepted format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchedImage {
    /// The URL after redirects.
    pub final_url: String,
    /// The format, from the magic bytes (not from the server's claim).
    pub kind: ImageKind,
    /// The image bytes.
    pub bytes: Vec<u8>,
}

/// Why a fetch failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// The URL does not parse, or is not http(s).
    #[error("invalid URL {0}")]
    InvalidUrl(String),
    /// The HTTP client could not be built (TLS setup).
    #[error("cannot set up the HTTP client: {0}")]
    Client(String),
    /// The server could not be reached.
    #[error("cannot connect: {0}")]
    Connect(String),
    /// The connection, the whole exchange or a read took too long.
    #[error("timed out {0}")]
    Timeout(&'static str),
    /// More redirects than allowed.
    #[error("too many redirects (more than {0})")]
    TooManyRedirects(usize),
    /// A redirect led back to a URL already visited.
    #[error("redirect loop at {0}")]
    RedirectLoop(String),
    /// A non-success HTTP status.
    #[error("HTTP status {0}")]
    Status(u16),
    /// The (decompressed) body is larger than the limit.
    #[error("response too large (limit {limit} bytes)")]
    TooLarge {
        /// The limit in force.
        limit: usize,
    },
    /// The response was not an accepted image format.
    #[error("not an accepted image ({0})")]
    NotAnImage(String),
    /// The image's header declares more pixels than allowed (a decompression bomb).
    #[error("image too large: {width} × {height} pixels (limit {limit} pixels)")]
    ImageTooLarge {
        /// Declared width.
        width: u64,
        /// Declared height.
        height: u64,
        /// The pixel limit in force.
        limit: u64,
    },
    /// Any other transport or protocol failure (bad gzip, connection reset, ...).
    #[error("HTTP error: {0}")]
    Http(String),
    /// The URL, or a redirect, leads to a local, private or reserved address, which the
    /// fetcher's [`AddressPolicy`] refuses (links found in content may reach public hosts only).
    #[error(
        "refused to connect to {0}: not a public address (links in content may only reach public hosts)"
    )]
    Blocked(String),
}

/// Errors the redirect policy raises, recovered from reqwest's error chain.
#[derive(Debug)]
enum RedirectError {
    TooMany(usize),
    Loop(String),
}

impl std::fmt::Display for RedirectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RedirectError::TooMany(n) => write!(f, "more than {n} redirects"),
            RedirectError::Loop(u) => write!(f, "redirect loop at {u}"),
        }
    }
}

impl std::error::Error for RedirectError {}

const FEED_ACCEPT: &str = "application/rss+xml, application/atom+xml, application/feed+json, \
application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5";
const IMAGE_ACCEPT: &str = "image/avif,image/webp,image/png,image/jpeg,image/gif;q=0.9,*/*;q=0.5";

/// A reusable HTTP client with Duizhao's limits. Cheap to clone (shares its connection pool).
#[derive(Debug, Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    opts: FetchOptions,
    /// Whether requests may go through a proxy (then the remote address is the proxy's).
    proxied: bool,
}

impl Fetcher {
    /// Builds a fetcher with the given limits.
    pub fn new(opts: FetchOptions) -> Result<Fetcher, FetchError> {
        let max = opts.max_redirects;
        let address_policy = opts.address_policy;
        let policy = reqwest::redirect::Policy::custom(move |attempt| {
            let url = attempt.url().clone();
            if let Err(blocked) = address_policy.check_url(&url) {
                attempt.error(blocked)
            } else if attempt.previous().contains(&url) {
                attempt.error(RedirectError::Loop(url.to_string()))
            } else if attempt.previous().len() > max {
                attempt.error(RedirectError::TooMany(max))
            } else {
                attempt.follow()
            }
        });
        let mut builder = reqwest::Client::builder()
            .user_agent(opts.user_agent.clone())
            .connect_timeout(opts.connect_timeout)
            .timeout(opts.total_timeout)
            .read_timeout(opts.idle_timeout)
            .redirect(policy)
            .gzip(true)
            .brotli(true)
            .deflate(true);
        if let Some(p) = &opts.proxy {
            let proxy = reqwest::Proxy::all(p.as_str())
                .map_err(|e| FetchError::Client(format!("invalid proxy: {e}")))?;
            builder = builder.proxy(proxy);
        } else if !opts.use_env_proxy {
            builder = builder.no_proxy();
        }
        let proxy_hosts = crate::address::proxy_hosts(opts.proxy.as_deref(), opts.use_env_proxy);
        builder = builder.dns_resolver(PolicyResolver {
            policy: opts.address_policy,
            exempt: proxy_hosts.clone(),
            overrides: opts.dns_overrides.clone(),
        });
        let client = builder
            .build()
            .map_err(|e| FetchError::Client(e.to_string()))?;
        Ok(Fetcher {
            client,
            proxied: !proxy_hosts.is_empty(),
            opts,
        })
    }

    /// The same limits under another address policy: the fetcher for the images and pages a
    /// fetched document links to is `fetcher.with_address_policy(AddressPolicy::for_document(&doc))`.
    pub fn with_address_policy(&self, policy: AddressPolicy) -> Result<Fetcher, FetchError> {
        if policy == self.opts.address_policy {
            return Ok(self.clone());
        }
        Fetcher::new(FetchOptions {
            address_policy: policy,
            ..self.opts.clone()
        })
    }

    /// The limits in force.
    pub fn options(&self) -> &FetchOptions {
        &self.opts
    }

    /// GETs a feed or page. With `validators`, sends a conditional request and returns
    /// [`FetchOutcome::NotModified`] on 304. Any other non-2xx status is an error.
    pub async fn fetch(
        &self,
        url: &str,
        validators: Option<&Validators>,
    ) -> Result<FetchOutcome, FetchError> {
        self.get(url, validators, FEED_ACCEPT, self.opts.max_body_bytes, None)
            .await
    }

    /// GETs an image of at most `max_bytes`, accepting only PNG, JPEG, GIF, WebP and AVIF as
    /// recognised from the magic bytes; SVG, HTML and anything else is
    /// [`FetchError::NotAnImage`] whatever its `Content-Type`. An image whose header declares
    /// more than [`FetchOptions::max_image_pixels`] is [`FetchError::ImageTooLarge`] as soon as
    /// the header has arrived; one whose size cannot be read from its header is refused too
    /// (see [`check_image`]).
    pub async fn fetch_image(
        &self,
        url: &str,
        max_bytes: usize,
    ) -> Result<FetchedImage, FetchError> {
        let max_pixels = self.opts.max_image_pixels;
        // Decided early from the first bytes when they hold the size; else at the end.
        let head_check = |head: &[u8]| -> Result<bool, FetchError> {
            match image_dimensions(head) {
                Some((w, h)) => check_pixels(w, h, max_pixels).map(|()| true),
                None => Ok(head.len() >= IMAGE_HEADER_WINDOW),
            }
        };
        match self
            .get(url, None, IMAGE_ACCEPT, max_bytes, Some(&head_check))
            .await?
        {
            FetchOutcome::Fetched(f) => match check_image(&f.body, max_pixels) {
                Ok(kind) => Ok(FetchedImage {
                    final_url: f.final_url,
                    kind,
                    bytes: f.body,
                }),
                Err(FetchError::NotAnImage(_)) if sniff_image(&f.body).is_none() => Err(
                    FetchError::NotAnImage(describe_non_image(&f.body, f.content_type.as_deref())),
                ),
                Err(e) => Err(e),
            },
            FetchOutcome::NotModified { .. } => Err(FetchError::Status(304)),
        }
    }

    async fn get(
        &self,
        url: &str,
        validators: Option<&Validators>,
        accept: &str,
        max_bytes: usize,
        head_check: Option<&HeadCheck<'_>>,
    ) -> Result<FetchOutcome, FetchError> {
        let parsed = Url::parse(url.trim()).map_err(|_| FetchError::InvalidUrl(url.to_string()))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
            return Err(FetchError::InvalidUrl(url.to_string()));
        }
        // Literal addresses never reach the resolver: they are judged here (and redirects in
        // the redirect policy).
        self.opts
            .address_policy
            .check_url(&parsed)
            .map_err(|b| FetchError::Blocked(b.0))?;
        let deadline = Instant::now() + self.opts.total_timeout;
        let mut req = self
            .client
            .get(parsed)
            .header(reqwest::header::ACCEPT, accept);
        if let Some(v) = validators {
            if let Some(etag) = &v.etag {
                req = req.header(reqwest::header::IF_NONE_MATCH, etag.as_str());
            }
            if let Some(lm) = &v.last_modified {
                req = req.header(reqwest::header::IF_MODIFIED_SINCE, lm.as_str());
            }
        }
        let mut resp = match tokio::time::timeout_at(deadline, req.send()).await {
            Ok(r) => r.map_err(map_reqwest_error)?,
            Err(_) => return Err(FetchError::Timeout("waiting for the response")),
        };
        let final_url = resp.url().to_string();
        let remote_addr = if self.proxied {
            None
        } else {
            resp.remote_addr().map(|a| a.ip())
        };
        let status = resp.status();
        let header = |name: reqwest::header::HeaderName| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        let new_validators = Validators {
            etag: header(reqwest::header::ETAG),
            last_modified: header(reqwest::header::LAST_MODIFIED),
        };
        let content_type_header = header(reqwest::header::CONTENT_TYPE);
        if status == reqwest::StatusCode::NOT_MODIFIED {
            let validators = if new_validators.is_empty() {
                validators.cloned().unwrap_or_default()
            } else {
                new_validators
            };
            return Ok(FetchOutcome::NotModified {
                final_url,
                validators,
            });
        }
        if !status.is_success() {
            return Err(FetchError::Status(status.as_u16()));
        }
        if resp.content_length().is_some_and(|n| n > max_bytes as u64) {
            return Err(FetchError::TooLarge { limit: max_bytes });
        }
        let mut body: Vec<u8> = Vec::new();
        let mut undecided = head_check;
        loop {
            let wait = deadline
                .saturating_duration_since(Instant::now())
                .min(self.opts.idle_timeout);
            let chunk = match tokio::time::timeout(wait, resp.chunk()).await {
                Ok(c) => c.map_err(map_reqwest_error)?,
                Err(_) => {
                    return Err(if Instant::now() >= deadline {
                        FetchError::Timeout("before the whole response arrived")
                    } else {
                        FetchError::Timeout("the server stopped sending")
                    });
                }
            };
            let Some(chunk) = chunk else { break };
            let needed = body.len() + chunk.len();
            if needed > max_bytes {
                return Err(FetchError::TooLarge { limit: max_bytes });
            }
            if needed > body.capacity() {
                // Grow by doubling, but never past the limit: the buffer's peak is the limit,
                // not the next power of two above it.
                let target = needed.max(body.capacity() * 2).min(max_bytes);
                body.reserve_exact(target - body.len());
            }
            body.extend_from_slice(&chunk);
            if let Some(check) = undecided
                && check(&body)?
            {
                undecided = None;
            }
        }
        let (content_type, charset) = split_content_type(content_type_header.as_deref());
        Ok(FetchOutcome::Fetched(Fetched {
            final_url,
            status: status.as_u16(),
            content_type,
            charset,
            body,
            validators: new_validators,
            remote_addr,
        }))
    }
}

/// Splits `text/xml; charset="big5"` into (`text/xml`, `big5`).
fn split_content_type(ct: Option<&str>) -> (Option<String>, Option<String>) {
    let Some(ct) = ct else { return (None, None) };
    let mut parts = ct.split(';');
    let mime = parts
        .next()
        .map(|m| m.trim().to_ascii_lowercase())
        .filter(|m| !m.is_empty());
    let charset = parts.find_map(|p| {
        let (k, v) = p.split_once('=')?;
        if k.trim().eq_ignore_ascii_case("charset") {
            Some(v.trim().trim_matches(['"', '\'']).to_string()).filter(|v| !v.is_empty())
        } else {
            None
        }
    });
    (mime, charset)
}

fn map_reqwest_error(e: reqwest::Error) -> FetchError {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&e);
    while let Some(s) = source {
        if let Some(b) = s.downcast_ref::<BlockedAddress>() {
            return FetchError::Blocked(b.0.clone());
        }
        if let Some(r) = s.downcast_ref::<RedirectError>() {
            return match r {
                RedirectError::TooMany(n) => FetchError::TooManyRedirects(*n),
                RedirectError::Loop(u) => FetchError::RedirectLoop(u.clone()),
            };
        }
        source = s.source();
    }
    if e.is_timeout() {
        FetchError::Timeout(if e.is_connect() {
            "connecting"
        } else {
            "reading the response"
        })
    } else if e.is_connect() {
        FetchError::Connect(error_chain(&e))
    } else if e.is_redirect() {
        FetchError::TooManyRedirects(0)
    } else {
        FetchError::Http(error_chain(&e))
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

/// Looks at the first bytes of a body as they arrive: `Err` stops the download, `Ok(true)`
/// means decided (no more calls), `Ok(false)` asks to be called again with more bytes.
type HeadCheck<'a> = dyn Fn(&[u8]) -> Result<bool, FetchError> + Send + Sync + 'a;

/// The width and height an image's header declares, read without decoding (PNG, JPEG, GIF,
/// WebP, AVIF); `None` when `bytes` hold no readable header (yet).
pub fn image_dimensions(bytes: &[u8]) -> Option<(u64, u64)> {
    let size = imagesize::blob_size(bytes).ok()?;
    Some((size.width as u64, size.height as u64))
}

/// The format of a complete image, refusing what the app must not keep: bytes that are not
/// PNG, JPEG, GIF, WebP or AVIF ([`FetchError::NotAnImage`]), a header whose size cannot be
/// read (a decoder would have to guess, and a bomb could hide there), and a header declaring
/// more than `max_pixels` ([`FetchError::ImageTooLarge`]). For images from any source, not
/// only the fetcher's.
pub fn check_image(bytes: &[u8], max_pixels: u64) -> Result<ImageKind, FetchError> {
    let kind = sniff_image(bytes)
        .ok_or_else(|| FetchError::NotAnImage("unrecognised bytes".to_string()))?;
    let (w, h) = image_dimensions(bytes).ok_or_else(|| {
        FetchError::NotAnImage(format!(
            "a {} whose size cannot be read from its header",
            kind.mime()
        ))
    })?;
    check_pixels(w, h, max_pixels)?;
    Ok(kind)
}

fn check_pixels(width: u64, height: u64, limit: u64) -> Result<(), FetchError> {
    if width == 0 || height == 0 {
        return Err(FetchError::NotAnImage(format!(
            "its header declares {width} × {height} pixels"
        )));
    }
    if width.saturating_mul(height) > limit {
        return Err(FetchError::ImageTooLarge {
            width,
            height,
            limit,
        });
    }
    Ok(())
}

/// The accepted image format the magic bytes announce, if any.
pub fn sniff_image(b: &[u8]) -> Option<ImageKind> {
    if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(ImageKind::Png);
    }
    if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(ImageKind::Jpeg);
    }
    if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
        return Some(ImageKind::Gif);
    }
    if b.len() >= 12 && &b[0..4] == b"RIFF" && &b[8..12] == b"WEBP" {
        return Some(ImageKind::Webp);
    }
    if b.len() >= 16 && &b[4..8] == b"ftyp" {
        // ISO BMFF: major brand at 8..12, compatible brands after the minor version.
        let size = u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize;
        let end = size.clamp(16, 64).min(b.len());
        let major = &b[8..12];
        let compatible = b[16..end].chunks_exact(4);
        let is_avif = |brand: &[u8]| brand == b"avif" || brand == b"avis";
        if is_avif(major) || compatible.into_iter().any(is_avif) {
            return Some(ImageKind::Avif);
        }
    }
    None
}

fn describe_non_image(body: &[u8], claimed: Option<&str>) -> String {
    let head = String::from_utf8_lossy(&body[..body.len().min(512)]).to_ascii_lowercase();
    let what = if head.contains("<svg") {
        "SVG is not accepted"
    } else if head.contains("<html") || head.contains("<!doctype html") {
        "an HTML page"
    } else if body.is_empty() {
        "an empty body"
    } else {
        "unrecognised bytes"
    };
    match claimed {
        Some(c) => format!("{what}, served as {c}"),
        None => what.to_string(),
    }
}

/// Hosts of image proxies and how each carries the original URL.
enum ProxyStyle {
    /// The original URL is in this query parameter.
    Query(&'static str),
    /// The original URL is the path (`https://i0.wp.com/example.com/a.jpg`).
    Path,
}

fn proxy_style(host: &str, path: &str) -> Option<ProxyStyle> {
    let host = host.strip_prefix("www.").unwrap_or(host);
    match host {
        "images.weserv.nl" | "wsrv.nl" | "weserv.nl" => Some(ProxyStyle::Query("url")),
        "i0.wp.com" | "i1.wp.com" | "i2.wp.com" | "i3.wp.com" => Some(ProxyStyle::Path),
        "external-content.duckduckgo.com" | "proxy.duckduckgo.com" if path.starts_with("/iu") => {
            Some(ProxyStyle::Query("u"))
        }
        h if h.ends_with("googleusercontent.com") && path.contains("/gadgets/proxy") => {
            Some(ProxyStyle::Query("url"))
        }
        _ => None,
    }
}

/// Unwraps image-proxy URLs to the original image URL, e.g.
/// `https://images.weserv.nl/?url=static.dw.com/image/1.jpg` →
/// `https://static.dw.com/image/1.jpg` (also wsrv.nl, i0–i3.wp.com, DuckDuckGo and Google
/// gadget proxies; nested proxies too). Anything else, or a proxy URL whose target is not a
/// valid http(s) URL, comes back unchanged.
pub fn unwrap_proxy_url(url: &str) -> String {
    let mut current = url.trim().to_string();
    for _ in 0..4 {
        match unwrap_once(&current) {
            Some(next) if next != current => current = next,
            _ => break,
        }
    }
    if current == url.trim() {
        url.to_string()
    } else {
        current
    }
}

fn unwrap_once(url: &str) -> Option<String> {
    let parsed = Url::parse(url).ok()?;
    let host = parsed.host_str()?.to_ascii_lowercase();
    let raw = match proxy_style(&host, parsed.path())? {
        ProxyStyle::Query(name) => parsed
            .query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())?,
        ProxyStyle::Path => parsed.path().trim_start_matches('/').to_string(),
    };
    let raw = raw.trim();
    let candidate = if let Some(rest) = raw.strip_prefix("ssl:") {
        format!("https://{rest}")
    } else if let Some(rest) = raw.strip_prefix("//") {
        format!("https://{rest}")
    } else if raw.starts_with("http://") || raw.starts_with("https://") {
        raw.to_string()
    } else {
        format!("https://{raw}")
    };
    let target = Url::parse(&candidate).ok()?;
    let target_host = target.host_str()?;
    if !matches!(target.scheme(), "http" | "https") || !target_host.contains('.') {
        return None;
    }
    Some(target.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxies_unwrap() {
        assert_eq!(
            unwrap_proxy_url("https://images.weserv.nl/?url=static.dw.com/image/1.jpg"),
            "https://static.dw.com/image/1.jpg"
        );
        assert_eq!(
            unwrap_proxy_url("https://wsrv.nl/?url=https%3A%2F%2Fex.com%2Fa.png%3Fx%3D1&w=300"),
            "https://ex.com/a.png?x=1"
        );
        assert_eq!(
            unwrap_proxy_url("https://i0.wp.com/example.com/wp/a.jpg?resize=1"),
            "https://example.com/wp/a.jpg"
        );
        assert_eq!(
            unwrap_proxy_url("https://ex.com/a.jpg"),
            "https://ex.com/a.jpg"
        );
        assert_eq!(
            unwrap_proxy_url("https://images.weserv.nl/?url="),
            "https://images.weserv.nl/?url="
        );
        assert_eq!(unwrap_proxy_url("not a url"), "not a url");
    }

    #[test]
    fn content_type_split() {
        assert_eq!(
            split_content_type(Some("Text/XML; Charset=\"Big5\"")),
            (Some("text/xml".into()), Some("Big5".into()))
        );
    }

    #[test]
    fn sniffing() {
        assert_eq!(sniff_image(b"\x89PNG\r\n\x1a\n...."), Some(ImageKind::Png));
        assert_eq!(
            sniff_image(b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1"),
            Some(ImageKind::Avif)
        );
        assert_eq!(
            sniff_image(b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            None
        );
    }
}
