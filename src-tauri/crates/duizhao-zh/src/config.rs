//! The 16 OpenCC configs by name, and each one's plan (normalization, segmentation, chain).
//!
//! The plans are hard-coded from OpenCC 1.4.2's `data/config/*.json` (copied to `dict/config/`)
//! rather than parsed at run time: there are only 16, and a unit test checks every plan against
//! its JSON file so the two cannot drift.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::ZhError;
use crate::dict::DictId;

/// An OpenCC conversion config (`s2t.json` … `hk2sp.json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Config {
    /// Simplified → Traditional (OpenCC standard).
    S2t,
    /// Traditional (OpenCC standard) → Simplified.
    T2s,
    /// Simplified → Traditional, Taiwan standard characters.
    S2tw,
    /// Traditional (Taiwan standard) → Simplified.
    Tw2s,
    /// Simplified → Traditional, Hong Kong standard characters.
    S2hk,
    /// Traditional (Hong Kong standard) → Simplified.
    Hk2s,
    /// Simplified → Traditional, Taiwan characters and Taiwan phrases.
    S2twp,
    /// Traditional (Taiwan, with phrases) → Simplified, mainland phrases.
    Tw2sp,
    /// Traditional (OpenCC standard) → Taiwan standard characters.
    T2tw,
    /// Taiwan standard characters → Traditional (OpenCC standard).
    Tw2t,
    /// Traditional (OpenCC standard) → Hong Kong standard characters.
    T2hk,
    /// Hong Kong standard characters → Traditional (OpenCC standard).
    Hk2t,
    /// Traditional (kyūjitai) → Japanese shinjitai.
    T2jp,
    /// Japanese shinjitai → Traditional (kyūjitai).
    Jp2t,
    /// Simplified → Traditional, Hong Kong characters and Hong Kong phrases.
    S2hkp,
    /// Traditional (Hong Kong, with phrases) → Simplified, mainland phrases.
    Hk2sp,
}

impl Config {
    /// Every config, in OpenCC's documentation order.
    pub const ALL: [Config; 16] = [
        Config::S2t,
        Config::T2s,
        Config::S2tw,
        Config::Tw2s,
        Config::S2hk,
        Config::Hk2s,
        Config::S2twp,
        Config::Tw2sp,
        Config::T2tw,
        Config::Tw2t,
        Config::T2hk,
        Config::Hk2t,
        Config::T2jp,
        Config::Jp2t,
        Config::S2hkp,
        Config::Hk2sp,
    ];

    /// The config's OpenCC name without `.json` ("s2t", "tw2sp", …).
    pub fn name(&self) -> &'static str {
        match self {
            Config::S2t => "s2t",
            Config::T2s => "t2s",
            Config::S2tw => "s2tw",
            Config::Tw2s => "tw2s",
            Config::S2hk => "s2hk",
            Config::Hk2s => "hk2s",
            Config::S2twp => "s2twp",
            Config::Tw2sp => "tw2sp",
            Config::T2tw => "t2tw",
            Config::Tw2t => "tw2t",
            Config::T2hk => "t2hk",
            Config::Hk2t => "hk2t",
            Config::T2jp => "t2jp",
            Config::Jp2t => "jp2t",
            Config::S2hkp => "s2hkp",
            Config::Hk2sp => "hk2sp",
        }
    }

    /// The index of this config in [`Config::ALL`].
    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// The config's plan: segmentation table (matched at rank 0 only) and conversion chain.
    pub(crate) fn plan(self) -> Plan {
        use TableId::*;
        let (seg, chain): (Option<TableId>, &'static [TableId]) = match self {
            Config::S2t => (None, &[St]),
            Config::T2s => (None, &[Ts]),
            Config::S2tw => (Some(St), &[St, Tw]),
            Config::Tw2s => (Some(TsSeg), &[TwRev, Ts]),
            Config::S2hk => (Some(St), &[St, Hk]),
            Config::Hk2s => (Some(TsSeg), &[HkRev, Ts]),
            Config::S2twp => (Some(St), &[St, Twp]),
            Config::Tw2sp => (Some(TsSeg), &[TwpRev, Ts]),
            Config::T2tw => (None, &[Tw]),
            Config::Tw2t => (None, &[TwRev]),
            Config::T2hk => (None, &[Hk]),
            Config::Hk2t => (None, &[HkRev]),
            Config::T2jp => (None, &[T2jp]),
            Config::Jp2t => (None, &[Jp2t]),
            Config::S2hkp => (Some(St), &[St, Hkp]),
            Config::Hk2sp => (Some(TsSeg), &[HkpRev, Ts]),
        };
        Plan { seg, chain }
    }
}

/// What a config does after normalization (which is `CJK_Compatibility_Ideographs` for all 16).
pub(crate) struct Plan {
    /// mmseg segmentation with the rank-0 dictionaries of this table (`None`: no segmentation).
    /// When it is the chain's first table, segmentation and that step run fused.
    pub(crate) seg: Option<TableId>,
    /// The conversion chain, applied to each segment in order.
    pub(crate) chain: &'static [TableId],
}

/// A distinct compiled step, shared between the configs that use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TableId {
    Norm,
    St,
    Ts,
    /// `TSPhrases` alone, for segmentation: a sparse first level skips most characters at once.
    TsSeg,
    Tw,
    Twp,
    TwRev,
    TwpRev,
    Hk,
    Hkp,
    HkRev,
    HkpRev,
    T2jp,
    Jp2t,
}

impl TableId {
    /// Number of distinct tables.
    pub(crate) const COUNT: usize = 14;

    /// The short-circuit ranks of this step, each a union of dictionaries.
    pub(crate) fn ranks(self) -> &'static [&'static [DictId]] {
        use DictId::*;
        match self {
            TableId::Norm => &[&[CjkCompatibilityIdeographs]],
            TableId::St => &[
                &[StPhrases, StPhrasesGeneratedFromRegionalPhrases],
                &[StCharacters],
            ],
            TableId::Ts => &[&[TsPhrases], &[TsCharactersExt], &[TsCharacters]],
            TableId::TsSeg => &[&[TsPhrases]],
            TableId::Tw => &[&[TwVariantsPhrases], &[TwVariants]],
            TableId::Twp => &[&[TwPhrases], &[TwVariantsPhrases], &[TwVariants]],
            TableId::TwRev => &[&[TwVariantsRevPhrases], &[TwVariantsRev]],
            TableId::TwpRev => &[&[TwPhrasesRev], &[TwVariantsRevPhrases], &[TwVariantsRev]],
            TableId::Hk => &[&[HkVariantsPhrases], &[HkVariants]],
            TableId::Hkp => &[&[HkPhrases], &[HkVariantsPhrases], &[HkVariants]],
            TableId::HkRev => &[&[HkVariantsRevPhrases], &[HkVariantsRev]],
            TableId::HkpRev => &[&[HkPhrasesRev], &[HkVariantsRevPhrases], &[HkVariantsRev]],
            TableId::T2jp => &[&[JpShinjitaiCharactersRev]],
            TableId::Jp2t => &[&[JpShinjitaiPhrases], &[JpShinjitaiCharacters]],
        }
    }
}

impl fmt::Display for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Config {
    type Err = ZhError;

    fn from_str(s: &str) -> Result<Config, ZhError> {
        let name = s.strip_suffix(".json").unwrap_or(s);
        Config::ALL
            .iter()
            .copied()
            .find(|c| c.name() == name)
            .ok_or_else(|| ZhError::UnknownConfig {
                name: s.to_string(),
            })
    }
}

/// The valid config names joined by ", " (for error messages).
pub(crate) fn valid_names() -> String {
    Config::ALL.map(|c| c.name()).join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_display_round_trip() {
        for c in Config::ALL {
            assert_eq!(c.name().parse::<Config>().ok(), Some(c));
            assert_eq!(format!("{c}.json").parse::<Config>().ok(), Some(c));
            assert_eq!(c.to_string(), c.name());
            assert_eq!(Config::ALL[c.index()], c);
        }
        let err = "s2x".parse::<Config>().unwrap_err().to_string();
        assert!(
            err.contains("s2x") && err.contains("s2t") && err.contains("hk2sp"),
            "{err}"
        );
        assert!("".parse::<Config>().is_err());
        assert!("S2T".parse::<Config>().is_err());
    }

    #[test]
    fn serde_uses_lowercase_names() {
        assert_eq!(
            serde_json::to_string(&Config::S2twp).ok().as_deref(),
            Some("\"s2twp\"")
        );
        let c: Config = serde_json::from_str("\"hk2sp\"").unwrap_or(Config::S2t);
        assert_eq!(c, Config::Hk2sp);
    }

    /// Renders a config JSON's dict tree in the hard-coded plan's shape: short-circuit ranks of
    /// union members.
    fn ranks_of(v: &serde_json::Value) -> Vec<Vec<String>> {
        let file = |v: &serde_json::Value| v["file"].as_str().unwrap_or("?").to_string();
        let union = |v: &serde_json::Value| -> Vec<String> {
            if v["type"] == "text" {
                vec![file(v)]
            } else {
                assert_eq!(v["match_policy"], "union", "{v}");
                v["dicts"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .map(|d| {
                                assert_eq!(d["type"], "text");
                                file(d)
                            })
                            .collect()
                    })
                    .unwrap_or_default()
            }
        };
        if v["type"] == "group" && v["match_policy"] != "union" {
            assert_eq!(v["match_policy"], "short_circuit", "{v}");
            v["dicts"]
                .as_array()
                .map(|a| a.iter().map(union).collect())
                .unwrap_or_default()
        } else {
            vec![union(v)]
        }
    }

    fn ranks_of_table(t: TableId) -> Vec<Vec<String>> {
        t.ranks()
            .iter()
            .map(|r| r.iter().map(|d| d.file_name().to_string()).collect())
            .collect()
    }

    #[test]
    fn plans_match_opencc_config_json() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/dict/config");
        for c in Config::ALL {
            let path = format!("{dir}/{}.json", c.name());
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
            let json: serde_json::Value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
            let plan = c.plan();
            let norm = json["normalization"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            assert_eq!(norm.len(), 1, "{path}");
            assert_eq!(ranks_of(&norm[0]["dict"]), ranks_of_table(TableId::Norm));
            match plan.seg {
                None => assert!(json.get("segmentation").is_none(), "{path}"),
                Some(t) => {
                    assert_eq!(json["segmentation"]["type"], "mmseg");
                    let seg = ranks_of(&json["segmentation"]["dict"]);
                    assert_eq!(seg.len(), 1, "{path}");
                    assert_eq!(seg[0], ranks_of_table(t)[0], "{path}: segmentation");
                }
            }
            let chain = json["conversion_chain"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            assert_eq!(chain.len(), plan.chain.len(), "{path}");
            for (step, &t) in chain.iter().zip(plan.chain) {
                assert_eq!(ranks_of(&step["dict"]), ranks_of_table(t), "{path}");
            }
        }
    }
}
