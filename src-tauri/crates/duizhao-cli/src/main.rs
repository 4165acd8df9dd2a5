//! `dz`: Duizhao on the command line. Every subcommand is a one-line delegation to
//! `duizhao_core::Library`; this file only parses arguments and prints results.
//!
//! Contract (README, "The `dz` command line"): JSON on stdout, progress on stderr, errors as one line on stderr with
//! a non-zero exit, nothing partially written.

use std::path::PathBuf;
use std::process::ExitCode;

mod feeds;
mod output;
mod study;
mod sync;
mod translate;

use clap::{Parser, Subcommand};
use duizhao_core::{CoreError, Library, ListFilter, ReadingChoice, ViewOptions, zh};
use output::{input, print_json, read_text};

#[derive(Parser)]
#[command(
    name = "dz",
    version,
    about = "Duizhao (对照): read foreign-language articles side by side with their translation"
)]
struct Cli {
    /// The library folder (default: $DUIZHAO_DATA_DIR, else the platform data folder).
    #[arg(long, global = true, env = "DUIZHAO_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    #[command(flatten)]
    Feeds(feeds::FeedsCommand),
    #[command(flatten)]
    Translate(translate::TranslateCommand),
    #[command(flatten)]
    Study(study::StudyCommand),
    #[command(flatten)]
    Sync(sync::SyncCommand),
    /// Import a local file: the feed export format (like the seed), HTML or Markdown.
    Import {
        /// The file to import.
        file: PathBuf,
    },
    /// List articles, newest first.
    List {
        /// Only this feed's articles.
        #[arg(long)]
        feed: Option<i64>,
        /// Only unread articles.
        #[arg(long)]
        unread: bool,
        /// Only starred articles.
        #[arg(long)]
        starred: bool,
        /// Only articles of the feeds in this folder.
        #[arg(long, value_name = "F")]
        folder: Option<String>,
        /// Print JSON (the only format so far; accepted for the stable contract).
        #[arg(long)]
        json: bool,
    },
    /// Show one article with its blocks.
    Show {
        /// The article id (from `dz list`).
        id: i64,
        /// Print JSON (the only format so far; accepted for the stable contract).
        #[arg(long)]
        json: bool,
        /// Convert Chinese text with this OpenCC config (s2t, t2s, s2twp, …).
        #[arg(long, value_name = "CFG")]
        script: Option<zh::Config>,
        /// Attach stored translations into this language (see `dz translate`).
        #[arg(long, value_name = "LANG")]
        to: Option<String>,
        /// Readings over Chinese text as <ruby> markup: off (default), pinyin or zhuyin.
        #[arg(long, value_name = "off|pinyin|zhuyin")]
        reading: Option<ReadingChoice>,
    },
    /// Convert Chinese text between scripts, exactly as OpenCC 1.4.2 does (stdin or FILE to
    /// stdout, streaming).
    Convert {
        /// OpenCC config: s2t t2s s2tw tw2s s2hk hk2s s2twp tw2sp t2tw tw2t t2hk hk2t t2jp jp2t
        /// s2hkp hk2sp.
        #[arg(long, short, value_name = "CFG")]
        config: zh::Config,
        /// Input file (default: stdin).
        file: Option<PathBuf>,
    },
    /// Detect the language (and Chinese script) of a text: JSON {"lang", "confidence"}.
    Detect {
        /// Input file (default: stdin).
        file: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => e.exit(), // --help, --version
        Err(e) => {
            // Usage errors too are one line, like every other error of the contract.
            let msg = e.to_string();
            let first = msg.lines().next().unwrap_or("invalid arguments");
            eprintln!("dz: {}", first.trim_start_matches("error: "));
            return ExitCode::from(2);
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dz: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Opens the library in `dir`, else `$DUIZHAO_DATA_DIR`, else the platform data folder, and
/// brings it up to date.
pub fn library(dir: Option<PathBuf>) -> Result<Library, CoreError> {
    let dir = match dir {
        Some(d) => d,
        None => duizhao_core::default_data_dir()?,
    };
    let mut library = Library::open(&dir)?;
    // A library stored by an older build gets its languages re-detected once, here (seconds
    // for tens of thousands of articles; the app does the same in the background).
    library.redetect_languages(|_| {})?;
    Ok(library)
}

fn run(cli: Cli) -> Result<(), CoreError> {
    match cli.command {
        Command::Feeds(cmd) => feeds::run(cmd, cli.data_dir),
        Command::Translate(cmd) => translate::run(cmd, cli.data_dir),
        Command::Study(cmd) => study::run(cmd, cli.data_dir),
        Command::Sync(cmd) => sync::run(cmd, cli.data_dir),
        Command::Import { file } => {
            let outcome = library(cli.data_dir)?.import_file(&file)?;
            print_json(&outcome)
        }
        Command::List {
            feed,
            unread,
            starred,
            folder,
            json: _,
        } => {
            let filter = ListFilter {
                feed_id: feed,
                unread,
                starred,
                folder,
            };
            print_json(&library(cli.data_dir)?.list(&filter)?)
        }
        Command::Show {
            id,
            json: _,
            script,
            to,
            reading,
        } => {
            let options = ViewOptions {
                config: script,
                to,
                // The JSON is the stored text unless readings are asked for (a feed's
                // default reading is the window's).
                reading: Some(reading.unwrap_or_default()),
                ..ViewOptions::default()
            };
            print_json(&library(cli.data_dir)?.article_view(id, &options)?)
        }
        Command::Convert { config, file } => {
            let out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            zh::convert_stream(config, input(file.as_deref())?, out)?;
            Ok(())
        }
        Command::Detect { file } => {
            let text = read_text(input(file.as_deref())?, output::DETECT_SAMPLE)?;
            print_json(&duizhao_core::lang::detect_text(&text))
        }
    }
}
