//! Source-specific cleaning that runs before sanitizing: things that are valid HTML but not
//! article content, such as a feed service's promotional footer or image-proxy wrappers.

use serde::{Deserialize, Serialize};

/// Text that marks the promotional footer appended by full-text feed services (feedx).
const FOOTER_MARKERS: &[&str] = &["获取更多RSS", "獲取更多RSS", "feedx.net", "feedx.best"];

/// Removes a feed service's footer: everything from the last `<hr>` when what follows it
/// advertises the service. Article text before the rule is never touched.
pub fn strip_service_footer(html: &str) -> &str {
    let b = html.as_bytes();
    let last_rule = memchr::memrchr_iter(b'<', b).find(|&i| {
        b.get(i + 1..i + 3)
            .is_some_and(|t| t.eq_ignore_ascii_case(b"hr"))
    });
    if let Some(pos) = last_rule {
        let tail = &html[pos..];
        if FOOTER_MARKERS.iter().any(|m| tail.contains(m)) {
            return html[..pos].trim_end();
        }
    }
    html
}

/// Per-source cleaning rules, stored as JSON with the feed.
///
/// The feed service footer ([`strip_service_footer`]) and image-proxy unwrapping
/// (`duizhao_feed::unwrap_proxy_url`, applied by the sanitizer) are built in and always on;
/// these rules add what one source needs, such as removing its share bar.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CleanRules {
    /// CSS selectors of elements removed with their content before sanitizing.
    #[serde(default)]
    pub remove: Vec<String>,
}

impl CleanRules {
    /// Parses stored rules; rules that do not parse are ignored rather than failing a refresh.
    pub fn from_json(json: Option<&str>) -> CleanRules {
        json.and_then(|j| serde_json::from_str(j).ok())
            .unwrap_or_default()
    }

    /// True when there is nothing to apply.
    pub fn is_empty(&self) -> bool {
        self.remove.is_empty()
    }
}

/// Removes the elements the rules name. Call only on HTML whose depth was checked (it parses).
/// Selectors that do not parse are skipped.
pub fn apply_rules(html: &str, rules: &CleanRules) -> String {
    if rules.is_empty() {
        return html.to_string();
    }
    let mut doc = scraper::Html::parse_fragment(html);
    let mut doomed = Vec::new();
    for sel in &rules.remove {
        if let Ok(s) = scraper::Selector::parse(sel) {
            doomed.extend(doc.select(&s).map(|e| e.id()));
        }
    }
    for id in doomed {
        if let Some(mut node) = doc.tree.get_mut(id) {
            node.detach();
        }
    }
    doc.root_element().inner_html()
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
    fn rules_remove_elements_by_selector() {
        let rules = CleanRules {
            remove: vec![".share".into(), "aside".into(), "[[bad selector".into()],
        };
        let out = apply_rules(
            "<p>keep</p><div class=\"share\">Share!</div><aside>ad</aside>",
            &rules,
        );
        assert_eq!(out, "<p>keep</p>");
        assert_eq!(
            CleanRules::from_json(Some("{\"remove\":[\"nav\"]}")).remove,
            ["nav"]
        );
        assert!(CleanRules::from_json(Some("not json")).is_empty());
    }
}
