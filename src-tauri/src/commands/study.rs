//! Reading-aid commands: the dictionary pop-up (`define`, `word_at`), readings (`annotate`)
//! and the vocabulary list with its exports.

use duizhao_core::usecases::vocabulary;
use duizhao_core::{
    DictEntry, NewVocabWord, ReadingChoice, ReadingToken, VocabFormat, VocabWord, WordAt,
};
use tauri::{AppHandle, Runtime, State};

use crate::AppState;
use crate::error::CmdResult;
use crate::picker::FileKind;

/// Dictionary entries of a word, in either script.
#[tauri::command(async)]
pub fn define(word: String) -> CmdResult<Vec<DictEntry>> {
    Ok(vocabulary::define(&word)?)
}

/// The dictionary word at UTF-16 position `at` of `text` (what the reader pointed at).
#[tauri::command(async)]
pub fn word_at(text: String, at: u32) -> CmdResult<Option<WordAt>> {
    Ok(vocabulary::word_at(&text, at)?)
}

/// Text cut into words with their readings (pinyin or zhuyin).
#[tauri::command(async)]
pub fn annotate(text: String, reading: ReadingChoice) -> CmdResult<Vec<ReadingToken>> {
    Ok(vocabulary::annotate(&text, reading)?)
}

/// Saves a word to the vocabulary.
#[tauri::command(async)]
pub fn add_vocab_word(state: State<'_, AppState>, word: NewVocabWord) -> CmdResult<VocabWord> {
    state.with(|lib| lib.add_vocab_word(&word))
}

/// Saved words, newest first, narrowed by `search`.
#[tauri::command(async)]
pub fn list_vocab(state: State<'_, AppState>, search: Option<String>) -> CmdResult<Vec<VocabWord>> {
    state.with(|lib| lib.vocab_words(search.as_deref()))
}

/// Deletes a saved word.
#[tauri::command(async)]
pub fn delete_vocab_word(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    state.with(|lib| lib.delete_vocab_word(id))
}

/// Writes the vocabulary (Anki or CSV) to a file the user chooses; answers with its path
/// (`null` when cancelled).
#[tauri::command(async)]
pub fn export_vocab<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    format: VocabFormat,
) -> CmdResult<Option<String>> {
    let name = format!("vocabulary.{}", format.extension());
    let Some(path) = state.picker(&app).save(FileKind::Vocab(format), &name) else {
        return Ok(None);
    };
    state.with(|lib| lib.export_vocabulary(format, &path))?;
    Ok(Some(path.display().to_string()))
}
