//! The library's `config.toml`: non-secret provider settings, readable and editable by hand
//! (and by `dz provider set`). Keys never go here: they live in the OS keyring or the
//! environment.

use std::collections::BTreeMap;
use std::path::Path;

use duizhao_translate::ProviderConfig;
use serde::{Deserialize, Serialize};

use crate::error::{CoreError, Result};
use crate::support::fs::write_atomic;

/// The file holding non-secret provider settings, in the data folder.
pub const CONFIG_FILE: &str = "config.toml";

/// Every provider's non-secret settings, as in `config.toml`:
/// `[providers.deepl]` / `endpoint = "…"`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProviderConfigs {
    /// Settings by provider name.
    #[serde(default)]
    pub providers: BTreeMap<String, BTreeMap<String, String>>,
}

impl ProviderConfigs {
    /// Reads `DIR/config.toml`; a missing file is an empty configuration.
    pub fn load(dir: &Path) -> Result<Self> {
        let path = dir.join(CONFIG_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str(&text).map_err(|e| {
                CoreError::InvalidInput(format!("{}: {}", path.display(), e.message()))
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(CoreError::Io { path, source: e }),
        }
    }

    /// Writes `DIR/config.toml` atomically (temporary file + rename): never half-written.
    pub fn save(&self, dir: &Path) -> Result<()> {
        let text = toml::to_string_pretty(self)
            .map_err(|e| CoreError::Internal(format!("writing config.toml ({e})")))?;
        write_atomic(&dir.join(CONFIG_FILE), text.as_bytes())
    }

    /// One provider's settings in the form the providers take.
    pub fn get(&self, name: &str) -> ProviderConfig {
        let mut cfg = ProviderConfig::new();
        if let Some(values) = self.providers.get(name) {
            for (k, v) in values {
                cfg.set_unchecked(k, v);
            }
        }
        cfg
    }
}
