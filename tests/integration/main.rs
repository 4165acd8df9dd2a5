//! Cross-crate integration tests: one test binary made of modules (the ripgrep pattern).
//! Each module drives the public core API against real files in temporary folders.

mod auto_translate;
mod feeds;
mod images;
mod seed;
mod translate;
mod vocabulary;

/// The seed article, read from the copy the app bundles.
pub fn seed_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src-tauri/resources/seed/dw-wang-yi-lavrov.md")
}
