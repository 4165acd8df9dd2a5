//! `dz feed add|list|set|remove`, `dz settings`, `dz refresh`, `dz save`, `dz search`,
//! `dz export`, `dz opml import|export`: the library's sources, one-line delegations to
//! `duizhao_core::Library`.

use std::path::PathBuf;

use clap::Subcommand;
use duizhao_core::services::validate::parse_switch;
use duizhao_core::{
    AutoTranslate, AutoTranslateProgress, CoreError, ExportFormat, ExportOptions, LibraryHandle,
    ReadingChoice, RefreshProgress, ScriptChoice, ViewMode,
};
use duizhao_translate::CancellationToken;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::output::{key_values, print_json};
use crate::translate::runtime;

/// Subcommands about feeds and the offline library.
#[derive(Subcommand)]
pub enum FeedsCommand {
    /// Subscribe to feeds and list them.
    #[command(subcommand)]
    Feed(FeedCommand),
    /// Fetch new articles from every feed (or one), then translate the new articles of feeds
    /// set to auto-translate; progress on stderr, JSON summary on stdout.
    Refresh {
        /// Only this feed.
        #[arg(long)]
        feed: Option<i64>,
        /// Only feeds whose refresh interval has passed (for cron jobs); default: every feed.
        #[arg(long)]
        due: bool,
        /// Do not translate new articles of auto-translating feeds now (they stay queued
        /// for the next refresh).
        #[arg(long)]
        no_translate: bool,
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
        format: ExportFormat,
        /// Include translations into this language.
        #[arg(long)]
        to: Option<String>,
        /// Chinese script: original, hans, hant, tw, hk (or an OpenCC config such as t2s).
        #[arg(long)]
        script: Option<ScriptChoice>,
        /// Layout with a translation: columns (default), interleaved, original, translation.
        #[arg(long)]
        mode: Option<ViewMode>,
        /// The output file.
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// Import or export subscriptions as OPML.
    #[command(subcommand)]
    Opml(OpmlCommand),
    /// Show the refresh settings as JSON, or change some first: `dz settings interval_min=30`.
    Settings {
        /// KEY=VALUE pairs: interval_min (minutes), retention_days (days; 0 or none = keep
        /// everything), download_images (on/off), concurrency (feeds checked at once).
        settings: Vec<String>,
    },
}

/// `dz feed …`
#[derive(Subcommand)]
pub enum FeedCommand {
    /// Subscribe to a feed and fetch it now; prints the feed as JSON.
    Add {
        /// The feed's URL (or a page that links to one).
        url: String,
        /// Put it in this folder.
        #[arg(long)]
        folder: Option<String>,
    },
    /// List subscribed feeds.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Change a feed (only what is given); prints the feed as JSON. Rules apply to articles
    /// fetched from then on.
    Set {
        /// The feed id (from `dz feed list`).
        id: i64,
        /// A title of your own ("" = follow the feed's own title).
        #[arg(long)]
        title: Option<String>,
        /// Move the feed to this folder.
        #[arg(long, value_name = "F", conflicts_with = "no_folder")]
        folder: Option<String>,
        /// Move the feed to the top level.
        #[arg(long)]
        no_folder: bool,
        /// Fetch the full text of items that carry only a summary.
        #[arg(long, value_name = "on|off")]
        full_text: Option<String>,
        /// Minutes between automatic checks of this feed, or `default`.
        #[arg(long, value_name = "MIN|default")]
        interval: Option<String>,
        /// Remove elements matching this CSS selector from new articles (repeatable).
        #[arg(long = "remove", value_name = "SELECTOR")]
        remove: Vec<String>,
        /// Drop the feed's own cleaning rules (before adding any --remove).
        #[arg(long)]
        clear_rules: bool,
        /// Translate new articles into this language after each refresh (en, zh-Hans,
        /// zh-Hant, de, fr, es, ja, ko, ru, pt, it), or `off`.
        #[arg(long, value_name = "LANG|off")]
        auto_translate: Option<String>,
        /// Readings over this feed's Chinese articles when opened in the app.
        #[arg(long, value_name = "off|pinyin|zhuyin")]
        reading: Option<ReadingChoice>,
    },
    /// Unsubscribe: the feed and all its articles, starred ones too, are deleted. Prints the
    /// feed as it was.
    Remove {
        /// The feed id.
        id: i64,
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
    match cmd {
        FeedsCommand::Feed(FeedCommand::Add { url, folder }) => {
            let handle = LibraryHandle::new(crate::library(data_dir)?);
            let feed = runtime()?.block_on(handle.add_feed(&url, folder.as_deref()))?;
            if handle
                .with(|lib| lib.sync_account())?
                .is_some_and(|a| a.kind == "fever")
            {
                eprintln!(
                    "dz: note: the feed is local only: a Fever server cannot subscribe to feeds \
                     (subscribe on the server and the next sync brings it here)"
                );
            }
            print_json(&feed)
        }
        FeedsCommand::Feed(FeedCommand::List { json: _ }) => {
            print_json(&crate::library(data_dir)?.list_feeds()?)
        }
        FeedsCommand::Feed(FeedCommand::Set {
            id,
            title,
            folder,
            no_folder,
            full_text,
            interval,
            remove,
            clear_rules,
            auto_translate,
            reading,
        }) => {
            let mut lib = crate::library(data_dir)?;
            let mut options = lib.feed_options(id)?;
            if let Some(title) = title {
                options.custom_title = !title.trim().is_empty();
                options.title = title;
            }
            if no_folder {
                options.folder = None;
            } else if folder.is_some() {
                options.folder = folder;
            }
            if let Some(v) = full_text {
                options.full_text = parse_switch("--full-text", &v)?;
            }
            if let Some(v) = interval {
                options.interval_min = parse_interval(&v)?;
            }
            if clear_rules {
                options.remove.clear();
            }
            options.remove.extend(remove);
            if let Some(lang) = auto_translate {
                // `off` and the language are checked by the core.
                options.auto_translate = Some(lang);
            }
            if let Some(reading) = reading {
                options.reading = reading;
            }
            print_json(&lib.set_feed_options(id, &options)?)
        }
        FeedsCommand::Feed(FeedCommand::Remove { id }) => {
            let mut lib = crate::library(data_dir)?;
            let feed = lib.feed(id)?;
            lib.remove_feed(id)?;
            print_json(&feed)
        }
        FeedsCommand::Settings { settings } => {
            let mut lib = crate::library(data_dir)?;
            if !settings.is_empty() {
                let mut next = lib.feed_settings()?;
                for (key, value) in key_values(&settings)? {
                    next.set(&key, &value)?;
                }
                lib.set_feed_settings(&next)?;
            }
            print_json(&lib.feed_settings()?)
        }
        FeedsCommand::Refresh {
            feed,
            due,
            no_translate,
        } => {
            let handle = LibraryHandle::new(crate::library(data_dir)?);
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            let style = |template: &str| {
                ProgressStyle::with_template(template)
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
            };
            bar.set_style(style("refreshing {bar:30} {pos}/{len} feeds {msg}"));
            let progress = |p: RefreshProgress| {
                bar.set_length(u64::from(p.total));
                bar.set_position(u64::from(p.done));
                bar.set_message(p.title);
            };
            let refreshed = |_: &_| {
                bar.reset();
                bar.set_message("");
                bar.set_style(style("translating {bar:30} {pos}/{len} articles"));
            };
            let translated = |p: AutoTranslateProgress| {
                bar.set_length(u64::from(p.total));
                bar.set_position(u64::from(p.done));
                if let Some(e) = p.error {
                    let message = e.message;
                    bar.suspend(|| {
                        eprintln!("dz: article {}: not translated: {message}", p.article_id)
                    });
                }
            };
            let auto = if no_translate {
                AutoTranslate::Off
            } else {
                AutoTranslate::Always
            };
            let outcome = runtime()?.block_on(handle.refresh_and_translate(
                feed,
                !due,
                auto,
                progress,
                refreshed,
                translated,
                &CancellationToken::new(),
            ));
            bar.finish_and_clear();
            let outcome = outcome?;
            if let Some(e) = &outcome.translation_error {
                eprintln!("dz: auto-translation: {}", e.message);
            }
            print_json(&outcome)
        }
        FeedsCommand::Save { url } => {
            let handle = LibraryHandle::new(crate::library(data_dir)?);
            print_json(&runtime()?.block_on(handle.save_url(&url))?)
        }
        FeedsCommand::Search { query, json: _ } => {
            print_json(&crate::library(data_dir)?.search(&query)?)
        }
        FeedsCommand::Export {
            id,
            format,
            to,
            script,
            mode,
            output,
        } => {
            let options = ExportOptions {
                format,
                to,
                script: script.unwrap_or_default(),
                mode: mode.unwrap_or_default(),
            };
            crate::library(data_dir)?.export_article(id, &options, &output)
        }
        FeedsCommand::Opml(OpmlCommand::Import { file }) => {
            print_json(&crate::library(data_dir)?.opml_import(&file)?)
        }
        FeedsCommand::Opml(OpmlCommand::Export { file }) => {
            crate::library(data_dir)?.opml_export(&file)
        }
    }
}

/// `--interval`: minutes, or `default` for the library's interval.
fn parse_interval(s: &str) -> Result<Option<i64>, CoreError> {
    if s.trim().eq_ignore_ascii_case("default") {
        return Ok(None);
    }
    s.trim().parse().map(Some).map_err(|_| {
        CoreError::InvalidInput(format!("--interval takes minutes or `default`, not `{s}`"))
    })
}
