//! Settings that live with the library: the script the reader chose (per feed and
//! globally), saved UI state, the refresh settings and the translation defaults.

use crate::error::{CoreError, Result};
use crate::library::Library;
use crate::model::{FeedSettings, ScriptChoice, TranslationSettings};
use crate::services::target::record_target;

/// Settings key of the global script choice.
const GLOBAL_SCRIPT: &str = "script";
/// Settings key of [`FeedSettings`] (JSON).
const FEED_SETTINGS: &str = "feeds.settings";
/// Settings key of [`TranslationSettings`] (JSON).
const TRANSLATION_SETTINGS: &str = "translation";
/// Largest piece of UI state, so a runaway webview cannot bloat the library.
const MAX_UI_STATE: usize = 64 * 1024;

fn feed_script_key(feed_id: i64) -> String {
    format!("script.feed.{feed_id}")
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| CoreError::Internal(format!("saving settings ({e})")))
}

impl Library {
    /// The script the reader last chose for this feed, else globally, else the original.
    pub fn script_preference(&self, feed_id: Option<i64>) -> Result<ScriptChoice> {
        if let Some(id) = feed_id
            && let Some(v) = self.store().setting(&feed_script_key(id))?
        {
            return Ok(ScriptChoice::parse(&v).unwrap_or_default());
        }
        Ok(self
            .store()
            .setting(GLOBAL_SCRIPT)?
            .and_then(|v| ScriptChoice::parse(&v))
            .unwrap_or_default())
    }

    /// Remembers a script choice: as the global default, and for the feed when given.
    pub fn set_script_preference(
        &mut self,
        feed_id: Option<i64>,
        choice: ScriptChoice,
    ) -> Result<()> {
        self.store_mut().set_setting(GLOBAL_SCRIPT, choice.name())?;
        if let Some(id) = feed_id {
            self.store_mut()
                .set_setting(&feed_script_key(id), choice.name())?;
        }
        Ok(())
    }

    /// A piece of UI state saved by the app (JSON text), if any.
    pub fn ui_state(&self, key: &str) -> Result<Option<String>> {
        self.store().setting(&format!("ui.{key}"))
    }

    /// Saves a piece of UI state (at most 64 KiB).
    pub fn set_ui_state(&mut self, key: &str, value: &str) -> Result<()> {
        if value.len() > MAX_UI_STATE || key.len() > 128 {
            return Err(CoreError::InvalidInput("UI state too large".into()));
        }
        self.store_mut().set_setting(&format!("ui.{key}"), value)
    }

    /// The refresh settings (defaults when never set).
    pub fn feed_settings(&self) -> Result<FeedSettings> {
        Ok(self
            .store()
            .setting(FEED_SETTINGS)?
            .and_then(|v| serde_json::from_str(&v).ok())
            .unwrap_or_default())
    }

    /// Saves the refresh settings, after checking every value's range (nothing is saved when
    /// one is out of range).
    pub fn set_feed_settings(&mut self, settings: &FeedSettings) -> Result<()> {
        settings.validate()?;
        let json = to_json(settings)?;
        self.store_mut().set_setting(FEED_SETTINGS, &json)
    }

    /// The reader's translation defaults.
    pub fn translation_settings(&self) -> Result<TranslationSettings> {
        Ok(self
            .store()
            .setting(TRANSLATION_SETTINGS)?
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default())
    }

    /// Saves the reader's translation defaults.
    pub fn set_translation_settings(&mut self, settings: &TranslationSettings) -> Result<()> {
        record_target(&settings.target)?;
        if let Some(p) = &settings.provider {
            crate::usecases::providers::known_provider(p)?;
        }
        let json = to_json(settings)?;
        self.store_mut().set_setting(TRANSLATION_SETTINGS, &json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_choice_is_remembered_per_feed_and_globally() {
        let mut lib = Library::open_in_memory().unwrap();
        assert_eq!(lib.script_preference(None).unwrap(), ScriptChoice::Original);
        lib.set_script_preference(Some(7), ScriptChoice::Hans)
            .unwrap();
        assert_eq!(lib.script_preference(Some(7)).unwrap(), ScriptChoice::Hans);
        assert_eq!(
            lib.script_preference(None).unwrap(),
            ScriptChoice::Hans,
            "the last choice is the new default"
        );
        lib.set_script_preference(None, ScriptChoice::Tw).unwrap();
        assert_eq!(
            lib.script_preference(Some(7)).unwrap(),
            ScriptChoice::Hans,
            "a feed keeps its own choice"
        );
        assert_eq!(
            lib.script_preference(Some(8)).unwrap(),
            ScriptChoice::Tw,
            "other feeds follow the default"
        );
    }
}
