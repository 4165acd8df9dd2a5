//! Language of articles and blocks, as BCP-47 tags (`en`, `fr`, `ru`, `ja`, `zh-Hant`, …): the
//! one answer the article list, the reader, translation ("already in the target language"),
//! auto-translation and exports all read from the library, and that `dz detect` prints.
//!
//! Chinese script (Hans/Hant) matters more to this app than to any detector: it decides
//! whether a paragraph needs converting or translating. Han text is classified with the
//! OpenCC-table script detector (`duizhao-zh`), kana is Japanese and Hangul Korean by their
//! script alone; Latin and Cyrillic text go to lingua (`duizhao_translate::lang`), restricted
//! to the languages the app offers.
//!
//! Cost (the ingest benchmark, docs/BENCHMARKS.md "Feed ingest"): lingua's time grows with the
//! text, so an article is judged once, from a short sample of its title and first blocks. A
//! block is judged on its own only when its script differs from the article's, or when the
//! article's verdict was unsure (a short text, or one mixing languages); other blocks, and
//! blocks too short to tell (a two-letter caption), take the article's language.
//!
//! Even so lingua costs more than everything else ingest does to an item (docs/BENCHMARKS.md,
//! "Language detection with lingua"), so bulk ingest (feed items: refreshes, sync, feed
//! documents) tags with [`Detection::Deferred`]: everything the scripts tell (Chinese, kana,
//! Hangul) at once, Latin and Cyrillic text left untagged for the background pass
//! (`usecases/languages.rs`), which runs this same function right after the write. A single
//! article the reader is about to open (a saved page, an imported file) is judged in full.

use crate::model::{Block, Detected};
use crate::services::target::is_chinese;
use duizhao_zh::{Script, detect_script};

/// Blocks that decide an article's language (the first ones, with the title).
const SAMPLE_BLOCKS: usize = 40;
/// Letters of Latin or Cyrillic text an article (or a block judged on its own) is judged by.
/// lingua's cost grows with the text, and from 120 letters on it judges by trigrams alone, as
/// accurately as with all its models (its own measurements) and for the least time: so a bit
/// more than 120, and no more (the ingest benchmark, docs/BENCHMARKS.md).
const SAMPLE_LETTERS: usize = 130;
/// Least confidence of an article's verdict for its blocks of the same script to take it
/// without being judged on their own.
const ARTICLE_CONFIDENCE: f64 = 0.9;
/// Fewest letters a block needs to be judged on its own; shorter ones (captions, names,
/// list items) take the article's language.
const MIN_JUDGED_LETTERS: usize = 12;
/// Least confidence for a block of the article's script to get a language of its own.
const BLOCK_CONFIDENCE: f64 = 0.7;

/// The script family that decides how a text is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    /// No letters.
    None,
    /// Han and kana: Chinese (by script) or Japanese.
    Cjk,
    Hangul,
    Latin,
    Cyrillic,
}

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

/// The script family of one character (`None` for everything but letters).
fn family_of(c: char) -> Family {
    if c.is_ascii() {
        return if c.is_ascii_alphabetic() {
            Family::Latin
        } else {
            Family::None
        };
    }
    match c as u32 {
        0x3040..=0x30ff
        | 0x3400..=0x4dbf
        | 0x4e00..=0x9fff
        | 0xf900..=0xfaff
        | 0x20000..=0x3134f => Family::Cjk,
        0xac00..=0xd7af | 0x1100..=0x11ff => Family::Hangul,
        0x0400..=0x04ff => Family::Cyrillic,
        _ if c.is_alphabetic() => Family::Latin,
        _ => Family::None,
    }
}

impl Counts {
    fn of(text: &str) -> Counts {
        let mut n = Counts::default();
        for c in text.chars() {
            match family_of(c) {
                Family::None => {}
                Family::Latin => n.latin += 1,
                Family::Cyrillic => n.cyrillic += 1,
                Family::Hangul => n.hangul += 1,
                Family::Cjk if (0x3040..=0x30ff).contains(&(c as u32)) => n.kana += 1,
                Family::Cjk => n.han += 1,
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

    fn letters(self) -> usize {
        self.han + self.kana + self.hangul + self.latin + self.cyrillic
    }

    /// The family that decides: Han or kana unless outweighed four to one by alphabetic
    /// letters (a Chinese article quoting English stays Chinese), then Hangul, then the larger
    /// of Latin and Cyrillic.
    fn family(self) -> Family {
        let cjk = self.han + self.kana;
        let alphabetic = self.latin + self.cyrillic;
        if self.letters() == 0 {
            Family::None
        } else if cjk > 0 && cjk * 4 >= alphabetic && self.hangul == 0 {
            Family::Cjk
        } else if self.hangul > 0 && self.hangul >= alphabetic {
            Family::Hangul
        } else if self.cyrillic > self.latin {
            Family::Cyrillic
        } else {
            Family::Latin
        }
    }
}

/// Whether the statistical detector runs now, or what only it can tell is left for later.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detection {
    /// Every part is judged now.
    Now,
    /// Latin- and Cyrillic-script parts are left untagged (`None`) for the background pass;
    /// what the script alone tells is tagged now.
    Deferred,
}

/// A verdict and how it was reached.
struct Verdict {
    detected: Detected,
    family: Family,
    /// lingua was not sure (short or mixed text): blocks of the same script are judged on
    /// their own.
    unsure: bool,
}

/// Judges a text given as pieces (an article's title and first blocks) whose letters were
/// counted in `counts`. The pieces are read again only for the detector's sample.
fn judge<'a>(
    counts: Counts,
    pieces: impl Iterator<Item = &'a str> + Clone,
    detection: Detection,
) -> Verdict {
    let family = counts.family();
    let total = counts.letters() as f64;
    let det = |lang: &str, confidence: f64| Detected {
        lang: lang.to_string(),
        confidence,
    };
    let verdict = |detected: Detected| Verdict {
        detected,
        family,
        unsure: false,
    };
    match family {
        Family::None => verdict(det("und", 0.0)),
        Family::Hangul => verdict(det("ko", counts.hangul as f64 / total)),
        Family::Cjk => {
            let text: String = pieces.collect::<Vec<_>>().join("\n");
            let report = detect_script(&text);
            verdict(match report.script {
                Script::Hans => det("zh-Hans", report.confidence),
                Script::Hant => det("zh-Hant", report.confidence),
                Script::Japanese => det("ja", report.confidence),
                // Both scripts, or only characters common to both: Chinese, script unknown.
                Script::Mixed | Script::None => det("zh", counts.han as f64 / total),
            })
        }
        Family::Latin | Family::Cyrillic if detection == Detection::Deferred => {
            verdict(det("und", 0.0))
        }
        Family::Latin | Family::Cyrillic => {
            match duizhao_translate::lang::detect(&alphabetic_sample(pieces, SAMPLE_LETTERS)) {
                Some(d) => Verdict {
                    detected: det(tag_of(d.lang), d.confidence),
                    family,
                    unsure: d.confidence < ARTICLE_CONFIDENCE,
                },
                None => verdict(det("und", 0.0)),
            }
        }
    }
}

/// The tag stored for a base code of the detector: the app's canonical tags, except Chinese,
/// whose script only `duizhao-zh` can tell.
fn tag_of(code: &'static str) -> &'static str {
    match code {
        "zh" => "zh",
        c => duizhao_translate::lang::canonical(c).unwrap_or(c),
    }
}

/// The Latin and Cyrillic text of `pieces` up to its `letters`-th letter, other scripts
/// blanked out, so a Chinese run inside an English paragraph does not sway the detector.
fn alphabetic_sample<'a>(pieces: impl Iterator<Item = &'a str>, letters: usize) -> String {
    let mut out = String::new();
    let mut n = 0;
    'pieces: for piece in pieces {
        if !out.is_empty() {
            out.push('\n');
        }
        for c in piece.chars() {
            match family_of(c) {
                Family::Cjk | Family::Hangul => {
                    if !out.ends_with(' ') {
                        out.push(' ');
                    }
                }
                Family::Latin | Family::Cyrillic => {
                    if n == letters {
                        break 'pieces;
                    }
                    n += 1;
                    out.push(c);
                }
                Family::None => out.push(c),
            }
        }
    }
    out
}

/// Detects the language of `text`: `und` when it has no letters.
pub fn detect_text(text: &str) -> Detected {
    judge(Counts::of(text), std::iter::once(text), Detection::Now).detected
}

fn known(d: Detected) -> Option<String> {
    (d.lang != "und").then_some(d.lang)
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
/// block (see the module docs for which blocks are judged on their own). Returns the
/// article's language, `None` when it has no text worth judging.
pub fn tag_article(title: &str, blocks: &mut [Block]) -> Option<String> {
    tag_article_with(title, blocks, Detection::Now)
}

/// [`tag_article`], with the statistical detector's part now or left for the background pass.
/// With [`Detection::Deferred`] an article of Latin or Cyrillic script gets `None`, and so do
/// its blocks of that script; the store marks such an article for the pass
/// (`store::languages::pending`).
pub fn tag_article_with(title: &str, blocks: &mut [Block], detection: Detection) -> Option<String> {
    let counts: Vec<Counts> = blocks
        .iter()
        .filter(|b| b.kind.is_textual())
        .map(|b| Counts::of(&b.text))
        .collect();
    let mut total = Counts::of(title);
    for c in counts.iter().take(SAMPLE_BLOCKS) {
        total.add(*c);
    }
    let sample = std::iter::once(title).chain(
        blocks
            .iter()
            .filter(|b| b.kind.is_textual())
            .take(SAMPLE_BLOCKS)
            .map(|b| b.text.as_str()),
    );
    let article = judge(total, sample, detection);
    let lang = known(article.detected);
    // Blocks judged on their own: (index, whether their script differs from the article's).
    let mut own: Vec<(usize, bool)> = Vec::new();
    let textual = blocks
        .iter_mut()
        .enumerate()
        .filter(|(_, b)| b.kind.is_textual());
    for ((i, b), c) in textual.zip(counts) {
        let family = c.family();
        b.lang = match family {
            Family::None => lang.clone(),
            Family::Cjk => {
                let verdict = judge(c, std::iter::once(b.text.as_str()), detection).detected;
                inherit(known(verdict), lang.as_deref())
            }
            Family::Hangul => Some("ko".into()),
            Family::Latin | Family::Cyrillic => {
                let differs = family != article.family;
                if c.letters() < MIN_JUDGED_LETTERS || !(differs || article.unsure) {
                    lang.clone()
                } else if detection == Detection::Deferred {
                    None
                } else {
                    own.push((i, differs));
                    lang.clone()
                }
            }
        };
    }
    if !own.is_empty() {
        let samples: Vec<String> = own
            .iter()
            .map(|&(i, _)| {
                alphabetic_sample(std::iter::once(blocks[i].text.as_str()), SAMPLE_LETTERS)
            })
            .collect();
        let refs: Vec<&str> = samples.iter().map(String::as_str).collect();
        let found = duizhao_translate::lang::detect_many(&refs);
        for ((i, differs), d) in own.into_iter().zip(found) {
            if let Some(d) = d.filter(|d| differs || d.confidence >= BLOCK_CONFIDENCE) {
                blocks[i].lang = Some(tag_of(d.lang).to_string());
            }
        }
    }
    lang
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::BlockKind::*;

    /// Sentences of each language the app offers besides Chinese, as a reader's feed brings
    /// them (also `dz detect`'s black-box test).
    pub(crate) const SENTENCES: &[(&str, &str)] = &[
        (
            "en",
            "The government announced new measures on Tuesday to curb inflation.",
        ),
        (
            "en",
            "She has lived in the small coastal town for most of her life.",
        ),
        (
            "fr",
            "Le gouvernement a annoncé mardi de nouvelles mesures contre l'inflation.",
        ),
        (
            "fr",
            "Elle a passé presque toute sa vie dans cette petite ville côtière.",
        ),
        (
            "de",
            "Die Regierung hat am Dienstag neue Maßnahmen gegen die Inflation angekündigt.",
        ),
        (
            "de",
            "Sie hat fast ihr ganzes Leben in dieser kleinen Küstenstadt verbracht.",
        ),
        (
            "es",
            "El gobierno anunció el martes nuevas medidas para frenar la inflación.",
        ),
        (
            "es",
            "Ella ha vivido casi toda su vida en este pequeño pueblo costero.",
        ),
        (
            "it",
            "Il governo ha annunciato martedì nuove misure per frenare l'inflazione.",
        ),
        (
            "it",
            "Ha vissuto quasi tutta la sua vita in questa piccola città costiera.",
        ),
        (
            "pt",
            "O governo anunciou na terça-feira novas medidas para conter a inflação.",
        ),
        (
            "pt",
            "Ela viveu quase toda a sua vida nesta pequena cidade costeira.",
        ),
        (
            "ru",
            "Правительство во вторник объявило о новых мерах по сдерживанию инфляции.",
        ),
        ("en", "Good morning"),
        ("fr", "Bonjour à tous"),
        ("de", "Guten Morgen zusammen"),
        ("es", "Buenos días a todos"),
        ("it", "Buongiorno a tutti"),
    ];

    #[test]
    fn scripts_and_languages_are_told_apart() {
        assert_eq!(detect_text("中國外交部長王毅近期行程滿檔").lang, "zh-Hant");
        assert_eq!(detect_text("中国外交部长王毅近期行程满档").lang, "zh-Hans");
        assert_eq!(detect_text("これは日本語の文章です").lang, "ja");
        assert_eq!(detect_text("한국어 문장입니다").lang, "ko");
        assert_eq!(
            detect_text("1234 !!").lang,
            "und",
            "no letters, no language"
        );
        for (want, text) in SENTENCES {
            let d = detect_text(text);
            assert_eq!(
                d.lang, *want,
                "{text}: every offered language is told, {d:?}"
            );
            assert!(d.confidence > 0.5, "{text}: {d:?}");
        }
    }

    #[test]
    fn an_article_is_judged_by_its_title_and_blocks_together() {
        let mut blocks = vec![
            Block::text(Heading, "經濟新聞", ""),
            Block::text(Paragraph, "（路透社）", ""),
            Block::text(Image, "", ""),
            Block::text(Paragraph, "中國外交部長王毅近期行程滿檔", ""),
            Block::text(Paragraph, "Hello world", ""),
            Block::text(
                Paragraph,
                "The minister's visit was described as productive by both sides.",
                "",
            ),
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
                Some("zh-Hant"),
                Some("en"),
            ],
            "short blocks inherit the article's language, a sentence in another script is \
             judged on its own; images get no language"
        );
    }

    #[test]
    fn blocks_of_a_latin_article_take_its_language_unless_their_script_differs() {
        let mut blocks = vec![
            Block::text(
                Paragraph,
                "Le gouvernement a annoncé mardi de nouvelles mesures contre l'inflation, \
                 qui a atteint son plus haut niveau depuis trente ans.",
                "",
            ),
            Block::text(Caption, "AFP", ""),
            Block::text(ListItem, "un", ""),
            Block::text(Paragraph, "中国外交部长王毅近期行程满档", ""),
            Block::text(Paragraph, "Правительство объявило о новых мерах.", ""),
        ];
        assert_eq!(
            tag_article("Nouvelles mesures contre l'inflation", &mut blocks).as_deref(),
            Some("fr")
        );
        let langs: Vec<_> = blocks.iter().map(|b| b.lang.as_deref()).collect();
        assert_eq!(
            langs,
            [
                Some("fr"),
                Some("fr"),
                Some("fr"),
                Some("zh-Hans"),
                Some("ru")
            ]
        );
    }

    #[test]
    fn a_chinese_run_inside_an_english_paragraph_keeps_it_english() {
        let mut blocks = vec![Block::text(
            Paragraph,
            "The reader shows each paragraph beside its translation, so a learner can compare \
             them line by line 经济安全解析文章网络文章解析双语世界",
            "",
        )];
        assert_eq!(tag_article("", &mut blocks).as_deref(), Some("en"));
        assert_eq!(blocks[0].lang.as_deref(), Some("en"));
    }

    #[test]
    fn a_short_article_mixing_languages_gets_a_language_per_block() {
        let mut blocks = vec![
            Block::text(Paragraph, SENTENCES[0].1, ""),
            Block::text(Paragraph, SENTENCES[2].1, ""),
        ];
        tag_article("", &mut blocks);
        let langs: Vec<_> = blocks.iter().map(|b| b.lang.as_deref()).collect();
        assert_eq!(langs, [Some("en"), Some("fr")]);
    }

    #[test]
    fn text_without_letters_has_no_language() {
        let mut blocks = vec![Block::text(Paragraph, "2024 — 12:30", "")];
        assert_eq!(tag_article("", &mut blocks), None);
        assert_eq!(blocks[0].lang, None);
    }

    #[test]
    fn short_blocks_inherit_the_article_script() {
        let mut blocks = vec![
            Block::text(Paragraph, "中國外交部長王毅近期行程滿檔", ""),
            Block::text(Paragraph, "（路透社等）", ""),
        ];
        tag_article("", &mut blocks);
        assert_eq!(blocks[1].lang.as_deref(), Some("zh-Hant"));
    }

    #[test]
    fn deferred_detection_tags_what_the_script_tells_and_leaves_the_rest_to_the_pass() {
        let fresh = || {
            vec![
                Block::text(Paragraph, "中國外交部長王毅近期行程滿檔，今年經濟成長", ""),
                Block::text(Paragraph, SENTENCES[2].1, ""),
                Block::text(Caption, "（路透社）", ""),
            ]
        };
        let mut blocks = fresh();
        assert_eq!(
            tag_article_with("經濟新聞", &mut blocks, Detection::Deferred).as_deref(),
            Some("zh-Hant"),
            "a Chinese article's script needs no statistical detector: the reader converts \
             and translates by it from the first moment"
        );
        let langs: Vec<_> = blocks.iter().map(|b| b.lang.as_deref()).collect();
        assert_eq!(langs, [Some("zh-Hant"), None, Some("zh-Hant")]);
        let mut now = fresh();
        tag_article("經濟新聞", &mut now);
        assert_eq!(now[1].lang.as_deref(), Some("fr"), "the pass's answer");

        let mut latin = vec![
            Block::text(Paragraph, SENTENCES[0].1, ""),
            Block::text(Paragraph, "中国外交部长王毅近期行程满档", ""),
        ];
        assert_eq!(
            tag_article_with("Inflation", &mut latin, Detection::Deferred),
            None
        );
        let langs: Vec<_> = latin.iter().map(|b| b.lang.as_deref()).collect();
        assert_eq!(langs, [None, Some("zh-Hans")]);
    }
}
