//! Reading aids through the public core API on the seed article: readings over both columns
//! that come off exactly, the dictionary in both scripts, the word under the pointer, the
//! per-feed default, and the vocabulary (kept across restarts and article deletion, exported
//! for Anki and as CSV).

use duizhao_core::services::ruby;
use duizhao_core::usecases::vocabulary::{define, word_at};
use duizhao_core::{
    BlockKind, ErrorCode, Library, NewVocabWord, ReadingChoice, ViewOptions, VocabFormat,
};

use crate::seed_path;

fn view(reading: ReadingChoice) -> ViewOptions {
    ViewOptions {
        reading: Some(reading),
        ..ViewOptions::default()
    }
}

#[test]
fn readings_cover_every_chinese_block_and_come_off_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open(dir.path()).unwrap();
    let id = lib.import_file(&seed_path()).unwrap().id;
    let plain = lib.article_view(id, &ViewOptions::default()).unwrap();
    assert_eq!(plain.reading, None, "no feed, no default: no readings");
    assert_eq!(plain.title_html, None);
    for choice in [ReadingChoice::Pinyin, ReadingChoice::Zhuyin] {
        let with = lib.article_view(id, &view(choice)).unwrap();
        assert_eq!(with.reading, Some(choice));
        let title = with.title_html.as_deref().unwrap_or_default();
        assert!(
            title.contains("<ruby>王<rt>"),
            "the title gets readings too: {title}"
        );
        assert_eq!(ruby::strip(title), with.title, "and they come off exactly");
        assert_eq!(
            with.blocks.len(),
            plain.blocks.len(),
            "one row per block still"
        );
        for (a, b) in with.blocks.iter().zip(&plain.blocks) {
            if b.kind == BlockKind::Image {
                assert_eq!(a, b, "images are untouched");
                continue;
            }
            assert!(
                a.html.contains("<ruby>"),
                "every text block of the seed is Chinese: {}",
                a.html
            );
            assert_eq!(
                ruby::strip(&a.html),
                b.html,
                "removing readings restores the block exactly"
            );
            assert_eq!(
                a.text, b.text,
                "the plain text (search, translation) never changes"
            );
        }
    }
    let first = &lib
        .article_view(id, &view(ReadingChoice::Pinyin))
        .unwrap()
        .blocks[2]
        .html;
    assert!(
        first.contains("<ruby>俄<rt>é</rt></ruby>") || first.contains("<rt>wài</rt>"),
        "pinyin with tone marks over the words: {first}"
    );
    let zhuyin = &lib
        .article_view(id, &view(ReadingChoice::Zhuyin))
        .unwrap()
        .blocks[5]
        .html;
    assert!(zhuyin.contains("<rt>ㄨㄤˊ</rt>"), "王 in zhuyin: {zhuyin}");
    assert_eq!(
        lib.article_view(id, &view(ReadingChoice::Off)).unwrap(),
        plain,
        "turning readings off gives the article exactly as without them"
    );
}

#[test]
fn the_dictionary_answers_in_both_scripts_and_finds_the_word_under_the_pointer() {
    let trad = define("銀行").unwrap();
    assert_eq!(
        trad,
        define("银行").unwrap(),
        "either script finds the same entries"
    );
    assert_eq!(
        (trad[0].pinyin.as_str(), trad[0].zhuyin.as_str()),
        ("yín háng", "ㄧㄣˊ ㄏㄤˊ")
    );
    assert!(trad[0].definitions.iter().any(|d| d == "bank"), "{trad:?}");
    assert!(
        define("xyzzy").unwrap().is_empty(),
        "an unknown word has no entries, no error"
    );
    let long = "字".repeat(1000);
    assert_eq!(
        define(&long).unwrap_err().code(),
        ErrorCode::InvalidInput,
        "an absurd word is refused, not looked up"
    );

    // "他在银行工作": UTF-16 index 3 is 行 inside 银行, which reads háng there.
    let w = word_at("他在银行工作", 3).unwrap().unwrap();
    assert_eq!((w.word.as_str(), w.start, w.end), ("银行", 2, 4));
    assert_eq!(w.entries[0].pinyin, "yín háng");
    // After an astral character the positions are UTF-16 units, as JavaScript counts them.
    let w = word_at("𠀀 長城", 3).unwrap().unwrap();
    assert_eq!((w.word.as_str(), w.start), ("長城", 3));
    assert_eq!(
        word_at("hello 中", 1).unwrap(),
        None,
        "no Chinese word there"
    );
    assert_eq!(
        word_at("中", 99).unwrap(),
        None,
        "past the end is nothing, not a panic"
    );
}

#[test]
fn a_feed_opens_its_articles_with_its_default_reading() {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open(dir.path()).unwrap();
    let rss = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>新聞</title>
        <link>https://news.example/</link><item><title>銀行</title><guid>1</guid>
        <description>&lt;p&gt;他在銀行工作。&lt;/p&gt;</description></item></channel></rss>"#;
    lib.ingest_feed_document("https://news.example/feed.xml", rss.as_bytes())
        .unwrap();
    let feed = lib.list_feeds().unwrap()[0].id;
    let article = lib.list(&Default::default()).unwrap()[0].id;
    let mut options = lib.feed_options(feed).unwrap();
    assert_eq!(options.reading, ReadingChoice::Off);
    options.reading = ReadingChoice::Zhuyin;
    lib.set_feed_options(feed, &options).unwrap();
    assert_eq!(
        lib.feed_options(feed).unwrap().reading,
        ReadingChoice::Zhuyin
    );
    let a = lib.article_view(article, &ViewOptions::default()).unwrap();
    assert_eq!(
        a.reading,
        Some(ReadingChoice::Zhuyin),
        "the feed's default applies"
    );
    assert!(
        a.blocks[0].html.contains("<rt>ㄧㄣˊ</rt>"),
        "{}",
        a.blocks[0].html
    );
    let off = lib
        .article_view(article, &view(ReadingChoice::Off))
        .unwrap();
    assert!(
        !off.blocks[0].html.contains("<ruby>"),
        "the toolbar's choice wins"
    );
    let path = dir.path().join("a.html");
    lib.export_article(
        article,
        &duizhao_core::ExportOptions {
            format: duizhao_core::ExportFormat::Html,
            to: None,
            script: Default::default(),
            mode: Default::default(),
        },
        &path,
    )
    .unwrap();
    assert!(
        !std::fs::read_to_string(&path).unwrap().contains("<ruby>"),
        "exports carry the text, not the window's reading aid"
    );
}

#[test]
fn saved_words_keep_their_sentence_survive_restarts_and_outlive_their_article() {
    let dir = tempfile::tempdir().unwrap();
    let (word_id, article) = {
        let mut lib = Library::open(dir.path()).unwrap();
        let article = lib.import_file(&seed_path()).unwrap().id;
        let w = lib
            .add_vocab_word(&NewVocabWord {
                word: "联合国".into(),
                article_id: Some(article),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(
            (w.traditional.as_str(), w.simplified.as_str()),
            ("聯合國", "联合国")
        );
        assert_eq!(w.pinyin, "Lián hé guó");
        let sentence = w.sentence.as_deref().unwrap_or_default();
        assert!(
            sentence.starts_with("此外，拉夫羅夫") && sentence.ends_with("基本準則。"),
            "the first sentence of the article holding the word, in the article's script: {sentence}"
        );
        assert_eq!(w.article_id, Some(article));
        assert!(
            w.article_title
                .as_deref()
                .unwrap()
                .starts_with("王毅見俄外長")
        );
        let again = lib
            .add_vocab_word(&NewVocabWord {
                word: "聯合國".into(),
                sentence: Some("另一句。".into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(again.id, w.id, "the same word is saved once, as first met");
        let err = lib
            .add_vocab_word(&NewVocabWord {
                word: "xyzzy".into(),
                ..Default::default()
            })
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::NotFound, "{err}");
        lib.add_vocab_word(&NewVocabWord {
            word: "長大".into(),
            sentence: Some("他在台北\t長大".into()),
            ..Default::default()
        })
        .unwrap();
        (w.id, article)
    };

    let mut lib = Library::open(dir.path()).unwrap();
    assert_eq!(
        lib.vocab_words(None).unwrap().len(),
        2,
        "kept across a restart"
    );
    let found = lib.vocab_words(Some("United Nations")).unwrap();
    assert_eq!(found.len(), 1, "search covers the definitions");
    assert_eq!(
        lib.vocab_words(Some("zhǎng")).unwrap().len(),
        1,
        "and the readings"
    );

    lib.delete_article(article).unwrap();
    let w = lib
        .vocab_words(Some("联合国"))
        .unwrap()
        .into_iter()
        .find(|w| w.id == word_id)
        .expect("deleting the article keeps the word");
    assert_eq!(
        (w.article_id, w.article_title),
        (None, None),
        "only the link goes"
    );
    assert!(w.sentence.is_some(), "the sentence stays with the word");

    let anki = String::from_utf8(lib.render_vocabulary(VocabFormat::Anki).unwrap()).unwrap();
    let mut lines = anki.lines();
    assert_eq!(
        lines.next(),
        Some("#separator:tab"),
        "Anki reads its header lines"
    );
    assert_eq!(lines.next(), Some("#html:true"));
    assert_eq!(lines.next(), Some("#notetype:Basic"));
    let rows: Vec<Vec<&str>> = anki
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split('\t').collect())
        .collect();
    assert_eq!(rows.len(), 2);
    assert!(
        rows.iter().all(|r| r.len() == 10),
        "a tab in a sentence never adds a column: {rows:?}"
    );
    let un = rows.iter().find(|r| r[0] == "聯合國").unwrap();
    assert_eq!(&un[..3], ["聯合國", "联合国", "Lián hé guó"]);
    assert!(un[3].contains("United Nations"), "{un:?}");
    assert_eq!(
        un[7], "聯合國<br>联合国",
        "the card's front: the word in both scripts"
    );
    assert!(
        un[8].starts_with("Lián hé guó<br>"),
        "the back: reading first: {}",
        un[8]
    );
    assert_eq!(un[9], "duizhao");

    let path = dir.path().join("vocab.csv");
    lib.export_vocabulary(VocabFormat::Csv, &path).unwrap();
    let csv = std::fs::read_to_string(&path).unwrap();
    assert!(csv.starts_with("traditional,simplified,pinyin,definition,sentence,article,added\n"));
    assert_eq!(csv.lines().count(), 3);

    lib.delete_vocab_word(word_id).unwrap();
    assert_eq!(lib.vocab_words(None).unwrap().len(), 1);
    assert_eq!(
        lib.delete_vocab_word(word_id).unwrap_err().code(),
        ErrorCode::NotFound
    );
}

#[test]
fn retention_takes_the_article_and_leaves_the_saved_word() {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open(dir.path()).unwrap();
    let article = lib.import_file(&seed_path()).unwrap().id;
    let word = lib
        .add_vocab_word(&NewVocabWord {
            word: "外長".into(),
            article_id: Some(article),
            ..Default::default()
        })
        .unwrap();
    let mut settings = lib.feed_settings().unwrap();
    settings.retention_days = Some(30);
    lib.set_feed_settings(&settings).unwrap();
    lib.set_read(article, true).unwrap();
    // Age the article past the retention period (as 40 days would).
    rusqlite::Connection::open(dir.path().join("duizhao.sqlite3"))
        .unwrap()
        .execute(
            "UPDATE articles SET added_ms = added_ms - 40 * 86400000",
            [],
        )
        .unwrap();
    assert_eq!(
        lib.apply_retention().unwrap(),
        1,
        "the old read article expires"
    );
    let kept = lib.vocab_words(None).unwrap();
    assert_eq!(kept.len(), 1, "retention never deletes a saved word");
    assert_eq!(kept[0].id, word.id);
    assert_eq!(
        kept[0].article_id, None,
        "only the link to the article goes"
    );
    assert_eq!(
        kept[0].sentence, word.sentence,
        "the sentence stays with the word"
    );
}
