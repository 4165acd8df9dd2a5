//! Language and script of articles and blocks, as BCP-47 tags (`zh-Hant`, `en`, …).
//!
//! Chinese script (Hans/Hant) matters more to this app than to any detector: it decides
//! whether a paragraph needs converting or translating. Han text is classified with the
//! OpenCC-table script detector (`duizhao-zh`); other text by its Unicode script, until a
//! statistical detector takes over for Latin-script languages.

use crate::model::{Block, Detected};
use crate::services::target::is_chinese;
use duizhao_zh::{Script, detect_script};

/// Letters of each script family in a text. Counts add up over concatenated texts, so an
/// article is judged from its blocks' counts without scanning its text again.
#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    han: usize,
    kana: usize,
    hangul: usize,
    latin: usize,
    cyrillic: usize,
}

impl Counts {
    fn of(text: &str) -> Counts {
        let mut n = Counts::default();
        for c in text.chars() {
            if c.is_ascii() {
                n.latin += usize::from(c.is_ascii_alphabetic());
                continue;
            }
            match c as u32 {
                0x3040..=0x30ff => n.kana += 1,
                0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xf900..=0xfaff | 0x20000..=0x3134f => {
                    n.han += 1
                }
                0xac00..=0xd7af | 0x1100..=0x11ff => n.hangul += 1,
                0x0400..=0x04ff => n.cyrillic += 1,
                _ if c.is_alphabetic() => n.latin += 1,
                _ => {}
            }
        }
        n
    }

    fn add(&mut self, o: Counts) {
        self.han += o.han;
        self.kana += o.kana;
        self.hangul += o.hangul;
        self.latin += o.latin;
        self.cyrillic += o.cyrillic;
    }

    /// The verdict; `script` is asked for only when the text looks Chinese or Japanese.
    fn detect(self, script: impl FnOnce() -> duizhao_zh::ScriptReport) -> Detected {
        let Counts {
            han,
            kana,
            hangul,
            latin,
            cyrillic,
        } = self;
        let total = (han + kana + hangul + latin + cyrillic) as f64;
        let det = |lang: &str, n: usize| Detected {
            lang: lang.to_string(),
            confidence: if total > 0.0 { n as f64 / total } else { 0.0 },
        };
        if total == 0.0 {
            return det("und", 0);
        }
        if han + kana > 0 && (han + kana) * 4 >= latin && hangul == 0 {
            let report = script();
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
}

/// Detects the language of `text`.
pub fn detect_text(text: &str) -> Detected {
    Counts::of(text).detect(|| detect_script(text))
}

/// Best-effort BCP-47 tag of a text, `None` when it has no letters.
pub fn detect(text: &str) -> Option<String> {
    known(detect_text(text))
}

fn known(d: Detected) -> Option<String> {
    (d.lang != "und").then_some(d.lang)
}

/// Blocks that decide an article's language (the first ones, with the title).
const SAMPLE_BLOCKS: usize = 40;

fn sample(blocks: &[Block]) -> impl Iterator<Item = &Block> {
    blocks
        .iter()
        .filter(|b| b.kind.is_textual())
        .take(SAMPLE_BLOCKS)
}

fn article_from_counts(title: &str, blocks: &[Block], counts: &[Counts]) -> Option<String> {
    let mut total = Counts::of(title);
    for c in counts.iter().take(SAMPLE_BLOCKS) {
        total.add(*c);
    }
    known(total.detect(|| {
        let mut text = String::from(title);
        for b in sample(blocks) {
            text.push('\n');
            text.push_str(&b.text);
        }
        detect_script(&text)
    }))
}

fn inherit(own: Option<String>, article_lang: Option<&str>) -> Option<String> {
    match own {
        Some(l) if l != "zh" => Some(l),
        // "zh" without a script (too few telling characters): the article knows better.
        Some(l) => Some(
            article_lang
                .filter(|a| is_chinese(a))
                .unwrap_or(&l)
                .to_string(),
        ),
        None => article_lang.map(str::to_string),
    }
}

/// Detects the article's language (from its title and first blocks) and tags every textual
/// block; blocks too short to tell inherit the article's language. Each block's text is read
/// once. Returns the article's language.
pub fn tag_article(title: &str, blocks: &mut [Block]) -> Option<String> {
    let counts: Vec<Counts> = blocks
        .iter()
        .filter(|b| b.kind.is_textual())
        .map(|b| Counts::of(&b.text))
        .collect();
    let lang = article_from_counts(title, blocks, &counts);
    for (b, c) in blocks
        .iter_mut()
        .filter(|b| b.kind.is_textual())
        .zip(counts)
    {
        let own = known(c.detect(|| detect_script(&b.text)));
        b.lang = inherit(own, lang.as_deref());
    }
    lang
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
    fn an_article_is_judged_by_its_title_and_blocks_together() {
        use crate::BlockKind::*;
        let mut blocks = vec![
            Block::text(Heading, "經濟新聞", ""),
            Block::text(Paragraph, "（路透社）", ""),
            Block::text(Image, "", ""),
            Block::text(Paragraph, "中國外交部長王毅近期行程滿檔", ""),
            Block::text(Paragraph, "Hello world", ""),
        ];
        assert_eq!(tag_article("標題", &mut blocks).as_deref(), Some("zh-Hant"));
        let langs: Vec<_> = blocks.iter().map(|b| b.lang.as_deref()).collect();
        assert_eq!(
            langs,
            [
                Some("zh-Hant"),
                Some("zh-Hant"),
                None,
                Some("zh-Hant"),
                Some("und-Latn")
            ],
            "the short block inherits the article's script; images get no language"
        );
    }

    #[test]
    fn short_blocks_inherit_the_article_script() {
        let mut blocks = vec![
            Block::text(
                crate::BlockKind::Paragraph,
                "中國外交部長王毅近期行程滿檔",
                "",
            ),
            Block::text(crate::BlockKind::Paragraph, "（路透社等）", ""),
        ];
        tag_article("", &mut blocks);
        assert_eq!(blocks[1].lang.as_deref(), Some("zh-Hant"));
    }
}
