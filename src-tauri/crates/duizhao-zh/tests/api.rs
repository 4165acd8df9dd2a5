//! Public API behaviour: empty input, pass-through of text no dictionary knows, reuse of output
//! buffers, thread safety, streaming through the public function.

use duizhao_zh::{Config, Converter, Script, ZhError, bcp47, convert_stream, detect_script};

#[test]
fn empty_input_gives_empty_output() {
    for config in Config::ALL {
        assert_eq!(Converter::get(config).convert(""), "", "{config}");
    }
}

#[test]
fn ascii_emoji_and_rare_cjk_pass_through() {
    let samples = [
        "Hello, world! 0123456789 ~!@#$%^&*()_+-=[]{}|;':\",./<>?\t\r\n",
        "😀👍🏽👨\u{200d}👩\u{200d}👧🇹🇼",
        // CJK Ext-B, C, D, E, F, G, H.
        "𠀀𠀁𪜀𫝀𫠠𬺰𰀀𱍐",
        "Ελληνικά Русский العربية עברית हिन्दी 한국어",
        "\u{FEFF}\u{200B}\u{E000}\u{10FFFF}",
    ];
    for config in Config::ALL {
        let converter = Converter::get(config);
        for s in samples {
            assert_eq!(converter.convert(s), s, "{config}: {s:?}");
        }
    }
}

#[test]
fn known_conversions() {
    let cases = [
        (Config::S2t, "头发和鼠标", "頭髮和鼠標"),
        (Config::S2twp, "鼠标和软件", "滑鼠和軟體"),
        (Config::T2s, "頭髮和滑鼠", "头发和滑鼠"),
        (Config::Tw2sp, "滑鼠和軟體", "鼠标和软件"),
        (Config::S2hk, "为了", "為了"),
        (Config::Jp2t, "国語", "國語"),
        (Config::T2jp, "國語", "国語"),
    ];
    for (config, input, want) in cases {
        assert_eq!(Converter::get(config).convert(input), want, "{config}");
    }
}

#[test]
fn compatibility_ideographs_are_normalized() {
    // U+F900 豈 is a compatibility ideograph of U+8C48 豈.
    assert_eq!(Converter::get(Config::S2t).convert("\u{F900}"), "\u{8C48}");
}

#[test]
fn convert_into_appends() {
    let mut out = String::from("> ");
    Converter::get(Config::S2t).convert_into("汉字", &mut out);
    Converter::get(Config::S2t).convert_into("后", &mut out);
    assert_eq!(out, "> 漢字後");
}

#[test]
fn converters_are_shared_and_thread_safe() {
    let handles: Vec<_> = (0..4)
        .map(|i| {
            std::thread::spawn(move || {
                let config = Config::ALL[i * 3];
                let c = Converter::get(config);
                assert_eq!(c.config(), config);
                c.convert("汉字與漢字").len()
            })
        })
        .collect();
    for h in handles {
        assert!(h.join().is_ok());
    }
    assert!(std::ptr::eq(
        Converter::get(Config::S2t),
        Converter::get(Config::S2t)
    ));
}

#[test]
fn public_stream_function() {
    let input = "汉字\n".repeat(1000);
    let mut out = Vec::new();
    let n = convert_stream(Config::S2t, input.as_bytes(), &mut out).ok();
    assert_eq!(n, Some(out.len() as u64));
    assert_eq!(String::from_utf8_lossy(&out), "漢字\n".repeat(1000));
    let bad = convert_stream(Config::S2t, &b"ab\xFF"[..], &mut Vec::new());
    assert!(matches!(bad, Err(ZhError::InvalidUtf8 { offset: 2 })));
}

#[test]
fn unknown_config_message_lists_valid_names() {
    let err = "zh2en"
        .parse::<Config>()
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert_eq!(
        err,
        "unknown OpenCC config \"zh2en\"; valid configs: s2t, t2s, s2tw, tw2s, s2hk, hk2s, \
         s2twp, tw2sp, t2tw, tw2t, t2hk, hk2t, t2jp, jp2t, s2hkp, hk2sp"
    );
}

#[test]
fn seed_article_is_traditional() {
    let seed = include_str!("fixtures/seed/dw-wang-yi-lavrov.md");
    let r = detect_script(seed);
    assert_eq!(r.script, Script::Hant);
    assert!(r.hant > 100 && r.hans <= r.hant / 20, "{r:?}");
    assert_eq!(bcp47(r.script), Some("zh-Hant"));
    // And its conversion is Simplified.
    let hans = Converter::get(Config::T2s).convert(seed);
    assert_eq!(detect_script(&hans).script, Script::Hans);
}

/// Lines of real pages: mainland pages (gmw, qq) must never be called Traditional, the Taiwan
/// page (pixnet) never Simplified; converted copies must flip.
#[test]
fn script_detection_makes_no_wrong_calls_on_real_pages() {
    let page = |name: &str| {
        std::fs::read_to_string(format!(
            "{}/tests/fixtures/readability-pages/{name}.txt",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap_or_default()
    };
    let mut calls = [0usize; 5];
    let mut wrong = Vec::new();
    let mut check = |text: &str, not: Script, label: &str| {
        for line in text.lines() {
            let r = detect_script(line);
            calls[r.script as usize] += 1;
            if r.script == not || r.script == Script::Japanese {
                wrong.push(format!("{label}: {r:?} {line}"));
            }
        }
    };
    let mainland = format!("{}\n{}", page("gmw"), page("qq"));
    let taiwan = page("pixnet");
    check(&mainland, Script::Hant, "mainland");
    check(&taiwan, Script::Hans, "taiwan");
    check(
        &Converter::get(Config::S2twp).convert(&mainland),
        Script::Hans,
        "mainland s2twp",
    );
    check(
        &Converter::get(Config::Tw2sp).convert(&taiwan),
        Script::Hant,
        "taiwan tw2sp",
    );
    eprintln!("calls (hans, hant, mixed, japanese, none): {calls:?}");
    assert!(
        wrong.is_empty(),
        "{} wrong calls:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// xorshift64*, for the robustness test.
fn next(state: &mut u64) -> u64 {
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    state.wrapping_mul(0x2545_F491_4F6C_DD1D)
}

/// Random text from every plane (with NULs, IDS operators, surrogate-free), and random bytes
/// through the stream: nothing panics, streams agree with whole-text conversion.
#[test]
fn random_input_never_panics() {
    let mut state = 0x1234_5678_9ABC_DEF0u64;
    let specials = [
        '\0',
        '⿰',
        '⿲',
        '⿾',
        '\u{F900}',
        '\u{2F800}',
        '后',
        '發',
        '\n',
        '𠀀',
    ];
    for round in 0..300 {
        let len = (next(&mut state) % 40) as usize;
        let text: String = (0..len)
            .filter_map(|_| {
                let r = next(&mut state);
                match r % 4 {
                    0 => specials.get((r >> 8) as usize % specials.len()).copied(),
                    1 => char::from_u32(0x4E00 + (r >> 8) as u32 % 0x5200),
                    2 => char::from_u32(0x20 + (r >> 8) as u32 % 0x60),
                    _ => char::from_u32((r >> 8) as u32 % 0x11_0000),
                }
            })
            .collect();
        let config = Config::ALL[round % 16];
        let whole = Converter::get(config).convert(&text);
        let mut streamed = Vec::new();
        let n = convert_stream(config, text.as_bytes(), &mut streamed).ok();
        assert_eq!(n, Some(streamed.len() as u64));
        assert!(streamed == whole.as_bytes(), "{config}: {text:?}");
        let _ = detect_script(&text);

        let bytes: Vec<u8> = (0..len).map(|_| next(&mut state) as u8).collect();
        let mut sink = Vec::new();
        match convert_stream(config, &bytes[..], &mut sink) {
            Ok(_) => assert!(std::str::from_utf8(&bytes).is_ok()),
            Err(ZhError::InvalidUtf8 { offset }) => {
                let valid = std::str::from_utf8(&bytes).err().map(|e| e.valid_up_to());
                assert_eq!(Some(offset as usize), valid);
            }
            Err(e) => panic!("{e}"),
        }
    }
}
