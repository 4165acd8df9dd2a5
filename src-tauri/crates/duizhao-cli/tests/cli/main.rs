//! Black-box tests of the real `dz` binary in temporary folders (the ripgrep pattern): what a
//! script outside the project sees — stdout JSON, stderr lines, exit codes.

mod auto_translate;
mod concurrent;
mod feeds;
mod fixture;
mod library;
mod processes;
mod study;
mod subscriptions;
mod sync;
mod translate;
mod zh;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs `dz --data-dir DIR ARGS…`.
pub fn dz(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dz"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("DUIZHAO_DATA_DIR")
        .output()
        .expect("dz runs")
}

/// The seed article shipped with the app.
pub fn seed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../resources/seed/dw-wang-yi-lavrov.md")
}

/// `dz export ID --format html -o FILE` in the library `dir`; the file's text.
pub fn export_html(dir: &Path, id: &str, file: &Path) -> String {
    let out = dz(
        dir,
        &[
            "export",
            id,
            "--format",
            "html",
            "-o",
            file.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read_to_string(file).unwrap()
}

/// Parses stdout as JSON, failing with stderr shown.
pub fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "dz failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

/// Asserts a failure with exactly one line on stderr containing `needle`.
pub fn fails_with(out: &Output, needle: &str) {
    assert!(!out.status.success(), "expected failure, got success");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.trim_end().lines().count(),
        1,
        "one clear line, got: {err}"
    );
    assert!(
        err.contains(needle),
        "stderr {err:?} should mention {needle:?}"
    );
    assert!(out.stdout.is_empty(), "nothing on stdout on error");
}
