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

/// A boxed, `Send` future: what [`TranslationMemory`] methods return. Re-exported so an
/// implementation needs no `futures-util` of its own (`Box::pin(async move { .. })` builds one).
pub use futures_util::future::BoxFuture;

/// Storage of finished translations.
///
/// The engine awaits these calls on its async task, between batches. An implementation must
/// not block the async worker: disk or database work (SQLite, files) goes to
/// `tokio::task::spawn_blocking` (or a thread of its own) and the returned future awaits it.
/// Keys and entries are handed over by value so they can move into such a closure without a
/// copy. A failing memory only costs requests: the engine logs the error and translates anew.
///
/// ```
/// use std::collections::HashMap;
/// use std::sync::{Arc, Mutex};
/// use duizhao_translate::{BoxFuture, TmError, TmKey, TranslationMemory};
///
/// /// Stands in for a blocking store such as a SQLite connection.
/// struct BlockingTm(Arc<Mutex<HashMap<TmKey, String>>>);
///
/// impl TranslationMemory for BlockingTm {
///     fn lookup(&self, keys: Vec<TmKey>) -> BoxFuture<'_, Result<Vec<Option<String>>, TmError>> {
///         let db = self.0.clone();
///         Box::pin(async move {
///             tokio::task::spawn_blocking(move || {
///                 let db = db.lock().map_err(|_| "translation memory lock poisoned")?;
///                 Ok(keys.iter().map(|k| db.get(k).cloned()).collect())
///             })
///             .await?
///         })
///     }
///
///     fn store(&self, entries: Vec<(TmKey, String)>) -> BoxFuture<'_, Result<(), TmError>> {
///         let db = self.0.clone();
///         Box::pin(async move {
///             tokio::task::spawn_blocking(move || {
///                 let mut db = db.lock().map_err(|_| "translation memory lock poisoned")?;
///                 db.extend(entries);
///                 Ok(())
///             })
///             .await?
///         })
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), TmError> {
/// let tm = BlockingTm(Arc::default());
/// let key = TmKey::new("Hello", "deepl", "", "auto", "es", "1");
/// tm.store(vec![(key.clone(), "Hola".into())]).await?;
/// assert_eq!(tm.lookup(vec![key]).await?, vec![Some("Hola".to_owned())]);
/// # Ok(()) }
/// ```
pub trait TranslationMemory: Send + Sync {
    /// The stored translation for each key, in order (`None` = not stored).
    fn lookup(&self, keys: Vec<TmKey>) -> BoxFuture<'_, Result<Vec<Option<String>>, TmError>>;
    /// Store complete, validated translations (the engine never passes partial ones).
    /// Re-storing a key replaces its text.
    fn store(&self, entries: Vec<(TmKey, String)>) -> BoxFuture<'_, Result<(), TmError>>;
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

// A hash map behind a std `Mutex` held only for the copy, never across an await: quick
// enough to run on the async worker itself, so the futures are ready at once.
impl TranslationMemory for InMemoryTm {
    fn lookup(&self, keys: Vec<TmKey>) -> BoxFuture<'_, Result<Vec<Option<String>>, TmError>> {
        let found = self
            .map
            .lock()
            .map(|m| keys.iter().map(|k| m.get(k).cloned()).collect())
            .map_err(|_| "translation memory lock poisoned".into());
        Box::pin(std::future::ready(found))
    }

    fn store(&self, entries: Vec<(TmKey, String)>) -> BoxFuture<'_, Result<(), TmError>> {
        let stored = self
            .map
            .lock()
            .map(|mut m| m.extend(entries))
            .map_err(|_| "translation memory lock poisoned".into());
        Box::pin(std::future::ready(stored))
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
