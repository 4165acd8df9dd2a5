//! Translation commands through Tauri's IPC path (mock runtime, real context and capabilities,
//! temporary library): providers, settings, glossary, and typed errors.

use serde_json::json;

use crate::{app, invoke, pick};

#[test]
fn providers_come_with_a_generic_form_and_never_a_key() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app(dir.path());
    let list = invoke(&webview, "list_providers", json!({})).unwrap();
    let deepl = list
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "deepl")
        .unwrap()
        .clone();
    let kinds: Vec<_> = deepl["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap().to_string())
        .collect();
    assert!(
        kinds.contains(&"secret".to_string()) && kinds.contains(&"url".to_string()),
        "{kinds:?}"
    );
    for f in deepl["fields"].as_array().unwrap() {
        if f["kind"] == "secret" {
            assert!(f["value"].is_null(), "secret values never cross IPC");
        }
    }

    let saved = invoke(
        &webview,
        "set_provider",
        json!({ "name": "deepl", "values": { "endpoint": "http://127.0.0.1:9/" } }),
    )
    .unwrap();
    let endpoint = saved["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == "endpoint")
        .unwrap();
    assert_eq!(endpoint["value"], "http://127.0.0.1:9/");
    assert!(
        std::fs::read_to_string(dir.path().join("config.toml"))
            .unwrap()
            .contains("[providers.deepl]")
    );

    let err = invoke(
        &webview,
        "set_provider",
        json!({ "name": "deepl", "values": { "endpoint": "ftp://x" } }),
    )
    .unwrap_err();
    assert_eq!(err["code"], "config", "{err}");
    assert_eq!(
        err["provider"], "deepl",
        "the UI opens this provider's settings: {err}"
    );
}

#[test]
fn translation_settings_round_trip_and_validate() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app(dir.path());
    assert_eq!(
        invoke(&webview, "get_translation_settings", json!({})).unwrap(),
        json!({ "target": "en", "provider": null })
    );
    invoke(
        &webview,
        "set_translation_settings",
        json!({ "settings": { "target": "zh-Hant", "provider": "deepl" } }),
    )
    .unwrap();
    assert_eq!(
        invoke(&webview, "get_translation_settings", json!({})).unwrap()["target"],
        "zh-Hant"
    );
    let err = invoke(
        &webview,
        "set_translation_settings",
        json!({ "settings": { "target": "xx-Nope", "provider": null } }),
    )
    .unwrap_err();
    assert_eq!(err["code"], "invalid_input", "{err}");
}

#[test]
fn glossary_entries_are_added_edited_exported_and_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app(dir.path());
    let e = invoke(
        &webview,
        "save_glossary_entry",
        json!({ "entry": { "id": 0, "source": "王毅", "target": "Wang Yi", "lang": null, "feed_id": null } }),
    )
    .unwrap();
    let id = e["id"].as_i64().unwrap();
    assert!(id > 0);
    invoke(
        &webview,
        "save_glossary_entry",
        json!({ "entry": { "id": id, "source": "王毅", "target": "WANG Yi", "lang": "en", "feed_id": null } }),
    )
    .unwrap();
    let csv = dir.path().join("g.csv");
    pick(&webview, Some(&csv));
    invoke(&webview, "export_glossary_csv", json!({})).unwrap();
    assert_eq!(
        std::fs::read_to_string(&csv).unwrap(),
        "source,target,lang\n王毅,WANG Yi,en\n"
    );
    pick(&webview, Some(&csv));
    let n = invoke(&webview, "import_glossary_csv", json!({})).unwrap();
    assert_eq!(n, 1, "the header row is skipped");
    assert_eq!(
        invoke(&webview, "list_glossary", json!({ "feedId": null }))
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        2
    );
    invoke(&webview, "delete_glossary_entry", json!({ "id": id })).unwrap();
    assert_eq!(
        invoke(&webview, "list_glossary", json!({ "feedId": null }))
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let err = invoke(
        &webview,
        "save_glossary_entry",
        json!({ "entry": { "id": 0, "source": " ", "target": "x", "lang": null, "feed_id": null } }),
    )
    .unwrap_err();
    assert_eq!(err["code"], "invalid_input");
}
