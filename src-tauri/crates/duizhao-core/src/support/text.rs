//! Escaping and trimming text that came from outside. HTML escaping goes through the
//! `html-escape` crate (made for exactly this, already in the tree through `duizhao-feed`).

use std::borrow::Cow;

/// Escapes text for HTML element content (`& < >`).
pub fn escape_text(s: &str) -> Cow<'_, str> {
    html_escape::encode_text(s)
}

/// Escapes text for a quoted HTML/XML attribute value, or content that may end up in one
/// (`& < > " '`).
pub fn escape_attr(s: &str) -> Cow<'_, str> {
    html_escape::encode_quoted_attribute(s)
}

/// Appends `s` escaped as [`escape_attr`] does.
pub fn push_escaped(out: &mut String, s: &str) {
    html_escape::encode_quoted_attribute_to_string(s, out);
}

/// At most `max` characters of `s` (never cuts inside a character).
pub fn clip(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// `u` trimmed, when it is an absolute http(s) URL that parses; anything else
/// (`javascript:`, `data:`, relative, `https://` with no host, empty) is dropped, so no
/// stored URL can run in an export or break the reader's link.
pub fn http_url(u: Option<&str>) -> Option<String> {
    let u = u?.trim();
    let parsed = url::Url::parse(u).ok()?;
    (matches!(parsed.scheme(), "http" | "https")
        && parsed.host_str().is_some_and(|h| !h.is_empty()))
    .then(|| u.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_content_and_quoted_attributes() {
        assert_eq!(escape_text("a < b & \"c\""), "a &lt; b &amp; \"c\"");
        assert_eq!(
            escape_attr(r#"x" onerror='y'"#),
            "x&quot; onerror=&#x27;y&#x27;",
            "neither quote can end an attribute value"
        );
        let mut out = String::from("<p>");
        push_escaped(&mut out, "1 > 0");
        assert_eq!(out, "<p>1 &gt; 0");
    }

    #[test]
    fn clipping_counts_characters_not_bytes() {
        assert_eq!(clip("經濟新聞", 2), "經濟");
        assert_eq!(clip("ab", 5), "ab");
    }

    #[test]
    fn only_http_urls_are_kept() {
        assert_eq!(
            http_url(Some(" https://e.com/a ")).as_deref(),
            Some("https://e.com/a")
        );
        assert_eq!(http_url(Some("javascript:alert(1)")), None);
        assert_eq!(http_url(Some("/relative")), None);
        assert_eq!(http_url(Some("JavaScript:alert(1)")), None);
        assert_eq!(http_url(Some("https://")), None, "no host");
        assert_eq!(http_url(Some("http://[::1")), None, "does not parse");
        assert_eq!(
            http_url(Some("HTTPS://E.com/a")).as_deref(),
            Some("HTTPS://E.com/a")
        );
        assert_eq!(http_url(None), None);
    }
}
