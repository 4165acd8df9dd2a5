//! `dz define`, `dz annotate`, `dz vocab`, and readings in `dz show`: the dictionary and the
//! vocabulary as a script sees them.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::{dz, fails_with, json, seed};

#[test]
fn define_finds_a_word_in_either_script_with_every_reading() {
    let dir = tempfile::tempdir().unwrap();
    let trad = json(&dz(dir.path(), &["define", "銀行", "--json"]));
    assert_eq!(trad, json(&dz(dir.path(), &["define", "银行", "--json"])));
    let first = &trad[0];
    assert_eq!(first["traditional"], "銀行");
    assert_eq!(first["simplified"], "银行");
    assert_eq!(first["pinyin"], "yín háng", "tone marks, syllables spaced");
    assert_eq!(first["zhuyin"], "ㄧㄣˊ ㄏㄤˊ");
    assert!(
        first["definitions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d == "bank"),
        "{first}"
    );
    let keys: Vec<_> = first.as_object().unwrap().keys().cloned().collect();
    assert_eq!(
        keys.len(),
        5,
        "exactly the documented fields, nothing internal: {keys:?}"
    );
    let chang = json(&dz(dir.path(), &["define", "长"]));
    let readings: Vec<_> = chang
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pinyin"].as_str().unwrap().to_string())
        .collect();
    assert!(
        readings.contains(&"cháng".to_string()) && readings.contains(&"zhǎng".to_string()),
        "a polyphone lists each reading: {readings:?}"
    );
    assert_eq!(
        json(&dz(dir.path(), &["define", "xyzzy"])),
        serde_json::json!([])
    );
}

#[test]
fn annotate_reads_stdin_and_gives_readings_by_word() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dz"))
        .args(["annotate", "--reading", "pinyin", "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all("他在银行工作 (OK)".as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let tokens = json(&out);
    let pairs: Vec<(String, Option<String>)> = tokens
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["text"].as_str().unwrap().to_string(),
                t["reading"].as_str().map(str::to_string),
            )
        })
        .collect();
    let text: String = pairs.iter().map(|p| p.0.as_str()).collect();
    assert_eq!(text, "他在银行工作 (OK)", "the pieces give back the input");
    assert!(pairs.contains(&("银行".into(), Some("yín háng".into()))));
    assert!(pairs.contains(&(" (OK)".into(), None)), "{pairs:?}");
}

#[test]
fn annotate_reads_a_file_in_zhuyin_and_refuses_an_unknown_reading() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("t.txt");
    std::fs::write(&file, "长城").unwrap();
    let f = file.to_str().unwrap();
    let tokens = json(&dz(dir.path(), &["annotate", f, "--reading", "zhuyin"]));
    assert_eq!(
        tokens,
        serde_json::json!([{"text": "长城", "reading": "ㄔㄤˊ ㄔㄥˊ"}])
    );
    fails_with(
        &dz(dir.path(), &["annotate", f, "--reading", "ipa"]),
        "reading",
    );
    fails_with(
        &dz(dir.path(), &["annotate", f, "--reading", "off"]),
        "pinyin or zhuyin",
    );
}

#[test]
fn vocabulary_is_saved_listed_exported_and_removed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let article = json(&dz(d, &["import", seed().to_str().unwrap()]))["id"]
        .as_i64()
        .unwrap()
        .to_string();
    let un = json(&dz(d, &["vocab", "add", "聯合國", "--article", &article]));
    assert_eq!(un["simplified"], "联合国");
    assert!(
        un["sentence"].as_str().unwrap().contains("聯合國"),
        "the sentence comes from the article: {un}"
    );
    let own = json(&dz(
        d,
        &["vocab", "add", "长大", "--sentence", "他在台北长大。"],
    ));
    assert_eq!(own["pinyin"], "zhǎng dà");
    assert_eq!(own["article_id"], serde_json::Value::Null);
    fails_with(&dz(d, &["vocab", "add", "xyzzy"]), "not in the dictionary");

    let all = json(&dz(d, &["vocab", "list", "--json"]));
    assert_eq!(all.as_array().unwrap().len(), 2);
    let found = json(&dz(d, &["vocab", "list", "--search", "United Nations"]));
    assert_eq!(found.as_array().unwrap().len(), 1);
    assert_eq!(found[0]["traditional"], "聯合國");

    let anki = d.join("words.txt");
    let out = dz(
        d,
        &[
            "vocab",
            "export",
            "--format",
            "anki",
            "-o",
            anki.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&anki).unwrap();
    assert!(text.starts_with("#separator:tab\n"), "{text}");
    assert!(text.contains("長大\t长大\tzhǎng dà\t"), "{text}");
    let csv = d.join("words.csv");
    assert!(
        dz(
            d,
            &[
                "vocab",
                "export",
                "--format",
                "csv",
                "-o",
                csv.to_str().unwrap()
            ]
        )
        .status
        .success()
    );
    assert!(
        std::fs::read_to_string(&csv)
            .unwrap()
            .starts_with("traditional,simplified,")
    );
    fails_with(
        &dz(d, &["vocab", "export", "--format", "pdf", "-o", "x"]),
        "anki or csv",
    );

    let id = own["id"].as_i64().unwrap().to_string();
    assert!(dz(d, &["vocab", "remove", &id]).status.success());
    fails_with(&dz(d, &["vocab", "remove", &id]), "no vocabulary word");
    assert_eq!(
        json(&dz(d, &["vocab", "list"])).as_array().unwrap().len(),
        1
    );
}

#[test]
fn show_puts_readings_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let id = json(&dz(d, &["import", seed().to_str().unwrap()]))["id"]
        .as_i64()
        .unwrap()
        .to_string();
    let plain = json(&dz(d, &["show", &id, "--json"]));
    assert!(!plain.to_string().contains("<ruby>"));
    let with = json(&dz(d, &["show", &id, "--reading", "pinyin"]));
    assert!(
        with["blocks"][2]["html"]
            .as_str()
            .unwrap()
            .contains("<ruby>")
    );
    assert_eq!(with["reading"], "pinyin");
}
