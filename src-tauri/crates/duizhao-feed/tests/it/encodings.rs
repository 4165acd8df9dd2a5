//! Legacy encodings come out right: declared, undeclared and mislabelled.

use duizhao_feed::{ParsedFeed, decode, parse_feed};

use crate::common::{corpus_dir, read_corpus};

fn decode_and_parse(rel: &str, http_charset: Option<&str>) -> (ParsedFeed, &'static str) {
    let bytes = read_corpus(rel);
    let d = decode(&bytes, http_charset, None).unwrap_or_else(|e| panic!("{rel}: decode: {e}"));
    let f = parse_feed(&d.text, None).unwrap_or_else(|e| panic!("{rel}: parse: {e}"));
    (f, d.encoding)
}

/// The generated feeds: each must read exactly like its UTF-8 original in
/// `generated/utf8-reference/` (channel title, and every item title and summary too).
#[test]
fn generated_feeds_match_utf8_reference() {
    let cases = [
        ("rss2_big5_declared.xml", "big5", "Big5"),
        ("rss2_big5_undeclared.xml", "big5", "Big5"),
        ("rss2_gb2312_declared.xml", "gb2312", "GBK"),
        ("rss2_gbk_declared.xml", "gbk", "GBK"),
        ("rss2_gbk_undeclared.xml", "gbk", "GBK"),
        ("rss2_gbk_mislabeled_as_utf8.xml", "gbk", "GBK"),
        ("rss2_shift_jis_declared.xml", "sjis", "Shift_JIS"),
        ("rss2_shift_jis_undeclared.xml", "sjis", "Shift_JIS"),
        (
            "rss2_windows1252_declared.xml",
            "windows1252",
            "windows-1252",
        ),
        ("rss2_utf16le_bom.xml", "gbk", "UTF-16LE"),
        ("rss2_utf16be_bom.xml", "gbk", "UTF-16BE"),
    ];
    for (file, reference, encoding) in cases {
        let (got, enc) = decode_and_parse(&format!("generated/{file}"), None);
        let (want, ref_enc) = decode_and_parse(
            &format!("generated/utf8-reference/{reference}.utf8.xml"),
            None,
        );
        assert_eq!(ref_enc, "UTF-8");
        assert_eq!(enc, encoding, "{file}: encoding");
        assert!(!want.title.is_empty());
        assert_eq!(got.title, want.title, "{file}: channel title");
        assert_eq!(got.items.len(), want.items.len(), "{file}: item count");
        for (g, w) in got.items.iter().zip(&want.items) {
            assert_eq!(g.title, w.title, "{file}: item title");
            assert_eq!(g.summary_html, w.summary_html, "{file}: item summary");
        }
    }
    // The Atom files have no UTF-8 twin; their titles (checked with iconv) are:
    for (file, title) in [
        ("atom10_big5_declared.xml", "繁體中文標題"),
        ("atom10_gbk_declared.xml", "简体中文标题"),
    ] {
        let (got, _) = decode_and_parse(&format!("generated/{file}"), None);
        assert_eq!(got.title, title, "{file}");
        assert!(got.items.iter().all(|i| !i.title.contains('\u{FFFD}')));
    }
}

/// A URL's top-level domain steers detection of undeclared text.
#[test]
fn tld_hint_is_used() {
    let bytes = read_corpus("generated/rss2_big5_undeclared.xml");
    let d = decode(&bytes, None, Some("https://news.example.com.tw/rss")).expect("decodes");
    assert_eq!(d.encoding, "Big5");
}

/// The encoding an `Expect:` line of a feedparser test names, as encoding_rs calls it.
fn expected_encoding(expect: &str) -> Option<&'static str> {
    let rest = &expect[expect.find("encoding == '")? + "encoding == '".len()..];
    let label = &rest[..rest.find('\'')?];
    Some(match label.to_ascii_lowercase().as_str() {
        "utf-32le" => "UTF-32LE",
        "utf-32be" => "UTF-32BE",
        "utf-16le" => "UTF-16LE",
        "utf-16be" => "UTF-16BE",
        "tis-620" => "windows-874",
        l => encoding_rs::Encoding::for_label(l.as_bytes())?.name(),
    })
}

/// Undoes Python string-literal escapes (`\uXXXX`, `\xNN`, `\\`, `\'`).
fn py_unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                out.extend(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32));
            }
            Some('x') => {
                let hex: String = chars.by_ref().take(2).collect();
                out.extend(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32));
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// A literal expected for `entries[0]['description']` / `feed['title']`, if the line has one.
fn expected_literal<'a>(expect: &'a str, field: &str) -> Option<&'a str> {
    let rest = &expect[expect.find(field)? + field.len()..];
    let rest = rest
        .trim_start()
        .strip_prefix("==")?
        .trim_start()
        .strip_prefix('\'')?;
    Some(&rest[..rest.rfind('\'')?])
}

/// feedparser's encoding cases and the undeclared `illformed/chardet` ones: wherever the
/// `Expect:` line names an encoding or a literal text we can check, we match it. The HTTP
/// charset comes from the test's `Header:` line, as feedparser's test server sends it.
#[test]
fn feedparser_encoding_cases() {
    let mut dirs = Vec::new();
    for dir in ["feedparser/encoding", "feedparser/illformed/chardet"] {
        let mut names: Vec<String> = std::fs::read_dir(corpus_dir().join(dir))
            .expect("dir")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".xml"))
            .collect();
        names.sort();
        dirs.extend(names.into_iter().map(|n| format!("{dir}/{n}")));
    }
    let (mut enc_checked, mut text_checked) = (0, 0);
    let mut failures = Vec::new();
    for rel in &dirs {
        let bytes = read_corpus(rel);
        let header_charset = String::from_utf8_lossy(&bytes)
            .lines()
            .find(|l| l.trim_start().starts_with("Header:") && l.contains("charset="))
            .and_then(|l| l.split("charset=").nth(1))
            .map(|c| c.trim().trim_matches(['\'', '"']).to_string());
        let Ok(d) = decode(&bytes, header_charset.as_deref(), None) else {
            failures.push(format!("{rel}: does not decode"));
            continue;
        };
        let Some(expect) = d.text.lines().find(|l| l.contains("Expect:")) else {
            continue;
        };
        let expect = expect.trim();
        let bozo = expect.contains("Expect:")
            && expect
                .split("Expect:")
                .nth(1)
                .is_some_and(|e| e.trim().starts_with("bozo"));
        // text/xml without charset is us-ascii by RFC 3023; no reader does that today.
        let rfc3023_default = header_charset.is_none() && expect.contains("'us-ascii'");
        if let Some(want) = expected_encoding(expect)
            && !rfc3023_default
            // Bozo cases expect feedparser's own complaint; only chardet/ names an encoding.
            && (!bozo || rel.contains("chardet"))
        {
            enc_checked += 1;
            // encoding_rs decodes GBK with the gb18030 decoder; chardetng reports KOI8-R as
            // KOI8-U, its superset (same Cyrillic letters).
            let same = d.encoding == want
                || (matches!(d.encoding, "GBK" | "gb18030") && matches!(want, "GBK" | "gb18030"))
                || (d.encoding == "KOI8-U" && want == "KOI8-R");
            if !same {
                failures.push(format!("{rel}: encoding {} (want {want})", d.encoding));
            }
        }
        if bozo {
            continue;
        }
        if rel.ends_with("demoronize-3.xml") {
            // `&amp;#146;`: an HTML character reference inside the body; the HTML parser of
            // the sanitizer maps it (HTML5 maps &#146; to U+2019), not the feed parser.
            continue;
        }
        let parsed = parse_feed(&d.text, None);
        for (field, get) in [("entries[0]['description']", 0), ("feed['title']", 1)] {
            let Some(lit) = expected_literal(expect, field) else {
                continue;
            };
            let want = py_unescape(lit);
            let got = match &parsed {
                Ok(f) if get == 0 => f.items.first().and_then(|i| i.summary_html.clone()),
                Ok(f) => Some(f.title.clone()),
                Err(_) => None,
            };
            text_checked += 1;
            if got.as_deref() != Some(want.as_str()) {
                failures.push(format!("{rel}: {field} = {got:?} (want {want:?})"));
            }
        }
        if let Err(e) = parsed
            && !expect.contains("Expect:      1")
        {
            failures.push(format!("{rel}: parse: {e}"));
        }
    }
    println!("feedparser encodings: {enc_checked} encodings and {text_checked} texts checked");
    assert!(
        enc_checked >= 40 && text_checked >= 5,
        "{enc_checked} / {text_checked}"
    );
    assert!(failures.is_empty(), "failures:\n{}", failures.join("\n"));
}
