//! Reading aids for learners of Chinese: readings over the text, dictionary entries, words
//! under the pointer and the vocabulary list. Field names are the `dz` JSON contract
//! (`dz define`, `dz annotate`, `dz vocab list`).

use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::view::{UnknownChoice, parse_named};

/// Which reading the reader wants over Chinese text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum ReadingChoice {
    /// No readings: the text exactly as stored.
    #[default]
    Off,
    /// Hanyu pinyin with tone marks.
    Pinyin,
    /// Zhuyin (bopomofo).
    Zhuyin,
}

impl ReadingChoice {
    /// Every choice, in the order the toolbar shows them.
    pub const ALL: [ReadingChoice; 3] = [
        ReadingChoice::Off,
        ReadingChoice::Pinyin,
        ReadingChoice::Zhuyin,
    ];

    /// The stored, command-line and JSON name.
    pub fn name(self) -> &'static str {
        match self {
            ReadingChoice::Off => "off",
            ReadingChoice::Pinyin => "pinyin",
            ReadingChoice::Zhuyin => "zhuyin",
        }
    }
}

impl FromStr for ReadingChoice {
    type Err = UnknownChoice;

    /// `off`, `pinyin` or `zhuyin` (also `bopomofo`), any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = if s.trim().eq_ignore_ascii_case("bopomofo") {
            "zhuyin"
        } else {
            s
        };
        parse_named(
            s,
            &Self::ALL,
            Self::name,
            "reading",
            "off, pinyin or zhuyin",
        )
    }
}

/// One dictionary entry: `dz define --json`'s items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DictEntry {
    /// Traditional characters.
    pub traditional: String,
    /// Simplified characters.
    pub simplified: String,
    /// Pinyin with tone marks, syllables separated by spaces.
    pub pinyin: String,
    /// Zhuyin with tone marks, syllables separated by spaces.
    pub zhuyin: String,
    /// The definitions, in CC-CEDICT's order.
    pub definitions: Vec<String>,
}

/// A piece of annotated text: `dz annotate --json`'s items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReadingToken {
    /// The piece of the input (the pieces concatenate back to it).
    pub text: String,
    /// Its reading, or `None` for text that is not a Chinese dictionary word.
    pub reading: Option<String>,
}

/// The dictionary word at a position of a text (the word the reader pointed at).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WordAt {
    /// The word as written in the text.
    pub word: String,
    /// Where it starts in the text, in UTF-16 code units (a JavaScript string index).
    pub start: u32,
    /// Where it ends (exclusive), in UTF-16 code units.
    pub end: u32,
    /// Its entries, the reading running text takes first.
    pub entries: Vec<DictEntry>,
}

/// A saved word: `dz vocab list --json`'s items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct VocabWord {
    /// Library-wide id.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    /// Traditional characters.
    pub traditional: String,
    /// Simplified characters.
    pub simplified: String,
    /// Pinyin with tone marks.
    pub pinyin: String,
    /// Zhuyin with tone marks.
    pub zhuyin: String,
    /// The definitions.
    pub definitions: Vec<String>,
    /// The sentence the word was met in.
    pub sentence: Option<String>,
    /// The article it was met in; `None` when saved without one or the article was deleted.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub article_id: Option<i64>,
    /// That article's title, while it exists.
    pub article_title: Option<String>,
    /// When it was saved, RFC 3339 in UTC.
    pub created: String,
}

/// A word to save: found in the dictionary in either script.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NewVocabWord {
    /// The word, in either script.
    pub word: String,
    /// Which reading of the word (pinyin with tone marks, as [`DictEntry::pinyin`]) when it
    /// has several; `None` = the one running text takes.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub pinyin: Option<String>,
    /// The article it was met in.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(type = "number | null", optional))]
    pub article_id: Option<i64>,
    /// The sentence it was met in; `None` with an article = the first sentence of the article
    /// holding the word.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub sentence: Option<String>,
}

/// Vocabulary export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum VocabFormat {
    /// Tab-separated text with Anki's header lines: imported as-is (File → Import).
    Anki,
    /// CSV with a header row.
    Csv,
}

impl VocabFormat {
    /// Every format.
    pub const ALL: [VocabFormat; 2] = [VocabFormat::Anki, VocabFormat::Csv];

    /// The command-line and JSON name.
    pub fn name(self) -> &'static str {
        match self {
            VocabFormat::Anki => "anki",
            VocabFormat::Csv => "csv",
        }
    }

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            VocabFormat::Anki => "txt",
            VocabFormat::Csv => "csv",
        }
    }
}

impl FromStr for VocabFormat {
    type Err = UnknownChoice;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_named(
            s,
            &Self::ALL,
            Self::name,
            "vocabulary format",
            "anki or csv",
        )
    }
}
