//! Source-specific cleaning that runs before sanitizing: things that are valid HTML but not
//! article content, such as a feed service's promotional footer or image-proxy wrappers.

use std::borrow::Cow;

/// Text that marks the promotional footer appended by full-text feed services (feedx).
const FOOTER_MARKERS: &[&str] = &["获取更多RSS", "獲取更多RSS", "feedx.net", "feedx.best"];

/// Removes a feed service's footer: everything from the last `<hr>` when what follows it
/// advertises the service. Article text before the rule is never touched.
pub fn strip_service_footer(html: &str) -> &str {
    let lower = html.to_ascii_lowercase();
    if let Some(pos) = lower.rfind("<hr") {
        let tail = &html[pos..];
        if FOOTER_MARKERS.iter().any(|m| tail.contains(m)) {
            return html[..pos].trim_end();
        }
    }
    html
}

/// Image proxies whose query parameter holds the original image URL.
const PROXIES: &[(&str, &str)] = &[
    ("images.weserv.nl", "url"),
    ("wsrv.nl", "url"),
    ("i0.wp.com", ""),
];

/// Returns the original image URL behind a known image proxy, or `url` unchanged.
///
/// `https://images.weserv.nl/?url=static.dw.com/image/1.jpg` → `https://static.dw.com/image/1.jpg`.
pub fn unwrap_proxy_url(url: &str) -> Cow<'_, str> {
    let Ok(parsed) = url::Url::parse(url) else {
        return Cow::Borrowed(url);
    };
    let Some(host) = parsed.host_str() else {
        return Cow::Borrowed(url);
    };
    for (proxy, param) in PROXIES {
        if host != *proxy {
            continue;
        }
        let inner = if param.is_empty() {
            // Path-style proxies: https://i0.wp.com/example.com/a.jpg
            Some(parsed.path().trim_start_matches('/').to_string())
        } else {
            parsed
                .query_pairs()
                .find(|(k, _)| k == param)
                .map(|(_, v)| v.into_owned())
        };
        let Some(inner) = inner.filter(|s| !s.is_empty()) else {
            return Cow::Borrowed(url);
        };
        let candidate = if let Some(rest) = inner.strip_prefix("ssl:") {
            format!("https://{rest}")
        } else if inner.starts_with("http://") || inner.starts_with("https://") {
            inner
        } else if let Some(rest) = inner.strip_prefix("//") {
            format!("https://{rest}")
        } else {
            format!("https://{inner}")
        };
        return match url::Url::parse(&candidate) {
            Ok(u) if u.host_str().is_some() => Cow::Owned(u.to_string()),
            _ => Cow::Borrowed(url),
        };
    }
    Cow::Borrowed(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feedx_footer_is_removed_and_nothing_else() {
        let html = "<p>正文</p><br><hr><div>获取更多RSS：<br><a href=\"https://feedx.net\">https://feedx.net</a></div>";
        assert_eq!(strip_service_footer(html), "<p>正文</p><br>");
    }

    #[test]
    fn an_ordinary_rule_is_kept() {
        let html = "<p>a</p><hr><p>b</p>";
        assert_eq!(strip_service_footer(html), html);
    }

    #[test]
    fn proxies_unwrap_to_https_originals() {
        assert_eq!(
            unwrap_proxy_url("https://images.weserv.nl/?url=static.dw.com/image/62718820_303.jpg"),
            "https://static.dw.com/image/62718820_303.jpg"
        );
        assert_eq!(
            unwrap_proxy_url("https://images.weserv.nl/?url=ssl:example.com/a.png&w=300"),
            "https://example.com/a.png"
        );
        assert_eq!(
            unwrap_proxy_url("https://example.com/a.png"),
            "https://example.com/a.png"
        );
        assert_eq!(unwrap_proxy_url("not a url"), "not a url");
    }
}
