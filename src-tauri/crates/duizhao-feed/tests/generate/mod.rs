//! Generators shared by the property tests of duizhao-feed (`tests/props.rs`) and
//! duizhao-core (`tests/props.rs`, which includes this file by path): the case count and the
//! arbitrary Unicode both feed parsing and the core's ingest are tested with.

// Each test binary uses its own subset of these.
#![allow(dead_code)]

use proptest::prelude::*;

/// Cases per property: `PROPTEST_CASES / slowdown` when that is set, else `default`. Slow
/// properties (a Readability parse or an SQLite library per case) pass a slowdown of 10, the
/// others their own cost ratio, so a long run stays balanced. Failures are not persisted to
/// files: each one found becomes a plain regression test next to the code it broke.
pub fn config(default: u32, slowdown: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse::<u32>().ok())
        .map_or(default, |n| (n / slowdown).max(1));
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Any character, weighted towards what real feeds and pages are full of (CJK, kana, accents,
/// ASCII) and what markup and URLs treat specially.
pub fn unicode_char() -> impl Strategy<Value = char> {
    let special = vec![
        '<', '>', '&', '"', '\'', '=', ';', '#', '/', '\\', '?', '%', ':', '\t', '\n', '\r', '\0',
        '\u{A0}', '\u{FEFF}', '\u{200B}', '\u{2028}', '\u{3000}',
    ];
    prop_oneof![
        3 => any::<char>(),
        3 => prop::char::range('\u{4E00}', '\u{9FFF}'),
        1 => prop::char::range('\u{00A0}', '\u{024F}'),
        1 => prop::char::range('\u{3000}', '\u{30FF}'),
        2 => prop::char::range(' ', '~'),
        1 => prop::sample::select(special),
    ]
}

/// Up to `max` characters of [`unicode_char`].
pub fn unicode(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(unicode_char(), 0..max).prop_map(String::from_iter)
}

/// A word of `len` letters (Latin, accented, Cyrillic or CJK): prose, with nothing markup or
/// Markdown would read.
pub fn word(len: std::ops::Range<usize>) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            prop::char::range('a', 'z'),
            prop::char::range('À', 'ÿ').prop_filter("letter", |c| c.is_alphabetic()),
            prop::char::range('а', 'я'),
            prop::char::range('\u{4E00}', '\u{9FA5}'),
        ],
        len,
    )
    .prop_map(String::from_iter)
}

/// Escapes text for HTML or XML content and double-quoted attributes.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
