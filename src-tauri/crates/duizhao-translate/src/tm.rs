//! Translation memory: translations are kept for good, keyed by a hash of everything that
//! determines them, so a reopened article costs no request and nobody pays twice for the same
//! paragraph. The core implements [`TranslationMemory`] on SQLite; [`InMemoryTm`] serves tests
//! and the CLI's dry runs.

use std::collections::HashMap;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The error type of a translation-memory backend (the engine logs it and carries on: a
/// failing memory costs requests, never correctness).
pub type TmError = Box<dyn std::error::Error + Send + Sync>;

/// A translation-memory key: lowercase SHA-256 hex (64 chars) of the source text, provider,
/// model, source language, target language and prompt version. The format is frozen
/// (`duizhao-tm/1`): stored keys stay valid across releases.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TmKey(String);

impl TmKey {
    /// The key for one segment. `source` is the requested source language or `auto`;
    /// `prompt_version` includes the glossary terms that applied to this segment.
    pub fn new(
        text: &str,
        provider: &str,
        model: &str,
        source: &str,
        target: &str,
        prompt_version: &str,
    ) -> Self {
        let mut h = Sha256::new();
        h.update(b"duizhao-tm/1");
        // Length-prefixed fields: no two different tuples hash the same input.
        for part in [provider, model, source, target, prompt_version, text] {
            h.update((part.len() as u64).to_le_bytes());
            h.update(part.as_bytes());
        }
        let digest = h.finalize();
        let mut hex = String::with_capacity(64);
        for b in digest {
            hex.push_str(&format!("{b:02x}"));
        }
        TmKey(hex)
    }

    /// Rebuild a key read back from storage (64 lowercase hex chars), or `None`.
    pub fn from_hex(hex: &str) -> Option<Self> {
        (hex.len() == 64
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
        .then(|| TmKey(hex.to_owned()))
    }

    /// The hex string (store this).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for TmKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Storage of finished translations. Calls should be quick (one short transaction): the
/// engine calls them from its async task.
pub trait TranslationMemory: Send + Sync {
    /// The stored translation for each key, in order (`None` = not stored).
    fn lookup(&self, keys: &[TmKey]) -> Result<Vec<Option<String>>, TmError>;
    /// Store complete, validated translations (the engine never passes partial ones).
    /// Re-storing a key replaces its text.
    fn store(&self, entries: &[(TmKey, String)]) -> Result<(), TmError>;
}

/// A process-local translation memory.
#[derive(Debug, Default)]
pub struct InMemoryTm {
    map: Mutex<HashMap<TmKey, String>>,
}

impl InMemoryTm {
    /// An empty memory.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of stored translations.
    pub fn len(&self) -> usize {
        self.map.lock().map(|m| m.len()).unwrap_or(0)
    }

    /// Whether nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A copy of every stored entry.
    pub fn entries(&self) -> Vec<(TmKey, String)> {
        self.map
            .lock()
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default()
    }
}

impl TranslationMemory for InMemoryTm {
    fn lookup(&self, keys: &[TmKey]) -> Result<Vec<Option<String>>, TmError> {
        let m = self
            .map
            .lock()
            .map_err(|_| "translation memory lock poisoned")?;
        Ok(keys.iter().map(|k| m.get(k).cloned()).collect())
    }

    fn store(&self, entries: &[(TmKey, String)]) -> Result<(), TmError> {
        let mut m = self
            .map
            .lock()
            .map_err(|_| "translation memory lock poisoned")?;
        for (k, v) in entries {
            m.insert(k.clone(), v.clone());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_stable_and_field_sensitive() {
        let a = TmKey::new("Hello", "deepl", "", "auto", "es", "1");
        assert_eq!(a.as_str().len(), 64);
        assert_eq!(a, TmKey::new("Hello", "deepl", "", "auto", "es", "1"));
        assert_ne!(a, TmKey::new("Hello", "deepl", "", "auto", "de", "1"));
        assert_ne!(a, TmKey::new("Hello", "edge", "", "auto", "es", "1"));
        assert_ne!(
            TmKey::new("ab", "c", "", "", "", ""),
            TmKey::new("a", "bc", "", "", "", "")
        );
        assert_eq!(TmKey::from_hex(a.as_str()), Some(a));
    }
}
