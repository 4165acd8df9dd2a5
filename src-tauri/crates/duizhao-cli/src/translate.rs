//! `dz translate`, `dz provider list|set`: translation, one-line delegations to the core.

use std::path::PathBuf;

use clap::Subcommand;
use duizhao_core::CoreError;

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
}

/// Runs a translation subcommand.
pub fn run(cmd: TranslateCommand, data_dir: Option<PathBuf>) -> Result<(), CoreError> {
    let _ = (&cmd, data_dir);
    Err(CoreError::InvalidInput(
        "this command is not implemented yet".into(),
    ))
}
