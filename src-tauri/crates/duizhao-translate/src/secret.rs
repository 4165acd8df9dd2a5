//! API keys: a [`Secret`] newtype that never prints itself, and where keys come from
//! ([`EnvSecrets`], the OS keyring, or both via [`DefaultSecrets`]). Keys never go to SQLite,
//! config files, logs or the UI; each provider sends its key only to its own endpoint.

use std::fmt;

/// An API key. `Debug` and `Display` print `***`; use [`Secret::expose`] only to build a request.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wrap a key (surrounding whitespace, e.g. a pasted newline, is trimmed).
    pub fn new(key: impl Into<String>) -> Self {
        let k: String = key.into();
        let t = k.trim();
        if t.len() == k.len() {
            Secret(k)
        } else {
            Secret(t.to_owned())
        }
    }

    /// The raw key, for the one place that puts it into a request.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the key is empty (treated as "no key").
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Somewhere API keys can be read from, by stable provider name.
pub trait SecretSource: Send + Sync {
    /// The key for `provider`, or `None` when there is none (errors also mean `None`).
    fn get(&self, provider: &str) -> Option<Secret>;
}

/// The environment variable holding `provider`'s key: `DUIZHAO_<PROVIDER>_API_KEY`, upper case,
/// `-` → `_` (e.g. `DUIZHAO_GOOGLE_WEB_API_KEY`).
pub fn env_var_name(provider: &str) -> String {
    let mut s = String::from("DUIZHAO_");
    for c in provider.chars() {
        s.push(if c == '-' {
            '_'
        } else {
            c.to_ascii_uppercase()
        });
    }
    s.push_str("_API_KEY");
    s
}

/// Keys from `DUIZHAO_<PROVIDER>_API_KEY` (for headless use and CI).
#[derive(Debug, Default, Clone, Copy)]
pub struct EnvSecrets;

impl SecretSource for EnvSecrets {
    fn get(&self, provider: &str) -> Option<Secret> {
        let v = std::env::var(env_var_name(provider)).ok()?;
        let s = Secret::new(v);
        (!s.is_empty()).then_some(s)
    }
}

/// Keys from the OS keyring: service `duizhao`, user = provider name. Any keyring error
/// (e.g. no Secret Service on a headless machine) reads as "no key".
#[cfg(feature = "keyring")]
#[derive(Debug, Default, Clone, Copy)]
pub struct KeyringSecrets;

#[cfg(feature = "keyring")]
impl KeyringSecrets {
    /// The keyring service name.
    pub const SERVICE: &'static str = "duizhao";

    /// Store `secret` for `provider` (the settings form calls this; the key never touches disk
    /// otherwise).
    pub fn set(provider: &str, secret: &Secret) -> Result<(), String> {
        let entry = keyring::Entry::new(Self::SERVICE, provider).map_err(|e| e.to_string())?;
        entry
            .set_password(secret.expose())
            .map_err(|e| format!("could not save the key in the system keyring: {e}"))
    }

    /// Remove `provider`'s key (missing is fine).
    pub fn delete(provider: &str) -> Result<(), String> {
        let entry = keyring::Entry::new(Self::SERVICE, provider).map_err(|e| e.to_string())?;
        match entry.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(format!(
                "could not remove the key from the system keyring: {e}"
            )),
        }
    }
}

#[cfg(feature = "keyring")]
impl SecretSource for KeyringSecrets {
    fn get(&self, provider: &str) -> Option<Secret> {
        let entry = keyring::Entry::new(Self::SERVICE, provider).ok()?;
        match entry.get_password() {
            Ok(p) => {
                let s = Secret::new(p);
                (!s.is_empty()).then_some(s)
            }
            Err(keyring::Error::NoEntry) => None,
            Err(e) => {
                tracing::debug!(provider, error = %e, "keyring unavailable; treating as no key");
                None
            }
        }
    }
}

/// The app's source: the environment first (it wins when set), then the OS keyring when the
/// `keyring` feature is on. Keyring calls may block on D-Bus: call from a blocking context.
#[derive(Debug, Default, Clone, Copy)]
pub struct DefaultSecrets;

impl SecretSource for DefaultSecrets {
    fn get(&self, provider: &str) -> Option<Secret> {
        if let Some(s) = EnvSecrets.get(provider) {
            return Some(s);
        }
        #[cfg(feature = "keyring")]
        {
            KeyringSecrets.get(provider)
        }
        #[cfg(not(feature = "keyring"))]
        {
            None
        }
    }
}
