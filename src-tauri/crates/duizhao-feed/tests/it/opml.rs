//! OPML: folders survive a round trip; nested folders flatten to the innermost name.

use duizhao_feed::{OpmlError, OpmlOutline, decode, parse_opml, write_opml};

const EXPORT: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- exported by some reader -->
<opml version="1.0">
  <head><title>My feeds</title></head>
  <body>
    <outline text="Top &amp; level" xmlUrl="https://ex.com/top.xml" htmlUrl="https://ex.com/"/>
    <outline title="中文">
      <outline text="DW 中文&nbsp;" type="rss" xmlUrl="https://rss.dw.com/xml/rss-chi-all"/>
      <outline text="Taiwan">
        <outline text="自由時報" xmlURL="https://news.ltn.com.tw/rss/all.xml"/>
      </outline>
      <outline title="No text attribute" xmlUrl="https://ex.com/b.xml"></outline>
    </outline>
    <outline text="Empty folder"/>
    <outline text="Tech"><outline xmlUrl="https://lwn.net/headlines/rss"/></outline>
  </body>
</opml>"#;

#[test]
fn reads_folders_and_flattens_nesting() {
    let got = parse_opml(EXPORT).expect("parses");
    let want = vec![
        OpmlOutline {
            title: "Top & level".into(),
            xml_url: "https://ex.com/top.xml".into(),
            html_url: Some("https://ex.com/".into()),
            folder: None,
        },
        OpmlOutline {
            title: "DW 中文".into(),
            xml_url: "https://rss.dw.com/xml/rss-chi-all".into(),
            html_url: None,
            folder: Some("中文".into()),
        },
        OpmlOutline {
            title: "自由時報".into(),
            xml_url: "https://news.ltn.com.tw/rss/all.xml".into(),
            html_url: None,
            folder: Some("Taiwan".into()),
        },
        OpmlOutline {
            title: "No text attribute".into(),
            xml_url: "https://ex.com/b.xml".into(),
            html_url: None,
            folder: Some("中文".into()),
        },
        OpmlOutline {
            title: "https://lwn.net/headlines/rss".into(),
            xml_url: "https://lwn.net/headlines/rss".into(),
            html_url: None,
            folder: Some("Tech".into()),
        },
    ];
    assert_eq!(got, want);
}

#[test]
fn round_trip_with_folders() {
    let outlines = parse_opml(EXPORT).expect("parses");
    let written = write_opml("Duizhao <export> & co", &outlines);
    assert!(written.contains("<title>Duizhao &lt;export&gt; &amp; co</title>"));
    let back = parse_opml(&written).expect("reads its own output");
    // Feeds come back grouped by folder; compare as sets of (folder, feed).
    let key = |o: &OpmlOutline| {
        (
            o.folder.clone(),
            o.xml_url.clone(),
            o.title.clone(),
            o.html_url.clone(),
        )
    };
    let mut a: Vec<_> = outlines.iter().map(key).collect();
    let mut b: Vec<_> = back.iter().map(key).collect();
    a.sort();
    b.sort();
    assert_eq!(a, b);
    // And a second round trip is byte-identical.
    assert_eq!(write_opml("Duizhao <export> & co", &back), written);
    // Through decode() too, as the core reads files.
    let decoded = decode(written.as_bytes(), None, None).expect("text");
    assert_eq!(
        parse_opml(&decoded.text).expect("parses").len(),
        outlines.len()
    );
}

#[test]
fn rejects_what_is_not_opml() {
    assert_eq!(
        parse_opml("<rss version=\"2.0\"/>"),
        Err(OpmlError::NotOpml)
    );
    assert_eq!(parse_opml("not xml"), Err(OpmlError::NotOpml));
    assert!(matches!(
        parse_opml("<opml><body><outline text=\"a\" xmlUrl=\"x\"></body></opml>"),
        Err(OpmlError::Invalid(_))
    ));
    let deep = format!(
        "<opml><body>{}</body></opml>",
        "<outline text=\"f\">".repeat(10_000)
    );
    assert!(matches!(parse_opml(&deep), Err(OpmlError::TooDeep { .. })));
}
