//! Language and script of articles and blocks, as BCP-47 tags (`zh-Hant`, `en`, …).
//!
//! Chinese script (Hans/Hant) matters more to this app than to any detector: it decides
//! whether a paragraph needs converting or translating. Han text is classified with the
//! OpenCC-table script detector (`duizhao-zh`); other text by its Unicode script, until a
//! statistical detector takes over for Latin-script languages.

use duizhao_zh::{Script, detect_script};
use serde::{Deserialize, Serialize};

use crate::model::Block;

/// A detection result: `dz detect`'s JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Detected {
    /// BCP-47 tag, e.g. `zh-Hant`, `ja`, `en`; `und` when nothing could be told.
    pub lang: String,
    /// From 0 (a guess) to 1.
    pub confidence: f64,
}

/// Detects the language of `text`.
pub fn detect_text(text: &str) -> Detected {
    let (mut han, mut kana, mut hangul, mut latin, mut cyrillic) = (0usize, 0, 0, 0, 0);
    for c in text.chars() {
        match c as u32 {
            0x3040..=0x30ff => kana += 1,
            0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xf900..=0xfaff | 0x20000..=0x3134f => han += 1,
            0xac00..=0xd7af | 0x1100..=0x11ff => hangul += 1,
            0x0400..=0x04ff => cyrillic += 1,
            _ if c.is_alphabetic() => latin += 1,
            _ => {}
        }
    }
    let total = (han + kana + hangul + latin + cyrillic) as f64;
    let det = |lang: &str, n: usize| Detected {
        lang: lang.to_string(),
        confidence: if total > 0.0 { n as f64 / total } else { 0.0 },
    };
    if total == 0.0 {
        return det("und", 0);
    }
    if han + kana > 0 && (han + kana) * 4 >= latin && hangul == 0 {
        let report = detect_script(text);
        return match report.script {
            Script::Hans => Detected {
                lang: "zh-Hans".into(),
                confidence: report.confidence,
            },
            Script::Hant => Detected {
                lang: "zh-Hant".into(),
                confidence: report.confidence,
            },
            Script::Japanese => Detected {
                lang: "ja".into(),
                confidence: report.confidence,
            },
            // Both scripts, or only characters common to both: Chinese, script unknown.
            Script::Mixed | Script::None => det("zh", han),
        };
    }
    if hangul > 0 && hangul >= latin {
        det("ko", hangul)
    } else if cyrillic > latin {
        det("ru", cyrillic)
    } else {
        det("und-Latn", latin)
    }
}

/// Best-effort BCP-47 tag of a text, `None` when it has no letters.
pub fn detect(text: &str) -> Option<String> {
    let d = detect_text(text);
    (d.lang != "und").then_some(d.lang)
}

/// The article's language, from its title and text.
pub fn article_lang(title: &str, blocks: &[Block]) -> Option<String> {
    let mut sample = String::from(title);
    for b in blocks.iter().filter(|b| b.kind.is_textual()).take(40) {
        sample.push('\n');
        sample.push_str(&b.text);
    }
    detect(&sample)
}

/// Sets each textual block's `lang`; blocks too short to tell inherit the article's.
pub fn tag_blocks(blocks: &mut [Block], article_lang: Option<&str>) {
    for b in blocks.iter_mut().filter(|b| b.kind.is_textual()) {
        b.lang = match detect(&b.text) {
            Some(l) if l != "zh" => Some(l),
            // "zh" without a script (too few telling characters): the article knows better.
            Some(l) => Some(
                article_lang
                    .filter(|a| a.starts_with("zh"))
                    .unwrap_or(&l)
                    .to_string(),
            ),
            None => article_lang.map(str::to_string),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_scripts_are_told_apart() {
        assert_eq!(detect_text("中國外交部長王毅近期行程滿檔").lang, "zh-Hant");
        assert_eq!(detect_text("中国外交部长王毅近期行程满档").lang, "zh-Hans");
        assert_eq!(detect_text("これは日本語の文章です").lang, "ja");
        assert_eq!(detect_text("Hello world").lang, "und-Latn");
        assert_eq!(detect_text("1234 !!").lang, "und");
    }

    #[test]
    fn short_blocks_inherit_the_article_script() {
        let mut blocks = vec![Block::text(crate::BlockKind::Paragraph, "（路透社等）", "")];
        tag_blocks(&mut blocks, Some("zh-Hant"));
        assert_eq!(blocks[0].lang.as_deref(), Some("zh-Hant"));
    }
}
