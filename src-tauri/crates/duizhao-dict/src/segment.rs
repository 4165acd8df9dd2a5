//! Word segmentation over the dictionary. Chinese is written without spaces, and a character's
//! reading depends on the word it belongs to (银行 háng, 行走 xíng), so readings and look-ups
//! start by cutting the text into dictionary words.
//!
//! The text is split into runs of Han characters and runs of everything else. A Han run is cut
//! into the sequence of dictionary words with the fewest words, ties going to the one with the
//! fewest single characters, then to the longer first word ([`Strategy::MinWords`]); on the
//! polyphone test set this reads better than forward or backward maximum matching (figures in
//! docs/BENCHMARKS.md, "Chinese readings"). Every candidate word starting at a position comes from
//! one walk of the headword FST, so the cost is linear in the text times the longest match.

use crate::store::Store;

/// How a run of Han characters is cut into words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strategy {
    /// Longest dictionary word from the left, repeatedly (forward maximum matching).
    Forward,
    /// Longest dictionary word from the right, repeatedly (backward maximum matching).
    Backward,
    /// Fewest words, then fewest single characters, then the longer first word (the default).
    MinWords,
}

/// One piece of text: a dictionary word (`Some(word)`) or a run without one (`None`).
pub(crate) type Piece<'t> = (&'t str, Option<u32>);

/// Whether `c` is a Han character (CJK unified or compatibility ideograph, or 〇).
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3007
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF
        | 0x20000..=0x323AF)
}

/// Cuts `text` into pieces that concatenate back to it exactly.
pub(crate) fn segment<'t>(store: &Store, text: &'t str, strategy: Strategy) -> Vec<Piece<'t>> {
    let mut out = Vec::with_capacity(text.len() / 4 + 1);
    let mut run_start = 0;
    let mut run_han: Option<bool> = None;
    for (i, c) in text.char_indices() {
        let han = is_han(c);
        if run_han.is_some_and(|h| h != han) {
            push_run(
                store,
                &text[run_start..i],
                run_han == Some(true),
                strategy,
                &mut out,
            );
            run_start = i;
        }
        run_han = Some(han);
    }
    if run_start < text.len() {
        push_run(
            store,
            &text[run_start..],
            run_han == Some(true),
            strategy,
            &mut out,
        );
    }
    out
}

/// Han runs longer than this many characters are cut into pieces of this size first, which bounds
/// the segmenter's working memory on hostile input (real text has punctuation far more often;
/// a word across a cut is the only cost).
const MAX_RUN: usize = 4096;

fn push_run<'t>(
    store: &Store,
    run: &'t str,
    han: bool,
    strategy: Strategy,
    out: &mut Vec<Piece<'t>>,
) {
    if !han {
        out.push((run, None));
        return;
    }
    let mut rest = run;
    while !rest.is_empty() {
        let cut = rest
            .char_indices()
            .nth(MAX_RUN)
            .map_or(rest.len(), |(i, _)| i);
        let (chunk, tail) = rest.split_at(cut);
        push_han(store, chunk, strategy, out);
        rest = tail;
    }
}

fn push_han<'t>(store: &Store, run: &'t str, strategy: Strategy, out: &mut Vec<Piece<'t>>) {
    // Byte offset of each character, and the run's end.
    let offsets: Vec<usize> = run
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(run.len()))
        .collect();
    let n = offsets.len() - 1;
    // Every dictionary word in the run: (start char, end char, word), by start, then shortest
    // first.
    let mut matches: Vec<(usize, usize, u32)> = Vec::with_capacity(n * 3);
    for (i, &at) in offsets[..n].iter().enumerate() {
        store.prefixes(&run[at..], |chars, word| matches.push((i, i + chars, word)));
    }
    let cut = match strategy {
        Strategy::Forward => forward(n, &matches),
        Strategy::Backward => backward(n, &matches),
        Strategy::MinWords => min_words(n, &matches),
    };
    for (i, j, word) in cut {
        out.push((&run[offsets[i]..offsets[j]], word));
    }
}

type Cut = Vec<(usize, usize, Option<u32>)>;

/// The longest match starting at each position (`None`: no word starts there).
fn longest_from(n: usize, matches: &[(usize, usize, u32)]) -> Vec<Option<(usize, u32)>> {
    let mut best = vec![None; n];
    for &(i, j, w) in matches {
        if best[i].is_none_or(|(bj, _)| j > bj) {
            best[i] = Some((j, w));
        }
    }
    best
}

fn forward(n: usize, matches: &[(usize, usize, u32)]) -> Cut {
    let best = longest_from(n, matches);
    let mut cut = Vec::new();
    let mut i = 0;
    while i < n {
        match best[i] {
            Some((j, w)) => {
                cut.push((i, j, Some(w)));
                i = j;
            }
            None => {
                cut.push((i, i + 1, None));
                i += 1;
            }
        }
    }
    cut
}

fn backward(n: usize, matches: &[(usize, usize, u32)]) -> Cut {
    // The longest match ending at each position.
    let mut best: Vec<Option<(usize, u32)>> = vec![None; n + 1];
    for &(i, j, w) in matches {
        if best[j].is_none_or(|(bi, _)| i < bi) {
            best[j] = Some((i, w));
        }
    }
    let mut cut = Vec::new();
    let mut j = n;
    while j > 0 {
        match best[j] {
            Some((i, w)) => {
                cut.push((i, j, Some(w)));
                j = i;
            }
            None => {
                cut.push((j - 1, j, None));
                j -= 1;
            }
        }
    }
    cut.reverse();
    cut
}

fn min_words(n: usize, matches: &[(usize, usize, u32)]) -> Cut {
    // best[i]: (words, single characters) of the best cut of i..n, and its first piece.
    #[derive(Clone, Copy)]
    struct Best {
        cost: (u32, u32),
        end: usize,
        word: Option<u32>,
    }
    let mut best = vec![
        Best {
            cost: (0, 0),
            end: n,
            word: None
        };
        n + 1
    ];
    // Where each start's matches begin in `matches` (sorted by start, shortest first).
    let mut from = vec![0usize; n + 1];
    for &(i, _, _) in matches {
        from[i + 1] += 1;
    }
    for i in 0..n {
        from[i + 1] += from[i];
    }
    for i in (0..n).rev() {
        let mut pick: Option<Best> = None;
        // Longest first, so that a tie keeps the longer word.
        for &(_, j, w) in matches[from[i]..from[i + 1]].iter().rev() {
            let rest = best[j].cost;
            let cost = (rest.0 + 1, rest.1 + u32::from(j == i + 1));
            if pick.is_none_or(|p| cost < p.cost) {
                pick = Some(Best {
                    cost,
                    end: j,
                    word: Some(w),
                });
            }
        }
        // No word starts here: the character stands alone, without a reading.
        let after = best[i + 1].cost;
        best[i] = pick.unwrap_or(Best {
            cost: (after.0 + 1, after.1 + 1),
            end: i + 1,
            word: None,
        });
    }
    let mut cut = Vec::new();
    let mut i = 0;
    while i < n {
        let b = best[i];
        cut.push((i, b.end, b.word));
        i = b.end;
    }
    cut
}
