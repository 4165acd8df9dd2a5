//! Which of a headword's readings running text gets. CEDICT lists every reading of a headword as
//! its own entry in no particular order (行 háng before xíng), with surnames, archaic and variant
//! readings alongside the common ones; readings over a text need one, chosen once at load.
//!
//! The rule, in order:
//! 1. a hand-checked table of default readings for the most frequent single-character polyphones
//!    ([`DEFAULTS`]: 的 de, 了 le, 着 zhe, 地 de, 得 de, 还 hái, 都 dōu, 为 wèi, 行 xíng, 长 cháng …),
//!    each the reading the character has most often when it stands alone in news text (in a word
//!    the word's own entry decides: 银行 háng, 首都 dū, 认为 wéi);
//! 2. otherwise, among entries whose reading is known (not CEDICT's `xx5`): an entry that is not
//!    only a surname, variant, "used in …", "see …", archaic or old form beats one that is; a
//!    lower-case reading beats a capitalised one (a proper name: 朝 Cháo "Korea" vs cháo); then
//!    the entry with the most definitions (the main reading carries most senses); then file order.
//!
//! 3. in running text, two context rules for single characters whose reading the next word
//!    settles ([`in_context`]): 为/為 before a number is wéi ("is, equals": 约为三百万,
//!    失业率为百分之五), 中 before 了 is zhòng ("hit": 中了大奖).
//!
//! Tones are the dictionary's: no tone sandhi (一 yī, 不 bù, 你好 nǐ hǎo stay as listed).

use crate::store::{NONE, Store};

/// Default readings of frequent polyphonic characters standing alone, CEDICT numbered pinyin,
/// both scripts. Each was checked by hand against the character's CEDICT entries and its use in
/// news text; a unit test checks every one is still among the character's entries.
pub(crate) const DEFAULTS: &[(&str, &str)] = &[
    ("的", "de5"),
    ("了", "le5"),
    ("着", "zhe5"),
    ("著", "zhe5"),
    ("地", "de5"),
    ("得", "de5"),
    ("还", "hai2"),
    ("還", "hai2"),
    ("都", "dou1"),
    ("为", "wei4"),
    ("為", "wei4"),
    ("爲", "wei4"),
    ("和", "he2"),
    ("只", "zhi3"),
    ("行", "xing2"),
    ("长", "chang2"),
    ("長", "chang2"),
    ("重", "zhong4"),
    ("要", "yao4"),
    ("会", "hui4"),
    ("會", "hui4"),
    ("给", "gei3"),
    ("給", "gei3"),
    ("说", "shuo1"),
    ("說", "shuo1"),
    ("没", "mei2"),
    ("沒", "mei2"),
    ("少", "shao3"),
    ("好", "hao3"),
    ("大", "da4"),
    ("分", "fen1"),
    ("处", "chu4"),
    ("處", "chu4"),
    ("发", "fa1"),
    ("數", "shu4"),
    ("数", "shu4"),
    ("种", "zhong3"),
    ("種", "zhong3"),
    ("将", "jiang1"),
    ("將", "jiang1"),
    ("相", "xiang1"),
    ("当", "dang1"),
    ("當", "dang1"),
    ("应", "ying1"),
    ("應", "ying1"),
    ("便", "bian4"),
    ("调", "diao4"),
    ("調", "diao4"),
    ("传", "chuan2"),
    ("傳", "chuan2"),
    ("差", "cha4"),
    ("空", "kong1"),
    ("看", "kan4"),
    ("教", "jiao1"),
    ("背", "bei4"),
    ("朝", "chao2"),
    ("供", "gong1"),
    ("参", "can1"),
    ("參", "can1"),
    ("乐", "le4"),
    ("樂", "le4"),
    ("率", "shuai4"),
    ("量", "liang4"),
    ("角", "jiao3"),
    ("解", "jie3"),
    ("省", "sheng3"),
    ("降", "jiang4"),
    ("藏", "cang2"),
    ("弹", "tan2"),
    ("彈", "tan2"),
    ("称", "cheng1"),
    ("稱", "cheng1"),
    ("几", "ji3"),
    ("幾", "ji3"),
    ("难", "nan2"),
    ("難", "nan2"),
    ("间", "jian1"),
    ("間", "jian1"),
    ("更", "geng4"),
    ("中", "zhong1"),
    ("正", "zheng4"),
    ("曾", "ceng2"),
    ("似", "si4"),
    ("薄", "bao2"),
    ("落", "luo4"),
    ("露", "lu4"),
    ("压", "ya1"),
    ("壓", "ya1"),
    ("塞", "sai1"),
    ("舍", "she3"),
    ("盛", "sheng4"),
    ("卡", "ka3"),
    ("奇", "qi2"),
    ("与", "yu3"),
    ("與", "yu3"),
    ("把", "ba3"),
    ("么", "me5"),
    ("麼", "me5"),
    ("那", "na4"),
    ("哪", "na3"),
    ("吗", "ma5"),
    ("嗎", "ma5"),
    ("啊", "a5"),
    ("呢", "ne5"),
    ("过", "guo4"),
    ("過", "guo4"),
    ("上", "shang4"),
    ("于", "yu2"),
    ("於", "yu2"),
    ("干", "gan4"),
    ("系", "xi4"),
    ("结", "jie2"),
    ("結", "jie2"),
    ("兴", "xing1"),
    ("興", "xing1"),
    ("假", "jia3"),
    ("觉", "jue2"),
    ("覺", "jue2"),
    ("转", "zhuan3"),
    ("轉", "zhuan3"),
    ("强", "qiang2"),
    ("強", "qiang2"),
    ("倒", "dao3"),
    ("载", "zai4"),
    ("載", "zai4"),
    ("担", "dan1"),
    ("擔", "dan1"),
    ("场", "chang3"),
    ("場", "chang3"),
    ("血", "xue4"),
    ("散", "san4"),
    ("划", "hua4"),
    ("恶", "e4"),
    ("惡", "e4"),
    ("号", "hao4"),
    ("號", "hao4"),
    ("子", "zi3"),
    ("个", "ge4"),
    ("個", "ge4"),
];

/// Picks the entry of `key` (whose entries are `postings`) that running text reads.
pub(crate) fn choose(store: &Store, key: &str, postings: &[u32]) -> u32 {
    if let [only] = postings {
        let known = store
            .entry(*only)
            .is_some_and(|e| !store.pinyin_of(e).contains("xx5"));
        return if known { *only } else { NONE };
    }
    let single = key.chars().nth(1).is_none();
    if single
        && let Some(&(_, default)) = DEFAULTS.iter().find(|(k, _)| *k == key)
        && let Some(&i) = postings.iter().find(|&&i| {
            store
                .entry(i)
                .is_some_and(|e| store.pinyin_of(e) == default)
        })
    {
        return i;
    }
    postings
        .iter()
        .filter_map(|&i| Some((i, store.entry(i)?)))
        .filter(|(_, e)| !store.pinyin_of(e).contains("xx5"))
        .min_by_key(|&(i, e)| {
            let pinyin = store.pinyin_of(e);
            let defs = store.defs_of(e);
            let minor = defs.split('/').all(is_minor_sense);
            let name = pinyin.starts_with(|c: char| c.is_ascii_uppercase());
            let senses = defs.split('/').count();
            (minor, name, std::cmp::Reverse(senses), i)
        })
        .map_or(NONE, |(i, _)| i)
}

/// A sense that says the reading is not the word's own: a surname, a variant, a bound form
/// used in one other word, an archaic or old form, a cross-reference.
fn is_minor_sense(sense: &str) -> bool {
    const PREFIXES: [&str; 12] = [
        "surname ",
        "variant of ",
        "old variant of ",
        "archaic variant of ",
        "Japanese variant of ",
        "unofficial variant of ",
        "erhua variant of ",
        "used in ",
        "see ",
        "(archaic)",
        "(old)",
        "abbr. for ",
    ];
    PREFIXES.iter().any(|p| sense.starts_with(p))
}

/// The reading a lone character takes because of the text right after it, if a rule applies
/// (CEDICT numbered pinyin). See the module documentation.
pub(crate) fn in_context(word: &str, next: &str) -> Option<&'static str> {
    let first = next.chars().next()?;
    match word {
        "为" | "為" if is_numeral(first) || next.starts_with("百分之") => Some("wei2"),
        "中" if first == '了' => Some("zhong4"),
        _ => None,
    }
}

fn is_numeral(c: char) -> bool {
    c.is_ascii_digit()
        || ('０'..='９').contains(&c)
        || "一二三四五六七八九十百千万萬亿億两兩零〇几幾半".contains(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Dictionary;

    #[test]
    fn every_default_reading_is_one_of_the_characters_entries() {
        let dict = Dictionary::global().unwrap();
        let mut stale = Vec::new();
        for (ch, default) in DEFAULTS {
            let entries = dict.lookup(ch);
            let first = entries.first().map(|e| e.numbered.as_str());
            if first != Some(*default) {
                stale.push(format!("{ch} {default} (first: {first:?})"));
            }
        }
        assert!(
            stale.is_empty(),
            "a default reading no CEDICT entry of its character has would be silently ignored: {stale:?}"
        );
    }

    #[test]
    fn minor_entries_and_names_lose_to_the_main_reading() {
        let text = "# test\n\
                    甲 甲 [Jia3] /abbr. for 甲國 Country A/\n\
                    甲 甲 [zhao1] /morning/\n\
                    X X [Xx1] /surname X/\n\
                    X X [xx2] /variant of Y/\n\
                    X X [ka3] /card/to block/\n\
                    Y Y [xx5] /unknown reading/\n";
        let dict = Dictionary::from_cedict_text(text.to_owned()).unwrap();
        assert_eq!(dict.word("甲").unwrap().numbered(), Some("zhao1"));
        assert_eq!(dict.word("X").unwrap().numbered(), Some("ka3"));
        assert_eq!(
            dict.word("Y").unwrap().numbered(),
            None,
            "xx5 is no reading to show"
        );
    }

    #[test]
    fn context_rules_need_the_right_neighbour() {
        assert_eq!(in_context("为", "三百万"), Some("wei2"));
        assert_eq!(in_context("為", "5%"), Some("wei2"));
        assert_eq!(in_context("为", "百分之五"), Some("wei2"));
        assert_eq!(in_context("为", "人民"), None);
        assert_eq!(in_context("中", "了"), Some("zhong4"));
        assert_eq!(in_context("中", ""), None);
        assert_eq!(in_context("行", "了"), None);
    }
}
