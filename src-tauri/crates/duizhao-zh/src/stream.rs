//! Streaming conversion of arbitrarily large inputs in bounded memory.
//!
//! The input is read in chunks and cut only where the result cannot change: after a character
//! that occurs in no key of any dictionary the config uses (so no match can span the cut) and at
//! least 1024 characters after the last ideographic description operator (an IDS consumes at most
//! 64 code points, and phrase values are at most 15 times shorter than their keys, so no IDS unit
//! can span the cut in any step either). Newlines, ASCII and most punctuation qualify, so memory
//! stays near the chunk size even for a file without a newline; only text with no such character
//! for a long stretch makes the buffer grow until one comes. OpenCC's NUL truncation of segments
//! is carried across cuts. The output is therefore byte-identical to converting the whole text.

use std::io::{ErrorKind, Read, Write};

use crate::engine::Converter;
use crate::{Config, ZhError};

/// Default chunk size: big enough to amortise per-chunk work, small enough to stay in cache.
const CHUNK: usize = 1 << 20;
/// How many bytes before a cut must be free of IDS operators (1024 characters of up to 4 bytes).
const IDS_WINDOW_BYTES: usize = 4096;

/// Converts UTF-8 `input` to `output` with `config`, returning the number of bytes written.
///
/// Invalid UTF-8 stops the conversion with [`ZhError::InvalidUtf8`] and its byte offset; nothing
/// after the last chunk that was entirely valid has been written then.
pub fn convert_stream<R: Read, W: Write>(
    config: Config,
    input: R,
    output: W,
) -> Result<u64, ZhError> {
    convert_stream_chunked(config, input, output, CHUNK).map(|(written, _)| written)
}

/// [`convert_stream`] with a chosen chunk size (tests use tiny ones); also returns the largest
/// input buffer it held, in bytes.
pub(crate) fn convert_stream_chunked<R: Read, W: Write>(
    config: Config,
    mut input: R,
    mut output: W,
    chunk: usize,
) -> Result<(u64, usize), ZhError> {
    let chunk = chunk.max(1);
    let converter = Converter::get(config);
    let mut buf: Vec<u8> = Vec::with_capacity(chunk + 8);
    let mut out = String::new();
    let mut dropping = false;
    let mut written: u64 = 0;
    // Offset in the input of buf[0].
    let mut base: u64 = 0;
    // buf[..valid] is known to be UTF-8; positions in buf[..searched] hold no valid cut.
    let mut valid = 0usize;
    let mut searched = 0usize;
    let mut eof = false;
    let mut target = chunk;
    let mut max_buffer = 0;
    loop {
        while !eof && buf.len() < target {
            let old = buf.len();
            let want = (target - old).max(4096);
            buf.resize(old + want, 0);
            match input.read(&mut buf[old..]) {
                Ok(0) => {
                    buf.truncate(old);
                    eof = true;
                }
                Ok(n) => buf.truncate(old + n),
                Err(e) if e.kind() == ErrorKind::Interrupted => buf.truncate(old),
                Err(e) => return Err(e.into()),
            }
        }
        max_buffer = max_buffer.max(buf.len());
        match std::str::from_utf8(&buf[valid..]) {
            Ok(_) => valid = buf.len(),
            Err(e) => {
                let end = valid + e.valid_up_to();
                if e.error_len().is_some() || eof {
                    return Err(ZhError::InvalidUtf8 {
                        offset: base + end as u64,
                    });
                }
                valid = end;
            }
        }
        let text = std::str::from_utf8(&buf[..valid]).map_err(|e| ZhError::InvalidUtf8 {
            offset: base + e.valid_up_to() as u64,
        })?;
        let cut = if eof {
            Some(valid)
        } else {
            find_cut(converter, text, searched)
        };
        let Some(cut) = cut else {
            searched = valid;
            target = buf.len() + chunk;
            continue;
        };
        out.clear();
        converter.convert_chunk(&text[..cut], &mut out, &mut dropping);
        output.write_all(out.as_bytes())?;
        written += out.len() as u64;
        if eof {
            break;
        }
        buf.drain(..cut);
        base += cut as u64;
        valid -= cut;
        searched = 0;
        target = chunk;
    }
    output.flush()?;
    Ok((written, max_buffer))
}

/// The last position in `text[from..]` after which `text` may be cut (see the module docs).
fn find_cut(converter: &Converter, text: &str, from: usize) -> Option<usize> {
    let b = text.as_bytes();
    // Fast path: the last newline, if no IDS operator precedes it closely.
    if let Some(nl) = b.iter().rposition(|&c| c == b'\n') {
        let p = nl + 1;
        if p > from && p > 0 && !ids_operator_before(b, p) {
            return Some(p);
        }
    }
    // Slow path: scan the unsearched part backwards for any cut character.
    let mut p = b.len();
    while p > from.max(1) {
        let Some((q, c)) = text[..p].char_indices().next_back() else {
            break;
        };
        let cp = u32::from(c);
        if converter.is_cut_char(cp) && !ids_operator_before(b, p) {
            return Some(p);
        }
        p = q;
    }
    None
}

/// True when an IDS operator (U+2FF0..U+2FFF, UTF-8 `E2 BF B0..BF`) occurs in the
/// `IDS_WINDOW_BYTES` bytes before `p`.
fn ids_operator_before(b: &[u8], p: usize) -> bool {
    let start = p.saturating_sub(IDS_WINDOW_BYTES + 2);
    b[start..p]
        .windows(3)
        .any(|w| w[0] == 0xE2 && w[1] == 0xBF && w[2] >= 0xB0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream(config: Config, input: &[u8], chunk: usize) -> Result<Vec<u8>, ZhError> {
        let mut out = Vec::new();
        let (n, _) = convert_stream_chunked(config, input, &mut out, chunk)?;
        assert_eq!(n, out.len() as u64);
        Ok(out)
    }

    #[test]
    fn stream_equals_whole_text_at_every_chunk_size() {
        let text = "头发和鼠标，软件\n乾隆皇帝的头发。\0后面还有头发⿰氵每后面 ⿰汉 ABC𠀀\u{F900}\r\n\
                    「滑鼠」與「軟體」：這是臺灣的說法。No newline here 数据库数据库数据库";
        for config in Config::ALL {
            let whole = Converter::get(config).convert(text);
            for chunk in [1, 2, 3, 5, 7, 16, 64, 1 << 20] {
                let got = stream(config, text.as_bytes(), chunk).unwrap_or_default();
                assert_eq!(
                    String::from_utf8_lossy(&got),
                    whole,
                    "{config} chunk {chunk}"
                );
            }
        }
    }

    #[test]
    fn stream_equals_whole_text_on_the_seed_article() {
        let seed = include_str!("../tests/fixtures/seed/dw-wang-yi-lavrov.md");
        let hans = Converter::get(Config::T2s).convert(seed);
        for config in Config::ALL {
            let input = if config.name().starts_with('s') {
                &hans
            } else {
                seed
            };
            let whole = Converter::get(config).convert(input);
            for chunk in [97, 1024, 4096] {
                let got = stream(config, input.as_bytes(), chunk).unwrap_or_default();
                assert!(got == whole.as_bytes(), "{config} chunk {chunk}");
            }
        }
    }

    #[test]
    fn stream_nul_truncation_crosses_cuts() {
        // The run after the NUL has cut characters (ASCII) in it: dropping must carry over.
        let text = "头发\0abc, def ghi 汉字 jkl 头发 mno";
        for config in [Config::S2tw, Config::Tw2s, Config::S2twp] {
            let whole = Converter::get(config).convert(text);
            for chunk in 1..12 {
                let got = stream(config, text.as_bytes(), chunk).unwrap_or_default();
                assert_eq!(String::from_utf8_lossy(&got), whole, "{config} {chunk}");
            }
        }
    }

    #[test]
    fn invalid_utf8_reports_offset() {
        let mut input = "汉字\n".repeat(10).into_bytes();
        let bad = input.len();
        input.extend_from_slice(b"ab\xFFcd\n");
        for chunk in [1, 4, 7, 1 << 20] {
            match stream(Config::S2t, &input, chunk) {
                Err(ZhError::InvalidUtf8 { offset }) => assert_eq!(offset, bad as u64 + 2),
                other => panic!("chunk {chunk}: {other:?}"),
            }
        }
        // A truncated character at the end of the input.
        match stream(Config::S2t, "汉".as_bytes().get(..2).unwrap_or_default(), 1) {
            Err(ZhError::InvalidUtf8 { offset }) => assert_eq!(offset, 0),
            other => panic!("{other:?}"),
        }
        let msg = ZhError::InvalidUtf8 { offset: 7 }.to_string();
        assert_eq!(msg, "input is not valid UTF-8 at byte offset 7");
    }

    #[test]
    fn invalid_utf8_writes_nothing_of_the_bad_chunk() {
        let mut input = b"line one\n".to_vec();
        input.extend_from_slice(b"\xC3(");
        let mut out = Vec::new();
        let r = convert_stream_chunked(Config::S2t, &input[..], &mut out, 1 << 20);
        assert!(
            matches!(r, Err(ZhError::InvalidUtf8 { offset: 9 })),
            "{r:?}"
        );
        assert!(out.is_empty());
    }

    #[test]
    fn memory_stays_bounded_without_newlines() {
        // 8 MB of Simplified prose with punctuation but not a single newline.
        let unit =
            "据德国之声报道，中国外长王毅周一在莫斯科会见俄罗斯外长拉夫罗夫。双方讨论了乌克兰局势";
        let text = unit.repeat(8_000_000 / unit.len());
        let chunk = 64 * 1024;
        let mut out = Vec::new();
        let r = convert_stream_chunked(Config::S2twp, text.as_bytes(), &mut out, chunk);
        let (_, max_buffer) = r.unwrap_or_default();
        assert!(max_buffer <= chunk + 8192, "buffer grew to {max_buffer}");
        assert!(out == Converter::get(Config::S2twp).convert(&text).into_bytes());
    }

    #[test]
    fn empty_stream() {
        assert_eq!(stream(Config::T2s, b"", 4).ok(), Some(Vec::new()));
    }
}
