//! Char-boundary safety: every function that cuts text from outside by byte index gets
//! arbitrary Unicode mixed with the markup its scanners look for (tags, attributes, entities,
//! prologs), so multi-byte characters land right next to, and inside, every cut. The property
//! is: no panic, and text out is UTF-8 (a `String` guarantees it; what is checked is that it
//! was produced at all). Cases are few enough for CI; `PROPTEST_CASES=100000` runs them long.

use duizhao_feed::text::{
    collapse_whitespace, escape_html, html_to_text, resolve_url, truncate_text,
};
use duizhao_feed::{
    ParseOptions, decode, discover_feed_links, extract_article, html_depth_ok, parse_feed,
    parse_feed_with, parse_opml, unwrap_proxy_url,
};
use proptest::prelude::*;

/// Pieces the scanners cut at, and characters of 2, 3 and 4 bytes to land beside the cuts.
const PIECES: &[&str] = &[
    "<",
    ">",
    "</",
    "/>",
    "<!--",
    "-->",
    "<!",
    "<?",
    "?>",
    "<![CDATA[",
    "]]>",
    "=",
    "\"",
    "'",
    " ",
    "\n",
    "&",
    ";",
    "&amp;",
    "&#",
    "&#x",
    "<rss",
    "<rss version=\"0.94\"",
    "<channel>",
    "</channel>",
    "<item>",
    "</item>",
    "</rss>",
    "<title>",
    "</title>",
    "<feed>",
    "<entry>",
    "<html>",
    "<head>",
    "<body>",
    "<p>",
    "<div>",
    "</div>",
    "<script>",
    "</script>",
    "<style>",
    "<link rel=\"alternate\" type=\"application/rss+xml\" href=\"",
    "<base href=",
    "<meta charset=",
    "<?xml version=\"1.0\" encoding=\"",
    "encoding=",
    "<img src=\"",
    "<outline text=\"",
    "xmlUrl=\"",
    "<opml>",
    "<body>",
    "{",
    "}",
    "[",
    "]",
    "é",
    "中",
    "文",
    "😀",
    "\u{FEFF}",
    "\u{85}",
    "\u{92}",
    "\u{2028}",
    "\u{0301}",
    "\u{FFFD}",
    "ß",
];

/// `PROPTEST_CASES` when set (long runs), else `default` (CI).
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Text made of scanner pieces and arbitrary Unicode.
fn markup() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => prop::sample::select(PIECES).prop_map(str::to_string),
            1 => any::<String>(),
            1 => "\\PC{0,6}",
        ],
        0..48,
    )
    .prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(256)))]

    #[test]
    fn titles_and_text_helpers(s in markup()) {
        let t = html_to_text(&s);
        prop_assert_eq!(t.trim(), t.as_str(), "trimmed");
        let _ = collapse_whitespace(&s);
        // Escaped text comes back as itself: the entity decoder and the tag stripper agree
        // with the escaper on every character.
        prop_assert_eq!(html_to_text(&escape_html(&s)), collapse_whitespace(&s));
        let _ = resolve_url(url::Url::parse("https://ex.com/a/").ok().as_ref(), &s);
        let _ = unwrap_proxy_url(&s);
        let _ = unwrap_proxy_url(&format!("https://images.weserv.nl/?url={s}"));
        let _ = unwrap_proxy_url(&format!("https://i0.wp.com/{s}"));
    }

    #[test]
    fn truncation_cuts_on_a_boundary(s in markup(), max in 0usize..64) {
        let mut t = s.clone();
        truncate_text(&mut t, max);
        prop_assert!(t.len() <= max, "{} > {max}", t.len());
        if s.len() <= max {
            prop_assert_eq!(&t, &s, "short text is kept whole");
        } else {
            prop_assert!(s.starts_with(t.trim_end_matches('…')), "a prefix of the text");
        }
    }

    #[test]
    fn feeds_and_discovery(s in markup()) {
        let _ = parse_feed(&s, Some("https://ex.com/feed.xml"));
        // The item cap cuts the document by hand before the parsers see it.
        let tight = ParseOptions { max_items: 1, max_title_bytes: 5, ..ParseOptions::default() };
        if let Ok(f) = parse_feed_with(&format!("<rss><item>{s}</item><item>{s}</item></rss>"), None, &tight) {
            prop_assert!(f.items.len() <= 1);
            prop_assert!(f.items.iter().all(|i| i.title.len() <= 5));
        }
        let _ = parse_feed_with(&format!("{{\"items\":[{{\"title\":\"{s}\"}},{{}}]}}"), None, &tight);
        let _ = parse_feed(&format!("<rss>{s}</rss>"), None);
        let _ = parse_feed(&format!("<rss version=\"{s}\"><item><title>{s}</title></item></rss>"), None);
        for link in discover_feed_links(&s, Some("https://ex.com/")) {
            prop_assert!(!link.is_empty());
        }
        let _ = parse_opml(&s);
        let _ = html_depth_ok(&s, 8);
    }

    #[test]
    fn decoding(s in markup(), charset in prop::option::of("\\PC{0,12}")) {
        for bytes in [
            s.as_bytes().to_vec(),
            format!("<?xml version=\"1.0\" encoding=\"{s}\"?><rss/>").into_bytes(),
            format!("\u{FEFF}<?xml encoding='{s}'?>{s}").into_bytes(),
            // The same text in a legacy encoding, and cut at an arbitrary byte.
            encoding_rs::GBK.encode(&s).0.into_owned(),
            s.as_bytes()[..s.len() / 2].to_vec(),
        ] {
            if let Ok(d) = decode(&bytes, charset.as_deref(), Some("https://ex.com.tw/")) {
                prop_assert!(!d.text.starts_with('\u{FEFF}'), "BOM dropped");
            }
        }
    }
}

proptest! {
    // The extractor parses a DOM per case: fewer cases.
    #![proptest_config(ProptestConfig::with_cases(cases(192) / 4))]

    #[test]
    fn article_extraction(s in markup()) {
        let _ = extract_article(&format!("<html><head><title>{s}</title></head><body><article><p>{s}</p></article></body></html>"), "https://ex.com/a");
        // Past the depth limit the page takes the plain-text path, which cuts by hand.
        let deep = format!("{}<title>{s}</title>{s}", "<div>".repeat(600));
        if let Ok(page) = extract_article(&deep, "https://ex.com/a") {
            prop_assert!(page.plain_text_fallback);
        }
    }
}

#[test]
fn known_boundary_cases() {
    // Multi-byte characters right after every cut the scanners make.
    for s in [
        "<é",
        "<中>",
        "</中",
        "<a 中=\"文\">",
        "<a href=中>",
        "<!--中",
        "&中文中文;",
        "<?xml 中?>",
        "<rss 中>",
        "<rss version=中>",
    ] {
        let _ = html_to_text(s);
        let _ = parse_feed(s, None);
        let _ = discover_feed_links(s, None);
        let _ = decode(s.as_bytes(), None, None);
    }
}
