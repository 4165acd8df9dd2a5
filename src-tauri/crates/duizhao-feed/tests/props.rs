//! Property tests over generated input (issue 11, "parsers under generated input"): decoding,
//! feed parsing, OPML and article extraction never panic on any input, and on generated
//! well-formed documents they give back exactly what was put in.
//!
//! Generated text is arbitrary Unicode (weighted towards CJK, accents and the characters markup
//! treats specially) in titles, links, bodies and attribute values. Each property runs a modest
//! number of cases so CI stays in seconds; `PROPTEST_CASES` overrides it
//! (src-tauri/scripts/fuzz-long.sh runs thousands in release mode). Failures are not persisted
//! to files: each one found becomes a plain regression test next to the code's own tests.

use duizhao_feed::text::html_to_text;
use duizhao_feed::{
    ExtractError, OpmlOutline, ParseError, ParsedFeed, decode, extract_article, parse_feed,
    parse_opml, write_opml,
};
use encoding_rs::Encoding;
use proptest::prelude::*;
use proptest::sample::Index;
use url::Url;

mod generate;
use generate::{config, esc, unicode_char, word};

// ---------------------------------------------------------------------------------------------
// Characters and text

/// True for the characters XML 1.0 can carry at all.
fn xml_allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

/// True for C1 controls, which the feed parser deliberately maps to windows-1252 characters.
fn is_c1(c: char) -> bool {
    ('\u{80}'..='\u{9F}').contains(&c)
}

/// Text a feed can carry: XML characters without C1 controls.
fn feed_text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(unicode_char(), 0..max).prop_map(|v| {
        v.into_iter()
            .filter(|&c| xml_allowed(c) && !is_c1(c))
            .collect()
    })
}

/// Whitespace collapsed to single spaces, ends trimmed (what every parser here returns).
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------------------------
// Decoding

/// Labels a server or document may declare, real and bogus.
fn charset_label() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "utf-8", "UTF-8", "utf8", "utf-16", "utf-16le", "UTF-16BE", "utf-32", "ucs-2",
            "iso-8859-1", "latin1", "windows-1252", "gbk", "gb2312", "GB18030", "big5",
            "shift_jis", "euc-jp", "euc-kr", "iso-2022-jp", "koi8-r", "x-user-defined",
            "iso-2022-kr", "replacement", "utf-7", "bogus", "\"utf-8\"", " 'big5' ", "",
        ])
        .prop_map(String::from),
        1 => feed_text(12),
    ]
}

/// Byte-order marks, and the way `text` is encoded after each.
#[derive(Debug, Clone, Copy)]
enum Bom {
    Utf8,
    Utf16Le,
    Utf16Be,
    Utf32Le,
    Utf32Be,
}

fn with_bom(bom: Bom, text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    match bom {
        Bom::Utf8 => {
            out.extend_from_slice(b"\xEF\xBB\xBF");
            out.extend_from_slice(text.as_bytes());
        }
        Bom::Utf16Le | Bom::Utf16Be => {
            for u in std::iter::once(0xFEFF).chain(text.encode_utf16()) {
                out.extend_from_slice(&match bom {
                    Bom::Utf16Le => u.to_le_bytes(),
                    _ => u.to_be_bytes(),
                });
            }
        }
        Bom::Utf32Le | Bom::Utf32Be => {
            for c in std::iter::once('\u{FEFF}').chain(text.chars()) {
                out.extend_from_slice(&match bom {
                    Bom::Utf32Le => u32::from(c).to_le_bytes(),
                    _ => u32::from(c).to_be_bytes(),
                });
            }
        }
    }
    out
}

fn any_bom() -> impl Strategy<Value = Bom> {
    prop::sample::select(vec![
        Bom::Utf8,
        Bom::Utf16Le,
        Bom::Utf16Be,
        Bom::Utf32Le,
        Bom::Utf32Be,
    ])
}

/// Clean text: what `decode` must hand back unchanged (no NUL or other controls, no U+FFFD,
/// no leading U+FEFF, which is a byte-order mark there; not blank).
fn clean_text() -> impl Strategy<Value = String> {
    prop::collection::vec(unicode_char(), 1..200)
        .prop_map(|v| {
            let s: String = v
                .into_iter()
                .filter(|&c| {
                    matches!(c, '\t' | '\n' | '\r') || !(c.is_control() || c == '\u{FFFD}')
                })
                .collect();
            s.trim_start_matches('\u{FEFF}').to_string()
        })
        .prop_filter("not blank", |s| !s.trim().is_empty())
}

/// Where a document declares its charset.
#[derive(Debug, Clone)]
enum Declared {
    Nowhere,
    Prolog(String),
    Meta(String),
}

impl Declared {
    fn prefix(&self) -> String {
        match self {
            Declared::Nowhere => String::new(),
            Declared::Prolog(l) => format!("<?xml version=\"1.0\" encoding=\"{l}\"?>"),
            Declared::Meta(l) => format!("<meta charset=\"{l}\">"),
        }
    }

    /// The prefix as `decode` returns it: an XML prolog says UTF-8 afterwards.
    fn decoded_prefix(&self) -> String {
        match self {
            Declared::Prolog(_) => "<?xml version=\"1.0\" encoding=\"UTF-8\"?>".to_string(),
            other => other.prefix(),
        }
    }
}

/// A label that can sit inside a quoted prolog or `<meta>` attribute without ending it.
fn quotable_label() -> BoxedStrategy<String> {
    charset_label()
        .prop_filter("quotable", |l| !l.contains(['"', '?', '<', '>', '&']))
        .boxed()
}

/// True when `bytes` start like a binary format `decode` refuses by its magic number (its
/// documented heuristic: text starting with `MZ` is taken for an executable).
fn looks_binary(bytes: &[u8]) -> bool {
    const MAGIC: &[&[u8]] = &[
        b"MZ", b"ID3", b"BZh", b"GIF87a", b"GIF89a", b"%PDF-", b"OggS",
    ];
    MAGIC.iter().any(|m| bytes.starts_with(m))
        || (bytes.len() >= 12 && (&bytes[..4] == b"RIFF" || &bytes[4..8] == b"ftyp"))
}

fn declared(label: BoxedStrategy<String>) -> impl Strategy<Value = Declared> {
    prop_oneof![
        Just(Declared::Nowhere),
        label.clone().prop_map(Declared::Prolog),
        label.prop_map(Declared::Meta),
    ]
}

/// Bytes worth decoding: noise, or text behind a BOM or a declaration, possibly damaged.
fn decodable_bytes() -> impl Strategy<Value = Vec<u8>> {
    let noise = prop::collection::vec(any::<u8>(), 0..512);
    let bom_text = (any_bom(), feed_text(100)).prop_map(|(b, t)| with_bom(b, &t));
    let declared_text = (declared(quotable_label()), feed_text(100))
        .prop_map(|(d, t)| format!("{}{t}", d.prefix()).into_bytes());
    let legacy = (legacy_encoding(), feed_text(100)).prop_map(|(e, t)| e.encode(&t).0.into_owned());
    (
        prop_oneof![noise, bom_text, declared_text, legacy],
        prop::collection::vec((any::<Index>(), any::<u8>()), 0..3),
    )
        .prop_map(|(mut bytes, flips)| {
            for (at, b) in flips {
                if !bytes.is_empty() {
                    let i = at.index(bytes.len());
                    bytes[i] = b;
                }
            }
            bytes
        })
}

fn legacy_encoding() -> impl Strategy<Value = &'static Encoding> {
    prop::sample::select(vec![
        encoding_rs::BIG5,
        encoding_rs::GBK,
        encoding_rs::GB18030,
        encoding_rs::SHIFT_JIS,
        encoding_rs::EUC_JP,
        encoding_rs::EUC_KR,
        encoding_rs::ISO_2022_JP,
        encoding_rs::WINDOWS_1252,
        encoding_rs::WINDOWS_1251,
        encoding_rs::KOI8_R,
        encoding_rs::ISO_8859_7,
    ])
}

fn round_trips(enc: &'static Encoding, c: char) -> bool {
    let mut buf = [0; 4];
    let (bytes, _, unmappable) = enc.encode(c.encode_utf8(&mut buf));
    !unmappable && enc.decode_without_bom_handling(&bytes).0.chars().eq([c])
}

fn url_hint() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        prop::sample::select(vec![
            "https://news.ltn.com.tw/rss/all.xml",
            "https://example.cn/feed",
            "https://www3.nhk.or.jp/rss/news/cat0.xml",
            "http://127.0.0.1:8080/",
            "https://xn--fiqs8s.xn--fiqz9s/",
        ])
        .prop_map(|s| Some(s.to_string())),
        feed_text(30).prop_map(Some),
    ]
}

proptest! {
    #![proptest_config(config(256, 1))]

    /// Any bytes: one typed error or clean text, and that text decodes to itself again (the
    /// rewritten prolog says UTF-8, so nothing decodes it twice).
    #[test]
    fn decode_never_panics_and_its_output_is_a_fixed_point(
        bytes in decodable_bytes(),
        charset in prop::option::of(charset_label()),
        hint in url_hint(),
    ) {
        let Ok(d) = decode(&bytes, charset.as_deref(), hint.as_deref()) else {
            return Ok(());
        };
        prop_assert!(!d.text.starts_with('\u{FEFF}'), "a byte-order mark survived: {:?}", d.text);
        prop_assert!(!d.text.contains('\0'), "NUL in decoded text");
        prop_assert!(!d.text.trim().is_empty(), "blank text is DecodeError::Empty");
        let again = decode(d.text.as_bytes(), None, None);
        prop_assert_eq!(again.map(|a| a.text), Ok(d.text));
    }

    /// Clean UTF-8 text comes back unchanged whatever the server or the document declares:
    /// bytes that are valid UTF-8 are UTF-8 (see decode.rs), and ASCII reads the same in every
    /// ASCII-compatible encoding.
    #[test]
    fn valid_utf8_comes_back_unchanged_whatever_is_declared(
        text in clean_text(),
        decl in declared(quotable_label()),
        charset in prop::option::of(charset_label()),
        hint in url_hint(),
    ) {
        let bytes = format!("{}{text}", decl.prefix()).into_bytes();
        prop_assume!(!looks_binary(&bytes));
        let d = decode(&bytes, charset.as_deref(), hint.as_deref());
        prop_assert_eq!(d.map(|d| d.text), Ok(format!("{}{text}", decl.decoded_prefix())));
    }

    /// A byte-order mark decides, over any declaration.
    #[test]
    fn a_byte_order_mark_wins(
        text in clean_text(),
        bom in any_bom(),
        charset in prop::option::of(charset_label()),
    ) {
        let d = decode(&with_bom(bom, &text), charset.as_deref(), None);
        prop_assert_eq!(d.map(|d| d.text), Ok(text));
    }

    /// Text in a legacy encoding, declared by the server, the XML prolog or a `<meta>`, reads
    /// back as written — unless its bytes happen to be valid UTF-8, which wins by design.
    #[test]
    fn declared_legacy_text_reads_back(
        enc in legacy_encoding(),
        text in clean_text(),
        place in 0..3u8,
    ) {
        // Keep the characters the encoding has and gives back (encoding_rs writes ¥ as 0x5C
        // in Shift_JIS, half-width kana as full-width in ISO-2022-JP, ...).
        let text: String = text.chars().filter(|&c| round_trips(enc, c)).collect();
        prop_assume!(!text.trim().is_empty());
        let label = enc.name();
        let decl = match place {
            0 => Declared::Nowhere,
            1 => Declared::Prolog(label.to_string()),
            _ => Declared::Meta(label.to_string()),
        };
        let doc = format!("{}{text}", decl.prefix());
        let (bytes, _, unmappable) = enc.encode(&doc);
        prop_assert!(!unmappable);
        prop_assume!(std::str::from_utf8(&bytes).is_err() || bytes.is_ascii());
        prop_assume!(!looks_binary(&bytes));
        let http = (place == 0).then_some(label);
        let d = decode(&bytes, http, None);
        prop_assert_eq!(d.map(|d| d.text), Ok(format!("{}{text}", decl.decoded_prefix())));
    }
}

// ---------------------------------------------------------------------------------------------
// Feeds

const BASE: &str = "https://ex.com/feeds/main.xml";

#[derive(Debug, Clone)]
struct GenItem {
    title: String,
    /// A relative link (resolved against [`BASE`]).
    path: String,
    words: String,
    /// An `<img src>` value inside the body.
    img: String,
    /// An absolute image URL with an arbitrary path, as an RSS enclosure.
    enclosure: String,
}

impl GenItem {
    fn body(&self) -> String {
        format!(
            "<p>{}</p><p><img src=\"{}\" alt=\"{}\"></p>",
            esc(&self.words),
            esc(&self.img),
            esc(&self.title)
        )
    }

    fn link(&self) -> String {
        format!("p/{}", self.path)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Format {
    Rss2,
    /// `<rss>` without a version and maybe without a `<channel>` (repaired before parsing).
    RssBare {
        channel: bool,
    },
    Rdf,
    Atom,
    JsonFeed,
}

#[derive(Debug, Clone)]
struct GenFeed {
    format: Format,
    title: String,
    /// An arbitrary attribute value on the root element.
    root_attr: String,
    items: Vec<GenItem>,
    /// Bodies in CDATA sections rather than escaped.
    cdata: bool,
    /// RSS: the body in `<content:encoded>` rather than `<description>`.
    content_encoded: bool,
}

fn gen_item() -> impl Strategy<Value = GenItem> {
    (
        feed_text(40),
        feed_text(30),
        feed_text(80),
        feed_text(30),
        feed_text(20),
    )
        .prop_map(|(title, path, words, img, enc)| GenItem {
            title,
            path,
            words,
            img,
            enclosure: format!("https://img.ex.com/{}.jpg", enc.trim()),
        })
}

fn gen_feed() -> impl Strategy<Value = GenFeed> {
    (
        prop_oneof![
            Just(Format::Rss2),
            any::<bool>().prop_map(|channel| Format::RssBare { channel }),
            Just(Format::Rdf),
            Just(Format::Atom),
            Just(Format::JsonFeed),
        ],
        feed_text(40),
        feed_text(20),
        prop::collection::vec(gen_item(), 0..6),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(format, title, root_attr, items, cdata, content_encoded)| GenFeed {
                format,
                title,
                root_attr,
                items,
                cdata,
                content_encoded,
            },
        )
}

/// A body as XML element content.
fn xml_body(body: &str, cdata: bool) -> String {
    if cdata && !body.contains("]]>") {
        format!("<![CDATA[{body}]]>")
    } else {
        esc(body)
    }
}

fn guid(i: usize) -> String {
    format!("urn:dz:{i}")
}

fn render(f: &GenFeed) -> String {
    let mut s = String::new();
    let title = esc(&f.title);
    let attr = esc(&f.root_attr);
    match f.format {
        Format::Rss2 | Format::RssBare { .. } => {
            let version = if f.format == Format::Rss2 {
                " version=\"2.0\""
            } else {
                ""
            };
            let channel = !matches!(f.format, Format::RssBare { channel: false });
            s.push_str(&format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss{version} data-x=\"{attr}\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\n"
            ));
            if channel {
                s.push_str("<channel>");
            }
            s.push_str(&format!(
                "<title>{title}</title><link>https://ex.com/</link><description>d</description>\n"
            ));
            for (i, it) in f.items.iter().enumerate() {
                let body = xml_body(&it.body(), f.cdata);
                let field = if f.content_encoded {
                    "content:encoded"
                } else {
                    "description"
                };
                s.push_str(&format!(
                    "<item><title>{}</title><link>{}</link><guid isPermaLink=\"false\">{}</guid><{field}>{body}</{field}><enclosure url=\"{}\" type=\"image/jpeg\" length=\"1\"/></item>\n",
                    esc(&it.title), esc(&it.link()), guid(i), esc(&it.enclosure)
                ));
            }
            if channel {
                s.push_str("</channel>");
            }
            s.push_str("</rss>\n");
        }
        Format::Rdf => {
            s.push_str(&format!(
                "<?xml version=\"1.0\"?>\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"http://purl.org/rss/1.0/\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" data-x=\"{attr}\">\n<channel rdf:about=\"https://ex.com/\"><title>{title}</title><link>https://ex.com/</link><description>d</description></channel>\n"
            ));
            for (i, it) in f.items.iter().enumerate() {
                s.push_str(&format!(
                    "<item rdf:about=\"{}\"><title>{}</title><link>{}</link><description>{}</description></item>\n",
                    guid(i), esc(&it.title), esc(&it.link()), xml_body(&it.body(), f.cdata)
                ));
            }
            s.push_str("</rdf:RDF>\n");
        }
        Format::Atom => {
            s.push_str(&format!(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{attr}\"><title type=\"text\">{title}</title><id>urn:dz:feed</id><updated>2024-01-02T03:04:05Z</updated>\n"
            ));
            for (i, it) in f.items.iter().enumerate() {
                s.push_str(&format!(
                    "<entry><title type=\"text\">{}</title><id>{}</id><updated>2024-01-02T03:04:05Z</updated><link rel=\"alternate\" href=\"{}\"/><content type=\"html\">{}</content></entry>\n",
                    esc(&it.title), guid(i), esc(&it.link()), xml_body(&it.body(), f.cdata)
                ));
            }
            s.push_str("</feed>\n");
        }
        Format::JsonFeed => {
            let items: Vec<_> = f
                .items
                .iter()
                .enumerate()
                .map(|(i, it)| {
                    serde_json::json!({
                        "id": guid(i), "url": it.link(), "title": it.title, "content_html": it.body(),
                    })
                })
                .collect();
            let doc = serde_json::json!({
                "version": "https://jsonfeed.org/version/1.1",
                "title": f.title, "home_page_url": "https://ex.com/", "items": items,
            });
            s = doc.to_string();
        }
    }
    s
}

/// The link as the parser must resolve it. In XML, whitespace around it is not part of it
/// while other characters are (a trailing U+2028 is percent-encoded, as the URL Standard says);
/// feed-rs trims a JSON Feed's relative link of all Unicode whitespace before anything else
/// sees it.
fn resolved(link: &str, format: Format) -> Option<String> {
    let base = Url::parse(BASE).ok()?;
    let link = match format {
        Format::JsonFeed => link.trim(),
        _ => link.trim_matches([' ', '\t', '\n', '\r']),
    };
    base.join(link).ok().map(String::from)
}

/// Checks a parsed feed against the generated one, item by item.
fn check_feed(f: &GenFeed, parsed: &ParsedFeed) -> Result<(), TestCaseError> {
    prop_assert_eq!(&parsed.title, &html_to_text(&f.title), "feed title");
    prop_assert_eq!(parsed.items.len(), f.items.len(), "every item comes back");
    for (i, (want, got)) in f.items.iter().zip(&parsed.items).enumerate() {
        if f.format == Format::Rdf {
            // feed-rs does not read `rdf:about`: RSS 1.0 items are known by their link.
            prop_assert_eq!(got.guid.clone(), None);
            prop_assert_eq!(
                Some(got.dedupe_key.clone()),
                got.url.clone(),
                "item {} key",
                i
            );
        } else {
            prop_assert_eq!(got.guid.clone(), Some(guid(i)), "items in order");
        }
        prop_assert_eq!(&got.title, &html_to_text(&want.title), "item {} title", i);
        prop_assert_eq!(
            got.url.clone(),
            resolved(&want.link(), f.format),
            "item {} link",
            i
        );
        let body = got.content_html.as_deref().or(got.summary_html.as_deref());
        prop_assert_eq!(
            body.map(str::to_string),
            Some(want.body()),
            "item {} body",
            i
        );
        if matches!(f.format, Format::Rss2 | Format::RssBare { .. }) {
            let enclosure = Url::parse(&want.enclosure).map(String::from).ok();
            prop_assert_eq!(
                got.image_urls.first(),
                enclosure.as_ref(),
                "item {} enclosure",
                i
            );
        }
    }
    Ok(())
}

/// Damage done to a document's bytes.
#[derive(Debug, Clone)]
enum Damage {
    Set(Index, u8),
    Insert(Index, Vec<u8>),
    Delete(Index, usize),
    Truncate(Index),
}

fn damage() -> impl Strategy<Value = Damage> {
    let snippet = prop_oneof![
        prop::sample::select(vec![
            "<",
            ">",
            "</item>",
            "<item>",
            "</entry>",
            "<![CDATA[",
            "]]>",
            "&",
            "&#0;",
            "&#x110000;",
            "&amp",
            "\"",
            "'",
            "<rss>",
            "<channel>",
            "xmlns:a=\"",
            "<!--",
            "-->",
            "<!DOCTYPE x [<!ENTITY a \"b\">]>",
            "{",
            "}",
            "[",
            "]",
            ",",
            "\"items\":",
            "\\u0000",
            "\\ud800",
            "<?xml",
            "?>",
            "<html>",
            "\u{FEFF}",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
        prop::collection::vec(any::<u8>(), 1..8),
    ];
    prop_oneof![
        (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Damage::Set(i, b)),
        (any::<Index>(), snippet).prop_map(|(i, s)| Damage::Insert(i, s)),
        (any::<Index>(), 1..16usize).prop_map(|(i, n)| Damage::Delete(i, n)),
        any::<Index>().prop_map(Damage::Truncate),
    ]
}

fn apply(mut bytes: Vec<u8>, damage: &[Damage]) -> Vec<u8> {
    for d in damage {
        let len = bytes.len();
        match d {
            Damage::Set(i, b) if len > 0 => bytes[i.index(len)] = *b,
            Damage::Insert(i, s) => {
                let at = i.index(len + 1);
                bytes.splice(at..at, s.iter().copied());
            }
            Damage::Delete(i, n) if len > 0 => {
                let at = i.index(len);
                bytes.drain(at..(at + n).min(len));
            }
            Damage::Truncate(i) => bytes.truncate(i.index(len + 1)),
            _ => {}
        }
    }
    bytes
}

/// The outcome every parse must have on any input: a feed whose items all have a key, or one
/// typed error that is not a caught parser panic (which would be a bug to fix).
fn check_any_parse(r: &Result<ParsedFeed, ParseError>) -> Result<(), TestCaseError> {
    match r {
        Ok(feed) => {
            for item in &feed.items {
                prop_assert!(
                    !item.dedupe_key.is_empty(),
                    "an item without a key: {item:?}"
                );
            }
        }
        Err(e) => prop_assert!(
            !matches!(e, ParseError::ParserPanicked),
            "a parser panicked"
        ),
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(256, 1))]

    /// Generated RSS 2.0, bare RSS, RSS 1.0, Atom and JSON Feed documents, in UTF-8 or behind
    /// a byte-order mark: every item comes back in order with its title, link, body and image.
    #[test]
    fn generated_feeds_come_back_item_by_item(f in gen_feed(), bom in prop::option::of(any_bom())) {
        let doc = render(&f);
        let bytes = match bom {
            Some(b) => with_bom(b, &doc),
            None => doc.into_bytes(),
        };
        let text = decode(&bytes, None, Some(BASE));
        prop_assert!(text.is_ok(), "decode: {text:?}");
        let text = text.map(|d| d.text).unwrap_or_default();
        let parsed = parse_feed(&text, Some(BASE));
        prop_assert!(parsed.is_ok(), "parse: {parsed:?}\n{text}");
        if let Ok(parsed) = parsed {
            check_feed(&f, &parsed)?;
        }
    }

    /// The same documents, damaged: never a panic, never a caught parser panic.
    #[test]
    fn damaged_feeds_never_crash_the_parser(
        f in gen_feed(),
        damage in prop::collection::vec(damage(), 1..6),
    ) {
        let bytes = apply(render(&f).into_bytes(), &damage);
        if let Ok(d) = decode(&bytes, None, Some(BASE)) {
            check_any_parse(&parse_feed(&d.text, Some(BASE)))?;
        }
    }

    /// Arbitrary text after a start that steers it to each parser.
    #[test]
    fn arbitrary_text_never_crashes_the_parser(
        start in prop::sample::select(vec!["", "<", "{", "[", "<rss>", "<rss version=\"0.93\">", "<?xml version=\"1.0\"?><feed>", "<rdf:RDF>", "<html>", "{\"version\":\"https://jsonfeed.org/version/1\",\"items\":["]),
        rest in prop::collection::vec(unicode_char(), 0..300),
        base in prop::option::of(prop::sample::select(vec![BASE, "not a url", "file:///x", "https://例子.测试/路径/"])),
    ) {
        let text: String = start.chars().chain(rest).collect();
        check_any_parse(&parse_feed(&text, base))?;
    }
}

// ---------------------------------------------------------------------------------------------
// OPML

/// An outline of a generated OPML document.
#[derive(Debug, Clone)]
enum GenOutline {
    Feed {
        title: String,
        /// Written as `title=` rather than `text=`.
        title_attr: bool,
        xml_url: String,
        html_url: Option<String>,
    },
    Folder {
        title: String,
        title_attr: bool,
        children: Vec<GenOutline>,
    },
}

/// Attribute text OPML can carry: XML characters (C1 controls included; OPML does not map them).
fn opml_text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(unicode_char(), 0..max)
        .prop_map(|v| v.into_iter().filter(|&c| xml_allowed(c)).collect())
}

fn gen_outline() -> impl Strategy<Value = GenOutline> {
    let feed = (
        opml_text(30),
        any::<bool>(),
        opml_text(30),
        prop::option::of(opml_text(20)),
    )
        .prop_map(|(title, title_attr, url, html)| GenOutline::Feed {
            title,
            title_attr,
            xml_url: format!("https://ex.com/{url}"),
            html_url: html,
        });
    feed.prop_recursive(4, 16, 4, |inner| {
        (
            opml_text(20),
            any::<bool>(),
            prop::collection::vec(inner, 0..6),
        )
            .prop_map(|(title, title_attr, children)| GenOutline::Folder {
                title,
                title_attr,
                children,
            })
    })
}

fn render_outline(o: &GenOutline, out: &mut String) {
    let name = |title_attr: bool| if title_attr { "title" } else { "text" };
    match o {
        GenOutline::Feed {
            title,
            title_attr,
            xml_url,
            html_url,
        } => {
            out.push_str(&format!(
                "<outline type=\"rss\" {}=\"{}\" xmlUrl=\"{}\"",
                name(*title_attr),
                esc(title),
                esc(xml_url)
            ));
            if let Some(h) = html_url {
                out.push_str(&format!(" htmlUrl=\"{}\"", esc(h)));
            }
            out.push_str("/>\n");
        }
        GenOutline::Folder {
            title,
            title_attr,
            children,
        } => {
            out.push_str(&format!(
                "<outline {}=\"{}\">\n",
                name(*title_attr),
                esc(title)
            ));
            for c in children {
                render_outline(c, out);
            }
            out.push_str("</outline>\n");
        }
    }
}

/// What `parse_opml` must read: every feed in document order with its innermost folder.
fn flatten(o: &GenOutline, folder: Option<&str>, out: &mut Vec<OpmlOutline>) {
    match o {
        GenOutline::Feed {
            title,
            xml_url,
            html_url,
            ..
        } => {
            let url = collapse(xml_url);
            let title = collapse(title);
            out.push(OpmlOutline {
                title: if title.is_empty() { url.clone() } else { title },
                xml_url: url,
                html_url: html_url.as_deref().map(collapse).filter(|h| !h.is_empty()),
                folder: folder.map(str::to_string),
            });
        }
        GenOutline::Folder {
            title, children, ..
        } => {
            let name = collapse(title);
            for c in children {
                flatten(c, Some(&name), out);
            }
        }
    }
}

/// What `write_opml` then `parse_opml` must give: the outlines with their text as XML carries it
/// (forbidden characters dropped, whitespace collapsed), folderless ones first, then one group
/// per folder in order of first appearance.
fn written_then_read(outlines: &[OpmlOutline]) -> Vec<OpmlOutline> {
    let norm = |s: &str| collapse(&s.chars().filter(|&c| xml_allowed(c)).collect::<String>());
    let one = |o: &OpmlOutline| {
        let url = norm(&o.xml_url);
        let title = norm(&o.title);
        OpmlOutline {
            title: if title.is_empty() { url.clone() } else { title },
            xml_url: url,
            html_url: o.html_url.as_deref().map(norm).filter(|h| !h.is_empty()),
            folder: o.folder.as_deref().map(norm),
        }
    };
    let mut out: Vec<OpmlOutline> = outlines
        .iter()
        .filter(|o| o.folder.is_none())
        .map(one)
        .collect();
    let mut folders: Vec<&str> = Vec::new();
    for f in outlines.iter().filter_map(|o| o.folder.as_deref()) {
        if !folders.contains(&f) {
            folders.push(f);
        }
    }
    for f in folders {
        out.extend(
            outlines
                .iter()
                .filter(|o| o.folder.as_deref() == Some(f))
                .map(one),
        );
    }
    out
}

fn any_outline() -> impl Strategy<Value = OpmlOutline> {
    (
        feed_text(30),
        prop::collection::vec(unicode_char(), 1..30),
        prop::option::of(feed_text(20)),
        prop::option::of(prop::sample::select(vec![
            "新闻",
            "Tech & Science",
            " a  b ",
            "",
            "<b>",
            "x\u{0}y",
        ])),
    )
        .prop_map(|(title, url, html_url, folder)| OpmlOutline {
            title,
            // Never blank once written: a blank xmlUrl makes the outline a folder.
            xml_url: format!("https://ex.com/{}", url.into_iter().collect::<String>()),
            html_url,
            folder: folder.map(str::to_string),
        })
}

proptest! {
    // Generating nested outlines costs about 25 ms a case in a debug build: fewer cases.
    #![proptest_config(config(96, 3))]

    /// Nested folders flatten to the innermost one; titles and URLs come back as written.
    #[test]
    fn nested_opml_reads_every_feed(body in prop::collection::vec(gen_outline(), 0..5)) {
        let mut doc = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\"><head><title>t</title></head><body>\n");
        let mut want = Vec::new();
        for o in &body {
            render_outline(o, &mut doc);
            flatten(o, None, &mut want);
        }
        doc.push_str("</body></opml>\n");
        let got = parse_opml(&doc);
        prop_assert_eq!(got, Ok(want), "{}", doc);
    }
}

proptest! {
    #![proptest_config(config(256, 1))]

    /// What the app exports (one level of folders) imports back the same.
    #[test]
    fn exported_opml_imports_back(
        title in feed_text(20),
        outlines in prop::collection::vec(any_outline(), 0..12),
    ) {
        let doc = write_opml(&title, &outlines);
        prop_assert_eq!(parse_opml(&doc), Ok(written_then_read(&outlines)), "{}", doc);
    }

    /// Arbitrary content inside an `<opml>` root: a list or one typed error, never a panic.
    #[test]
    fn arbitrary_opml_never_panics(rest in prop::collection::vec(prop_oneof![
        unicode_char().prop_map(String::from),
        prop::sample::select(vec!["<outline ", "text=\"", "xmlUrl=\"", "\"", "/>", ">", "</outline>", "<body>", "&amp;", "&nbsp;", "&#", "<!--"]).prop_map(String::from),
    ], 0..80)) {
        let doc = format!("<opml version=\"2.0\"><body>{}", rest.concat());
        if let Ok(list) = parse_opml(&doc) {
            for o in list {
                prop_assert!(!o.xml_url.is_empty() && !o.title.is_empty(), "{o:?}");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Article extraction

fn paragraph() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(word(3..9), 30..60)
}

/// A page around an article: head, navigation, the article (paragraphs, an image and a link
/// with arbitrary Unicode in their attributes), a footer.
fn page() -> impl Strategy<Value = (String, Vec<Vec<String>>)> {
    (
        feed_text(40),
        prop::collection::vec(paragraph(), 3..6),
        feed_text(30),
        feed_text(30),
    )
        .prop_map(|(title, paras, img, href)| {
            let mut html = format!(
                "<!DOCTYPE html><html lang=\"zh\"><head><meta charset=\"utf-8\"><title>{}</title></head><body><nav><a href=\"/\">Home</a> <a href=\"/about\">About</a></nav><article><h1>{}</h1>",
                esc(&title), esc(&title)
            );
            for (i, p) in paras.iter().enumerate() {
                html.push_str(&format!("<p>{}.</p>", p.join(", ")));
                if i == 0 {
                    html.push_str(&format!(
                        "<figure><img src=\"{}\" alt=\"x\"><figcaption>c</figcaption></figure>",
                        esc(&img)
                    ));
                }
            }
            html.push_str(&format!("<p>See <a href=\"{}\">more</a>.</p></article><footer>© 2024</footer></body></html>", esc(&href)));
            (html, paras)
        })
}

/// Tag soup: elements, attributes, text, comments and stray markup characters.
fn soup() -> impl Strategy<Value = String> {
    let name = prop::sample::select(vec![
        "div", "p", "span", "a", "img", "article", "section", "table", "tr", "td", "ul", "li",
        "script", "style", "title", "template", "svg", "math", "br", "h1", "pre", "iframe",
        "noscript", "body", "html", "head", "meta", "base", "x-y", "font",
    ]);
    let attr = (
        prop::sample::select(vec![
            "href", "src", "class", "id", "style", "lang", "charset", "content", "onload",
            "srcset", "data-src",
        ]),
        feed_text(20),
    );
    let piece = prop_oneof![
        3 => (name.clone(), prop::collection::vec(attr, 0..3)).prop_map(|(n, attrs)| {
            let attrs: String = attrs.iter().map(|(k, v)| format!(" {k}=\"{}\"", esc(v))).collect();
            format!("<{n}{attrs}>")
        }),
        2 => name.prop_map(|n| format!("</{n}>")),
        3 => feed_text(40),
        1 => prop::sample::select(vec!["<", ">", "&", "<!--", "-->", "<!DOCTYPE html>", "<![CDATA[", "\"", "</", "<p", "&#0;", "&nbsp"]).prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..80).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(config(48, 10))]

    /// A page with an article in it gives that article, every word of it.
    #[test]
    fn the_article_of_a_generated_page_is_found((html, paras) in page()) {
        let page = extract_article(&html, "https://ex.com/news/2024/a.html");
        prop_assert!(page.is_ok(), "{page:?}");
        if let Ok(page) = page {
            prop_assert!(!page.plain_text_fallback);
            for w in paras.iter().flatten() {
                prop_assert!(page.content_html.contains(w.as_str()), "lost {w:?} in {}", page.content_html);
            }
        }
    }

    /// Tag soup: an article or one of the expected errors, never a caught extractor panic.
    #[test]
    fn tag_soup_never_crashes_extraction(html in soup()) {
        let r = extract_article(&html, "https://ex.com/a/b.html");
        prop_assert!(
            matches!(r, Ok(_) | Err(ExtractError::NoArticle | ExtractError::TooManyElements(_))),
            "{r:?}"
        );
    }
}
