//! How the reader asks to see an article: Chinese script, layout, target language, and the
//! same choices for exports. Each choice parses from its command-line name (`FromStr`), so
//! `dz` and the app share one spelling.

use std::str::FromStr;

use duizhao_zh::Config;
use serde::{Deserialize, Serialize};

/// The script a reader wants Chinese text shown in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum ScriptChoice {
    /// As published (原文).
    #[default]
    Original,
    /// Simplified, mainland (简).
    Hans,
    /// Traditional, OpenCC standard (繁).
    Hant,
    /// Traditional, Taiwan characters and phrases (臺).
    Tw,
    /// Traditional, Hong Kong characters (港).
    Hk,
}

impl ScriptChoice {
    /// Every choice, in the order the toolbar shows them.
    pub const ALL: [ScriptChoice; 5] = [
        ScriptChoice::Original,
        ScriptChoice::Hans,
        ScriptChoice::Hant,
        ScriptChoice::Tw,
        ScriptChoice::Hk,
    ];

    /// The stored / command-line name.
    pub fn name(self) -> &'static str {
        match self {
            ScriptChoice::Original => "original",
            ScriptChoice::Hans => "hans",
            ScriptChoice::Hant => "hant",
            ScriptChoice::Tw => "tw",
            ScriptChoice::Hk => "hk",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.name() == s)
    }

    /// The choice an OpenCC config leads to (`t2s` → Simplified, `s2twp` → Taiwan, …), so
    /// `--script` takes config names too; `None` for configs that are not about Chinese
    /// scripts of this list (Japanese).
    pub fn from_config_name(name: &str) -> Option<Self> {
        Some(match name {
            "t2s" | "tw2s" | "tw2sp" | "hk2s" | "hk2sp" => ScriptChoice::Hans,
            "s2t" | "tw2t" | "hk2t" => ScriptChoice::Hant,
            "s2tw" | "s2twp" | "t2tw" => ScriptChoice::Tw,
            "s2hk" | "t2hk" | "s2hkp" => ScriptChoice::Hk,
            _ => return None,
        })
    }

    /// The OpenCC config turning text in `from` (a BCP-47 tag) into this choice; `None` when
    /// the text is not Chinese or already in the wanted script.
    pub fn config_from(self, from: Option<&str>) -> Option<Config> {
        let from = from?;
        let traditional = from.starts_with("zh-Hant");
        let simplified = from.starts_with("zh-Hans") || from == "zh";
        if !traditional && !simplified {
            return None;
        }
        Some(match (self, traditional) {
            (ScriptChoice::Original, _) => return None,
            (ScriptChoice::Hans, true) => Config::T2s,
            (ScriptChoice::Hans, false) => return None,
            (ScriptChoice::Hant, true) => return None,
            (ScriptChoice::Hant, false) => Config::S2t,
            (ScriptChoice::Tw, true) => Config::T2tw,
            (ScriptChoice::Tw, false) => Config::S2twp,
            (ScriptChoice::Hk, true) => Config::T2hk,
            (ScriptChoice::Hk, false) => Config::S2hk,
        })
    }

    /// The BCP-47 tag of text shown in this choice.
    pub fn lang_tag(self) -> Option<&'static str> {
        match self {
            ScriptChoice::Original => None,
            ScriptChoice::Hans => Some("zh-Hans"),
            ScriptChoice::Hant => Some("zh-Hant"),
            ScriptChoice::Tw => Some("zh-Hant-TW"),
            ScriptChoice::Hk => Some("zh-Hant-HK"),
        }
    }
}

/// How original and translation are laid out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ViewMode {
    /// Two columns, one row per block: original | translation.
    #[default]
    Columns,
    /// The translation under each block.
    Interleaved,
    /// The original only.
    Original,
    /// The translation only (original where there is none).
    Translation,
}

/// How to present an article.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ViewOptions {
    /// The script for Chinese text (original and translation alike).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<ScriptChoice>", optional))]
    pub script: ScriptChoice,
    /// An explicit OpenCC config applied to every Chinese block instead of `script`
    /// (`dz show --script s2twp`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(type = "string | null", optional))]
    pub config: Option<Config>,
    /// Attach stored translations into this language (BCP-47, e.g. `en`, `zh-Hans`); they are
    /// converted to `script` like the original.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub to: Option<String>,
    /// Readings over Chinese text (original and Chinese translations), as `<ruby>` in the
    /// blocks' HTML; `None` = the article's feed default (off for articles without a feed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub reading: Option<crate::model::ReadingChoice>,
}

/// Export file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    /// One self-contained HTML file (images as data: URIs).
    Html,
    /// Markdown.
    Md,
    /// EPUB 3 with `xml:lang` on every block.
    Epub,
}

/// How to export an article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ExportOptions {
    /// The file format.
    pub format: ExportFormat,
    /// Include translations into this language (BCP-47), when stored.
    #[serde(default)]
    pub to: Option<String>,
    /// Chinese script for original and translation.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<ScriptChoice>", optional))]
    pub script: ScriptChoice,
    /// Layout of original and translation.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<ViewMode>", optional))]
    pub mode: ViewMode,
}

/// A name that is not one of a choice's values; says which values there are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} `{got}` ({expected})")]
pub struct UnknownChoice {
    /// What was being chosen (`script`, `mode`, `export format`).
    pub what: &'static str,
    /// What was given.
    pub got: String,
    /// The accepted values, for the message.
    pub expected: &'static str,
}

impl FromStr for ScriptChoice {
    type Err = UnknownChoice;

    /// A choice name (`original`, `hans`, `hant`, `tw`, `hk`) or an OpenCC config name that
    /// leads to one (`t2s`, `s2twp`, …), any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().to_ascii_lowercase();
        ScriptChoice::parse(&s)
            .or_else(|| ScriptChoice::from_config_name(&s))
            .ok_or(UnknownChoice {
                what: "script",
                got: s,
                expected: "original, hans, hant, tw, hk or an OpenCC config",
            })
    }
}

impl ViewMode {
    /// Every mode, in the order the toolbar shows them.
    pub const ALL: [ViewMode; 4] = [
        ViewMode::Columns,
        ViewMode::Interleaved,
        ViewMode::Original,
        ViewMode::Translation,
    ];

    /// The command-line and JSON name.
    pub fn name(self) -> &'static str {
        match self {
            ViewMode::Columns => "columns",
            ViewMode::Interleaved => "interleaved",
            ViewMode::Original => "original",
            ViewMode::Translation => "translation",
        }
    }
}

/// The choice of `all` whose `name` is `s` (trimmed, any case), or the error naming `what`
/// was chosen and the `expected` values.
pub(crate) fn parse_named<T: Copy>(
    s: &str,
    all: &[T],
    name: fn(T) -> &'static str,
    what: &'static str,
    expected: &'static str,
) -> Result<T, UnknownChoice> {
    let s = s.trim().to_ascii_lowercase();
    all.iter()
        .copied()
        .find(|&c| name(c) == s)
        .ok_or(UnknownChoice {
            what,
            got: s,
            expected,
        })
}

impl FromStr for ViewMode {
    type Err = UnknownChoice;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_named(
            s,
            &Self::ALL,
            Self::name,
            "mode",
            "columns, interleaved, original or translation",
        )
    }
}

impl ExportFormat {
    /// Every format.
    pub const ALL: [ExportFormat; 3] = [ExportFormat::Html, ExportFormat::Md, ExportFormat::Epub];

    /// The command-line and JSON name (also the file extension).
    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::Html => "html",
            ExportFormat::Md => "md",
            ExportFormat::Epub => "epub",
        }
    }
}

impl FromStr for ExportFormat {
    type Err = UnknownChoice;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_named(
            s,
            &Self::ALL,
            Self::name,
            "export format",
            "html, md or epub",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_parse_from_their_names_in_any_case() {
        assert_eq!("HANS".parse::<ScriptChoice>(), Ok(ScriptChoice::Hans));
        assert_eq!("s2twp".parse::<ScriptChoice>(), Ok(ScriptChoice::Tw));
        assert_eq!("Interleaved".parse::<ViewMode>(), Ok(ViewMode::Interleaved));
        assert_eq!("epub".parse::<ExportFormat>(), Ok(ExportFormat::Epub));
        let err = "pdf".parse::<ExportFormat>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown export format `pdf` (html, md or epub)",
            "the message names the accepted values, so the user can fix the call"
        );
        for m in ViewMode::ALL {
            assert_eq!(
                serde_json::to_value(m).unwrap(),
                serde_json::Value::String(m.name().into()),
                "the command-line name is the JSON name"
            );
        }
        for f in ExportFormat::ALL {
            assert_eq!(
                serde_json::to_value(f).unwrap(),
                serde_json::Value::String(f.name().into())
            );
        }
    }
}
