//! A compiled conversion step: OpenCC's prefix matching over a dictionary or dictionary group.
//!
//! OpenCC matches at one position at a time: a `short_circuit` group takes the longest match of
//! the first member dictionary that has any match at that position, a `union` group the longest
//! match over all members (the earlier dictionary wins for an equal key). That is neither
//! Aho-Corasick leftmost-longest nor one merged dictionary, so an automaton crate such as
//! `daachorse` cannot express it without a second pass. Instead every step is one trie over the
//! union of its dictionaries where each entry carries a *rank* (its member's index in the
//! short-circuit group; all members of a union share a rank). One walk along the text then picks
//! the lowest rank seen and, within it, the longest key, which is exactly OpenCC's answer.
//!
//! Layout, chosen for speed on Han text: the trie's first level is a two-level page table indexed
//! by code point (two loads, no hashing, no search), deeper levels are contiguous sorted edge
//! arrays searched by binary search (most nodes have few children), values are `&'static str`
//! slices of the embedded dictionary text (no copies). Single-character dictionaries therefore
//! cost one table lookup per character. A step over text copies unmatched runs in bulk and skips
//! ASCII without decoding when no key starts with an ASCII character.

use crate::dict::{self, DictId};

/// Nodes of the trie; index 0 is the root (it never carries a value).
#[derive(Clone, Copy)]
struct Node {
    value: &'static str,
    has_value: bool,
    rank: u8,
    first_edge: u32,
    n_edges: u32,
}

#[derive(Clone, Copy)]
struct Edge {
    ch: u32,
    node: u32,
}

/// The result of a prefix match: where the key ends, its value and its rank.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Match {
    pub(crate) end: usize,
    pub(crate) value: &'static str,
    pub(crate) rank: u8,
}

/// A compiled dictionary group (see the module documentation).
pub(crate) struct Table {
    /// Page index per 256 code points (0 = the empty page).
    pages: Vec<u16>,
    /// 256 root-child node ids per page (0 = no key starts with this character).
    page_nodes: Vec<u32>,
    nodes: Vec<Node>,
    edges: Vec<Edge>,
    /// True when some key starts with an ASCII character (disables the ASCII skip).
    pub(crate) ascii_candidates: bool,
    /// Every character that occurs anywhere in a key, sorted (for safe stream chunk boundaries).
    key_chars: Vec<u32>,
}

const NUM_PAGES: usize = 0x110000 >> 8;

/// Decodes the character starting at byte `i` of valid UTF-8 `b`: (code point, byte length).
///
/// Callers pass the bytes of a `&str` and a character boundary, so the continuation bytes exist.
#[inline(always)]
pub(crate) fn decode(b: &[u8], i: usize) -> (u32, usize) {
    let b0 = b[i] as u32;
    if b0 < 0x80 {
        (b0, 1)
    } else if b0 < 0xE0 {
        (((b0 & 0x1F) << 6) | (b[i + 1] as u32 & 0x3F), 2)
    } else if b0 < 0xF0 {
        (
            ((b0 & 0x0F) << 12) | ((b[i + 1] as u32 & 0x3F) << 6) | (b[i + 2] as u32 & 0x3F),
            3,
        )
    } else {
        (
            ((b0 & 0x07) << 18)
                | ((b[i + 1] as u32 & 0x3F) << 12)
                | ((b[i + 2] as u32 & 0x3F) << 6)
                | (b[i + 3] as u32 & 0x3F),
            4,
        )
    }
}

/// OpenCC's `IdeographicDescriptionOperatorArity` (U+2FF0..U+2FFF).
#[inline]
fn ids_arity(cp: u32) -> usize {
    match cp {
        0x2FF2 | 0x2FF3 => 3,
        0x2FFE | 0x2FFF => 1,
        0x2FF0..=0x2FFD => 2,
        _ => 0,
    }
}

/// True for the ideographic description operators that start an IDS unit.
#[inline]
pub(crate) fn is_ids_operator(cp: u32) -> bool {
    ids_arity(cp) != 0
}

enum Ids {
    Complete(usize),
    Incomplete,
    Invalid,
}

fn consume_ids(b: &[u8], pos: usize, end: usize, depth_left: usize, cps: &mut usize) -> Ids {
    const MAX_CODE_POINTS: usize = 64;
    if pos >= end {
        return Ids::Incomplete;
    }
    if depth_left == 0 || *cps >= MAX_CODE_POINTS {
        return Ids::Invalid;
    }
    let (cp, len) = decode(b, pos);
    *cps += 1;
    let arity = ids_arity(cp);
    if arity == 0 {
        return Ids::Complete(len);
    }
    let mut offset = len;
    for _ in 0..arity {
        if pos + offset >= end {
            return Ids::Incomplete;
        }
        match consume_ids(b, pos + offset, end, depth_left - 1, cps) {
            Ids::Complete(n) => offset += n,
            other => return other,
        }
    }
    Ids::Complete(offset)
}

/// Length of the complete ideographic description sequence at `pos` (bounded by `end`), as
/// OpenCC's `NextIdeographicDescriptionSequenceLength`: an unmatched complete IDS passes through
/// as one unit, so characters inside it are never converted.
#[inline]
pub(crate) fn ids_len(b: &[u8], pos: usize, end: usize) -> Option<usize> {
    let mut cps = 0;
    match consume_ids(b, pos, end, 16, &mut cps) {
        Ids::Complete(n) => Some(n),
        _ => None,
    }
}

/// Byte length of the unit that passes through unconverted at `pos` (an IDS or one character).
#[inline]
pub(crate) fn unmatched_len(b: &[u8], pos: usize, end: usize, cp: u32, len: usize) -> usize {
    if is_ids_operator(cp) {
        ids_len(b, pos, end).unwrap_or(len)
    } else {
        len
    }
}

/// Length of the run of ASCII bytes starting at `i`.
#[inline]
pub(crate) fn ascii_run_end(b: &[u8], mut i: usize) -> usize {
    while i + 8 <= b.len() {
        let mut w = [0u8; 8];
        w.copy_from_slice(&b[i..i + 8]);
        if u64::from_le_bytes(w) & 0x8080_8080_8080_8080 != 0 {
            break;
        }
        i += 8;
    }
    while i < b.len() && b[i] < 0x80 {
        i += 1;
    }
    i
}

impl Table {
    /// Compiles a short-circuit group of union groups: `ranks[r]` are the dictionaries of rank `r`.
    pub(crate) fn build(ranks: &[&[DictId]]) -> Table {
        let mut entries: Vec<(&'static str, u8, &'static str)> = Vec::new();
        for (rank, members) in ranks.iter().enumerate() {
            let rank = u8::try_from(rank).unwrap_or(u8::MAX);
            for &id in members.iter() {
                entries.extend(dict::entries(id.text()).map(|(k, v)| (k, rank, v)));
            }
        }
        Table::from_entries(entries)
    }

    /// Builds the trie from `(key, rank, value)` entries; for a repeated key the first one wins.
    pub(crate) fn from_entries(mut entries: Vec<(&'static str, u8, &'static str)>) -> Table {
        entries.retain(|(k, _, _)| !k.is_empty());
        // Stable: among equal keys the earlier (lower rank, earlier dictionary) stays first.
        entries.sort_by(|a, b| a.0.cmp(b.0));
        entries.dedup_by(|later, earlier| later.0 == earlier.0);

        let mut nodes = vec![Node {
            value: "",
            has_value: false,
            rank: u8::MAX,
            first_edge: 0,
            n_edges: 0,
        }];
        // (parent, char, child), created in key order.
        let mut raw_edges: Vec<(u32, u32, u32)> = Vec::new();
        let mut key_chars: Vec<u32> = Vec::new();
        // The path of the previous key: (char, node) per level.
        let mut path: Vec<(u32, u32)> = Vec::new();
        for &(key, rank, value) in &entries {
            let chars: Vec<u32> = key.chars().map(u32::from).collect();
            key_chars.extend_from_slice(&chars);
            let common = path
                .iter()
                .zip(chars.iter())
                .take_while(|((pc, _), c)| pc == *c)
                .count();
            path.truncate(common);
            for &c in &chars[common..] {
                let parent = path.last().map_or(0, |&(_, n)| n);
                let id = u32::try_from(nodes.len()).unwrap_or(u32::MAX);
                nodes.push(Node {
                    value: "",
                    has_value: false,
                    rank: u8::MAX,
                    first_edge: 0,
                    n_edges: 0,
                });
                raw_edges.push((parent, c, id));
                path.push((c, id));
            }
            if let Some(&(_, n)) = path.last() {
                let node = &mut nodes[n as usize];
                node.value = value;
                node.has_value = true;
                node.rank = rank;
            }
        }
        key_chars.sort_unstable();
        key_chars.dedup();

        // Children of one parent are created in increasing character order; a stable sort by
        // parent makes each node's edges contiguous and sorted.
        raw_edges.sort_by_key(|&(parent, _, _)| parent);
        let mut pages = vec![0u16; NUM_PAGES];
        let mut page_nodes = vec![0u32; 256];
        let mut edges = Vec::with_capacity(raw_edges.len());
        let mut ascii_candidates = false;
        for &(parent, ch, child) in &raw_edges {
            if parent == 0 {
                let page = (ch >> 8) as usize;
                if pages[page] == 0 {
                    pages[page] = u16::try_from(page_nodes.len() / 256).unwrap_or(0);
                    page_nodes.extend(std::iter::repeat_n(0u32, 256));
                }
                page_nodes[(pages[page] as usize) << 8 | (ch & 0xFF) as usize] = child;
                ascii_candidates |= ch < 0x80;
                continue;
            }
            let idx = u32::try_from(edges.len()).unwrap_or(u32::MAX);
            let node = &mut nodes[parent as usize];
            if node.n_edges == 0 {
                node.first_edge = idx;
            }
            node.n_edges += 1;
            edges.push(Edge { ch, node: child });
        }
        Table {
            pages,
            page_nodes,
            nodes,
            edges,
            ascii_candidates,
            key_chars,
        }
    }

    /// The node of the one-character key prefix `cp` (0 when no key starts with it).
    #[inline(always)]
    pub(crate) fn root(&self, cp: u32) -> u32 {
        let page = self.pages.get((cp >> 8) as usize).copied().unwrap_or(0) as usize;
        self.page_nodes
            .get(page << 8 | (cp & 0xFF) as usize)
            .copied()
            .unwrap_or(0)
    }

    /// True when `cp` occurs anywhere in a key of this table.
    pub(crate) fn is_key_char(&self, cp: u32) -> bool {
        self.key_chars.binary_search(&cp).is_ok()
    }

    /// Continues a match whose first character (ending at `p`) led to root child `node`: the
    /// lowest-rank, then longest key of rank `<= max_rank` that is a prefix of `b[start..end]`.
    #[inline]
    pub(crate) fn walk(
        &self,
        b: &[u8],
        mut p: usize,
        end: usize,
        node: u32,
        max_rank: u8,
    ) -> Option<Match> {
        let mut n = self.nodes.get(node as usize)?;
        let mut best: Option<Match> = None;
        let mut best_rank = max_rank;
        if n.has_value && n.rank <= best_rank {
            best_rank = n.rank;
            best = Some(Match {
                end: p,
                value: n.value,
                rank: n.rank,
            });
        }
        while n.n_edges != 0 && p < end {
            let (cp, len) = decode(b, p);
            let first = n.first_edge as usize;
            let edges = self.edges.get(first..first + n.n_edges as usize)?;
            let Ok(k) = edges.binary_search_by_key(&cp, |e| e.ch) else {
                break;
            };
            p += len;
            n = self.nodes.get(edges[k].node as usize)?;
            if n.has_value && n.rank <= best_rank {
                best_rank = n.rank;
                best = Some(Match {
                    end: p,
                    value: n.value,
                    rank: n.rank,
                });
            }
        }
        best
    }

    /// Applies this step to `s` (one OpenCC segment), appending to `out`: OpenCC's
    /// `Conversion::AppendConverted`.
    pub(crate) fn convert(&self, s: &str, out: &mut String) {
        let b = s.as_bytes();
        let end = b.len();
        let mut i = 0;
        let mut copied = 0;
        while i < end {
            if b[i] < 0x80 && !self.ascii_candidates {
                i = ascii_run_end(b, i + 1);
                continue;
            }
            let (cp, len) = decode(b, i);
            let node = self.root(cp);
            if node != 0
                && let Some(m) = self.walk(b, i + len, end, node, u8::MAX)
            {
                out.push_str(&s[copied..i]);
                out.push_str(m.value);
                i = m.end;
                copied = i;
                continue;
            }
            i += unmatched_len(b, i, end, cp, len);
        }
        out.push_str(&s[copied..]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(entries: &[(&'static str, u8, &'static str)]) -> Table {
        Table::from_entries(entries.to_vec())
    }

    fn conv(t: &Table, s: &str) -> String {
        let mut out = String::new();
        t.convert(s, &mut out);
        out
    }

    #[test]
    fn short_circuit_prefers_rank_over_length() {
        let t = table(&[
            ("ab", 0, "X"),
            ("abc", 1, "Y"),
            ("a", 1, "Z"),
            ("c", 1, "C"),
        ]);
        assert_eq!(conv(&t, "abc"), "XC");
        assert_eq!(conv(&t, "ac"), "ZC");
    }

    #[test]
    fn union_takes_longest_and_first_wins_equal_keys() {
        let t = table(&[("ab", 0, "X"), ("abc", 0, "Y"), ("ab", 0, "W")]);
        assert_eq!(conv(&t, "abcab"), "YX");
    }

    #[test]
    fn ids_passes_through_as_a_unit() {
        let t = table(&[("氵", 0, "水"), ("后", 0, "後")]);
        assert_eq!(conv(&t, "⿰氵每后"), "⿰氵每後");
        assert_eq!(conv(&t, "⿰氵"), "⿰水");
    }
}
