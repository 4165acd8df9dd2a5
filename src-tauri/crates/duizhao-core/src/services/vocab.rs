//! The vocabulary's pure side: the sentence a word was met in, and the export files (Anki's
//! tab-separated import format and CSV).

use crate::model::{VocabFormat, VocabWord};
use crate::support::text::escape_text;

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

/// The columns Anki's file adds after [`COLUMNS`]: a card front and back for Anki's own
/// "Basic" note type (matched by name), and a tag.
pub const ANKI_COLUMNS: [&str; 3] = ["Front", "Back", "Tags"];

/// The header lines Anki (2.1.55 and later) reads from a text file to import it without
/// questions: tab separator, HTML fields, the "Basic" note type, named columns (Anki maps the
/// note type's fields to the columns of the same name: `Front` and `Back`; the others stay
/// available for a note type of the reader's own) and the tags column.
pub fn anki_header() -> String {
    let columns: Vec<&str> = COLUMNS.iter().chain(&ANKI_COLUMNS).copied().collect();
    format!(
        "#separator:tab\n#html:true\n#notetype:Basic\n#columns:{}\n#tags column:{}\n",
        columns.join("\t"),
        columns.len()
    )
}

/// A row of Anki's file: [`rows`]' fields as HTML text, then the card's front (the word in
/// both scripts), back (reading, definition and the sentence) and the `duizhao` tag.
pub fn anki_row(row: &[String; 7]) -> Vec<String> {
    let html = |s: &str| escape_text(s).into_owned();
    let [trad, simp, pinyin, definition, sentence, ..] = row;
    let front = if trad == simp {
        html(trad)
    } else {
        format!("{}<br>{}", html(trad), html(simp))
    };
    let mut back = format!("{}<br>{}", html(pinyin), html(definition));
    if !sentence.is_empty() {
        back.push_str(&format!("<br><i>{}</i>", html(sentence)));
    }
    row.iter()
        .map(|f| html(f))
        .chain([front, back, "duizhao".to_string()])
        .collect()
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
    fn anki_rows_are_html_with_a_card_front_and_back() {
        let row = [
            "銀行".to_string(),
            "银行".to_string(),
            "yín háng".to_string(),
            "bank".to_string(),
            "A & B <b>".to_string(),
            String::new(),
            "2026-11-29".to_string(),
        ];
        let out = anki_row(&row);
        assert_eq!(out.len(), COLUMNS.len() + ANKI_COLUMNS.len());
        assert_eq!(
            out[4], "A &amp; B &lt;b&gt;",
            "fields are HTML: text is escaped"
        );
        assert_eq!(out[7], "銀行<br>银行");
        assert_eq!(out[8], "yín háng<br>bank<br><i>A &amp; B &lt;b&gt;</i>");
        assert!(
            anki_header().ends_with("\tFront\tBack\tTags\n#tags column:10\n"),
            "Anki maps Basic's fields by these names and takes tags from the last column"
        );
    }

    #[test]
    fn fields_never_break_a_row() {
        assert_eq!(one_line("a\tb\r\nc"), "a b c");
    }
}
