//! Reading-aid commands through the IPC path: the pop-up's look-ups, readings in the article
//! view, and the vocabulary with its export through the (scripted) save dialog.

use duizhao_app::picker::FileKind;
use duizhao_core::VocabFormat;
use serde_json::json;
use tauri::Manager;

use crate::{app, invoke, pick};

#[test]
fn the_popup_finds_words_and_the_reader_gets_readings() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app(dir.path());
    let entries = invoke(&webview, "define", json!({ "word": "銀行" })).unwrap();
    assert_eq!(entries[0]["pinyin"], "yín háng");
    assert_eq!(entries[0]["simplified"], "银行");
    let w = invoke(
        &webview,
        "word_at",
        json!({ "text": "他在银行工作", "at": 3 }),
    )
    .unwrap();
    assert_eq!(
        (w["word"].as_str(), w["start"].as_u64()),
        (Some("银行"), Some(2))
    );
    let none = invoke(&webview, "word_at", json!({ "text": "abc", "at": 1 })).unwrap();
    assert!(none.is_null(), "no word there is null, not an error");
    let tokens = invoke(
        &webview,
        "annotate",
        json!({ "text": "长城", "reading": "zhuyin" }),
    )
    .unwrap();
    assert_eq!(
        tokens,
        json!([{ "text": "长城", "reading": "ㄔㄤˊ ㄔㄥˊ" }])
    );
    let err = invoke(
        &webview,
        "annotate",
        json!({ "text": "长城", "reading": "off" }),
    )
    .unwrap_err();
    assert_eq!(err["code"], "invalid_input", "a typed error: {err}");

    let list = invoke(&webview, "list_articles", json!({ "filter": {} })).unwrap();
    let id = list[0]["id"].clone();
    let article = invoke(
        &webview,
        "get_article",
        json!({ "id": id, "view": { "reading": "pinyin" } }),
    )
    .unwrap();
    assert_eq!(article["reading"], "pinyin");
    assert!(
        article["blocks"][2]["html"]
            .as_str()
            .unwrap()
            .contains("<ruby>")
    );
    let plain = invoke(&webview, "get_article", json!({ "id": id, "view": {} })).unwrap();
    assert!(
        !plain.to_string().contains("<ruby>"),
        "no readings unless asked"
    );
}

#[test]
fn words_are_saved_listed_exported_through_the_dialog_and_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app(dir.path());
    let list = invoke(&webview, "list_articles", json!({ "filter": {} })).unwrap();
    let article = list[0]["id"].clone();
    let saved = invoke(
        &webview,
        "add_vocab_word",
        json!({ "word": { "word": "外長", "article_id": article, "sentence": "王毅見俄外長。" } }),
    )
    .unwrap();
    assert_eq!(saved["simplified"], "外长");
    assert_eq!(saved["sentence"], "王毅見俄外長。");
    let err = invoke(
        &webview,
        "add_vocab_word",
        json!({ "word": { "word": "xyzzy" } }),
    )
    .unwrap_err();
    assert_eq!(err["code"], "not_found", "{err}");
    let found = invoke(&webview, "list_vocab", json!({ "search": "外" })).unwrap();
    assert_eq!(found.as_array().unwrap().len(), 1);

    let file = dir.path().join("anki.txt");
    pick(&webview, Some(&file));
    let written = invoke(&webview, "export_vocab", json!({ "format": "anki" })).unwrap();
    assert_eq!(written, json!(file.display().to_string()));
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("外長\t外长\t"), "{text}");
    pick(&webview, None);
    let cancelled = invoke(&webview, "export_vocab", json!({ "format": "csv" })).unwrap();
    assert!(cancelled.is_null(), "a cancelled dialog writes nothing");
    let asked = webview.state::<std::sync::Arc<crate::Picks>>().asked();
    assert_eq!(
        asked,
        [
            (FileKind::Vocab(VocabFormat::Anki), true),
            (FileKind::Vocab(VocabFormat::Csv), true)
        ],
        "the path comes from the save dialog, never from the webview"
    );

    let id = saved["id"].clone();
    invoke(&webview, "delete_vocab_word", json!({ "id": id })).unwrap();
    let err = invoke(&webview, "delete_vocab_word", json!({ "id": id })).unwrap_err();
    assert_eq!(err["code"], "not_found");
    assert_eq!(
        invoke(&webview, "list_vocab", json!({})).unwrap(),
        json!([])
    );
}
