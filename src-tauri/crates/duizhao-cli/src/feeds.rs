//! `dz feed add|list`, `dz refresh`, `dz save`, `dz search`, `dz export`, `dz opml import|export`:
//! the library's sources, one-line delegations to `duizhao_core::Library`.

use std::path::PathBuf;

use clap::Subcommand;
use duizhao_core::CoreError;

/// Subcommands about feeds and the offline library.
#[derive(Subcommand)]
pub enum FeedsCommand {
    /// Subscribe to feeds and list them.
    #[command(subcommand)]
    Feed(FeedCommand),
    /// Fetch new articles from every feed (or one); progress on stderr, JSON summary on stdout.
    Refresh {
        /// Only this feed.
        #[arg(long)]
        feed: Option<i64>,
    },
    /// Save one web page as an article (full text extracted).
    Save {
        /// The page's URL.
        url: String,
    },
    /// Full-text search over titles and text (Simplified and Traditional match each other).
    Search {
        /// What to look for.
        query: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Export an article to a file.
    Export {
        /// The article id.
        id: i64,
        /// html (self-contained), md or epub.
        #[arg(long)]
        format: String,
        /// Include translations into this language.
        #[arg(long)]
        to: Option<String>,
        /// Convert Chinese with this OpenCC config.
        #[arg(long)]
        script: Option<String>,
        /// The output file.
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// Import or export subscriptions as OPML.
    #[command(subcommand)]
    Opml(OpmlCommand),
}

/// `dz feed …`
#[derive(Subcommand)]
pub enum FeedCommand {
    /// Subscribe to a feed and fetch it now; prints the feed as JSON.
    Add {
        /// The feed's URL (or a page that links to one).
        url: String,
    },
    /// List subscribed feeds.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `dz opml …`
#[derive(Subcommand)]
pub enum OpmlCommand {
    /// Subscribe to every feed in an OPML file (folders kept).
    Import {
        /// The OPML file.
        file: PathBuf,
    },
    /// Write every subscription to an OPML file.
    Export {
        /// The OPML file to write.
        file: PathBuf,
    },
}

/// Runs a feeds subcommand.
pub fn run(cmd: FeedsCommand, data_dir: Option<PathBuf>) -> Result<(), CoreError> {
    let _ = (&cmd, data_dir);
    Err(CoreError::InvalidInput(
        "this command is not implemented yet".into(),
    ))
}
