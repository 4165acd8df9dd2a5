//! The public API on the embedded dictionary: look-ups in both scripts, headwords with several
//! readings, readings that follow the word, segmentation of mixed text, and never failing on
//! arbitrary input.

use duizhao_dict::{Dictionary, Reading, annotate, lookup, segment};
use proptest::prelude::*;

fn readings(text: &str, reading: Reading) -> Vec<(String, Option<String>)> {
    annotate(text, reading)
        .expect("the embedded dictionary loads")
        .into_iter()
        .map(|t| (t.text.to_owned(), t.reading))
        .collect()
}

fn pinyin_of(text: &str) -> Vec<Option<String>> {
    readings(text, Reading::Pinyin)
        .into_iter()
        .map(|(_, r)| r)
        .collect()
}

#[test]
fn a_headword_is_found_in_either_script() {
    let traditional = lookup("銀行").unwrap();
    let simplified = lookup("银行").unwrap();
    assert!(!traditional.is_empty(), "銀行 must be in the dictionary");
    assert_eq!(
        traditional, simplified,
        "銀行 and 银行 must give the same entries: a reader meets both scripts"
    );
    let e = &traditional[0];
    assert_eq!(
        (e.traditional.as_str(), e.simplified.as_str()),
        ("銀行", "银行")
    );
    assert_eq!(e.pinyin, "yín háng");
    assert_eq!(e.zhuyin, "ㄧㄣˊ ㄏㄤˊ");
    assert_eq!(e.numbered, "yin2 hang2");
    assert!(
        e.definitions.iter().any(|d| d == "bank"),
        "definitions are split on CEDICT's slashes: {:?}",
        e.definitions
    );
    assert_eq!(
        lookup(" 银行\n").unwrap(),
        simplified,
        "surrounding whitespace is ignored"
    );
    assert!(
        lookup("银行银行银行").unwrap().is_empty(),
        "no entry, no invention"
    );
    assert!(lookup("").unwrap().is_empty());
}

#[test]
fn characters_with_several_readings_list_them_all_the_common_one_first() {
    let cases = [
        ("行", "xíng", "háng"),
        ("长", "cháng", "zhǎng"),
        ("長", "cháng", "zhǎng"),
        ("了", "le", "liǎo"),
        ("重", "zhòng", "chóng"),
        ("还", "hái", "huán"),
        ("都", "dōu", "dū"),
    ];
    for (ch, first, other) in cases {
        let entries = lookup(ch).unwrap();
        let pinyin: Vec<&str> = entries.iter().map(|e| e.pinyin.as_str()).collect();
        assert_eq!(
            pinyin.first().copied(),
            Some(first),
            "{ch}: the reading running text uses comes first ({pinyin:?})"
        );
        assert!(
            pinyin.contains(&other),
            "{ch}: every reading is listed, {other} missing from {pinyin:?}"
        );
    }
}

#[test]
fn readings_follow_the_word() {
    let cases = [
        ("银行", "yín háng"),
        ("行走", "xíng zǒu"),
        ("长城", "cháng chéng"),
        ("长大", "zhǎng dà"),
        ("重要", "zhòng yào"),
        ("重新", "chóng xīn"),
        ("銀行", "yín háng"),
        ("長城", "cháng chéng"),
    ];
    for (word, want) in cases {
        assert_eq!(
            pinyin_of(word),
            [Some(want.to_owned())],
            "{word} is one word read {want}"
        );
    }
    assert_eq!(
        pinyin_of("我们都了解"),
        [
            Some("wǒ men".to_owned()),
            Some("dōu".to_owned()),
            Some("liǎo jiě".to_owned())
        ],
        "了 in 了解 is liǎo, 都 alone is dōu"
    );
    assert_eq!(
        pinyin_of("他走了"),
        [
            Some("tā".to_owned()),
            Some("zǒu".to_owned()),
            Some("le".to_owned())
        ],
        "了 alone is the particle le"
    );
}

#[test]
fn zhuyin_readings_put_the_neutral_tone_first() {
    assert_eq!(
        readings("我的书", Reading::Zhuyin),
        [
            ("我".to_owned(), Some("ㄨㄛˇ".to_owned())),
            ("的".to_owned(), Some("˙ㄉㄜ".to_owned())),
            ("书".to_owned(), Some("ㄕㄨ".to_owned())),
        ]
    );
}

#[test]
fn mixed_text_is_cut_into_words_and_runs_of_other_text() {
    let text = "2023年9月，王毅在New York说：“AI很重要!” 3.5% OK";
    let tokens = readings(text, Reading::Pinyin);
    let rebuilt: String = tokens.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(rebuilt, text, "tokens concatenate back to the input");
    let expected = [
        ("2023", None),
        ("年", Some("nián")),
        ("9", None),
        ("月", Some("yuè")),
        ("，", None),
        ("王毅", Some("wáng yì")),
        ("在", Some("zài")),
        ("New York", None),
        ("说", Some("shuō")),
        ("：“AI", None),
        ("很", Some("hěn")),
        ("重要", Some("zhòng yào")),
        ("!” 3.5% OK", None),
    ];
    let got: Vec<(&str, Option<&str>)> = tokens
        .iter()
        .map(|(t, r)| (t.as_str(), r.as_deref()))
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn segment_gives_words_with_their_entries() {
    let pieces = segment("在銀行工作").unwrap();
    let texts: Vec<&str> = pieces.iter().map(|p| p.text).collect();
    assert_eq!(texts, ["在", "銀行", "工作"]);
    let bank = pieces[1].word.expect("銀行 is a dictionary word");
    assert_eq!(bank.numbered(), Some("yin2 hang2"));
    assert_eq!(bank.reading(Reading::Pinyin).as_deref(), Some("yín háng"));
    assert_eq!(bank.entries()[0].simplified, "银行");
}

#[test]
fn a_han_character_the_dictionary_lacks_stands_alone_without_reading() {
    // U+2A6D6 (Extension B) and U+3400 are Han characters CEDICT has no entry for.
    let text = "\u{2A6D6}\u{3400}的";
    let dict = Dictionary::global().unwrap();
    assert!(dict.lookup("\u{2A6D6}").is_empty(), "premise: no entry");
    let got = readings(text, Reading::Pinyin);
    assert_eq!(
        got.len(),
        3,
        "each unknown character is its own token: {got:?}"
    );
    assert_eq!(got[0].1, None);
    assert_eq!(got[2].1.as_deref(), Some("de"));
}

#[test]
fn annotate_serialises_as_the_cli_prints_it() {
    let tokens = annotate("好!", Reading::Pinyin).unwrap();
    assert_eq!(
        serde_json::to_string(&tokens).unwrap(),
        r#"[{"text":"好","reading":"hǎo"},{"text":"!","reading":null}]"#
    );
    let entries = lookup("长城").unwrap();
    let json = serde_json::to_string(&entries[0]).unwrap();
    assert!(
        json.starts_with(
            r#"{"traditional":"長城","simplified":"长城","pinyin":"Cháng chéng","zhuyin":"ㄔㄤˊ ㄔㄥˊ","definitions":["#
        ),
        "dz define --json prints these keys in this order, and no others: {json}"
    );
    assert!(
        !json.contains("numbered"),
        "tone numbers stay out of the JSON"
    );
}

#[test]
fn the_dictionary_is_the_whole_cedict_release() {
    let dict = Dictionary::global().unwrap();
    assert_eq!(
        dict.entry_count(),
        122_143,
        "the 2023-11-07 release has 122,143 entries (its header says so)"
    );
    assert_eq!(dict.skipped_lines(), 0, "every line of the release parses");
    assert!(
        dict.word_count() > dict.entry_count(),
        "both scripts are indexed"
    );
}

#[test]
fn cedict_text_with_broken_lines_is_parsed_around_them() {
    let text = "# comment\n\
                銀行 银行 [yin2 hang2] /bank/CL:家[jia1],個|个[ge4]/\n\
                broken line without brackets\n\
                行 行 [xing2] /to walk/\r\n\
                行 行 [hang2] /row/\n\
                行 行 [hang2 /unclosed/\n\
                \n";
    let dict = Dictionary::from_cedict_text(text.to_owned()).unwrap();
    assert_eq!(dict.entry_count(), 3);
    assert_eq!(dict.skipped_lines(), 2);
    assert_eq!(
        dict.lookup("银行")[0].definitions,
        ["bank", "CL:家[jia1],個|个[ge4]"]
    );
    assert_eq!(
        dict.lookup("行")[0].pinyin,
        "xíng",
        "the CRLF line parses too"
    );
    let tokens = dict.annotate("银行行", Reading::Pinyin);
    assert_eq!(tokens.len(), 2);
}

#[test]
fn reading_names_parse_as_the_cli_takes_them() {
    assert_eq!("pinyin".parse::<Reading>(), Ok(Reading::Pinyin));
    assert_eq!("Zhuyin".parse::<Reading>(), Ok(Reading::Zhuyin));
    let err = "romaji".parse::<Reading>().unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown reading \"romaji\": expected pinyin or zhuyin",
        "one clear error names what was given and what is accepted"
    );
}

#[test]
fn the_first_lookups_from_several_threads_share_one_load() {
    let handles: Vec<_> = (0..4)
        .map(|_| {
            std::thread::spawn(|| {
                let d = Dictionary::global().unwrap();
                (d as *const Dictionary as usize, d.lookup("行").len())
            })
        })
        .collect();
    let results: Vec<(usize, usize)> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert!(
        results.windows(2).all(|w| w[0] == w[1]),
        "every thread must see the same loaded dictionary: {results:?}"
    );
}

#[test]
fn a_very_long_run_of_han_characters_is_segmented_in_bounded_pieces() {
    let text = "中华人民共和国".repeat(2000);
    let tokens = annotate(&text, Reading::Pinyin).unwrap();
    let rebuilt: String = tokens.iter().map(|t| t.text).collect();
    assert_eq!(rebuilt, text);
    assert!(
        tokens.iter().filter(|t| t.text == "中华人民共和国").count() >= 1990,
        "words are still found, only the few across a cut are split"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_text_is_annotated_without_loss(text in "\\PC*") {
        let tokens = annotate(&text, Reading::Zhuyin).unwrap();
        let rebuilt: String = tokens.iter().map(|t| t.text).collect();
        prop_assert_eq!(&rebuilt, &text);
        prop_assert!(tokens.iter().all(|t| !t.text.is_empty()), "no empty tokens");
    }

    #[test]
    fn chinese_heavy_text_is_annotated_without_loss(
        text in "[\\u{4E00}-\\u{9FFF}\\u{3400}-\\u{4DBF}a-z0-9 ，。、！「」\\u{20000}-\\u{2A6DF}]{0,80}"
    ) {
        let tokens = annotate(&text, Reading::Pinyin).unwrap();
        let rebuilt: String = tokens.iter().map(|t| t.text).collect();
        prop_assert_eq!(&rebuilt, &text);
        for t in &tokens {
            let _ = lookup(t.text).unwrap();
        }
    }

    #[test]
    fn pinyin_conversion_never_panics(s in "[a-zA-Z:üv1-6 ·,]{0,40}") {
        let _ = duizhao_dict::numbered_to_pinyin(&s);
        let _ = duizhao_dict::numbered_to_zhuyin(&s);
    }
}
