//! Language and script of articles and blocks, as BCP-47 tags (`zh-Hant`, `en`, …).
//!
//! Chinese script (Hans/Hant) matters more to this app than to any detector: it decides
//! whether a paragraph needs converting or translating. This first version reads Unicode
//! scripts only; the OpenCC-table script detector and lingua take over as they land.

use crate::model::Block;

/// Best-effort BCP-47 tag of a text, `None` when it has no letters.
pub fn detect(text: &str) -> Option<String> {
    let (mut han, mut kana, mut hangul, mut latin, mut cyrillic) = (0usize, 0usize, 0usize, 0usize, 0usize);
    for c in text.chars() {
        match c as u32 {
            0x3040..=0x30ff => kana += 1,
            0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xf900..=0xfaff | 0x20000..=0x3134f => han += 1,
            0xac00..=0xd7af | 0x1100..=0x11ff => hangul += 1,
            0x0400..=0x04ff => cyrillic += 1,
            _ if c.is_alphabetic() => latin += 1,
            _ => {}
        }
    }
    let total = han + kana + hangul + latin + cyrillic;
    if total == 0 {
        return None;
    }
    let tag = if kana > 0 && kana * 10 >= han {
        "ja"
    } else if hangul >= han && hangul >= latin && hangul > 0 {
        "ko"
    } else if han > 0 && han * 4 >= latin {
        "zh"
    } else if cyrillic > latin {
        "ru"
    } else {
        "und-Latn"
    };
    Some(tag.to_string())
}

/// The article's language, from its title and text.
pub fn article_lang(title: &str, blocks: &[Block]) -> Option<String> {
    let mut sample = String::from(title);
    for b in blocks.iter().filter(|b| b.kind.is_textual()).take(20) {
        sample.push('\n');
        sample.push_str(&b.text);
    }
    detect(&sample)
}

/// Sets each textual block's `lang`.
pub fn tag_blocks(blocks: &mut [Block]) {
    for b in blocks.iter_mut().filter(|b| b.kind.is_textual()) {
        b.lang = detect(&b.text);
    }
}
