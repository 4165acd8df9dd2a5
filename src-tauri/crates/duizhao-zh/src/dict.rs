//! The embedded OpenCC 1.4.2 text dictionaries and their parser.
//!
//! The `.txt` files are compiled into the binary so the crate ships unchanged on every OS with no
//! data directory to find; they are parsed only when a conversion first needs them. Parsing follows
//! OpenCC's `Lexicon::ParseLexiconFromBuffer`: a UTF-8 BOM is skipped, empty lines and lines
//! starting with `#` are ignored, a line is `key<TAB>value[ value...]` and only the first value is
//! ever used for conversion (`DictEntry::GetDefault`).

/// One of OpenCC's text dictionaries (a file in `dict/`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum DictId {
    CjkCompatibilityIdeographs,
    HkPhrases,
    HkPhrasesRev,
    HkVariants,
    HkVariantsPhrases,
    HkVariantsRev,
    HkVariantsRevPhrases,
    JpShinjitaiCharacters,
    JpShinjitaiCharactersRev,
    JpShinjitaiPhrases,
    StCharacters,
    StPhrases,
    StPhrasesGeneratedFromRegionalPhrases,
    TsCharacters,
    TsCharactersExt,
    TsPhrases,
    TwPhrases,
    TwPhrasesRev,
    TwVariants,
    TwVariantsPhrases,
    TwVariantsRev,
    TwVariantsRevPhrases,
}

macro_rules! dict_files {
    ($($id:ident => $file:literal,)*) => {
        impl DictId {
            /// Every dictionary, in file-name order.
            #[cfg(test)]
            pub(crate) const ALL: &'static [DictId] = &[$(DictId::$id,)*];

            /// The dictionary's file name as OpenCC's configs spell it.
            #[cfg(test)]
            pub(crate) fn file_name(self) -> &'static str {
                match self {
                    $(DictId::$id => $file,)*
                }
            }

            /// The dictionary's embedded text.
            pub(crate) fn text(self) -> &'static str {
                match self {
                    $(DictId::$id => include_str!(concat!("../dict/", $file)),)*
                }
            }
        }
    };
}

dict_files! {
    CjkCompatibilityIdeographs => "CJK_Compatibility_Ideographs.txt",
    HkPhrases => "HKPhrases.txt",
    HkPhrasesRev => "HKPhrasesRev.txt",
    HkVariants => "HKVariants.txt",
    HkVariantsPhrases => "HKVariantsPhrases.txt",
    HkVariantsRev => "HKVariantsRev.txt",
    HkVariantsRevPhrases => "HKVariantsRevPhrases.txt",
    JpShinjitaiCharacters => "JPShinjitaiCharacters.txt",
    JpShinjitaiCharactersRev => "JPShinjitaiCharactersRev.txt",
    JpShinjitaiPhrases => "JPShinjitaiPhrases.txt",
    StCharacters => "STCharacters.txt",
    StPhrases => "STPhrases.txt",
    StPhrasesGeneratedFromRegionalPhrases => "STPhrases_GeneratedFromRegionalPhrases.txt",
    TsCharacters => "TSCharacters.txt",
    TsCharactersExt => "TSCharactersExt.txt",
    TsPhrases => "TSPhrases.txt",
    TwPhrases => "TWPhrases.txt",
    TwPhrasesRev => "TWPhrasesRev.txt",
    TwVariants => "TWVariants.txt",
    TwVariantsPhrases => "TWVariantsPhrases.txt",
    TwVariantsRev => "TWVariantsRev.txt",
    TwVariantsRevPhrases => "TWVariantsRevPhrases.txt",
}

/// The `(key, first value)` entries of a dictionary text, in file order.
///
/// Lines without a tab are skipped (OpenCC rejects such a file; ours never have one).
pub(crate) fn entries(text: &str) -> impl Iterator<Item = (&str, &str)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.split('\n').filter_map(|line| {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() || line.starts_with('#') {
            return None;
        }
        let (key, values) = line.split_once('\t')?;
        let first = values.split(' ').next().unwrap_or(values);
        Some((key, first))
    })
}

/// The `(key, all values)` entries of a dictionary text, for the script tables.
pub(crate) fn entries_all(text: &str) -> impl Iterator<Item = (&str, std::str::Split<'_, char>)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.split('\n').filter_map(|line| {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() || line.starts_with('#') {
            return None;
        }
        let (key, values) = line.split_once('\t')?;
        Some((key, values.split(' ')))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dictionary_parses_with_unique_keys() {
        for &id in DictId::ALL {
            let mut keys: Vec<&str> = entries(id.text()).map(|(k, _)| k).collect();
            assert!(!keys.is_empty(), "{} is empty", id.file_name());
            let n = keys.len();
            keys.sort_unstable();
            keys.dedup();
            assert_eq!(n, keys.len(), "{} has duplicate keys", id.file_name());
        }
    }

    #[test]
    fn first_value_is_used() {
        let text = "# comment\n\n干\t幹 乾 干\n后\t後\r\n";
        let got: Vec<_> = entries(text).collect();
        assert_eq!(got, vec![("干", "幹"), ("后", "後")]);
    }
}
