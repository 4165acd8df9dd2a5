//! `dz convert`, `dz detect` and `dz show --script`.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::{dz, fails_with, json, seed};

fn dz_stdin(args: &[&str], input: &[u8]) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dz"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    // Written from a thread so a large input cannot deadlock against a full stdout pipe.
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    out
}

#[test]
fn convert_reads_stdin_and_writes_opencc_output() {
    let out = dz_stdin(&["convert", "--config", "s2twp"], "鼠标和软件\n".as_bytes());
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "滑鼠和軟體\n");
}

#[test]
fn convert_reads_a_file() {
    let out = Command::new(env!("CARGO_BIN_EXE_dz"))
        .args(["convert", "--config", "t2s"])
        .arg(seed())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("[王毅见俄外长：推动全球治理更「公平合理」]"),
        "{}",
        &text[..200]
    );
    assert!(
        text.contains("https://www.dw.com/zh/%E7%8E%8B"),
        "URLs are ASCII and pass through"
    );
}

#[test]
fn convert_refuses_invalid_utf8_with_one_line() {
    let out = dz_stdin(&["convert", "--config", "t2s"], b"abc\xff\xfe");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not valid UTF-8 at byte offset 3"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1);
}

#[test]
fn convert_rejects_an_unknown_config() {
    let out = dz_stdin(&["convert", "--config", "x2y"], b"");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("valid configs: s2t, t2s"));
}

#[test]
fn detect_tells_the_chinese_scripts_apart() {
    let j = |s: &str| {
        let out = dz_stdin(&["detect"], s.as_bytes());
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    assert_eq!(j("中國外交部長王毅近期行程滿檔")["lang"], "zh-Hant");
    assert_eq!(j("中国外交部长王毅近期行程满档")["lang"], "zh-Hans");
    let d = j("これは日本語の文章です");
    assert_eq!(d["lang"], "ja");
    assert!(d["confidence"].as_f64().unwrap() > 0.5);
}

#[test]
fn detect_tells_the_offered_languages_apart() {
    // The same function ingest tags articles with (lingua for Latin and Cyrillic text): a
    // new user's first check of the detector must not answer "und-Latn".
    for (want, text) in [
        (
            "en",
            "The government announced new measures on Tuesday to curb inflation.",
        ),
        (
            "fr",
            "Le gouvernement a annoncé mardi de nouvelles mesures contre l'inflation.",
        ),
        (
            "de",
            "Die Regierung hat am Dienstag neue Maßnahmen gegen die Inflation angekündigt.",
        ),
        (
            "es",
            "El gobierno anunció el martes nuevas medidas para frenar la inflación.",
        ),
        (
            "it",
            "Il governo ha annunciato martedì nuove misure per frenare l'inflazione.",
        ),
        (
            "pt",
            "O governo anunciou na terça-feira novas medidas para conter a inflação.",
        ),
        (
            "ru",
            "Правительство во вторник объявило о новых мерах по сдерживанию инфляции.",
        ),
        (
            "ko",
            "정부는 화요일 물가를 잡기 위한 새로운 대책을 발표했다.",
        ),
    ] {
        let out = dz_stdin(&["detect"], text.as_bytes());
        let d: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(d["lang"], want, "{text}: {d}");
        let confidence = d["confidence"].as_f64().unwrap();
        assert!(confidence > 0.5 && confidence <= 1.0, "{text}: {d}");
        assert_eq!(
            d.as_object().unwrap().len(),
            2,
            "exactly lang and confidence: {d}"
        );
    }
    let none: serde_json::Value =
        serde_json::from_slice(&dz_stdin(&["detect"], b"2024 - 12:30 !!").stdout).unwrap();
    assert_eq!(none["lang"], "und", "no letters, no language");
}

#[test]
fn detect_reads_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = json(&dz(dir.path(), &["detect", seed().to_str().unwrap()]));
    assert_eq!(d["lang"], "zh-Hant");
    let fr = dir.path().join("fr.txt");
    std::fs::write(
        &fr,
        "Elle a passé presque toute sa vie dans cette petite ville côtière.",
    )
    .unwrap();
    let d = json(&dz(dir.path(), &["detect", fr.to_str().unwrap()]));
    assert_eq!(d["lang"], "fr");
}

#[test]
fn show_converts_text_but_never_urls() {
    let dir = tempfile::tempdir().unwrap();
    json(&dz(dir.path(), &["import", seed().to_str().unwrap()]));
    let orig = json(&dz(dir.path(), &["show", "1", "--json"]));
    let simp = json(&dz(dir.path(), &["show", "1", "--json", "--script", "t2s"]));
    assert_eq!(simp["title"], "王毅见俄外长：推动全球治理更「公平合理」");
    assert_eq!(simp["url"], orig["url"]);
    let p = simp["blocks"][2]["text"].as_str().unwrap();
    assert!(
        p.starts_with("（德国之声中文网）中国外交部长王毅近期行程满档"),
        "{p}"
    );
    assert_eq!(
        simp["blocks"][0]["src"], orig["blocks"][0]["src"],
        "image URLs untouched"
    );
    assert!(
        simp["blocks"][2]["html"]
            .as_str()
            .unwrap()
            .contains(r#"href="https://api.dw.com/api/detail/article/66839927""#)
    );
    fails_with(
        &dz(dir.path(), &["show", "1", "--json", "--script", "nope"]),
        "unknown OpenCC config",
    );
}
