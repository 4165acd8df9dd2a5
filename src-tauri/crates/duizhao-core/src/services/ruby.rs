//! Readings over Chinese text: an article's blocks (and Chinese translations) with pinyin or
//! zhuyin above every dictionary word, as `<ruby>` markup.
//!
//! Readings follow the word (duizhao-dict's segmentation), and a word whose syllables match
//! its characters one to one gets one `<rt>` per character, so each syllable sits over its own
//! character. Only text between tags changes: links, emphasis and attributes pass through, and
//! removing the `<ruby>`, `</ruby>` and `<rt>…</rt>` markup gives back the input exactly
//! ([`strip`]), so turning readings off restores the text as stored.

use duizhao_dict::{Dictionary, Reading, is_han};

use crate::model::{Article, ReadingChoice};
use crate::services::ingest::markup::tag_end;
use crate::services::target::is_chinese;
use crate::support::text::escape_text;

/// The dictionary's reading for a choice (`None` for off).
pub fn dict_reading(choice: ReadingChoice) -> Option<Reading> {
    match choice {
        ReadingChoice::Off => None,
        ReadingChoice::Pinyin => Some(Reading::Pinyin),
        ReadingChoice::Zhuyin => Some(Reading::Zhuyin),
    }
}

/// Puts readings over the title and the Chinese blocks of an article view (`title_html`,
/// `html`), and over its translations when they are Chinese (`translation_chinese`) into
/// `translation_html`.
pub fn apply(
    article: &mut Article,
    dict: &Dictionary,
    reading: Reading,
    choice: ReadingChoice,
    translation_chinese: bool,
) {
    let article_lang = article.lang.clone();
    if article_lang.as_deref().is_some_and(is_chinese) {
        article.title_html = Some(annotate_text(&article.title, dict, reading));
    }
    for block in &mut article.blocks {
        let lang = block.lang.as_deref().or(article_lang.as_deref());
        if block.kind.is_textual() && lang.is_some_and(is_chinese) {
            block.html = annotate_html(&block.html, dict, reading);
        }
        if translation_chinese && let Some(t) = &block.translation {
            block.translation_html = Some(annotate_text(t, dict, reading));
        }
    }
    article.reading = Some(choice);
}

/// Sanitized inline HTML with readings over the Chinese words of its text.
pub fn annotate_html(html: &str, dict: &Dictionary, reading: Reading) -> String {
    let mut out = String::with_capacity(html.len() * 3);
    let mut rest = html;
    while !rest.is_empty() {
        let (text, tail) = match rest.find('<') {
            Some(0) => {
                let end = tag_end(rest, 0);
                out.push_str(&rest[..end]);
                rest = &rest[end..];
                continue;
            }
            Some(i) => rest.split_at(i),
            None => (rest, ""),
        };
        // Text between tags is already escaped by the sanitizer: it is copied as it is.
        push_annotated(&mut out, text, dict, reading, |out, s| out.push_str(s));
        rest = tail;
    }
    out
}

/// Plain text (a translation) as HTML with readings over its Chinese words.
pub fn annotate_text(text: &str, dict: &Dictionary, reading: Reading) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    push_annotated(&mut out, text, dict, reading, |out, s| {
        out.push_str(&escape_text(s))
    });
    out
}

fn push_annotated(
    out: &mut String,
    text: &str,
    dict: &Dictionary,
    reading: Reading,
    plain: impl Fn(&mut String, &str),
) {
    for token in dict.annotate(text, reading) {
        match token.reading {
            Some(r) if token.text.chars().any(is_han) => push_ruby(out, token.text, &r, &plain),
            _ => plain(out, token.text),
        }
    }
}

fn push_ruby(out: &mut String, word: &str, reading: &str, plain: &impl Fn(&mut String, &str)) {
    out.push_str("<ruby>");
    let syllables: Vec<&str> = reading.split(' ').collect();
    if syllables.len() == word.chars().count() {
        for ((i, c), s) in word.char_indices().zip(syllables) {
            plain(out, &word[i..i + c.len_utf8()]);
            out.push_str("<rt>");
            out.push_str(&escape_text(s));
            out.push_str("</rt>");
        }
    } else {
        plain(out, word);
        out.push_str("<rt>");
        out.push_str(&escape_text(reading));
        out.push_str("</rt>");
    }
    out.push_str("</ruby>");
}

/// The HTML without the readings [`annotate_html`] added: `<ruby>`, `</ruby>` and each
/// `<rt>…</rt>` removed, everything else as it is.
pub fn strip(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if let Some(after) = rest.strip_prefix("<rt>") {
            let end = after
                .find("</rt>")
                .map_or(after.len(), |e| e + "</rt>".len());
            rest = &after[end..];
        } else if let Some(after) = rest
            .strip_prefix("<ruby>")
            .or_else(|| rest.strip_prefix("</ruby>"))
        {
            rest = after;
        } else {
            let end = tag_end(rest, 0);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dict() -> &'static Dictionary {
        Dictionary::global().expect("the embedded dictionary loads")
    }

    #[test]
    fn readings_follow_words_and_leave_markup_alone() {
        let html = r#"他在<a href="https://e.com/銀行">银行</a>工作 &amp; OK"#;
        let out = annotate_html(html, dict(), Reading::Pinyin);
        assert!(
            out.contains(
                r#"<a href="https://e.com/銀行"><ruby>银<rt>yín</rt>行<rt>háng</rt></ruby></a>"#
            ),
            "the link's URL is untouched and 行 reads háng in 银行: {out}"
        );
        assert!(
            out.ends_with(" &amp; OK"),
            "non-Chinese text is as it was: {out}"
        );
        assert_eq!(
            strip(&out),
            html,
            "removing the readings restores the HTML exactly"
        );
    }

    #[test]
    fn translations_are_escaped_and_get_zhuyin() {
        let out = annotate_text("<b>重要</b>", dict(), Reading::Zhuyin);
        assert!(
            out.starts_with("&lt;b&gt;<ruby>重<rt>ㄓㄨㄥˋ</rt>"),
            "{out}"
        );
        assert!(!out.contains("<b>"), "a translation's text is never markup");
    }
}
