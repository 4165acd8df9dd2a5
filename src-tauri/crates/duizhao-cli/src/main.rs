//! `dz`: Duizhao on the command line. Every subcommand is a one-line delegation to
//! `duizhao_core::Library`; this file only parses arguments and prints results.
//!
//! Contract (DESIGN.md): JSON on stdout, progress on stderr, errors as one line on stderr with
//! a non-zero exit, nothing partially written.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use duizhao_core::{CoreError, Library, ListFilter};

#[derive(Parser)]
#[command(name = "dz", version, about = "Duizhao (对照): read foreign-language articles side by side with their translation")]
struct Cli {
    /// The library folder (default: $DUIZHAO_DATA_DIR, else the platform data folder).
    #[arg(long, global = true, env = "DUIZHAO_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
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
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dz: {e}");
            ExitCode::FAILURE
        }
    }
}

fn library(dir: Option<PathBuf>) -> Result<Library, CoreError> {
    let dir = match dir {
        Some(d) => d,
        None => duizhao_core::default_data_dir()?,
    };
    Library::open(&dir)
}

fn run(cli: Cli) -> Result<(), CoreError> {
    match cli.command {
        Command::Import { file } => {
            let outcome = library(cli.data_dir)?.import_file(&file)?;
            print_json(&outcome)
        }
        Command::List { feed, unread, json: _ } => {
            let filter = ListFilter { feed_id: feed, unread };
            print_json(&library(cli.data_dir)?.list(&filter)?)
        }
        Command::Show { id, json: _ } => print_json(&library(cli.data_dir)?.article(id)?),
    }
}

fn print_json<T: serde::Serialize>(value: &T) -> Result<(), CoreError> {
    let mut out = std::io::stdout().lock();
    let write = |out: &mut std::io::StdoutLock<'_>| -> std::io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, value).map_err(std::io::Error::other)?;
        writeln!(out)
    };
    write(&mut out).map_err(|e| CoreError::Io {
        path: PathBuf::from("<stdout>"),
        source: e,
    })
}
