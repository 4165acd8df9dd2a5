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
    /// For the fused path: per value of the first step, true when the rest of the chain leaves it
    /// unchanged (no later step has a key starting with one of its characters).
    rest_identity: Vec<bool>,
    /// True when a later step has a key starting with an ASCII character.
    rest_ascii: bool,
}

impl std::fmt::Debug for Converter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Converter")
            .field("config", &self.config)
            .field("steps", &self.chain.len())
            .field("segmented", &self.seg.is_some())
            .finish()
    }
}

/// Scratch buffers for the chain.
#[derive(Default)]
struct Scratch {
    a: String,
    b: String,
    run: String,
}

impl Scratch {
    /// Keeps a thread's idle buffers small after converting a large text.
    fn shrink(&mut self) {
        const KEEP: usize = 64 * 1024;
        for s in [&mut self.a, &mut self.b, &mut self.run] {
            if s.capacity() > KEEP {
                *s = String::new();
            }
        }
    }
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
        let rest = chain.get(1..).unwrap_or(&[]);
        let rest_identity = match (fused, chain.first()) {
            (true, Some(first)) => first
                .values()
                .iter()
                .map(|v| {
                    !v.chars()
                        .any(|c| rest.iter().any(|t| t.starts_key(u32::from(c))))
                })
                .collect(),
            _ => Vec::new(),
        };
        let rest_ascii = rest.iter().any(|t| t.ascii_candidates);
        Converter {
            config,
            norm: table(TableId::Norm),
            seg,
            chain,
            fused,
            rest_identity,
            rest_ascii,
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
        // Scratch buffers are kept per thread so short texts (paragraphs) allocate nothing.
        thread_local! {
            static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
        }
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut scratch) => {
                self.convert_normalized(&text, out, dropping, &mut scratch);
                scratch.shrink();
            }
            Err(_) => self.convert_normalized(&text, out, dropping, &mut Scratch::default()),
        });
    }

    fn convert_normalized(
        &self,
        text: &str,
        out: &mut String,
        dropping: &mut bool,
        scratch: &mut Scratch,
    ) {
        match self.seg {
            None => self.apply_chain(text, out, scratch),
            Some(seg) if self.fused => self.fused_segments(seg, text, out, dropping, scratch),
            Some(seg) => self.segments(seg, text, out, dropping, scratch),
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

    /// True when some later step of the chain may change text containing `cp`.
    #[inline(always)]
    fn rest_starts_key(&self, cp: u32) -> bool {
        self.chain
            .get(1..)
            .unwrap_or(&[])
            .iter()
            .any(|t| t.starts_key(cp))
    }

    /// Segmentation fused with the first conversion step (see the module documentation).
    ///
    /// The first step's output for a run of unmatched positions is written straight into `out`;
    /// the rest of the chain is applied to it afterwards only when the run holds a character the
    /// later steps could change (`dirty`), and to a phrase only when its value is not known to
    /// pass the later steps unchanged (`Converter::rest_identity`).
    fn fused_segments(
        &self,
        first: &Table,
        text: &str,
        out: &mut String,
        dropping: &mut bool,
        scratch: &mut Scratch,
    ) {
        let Scratch { a, b: sb, run } = scratch;
        let b = text.as_bytes();
        let end = b.len();
        let mut i = 0;
        // Text in `copied..i` is pending pass-through output of the current run.
        let mut copied = 0;
        let mut run_start = out.len();
        let mut dirty = false;
        macro_rules! flush_run {
            () => {
                if !*dropping {
                    out.push_str(&text[copied..i]);
                }
                if dirty {
                    run.clear();
                    run.push_str(out.get(run_start..).unwrap_or(""));
                    out.truncate(run_start);
                    self.apply_rest(run, out, a, sb);
                }
            };
        }
        while i < end {
            if b[i] < 0x80 && !first.ascii_candidates {
                let j = ascii_run_end(b, i + 1);
                if !*dropping {
                    let ascii = &b[i..j];
                    if let Some(nul) = ascii.iter().position(|&c| c == 0) {
                        out.push_str(&text[copied..i + nul]);
                        dirty |= ascii[..nul]
                            .iter()
                            .any(|&c| self.rest_starts_key(u32::from(c)));
                        *dropping = true;
                    } else {
                        dirty |= self.rest_ascii
                            && ascii.iter().any(|&c| self.rest_starts_key(u32::from(c)));
                    }
                }
                i = j;
                if *dropping {
                    copied = i;
                }
                continue;
            }
            let (cp, len) = decode(b, i);
            let node = first.root(cp);
            if let Some(m) = first.walk(b, i + len, end, node, u8::MAX) {
                if m.rank == 0 {
                    flush_run!();
                    *dropping = false;
                    if self
                        .rest_identity
                        .get(m.idx as usize)
                        .copied()
                        .unwrap_or(false)
                    {
                        out.push_str(m.value);
                    } else {
                        self.apply_rest(m.value, out, a, sb);
                    }
                    run_start = out.len();
                    dirty = false;
                } else if !*dropping {
                    out.push_str(&text[copied..i]);
                    out.push_str(m.value);
                    dirty |= !self
                        .rest_identity
                        .get(m.idx as usize)
                        .copied()
                        .unwrap_or(false);
                }
                i = m.end;
                copied = i;
                continue;
            }
            let unit = unmatched_len(b, i, end, cp, len);
            if !*dropping {
                if unit == len && b[i] != 0 {
                    // One character that is not NUL: the common case, copied later in bulk.
                    dirty |= self.rest_starts_key(cp);
                    i += unit;
                    continue;
                }
                let piece = &text[i..i + unit];
                match piece.find('\0') {
                    // A NUL inside an IDS: OpenCC converts the truncated segment, where the IDS
                    // is incomplete, so convert what precedes the NUL afresh.
                    Some(nul) => {
                        out.push_str(&text[copied..i]);
                        first.convert(&piece[..nul], out);
                        dirty = true;
                        *dropping = true;
                    }
                    None => {
                        dirty |= piece.chars().any(|c| self.rest_starts_key(u32::from(c)));
                        i += unit;
                        continue;
                    }
                }
            }
            i += unit;
            copied = i;
        }
        flush_run!();
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
/// Written as a branch-free fold over 64-byte blocks so the compiler vectorizes it.
fn may_have_compatibility_ideograph(b: &[u8]) -> bool {
    let (Some(x), Some(y)) = (b.get(..b.len().saturating_sub(1)), b.get(1..)) else {
        return false;
    };
    x.chunks(64).zip(y.chunks(64)).any(|(xs, ys)| {
        xs.iter().zip(ys).fold(false, |acc, (&p, &q)| {
            acc | ((p == 0xEF) & (q.wrapping_sub(0xA4) < 8)) | ((p == 0xF0) & (q == 0xAF))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dict::{self, DictId};

    #[test]
    fn precheck_finds_compatibility_ideographs_anywhere() {
        assert!(!may_have_compatibility_ideograph(b""));
        assert!(!may_have_compatibility_ideograph(
            "，。汉字abc".repeat(50).as_bytes()
        ));
        for n in [0, 1, 63, 64, 65, 200] {
            for c in ['\u{F900}', '\u{FAD9}', '\u{2F800}', '\u{2FA1D}'] {
                let s = format!("{}{c}", "x".repeat(n));
                assert!(may_have_compatibility_ideograph(s.as_bytes()), "{n} {c}");
            }
        }
    }

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
