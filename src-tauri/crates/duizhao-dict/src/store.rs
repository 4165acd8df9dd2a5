//! The loaded dictionary: CC-CEDICT's text kept whole as one arena, a 12-byte record per entry
//! pointing into it, and the headwords of both scripts as one sorted array of references into
//! the same text, each with its group of entries. Nothing is copied out of the text, so the
//! resident size stays close to the text's own 9.6 MB.
//!
//! A sorted array rather than an FST: sorting the 194,000 headwords takes a fraction of the time
//! building an FST does (measured: the FST build alone was most of the first look-up's wait), and
//! the segmenter's walk — narrowing the range of headwords that start with a growing prefix —
//! stays within a few binary searches per character.

use std::io::Read;

use crate::DictError;
use crate::reading;

/// No entry chosen (a headword whose only entries have an unknown reading).
pub(crate) const NONE: u32 = u32::MAX;

/// One CEDICT line `TRAD SIMP [PINYIN] /DEF/DEF/`, as offsets into the text. The fields follow
/// each other at fixed distances (one space, ` [`, `] /`), so a start and four lengths say it all.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RawEntry {
    start: u32,
    defs_len: u32,
    pinyin_len: u16,
    trad_len: u8,
    simp_len: u8,
}

/// A headword: a slice of the text (every headword is some entry's traditional or simplified
/// field, at most 255 bytes).
#[derive(Clone, Copy, Debug)]
struct KeyRef {
    start: u32,
    len: u8,
}

/// The parsed dictionary.
pub(crate) struct Store {
    text: String,
    entries: Vec<RawEntry>,
    /// Headwords in byte order; a word's id is its position here.
    keys: Vec<KeyRef>,
    /// For each first character of a headword, the range of `keys` starting with it, by
    /// character: the segmenter's walk starts there instead of searching all headwords.
    first: Vec<(char, u32, u32)>,
    /// Word `w`'s entries are `postings[word_starts[w]..word_starts[w + 1]]`, in file order.
    word_starts: Vec<u32>,
    postings: Vec<u32>,
    /// The entry whose reading a word gets in running text ([`reading::choose`]).
    chosen: Vec<u32>,
    /// Lines skipped because they do not have the entry layout.
    pub(crate) malformed_lines: usize,
}

impl Store {
    /// Decompresses and parses the embedded CC-CEDICT.
    pub(crate) fn embedded() -> Result<Store, DictError> {
        static DATA: &[u8] = include_bytes!("../data/cedict_ts.u8.zst");
        let mut decoder = ruzstd::decoding::StreamingDecoder::new(DATA)
            .map_err(|e| DictError::Decompress(e.to_string()))?;
        // The text is 9,584,103 bytes; reserving that (not more: the buffer becomes the arena)
        // avoids reallocations, and their copies, while decoding.
        let mut bytes = Vec::with_capacity(9_600_000);
        decoder
            .read_to_end(&mut bytes)
            .map_err(|e| DictError::Decompress(e.to_string()))?;
        let text = String::from_utf8(bytes).map_err(|_| DictError::NotUtf8)?;
        Store::parse(text)
    }

    /// Parses CC-CEDICT text (`#` comment lines, then one entry a line). Lines that do not have
    /// the entry layout are skipped and counted.
    pub(crate) fn parse(text: String) -> Result<Store, DictError> {
        // Offsets are u32: a text past 4 GiB is not a dictionary we can hold anyway.
        if text.len() >= u32::MAX as usize {
            return Err(DictError::TooLarge);
        }
        let mut entries = Vec::with_capacity(125_000);
        let mut malformed_lines = 0;
        let mut offset = 0usize;
        for line in text.split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            let body = line.trim_end_matches(['\n', '\r']);
            if body.is_empty() || body.starts_with('#') {
                continue;
            }
            match parse_line(body, start) {
                Some(e) => entries.push(e),
                None => malformed_lines += 1,
            }
        }
        entries.shrink_to_fit();
        let mut store = Store {
            text,
            entries,
            keys: Vec::new(),
            first: Vec::new(),
            word_starts: Vec::new(),
            postings: Vec::new(),
            chosen: Vec::new(),
            malformed_lines,
        };
        store.build_index();
        Ok(store)
    }

    fn build_index(&mut self) {
        let mut keys: Vec<(&str, u32)> = Vec::with_capacity(self.entries.len() * 2);
        for (i, e) in self.entries.iter().enumerate() {
            let i = i as u32;
            let (t, s) = (self.trad_of(e), self.simp_of(e));
            keys.push((t, i));
            if s != t {
                keys.push((s, i));
            }
        }
        keys.sort_unstable();
        let mut index = Vec::new();
        let mut word_starts = Vec::with_capacity(keys.len() + 1);
        let mut postings = Vec::with_capacity(keys.len());
        let mut chosen = Vec::with_capacity(keys.len());
        for group in keys.chunk_by(|a, b| a.0 == b.0) {
            let key = group[0].0;
            index.push(KeyRef {
                start: (key.as_ptr() as usize - self.text.as_ptr() as usize) as u32,
                len: key.len() as u8,
            });
            let start = postings.len();
            word_starts.push(start as u32);
            postings.extend(group.iter().map(|&(_, i)| i));
            chosen.push(reading::choose(self, key, &postings[start..]));
        }
        word_starts.push(postings.len() as u32);
        drop(keys);
        index.shrink_to_fit();
        self.keys = index;
        self.first = self.first_ranges();
        word_starts.shrink_to_fit();
        chosen.shrink_to_fit();
        postings.shrink_to_fit();
        self.word_starts = word_starts;
        self.postings = postings;
        self.chosen = chosen;
    }

    fn key(&self, k: &KeyRef) -> &str {
        self.field(k.start as usize, k.len as usize)
    }

    /// Number of distinct headwords (a word written the same in both scripts counts once).
    pub(crate) fn words(&self) -> usize {
        self.word_starts.len().saturating_sub(1)
    }

    /// Number of entries (CEDICT lines).
    pub(crate) fn entry_count(&self) -> usize {
        self.entries.len()
    }

    /// The word whose headword is exactly `key`.
    pub(crate) fn find(&self, key: &str) -> Option<u32> {
        self.keys
            .binary_search_by(|k| self.key(k).cmp(key))
            .ok()
            .map(|w| w as u32)
    }

    /// Ranges of `keys` sharing a first character (UTF-8 byte order is code point order, so
    /// they are contiguous and increasing).
    fn first_ranges(&self) -> Vec<(char, u32, u32)> {
        let mut out: Vec<(char, u32, u32)> = Vec::with_capacity(32_768);
        for (i, k) in self.keys.iter().enumerate() {
            let Some(c) = self.key(k).chars().next() else {
                continue;
            };
            match out.last_mut() {
                Some(last) if last.0 == c => last.2 = i as u32 + 1,
                _ => out.push((c, i as u32, i as u32 + 1)),
            }
        }
        out.shrink_to_fit();
        out
    }

    /// Calls `found(chars, word)` for every headword that is a prefix of `text`, shortest
    /// first, with `chars` the length of that prefix in characters.
    pub(crate) fn prefixes(&self, text: &str, mut found: impl FnMut(usize, u32)) {
        let mut chars = text.char_indices();
        let Some((_, c)) = chars.next() else {
            return;
        };
        let Ok(at) = self.first.binary_search_by(|f| f.0.cmp(&c)) else {
            return;
        };
        let (_, lo, hi) = self.first[at];
        let (mut lo, mut hi) = (lo as usize, hi as usize);
        let mut end = c.len_utf8();
        let mut count = 1;
        loop {
            // Headwords starting with a prefix are contiguous in byte order and begin at the
            // prefix's own position; each longer prefix narrows the range.
            let prefix = &text[..end];
            if count > 1 {
                let range = &self.keys[lo..hi];
                let skip = range.partition_point(|k| self.key(k) < prefix);
                let keep = range[skip..].partition_point(|k| self.key(k).starts_with(prefix));
                if keep == 0 {
                    return;
                }
                lo += skip;
                hi = lo + keep;
            }
            if self.key(&self.keys[lo]).len() == prefix.len() {
                found(count, lo as u32);
            }
            match chars.next() {
                Some((i, c)) => {
                    end = i + c.len_utf8();
                    count += 1;
                }
                None => return,
            }
        }
    }

    /// Entry indices of a word, in file order.
    pub(crate) fn postings(&self, word: u32) -> &[u32] {
        let w = word as usize;
        match (self.word_starts.get(w), self.word_starts.get(w + 1)) {
            (Some(&a), Some(&b)) => self.postings.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// The entry whose reading `word` takes in running text.
    pub(crate) fn chosen(&self, word: u32) -> Option<u32> {
        self.chosen
            .get(word as usize)
            .copied()
            .filter(|&e| e != NONE)
    }

    pub(crate) fn entry(&self, i: u32) -> Option<&RawEntry> {
        self.entries.get(i as usize)
    }

    fn field(&self, start: usize, len: usize) -> &str {
        self.text.get(start..start + len).unwrap_or("")
    }

    pub(crate) fn trad_of(&self, e: &RawEntry) -> &str {
        self.field(e.start as usize, e.trad_len as usize)
    }

    pub(crate) fn simp_of(&self, e: &RawEntry) -> &str {
        self.field(
            e.start as usize + e.trad_len as usize + 1,
            e.simp_len as usize,
        )
    }

    pub(crate) fn pinyin_of(&self, e: &RawEntry) -> &str {
        let at = e.start as usize + e.trad_len as usize + 1 + e.simp_len as usize + 2;
        self.field(at, e.pinyin_len as usize)
    }

    /// The definitions, `/`-separated as in the file.
    pub(crate) fn defs_of(&self, e: &RawEntry) -> &str {
        let at = e.start as usize
            + e.trad_len as usize
            + 1
            + e.simp_len as usize
            + 2
            + e.pinyin_len as usize
            + 3;
        self.field(at, e.defs_len as usize)
    }

    /// Bytes held on the heap by the loaded dictionary (text, records, index, tables).
    pub(crate) fn heap_bytes(&self) -> usize {
        self.text.capacity()
            + self.entries.capacity() * size_of::<RawEntry>()
            + self.keys.capacity() * size_of::<KeyRef>()
            + self.first.capacity() * size_of::<(char, u32, u32)>()
            + (self.word_starts.capacity() + self.postings.capacity() + self.chosen.capacity())
                * size_of::<u32>()
    }
}

/// `TRAD SIMP [PINYIN] /DEF/.../` at byte `start` of the text.
fn parse_line(line: &str, start: usize) -> Option<RawEntry> {
    let (trad, rest) = line.split_once(' ')?;
    let (simp, rest) = rest.split_once(' ')?;
    let rest = rest.strip_prefix('[')?;
    let (pinyin, rest) = rest.split_once(']')?;
    let defs = rest.strip_prefix(" /")?.strip_suffix('/')?;
    if trad.is_empty() || simp.is_empty() || defs.is_empty() {
        return None;
    }
    Some(RawEntry {
        start: u32::try_from(start).ok()?,
        defs_len: u32::try_from(defs.len()).ok()?,
        pinyin_len: u16::try_from(pinyin.len()).ok()?,
        trad_len: u8::try_from(trad.len()).ok()?,
        simp_len: u8::try_from(simp.len()).ok()?,
    })
}
