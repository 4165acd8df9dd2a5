//! Which network addresses a fetch may reach.
//!
//! A feed decides which image and page URLs its content points at. Fetched blindly, those
//! URLs let any feed make the reader's machine send requests to its own services
//! (`http://127.0.0.1:8080/admin`), to the home router, or to a cloud metadata endpoint
//! (`http://169.254.169.254/`): server-side request forgery from the desktop. So URLs that
//! came from content are fetched under [`AddressPolicy::PublicOnly`], which refuses loopback,
//! private, link-local, shared (CGNAT), multicast, unspecified and reserved addresses — also
//! in their IPv4-mapped, NAT64 and 6to4 IPv6 spellings, and whatever decimal, octal or hex
//! form of IPv4 the URL parser normalises.
//!
//! The check sits where it cannot be raced: host names are filtered inside the HTTP client's
//! own DNS resolver, so the addresses checked are the addresses
//! connected to (no second lookup a rebinding DNS server could answer differently); literal
//! IP hosts, which never reach a resolver, are checked before the request and on every
//! redirect. A feed that itself lives on this machine or the LAN gets
//! [`AddressPolicy::AllowLocal`] for its content ([`AddressPolicy::for_document`]), so a
//! self-hosted feed with self-hosted images keeps working.
//!
//! Behind an HTTP proxy, the proxy resolves host names and connects, so only literal
//! addresses and `localhost` names can be refused here; the proxy's own host is never refused.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use url::{Host, Url};

/// Which addresses a [`crate::Fetcher`] may connect to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AddressPolicy {
    /// Any address: for URLs the user gave (a feed on this machine or the LAN must work), and
    /// for content of a document that itself came from such a host.
    #[default]
    AllowLocal,
    /// Public unicast addresses only: for URLs found in content (images, full-text pages).
    PublicOnly,
}

impl AddressPolicy {
    /// Whether a connection to `ip` is allowed.
    pub fn permits(self, ip: IpAddr) -> bool {
        match self {
            AddressPolicy::AllowLocal => true,
            AddressPolicy::PublicOnly => is_public(ip),
        }
    }

    /// The policy for URLs found in a document fetched from `url` whose connection went to
    /// `remote` ([`crate::Fetched::remote_addr`]; `None` when unknown or through a proxy):
    /// [`AddressPolicy::AllowLocal`] when that host is local (a literal non-public address, a
    /// `localhost` name, or a name that resolved to a non-public address), else
    /// [`AddressPolicy::PublicOnly`].
    pub fn for_source(url: &str, remote: Option<IpAddr>) -> AddressPolicy {
        let local_host = Url::parse(url.trim())
            .ok()
            .is_some_and(|u| host_verdict(&u) == Some(false));
        if local_host || remote.is_some_and(|ip| !is_public(ip)) {
            AddressPolicy::AllowLocal
        } else {
            AddressPolicy::PublicOnly
        }
    }

    /// [`AddressPolicy::for_source`] of a fetched feed or page: the policy for its images and
    /// linked pages.
    pub fn for_document(doc: &crate::Fetched) -> AddressPolicy {
        AddressPolicy::for_source(&doc.final_url, doc.remote_addr)
    }

    /// `Err` with what was refused when `url`'s host is a literal address (or a `localhost`
    /// name) this policy does not permit. Other names are left to the resolver.
    pub(crate) fn check_url(self, url: &Url) -> Result<(), BlockedAddress> {
        if self == AddressPolicy::AllowLocal {
            return Ok(());
        }
        match host_verdict(url) {
            Some(false) => Err(BlockedAddress(url.host_str().unwrap_or("").to_string())),
            _ => Ok(()),
        }
    }
}

/// `Some(true)` for a public literal address, `Some(false)` for a non-public literal address
/// or a `localhost` name (RFC 6761: always loopback), `None` for any other name.
fn host_verdict(url: &Url) -> Option<bool> {
    match url.host()? {
        Host::Ipv4(ip) => Some(is_public(IpAddr::V4(ip))),
        Host::Ipv6(ip) => Some(is_public(IpAddr::V6(ip))),
        Host::Domain(d) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            (d == "localhost" || d.ends_with(".localhost")).then_some(false)
        }
    }
}

/// Whether `ip` is a public unicast address: not loopback, private (RFC 1918, fc00::/7),
/// link-local, shared (100.64.0.0/10), unspecified, multicast, broadcast, documentation,
/// benchmarking or reserved; IPv6 forms that embed an IPv4 address (mapped, compatible,
/// NAT64, 6to4) are judged by that address.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    let reserved = a == 0 // "this network", 0.0.0.0 included
        || a == 10 // private
        || a == 127 // loopback
        || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT)
        || (a == 169 && b == 254) // link-local (cloud metadata endpoints)
        || (a == 172 && (16..32).contains(&b)) // private
        || (a == 192 && b == 168) // private
        || (a == 192 && b == 0 && (c == 0 || c == 2)) // IETF assignments, TEST-NET-1
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || (a == 198 && b == 51 && c == 100) // TEST-NET-2
        || (a == 203 && b == 0 && c == 113) // TEST-NET-3
        || a >= 224; // multicast, reserved, broadcast
    !reserved
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    let v4 = |hi: u16, lo: u16| Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo));
    if let Some(mapped) = ip.to_ipv4_mapped() {
        return is_public_v4(mapped);
    }
    if s[..6] == [0; 6] {
        // ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d.
        return false;
    }
    if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        // NAT64 well-known prefix: the gateway connects to the embedded IPv4 address.
        return is_public_v4(v4(s[6], s[7]));
    }
    if s[0] == 0x2002 {
        // 6to4: the relay connects to the embedded IPv4 address.
        return is_public_v4(v4(s[1], s[2]));
    }
    // Global unicast is 2000::/3; everything else (ULA fc00::/7, link-local fe80::/10,
    // multicast ff00::/8, discard 100::/64, local NAT64 64:ff9b:1::/48, ...) is not public.
    let global = s[0] & 0xe000 == 0x2000;
    let documentation = s[0] == 0x2001 && s[1] == 0x0db8;
    global && !documentation
}

/// A refused destination (a host name or address), carried through reqwest's error chain.
#[derive(Debug, Clone)]
pub(crate) struct BlockedAddress(pub(crate) String);

impl std::fmt::Display for BlockedAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} is not a public address", self.0)
    }
}

impl std::error::Error for BlockedAddress {}

/// The HTTP client's resolver: the system resolver (or a fixed answer from `overrides`),
/// filtered by the policy, so the addresses checked are exactly the addresses connected to.
/// Under [`AddressPolicy::PublicOnly`] a name with no public address fails with
/// [`BlockedAddress`]; the proxy hosts in `exempt` resolve unfiltered (a proxy on this machine
/// is the norm).
#[derive(Debug, Clone, Default)]
pub(crate) struct PolicyResolver {
    pub(crate) policy: AddressPolicy,
    pub(crate) exempt: Vec<String>,
    pub(crate) overrides: Vec<(String, SocketAddr)>,
}

impl reqwest::dns::Resolve for PolicyResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_string();
        let unfiltered = self.policy == AddressPolicy::AllowLocal
            || self.exempt.iter().any(|h| h.eq_ignore_ascii_case(&host));
        let fixed: Vec<SocketAddr> = self
            .overrides
            .iter()
            .filter(|(h, _)| h.eq_ignore_ascii_case(&host))
            .map(|(_, a)| *a)
            .collect();
        let policy = self.policy;
        Box::pin(async move {
            let addrs: Vec<SocketAddr> = if fixed.is_empty() {
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect()
            } else {
                fixed
            };
            if unfiltered {
                return Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs);
            }
            let allowed: Vec<SocketAddr> = addrs
                .into_iter()
                .filter(|a| policy.permits(a.ip()))
                .collect();
            if allowed.is_empty() {
                return Err(Box::new(BlockedAddress(host)) as _);
            }
            Ok(Box::new(allowed.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// Host names of the proxies reqwest takes from the environment, and of `explicit`.
pub(crate) fn proxy_hosts(explicit: Option<&str>, from_env: bool) -> Vec<String> {
    let mut urls: Vec<String> = explicit.map(str::to_string).into_iter().collect();
    if from_env {
        for var in [
            "http_proxy",
            "HTTP_PROXY",
            "https_proxy",
            "HTTPS_PROXY",
            "all_proxy",
            "ALL_PROXY",
        ] {
            if let Ok(v) = std::env::var(var) {
                urls.push(v);
            }
        }
    }
    urls.iter()
        .filter_map(|u| {
            let u = u.trim();
            let with_scheme = if u.contains("://") {
                u.to_string()
            } else {
                format!("http://{u}")
            };
            Url::parse(&with_scheme)
                .ok()?
                .host_str()
                .map(|h| h.to_ascii_lowercase())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn public(s: &str) -> bool {
        is_public(s.parse().expect("an address"))
    }

    #[test]
    fn classification() {
        for ok in [
            "93.184.216.34",
            "8.8.8.8",
            "100.63.255.255",
            "100.128.0.1",
            "172.15.0.1",
            "172.32.0.1",
            "2606:4700::6810:84e5",
            "64:ff9b::5db8:d822",
            "2002:5db8:d822::1",
        ] {
            assert!(public(ok), "{ok} is public");
        }
        for bad in [
            "127.0.0.1",
            "127.255.0.9",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.255",
            "0.0.0.0",
            "0.1.2.3",
            "224.0.0.1",
            "239.255.255.250",
            "255.255.255.255",
            "240.0.0.1",
            "198.18.0.1",
            "192.0.2.1",
            "::",
            "::1",
            "::127.0.0.1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::7f00:1",
            "64:ff9b::a9fe:a9fe",
            "2002:7f00:1::1",
            "2002:c0a8:101::1",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "fec0::1",
            "ff02::1",
            "2001:db8::1",
            "100::1",
        ] {
            assert!(!public(bad), "{bad} must be refused");
        }
    }

    #[test]
    fn source_policy() {
        use AddressPolicy::*;
        let p = |u: &str, ip: Option<&str>| {
            AddressPolicy::for_source(u, ip.map(|i| i.parse().expect("address")))
        };
        assert_eq!(
            p("https://example.com/feed", Some("93.184.216.34")),
            PublicOnly
        );
        assert_eq!(p("https://example.com/feed", None), PublicOnly);
        assert_eq!(p("http://nas.lan/feed", Some("192.168.1.5")), AllowLocal);
        assert_eq!(p("http://127.0.0.1:8080/feed", None), AllowLocal);
        assert_eq!(p("http://localhost:8080/feed", None), AllowLocal);
        assert_eq!(p("http://[::1]:8080/feed", None), AllowLocal);
        assert_eq!(p("not a url", None), PublicOnly);
    }

    #[test]
    fn proxy_hosts_are_read() {
        assert_eq!(
            proxy_hosts(Some("http://Proxy.Corp:3128"), false),
            vec!["proxy.corp".to_string()]
        );
        assert_eq!(
            proxy_hosts(Some("localhost:3128"), false),
            vec!["localhost".to_string()]
        );
    }
}
