//! `dz account add|list|remove`, `dz sync`, `dz read|unread|star|unstar`: the reader's feed
//! server, one-line delegations to `duizhao_core`. The password comes from
//! `DUIZHAO_SYNC_PASSWORD` (or the keyring the app saved it in); it is never an argument, so
//! it stays out of shell history and process lists.

use std::path::PathBuf;

use clap::Subcommand;
use duizhao_core::{CoreError, LibraryHandle, ReadScope, SyncPhase, SyncProgress};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::output::print_json;
use crate::translate::runtime;

/// Subcommands about the sync server.
#[derive(Subcommand)]
pub enum SyncCommand {
    /// The sync account (FreshRSS, Miniflux or any Google Reader API server; Fever servers).
    #[command(subcommand)]
    Account(AccountCommand),
    /// Sync with the account's server: send the changes made here, fetch new articles and the
    /// read/starred state; progress on stderr, JSON summary (new, updated, sent, failed).
    Sync,
    /// Mark an article read (sent to the server at the next sync when it is a synced one), or
    /// every article of a feed, a folder or the library: one "mark all as read" for the
    /// server, up to now (articles arriving later stay unread).
    #[command(group(clap::ArgGroup::new("which").required(true).args(["id", "feed", "folder", "all"])))]
    Read {
        /// The article id (from `dz list`).
        id: Option<i64>,
        /// Every article of this feed (id from `dz feed list`).
        #[arg(long)]
        feed: Option<i64>,
        /// Every article of the feeds in this folder.
        #[arg(long)]
        folder: Option<String>,
        /// Every article.
        #[arg(long)]
        all: bool,
    },
    /// Mark an article unread (sent at the next sync).
    Unread {
        /// The article id.
        id: i64,
    },
    /// Star an article (sent at the next sync).
    Star {
        /// The article id.
        id: i64,
    },
    /// Unstar an article (sent at the next sync).
    Unstar {
        /// The article id.
        id: i64,
    },
}

/// `dz account …`
#[derive(Subcommand)]
pub enum AccountCommand {
    /// Add (or replace) the sync account; signs in first. Password: DUIZHAO_SYNC_PASSWORD.
    Add {
        /// greader (FreshRSS: https://host/api/greader.php, Miniflux: https://host) or fever
        /// (the Fever endpoint).
        #[arg(value_parser = ["greader", "fever"])]
        kind: String,
        /// The server's address.
        url: String,
        /// The user name.
        #[arg(long)]
        user: String,
    },
    /// Show the account (never its password): `[]` when there is none.
    List {
        /// Print JSON (the only format; accepted for the stable contract).
        #[arg(long)]
        json: bool,
    },
    /// Remove the account (its feeds and articles stay, as local ones).
    Remove,
    /// Set the minutes between the app's background syncs (0 = only when asked; default 30);
    /// prints the account.
    Interval {
        /// Minutes, 0 to 1440.
        minutes: u32,
    },
}

pub fn run(cmd: SyncCommand, data_dir: Option<PathBuf>) -> Result<(), CoreError> {
    let lib = || crate::library(data_dir.clone());
    match cmd {
        SyncCommand::Account(AccountCommand::Add { kind, url, user }) => {
            let handle = LibraryHandle::new(lib()?);
            print_json(&runtime()?.block_on(handle.add_sync_account(&kind, &url, &user, None))?)
        }
        SyncCommand::Account(AccountCommand::List { json: _ }) => {
            print_json(&lib()?.sync_account()?.into_iter().collect::<Vec<_>>())
        }
        SyncCommand::Account(AccountCommand::Remove) => {
            let mut lib = lib()?;
            let account = lib.sync_account()?;
            lib.remove_sync_account()?;
            print_json(&account)
        }
        SyncCommand::Account(AccountCommand::Interval { minutes }) => {
            let mut lib = lib()?;
            lib.set_sync_interval_min(minutes)?;
            print_json(&lib.sync_account()?)
        }
        SyncCommand::Sync => {
            let handle = LibraryHandle::new(lib()?);
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("syncing {bar:30} {pos}/{len} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            let progress = |p: SyncProgress| {
                bar.set_message(phase(p.phase));
                if let Some(total) = p.total {
                    bar.set_length(u64::from(total));
                }
                bar.set_position(u64::from(p.done));
            };
            let summary = runtime()?.block_on(handle.sync(progress));
            bar.finish_and_clear();
            let summary = summary?;
            if let Some(e) = &summary.send_error {
                eprintln!("dz: {} changes stay queued: {}", summary.failed, e.message);
            }
            print_json(&summary)
        }
        SyncCommand::Read { id: Some(id), .. } => flag(lib()?, id, "read", true),
        SyncCommand::Read { feed, folder, .. } => {
            let scope = match (feed, folder) {
                (Some(id), _) => ReadScope::Feed(id),
                (None, Some(name)) => ReadScope::Folder(name),
                (None, None) => ReadScope::All,
            };
            let marked = lib()?.mark_all_read(&scope)?;
            print_json(&serde_json::json!({ "marked": marked }))
        }
        SyncCommand::Unread { id } => flag(lib()?, id, "read", false),
        SyncCommand::Star { id } => flag(lib()?, id, "starred", true),
        SyncCommand::Unstar { id } => flag(lib()?, id, "starred", false),
    }
}

/// Sets read or starred and prints `{"id", FIELD: value}`.
fn flag(
    mut lib: duizhao_core::Library,
    id: i64,
    field: &str,
    value: bool,
) -> Result<(), CoreError> {
    match field {
        "read" => lib.set_read(id, value)?,
        _ => lib.set_starred(id, value)?,
    }
    print_json(&serde_json::json!({ "id": id, field: value }))
}

fn phase(p: SyncPhase) -> &'static str {
    match p {
        SyncPhase::SigningIn => "signing in",
        SyncPhase::Sending => "sending changes",
        SyncPhase::Feeds => "subscriptions",
        SyncPhase::States => "read and starred",
        SyncPhase::Items => "articles",
        SyncPhase::Done => "done",
    }
}
