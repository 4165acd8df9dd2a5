//! Passwords and session tokens: a [`Secret`] newtype that never prints itself, so a client,
//! its credentials or an error can be logged or shown with `{:?}` without leaking them.

use std::fmt;

/// A password or session token. `Debug` and `Display` print `***`; [`Secret::expose`] is for
/// the one place that puts it into a request.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret as given (a password may legitimately start or end with spaces).
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The raw value, only to build a request.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether it is empty.
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

/// Replaces every occurrence of each non-trivial secret in `text` by `***` (server messages are
/// echoed into errors and could, from a careless server, contain what we sent).
pub(crate) fn redact(text: &str, secrets: &[&Secret]) -> String {
    let mut out = text.to_owned();
    for s in secrets {
        // One- or two-character passwords would turn every message into asterisks; such a
        // password is not worth hiding from a message the user sees anyway.
        if s.0.chars().count() >= 3 && out.contains(s.expose()) {
            out = out.replace(s.expose(), "***");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_hide_the_value() {
        let s = Secret::new("hunter22");
        assert_eq!(
            format!("{s:?}"),
            "Secret(***)",
            "Debug must not print the secret"
        );
        assert_eq!(format!("{s}"), "***", "Display must not print the secret");
        assert_eq!(s.expose(), "hunter22");
    }

    #[test]
    fn redact_replaces_every_occurrence() {
        let a = Secret::new("hunter22");
        let b = Secret::new("user/abc123");
        let text = "bad token user/abc123 for hunter22 (hunter22)";
        assert_eq!(redact(text, &[&a, &b]), "bad token *** for *** (***)");
    }
}
