//! `dz define`, `dz annotate`, `dz vocab add|list|remove|export`: the reading aids for
//! learners of Chinese, one-line delegations to `duizhao_core`.

use std::path::PathBuf;

use clap::Subcommand;
use duizhao_core::usecases::vocabulary::{MAX_ANNOTATE_BYTES, annotate, define};
use duizhao_core::{CoreError, NewVocabWord, ReadingChoice, VocabFormat};

use crate::output::{input, print_json, read_text};

/// Subcommands of the dictionary and the vocabulary.
#[derive(Subcommand)]
pub enum StudyCommand {
    /// Look a Chinese word up in the offline dictionary (CC-CEDICT), in either script: JSON
    /// [{"traditional", "simplified", "pinyin", "zhuyin", "definitions"}] ([] when unknown).
    Define {
        /// The word (銀行 and 银行 give the same entries).
        word: String,
        /// Print JSON (the only format; accepted for the stable contract).
        #[arg(long)]
        json: bool,
    },
    /// Cut Chinese text into words with their readings: JSON [{"text", "reading"}], one item
    /// per word or run of other text (reading null there). Reads FILE or stdin.
    Annotate {
        /// Input file (default: stdin).
        file: Option<PathBuf>,
        /// pinyin (tone marks) or zhuyin.
        #[arg(long, default_value = "pinyin", value_name = "pinyin|zhuyin")]
        reading: ReadingChoice,
        /// Print JSON (the only format; accepted for the stable contract).
        #[arg(long)]
        json: bool,
    },
    /// Save, list, remove and export vocabulary words.
    #[command(subcommand)]
    Vocab(VocabCommand),
}

/// `dz vocab …`
#[derive(Subcommand)]
pub enum VocabCommand {
    /// Save a word (looked up in the dictionary); prints it as JSON.
    Add {
        /// The word, in either script.
        word: String,
        /// The article it comes from (its sentence is taken from there unless --sentence).
        #[arg(long, value_name = "ID")]
        article: Option<i64>,
        /// The sentence it comes from.
        #[arg(long, value_name = "S")]
        sentence: Option<String>,
        /// Which reading, for words with several (pinyin with tone marks, as `dz define`).
        #[arg(long, value_name = "PINYIN")]
        pinyin: Option<String>,
    },
    /// List saved words, newest first, as JSON.
    List {
        /// Only words whose characters, readings, definitions or sentence contain this.
        #[arg(long, value_name = "Q")]
        search: Option<String>,
        /// Print JSON (the only format; accepted for the stable contract).
        #[arg(long)]
        json: bool,
    },
    /// Remove a saved word.
    Remove {
        /// The word's id (from `dz vocab list`).
        id: i64,
    },
    /// Write every saved word to a file Anki imports as it is (anki) or to CSV.
    Export {
        /// anki (tab-separated with Anki's header lines) or csv.
        #[arg(long)]
        format: VocabFormat,
        /// The output file.
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
}

/// Runs a dictionary or vocabulary subcommand.
pub fn run(cmd: StudyCommand, data_dir: Option<PathBuf>) -> Result<(), CoreError> {
    match cmd {
        StudyCommand::Define { word, json: _ } => print_json(&define(&word)?),
        StudyCommand::Annotate {
            file,
            reading,
            json: _,
        } => {
            let text = read_text(input(file.as_deref())?, MAX_ANNOTATE_BYTES as u64 + 1)?;
            print_json(&annotate(&text, reading)?)
        }
        StudyCommand::Vocab(VocabCommand::Add {
            word,
            article,
            sentence,
            pinyin,
        }) => print_json(&crate::library(data_dir)?.add_vocab_word(&NewVocabWord {
            word,
            pinyin,
            article_id: article,
            sentence,
        })?),
        StudyCommand::Vocab(VocabCommand::List { search, json: _ }) => {
            print_json(&crate::library(data_dir)?.vocab_words(search.as_deref())?)
        }
        StudyCommand::Vocab(VocabCommand::Remove { id }) => {
            crate::library(data_dir)?.delete_vocab_word(id)
        }
        StudyCommand::Vocab(VocabCommand::Export { format, output }) => {
            crate::library(data_dir)?.export_vocabulary(format, &output)
        }
    }
}
