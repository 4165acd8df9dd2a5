//! The command layer without a window: the real command table and the app's real context
//! (config and capabilities, so permissions are checked too) over a real temporary library,
//! invoked through Tauri's IPC path with `tauri::test::mock_builder`.

use duizhao_app::SEED_TEXT;
use serde_json::{Value, json};
use tauri::Manager;

use crate::{app, invoke, pick};

#[test]
fn first_start_shows_the_seed_in_the_library_and_reader() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app(dir.path());
    let list = invoke(&webview, "list_articles", json!({ "filter": {} })).expect("list works");
    let list = list.as_array().expect("an array");
    assert_eq!(
        list.len(),
        1,
        "a new library starts with exactly the seed article"
    );
    assert_eq!(list[0]["title"], "王毅見俄外長：推動全球治理更「公平合理」");

    let id = list[0]["id"].clone();
    let article =
        invoke(&webview, "get_article", json!({ "id": id, "view": {} })).expect("article loads");
    let blocks = article["blocks"].as_array().unwrap();
    assert_eq!(blocks[0]["kind"], "image");
    assert_eq!(blocks[1]["kind"], "caption");
    assert!(
        blocks[2]["text"]
            .as_str()
            .unwrap()
            .starts_with("（德國之聲中文網）"),
        "the first paragraph must be the article's first paragraph"
    );
    assert!(SEED_TEXT.contains("获取更多RSS"));
    assert!(
        !article.to_string().contains("获取更多RSS"),
        "the feed service's footer must not reach the reader"
    );
}

#[test]
fn the_start_view_brings_the_list_and_the_open_article_in_one_call() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app(dir.path());
    // A saved feed source that no longer exists lists nothing: the whole library instead.
    let request = json!({ "filter": { "feed_id": 99 }, "article_id": 1, "to": "en" });
    let view = invoke(&webview, "start_view", json!({ "request": request })).expect("start works");
    assert_eq!(view["whole_library"], true, "{view}");
    assert_eq!(
        view["articles"].as_array().map(Vec::len),
        Some(1),
        "the seed"
    );
    assert_eq!(view["article_id"], 1);
    assert_eq!(
        view["article"]["title"], "王毅見俄外長：推動全球治理更「公平合理」",
        "the title is there for the first paint"
    );
    assert_eq!(view["script"], "original");
    assert_eq!(view["to"], "en");
}

#[test]
fn the_seed_is_imported_once_only() {
    let dir = tempfile::tempdir().unwrap();
    drop(app(dir.path()));
    let (_app, webview) = app(dir.path());
    let list = invoke(&webview, "list_articles", json!({ "filter": {} })).unwrap();
    assert_eq!(
        list.as_array().unwrap().len(),
        1,
        "restarting must not duplicate the seed"
    );
}

#[test]
fn errors_reach_the_ui_as_code_and_message() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app(dir.path());
    let err = invoke(&webview, "get_article", json!({ "id": 424242, "view": {} })).unwrap_err();
    assert_eq!(
        err["code"], "not_found",
        "the UI branches on the code: {err}"
    );
    assert_eq!(err["message"], "no article with id 424242");

    let missing = dir.path().join("nope.md");
    pick(&webview, Some(&missing));
    let err = invoke(&webview, "import_file", json!({})).unwrap_err();
    assert_eq!(err["code"], "not_found", "{err}");

    let err = invoke(&webview, "get_feed_options", json!({ "id": 77 })).unwrap_err();
    assert_eq!(
        (&err["code"], &err["message"]),
        (&json!("not_found"), &json!("no feed with id 77")),
        "a missing feed is not_found, not invalid input: the UI offers a reload, not a fix"
    );
}

#[test]
fn the_sidebar_counts_come_from_the_core() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app(dir.path());
    let counts = invoke(&webview, "library_counts", json!({})).expect("counts work");
    assert_eq!(
        (&counts["all"], &counts["unread"], &counts["starred"]),
        (&json!(1), &json!(1), &json!(0)),
        "the seed, unread: {counts}"
    );
    invoke(&webview, "set_starred", json!({ "id": 1, "value": true })).unwrap();
    let starred = invoke(
        &webview,
        "list_articles",
        json!({ "filter": { "starred": true } }),
    )
    .unwrap();
    assert_eq!(starred.as_array().unwrap().len(), 1, "{starred}");
    assert_eq!(
        invoke(&webview, "library_counts", json!({})).unwrap()["starred"],
        1
    );
}

#[test]
fn the_script_switch_converts_the_article_and_is_remembered() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app(dir.path());
    assert_eq!(
        invoke(&webview, "get_script_preference", json!({ "feedId": null })).unwrap(),
        "original"
    );
    let a = invoke(
        &webview,
        "get_article",
        json!({ "id": 1, "view": { "script": "hans" } }),
    )
    .unwrap();
    assert_eq!(a["title"], "王毅见俄外长：推动全球治理更「公平合理」");
    assert_eq!(
        a["blocks"][1]["text"],
        "王毅9月18日出访俄罗斯会见拉夫罗夫。图为去年8月两人在柬埔寨东亚峰会外长会议见面（资料照）",
        "captions convert too"
    );
    assert_eq!(
        a["blocks"][0]["src"], "https://static.dw.com/image/62718820_303.jpg",
        "URLs never convert"
    );

    invoke(
        &webview,
        "set_script_preference",
        json!({ "feedId": null, "script": "tw" }),
    )
    .unwrap();
    drop((_app, webview));
    let (_app, webview) = app(dir.path());
    assert_eq!(
        invoke(&webview, "get_script_preference", json!({ "feedId": null })).unwrap(),
        "tw",
        "the choice survives a restart"
    );
}

#[test]
fn the_webview_cannot_name_the_files_the_app_reads_or_writes() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app(dir.path());
    // A file the webview would like to read, and one it would like to overwrite.
    let secret = dir.path().join("secret.md");
    std::fs::write(&secret, "# Private\n\nNot for the library.").unwrap();
    let precious = dir.path().join("precious.opml");
    std::fs::write(&precious, "keep me").unwrap();

    // The user cancels the dialogs: a path in the call changes nothing.
    pick(&webview, None);
    let imported = invoke(&webview, "import_file", json!({ "path": secret })).unwrap();
    assert_eq!(
        imported,
        Value::Null,
        "the path the webview sent is not used"
    );
    pick(&webview, None);
    let written = invoke(&webview, "opml_export", json!({ "path": precious })).unwrap();
    assert_eq!(written, Value::Null);
    assert_eq!(
        std::fs::read_to_string(&precious).unwrap(),
        "keep me",
        "a file named by the webview must never be overwritten"
    );
    let list = invoke(&webview, "list_articles", json!({ "filter": {} })).unwrap();
    assert_eq!(
        list.as_array().unwrap().len(),
        1,
        "only the seed: nothing was read"
    );
    let picks = webview.state::<std::sync::Arc<crate::Picks>>();
    assert_eq!(
        picks.asked(),
        vec![
            (duizhao_app::picker::FileKind::Article, false),
            (duizhao_app::picker::FileKind::Opml, true)
        ],
        "each file came from a native dialog"
    );
}
