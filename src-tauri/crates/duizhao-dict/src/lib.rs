//! Offline Chinese–English dictionary for readers learning Chinese: CC-CEDICT (embedded,
//! zstd-compressed, loaded on first use), word segmentation over it, and readings — pinyin with
//! tone marks or zhuyin — that follow the word (银行 yín háng, 行走 xíng zǒu).
//!
//! ```
//! use duizhao_dict::{Reading, annotate, lookup};
//!
//! let entries = lookup("銀行").unwrap();
//! assert_eq!(entries[0].simplified, "银行");
//! assert_eq!(entries[0].pinyin, "yín háng");
//!
//! let tokens = annotate("他在银行工作。", Reading::Pinyin).unwrap();
//! let readings: Vec<_> = tokens.iter().map(|t| t.reading.as_deref()).collect();
//! assert_eq!(readings, [Some("tā"), Some("zài"), Some("yín háng"), Some("gōng zuò"), None]);
//! ```
//!
//! The dictionary is parsed once, on the first call, into one text arena plus index arrays
//! (14 MB of structures, 22 MB more resident; docs/BENCHMARKS.md "Chinese readings"). Loading is
//! thread-safe ([`OnceLock`]); an app can call [`Dictionary::global`] on a background thread at
//! start so the first look-up does not wait. Readings use dictionary tones: no tone sandhi.
//!
//! The data is CC-CEDICT (CC BY-SA 4.0), see `data/README.md` in this crate.

mod pinyin;
mod reading;
mod segment;
mod store;

use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

pub use pinyin::{numbered_to_pinyin, numbered_to_pinyin_lower, numbered_to_zhuyin};
pub use segment::{Strategy, is_han};

use store::Store;

/// Why the dictionary could not be loaded (the embedded data is damaged: a build problem, not
/// something a user's input can cause).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DictError {
    /// The zstd stream is corrupt.
    #[error("the embedded CC-CEDICT data could not be decompressed: {0}")]
    Decompress(String),
    /// The decompressed text is not UTF-8.
    #[error("the CC-CEDICT text is not valid UTF-8")]
    NotUtf8,
    /// The text is too large for 32-bit offsets.
    #[error("the dictionary text is larger than 4 GiB")]
    TooLarge,
}

/// Which reading to put over the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Reading {
    /// Hanyu pinyin with tone marks, lower case, syllables separated by spaces (`yín háng`).
    Pinyin,
    /// Zhuyin (bopomofo) with tone marks, the neutral tone `˙` before its syllable (`ㄧㄣˊ ㄏㄤˊ`).
    Zhuyin,
}

/// A reading name that is neither `pinyin` nor `zhuyin`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown reading {0:?}: expected pinyin or zhuyin")]
pub struct UnknownReading(pub String);

impl std::str::FromStr for Reading {
    type Err = UnknownReading;

    /// `pinyin` or `zhuyin` (any case), as `dz annotate --reading` takes them.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "pinyin" => Ok(Reading::Pinyin),
            "zhuyin" | "bopomofo" => Ok(Reading::Zhuyin),
            _ => Err(UnknownReading(s.to_owned())),
        }
    }
}

/// One dictionary entry: a headword in both scripts with one reading and its definitions.
/// Serialises as `{"traditional", "simplified", "pinyin", "zhuyin", "definitions"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// Traditional characters.
    pub traditional: String,
    /// Simplified characters.
    pub simplified: String,
    /// Pinyin with tone marks, syllables separated by spaces; names keep their capitals
    /// (`Běi jīng`).
    pub pinyin: String,
    /// Zhuyin with tone marks, syllables separated by spaces.
    pub zhuyin: String,
    /// The definitions, in CEDICT's order.
    pub definitions: Vec<String>,
    /// The reading as CEDICT writes it (`yin2 hang2`), for exports that want tone numbers.
    #[serde(skip)]
    pub numbered: String,
}

/// A dictionary headword (both scripts share one when they write it the same way) with the
/// reading it takes in running text.
#[derive(Clone, Copy)]
pub struct Word<'d> {
    dict: &'d Dictionary,
    id: u32,
}

impl<'d> Word<'d> {
    /// The reading chosen for running text, as CEDICT writes it (`yin2 hang2`); `None` when the
    /// dictionary does not know it.
    pub fn numbered(&self) -> Option<&'d str> {
        let store = &self.dict.store;
        let e = store.entry(store.chosen(self.id)?)?;
        Some(store.pinyin_of(e))
    }

    /// The reading chosen for running text in `reading`'s form, lower case.
    pub fn reading(&self, reading: Reading) -> Option<String> {
        self.numbered().map(|n| render(n, reading))
    }

    /// Every entry of this headword, the one whose reading running text takes first, the rest
    /// in CEDICT's order.
    pub fn entries(&self) -> Vec<Entry> {
        let store = &self.dict.store;
        let chosen = store.chosen(self.id);
        let postings = store.postings(self.id);
        chosen
            .into_iter()
            .chain(postings.iter().copied().filter(|&i| Some(i) != chosen))
            .filter_map(|i| store.entry(i))
            .map(|e| {
                let numbered = store.pinyin_of(e);
                Entry {
                    traditional: store.trad_of(e).to_owned(),
                    simplified: store.simp_of(e).to_owned(),
                    pinyin: numbered_to_pinyin(numbered),
                    zhuyin: numbered_to_zhuyin(numbered),
                    definitions: store
                        .defs_of(e)
                        .split('/')
                        .filter(|d| !d.is_empty())
                        .map(str::to_owned)
                        .collect(),
                    numbered: numbered.to_owned(),
                }
            })
            .collect()
    }
}

impl fmt::Debug for Word<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Word")
            .field("id", &self.id)
            .field("reading", &self.numbered())
            .finish()
    }
}

/// A piece of segmented text: a dictionary word, or a run of text that is not one (non-Chinese
/// text, or a Han character the dictionary lacks). Pieces concatenate back to the input.
#[derive(Clone, Copy, Debug)]
pub struct Segment<'t, 'd> {
    /// The piece of the input.
    pub text: &'t str,
    /// The dictionary word it is, if any.
    pub word: Option<Word<'d>>,
}

/// A piece of annotated text. Serialises as `{"text", "reading"}` (`reading` null for text that
/// is not a dictionary word).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Token<'t> {
    /// The piece of the input.
    pub text: &'t str,
    /// Its reading (syllables separated by spaces), or `None`.
    pub reading: Option<String>,
}

/// The loaded dictionary.
pub struct Dictionary {
    store: Store,
}

static GLOBAL: OnceLock<Result<Dictionary, DictError>> = OnceLock::new();

impl Dictionary {
    /// The embedded CC-CEDICT, decompressed and indexed on the first call (tens of milliseconds
    /// in a release build), shared by every later call and thread.
    pub fn global() -> Result<&'static Dictionary, DictError> {
        GLOBAL
            .get_or_init(|| Store::embedded().map(|store| Dictionary { store }))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// A dictionary from CC-CEDICT-format text (`TRAD SIMP [pin1 yin1] /def/def/` lines, `#`
    /// comments); lines of another shape are skipped and counted ([`Self::skipped_lines`]).
    pub fn from_cedict_text(text: String) -> Result<Dictionary, DictError> {
        Store::parse(text).map(|store| Dictionary { store })
    }

    /// Number of entries (one per headword and reading).
    pub fn entry_count(&self) -> usize {
        self.store.entry_count()
    }

    /// Number of distinct headwords over both scripts.
    pub fn word_count(&self) -> usize {
        self.store.words()
    }

    /// Lines of the source text skipped because they are not entries.
    pub fn skipped_lines(&self) -> usize {
        self.store.malformed_lines
    }

    /// Bytes of heap the loaded dictionary holds (text arena, entry records, FST, tables).
    pub fn heap_bytes(&self) -> usize {
        self.store.heap_bytes()
    }

    /// The headword written exactly `word` (in either script; surrounding whitespace ignored).
    pub fn word(&self, word: &str) -> Option<Word<'_>> {
        self.store
            .find(word.trim())
            .map(|id| Word { dict: self, id })
    }

    /// Every entry for `word` in either script (銀行 and 银行 give the same entries), the one
    /// running text reads first. Empty when the dictionary has no such headword.
    pub fn lookup(&self, word: &str) -> Vec<Entry> {
        self.word(word).map(|w| w.entries()).unwrap_or_default()
    }

    /// Cuts `text` into dictionary words and runs of other text ([`Strategy::MinWords`]).
    pub fn segment<'t>(&self, text: &'t str) -> Vec<Segment<'t, '_>> {
        self.segment_with(text, Strategy::MinWords)
    }

    /// [`Self::segment`] with a chosen strategy (to compare them; the default is the best measured).
    pub fn segment_with<'t>(&self, text: &'t str, strategy: Strategy) -> Vec<Segment<'t, '_>> {
        segment::segment(&self.store, text, strategy)
            .into_iter()
            .map(|(text, id)| Segment {
                text,
                word: id.map(|id| Word { dict: self, id }),
            })
            .collect()
    }

    /// Segments `text` and gives each dictionary word its reading; other text gets `None`.
    /// The tokens' texts concatenate back to `text`. A word's reading is [`Word::reading`],
    /// except where the next token settles a lone character's reading (为 before a number is
    /// wéi, 中 before 了 is zhòng).
    pub fn annotate<'t>(&self, text: &'t str, reading: Reading) -> Vec<Token<'t>> {
        self.annotate_with(text, reading, Strategy::MinWords)
    }

    /// [`Self::annotate`] with a chosen segmentation strategy.
    pub fn annotate_with<'t>(
        &self,
        text: &'t str,
        reading: Reading,
        strategy: Strategy,
    ) -> Vec<Token<'t>> {
        let pieces = segment::segment(&self.store, text, strategy);
        let mut tokens = Vec::with_capacity(pieces.len());
        for (k, &(text, id)) in pieces.iter().enumerate() {
            let next = pieces.get(k + 1).map_or("", |p| p.0);
            let numbered = match reading::in_context(text, next) {
                Some(r) => Some(r),
                None => id.and_then(|id| Word { dict: self, id }.numbered()),
            };
            tokens.push(Token {
                text,
                reading: numbered.map(|n| render(n, reading)),
            });
        }
        tokens
    }
}

/// A numbered reading in the form shown over the text.
fn render(numbered: &str, reading: Reading) -> String {
    match reading {
        Reading::Pinyin => numbered_to_pinyin_lower(numbered),
        Reading::Zhuyin => numbered_to_zhuyin(numbered),
    }
}

/// [`Dictionary::lookup`] on the embedded dictionary.
pub fn lookup(word: &str) -> Result<Vec<Entry>, DictError> {
    Ok(Dictionary::global()?.lookup(word))
}

/// [`Dictionary::segment`] on the embedded dictionary.
pub fn segment(text: &str) -> Result<Vec<Segment<'_, 'static>>, DictError> {
    Ok(Dictionary::global()?.segment(text))
}

/// [`Dictionary::annotate`] on the embedded dictionary: `[{text, reading}]`, one token per word
/// or run of non-Chinese text.
pub fn annotate(text: &str, reading: Reading) -> Result<Vec<Token<'_>>, DictError> {
    Ok(Dictionary::global()?.annotate(text, reading))
}
