//! Glossary terms ("王毅" is always "Wang Yi"). LLM providers get the terms in the prompt; for
//! machine-translation services the engine *protects* them by substituting the target term
//! directly into the source text before sending. No placeholder token is used: placeholders
//! land inside words and break CJK text without word boundaries. Matching is substring-based
//! for CJK terms and whole-word for Latin ones (so `port` never matches inside `export`);
//! afterwards [`missing`] tells which protected terms did not survive translation.

use serde::{Deserialize, Serialize};

/// One glossary entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GlossaryTerm {
    /// The term as it appears in source text.
    pub source: String,
    /// The required translation.
    pub target: String,
    /// The target language (BCP-47, base or full) the term applies to; `None` = every target.
    #[serde(default)]
    pub scope: Option<String>,
}

impl GlossaryTerm {
    /// A term for every target language.
    pub fn new(source: impl Into<String>, target: impl Into<String>) -> Self {
        GlossaryTerm {
            source: source.into(),
            target: target.into(),
            scope: None,
        }
    }

    /// Whether the term applies when translating into `target` (BCP-47).
    pub fn applies_to(&self, target: &str) -> bool {
        match &self.scope {
            None => true,
            Some(s) => {
                let s = s.trim();
                s.is_empty()
                    || s == "*"
                    || s.eq_ignore_ascii_case(target)
                    || crate::lang::base(s) == crate::lang::base(target)
            }
        }
    }
}

/// Han, kana, Hangul and CJK punctuation: scripts written without spaces between words.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F | 0x3040..=0x309F | 0x30A0..=0x30FF | 0x3100..=0x312F | 0x3130..=0x318F
        | 0x31F0..=0x31FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0x1100..=0x11FF
        | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x2FA1F)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

fn chars_eq(a: char, b: char, fold: bool) -> bool {
    a == b || (fold && a.to_lowercase().eq(b.to_lowercase()))
}

/// Byte ranges where `term` occurs in `text`.
fn occurrences(text: &str, term: &str) -> Vec<(usize, usize)> {
    let term = term.trim();
    if term.is_empty() {
        return Vec::new();
    }
    if term.chars().any(is_cjk) {
        return text
            .match_indices(term)
            .map(|(i, m)| (i, i + m.len()))
            .collect();
    }
    // Latin (and other spaced scripts): whole words; a term written in lower case also matches
    // a capitalised occurrence (sentence start), a term with capitals matches exactly.
    let fold = !term.chars().any(char::is_uppercase);
    let tchars: Vec<char> = term.chars().collect();
    let mut out = Vec::new();
    let mut prev: Option<char> = None;
    for (i, c) in text.char_indices() {
        let at_boundary = prev.is_none_or(|p| !is_word_char(p));
        prev = Some(c);
        if !at_boundary || !chars_eq(c, tchars[0], fold) {
            continue;
        }
        // `i` comes from char_indices: a char boundary.
        let mut it = text[i..].char_indices();
        let mut end = None;
        let mut ok = true;
        for &t in &tchars {
            match it.next() {
                Some((_, x)) if chars_eq(x, t, fold) => {}
                _ => {
                    ok = false;
                    break;
                }
            }
        }
        if ok {
            let rest = it.next();
            let after_ok = rest.is_none_or(|(_, x)| !is_word_char(x));
            if after_ok {
                end = Some(i + rest.map_or(text.len() - i, |(j, _)| j));
            }
        }
        if let Some(e) = end {
            out.push((i, e));
        }
    }
    out
}

/// The terms (among those applying to `target`) that occur in `text`.
pub fn terms_in<'a>(terms: &'a [GlossaryTerm], text: &str, target: &str) -> Vec<&'a GlossaryTerm> {
    terms
        .iter()
        .filter(|t| t.applies_to(target) && !occurrences(text, &t.source).is_empty())
        .collect()
}

/// `text` with every occurrence of each term's source replaced by its target (longest match
/// first, no overlaps), and the terms actually substituted.
pub fn protect<'a>(text: &str, terms: &[&'a GlossaryTerm]) -> (String, Vec<&'a GlossaryTerm>) {
    let mut hits: Vec<(usize, usize, usize)> = Vec::new();
    for (k, t) in terms.iter().enumerate() {
        for (s, e) in occurrences(text, &t.source) {
            hits.push((s, e, k));
        }
    }
    hits.sort_by(|a, b| a.0.cmp(&b.0).then((b.1 - b.0).cmp(&(a.1 - a.0))));
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    let mut used = vec![false; terms.len()];
    for (s, e, k) in hits {
        if s < pos {
            continue;
        }
        // Hit ends come from match_indices/char_indices: char boundaries.
        out.push_str(&text[pos..s]);
        out.push_str(terms[k].target.trim());
        used[k] = true;
        pos = e;
    }
    out.push_str(&text[pos..]);
    let applied = terms
        .iter()
        .zip(used)
        .filter_map(|(t, u)| u.then_some(*t))
        .collect();
    (out, applied)
}

/// The protected terms whose target does not appear in the translation `output`.
pub fn missing<'a>(output: &str, applied: &[&'a GlossaryTerm]) -> Vec<&'a GlossaryTerm> {
    let lower = output.to_lowercase();
    applied
        .iter()
        .filter(|t| {
            let target = t.target.trim();
            !(output.contains(target) || lower.contains(&target.to_lowercase()))
        })
        .copied()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_term_is_substituted_inside_unspaced_text() {
        let terms = [GlossaryTerm::new("王毅", "Wang Yi")];
        let found = terms_in(&terms, "中国外长王毅周二表示", "en");
        assert_eq!(found.len(), 1);
        let (text, applied) = protect("中国外长王毅周二表示", &found);
        assert_eq!(text, "中国外长Wang Yi周二表示");
        assert_eq!(applied.len(), 1);
        assert!(missing("Chinese Foreign Minister Wang Yi said on Tuesday", &applied).is_empty());
        assert_eq!(missing("The foreign minister said", &applied).len(), 1);
    }

    #[test]
    fn latin_terms_match_whole_words_only() {
        let terms = [GlossaryTerm::new("port", "港口")];
        assert!(terms_in(&terms, "China's export figures rose", "zh").is_empty());
        assert!(terms_in(&terms, "Support grew", "zh").is_empty());
        let found = terms_in(
            &terms,
            "Port traffic and the port of Hamburg; export.",
            "zh",
        );
        let (text, _) = protect("Port traffic and the port of Hamburg; export.", &found);
        assert_eq!(text, "港口 traffic and the 港口 of Hamburg; export.");
        // A term with capitals is case-sensitive.
        let apple = [GlossaryTerm::new("Apple", "苹果公司")];
        assert!(terms_in(&apple, "an apple a day", "zh").is_empty());
        let found = terms_in(&apple, "在Apple公司", "zh");
        assert_eq!(protect("在Apple公司", &found).0, "在苹果公司公司");
    }

    #[test]
    fn longest_term_wins_and_scope_filters() {
        let terms = [
            GlossaryTerm::new("New York", "纽约"),
            GlossaryTerm::new("New York Times", "纽约时报"),
            GlossaryTerm {
                source: "Times".into(),
                target: "Zeiten".into(),
                scope: Some("de".into()),
            },
        ];
        let found = terms_in(&terms, "The New York Times said", "zh-Hans");
        assert_eq!(found.len(), 2);
        assert_eq!(
            protect("The New York Times said", &found).0,
            "The 纽约时报 said"
        );
    }
}
