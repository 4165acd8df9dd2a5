//! Char-boundary safety of the text this crate cuts: provider replies (Edge's entity decoder),
//! glossary matching and substitution, and language detection's sample, under arbitrary
//! Unicode. No panic; text out is UTF-8. `PROPTEST_CASES` raises the case count for long runs.

use duizhao_translate::providers::edge;
use duizhao_translate::*;
use proptest::prelude::*;

use crate::{fast, fixture, job, provider, run};

fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Text mixing entity syntax with multi-byte characters.
fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            2 => prop::sample::select(&[
                "&", ";", "&amp;", "&lt;", "&#", "&#x", "&#20013;", "中", "文", "é", "😀",
                " ", "\u{301}", "ß", "İ",
            ][..])
            .prop_map(str::to_string),
            1 => any::<String>(),
        ],
        0..32,
    )
    .prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(512)))]

    #[test]
    fn edge_entities_round_trip(s in text()) {
        // What Edge's aligner gets back is what was sent, whatever the text.
        prop_assert_eq!(edge::unescape(&edge::escape(&s)), s.clone());
        let _ = edge::unescape(&s);
    }

    #[test]
    fn glossary_matching_and_substitution(s in text(), src in text(), dst in text()) {
        let term = GlossaryTerm::new(src.clone(), dst);
        let terms = [term];
        let found = glossary::terms_in(&terms, &s, "zh-Hans");
        let (out, applied) = glossary::protect(&s, &found);
        prop_assert!(applied.len() <= 1);
        if applied.is_empty() {
            prop_assert_eq!(out, s.clone());
        }
        let _ = glossary::missing(&s, &applied);
    }
}

proptest! {
    // lingua is slow per call: fewer cases.
    #![proptest_config(ProptestConfig::with_cases(cases(128) / 4))]

    #[test]
    fn detection_samples_on_a_boundary(s in text(), n in 1990usize..2010) {
        // The detector judges the first 2,000 characters: put multi-byte ones at the cut.
        let long = format!("{}{s}", "中".repeat(n));
        let _ = lang::detect(&long);
        let _ = lang::detect(&s);
    }
}

#[test]
fn an_entity_window_ending_inside_a_character_does_not_panic() {
    // The entity decoder looked for `;` in the first 12 bytes by slicing the text there; with
    // `&` followed by CJK, byte 12 falls inside a character.
    assert_eq!(edge::unescape("&中文中文"), "&中文中文");
    assert_eq!(edge::unescape("&amp;中文中文"), "&中文中文");
}

#[tokio::test]
async fn an_edge_reply_with_an_ampersand_before_chinese_is_translated() {
    let f = fixture::edge().await;
    let engine = Engine::with_options(vec![provider("edge", &f.url, None)], fast());
    let out = run(
        &engine,
        &job(vec![Segment::new("b1", "R&D 中文中文")], "es"),
    )
    .await;
    let seg = out.0.expect("translated").segments;
    assert!(seg[0].text.contains("R&D 中文中文"), "{:?}", seg[0].text);
    let out = run(&engine, &job(vec![Segment::new("b1", "&中文中文")], "es")).await;
    assert!(out.0.is_ok(), "the reply `&amp;中文中文` decodes: {out:?}");
}
