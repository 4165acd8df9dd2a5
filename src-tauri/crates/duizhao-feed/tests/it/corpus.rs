//! Every substantive file of the feed corpus decodes and parses without a panic or a hang.

use duizhao_feed::{decode, parse_feed};

use crate::common::{corpus_dir, read_corpus};

#[test]
fn substantive_corpus_parses() {
    let list = std::fs::read_to_string(corpus_dir().join("substantive.txt"))
        .expect("substantive.txt is readable");
    let paths: Vec<&str> = list
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(paths.len(), 336, "the corpus lists 336 substantive files");
    let mut ok = 0usize;
    let mut failures = Vec::new();
    for rel in &paths {
        let bytes = read_corpus(rel);
        let result = decode(&bytes, None, None)
            .map_err(|e| e.to_string())
            .and_then(|d| parse_feed(&d.text, None).map_err(|e| e.to_string()));
        match result {
            Ok(_) => ok += 1,
            Err(e) => failures.push(format!("{rel}: {e}")),
        }
    }
    println!("corpus: {ok}/{} parsed", paths.len());
    for f in &failures {
        println!("  failed: {f}");
    }
    assert!(
        ok >= 327,
        "only {ok} of {} parsed; failures:\n{}",
        paths.len(),
        failures.join("\n")
    );
}
