//! Languages: the BCP-47 codes the app offers, their normalisation, and offline language
//! detection (lingua, restricted to those languages so the models stay small and detection
//! never answers with a language we cannot translate). The engine uses detection to skip
//! segments already in the target language and to guess a source for providers that need one.

use std::sync::OnceLock;

use lingua::{Language, LanguageDetector, LanguageDetectorBuilder};

/// The canonical codes the app offers, in menu order.
pub const LANGUAGES: &[&str] = &[
    "en", "zh-Hans", "zh-Hant", "ja", "ko", "de", "fr", "es", "ru", "pt", "it",
];

/// Normalise a BCP-47 code to one of [`LANGUAGES`] (case-insensitive; regions folded:
/// `en-GB` → `en`, `zh-CN`/`zh` → `zh-Hans`, `zh-TW`/`zh-HK` → `zh-Hant`). `None` if unknown.
pub fn canonical(code: &str) -> Option<&'static str> {
    let lower = code.trim().replace('_', "-").to_ascii_lowercase();
    let mut parts = lower.split('-');
    let base = parts.next().unwrap_or("");
    let rest: Vec<&str> = parts.collect();
    Some(match base {
        "en" => "en",
        "ja" => "ja",
        "ko" => "ko",
        "de" => "de",
        "fr" => "fr",
        "es" => "es",
        "ru" => "ru",
        "pt" => "pt",
        "it" => "it",
        "zh" | "cmn" => {
            if rest
                .iter()
                .any(|p| matches!(*p, "hant" | "tw" | "hk" | "mo"))
            {
                "zh-Hant"
            } else {
                "zh-Hans"
            }
        }
        _ => return None,
    })
}

/// The base language of a code (`zh-Hant` → `zh`, `en-US` → `en`), lower case.
pub fn base(code: &str) -> String {
    code.split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// The English name of a canonical code, for LLM prompts.
pub fn english_name(code: &str) -> &'static str {
    match code {
        "en" => "English",
        "zh-Hans" => "Simplified Chinese",
        "zh-Hant" => "Traditional Chinese",
        "ja" => "Japanese",
        "ko" => "Korean",
        "de" => "German",
        "fr" => "French",
        "es" => "Spanish",
        "ru" => "Russian",
        "pt" => "Portuguese",
        "it" => "Italian",
        _ => "the target language",
    }
}

/// ISO 639-3 code of a canonical code (Apertium's codes).
pub fn iso639_3(code: &str) -> Option<&'static str> {
    Some(match code {
        "en" => "eng",
        "zh-Hans" | "zh-Hant" | "zh" => "zho",
        "ja" => "jpn",
        "ko" => "kor",
        "de" => "deu",
        "fr" => "fra",
        "es" => "spa",
        "ru" => "rus",
        "pt" => "por",
        "it" => "ita",
        _ => return None,
    })
}

/// A detected language.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Detected {
    /// BCP-47 base code: `en`, `zh` (script is decided locally, not here), `ja`, ...
    pub lang: &'static str,
    /// Relative confidence in `0.0..=1.0`.
    pub confidence: f64,
}

const DETECTABLE: [Language; 10] = [
    Language::English,
    Language::Chinese,
    Language::Japanese,
    Language::Korean,
    Language::German,
    Language::French,
    Language::Spanish,
    Language::Russian,
    Language::Portuguese,
    Language::Italian,
];

/// Characters of a text the detector judges it by: enough for a paragraph's language, and a
/// bound on the cost of a long one (lingua's cost grows with the text, its certainty stops
/// growing long before).
pub const SAMPLE_CHARS: usize = 400;

static DETECTOR: OnceLock<LanguageDetector> = OnceLock::new();

/// The one detector of the process, built on first use. lingua loads its models lazily too,
/// per language and n-gram length, the first time a text needs them: texts of 120+ characters
/// are judged by trigrams alone (lingua's rule, as accurate there as the full models), so a
/// process that only meets paragraphs never loads the larger models of short texts.
fn detector() -> &'static LanguageDetector {
    DETECTOR.get_or_init(|| LanguageDetectorBuilder::from_languages(&DETECTABLE).build())
}

/// Whether the detector was needed yet in this process (its models load only then): lets
/// tests check that opening a library or starting the app loads none.
pub fn models_in_use() -> bool {
    DETECTOR.get().is_some()
}

/// Loads the models that paragraphs and short texts need, now (takes a moment). Nothing in the
/// app calls it, so start-up stays that of a bare window; benchmarks call it so that their
/// measurements leave the loading out.
pub fn warm_up() {
    let _ = detector().compute_language_confidence_values(
        "The quick brown fox jumps over the lazy dog, très bien, über alles.",
    );
    let _ = detector().compute_language_confidence_values("Быстрая лиса 日本語の文章 中文句子");
}

fn code_of(l: Language) -> &'static str {
    match l {
        Language::English => "en",
        Language::Chinese => "zh",
        Language::Japanese => "ja",
        Language::Korean => "ko",
        Language::German => "de",
        Language::French => "fr",
        Language::Spanish => "es",
        Language::Russian => "ru",
        Language::Portuguese => "pt",
        Language::Italian => "it",
        #[allow(unreachable_patterns)]
        _ => "und",
    }
}

/// The most likely language of `text`, or `None` when it has no letters to judge by.
/// Long texts are judged on their first [`SAMPLE_CHARS`] characters.
pub fn detect(text: &str) -> Option<Detected> {
    let sample = prefix(text, SAMPLE_CHARS);
    if !sample.chars().any(char::is_alphabetic) {
        return None;
    }
    top(detector().compute_language_confidence_values(sample))
}

fn prefix(text: &str, chars: usize) -> &str {
    match text.char_indices().nth(chars) {
        // From char_indices: a char boundary.
        Some((i, _)) => &text[..i],
        None => text,
    }
}

fn top(values: Vec<(Language, f64)>) -> Option<Detected> {
    let (lang, confidence) = values.into_iter().next()?;
    if confidence <= 0.0 {
        return None;
    }
    Some(Detected {
        lang: code_of(lang),
        confidence,
    })
}

/// [`detect`] for many texts at once, on every core.
pub fn detect_many(texts: &[&str]) -> Vec<Option<Detected>> {
    let mut out = vec![None; texts.len()];
    let judged: Vec<(usize, &str)> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| (i, prefix(t, SAMPLE_CHARS)))
        .filter(|(_, s)| s.chars().any(char::is_alphabetic))
        .collect();
    if judged.is_empty() {
        return out;
    }
    let samples: Vec<&str> = judged.iter().map(|(_, s)| *s).collect();
    let values = detector().compute_language_confidence_values_in_parallel(&samples);
    for ((i, _), v) in judged.into_iter().zip(values) {
        out[i] = top(v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_codes() {
        assert_eq!(canonical("EN-gb"), Some("en"));
        assert_eq!(canonical("zh"), Some("zh-Hans"));
        assert_eq!(canonical("zh-TW"), Some("zh-Hant"));
        assert_eq!(canonical("zh-Hant-HK"), Some("zh-Hant"));
        assert_eq!(canonical("xx"), None);
        assert_eq!(base("zh-Hant"), "zh");
        assert_eq!(iso639_3("es"), Some("spa"));
    }

    #[test]
    fn detects_common_languages() {
        let en = detect("The government announced new measures on Tuesday to curb inflation.");
        assert_eq!(en.map(|d| d.lang), Some("en"));
        let zh = detect("德國總理週二宣布了新的經濟措施，以遏制通貨膨脹。");
        assert_eq!(zh.map(|d| d.lang), Some("zh"));
        assert_eq!(detect("12345 — 678"), None);
        let many = detect_many(&[
            "Die Bundesregierung hat am Dienstag in Berlin ein umfangreiches Paket neuer Maßnahmen gegen die steigende Inflation vorgestellt.",
            "Bonjour à tous",
            "",
            "La Commission européenne a présenté mercredi à Bruxelles une série de propositions destinées à renforcer la sécurité énergétique.",
        ]);
        let langs: Vec<Option<&str>> = many.iter().map(|d| d.map(|d| d.lang)).collect();
        assert_eq!(langs, vec![Some("de"), Some("fr"), None, Some("fr")]);
    }
}
