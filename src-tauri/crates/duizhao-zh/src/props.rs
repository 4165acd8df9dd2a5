//! Property tests of the converter over generated text (issue 11): valid UTF-8 in gives valid
//! UTF-8 out with no panic for every config, t2s is idempotent on its own output, and a stream
//! cut anywhere converts exactly as the whole text does.
//!
//! Random Unicode almost never meets a dictionary key, so text is built from the dictionaries
//! themselves (keys and values of every table, whole or cut short, so phrases and their
//! overlaps are hit) mixed with arbitrary characters and the inputs the engine treats
//! specially: NUL (OpenCC's segment truncation), ideographic description sequences and CJK
//! compatibility ideographs. In-crate rather than under `tests/` because the stream property
//! needs the chunk size, which the public API fixes at 1 MiB.
//!
//! Each property runs a modest number of cases so CI stays in seconds; `PROPTEST_CASES`
//! overrides it (src-tauri/scripts/fuzz-long.sh runs thousands in release mode).

use std::collections::HashSet;
use std::io::{ErrorKind, Read};
use std::sync::LazyLock;

use proptest::prelude::*;

use crate::dict::{DictId, entries};
use crate::stream::convert_stream_chunked;
use crate::{Config, Converter, ZhError, convert_stream};

/// Cases per property: `PROPTEST_CASES` when set, else `default`. Failures are not persisted
/// to files: each one found becomes a plain regression test instead.
fn config(default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Every key and first value of every embedded dictionary.
static PIECES: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    DictId::ALL
        .iter()
        .flat_map(|id| entries(id.text()))
        .flat_map(|(k, v)| [k, v])
        .collect()
});

/// The phrase keys of t2s's table (a phrase entry overrides its characters' own entries).
static T2S_PHRASES: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| entries(DictId::TsPhrases.text()).map(|(k, _)| k).collect());

/// True when a phrase of t2s's table occurs anywhere in `text`.
fn has_t2s_phrase(text: &str) -> bool {
    let longest = T2S_PHRASES
        .iter()
        .map(|k| k.chars().count())
        .max()
        .unwrap_or(0);
    let starts: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    starts.iter().enumerate().any(|(n, &from)| {
        starts[n + 1..]
            .iter()
            .skip(1)
            .take(longest.saturating_sub(1))
            .any(|&to| T2S_PHRASES.contains(&text[from..to]))
    })
}

/// Characters of t2s's character tables whose conversion t2s changes again: OpenCC 1.4.2 has
/// one such chain (薴 → 苧 → 苎).
static T2S_CHAINS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let t2s = Converter::get(Config::T2s);
    [DictId::TsCharactersExt, DictId::TsCharacters]
        .iter()
        .flat_map(|id| entries(id.text()))
        .flat_map(|(k, v)| [k, v])
        .filter(|c| {
            let once = t2s.convert(c);
            t2s.convert(&once) != once
        })
        .collect()
});

/// One piece of generated text.
fn piece() -> impl Strategy<Value = String> {
    let n = PIECES.len();
    prop_oneof![
        8 => (0..n).prop_map(|i| PIECES[i].to_string()),
        // A phrase cut short: the engine must not match past what is there.
        2 => (0..n, 1..4usize).prop_map(|(i, k)| PIECES[i].chars().take(k).collect()),
        3 => any::<char>().prop_map(String::from),
        2 => prop::sample::select(vec!["\0", "\n", "\r\n", " ", "，", "。", "a", "Z1", "\u{FEFF}", "「」"])
            .prop_map(String::from),
        // An ideographic description sequence (operator + up to three components, maybe short).
        1 => (0x2FF0u32..=0x2FFB, prop::collection::vec(0..n, 0..4)).prop_map(|(op, parts)| {
            let mut s = String::from(char::from_u32(op).unwrap_or('⿰'));
            for i in parts {
                s.extend(PIECES[i].chars().next());
            }
            s
        }),
        1 => (0xF900u32..=0xFAD9).prop_map(|c| char::from_u32(c).map(String::from).unwrap_or_default()),
    ]
}

/// Text made of up to `max` pieces.
fn text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..max).prop_map(|v| v.concat())
}

fn any_config() -> impl Strategy<Value = Config> {
    prop::sample::select(Config::ALL.to_vec())
}

/// A reader handing out its data in the given read sizes, in turn; a size of 0 is an
/// `Interrupted` error (which readers may return at any time and the stream must retry).
struct Trickle<'a> {
    data: &'a [u8],
    sizes: Vec<usize>,
    turn: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let size = self.sizes.get(self.turn % self.sizes.len().max(1)).copied();
        self.turn += 1;
        match size {
            Some(0) => Err(ErrorKind::Interrupted.into()),
            size => {
                let n = size
                    .unwrap_or(usize::MAX)
                    .min(buf.len())
                    .min(self.data.len());
                buf[..n].copy_from_slice(&self.data[..n]);
                self.data = &self.data[n..];
                Ok(n)
            }
        }
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn every_config_converts_any_text(text in text(40), config in any_config()) {
        let converter = Converter::get(config);
        let whole = converter.convert(&text);
        // The public streaming function produces bytes: they must be UTF-8 and the same text.
        let mut streamed = Vec::new();
        let written = convert_stream(config, text.as_bytes(), &mut streamed);
        prop_assert!(matches!(written, Ok(n) if n == streamed.len() as u64), "{written:?}");
        prop_assert_eq!(std::str::from_utf8(&streamed).ok(), Some(whole.as_str()));
        // Appending to a buffer keeps what was there and adds exactly the conversion.
        let mut appended = String::from("前文");
        converter.convert_into(&text, &mut appended);
        prop_assert_eq!(appended.strip_prefix("前文"), Some(whole.as_str()));
    }

    #[test]
    fn text_outside_every_key_passes_through(
        chars in prop::collection::vec(any::<char>(), 0..64),
        config in any_config(),
    ) {
        let converter = Converter::get(config);
        // Characters in no key of the config's tables (nor NUL, nor IDS operators) must come
        // out untouched: readers' non-Chinese text is never altered by a script switch.
        let text: String = chars
            .into_iter()
            .filter(|&c| converter.is_cut_char(u32::from(c)))
            .collect();
        prop_assert_eq!(converter.convert(&text), text);
    }

    /// t2s is not idempotent on its own output in OpenCC 1.4.2, whose output this crate must
    /// match byte for byte: a phrase entry may keep a character the character table simplifies
    /// (畢昇 → 毕昇, whose 昇 becomes 升 on a second pass), a phrase may form across the
    /// matches of the first pass (遲迴覆 → 迟回覆, where 回覆 is a phrase: → 迟回复), and the
    /// character table has one chain (薴 → 苧 → 苎). What holds: where no phrase is involved
    /// (none in the text, none in its conversion) and no chain, one pass is final; and any
    /// text is final after two passes.
    #[test]
    fn t2s_is_idempotent_on_its_own_output(text in text(60)) {
        let t2s = Converter::get(Config::T2s);
        let once = t2s.convert(&text);
        let twice = t2s.convert(&once);
        let chained = T2S_CHAINS.iter().any(|c| text.contains(c));
        if !chained && !has_t2s_phrase(&text) && !has_t2s_phrase(&once) {
            prop_assert_eq!(&twice, &once, "input {:?}", text);
        }
        prop_assert_eq!(t2s.convert(&twice), twice.clone(), "input {:?}", text);
    }

    #[test]
    fn stream_equals_whole_text_for_any_chunking(
        text in text(60),
        config in any_config(),
        chunk in 1..48usize,
        sizes in prop::collection::vec(0..24usize, 1..8),
    ) {
        prop_assume!(sizes.iter().any(|&s| s > 0));
        let whole = Converter::get(config).convert(&text);
        let reader = Trickle { data: text.as_bytes(), sizes, turn: 0 };
        let mut out = Vec::new();
        let r = convert_stream_chunked(config, reader, &mut out, chunk);
        prop_assert!(r.is_ok(), "{r:?}");
        prop_assert_eq!(String::from_utf8_lossy(&out), whole);
    }

    #[test]
    fn stream_stops_at_the_first_invalid_byte(
        text in text(30),
        config in any_config(),
        chunk in 1..48usize,
        at in any::<prop::sample::Index>(),
        bad in prop::sample::select(vec![vec![0xFFu8], vec![0x80], vec![0xC3, 0x28], vec![0xE6, 0xB1], vec![0xF0, 0x9F, 0x98]]),
        truncate in any::<bool>(),
    ) {
        let mut bytes = text.into_bytes();
        let at = at.index(bytes.len() + 1);
        if truncate {
            // A multi-byte character cut off by the end of the input.
            bytes.truncate(at);
            bytes.extend_from_slice(&bad[..1.max(bad.len() - 1)]);
        } else {
            bytes.splice(at..at, bad.iter().copied());
        }
        let Err(e) = std::str::from_utf8(&bytes) else {
            // The inserted bytes completed a character: nothing to check here.
            return Ok(());
        };
        let valid = e.valid_up_to();
        let mut out = Vec::new();
        let r = convert_stream_chunked(config, &bytes[..], &mut out, chunk);
        prop_assert!(
            matches!(r, Err(ZhError::InvalidUtf8 { offset }) if offset == valid as u64),
            "expected invalid UTF-8 at {valid}, got {r:?}"
        );
        // What was written before the error is the start of the valid part's conversion.
        let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
        let whole = Converter::get(config).convert(prefix);
        prop_assert!(whole.as_bytes().starts_with(&out), "wrote {:?}, valid part gives {whole:?}", String::from_utf8_lossy(&out));
    }
}

/// The exceptions of the t2s property, as OpenCC 1.4.2 converts them (the differential test
/// checks the same against OpenCC itself): one character chain, and phrases.
#[test]
fn t2s_exceptions_are_opencc_data() {
    assert_eq!(*T2S_CHAINS, ["薴"], "the character table's only chain");
    let t2s = Converter::get(Config::T2s);
    for (text, once, twice) in [
        ("畢昇", "毕昇", "毕升"),
        ("遲迴覆", "迟回覆", "迟回复"),
        ("薴", "苧", "苎"),
    ] {
        assert_eq!(t2s.convert(text), once);
        assert_eq!(t2s.convert(once), twice);
        assert_eq!(t2s.convert(twice), twice, "final after two passes");
    }
    assert!(has_t2s_phrase("xx畢昇") && has_t2s_phrase("迟回覆") && !has_t2s_phrase("迟回"));
}
