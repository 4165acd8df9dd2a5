//! `dz import`, `dz list --json`, `dz show ID --json` and their errors.

use crate::{dz, export_html, fails_with, json, seed};

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

/// Every file of a library folder with its bytes: what "changes nothing" means.
fn snapshot(dir: &std::path::Path) -> Vec<(std::ffi::OsString, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (e.file_name(), std::fs::read(e.path()).unwrap_or_default())
        })
        .collect();
    files.sort();
    files
}

#[test]
fn a_library_from_a_newer_build_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    json(&dz(dir.path(), &["import", seed().to_str().unwrap()]));
    {
        // What a newer Duizhao leaves: a schema this build does not know (and a journal mode
        // it does not set, so that opening it as this build would show in the header).
        let db = rusqlite::Connection::open(dir.path().join("duizhao.sqlite3")).unwrap();
        db.execute_batch("PRAGMA journal_mode = DELETE; CREATE TABLE from_the_future(x);")
            .unwrap();
        db.pragma_update(
            None,
            "user_version",
            duizhao_core::store::SCHEMA_VERSION + 3,
        )
        .unwrap();
    }
    let before = snapshot(dir.path());
    for args in [
        &["list", "--json"][..],
        &["import", seed().to_str().unwrap()],
        &["refresh"],
    ] {
        fails_with(&dz(dir.path(), args), "written by a newer Duizhao");
    }
    assert!(
        snapshot(dir.path()) == before,
        "a library from the future must be left exactly as it was (no byte, no new file)"
    );
}

#[test]
fn random_bytes_in_place_of_the_library_are_reported_and_never_overwritten() {
    // Deterministic noise (xorshift), with and without a valid SQLite header in front.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let noise: Vec<u8> = (0..64 * 1024)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    let mut with_header = b"SQLite format 3\0".to_vec();
    with_header.extend_from_slice(&noise[16..]);
    for bytes in [noise, with_header] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("duizhao.sqlite3"), &bytes).unwrap();
        let before = snapshot(dir.path());
        fails_with(&dz(dir.path(), &["list", "--json"]), "corrupt");
        fails_with(
            &dz(dir.path(), &["import", seed().to_str().unwrap()]),
            "corrupt",
        );
        assert!(
            snapshot(dir.path()) == before,
            "a damaged library is the reader's to rescue: never overwritten"
        );
    }
}

#[test]
fn an_older_library_gets_its_languages_when_dz_opens_it() {
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("en.md");
    std::fs::write(
        &article,
        "# New measures against inflation\n\nThe government announced new measures on Tuesday \
         to curb inflation, after prices rose for the sixth month in a row.\n\nAP\n",
    )
    .unwrap();
    let data = dir.path().join("lib");
    let id = json(&dz(&data, &["import", article.to_str().unwrap()]))["id"]
        .as_i64()
        .unwrap();
    {
        // As the build before language detection left it (Latin text tagged und-Latn), with
        // the mark its migration puts on such a library (the version is not rewound: later
        // migrations cannot run twice).
        let db = rusqlite::Connection::open(data.join("duizhao.sqlite3")).unwrap();
        db.execute_batch(
            "UPDATE articles SET lang = 'und-Latn'; UPDATE blocks SET lang = 'und-Latn';
             INSERT OR REPLACE INTO settings(key, value) VALUES ('languages.redetect_after', '0');",
        )
        .unwrap();
    }
    let list = json(&dz(&data, &["list", "--json"]));
    assert_eq!(list[0]["lang"], "en", "the list shows the new tag: {list}");
    let shown = json(&dz(&data, &["show", &id.to_string(), "--json"]));
    assert_eq!(shown["lang"], "en");
    let blocks = shown["blocks"].as_array().unwrap();
    assert!(!blocks.is_empty());
    for b in blocks {
        assert_eq!(
            b["lang"], "en",
            "every block, the two-letter one too (it inherits): {b}"
        );
    }
    let html = export_html(&data, &id.to_string(), &dir.path().join("out.html"));
    assert!(
        html.contains("lang=\"en\"") && !html.contains("und-Latn"),
        "exports carry the same tag"
    );
}
