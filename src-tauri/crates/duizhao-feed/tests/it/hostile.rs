//! Hostile documents: each returns (a result or a clear error) instead of hanging, exploding
//! in memory or panicking. No timing assertion: returning at all is the test.

use duizhao_feed::{ParseError, ParseOptions, decode, parse_feed, parse_feed_with};

use crate::common::read_corpus;

fn decode_parse(rel: &str) -> Result<duizhao_feed::ParsedFeed, ParseError> {
    let bytes = read_corpus(rel);
    let d = decode(&bytes, None, None).expect("hostile files are text");
    parse_feed(&d.text, None)
}

#[test]
fn billion_laughs_is_not_expanded() {
    match decode_parse("generated/hostile/billion_laughs.xml") {
        Ok(f) => {
            // Entities are not expanded: nothing near 10^9 "lol"s.
            assert!(f.title.len() < 10_000, "title of {} bytes", f.title.len());
            for i in &f.items {
                assert!(i.summary_html.as_ref().is_none_or(|s| s.len() < 10_000));
            }
        }
        Err(e) => assert!(matches!(e, ParseError::Invalid(_)), "{e:?}"),
    }
}

#[test]
fn xxe_does_not_read_files() {
    match decode_parse("generated/hostile/xxe_file.xml") {
        Ok(f) => {
            for i in &f.items {
                assert!(!i.title.contains("root:"), "external entity was resolved");
                assert!(!i.summary_html.clone().unwrap_or_default().contains("root:"));
            }
        }
        Err(e) => assert!(matches!(e, ParseError::Invalid(_)), "{e:?}"),
    }
}

#[test]
fn deep_nesting_is_refused() {
    for rel in [
        "generated/hostile/deep_nesting_200k.xml.gz",
        "generated/hostile/deep_nesting_atom_xhtml_200k.xml.gz",
    ] {
        let err = decode_parse(rel).expect_err(rel);
        assert_eq!(err, ParseError::TooDeep { limit: 512 }, "{rel}");
    }
}

#[test]
fn many_attributes_return() {
    let result = decode_parse("generated/hostile/many_attributes.xml.gz");
    match result {
        Ok(f) => assert_eq!(f.title, "attrs"),
        Err(e) => assert!(matches!(e, ParseError::Invalid(_)), "{e:?}"),
    }
}

#[test]
fn size_limit_is_enforced() {
    let text = format!(
        "<rss version=\"2.0\"><channel><title>{}</title></channel></rss>",
        "x".repeat(2000)
    );
    let opts = ParseOptions {
        max_bytes: 1000,
        ..ParseOptions::default()
    };
    let err = parse_feed_with(&text, None, &opts).expect_err("too large");
    assert!(matches!(err, ParseError::TooLarge { limit: 1000, .. }));
    let deep_json = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(matches!(
        parse_feed(&deep_json, None),
        Err(ParseError::TooDeep { .. })
    ));
}

#[test]
fn garbage_never_panics() {
    let samples: Vec<Vec<u8>> = vec![
        b"".to_vec(),
        b"<".to_vec(),
        b"<rss".to_vec(),
        b"<rss version=\"2.0\"><channel><item><title>".to_vec(),
        b"{\"version\":\"https://jsonfeed.org/version/1\",\"items\":[{}]}".to_vec(),
        b"{\"items\": 5}".to_vec(),
        b"<?xml version=\"1.0\" encoding=\"utf-16\"?><rss/>".to_vec(),
        vec![0xFE, 0xFF, 0x00, 0x3C, 0x00, 0x72, 0xD8, 0x00],
        vec![
            0xFF, 0xFE, 0x00, 0x00, 0x3C, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x7F,
        ],
        "<feed><entry><link href=\"::::\"/><title type=\"xhtml\"><div>"
            .as_bytes()
            .to_vec(),
    ];
    for s in samples {
        if let Ok(d) = decode(&s, Some("x-unknown"), Some("not a url")) {
            let _ = parse_feed(&d.text, Some("also not a url"));
        }
    }
}
