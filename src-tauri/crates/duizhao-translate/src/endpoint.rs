//! Where an API key travels. A key sent over plain `http://` can be read (and replayed) by
//! anyone on the path, so a provider that sends a key refuses a plain-HTTP endpoint unless its
//! host is this machine (loopback: `localhost`, 127.0.0.0/8, `::1`), where nothing crosses a
//! network. And since a key belongs to one service, the core needs to know when a settings
//! change would send the stored key somewhere else: [`key_destination`] names that place and
//! [`same_key_destination`] compares two endpoints by it.

use std::fmt;
use std::net::{IpAddr, Ipv6Addr};

use reqwest::Url;
use serde::Serialize;

use crate::error::TranslateError;

/// The place an API key is sent to: scheme, host and port of a provider's endpoint (the path
/// does not matter: a server receives every path of its origin).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct KeyDestination {
    /// `http` or `https`.
    pub scheme: String,
    /// The host as the URL parser normalises it (lower case, IDNA, canonical IP literal).
    pub host: String,
    /// The port, explicit or the scheme's default.
    pub port: u16,
}

impl fmt::Display for KeyDestination {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}:{}", self.scheme, self.host, self.port)
    }
}

/// The destination of `endpoint`, or `None` when it is not an `http(s)://` URL with a host.
pub fn key_destination(endpoint: &str) -> Option<KeyDestination> {
    let url = Url::parse(endpoint.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = url.host_str()?.to_owned();
    let port = url.port_or_known_default()?;
    Some(KeyDestination {
        scheme: url.scheme().to_owned(),
        host,
        port,
    })
}

/// Whether a key sent to `old` and one sent to `new` reach the same origin (same scheme, host
/// and port). Unparsable endpoints are never the same as anything: when in doubt, the core
/// clears or re-confirms the key.
pub fn same_key_destination(old: &str, new: &str) -> bool {
    match (key_destination(old), key_destination(new)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

/// Whether `url`'s host is this machine: `localhost` (or a name under `.localhost`, which
/// resolvers must answer with loopback, RFC 6761), 127.0.0.0/8, `::1`, or an IPv4-mapped
/// loopback address.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost")
        }
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip_is_loopback(IpAddr::V6(ip)),
        None => false,
    }
}

fn ip_is_loopback(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => {
            v6 == Ipv6Addr::LOCALHOST || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
    }
}

/// Refuses `endpoint` for a provider that will send a key with it when the key would travel
/// in clear: plain `http://` to a host that is not loopback. A `Config` error naming the
/// provider and saying why; `https://` and loopback `http://` pass.
pub fn check_key_transport(provider: &str, endpoint: &str) -> Result<(), TranslateError> {
    let Ok(url) = Url::parse(endpoint.trim()) else {
        return Err(TranslateError::config(
            Some(provider),
            "`endpoint` must be an http:// or https:// URL",
        ));
    };
    if url.scheme() == "https" || (url.scheme() == "http" && is_loopback(&url)) {
        return Ok(());
    }
    let host = url.host_str().unwrap_or("");
    Err(TranslateError::config(
        Some(provider),
        format!(
            "refusing to send the API key over plain HTTP to {host}: it would travel in clear \
             to anyone on the network path; use an https:// endpoint (plain http:// is allowed \
             only for this machine: localhost, 127.0.0.1, ::1)"
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations_compare_by_origin() {
        assert!(same_key_destination(
            "https://API.deepl.com/v2",
            "https://api.deepl.com:443/"
        ));
        assert!(!same_key_destination(
            "https://api.deepl.com",
            "https://api.deepl.com.evil.example"
        ));
        assert!(!same_key_destination(
            "https://api.deepl.com",
            "http://api.deepl.com"
        ));
        assert!(!same_key_destination(
            "http://127.0.0.1:5000",
            "http://127.0.0.1:5001"
        ));
        // The URL parser normalises IPv4 spellings, so they cannot sneak past a comparison.
        assert!(same_key_destination(
            "http://2130706433:80/",
            "http://127.0.0.1/"
        ));
        assert!(!same_key_destination("not a url", "not a url"));
        assert_eq!(
            key_destination("https://example.com/v1").map(|d| d.to_string()),
            Some("https://example.com:443".to_owned())
        );
    }

    #[test]
    fn loopback_is_this_machine_only() {
        for ok in [
            "http://localhost:11434/v1",
            "http://LOCALHOST.",
            "http://ollama.localhost/",
            "http://127.0.0.1:5000",
            "http://127.8.9.10",
            "http://[::1]:8080",
            "http://[::ffff:127.0.0.1]/",
            "http://0x7f.1/",
            "https://api.deepl.com",
        ] {
            assert!(
                check_key_transport("deepl", ok).is_ok(),
                "{ok} must be allowed"
            );
        }
        for bad in [
            "http://api.deepl.com",
            "http://192.168.1.10:5000",
            "http://10.0.0.1",
            "http://[fe80::1]",
            "http://localhost.evil.example",
            "http://0.0.0.0:5000",
        ] {
            let e = check_key_transport("deepl", bad).expect_err(bad);
            assert_eq!(e.kind, crate::ErrorKind::Config);
            assert_eq!(e.provider.as_deref(), Some("deepl"));
            assert!(e.message.contains("in clear"), "{}", e.message);
        }
    }
}
