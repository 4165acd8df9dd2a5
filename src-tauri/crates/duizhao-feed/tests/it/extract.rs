//! Article extraction on Mozilla Readability's 23 test pages: token F1 against the expected
//! article text, averaged, must be at least 0.9.

use std::collections::HashMap;

use duizhao_feed::text::html_to_text;
use duizhao_feed::{ExtractError, extract_article, html_depth_ok};

use crate::common::{read_text, readability_dir};

/// Lower-cased tokens: runs of letters/digits, and each CJK character on its own.
fn tokens(text: &str) -> HashMap<String, usize> {
    let mut out: HashMap<String, usize> = HashMap::new();
    let mut word = String::new();
    let is_cjk = |c: char| matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF);
    let flush = |w: &mut String, out: &mut HashMap<String, usize>| {
        if !w.is_empty() {
            *out.entry(std::mem::take(w)).or_insert(0) += 1;
        }
    };
    for c in text.chars() {
        if is_cjk(c) {
            flush(&mut word, &mut out);
            *out.entry(c.to_string()).or_insert(0) += 1;
        } else if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else {
            flush(&mut word, &mut out);
        }
    }
    flush(&mut word, &mut out);
    out
}

fn f1(got: &str, want: &str) -> f64 {
    let (g, w) = (tokens(got), tokens(want));
    let common: usize = g
        .iter()
        .map(|(t, n)| (*n).min(*w.get(t).unwrap_or(&0)))
        .sum();
    let (gn, wn): (usize, usize) = (g.values().sum(), w.values().sum());
    if gn == 0 || wn == 0 || common == 0 {
        return 0.0;
    }
    let p = common as f64 / gn as f64;
    let r = common as f64 / wn as f64;
    2.0 * p * r / (p + r)
}

#[test]
fn readability_pages_f1() {
    let mut names: Vec<String> = std::fs::read_dir(readability_dir())
        .expect("readability pages")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 23);
    let mut total = 0.0;
    for name in &names {
        let dir = readability_dir().join(name);
        let source = read_text(&dir.join("source.html"));
        let expected = read_text(&dir.join("expected.html"));
        let score = match extract_article(&source, "http://fakehost/test/page.html") {
            Ok(page) => {
                assert!(!page.plain_text_fallback, "{name}");
                assert!(page.text_len > 0, "{name}");
                f1(&html_to_text(&page.content_html), &html_to_text(&expected))
            }
            Err(e) => {
                println!("  {name}: {e}");
                0.0
            }
        };
        println!("  {name}: F1 {score:.3}");
        total += score;
    }
    let avg = total / names.len() as f64;
    println!(
        "readability pages: average token F1 {avg:.3} over {}",
        names.len()
    );
    assert!(avg >= 0.9, "average F1 {avg:.3}");
}

#[test]
fn metadata_and_links() {
    let dir = readability_dir().join("base-url-base-element-relative");
    let source = read_text(&dir.join("source.html"));
    let page = extract_article(&source, "http://fakehost/test/page.html").expect("page");
    assert!(
        page.content_html.contains("http://fakehost/"),
        "links resolved: {}",
        page.content_html
    );
    let read = |name: &str| {
        let source = read_text(&readability_dir().join(name).join("source.html"));
        extract_article(&source, "http://fakehost/test/page.html").expect("page")
    };
    let nyt = read("nytimes-1");
    assert!(nyt.title.contains("Sudan"), "{}", nyt.title);
    assert!(nyt.byline.is_some());
    // expected-metadata.json: 2015-07-24T05:36:09+01:00 and 2021-11-01T10:52:50+0100.
    assert_eq!(read("bbc-1").published, Some(1_437_712_569_000));
    assert_eq!(read("aktualne").published, Some(1_635_760_370_000));
    assert_eq!(read("heise").lang.as_deref(), Some("de"));
}

#[test]
fn guards() {
    let huge = "a".repeat(6 * 1024 * 1024);
    assert!(matches!(
        extract_article(&huge, "https://ex.com/"),
        Err(ExtractError::TooLarge { .. })
    ));
    assert!(matches!(
        extract_article("<p>x</p>", "relative/url"),
        Err(ExtractError::BadUrl(_))
    ));
    // 30,000 nested divs: refused by the scanner before html5ever sees them.
    let deep = format!("<html><body>{}text</body></html>", "<div>".repeat(30_000));
    assert!(!html_depth_ok(&deep, 512));
    let page = extract_article(&deep, "https://ex.com/").expect("plain text");
    assert!(page.plain_text_fallback);
    assert_eq!(page.content_html, "<p>text</p>\n");
}
