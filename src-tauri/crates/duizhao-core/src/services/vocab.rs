//! The vocabulary's pure side: the sentence a word was met in, and the export files (Anki's
//! tab-separated import format and CSV).

use crate::model::{VocabFormat, VocabWord};

/// Longest sentence kept with a saved word, in characters (a "sentence" in a text without
/// punctuation could be a whole article).
pub const MAX_SENTENCE_CHARS: usize = 300;

/// The first sentence of `text` holding one of `forms` (the word in either script), trimmed;
/// sentences end at Chinese and Western full stops, question and exclamation marks.
pub fn sentence_with(text: &str, forms: &[&str]) -> Option<String> {
    let mut start = 0;
    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        if matches!(c, '。' | '！' | '？' | '!' | '?' | '；' | '\n') || end == text.len() {
            let s = &text[start..end];
            if forms.iter().any(|f| !f.is_empty() && s.contains(f)) {
                return Some(crate::support::text::clip(s.trim(), MAX_SENTENCE_CHARS));
            }
            start = end;
        }
    }
    None
}

/// A field of an export on one line: tabs and line breaks become spaces (a card's fields are
/// short text; Anki would otherwise need quoting it may show literally).
fn one_line(s: &str) -> String {
    s.split(['\t', '\n', '\r'])
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The columns of both formats, in order.
pub const COLUMNS: [&str; 7] = [
    "traditional",
    "simplified",
    "pinyin",
    "definition",
    "sentence",
    "article",
    "added",
];

/// The rows of an export, one per word, in [`COLUMNS`]' order.
pub fn rows(words: &[VocabWord]) -> Vec<[String; 7]> {
    words
        .iter()
        .map(|w| {
            [
                one_line(&w.traditional),
                one_line(&w.simplified),
                one_line(&w.pinyin),
                one_line(&w.definitions.join("; ")),
                one_line(w.sentence.as_deref().unwrap_or("")),
                one_line(w.article_title.as_deref().unwrap_or("")),
                w.created.get(..10).unwrap_or(&w.created).to_string(),
            ]
        })
        .collect()
}

/// The header lines Anki (2.1.55 and later) reads from a text file to import it without
/// questions: tab separator, plain text, named columns, and notes updated (not duplicated)
/// when the same file is imported again.
pub fn anki_header() -> String {
    format!(
        "#separator:tab\n#html:false\n#notetype:Basic\n#columns:{}\n",
        COLUMNS.join("\t")
    )
}

/// The file's delimiter.
pub fn delimiter(format: VocabFormat) -> u8 {
    match format {
        VocabFormat::Anki => b'\t',
        VocabFormat::Csv => b',',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sentence_is_the_one_holding_the_word_in_either_script() {
        let text = "今天天氣很好。他在銀行工作！我們走吧";
        assert_eq!(
            sentence_with(text, &["銀行", "银行"]).as_deref(),
            Some("他在銀行工作！")
        );
        assert_eq!(sentence_with(text, &["走"]).as_deref(), Some("我們走吧"));
        assert_eq!(sentence_with(text, &["飛機"]), None);
    }

    #[test]
    fn fields_never_break_a_row() {
        assert_eq!(one_line("a\tb\r\nc"), "a b c");
    }
}
