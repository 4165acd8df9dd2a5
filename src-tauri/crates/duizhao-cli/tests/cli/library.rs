//! `dz import`, `dz list --json`, `dz show ID --json` and their errors.

use crate::{dz, fails_with, json, seed};

#[test]
fn import_list_show_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let seed = seed();
    let imported = json(&dz(dir.path(), &["import", seed.to_str().unwrap()]));
    assert_eq!(imported["created"], true);
    let id = imported["id"].as_i64().unwrap();

    let list = json(&dz(dir.path(), &["list", "--json"]));
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1);
    for key in ["id", "title", "url", "feed_id", "published", "lang"] {
        assert!(
            list[0].get(key).is_some(),
            "the `dz list` contract (README) needs {key}"
        );
    }
    assert_eq!(list[0]["published"], "2023-09-19T02:17:02Z");

    let shown = json(&dz(dir.path(), &["show", &id.to_string(), "--json"]));
    for key in ["id", "title", "url", "published", "lang", "blocks"] {
        assert!(shown.get(key).is_some(), "show --json must carry {key}");
    }
    let blocks = shown["blocks"].as_array().unwrap();
    assert_eq!(blocks.len(), 20);
    for b in blocks {
        for key in ["kind", "text", "html"] {
            assert!(b.get(key).is_some(), "every block carries {key}: {b}");
        }
    }
    assert_eq!(blocks[2]["kind"], "paragraph");
}

#[test]
fn data_dir_comes_from_the_environment_too() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dz"))
        .args(["import", seed().to_str().unwrap()])
        .env("DUIZHAO_DATA_DIR", dir.path())
        .output()
        .unwrap();
    json(&out);
    assert!(dir.path().join("duizhao.sqlite3").exists());
}

#[test]
fn a_missing_file_is_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    fails_with(
        &dz(dir.path(), &["import", "/no/such/file.md"]),
        "file not found: /no/such/file.md",
    );
}

#[test]
fn a_file_that_is_not_an_article_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.bin");
    std::fs::write(&junk, [0u8, 159, 146, 150, 0, 1, 2]).unwrap();
    let data = dir.path().join("lib");
    fails_with(
        &dz(&data, &["import", junk.to_str().unwrap()]),
        "not an article",
    );
    let list = json(&dz(&data, &["list", "--json"]));
    assert_eq!(
        list,
        serde_json::json!([]),
        "a refused import leaves the library empty"
    );
}

#[test]
fn a_corrupt_database_is_reported_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("duizhao.sqlite3");
    std::fs::write(
        &db,
        b"this is not a database, it is a text file that got in the way",
    )
    .unwrap();
    let before = std::fs::read(&db).unwrap();
    fails_with(&dz(dir.path(), &["list", "--json"]), "corrupt");
    fails_with(
        &dz(dir.path(), &["import", seed().to_str().unwrap()]),
        "corrupt",
    );
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "the damaged file must not be modified"
    );
}

#[test]
fn an_unknown_article_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    fails_with(
        &dz(dir.path(), &["show", "99", "--json"]),
        "no article with id 99",
    );
}
