//! Reading aids for learners of Chinese: the dictionary (`define`, the word under the
//! pointer, `annotate`), readings over an article view, and the vocabulary list (save, list,
//! search, delete, export to Anki or CSV).
//!
//! The dictionary is duizhao-dict's embedded CC-CEDICT, loaded on the first use; the functions
//! that only read it need no library.

use std::path::Path;

use duizhao_dict::{Dictionary, Entry};

use crate::error::{CoreError, Result};
use crate::library::Library;
use crate::model::{
    Article, DictEntry, NewVocabWord, ReadingChoice, ReadingToken, VocabFormat, VocabWord, WordAt,
};
use crate::services::target::is_chinese;
use crate::services::{ruby, vocab};
use crate::store::vocabulary::NewWord;

/// Longest word `define` looks up, in characters (CC-CEDICT's longest headwords are idioms and
/// names well under this).
pub const MAX_WORD_CHARS: usize = 64;

/// Longest text `annotate` and `word_at` take, in bytes (a long book chapter); more is refused
/// rather than held in memory several times over.
pub const MAX_ANNOTATE_BYTES: usize = 8 << 20;

fn entry(e: Entry) -> DictEntry {
    DictEntry {
        traditional: e.traditional,
        simplified: e.simplified,
        pinyin: e.pinyin,
        zhuyin: e.zhuyin,
        definitions: e.definitions,
    }
}

/// Every dictionary entry of `word` in either script (銀行 and 银行 give the same), the reading
/// running text takes first; empty when the dictionary has no such word.
pub fn define(word: &str) -> Result<Vec<DictEntry>> {
    let word = word.trim();
    if word.chars().count() > MAX_WORD_CHARS {
        return Err(CoreError::InvalidInput(format!(
            "a word to look up has at most {MAX_WORD_CHARS} characters"
        )));
    }
    Ok(Dictionary::global()?
        .lookup(word)
        .into_iter()
        .map(entry)
        .collect())
}

fn checked_len(text: &str) -> Result<()> {
    if text.len() > MAX_ANNOTATE_BYTES {
        return Err(CoreError::InvalidInput(format!(
            "text to annotate is larger than {} MB",
            MAX_ANNOTATE_BYTES >> 20
        )));
    }
    Ok(())
}

/// `text` cut into words and runs of other text, each Chinese word with its reading (pinyin
/// or zhuyin; off is refused: there is nothing to annotate with).
pub fn annotate(text: &str, choice: ReadingChoice) -> Result<Vec<ReadingToken>> {
    let reading = ruby::dict_reading(choice)
        .ok_or_else(|| CoreError::InvalidInput("a reading is pinyin or zhuyin".into()))?;
    checked_len(text)?;
    Ok(Dictionary::global()?
        .annotate(text, reading)
        .into_iter()
        .map(|t| ReadingToken {
            reading: t
                .reading
                .filter(|_| t.text.chars().any(duizhao_dict::is_han)),
            text: t.text.to_string(),
        })
        .collect())
}

/// The dictionary word covering UTF-16 position `at` of `text` (where the reader pointed),
/// segmented as readings segment it; `None` when no Chinese word is there.
pub fn word_at(text: &str, at: u32) -> Result<Option<WordAt>> {
    checked_len(text)?;
    let dict = Dictionary::global()?;
    let mut pos = 0u32;
    for seg in dict.segment(text) {
        let len = seg.text.encode_utf16().count() as u32;
        if at < pos + len {
            let Some(word) = seg
                .word
                .filter(|_| seg.text.chars().any(duizhao_dict::is_han))
            else {
                return Ok(None);
            };
            return Ok(Some(WordAt {
                word: seg.text.to_string(),
                start: pos,
                end: pos + len,
                entries: word.entries().into_iter().map(entry).collect(),
            }));
        }
        pos += len;
    }
    Ok(None)
}

impl Library {
    /// The readings an article view gets: the view's choice, else its feed's default.
    pub(crate) fn reading_for(
        &self,
        article: &Article,
        asked: Option<ReadingChoice>,
    ) -> Result<ReadingChoice> {
        match (asked, article.feed_id) {
            (Some(choice), _) => Ok(choice),
            (None, Some(feed)) => self.store().feed_reading(feed),
            (None, None) => Ok(ReadingChoice::Off),
        }
    }

    /// Puts `choice`'s readings over an article view (nothing for off).
    pub(crate) fn put_readings(
        &self,
        article: &mut Article,
        choice: ReadingChoice,
        to: Option<&str>,
    ) -> Result<()> {
        if let Some(reading) = ruby::dict_reading(choice) {
            let chinese_translation = to.is_some_and(is_chinese);
            ruby::apply(
                article,
                Dictionary::global()?,
                reading,
                choice,
                chinese_translation,
            );
        }
        Ok(())
    }

    /// Saves a word to the vocabulary, with the dictionary's reading and definitions, the
    /// sentence it came from (given, or found in the article) and the article. A word saved
    /// before with the same reading is returned as it was.
    pub fn add_vocab_word(&mut self, new: &NewVocabWord) -> Result<VocabWord> {
        let word = new.word.trim();
        let entries = define(word)?;
        let wanted = new.pinyin.as_deref().map(str::trim);
        let e = entries
            .iter()
            .find(|e| wanted.is_none_or(|p| e.pinyin.eq_ignore_ascii_case(p)))
            .ok_or_else(|| CoreError::WordNotInDictionary(word.to_string()))?;
        let sentence = match (new.sentence.as_deref().map(str::trim), new.article_id) {
            (Some(s), _) if !s.is_empty() => {
                Some(crate::support::text::clip(s, vocab::MAX_SENTENCE_CHARS))
            }
            (_, Some(id)) => {
                let article = self.store().article(id)?;
                let forms = [e.traditional.as_str(), e.simplified.as_str(), word];
                article
                    .blocks
                    .iter()
                    .find_map(|b| vocab::sentence_with(&b.text, &forms))
            }
            _ => None,
        };
        let id = self.store_mut().add_vocab_word(&NewWord {
            traditional: &e.traditional,
            simplified: &e.simplified,
            pinyin: &e.pinyin,
            zhuyin: &e.zhuyin,
            definitions: &e.definitions,
            sentence: sentence.as_deref(),
            article_id: new.article_id,
        })?;
        self.store().vocab_word(id)
    }

    /// Saved words, newest first; `search` narrows to words whose characters, readings,
    /// definitions or sentence contain it.
    pub fn vocab_words(&self, search: Option<&str>) -> Result<Vec<VocabWord>> {
        self.store().vocab_words(search)
    }

    /// Deletes a saved word.
    pub fn delete_vocab_word(&mut self, id: i64) -> Result<()> {
        self.store_mut().delete_vocab_word(id)
    }

    /// The vocabulary as the bytes of an export file: Anki's tab-separated import format (its
    /// header lines set the separator, the "Basic" note type, the columns and the tags, so Anki
    /// imports it as it is into cards with the word on the front) or CSV with a header row.
    pub fn render_vocabulary(&self, format: VocabFormat) -> Result<Vec<u8>> {
        let words = self.store().vocab_words(None)?;
        let mut w = csv::WriterBuilder::new()
            .delimiter(vocab::delimiter(format))
            .has_headers(false)
            .from_writer(Vec::new());
        let err = |e: csv::Error| CoreError::Internal(format!("writing the vocabulary ({e})"));
        if format == VocabFormat::Csv {
            w.write_record(vocab::COLUMNS).map_err(err)?;
        }
        for row in vocab::rows(&words) {
            match format {
                VocabFormat::Anki => w.write_record(vocab::anki_row(&row)),
                VocabFormat::Csv => w.write_record(&row),
            }
            .map_err(err)?;
        }
        let body = w
            .into_inner()
            .map_err(|e| CoreError::Internal(format!("writing the vocabulary ({e})")))?;
        Ok(match format {
            VocabFormat::Anki => [vocab::anki_header().into_bytes(), body].concat(),
            VocabFormat::Csv => body,
        })
    }

    /// Writes the vocabulary export to `path` (whole or not at all).
    pub fn export_vocabulary(&self, format: VocabFormat, path: &Path) -> Result<()> {
        crate::support::fs::write_atomic(path, &self.render_vocabulary(format)?)
    }
}
