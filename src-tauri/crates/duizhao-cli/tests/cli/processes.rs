//! Several real processes on one library at once: the app and `dz` share a data folder, so
//! opening, migrating and editing the configuration must be safe across processes, not only
//! across threads.

use std::collections::BTreeMap;
use std::process::{Command, Stdio};

use crate::{dz, json};

/// `dz --data-dir DIR ARGS…`, started and not yet waited for.
fn spawn_dz(dir: &std::path::Path, args: &[&str]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_dz"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("DUIZHAO_DATA_DIR")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("dz starts")
}

#[test]
fn a_new_library_opened_by_several_processes_at_once_is_created_once() {
    let dir = tempfile::tempdir().unwrap();
    // All start before any has finished creating the schema: each must either create it or
    // wait for the one that does (the version is read again inside the migration's write
    // transaction), never fail with "table already exists" or "database is locked".
    let children: Vec<_> = (0..6)
        .map(|_| spawn_dz(dir.path(), &["list", "--json"]))
        .collect();
    for child in children {
        let out = child.wait_with_output().expect("dz ends");
        let list = json(&out);
        assert_eq!(list, serde_json::json!([]), "a new library lists nothing");
    }
    let db = rusqlite::Connection::open(dir.path().join(duizhao_core::DB_FILE)).unwrap();
    let check: String = db
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        check, "ok",
        "the library survives being created six times at once"
    );
    // And it is a working library afterwards.
    json(&dz(
        dir.path(),
        &["import", crate::seed().to_str().unwrap()],
    ));
    assert_eq!(
        json(&dz(dir.path(), &["list", "--json"]))
            .as_array()
            .map(Vec::len),
        Some(1)
    );
}

#[test]
fn provider_settings_made_with_dz_survive_the_apps_next_change() {
    let dir = tempfile::tempdir().unwrap();
    // The app opened the library (and read config.toml) before the reader used dz.
    let mut app = duizhao_core::Library::open(dir.path()).expect("library opens");
    let one = |k: &str, v: &str| BTreeMap::from([(k.to_string(), v.to_string())]);
    app.set_provider("apertium", &one("endpoint", "http://127.0.0.1:2737"))
        .expect("the app sets apertium");
    json(&dz(
        dir.path(),
        &[
            "provider",
            "set",
            "libretranslate",
            "endpoint=https://libretranslate.example/translate",
        ],
    ));
    app.set_provider("openai", &one("model", "gpt-4o-mini"))
        .expect("the app sets openai");

    let config = std::fs::read_to_string(dir.path().join("config.toml")).unwrap();
    assert!(
        config.contains("https://libretranslate.example/translate"),
        "the app must not write config.toml from its memory over what dz changed:\n{config}"
    );
    assert!(config.contains("127.0.0.1:2737") && config.contains("gpt-4o-mini"));
}
