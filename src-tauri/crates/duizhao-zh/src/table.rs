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

/// A trie node; index 0 is the root (never a value). Nodes are numbered breadth-first, so the
/// children of a node are the consecutive nodes `first_child..first_child + n_children` and the
/// nodes of the first levels (visited at almost every position) share a few cache lines.
#[derive(Clone, Copy)]
struct Node {
    /// The character on the edge into this node.
    ch: u32,
    /// Index into `values`, or `NO_VALUE`.
    value: u32,
    first_child: u32,
    n_children: u16,
    rank: u8,
    /// One bit per child character (`bloom_bit`): rejects most dead ends without a lookup.
    bloom: u64,
}

const NO_VALUE: u32 = u32::MAX;

#[inline(always)]
fn bloom_bit(cp: u32) -> u64 {
    1u64 << (cp.wrapping_mul(0x9E37_79B1) >> 26)
}

#[derive(Clone, Copy, Default)]
struct Slot {
    key: u64,
    node: u32,
}

/// Nodes with more children than this are looked up in the hash map instead of a linear scan.
const LINEAR_MAX: u16 = 8;

#[inline(always)]
fn slot_hash(key: u64, shift: u32) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> shift) as usize
}

/// The result of a prefix match: where the key ends, its value and its rank.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Match {
    pub(crate) end: usize,
    pub(crate) value: &'static str,
    /// Index of the value in the table (see [`Table::values`]).
    pub(crate) idx: u32,
    pub(crate) rank: u8,
}

/// A compiled dictionary group (see the module documentation).
pub(crate) struct Table {
    /// Page index per 256 code points (0 = the empty page).
    pages: Vec<u16>,
    /// 256 root-child node ids per page (0 = no key starts with this character).
    page_nodes: Vec<u32>,
    nodes: Vec<Node>,
    values: Vec<&'static str>,
    /// Open-addressing map `(parent << 21 | char) -> child` for nodes with many children.
    slots: Vec<Slot>,
    slot_shift: u32,
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

        // 1. A trie in creation order: per node its value; edges (parent, char, child).
        let mut tmp_values: Vec<Option<(u8, &'static str)>> = vec![None];
        let mut raw_edges: Vec<(u32, u32, u32)> = Vec::new();
        let mut key_chars: Vec<u32> = Vec::new();
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
                let id = u32::try_from(tmp_values.len()).unwrap_or(u32::MAX);
                tmp_values.push(None);
                raw_edges.push((parent, c, id));
                path.push((c, id));
            }
            if let Some(&(_, n)) = path.last() {
                tmp_values[n as usize] = Some((rank, value));
            }
        }
        key_chars.sort_unstable();
        key_chars.dedup();

        // 2. Children per node, in character order (children of one parent are created in
        //    increasing character order, and the sort is stable).
        raw_edges.sort_by_key(|&(parent, _, _)| parent);
        let count = tmp_values.len();
        let mut child_start = vec![0usize; count + 1];
        for &(parent, _, _) in &raw_edges {
            child_start[parent as usize + 1] += 1;
        }
        for i in 0..count {
            child_start[i + 1] += child_start[i];
        }

        // 3. Breadth-first renumbering.
        let mut order: Vec<(u32, u32)> = Vec::with_capacity(count); // (old id, char)
        order.push((0, 0));
        let mut head = 0;
        while head < order.len() {
            let (old, _) = order[head];
            head += 1;
            let (from, to) = (child_start[old as usize], child_start[old as usize + 1]);
            order.extend(
                raw_edges[from..to]
                    .iter()
                    .map(|&(_, ch, child)| (child, ch)),
            );
        }
        let mut new_id = vec![0u32; count];
        for (new, &(old, _)) in order.iter().enumerate() {
            new_id[old as usize] = u32::try_from(new).unwrap_or(u32::MAX);
        }

        let mut values = Vec::new();
        let mut nodes = Vec::with_capacity(count);
        for &(old, ch) in &order {
            let (from, to) = (child_start[old as usize], child_start[old as usize + 1]);
            let children = &raw_edges[from..to];
            let (value, rank) = match tmp_values[old as usize] {
                Some((rank, v)) => {
                    values.push(v);
                    (u32::try_from(values.len() - 1).unwrap_or(NO_VALUE), rank)
                }
                None => (NO_VALUE, u8::MAX),
            };
            nodes.push(Node {
                ch,
                value,
                first_child: children.first().map_or(0, |&(_, _, c)| new_id[c as usize]),
                n_children: u16::try_from(children.len()).unwrap_or(u16::MAX),
                rank,
                bloom: children
                    .iter()
                    .fold(0, |acc, &(_, c, _)| acc | bloom_bit(c)),
            });
        }

        // 4. The root's children go to the page table instead.
        let mut pages = vec![0u16; NUM_PAGES];
        let mut page_nodes = vec![0u32; 256];
        let mut ascii_candidates = false;
        if let Some(root) = nodes.first_mut() {
            let first = root.first_child as usize;
            let n = child_start[1] - child_start[0];
            root.n_children = 0;
            for (k, child) in order.iter().skip(first).take(n).enumerate() {
                let ch = child.1;
                let page = (ch >> 8) as usize;
                if pages[page] == 0 {
                    pages[page] = u16::try_from(page_nodes.len() / 256).unwrap_or(0);
                    page_nodes.extend(std::iter::repeat_n(0u32, 256));
                }
                page_nodes[(pages[page] as usize) << 8 | (ch & 0xFF) as usize] =
                    u32::try_from(first + k).unwrap_or(0);
                ascii_candidates |= ch < 0x80;
            }
        }

        // 5. Hash map for the nodes with many children (load factor <= 1/2).
        let many: usize = nodes
            .iter()
            .filter(|n| n.n_children > LINEAR_MAX)
            .map(|n| n.n_children as usize)
            .sum();
        let bits = (many * 2)
            .max(2)
            .next_power_of_two()
            .trailing_zeros()
            .max(1);
        let slot_shift = 64 - bits;
        let mut slots = vec![Slot::default(); 1usize << bits];
        let mask = slots.len() - 1;
        for (parent, node) in nodes.iter().enumerate() {
            if node.n_children <= LINEAR_MAX {
                continue;
            }
            let first = node.first_child as usize;
            for (k, child) in nodes[first..first + node.n_children as usize]
                .iter()
                .enumerate()
            {
                let key = (parent as u64) << 21 | u64::from(child.ch);
                let mut h = slot_hash(key, slot_shift);
                while slots[h].key != 0 {
                    h = (h + 1) & mask;
                }
                slots[h] = Slot {
                    key,
                    node: u32::try_from(first + k).unwrap_or(0),
                };
            }
        }
        Table {
            pages,
            page_nodes,
            nodes,
            values,
            slots,
            slot_shift,
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

    /// Every value of the table, indexed by [`Match::idx`].
    pub(crate) fn values(&self) -> &[&'static str] {
        &self.values
    }

    /// True when some key starts with `cp` (this table may change text containing `cp`).
    #[inline(always)]
    pub(crate) fn starts_key(&self, cp: u32) -> bool {
        self.root(cp) != 0
    }

    /// True when `cp` occurs anywhere in a key of this table.
    pub(crate) fn is_key_char(&self, cp: u32) -> bool {
        self.key_chars.binary_search(&cp).is_ok()
    }

    /// The child of node `id` (`n`) along character `cp`.
    #[inline(always)]
    fn child(&self, id: u32, n: &Node, cp: u32) -> Option<u32> {
        if n.bloom & bloom_bit(cp) == 0 {
            return None;
        }
        let first = n.first_child as usize;
        if n.n_children <= LINEAR_MAX {
            let children = self.nodes.get(first..first + n.n_children as usize)?;
            let k = children.iter().position(|c| c.ch == cp)?;
            return u32::try_from(first + k).ok();
        }
        let key = u64::from(id) << 21 | u64::from(cp);
        let mask = self.slots.len() - 1;
        let mut h = slot_hash(key, self.slot_shift);
        loop {
            let slot = self.slots.get(h)?;
            if slot.key == key {
                return Some(slot.node);
            }
            if slot.key == 0 {
                return None;
            }
            h = (h + 1) & mask;
        }
    }

    /// Continues a match whose first character (ending at `p`) led to root child `node` (0: no
    /// key starts with it): the lowest-rank, then longest key of rank `<= max_rank` that is a
    /// prefix of the text up to `end`.
    #[inline(always)]
    pub(crate) fn walk(
        &self,
        b: &[u8],
        mut p: usize,
        end: usize,
        node: u32,
        max_rank: u8,
    ) -> Option<Match> {
        if node == 0 {
            return None;
        }
        let mut id = node;
        let mut n = self.nodes.get(id as usize)?;
        let mut best: Option<(usize, u32, u8)> = None;
        let mut best_rank = max_rank;
        if n.value != NO_VALUE && n.rank <= best_rank {
            best_rank = n.rank;
            best = Some((p, n.value, n.rank));
        }
        while n.n_children != 0 && p < end {
            let (cp, len) = decode(b, p);
            let Some(child) = self.child(id, n, cp) else {
                break;
            };
            p += len;
            id = child;
            n = self.nodes.get(child as usize)?;
            if n.value != NO_VALUE && n.rank <= best_rank {
                best_rank = n.rank;
                best = Some((p, n.value, n.rank));
            }
        }
        let (end, value, rank) = best?;
        Some(Match {
            end,
            value: self.values.get(value as usize).copied().unwrap_or(""),
            idx: value,
            rank,
        })
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
            if let Some(m) = self.walk(b, i + len, end, node, u8::MAX) {
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
