//! The conversion engine: OpenCC 1.4.2's pipeline over the compiled tables.
//!
//! OpenCC converts in three stages (`ConfigBasedConverter`, `SingleStageConverter`):
//! 1. normalization: `CJK_Compatibility_Ideographs` over the whole text;
//! 2. segmentation (configs with `mmseg`): maximum forward matching with the segmentation
//!    dictionary; every match is a segment and every run of unmatched characters is one segment;
//! 3. the conversion chain, applied to each segment separately, step after step.
//!
//! Two quirks of OpenCC are reproduced on purpose because the output must be byte-identical:
//! an unmatched complete ideographic description sequence passes through as one unit, and in
//! segmented configs a segment is handed on as a C string, so everything from a NUL character to
//! the end of its segment is dropped.
//!
//! Speed: when the segmentation dictionary is exactly the rank-0 part of the chain's first step
//! (all `s2*` configs with segmentation), segmentation and the first step are one walk per
//! position: a rank-0 match is a segment, anything else is that step's output for the run. This
//! is exact because a run holds no position where a rank-0 key starts.

use std::borrow::Cow;
use std::sync::OnceLock;

use crate::config::{Config, TableId};
use crate::table::{Table, ascii_run_end, decode, unmatched_len};

static TABLES: [OnceLock<Table>; TableId::COUNT] = [const { OnceLock::new() }; TableId::COUNT];
static CONVERTERS: [OnceLock<Converter>; 16] = [const { OnceLock::new() }; 16];

/// The compiled table `id`, built on first use and shared by every config that needs it.
pub(crate) fn table(id: TableId) -> &'static Table {
    TABLES[id as usize].get_or_init(|| Table::build(id.ranks()))
}

/// A ready-to-use converter for one OpenCC config.
pub struct Converter {
    config: Config,
    norm: &'static Table,
    seg: Option<&'static Table>,
    chain: Vec<&'static Table>,
    fused: bool,
}

/// Per-call scratch buffers for the chain.
#[derive(Default)]
struct Scratch {
    a: String,
    b: String,
    run: String,
}

impl Converter {
    /// The shared converter for `config`; dictionaries are parsed on the first call (thread-safe).
    pub fn get(config: Config) -> &'static Converter {
        CONVERTERS[config.index()].get_or_init(|| Converter::build(config))
    }

    fn build(config: Config) -> Converter {
        let plan = config.plan();
        let seg = plan.seg.map(table);
        let chain: Vec<&'static Table> = plan.chain.iter().map(|&t| table(t)).collect();
        let fused = match (seg, chain.first()) {
            (Some(s), Some(&first)) => std::ptr::eq(s, first),
            _ => false,
        };
        Converter {
            config,
            norm: table(TableId::Norm),
            seg,
            chain,
            fused,
        }
    }

    /// The config this converter implements.
    pub fn config(&self) -> Config {
        self.config
    }

    /// Converts `text`, exactly as OpenCC 1.4.2 does with this config.
    pub fn convert(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + text.len() / 8);
        self.convert_into(text, &mut out);
        out
    }

    /// Appends the conversion of `text` to `out` (reuse `out` to avoid allocations).
    pub fn convert_into(&self, text: &str, out: &mut String) {
        let mut dropping = false;
        self.convert_chunk(text, out, &mut dropping);
    }

    /// Converts one piece of a longer text. `dropping` carries OpenCC's NUL truncation across
    /// pieces: it is true when the unmatched run at the end of the previous piece contained a NUL
    /// (the rest of that segment, up to the next segmentation match, is dropped).
    pub(crate) fn convert_chunk(&self, text: &str, out: &mut String, dropping: &mut bool) {
        let text = self.normalize(text);
        let mut scratch = Scratch::default();
        match self.seg {
            None => self.apply_chain(&text, out, &mut scratch),
            Some(seg) if self.fused => self.fused_segments(seg, &text, out, dropping, &mut scratch),
            Some(seg) => self.segments(seg, &text, out, dropping, &mut scratch),
        }
    }

    /// Normalization; borrows the text when it has no CJK compatibility ideograph.
    fn normalize<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if !may_have_compatibility_ideograph(text.as_bytes()) {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        self.norm.convert(text, &mut out);
        Cow::Owned(out)
    }

    /// Applies the conversion chain to one segment.
    fn apply_chain(&self, segment: &str, out: &mut String, scratch: &mut Scratch) {
        if segment.is_empty() {
            return;
        }
        match self.chain.as_slice() {
            [] => out.push_str(segment),
            [only] => only.convert(segment, out),
            [first, middle @ .., last] => {
                let Scratch { a, b, .. } = scratch;
                a.clear();
                first.convert(segment, a);
                for step in middle {
                    b.clear();
                    step.convert(a, b);
                    std::mem::swap(a, b);
                }
                last.convert(a, out);
            }
        }
    }

    /// Applies the chain after its first step (the fused path already did that one).
    fn apply_rest(&self, converted: &str, out: &mut String, a: &mut String, b: &mut String) {
        match self.chain.get(1..).unwrap_or(&[]) {
            [] => out.push_str(converted),
            [only] => only.convert(converted, out),
            [first, rest @ ..] => {
                a.clear();
                first.convert(converted, a);
                for step in rest {
                    b.clear();
                    step.convert(a, b);
                    std::mem::swap(a, b);
                }
                out.push_str(a);
            }
        }
    }

    /// Segmentation, then the chain per segment (OpenCC's `MaxMatchSegmentation` loop).
    fn segments(
        &self,
        seg: &Table,
        text: &str,
        out: &mut String,
        dropping: &mut bool,
        scratch: &mut Scratch,
    ) {
        let b = text.as_bytes();
        let end = b.len();
        let mut i = 0;
        let mut run_start = 0;
        while i < end {
            if b[i] < 0x80 && !seg.ascii_candidates {
                i = ascii_run_end(b, i + 1);
                continue;
            }
            let (cp, len) = decode(b, i);
            let node = seg.root(cp);
            if let Some(m) = seg.walk(b, i + len, end, node, 0) {
                self.flush_run(&text[run_start..i], out, dropping, scratch);
                *dropping = false;
                self.apply_chain(&text[i..m.end], out, scratch);
                i = m.end;
                run_start = i;
                continue;
            }
            i += unmatched_len(b, i, end, cp, len);
        }
        self.flush_run(&text[run_start..], out, dropping, scratch);
    }

    /// Converts an unmatched-run segment, truncated at its first NUL as OpenCC's C strings are.
    fn flush_run(&self, run: &str, out: &mut String, dropping: &mut bool, scratch: &mut Scratch) {
        if *dropping || run.is_empty() {
            return;
        }
        match run.find('\0') {
            Some(nul) => {
                self.apply_chain(&run[..nul], out, scratch);
                *dropping = true;
            }
            None => self.apply_chain(run, out, scratch),
        }
    }

    /// Segmentation fused with the first conversion step (see the module documentation).
    fn fused_segments(
        &self,
        first: &Table,
        text: &str,
        out: &mut String,
        dropping: &mut bool,
        scratch: &mut Scratch,
    ) {
        let Scratch { a, b: sb, run } = scratch;
        run.clear();
        let b = text.as_bytes();
        let end = b.len();
        let mut i = 0;
        while i < end {
            if b[i] < 0x80 && !first.ascii_candidates {
                let j = ascii_run_end(b, i + 1);
                if !*dropping {
                    let ascii = &text[i..j];
                    match ascii.find('\0') {
                        Some(nul) => {
                            run.push_str(&ascii[..nul]);
                            *dropping = true;
                        }
                        None => run.push_str(ascii),
                    }
                }
                i = j;
                continue;
            }
            let (cp, len) = decode(b, i);
            let node = first.root(cp);
            if let Some(m) = first.walk(b, i + len, end, node, u8::MAX) {
                if m.rank == 0 {
                    if !run.is_empty() {
                        self.apply_rest(run, out, a, sb);
                        run.clear();
                    }
                    *dropping = false;
                    self.apply_rest(m.value, out, a, sb);
                } else if !*dropping {
                    run.push_str(m.value);
                }
                i = m.end;
                continue;
            }
            let unit = unmatched_len(b, i, end, cp, len);
            if !*dropping {
                let piece = &text[i..i + unit];
                if unit == len && b[i] != 0 {
                    // One character that is not NUL: the common case.
                    run.push_str(piece);
                    i += unit;
                    continue;
                }
                match piece.find('\0') {
                    // A NUL inside an IDS: OpenCC converts the truncated segment, where the IDS
                    // is incomplete, so convert what precedes the NUL afresh.
                    Some(nul) => {
                        first.convert(&piece[..nul], run);
                        *dropping = true;
                    }
                    None => run.push_str(piece),
                }
            }
            i += unit;
        }
        if !run.is_empty() {
            self.apply_rest(run, out, a, sb);
            run.clear();
        }
    }

    /// True when a stream may be cut after character `cp`: it occurs in no key of any table of
    /// this config, so no match can span the cut (the caller also keeps IDS operators away).
    pub(crate) fn is_cut_char(&self, cp: u32) -> bool {
        if cp == 0 || crate::table::is_ids_operator(cp) {
            return false;
        }
        !(self.norm.is_key_char(cp)
            || self.seg.is_some_and(|t| t.is_key_char(cp))
            || self.chain.iter().any(|t| t.is_key_char(cp)))
    }
}

/// Cheap pre-check for normalization: CJK compatibility ideographs are U+F900..U+FAFF
/// (UTF-8 `EF A4..AB xx`) and U+2F800..U+2FA1F (`F0 AF xx xx`); a unit test checks that every
/// key of the normalization dictionary lies there.
fn may_have_compatibility_ideograph(b: &[u8]) -> bool {
    b.windows(2)
        .any(|w| (w[0] == 0xEF && (0xA4..=0xAB).contains(&w[1])) || (w[0] == 0xF0 && w[1] == 0xAF))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dict::{self, DictId};

    #[test]
    fn normalization_keys_are_in_the_prechecked_ranges() {
        for (key, _) in dict::entries(DictId::CjkCompatibilityIdeographs.text()) {
            assert!(may_have_compatibility_ideograph(key.as_bytes()), "{key}");
        }
    }

    #[test]
    fn nul_truncates_segments_like_opencc() {
        // Checked against PyPI opencc 1.4.2.
        let s2tw = Converter::get(Config::S2tw);
        assert_eq!(s2tw.convert("a\0bc汉字\0后面"), "a後面");
        assert_eq!(s2tw.convert("头发\0头发"), "頭髮頭髮");
        assert_eq!(Converter::get(Config::Tw2s).convert("a\0bc汉字\0后面"), "a");
        assert_eq!(
            Converter::get(Config::S2t).convert("头发\0头发"),
            "頭髮\0頭髮"
        );
    }

    #[test]
    fn ids_like_opencc() {
        assert_eq!(
            Converter::get(Config::S2tw).convert("⿰氵每后面 ⿰汉"),
            "⿰氵每後面 ⿰漢"
        );
        assert_eq!(
            Converter::get(Config::T2s).convert("⿰氵每后面 ⿰汉"),
            "⿰氵每后面 ⿰汉"
        );
    }
}
