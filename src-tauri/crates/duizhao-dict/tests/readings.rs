//! Reading accuracy on polyphonic characters: the hand-checked sentences in
//! tests/fixtures/polyphones.txt (see the README there), annotated by the dictionary, each marked
//! character's syllable compared with the expected one. Prints the figure for every segmentation
//! strategy and holds the default to a floor.
//!
//! `cargo test -p duizhao-dict --test readings -- --nocapture`

use duizhao_dict::{Dictionary, Reading, Strategy};

/// The accuracy the default strategy must keep (measured 2026-11: see docs/BENCHMARKS.md).
const FLOOR: f64 = 0.95;

struct Mark {
    /// Index of the character in the sentence (in chars).
    at: usize,
    ch: char,
    expected: String,
}

struct Sentence {
    text: String,
    marks: Vec<Mark>,
}

fn fixture(name: &str) -> Vec<Sentence> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let raw = std::fs::read_to_string(&path).expect("the fixture ships with the crate");
    let mut out = Vec::new();
    for line in raw.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut text = String::new();
        let mut marks = Vec::new();
        let mut chars = line.chars();
        let mut count = 0;
        while let Some(c) = chars.next() {
            if c == '{' {
                let expected: String = chars.by_ref().take_while(|&c| c != '}').collect();
                let ch = text.chars().last().expect("a mark follows a character");
                marks.push(Mark {
                    at: count - 1,
                    ch,
                    expected,
                });
            } else {
                text.push(c);
                count += 1;
            }
        }
        out.push(Sentence { text, marks });
    }
    out
}

/// The syllable annotated over each character of `text` (`None` where the token's syllables do
/// not line up with its characters, or it has no reading).
fn syllables(dict: &Dictionary, text: &str, strategy: Strategy) -> Vec<Option<String>> {
    let mut out = Vec::new();
    for token in dict.annotate_with(text, Reading::Pinyin, strategy) {
        let n = token.text.chars().count();
        let syl: Vec<&str> = token
            .reading
            .as_deref()
            .map(|r| r.split(' ').collect())
            .unwrap_or_default();
        if syl.len() == n {
            out.extend(syl.into_iter().map(|s| Some(s.to_owned())));
        } else {
            out.extend(std::iter::repeat_n(None, n));
        }
    }
    out
}

struct Score {
    right: usize,
    total: usize,
    errors: Vec<String>,
}

fn score(dict: &Dictionary, sentences: &[Sentence], strategy: Strategy) -> Score {
    let mut s = Score {
        right: 0,
        total: 0,
        errors: Vec::new(),
    };
    for sentence in sentences {
        let got = syllables(dict, &sentence.text, strategy);
        for m in &sentence.marks {
            s.total += 1;
            let g = got.get(m.at).cloned().flatten();
            if g.as_deref() == Some(m.expected.as_str()) {
                s.right += 1;
            } else {
                s.errors.push(format!(
                    "{} in {}: expected {}, got {}",
                    m.ch,
                    sentence.text,
                    m.expected,
                    g.as_deref().unwrap_or("-")
                ));
            }
        }
    }
    s
}

fn dict() -> &'static Dictionary {
    Dictionary::global().expect("the embedded dictionary loads")
}

/// Scores one fixture with every strategy, prints the figures and checks the default.
fn check(name: &str) {
    let dict = dict();
    let sentences = fixture(name);
    let mut figures = Vec::new();
    for strategy in [Strategy::Forward, Strategy::Backward, Strategy::MinWords] {
        let s = score(dict, &sentences, strategy);
        let acc = s.right as f64 / s.total as f64;
        println!(
            "{name} {strategy:?}: {}/{} polyphone readings right ({:.1}%)",
            s.right,
            s.total,
            acc * 100.0
        );
        if strategy == Strategy::MinWords {
            for e in &s.errors {
                println!("  {e}");
            }
        }
        figures.push((strategy, acc));
    }
    let default = figures
        .iter()
        .find(|(s, _)| *s == Strategy::MinWords)
        .map_or(0.0, |f| f.1);
    assert!(
        default >= FLOOR,
        "{name}: reading accuracy fell to {:.1}% (floor {:.0}%): readings over the text would mislead a learner",
        default * 100.0,
        FLOOR * 100.0
    );
    for (strategy, acc) in &figures {
        assert!(
            default >= *acc,
            "{name}: {strategy:?} reads better ({:.1}%) than the default ({:.1}%): the default should be the best measured",
            acc * 100.0,
            default * 100.0
        );
    }
}

#[test]
fn polyphone_readings_meet_the_floor() {
    check("polyphones.txt");
}

#[test]
fn held_out_polyphone_readings_meet_the_floor() {
    check("polyphones-heldout.txt");
}

#[test]
fn the_test_sets_are_large_and_only_mark_polyphones() {
    for name in ["polyphones.txt", "polyphones-heldout.txt"] {
        check_fixture(name);
    }
}

fn check_fixture(name: &str) {
    let dict = dict();
    let sentences = fixture(name);
    let marks: Vec<&Mark> = sentences.iter().flat_map(|s| &s.marks).collect();
    assert!(
        marks.len() >= 100,
        "the issue asks for at least 100 polyphone occurrences, {name} has {}",
        marks.len()
    );
    let traditional = sentences.iter().filter(|s| s.text.contains('這')).count();
    let simplified = sentences.iter().filter(|s| s.text.contains('这')).count();
    assert!(
        traditional >= 10 && simplified >= 10,
        "{name}: both scripts must be covered ({traditional} traditional, {simplified} simplified)"
    );
    let mut single: Vec<String> = Vec::new();
    for m in marks {
        let mut readings: Vec<String> = dict
            .lookup(&m.ch.to_string())
            .into_iter()
            .map(|e| e.numbered.to_lowercase())
            .filter(|r| !r.contains("xx"))
            .collect();
        readings.sort();
        readings.dedup();
        if readings.len() < 2 {
            single.push(format!("{} {readings:?}", m.ch));
        }
    }
    single.sort();
    single.dedup();
    assert!(
        single.is_empty(),
        "{name}: marked characters the dictionary gives one reading (not polyphones): {single:?}"
    );
}
