//! Bytes → UTF-8 text, for feeds and pages in any encoding the web uses.
//!
//! Duizhao's readers follow Big5, GBK, Shift_JIS and EUC-KR sources, often undeclared or
//! mislabelled. Parsers that trust the XML prolog get those wrong (and feed-rs panics on
//! UTF-16BE), so every document is decoded here first, in this order:
//!
//! 1. a byte-order mark (UTF-8, UTF-16LE/BE, UTF-32LE/BE);
//! 2. the HTTP `charset`;
//! 3. the XML prolog's `encoding=`, or for HTML an early `<meta charset>`;
//! 4. BOM-less UTF-16/32 (the pattern of NUL bytes);
//! 5. UTF-8, when the bytes are valid UTF-8;
//! 6. `chardetng`, hinted with the top-level domain of the URL, then `encoding_rs`.
//!
//! A declared multi-byte encoding that does not decode cleanly (a prolog that says UTF-8 over
//! GBK bytes) is treated as a lie and detection continues. A legacy declaration (HTTP or in
//! the document) over bytes that are valid UTF-8 with non-ASCII characters is ignored too:
//! legacy text is almost never valid UTF-8 by chance, while feeds converted to UTF-8 that keep
//! their old label are common. C1 controls (U+0080–U+009F) are mapped as windows-1252. After decoding, the XML prolog's
//! `encoding` is rewritten to `UTF-8` so no parser decodes the text a second time.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};

/// How many leading bytes are searched for an XML prolog or an HTML `<meta charset>`.
const PRESCAN_BYTES: usize = 4096;

/// A document decoded to UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without a byte-order mark, with the XML prolog (if any) saying UTF-8.
    pub text: String,
    /// The encoding the bytes were read in (an `encoding_rs` name such as `"UTF-8"`, `"Big5"`,
    /// `"GBK"`, `"Shift_JIS"`, `"windows-1252"`, or `"UTF-32LE"` / `"UTF-32BE"`).
    pub encoding: &'static str,
}

/// Why bytes could not be decoded to text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// There were no bytes (or only whitespace).
    #[error("empty document")]
    Empty,
    /// The bytes are binary: a known binary signature, NUL bytes or control characters.
    #[error("not a text document ({0})")]
    NotText(&'static str),
}

/// Decodes `bytes` to UTF-8 (see the module documentation for the order of evidence).
///
/// `http_charset` is the `charset` parameter of the HTTP `Content-Type`, if any; `url_hint` is
/// the document's URL, whose top-level domain steers encoding detection (`.tw` → Big5,
/// `.jp` → Shift_JIS, ...).
pub fn decode(
    bytes: &[u8],
    http_charset: Option<&str>,
    url_hint: Option<&str>,
) -> Result<Decoded, DecodeError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(DecodeError::Empty);
    }
    if let Some(kind) = binary_signature(bytes) {
        return Err(DecodeError::NotText(kind));
    }
    let (text, encoding) = decode_raw(bytes, http_charset, url_hint);
    let text = match crate::text::demoronize(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(fixed) => fixed,
    };
    // Judged after the prolog is rewritten, so the text returned passes the same check when
    // decoded again (the ratios below count characters, and the prolog's length changes).
    let text = rewrite_prolog(text);
    check_text(&text)?;
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    Ok(Decoded { text, encoding })
}

/// Chooses the encoding and decodes; never fails (worst case: lossy).
fn decode_raw(
    bytes: &[u8],
    http_charset: Option<&str>,
    url_hint: Option<&str>,
) -> (String, &'static str) {
    // 1. Byte-order marks. UTF-32LE's BOM starts like UTF-16LE's, so test it first.
    if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) {
        return (decode_utf32(&bytes[4..], false), "UTF-32LE");
    }
    if bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
        return (decode_utf32(&bytes[4..], true), "UTF-32BE");
    }
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return (text.into_owned(), enc.name());
    }

    let sniffed_wide = sniff_wide(bytes).filter(|w| starts_like_markup(bytes, *w));
    let utf8 = std::str::from_utf8(bytes).ok();
    let utf8_ok = utf8.is_some();
    let has_non_ascii = !bytes.is_ascii();

    // 2. HTTP charset, 3. in-document declaration.
    let declared_in_doc = prolog_encoding(bytes).or_else(|| meta_charset(bytes));
    for label in [http_charset, declared_in_doc.as_deref()] {
        let Some(label) = label else { continue };
        let Some(declared) = Declared::from_label(label) else {
            continue;
        };
        match declared {
            Declared::Wide => {
                // A UTF-16/32 label only counts when the bytes look like it; an ASCII-readable
                // prolog that says UTF-16 is a leftover from an earlier conversion.
                if let Some(w) = sniffed_wide {
                    return decode_wide(bytes, w);
                }
            }
            Declared::Other(enc) => {
                if let (Some(text), true) = (utf8, enc == UTF_8) {
                    return (text.to_owned(), enc.name());
                }
                if utf8_ok && has_non_ascii && enc != UTF_8 {
                    // Bytes that are valid UTF-8 with multi-byte sequences are UTF-8: a legacy
                    // text is almost never valid UTF-8 by chance, while servers and feed
                    // generators that convert to UTF-8 and keep the old label are common.
                    continue;
                }
                if let Some(text) = enc.decode_without_bom_handling_and_without_replacement(bytes) {
                    return (text.into_owned(), enc.name());
                }
                if is_single_byte(enc) {
                    // Single-byte encodings rarely reject anything; take it lossily.
                    let (text, _) = enc.decode_without_bom_handling(bytes);
                    return (text.into_owned(), enc.name());
                }
                // A multi-byte declaration the bytes contradict: keep looking.
            }
        }
    }

    // 4. BOM-less UTF-16 / UTF-32.
    if let Some(w) = sniffed_wide {
        return decode_wide(bytes, w);
    }

    // 5. Valid UTF-8.
    if let Some(text) = utf8 {
        return (text.to_owned(), UTF_8.name());
    }

    // 6. Detection.
    let enc = detect(bytes, url_hint);
    let (text, _) = enc.decode_without_bom_handling(bytes);
    (text.into_owned(), enc.name())
}

/// An encoding named by a label.
enum Declared {
    /// UTF-16 or UTF-32 (either endianness): only believed when the bytes agree.
    Wide,
    /// Anything `encoding_rs` knows.
    Other(&'static Encoding),
}

impl Declared {
    fn from_label(label: &str) -> Option<Declared> {
        let l = label.trim().trim_matches(|c| c == '"' || c == '\'').trim();
        let lower = l.to_ascii_lowercase();
        match lower.as_str() {
            "utf-32" | "utf32" | "ucs-4" | "utf-32le" | "utf-32be" | "utf-16" | "utf16"
            | "ucs-2" | "unicode" | "utf-16le" | "utf-16be" => return Some(Declared::Wide),
            _ => {}
        }
        Encoding::for_label_no_replacement(l.as_bytes()).map(|enc| {
            if enc == UTF_16LE || enc == UTF_16BE {
                Declared::Wide
            } else {
                Declared::Other(enc)
            }
        })
    }
}

/// A wide Unicode encoding recognised by its NUL-byte pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wide {
    Utf16Le,
    Utf16Be,
    Utf32Le,
    Utf32Be,
}

fn decode_wide(bytes: &[u8], w: Wide) -> (String, &'static str) {
    match w {
        Wide::Utf16Le => {
            let (t, _) = UTF_16LE.decode_without_bom_handling(bytes);
            (t.into_owned(), UTF_16LE.name())
        }
        Wide::Utf16Be => {
            let (t, _) = UTF_16BE.decode_without_bom_handling(bytes);
            (t.into_owned(), UTF_16BE.name())
        }
        Wide::Utf32Le => (decode_utf32(bytes, false), "UTF-32LE"),
        Wide::Utf32Be => (decode_utf32(bytes, true), "UTF-32BE"),
    }
}

/// Recognises BOM-less UTF-16/32 from where the NUL bytes fall in the first kilobyte. Markup
/// is mostly ASCII, so in UTF-16LE nearly every odd byte is NUL and almost no even one is.
fn sniff_wide(bytes: &[u8]) -> Option<Wide> {
    let head = &bytes[..bytes.len().min(1024) & !3];
    if head.len() < 16 {
        return None;
    }
    let mut nul_at = [0usize; 4];
    for (i, b) in head.iter().enumerate() {
        if *b == 0 {
            nul_at[i % 4] += 1;
        }
    }
    let quarter = head.len() / 4;
    let mostly = |n: usize| n * 10 >= quarter * 7; // ≥ 70 %
    let rarely = |n: usize| n * 20 <= quarter; // ≤ 5 %
    if mostly(nul_at[1]) && mostly(nul_at[2]) && mostly(nul_at[3]) && rarely(nul_at[0]) {
        return Some(Wide::Utf32Le);
    }
    if mostly(nul_at[0]) && mostly(nul_at[1]) && mostly(nul_at[2]) && rarely(nul_at[3]) {
        return Some(Wide::Utf32Be);
    }
    let even = nul_at[0] + nul_at[2];
    let odd = nul_at[1] + nul_at[3];
    let half = head.len() / 2;
    if odd * 10 >= half * 4 && even * 20 <= half {
        return Some(Wide::Utf16Le);
    }
    if even * 10 >= half * 4 && odd * 20 <= half {
        return Some(Wide::Utf16Be);
    }
    None
}

/// BOM-less wide text is only believed when it starts (after whitespace) with `<` or `{`,
/// as every feed and page does; that keeps short binary blobs from passing as UTF-16.
fn starts_like_markup(bytes: &[u8], w: Wide) -> bool {
    let head = &bytes[..bytes.len().min(256)];
    let (text, _) = decode_wide(head, w);
    matches!(
        text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}')
            .chars()
            .next(),
        Some('<' | '{')
    )
}

/// UTF-32 is not in the Encoding Standard, so `encoding_rs` lacks it; it is four bytes a
/// code point. Invalid code points become U+FFFD.
fn decode_utf32(bytes: &[u8], big_endian: bool) -> String {
    let mut out = String::with_capacity(bytes.len() / 4);
    for chunk in bytes.chunks_exact(4) {
        let arr = [chunk[0], chunk[1], chunk[2], chunk[3]];
        let v = if big_endian {
            u32::from_be_bytes(arr)
        } else {
            u32::from_le_bytes(arr)
        };
        out.push(char::from_u32(v).unwrap_or('\u{FFFD}'));
    }
    out
}

fn is_single_byte(enc: &'static Encoding) -> bool {
    enc.is_single_byte()
}

/// `chardetng`'s guess, hinted by the URL's top-level domain.
fn detect(bytes: &[u8], url_hint: Option<&str>) -> &'static Encoding {
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    let tld = url_hint.and_then(tld_of);
    det.guess(
        tld.as_deref().map(str::as_bytes),
        chardetng::Utf8Detection::Deny,
    )
}

/// The last label of the URL's host, lower-cased (`"tw"` for `https://news.ltn.com.tw/`).
fn tld_of(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    let host = parsed.host_str()?;
    let last = host.trim_end_matches('.').rsplit('.').next()?;
    if last.is_empty() || last.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(last.to_ascii_lowercase())
}

/// The `encoding=` pseudo-attribute of an XML prolog at the start of `bytes` (read as ASCII).
fn prolog_encoding(bytes: &[u8]) -> Option<String> {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace())?;
    let rest = &bytes[start..];
    if !rest.starts_with(b"<?xml") {
        return None;
    }
    let end = crate::text::find(rest, 0, b"?>")?;
    if end > 512 {
        return None;
    }
    attr_value(&rest[..end], b"encoding")
}

/// The charset of an early `<meta charset=...>` or `<meta http-equiv content="...; charset=...">`.
fn meta_charset(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(PRESCAN_BYTES)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(pos) = crate::text::find(&lower, from, b"<meta") {
        let end = crate::text::tag_end(&lower, pos + 5).min(lower.len());
        let tag = &lower[pos..end];
        if let Some(cs) = crate::text::find(tag, 0, b"charset") {
            let after = &head[pos + cs + 7..end];
            let after = skip_ws(after);
            if let Some(after) = after.strip_prefix(b"=") {
                let v = skip_ws(after);
                let v = v
                    .strip_prefix(b"\"")
                    .or_else(|| v.strip_prefix(b"'"))
                    .unwrap_or(v);
                let len = v
                    .iter()
                    .position(|c| {
                        matches!(c, b'"' | b'\'' | b';' | b'>' | b'/') || c.is_ascii_whitespace()
                    })
                    .unwrap_or(v.len());
                if len > 0 && len < 40 {
                    return Some(String::from_utf8_lossy(&v[..len]).into_owned());
                }
            }
        }
        from = end.max(pos + 5);
    }
    None
}

fn skip_ws(b: &[u8]) -> &[u8] {
    let n = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    &b[n..]
}

/// The value of pseudo-attribute `name` in `tag` (quoted with `"` or `'`).
fn attr_value(tag: &[u8], name: &[u8]) -> Option<String> {
    let pos = crate::text::find(tag, 0, name)?;
    let rest = skip_ws(&tag[pos + name.len()..]);
    let rest = skip_ws(rest.strip_prefix(b"=")?);
    let quote = *rest.first()?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let len = rest[1..].iter().position(|c| *c == quote)?;
    let v = &rest[1..1 + len];
    if v.is_empty() || v.len() > 40 {
        return None;
    }
    Some(String::from_utf8_lossy(v).into_owned())
}

/// Magic numbers of common binary formats that are sometimes served as feeds.
fn binary_signature(b: &[u8]) -> Option<&'static str> {
    const SIGS: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "PNG image"),
        (b"\xFF\xD8\xFF", "JPEG image"),
        (b"GIF87a", "GIF image"),
        (b"GIF89a", "GIF image"),
        (b"%PDF-", "PDF document"),
        (b"PK\x03\x04", "ZIP archive"),
        (b"\x1F\x8B", "gzip data"),
        (b"\x7FELF", "executable"),
        (b"MZ", "executable"),
        (b"\x28\xB5\x2F\xFD", "zstd data"),
        (b"BZh", "bzip2 data"),
        (b"\xFD7zXZ\x00", "xz data"),
        (b"ID3", "MP3 audio"),
        (b"OggS", "Ogg media"),
        (b"\x1A\x45\xDF\xA3", "Matroska/WebM media"),
    ];
    for (sig, name) in SIGS {
        if b.starts_with(sig) {
            return Some(name);
        }
    }
    if b.len() >= 12 && &b[0..4] == b"RIFF" {
        return Some("RIFF media");
    }
    if b.len() >= 12 && &b[4..8] == b"ftyp" {
        return Some("ISO media");
    }
    None
}

/// Rejects decoded text that is really binary: NUL characters, or many control characters.
fn check_text(text: &str) -> Result<(), DecodeError> {
    let mut chars = 0usize;
    let mut controls = 0usize;
    let mut replacements = 0usize;
    for c in text.chars().take(64 * 1024) {
        chars += 1;
        match c {
            '\0' => return Err(DecodeError::NotText("contains NUL bytes")),
            '\t' | '\n' | '\r' | '\u{0C}' => {}
            '\u{01}'..='\u{1F}' | '\u{7F}'..='\u{9F}' => controls += 1,
            '\u{FFFD}' => replacements += 1,
            _ => {}
        }
    }
    if controls >= 8 && controls * 100 > chars {
        return Err(DecodeError::NotText("contains control characters"));
    }
    if replacements >= 16 && replacements * 5 > chars {
        return Err(DecodeError::NotText("mostly undecodable bytes"));
    }
    Ok(())
}

/// Drops a leading U+FEFF and makes an XML prolog's `encoding` say `UTF-8`.
fn rewrite_prolog(mut text: String) -> String {
    if text.starts_with('\u{FEFF}') {
        text.drain(..'\u{FEFF}'.len_utf8());
    }
    // Every index below is a match start (`find`), the trim point, or next to an ASCII byte
    // (`=`, a quote): char boundaries.
    let lead = text.len() - text.trim_start().len();
    if !text[lead..].starts_with("<?xml") {
        return text;
    }
    let Some(end) = text[lead..].find("?>").map(|e| e + lead) else {
        return text;
    };
    if end - lead > 512 {
        return text;
    }
    let prolog = &text[lead..end];
    let Some(pos) = prolog.find("encoding") else {
        return text;
    };
    let bytes = prolog.as_bytes();
    let mut i = pos + "encoding".len();
    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    if bytes.get(i) != Some(&b'=') {
        return text;
    }
    i += 1;
    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    let Some(&quote) = bytes.get(i) else {
        return text;
    };
    if quote != b'"' && quote != b'\'' {
        return text;
    }
    let Some(len) = prolog[i + 1..].find(quote as char) else {
        return text;
    };
    let (from, to) = (lead + i + 1, lead + i + 1 + len);
    if &text[from..to] != "UTF-8" {
        text.replace_range(from..to, "UTF-8");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_big5() {
        let (bytes, _, _) = encoding_rs::BIG5
            .encode("<?xml version='1.0' encoding='big5'?><rss><title>臺灣新聞</title></rss>");
        let d = decode(&bytes, None, None).expect("decodes");
        assert_eq!(d.encoding, "Big5");
        assert!(d.text.contains("臺灣新聞"));
        assert!(d.text.starts_with("<?xml version='1.0' encoding='UTF-8'?>"));
    }

    #[test]
    fn mislabelled_gbk() {
        let src = "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss><channel><title>中文新闻测试，朱镕基与王喆的故事</title><description>这是一篇用于测试编码的简体中文文章。</description></channel></rss>";
        let (bytes, _, _) = encoding_rs::GBK.encode(src);
        let d = decode(&bytes, None, Some("https://example.cn/feed")).expect("decodes");
        assert_eq!(d.encoding, "GBK");
        assert!(d.text.contains("中文新闻测试，朱镕基与王喆的故事"));
    }

    #[test]
    fn utf16_without_bom() {
        let src = "<?xml version=\"1.0\" encoding=\"utf-16\"?><rss><title>Grüße 你好</title></rss>";
        let mut be = Vec::new();
        for u in src.encode_utf16() {
            be.extend_from_slice(&u.to_be_bytes());
        }
        let d = decode(&be, None, None).expect("decodes");
        assert_eq!(d.encoding, "UTF-16BE");
        assert!(d.text.contains("Grüße 你好"));
        assert!(d.text.contains("encoding=\"UTF-8\""));
    }

    #[test]
    fn utf8_beats_latin1_http_charset() {
        let d = decode("<p>Café</p>".as_bytes(), Some("iso-8859-1"), None).expect("decodes");
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.text, "<p>Café</p>");
    }

    #[test]
    fn meta_charset_for_pages() {
        let (bytes, _, _) = encoding_rs::SHIFT_JIS
            .encode("<html><head><meta charset=\"shift_jis\"><title>日本語</title></head></html>");
        let d = decode(&bytes, None, None).expect("decodes");
        assert_eq!(d.encoding, "Shift_JIS");
        assert!(d.text.contains("日本語"));
    }

    #[test]
    fn binary_is_rejected() {
        assert!(matches!(
            decode(b"\x89PNG\r\n\x1a\nxxxx", None, None),
            Err(DecodeError::NotText(_))
        ));
        assert!(matches!(
            decode(b"abc\0def\0\0\x01\x02", None, None),
            Err(DecodeError::NotText(_))
        ));
        assert!(matches!(
            decode(
                b"<rss>\0\0\0\0\0\0\0\x01\x02\x03\x04\x05\x06\x07\x08",
                None,
                None
            ),
            Err(DecodeError::NotText(_))
        ));
        assert_eq!(decode(b"  \n", None, None), Err(DecodeError::Empty));
        let noise: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        assert!(decode(&noise, None, None).is_err());
    }

    /// Found by the property test `decode_never_panics_and_its_output_is_a_fixed_point`: the
    /// undecodable-bytes ratio was judged before the prolog was rewritten, so a document just
    /// under the limit with a long `encoding` name came back over it when decoded again.
    #[test]
    fn decoded_text_decodes_to_itself_near_the_undecodable_limit() {
        let bytes = b"<?xml version=\x221.0\x22 encoding=\x22iso-2022-kr\x22?>\xe9\xa1\x800a\xe9\xa1\x89\xe4\xb8@\xf0\xa2\x90\xa1\xe4\xb8\x80\xe6\x80\x800\xe3\x80\x81\xc2\xa1\xf0\x99\xa4\x89\xe7\x99\xa1a\x01\x8d\xa10\xe7\x80\x87\xc8\x81\xe7\x94\x80\xe5\xb2\x81\xe7\xad\xa1\xf1\x9a\xb0\xa1\xe5\x80\x89\xc2\xa1\xe3\x80\x80A  \xf2\x88\xac\x80\xc4\x80";
        // Over a fifth of the characters are U+FFFD once the prolog says UTF-8: rejected now,
        // as the same text is when decoded again.
        assert_eq!(
            decode(bytes, None, Some("https://news.ltn.com.tw/rss/all.xml")),
            Err(DecodeError::NotText("mostly undecodable bytes")),
            "what decode accepts must decode to itself"
        );
    }
}
