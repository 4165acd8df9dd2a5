//! `dz translate`, `dz provider list|set`: translation, one-line delegations to the core.

use std::path::PathBuf;

use clap::Subcommand;
use duizhao_core::{CoreError, LibraryHandle, ScriptChoice, TranslateEvent, TranslateRequest};
use duizhao_translate::CancellationToken;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::output::{key_values, print_json};

/// Subcommands about translation.
#[derive(Subcommand)]
pub enum TranslateCommand {
    /// Translate an article's blocks and title; progress on stderr, JSON summary on stdout.
    Translate {
        /// The article id.
        id: i64,
        /// Target language (BCP-47: en, es, de, ja, zh-Hans, zh-Hant, …).
        #[arg(long)]
        to: String,
        /// Use this provider (default: the configured one, else the keyless chain).
        #[arg(long)]
        provider: Option<String>,
    },
    /// List providers or configure one.
    #[command(subcommand)]
    Provider(ProviderCommand),
}

/// `dz provider …`
#[derive(Subcommand)]
pub enum ProviderCommand {
    /// List providers with their settings (never their keys).
    List,
    /// Set provider settings: `dz provider set deepl endpoint=https://…`.
    Set {
        /// openai deepl google google-web microsoft edge libretranslate apertium.
        name: String,
        /// KEY=VALUE pairs (endpoint, model, region, …).
        #[arg(required = true)]
        settings: Vec<String>,
    },
    /// Choose the provider tried first by `translate` without `--provider` and by
    /// auto-translation (`default`: the keyless chain, edge then google-web); prints the
    /// translation defaults.
    Use {
        /// A provider name, or `default`.
        name: String,
    },
}

/// Runs a translation subcommand.
pub fn run(cmd: TranslateCommand, data_dir: Option<PathBuf>) -> Result<(), CoreError> {
    match cmd {
        TranslateCommand::Translate { id, to, provider } => {
            let handle = LibraryHandle::new(crate::library(data_dir)?);
            let req = TranslateRequest {
                to,
                provider,
                script: ScriptChoice::Original,
            };
            let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr())
                .with_style(
                    ProgressStyle::with_template("translating {bar:30} {pos}/{len} segments")
                        .unwrap_or_else(|_| ProgressStyle::default_bar()),
                );
            let on_event = |e: TranslateEvent| match e {
                TranslateEvent::Started { total, .. } => bar.set_length(u64::from(total)),
                TranslateEvent::Batch { done, .. } => bar.set_position(u64::from(done)),
            };
            let summary = runtime()?.block_on(handle.translate_article(
                id,
                &req,
                &on_event,
                &CancellationToken::new(),
            ));
            bar.finish_and_clear();
            print_json(&summary?)
        }
        TranslateCommand::Provider(ProviderCommand::List) => {
            print_json(&crate::library(data_dir)?.list_providers())
        }
        TranslateCommand::Provider(ProviderCommand::Set { name, settings }) => {
            let values = key_values(&settings)?;
            print_json(&crate::library(data_dir)?.set_provider(&name, &values)?)
        }
        TranslateCommand::Provider(ProviderCommand::Use { name }) => {
            let mut lib = crate::library(data_dir)?;
            let mut settings = lib.translation_settings()?;
            settings.provider = (name != "default").then_some(name);
            lib.set_translation_settings(&settings)?;
            print_json(&settings)
        }
    }
}

/// A runtime for the async use cases (network IO); the CLI itself stays synchronous.
pub fn runtime() -> Result<tokio::runtime::Runtime, CoreError> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| CoreError::Io {
            path: PathBuf::from("<tokio runtime>"),
            source: e,
        })
}
