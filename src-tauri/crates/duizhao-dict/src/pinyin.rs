//! CC-CEDICT writes readings as numbered pinyin (`yin2 hang2`, `lu:e4`, `r5`, `Bei3 jing1`); a
//! reader wants tone marks (`yín háng`) or zhuyin (`ㄧㄣˊ ㄏㄤˊ`). This module converts one to the
//! other, syllable by syllable, without allocating per syllable.
//!
//! Written here rather than taken from a crate: `pinyin_zhuyin` (the one crate that does both)
//! rejects capitalised syllables (CEDICT's proper names), `u:` and the syllabic nasals `m2`/`n2`,
//! and writes the neutral-tone dot after the syllable, where zhuyin puts it before.
//!
//! Rules followed:
//! - tone mark on `a`, else `e`, else the `o` of `ou`, else the last vowel (`liù`, `guǐ`);
//!   syllabic `m`/`n`/`ng` carry it on the nasal (`ḿ`, `ňg`);
//! - `u:` and `v` are `ü` (`lüè`, `nǚ`); tone 5 (neutral) is unmarked; `r5` (erhua) is `r`;
//! - a capitalised syllable (a name: `Bei3`) stays capitalised (`Běi`);
//! - zhuyin: tones 2–4 as `ˊ ˇ ˋ` after the syllable, tone 1 unmarked, the neutral tone `˙`
//!   before it; `zhi chi shi ri zi ci si` are the initial alone; `y`/`w` spellings and `ju qu xu`
//!   map to their medials (`ㄧ ㄨ ㄩ`);
//! - anything that is not a numbered syllable (`C` in `san1 C`, `·`, `,`) is copied as is; CEDICT's
//!   placeholder `xx5` (reading unknown) becomes `?`.

/// Tone-marked forms of each vowel, indexed by tone 1–4.
const MARKS: [(char, [char; 4]); 6] = [
    ('a', ['ā', 'á', 'ǎ', 'à']),
    ('e', ['ē', 'é', 'ě', 'è']),
    ('i', ['ī', 'í', 'ǐ', 'ì']),
    ('o', ['ō', 'ó', 'ǒ', 'ò']),
    ('u', ['ū', 'ú', 'ǔ', 'ù']),
    ('ü', ['ǖ', 'ǘ', 'ǚ', 'ǜ']),
];

/// Combining marks for the syllabic nasals that Unicode has no precomposed letter for.
const COMBINING: [char; 4] = ['\u{304}', '\u{301}', '\u{30C}', '\u{300}'];

/// A numbered syllable split into its letters and its tone (1–5).
struct Syllable<'a> {
    letters: &'a str,
    tone: u8,
}

fn parse(syllable: &str) -> Option<Syllable<'_>> {
    let (last, letters) = syllable.as_bytes().split_last()?;
    let tone = match last {
        b'1'..=b'5' => last - b'0',
        _ => return None,
    };
    let letters = syllable.get(..letters.len())?;
    let valid = !letters.is_empty()
        && letters
            .bytes()
            .all(|b| b.is_ascii_alphabetic() || b == b':')
        && letters.as_bytes()[0].is_ascii_alphabetic();
    valid.then_some(Syllable { letters, tone })
}

/// Lower-case letters with `u:`/`v` written `ü`, into `out` (cleared first).
fn normalise(letters: &str, out: &mut String) {
    out.clear();
    let mut chars = letters.chars().peekable();
    while let Some(c) = chars.next() {
        let c = c.to_ascii_lowercase();
        match c {
            'u' if chars.peek() == Some(&':') => {
                chars.next();
                out.push('ü');
            }
            'v' => out.push('ü'),
            ':' => {}
            _ => out.push(c),
        }
    }
}

/// Byte index of the letter that carries the tone mark in a normalised syllable.
fn mark_position(s: &str) -> Option<usize> {
    if let Some(i) = s.find('a') {
        return Some(i);
    }
    if let Some(i) = s.find('e') {
        return Some(i);
    }
    if let Some(i) = s.find("ou") {
        return Some(i);
    }
    if let Some((i, _)) = s
        .char_indices()
        .rev()
        .find(|(_, c)| matches!(c, 'i' | 'o' | 'u' | 'ü'))
    {
        return Some(i);
    }
    // Syllabic nasals: m, n, ng, hm, hng.
    s.char_indices()
        .find(|(_, c)| matches!(c, 'm' | 'n'))
        .map(|(i, _)| i)
}

fn push_marked(c: char, tone: u8, out: &mut String) {
    let t = usize::from(tone - 1);
    if let Some((_, marks)) = MARKS.iter().find(|(v, _)| *v == c) {
        out.push(marks[t]);
        return;
    }
    match (c, tone) {
        ('m', 2) => out.push('ḿ'),
        ('n', 2) => out.push('ń'),
        ('n', 3) => out.push('ň'),
        ('n', 4) => out.push('ǹ'),
        _ => {
            out.push(c);
            out.push(COMBINING[t]);
        }
    }
}

/// Appends one syllable with its tone mark.
fn syllable_pinyin(syllable: &str, lowercase: bool, scratch: &mut String, out: &mut String) {
    let Some(Syllable { letters, tone }) = parse(syllable) else {
        out.push_str(syllable);
        return;
    };
    if letters.eq_ignore_ascii_case("xx") {
        out.push('?');
        return;
    }
    normalise(letters, scratch);
    let capital = !lowercase && letters.as_bytes()[0].is_ascii_uppercase();
    let start = out.len();
    match (tone, mark_position(scratch)) {
        (1..=4, Some(at)) => {
            out.push_str(&scratch[..at]);
            let mut rest = scratch[at..].chars();
            if let Some(c) = rest.next() {
                push_marked(c, tone, out);
            }
            out.push_str(rest.as_str());
        }
        _ => out.push_str(scratch),
    }
    if capital && let Some(first) = out[start..].chars().next() {
        let upper: String = first.to_uppercase().collect();
        out.replace_range(start..start + first.len_utf8(), &upper);
    }
}

/// Converts CEDICT numbered pinyin (`yin2 hang2`, `Bei3 jing1`, `nu:3 er2`) to pinyin with tone
/// marks (`yín háng`, `Běi jīng`, `nǚ ér`), syllables separated by single spaces. Capitals of
/// proper names are kept.
pub fn numbered_to_pinyin(numbered: &str) -> String {
    convert(numbered, |s, scratch, out| {
        syllable_pinyin(s, false, scratch, out)
    })
}

/// Like [`numbered_to_pinyin`], all lower case: the form shown above the text, where each
/// syllable stands over its own character and capitals carry no meaning.
pub fn numbered_to_pinyin_lower(numbered: &str) -> String {
    convert(numbered, |s, scratch, out| {
        syllable_pinyin(s, true, scratch, out)
    })
}

/// Converts CEDICT numbered pinyin to zhuyin (bopomofo): `yin2 hang2` → `ㄧㄣˊ ㄏㄤˊ`,
/// `de5` → `˙ㄉㄜ`; syllables separated by single spaces.
pub fn numbered_to_zhuyin(numbered: &str) -> String {
    convert(numbered, syllable_zhuyin)
}

fn convert(numbered: &str, mut one: impl FnMut(&str, &mut String, &mut String)) -> String {
    let mut out = String::with_capacity(numbered.len() * 2);
    let mut scratch = String::with_capacity(8);
    for (i, syllable) in numbered.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        one(syllable, &mut scratch, &mut out);
    }
    out
}

const INITIALS: [(&str, &str); 21] = [
    ("zh", "ㄓ"),
    ("ch", "ㄔ"),
    ("sh", "ㄕ"),
    ("b", "ㄅ"),
    ("p", "ㄆ"),
    ("m", "ㄇ"),
    ("f", "ㄈ"),
    ("d", "ㄉ"),
    ("t", "ㄊ"),
    ("n", "ㄋ"),
    ("l", "ㄌ"),
    ("g", "ㄍ"),
    ("k", "ㄎ"),
    ("h", "ㄏ"),
    ("j", "ㄐ"),
    ("q", "ㄑ"),
    ("x", "ㄒ"),
    ("r", "ㄖ"),
    ("z", "ㄗ"),
    ("c", "ㄘ"),
    ("s", "ㄙ"),
];

/// Finals in their full (medial-explicit) spelling, `ü` written `ü`.
fn final_zhuyin(f: &str) -> Option<&'static str> {
    Some(match f {
        "a" => "ㄚ",
        "o" => "ㄛ",
        "e" => "ㄜ",
        "ê" => "ㄝ",
        "ai" => "ㄞ",
        "ei" => "ㄟ",
        "ao" => "ㄠ",
        "ou" => "ㄡ",
        "an" => "ㄢ",
        "en" => "ㄣ",
        "ang" => "ㄤ",
        "eng" => "ㄥ",
        "ong" => "ㄨㄥ",
        "er" => "ㄦ",
        "i" => "ㄧ",
        "ia" => "ㄧㄚ",
        "io" => "ㄧㄛ",
        "ie" => "ㄧㄝ",
        "iai" => "ㄧㄞ",
        "iao" => "ㄧㄠ",
        "iu" | "iou" => "ㄧㄡ",
        "ian" => "ㄧㄢ",
        "in" => "ㄧㄣ",
        "iang" => "ㄧㄤ",
        "ing" => "ㄧㄥ",
        "iong" => "ㄩㄥ",
        "u" => "ㄨ",
        "ua" => "ㄨㄚ",
        "uo" => "ㄨㄛ",
        "uai" => "ㄨㄞ",
        "ui" | "uei" => "ㄨㄟ",
        "uan" => "ㄨㄢ",
        "un" | "uen" => "ㄨㄣ",
        "uang" => "ㄨㄤ",
        "ueng" => "ㄨㄥ",
        "ü" => "ㄩ",
        "üe" | "ue" => "ㄩㄝ",
        "üan" => "ㄩㄢ",
        "ün" => "ㄩㄣ",
        _ => return None,
    })
}

/// Zhuyin letters of a normalised, toneless syllable.
fn letters_zhuyin(s: &str, out: &mut String) -> bool {
    // Erhua and the syllabic nasals have no initial-plus-final spelling.
    const WHOLE: [(&str, &str); 6] = [
        ("r", "ㄦ"),
        ("m", "ㄇ"),
        ("n", "ㄋ"),
        ("ng", "ㄫ"),
        ("hm", "ㄏㄇ"),
        ("hng", "ㄏㄫ"),
    ];
    if let Some((_, z)) = WHOLE.iter().find(|(latin, _)| *latin == s) {
        out.push_str(z);
        return true;
    }
    if let Some(rest) = s.strip_prefix('y') {
        let z = if let Some(u) = rest.strip_prefix('u') {
            final_zhuyin(&format!("ü{u}"))
        } else if rest == "ong" {
            Some("ㄩㄥ")
        } else if rest.starts_with('i') {
            final_zhuyin(rest)
        } else {
            final_zhuyin(&format!("i{rest}"))
        };
        return push_opt(z, out);
    }
    if let Some(rest) = s.strip_prefix('w') {
        let z = if rest == "u" {
            Some("ㄨ")
        } else {
            final_zhuyin(&format!("u{rest}"))
        };
        return push_opt(z, out);
    }
    for (latin, zhuyin) in INITIALS {
        let Some(rest) = s.strip_prefix(latin) else {
            continue;
        };
        if rest.is_empty() {
            return false;
        }
        let bare = matches!(latin, "zh" | "ch" | "sh" | "r" | "z" | "c" | "s") && rest == "i";
        let fin = if bare {
            Some("")
        } else if matches!(latin, "j" | "q" | "x") && rest.starts_with('u') {
            final_zhuyin(&format!("ü{}", &rest[1..]))
        } else {
            final_zhuyin(rest)
        };
        let Some(fin) = fin else {
            return false;
        };
        out.push_str(zhuyin);
        out.push_str(fin);
        return true;
    }
    push_opt(final_zhuyin(s), out)
}

fn push_opt(z: Option<&str>, out: &mut String) -> bool {
    z.map(|z| out.push_str(z)).is_some()
}

fn syllable_zhuyin(syllable: &str, scratch: &mut String, out: &mut String) {
    let Some(Syllable { letters, tone }) = parse(syllable) else {
        out.push_str(syllable);
        return;
    };
    normalise(letters, scratch);
    if scratch == "xx" {
        out.push('?');
        return;
    }
    let start = out.len();
    // Erhua `r5` is a suffix, not a syllable of its own: no neutral-tone dot.
    let dot = tone == 5 && scratch != "r";
    if dot {
        out.push('˙');
    }
    if !letters_zhuyin(scratch, out) {
        out.truncate(start);
        out.push_str(syllable);
        return;
    }
    match tone {
        2 => out.push('ˊ'),
        3 => out.push('ˇ'),
        4 => out.push('ˋ'),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tone_marks_follow_the_placement_rules() {
        let cases = [
            ("yin2 hang2", "yín háng"),
            ("xing2 zou3", "xíng zǒu"),
            ("liu4", "liù"),
            ("gui3", "guǐ"),
            ("dou1", "dōu"),
            ("hao3", "hǎo"),
            ("xue2", "xué"),
            ("jiong3", "jiǒng"),
            ("er4", "èr"),
            ("de5", "de"),
            ("lu:e4", "lüè"),
            ("nu:3", "nǚ"),
            ("lv4", "lǜ"),
            ("nu:5", "nü"),
            ("hua1 r5", "huā r"),
            ("Bei3 jing1", "Běi jīng"),
            ("A1 la1 bo2", "Ā lā bó"),
            ("Ou1 zhou1", "Ōu zhōu"),
            ("E2 guo2", "É guó"),
            ("Lu:3", "Lǚ"),
            ("m2", "ḿ"),
            ("n3", "ň"),
            ("ng4", "ǹg"),
            ("m4", "m\u{300}"),
            ("san1 C", "sān C"),
            ("Ka3 er3 · Ma3 ke4 si1", "Kǎ ěr · Mǎ kè sī"),
            ("yi1 , er4", "yī , èr"),
            ("xx5", "?"),
            ("", ""),
        ];
        for (numbered, want) in cases {
            assert_eq!(
                numbered_to_pinyin(numbered),
                want,
                "{numbered}: tone marks must sit where pinyin orthography puts them"
            );
        }
        assert_eq!(
            numbered_to_pinyin_lower("Chang2 cheng2"),
            "cháng chéng",
            "readings over the text are lower case"
        );
    }

    #[test]
    fn zhuyin_covers_initials_finals_and_tones() {
        let cases = [
            ("yin2 hang2", "ㄧㄣˊ ㄏㄤˊ"),
            ("zhong1 guo2", "ㄓㄨㄥ ㄍㄨㄛˊ"),
            ("de5", "˙ㄉㄜ"),
            ("le5", "˙ㄌㄜ"),
            ("shi4", "ㄕˋ"),
            ("zi3", "ㄗˇ"),
            ("ri4", "ㄖˋ"),
            ("yi1", "ㄧ"),
            ("ye3", "ㄧㄝˇ"),
            ("you3", "ㄧㄡˇ"),
            ("yu2", "ㄩˊ"),
            ("yue4", "ㄩㄝˋ"),
            ("yuan2", "ㄩㄢˊ"),
            ("yun2", "ㄩㄣˊ"),
            ("yong4", "ㄩㄥˋ"),
            ("ying1", "ㄧㄥ"),
            ("wu3", "ㄨˇ"),
            ("wei4", "ㄨㄟˋ"),
            ("wen4", "ㄨㄣˋ"),
            ("weng1", "ㄨㄥ"),
            ("ju2", "ㄐㄩˊ"),
            ("quan2", "ㄑㄩㄢˊ"),
            ("xue2", "ㄒㄩㄝˊ"),
            ("jiong3", "ㄐㄩㄥˇ"),
            ("lu:4", "ㄌㄩˋ"),
            ("nu:e4", "ㄋㄩㄝˋ"),
            ("liu4", "ㄌㄧㄡˋ"),
            ("gui4", "ㄍㄨㄟˋ"),
            ("dun4", "ㄉㄨㄣˋ"),
            ("er2", "ㄦˊ"),
            ("hua1 r5", "ㄏㄨㄚ ㄦ"),
            ("Bei3 jing1", "ㄅㄟˇ ㄐㄧㄥ"),
            ("ng2", "ㄫˊ"),
            ("m2", "ㄇˊ"),
            ("san1 C", "ㄙㄢ C"),
            ("xx5", "?"),
            ("qzz3", "qzz3"),
        ];
        for (numbered, want) in cases {
            assert_eq!(
                numbered_to_zhuyin(numbered),
                want,
                "{numbered}: zhuyin must spell the syllable as the standard table does"
            );
        }
    }

    #[test]
    fn every_cedict_style_oddity_converts_without_panicking() {
        for s in [
            "5", "a", ":1", "u:", "v5", "ü3", "r2", "xx", "1234", "é2", "ê1", "  ", "a6", "b1",
        ] {
            let _ = numbered_to_pinyin(s);
            let _ = numbered_to_zhuyin(s);
        }
        assert_eq!(numbered_to_pinyin("a6"), "a6", "no tone 6: copied as is");
        assert_eq!(
            numbered_to_zhuyin("b1"),
            "b1",
            "an initial alone is no syllable"
        );
    }
}
