//! The one rule for translation targets: any Chinese target is Chinese. Services are asked for
//! Chinese (Simplified) and the script the reader wants is made locally with OpenCC, so
//! translations are filed, looked up and compared by language family (`zh`), never by script.

use duizhao_zh::Config;

use crate::error::{CoreError, Result};
use crate::model::ScriptChoice;

/// Whether a BCP-47 tag names Chinese in any script or region (`zh`, `zh-Hant`, `zh-TW`, …).
pub fn is_chinese(tag: &str) -> bool {
    let lower = tag.to_ascii_lowercase();
    lower == "zh" || lower.starts_with("zh-")
}

/// Where translations into `to` are filed: `zh` for every Chinese target, else the canonical
/// code of one of the offered languages. An unknown language is an error naming the offered
/// ones.
pub fn record_target(to: &str) -> Result<String> {
    let canonical = duizhao_translate::lang::canonical(to).ok_or_else(|| {
        CoreError::InvalidInput(format!(
            "unknown target language `{to}`; use one of {}",
            duizhao_translate::lang::LANGUAGES.join(", ")
        ))
    })?;
    Ok(if is_chinese(canonical) {
        "zh".into()
    } else {
        canonical.to_string()
    })
}

/// Whether text in `lang` needs no translation into `target`: the same language family
/// (every Chinese script counts as Chinese). Unknown languages need translating.
pub fn same_family(lang: Option<&str>, target: &str) -> bool {
    match (
        lang.and_then(|l| record_target(l).ok()),
        record_target(target),
    ) {
        (Some(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// The OpenCC config that turns a stored Chinese translation (Simplified) into what the
/// reader wants: the script switch when set, else the script the target names.
pub fn translation_config(to: &str, script: ScriptChoice) -> Option<Config> {
    if !is_chinese(to) {
        return None;
    }
    match script {
        ScriptChoice::Original => {
            let lower = to.to_ascii_lowercase();
            (lower.contains("hant") || lower.ends_with("-tw") || lower.ends_with("-hk"))
                .then_some(Config::S2t)
        }
        other => other.config_from(Some("zh-Hans")),
    }
}

/// A stored translation as the reader sees it: converted with `config` when there is one.
pub fn convert_for_view(text: &str, config: Option<Config>) -> String {
    match config {
        Some(c) => duizhao_zh::Converter::get(c).convert(text),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_chinese_target_is_filed_as_chinese() {
        for t in ["zh", "zh-Hans", "zh-Hant", "zh-TW", "ZH-hk"] {
            assert!(is_chinese(t), "{t}");
            assert_eq!(record_target(t).unwrap(), "zh", "{t}");
        }
        assert!(!is_chinese("zu"), "a tag starting with z is not Chinese");
        assert_eq!(record_target("en-GB").unwrap(), "en");
        assert!(record_target("klingon").is_err());
    }

    #[test]
    fn the_same_family_needs_no_translation() {
        assert!(same_family(Some("en"), "en"));
        assert!(same_family(Some("en-GB"), "en"));
        assert!(same_family(Some("zh"), "zh-Hant"), "the detector says zh");
        assert!(same_family(Some("zh-Hant"), "zh-Hans"));
        assert!(!same_family(Some("zh-Hant"), "en"));
        assert!(
            !same_family(None, "en"),
            "unknown: translate (blocks are checked)"
        );
        assert!(!same_family(Some("und"), "en"));
    }

    #[test]
    fn chinese_translations_are_shown_in_the_chosen_script() {
        assert_eq!(translation_config("en", ScriptChoice::Hant), None);
        assert_eq!(translation_config("zh-Hans", ScriptChoice::Original), None);
        assert_eq!(
            translation_config("zh-Hant", ScriptChoice::Original),
            Some(Config::S2t)
        );
        assert_eq!(
            translation_config("zh-Hans", ScriptChoice::Tw),
            Some(Config::S2twp)
        );
    }
}
