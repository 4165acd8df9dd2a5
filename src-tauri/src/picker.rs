//! Which files the app reads and writes is decided here, in Rust, by the user in the system's
//! own open/save dialog, never by a path the webview sends: a compromised webview can neither
//! read an arbitrary file into the library nor overwrite one (the save dialog asks before
//! replacing a file). Tests install a scripted [`FilePicker`] in place of the dialogs.

use std::path::PathBuf;
use std::sync::Arc;

use duizhao_core::{ExportFormat, VocabFormat};
use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::DialogExt;

/// What a file is for: decides the dialog's title and file-type filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// An article to import (feed export, HTML, Markdown).
    Article,
    /// Subscriptions as OPML.
    Opml,
    /// Glossary terms as CSV.
    GlossaryCsv,
    /// An exported article.
    Export(ExportFormat),
    /// The exported vocabulary.
    Vocab(VocabFormat),
}

impl FileKind {
    fn title(self, saving: bool) -> &'static str {
        match (self, saving) {
            (FileKind::Article, _) => "Import an article",
            (FileKind::Opml, false) => "Import subscriptions (OPML)",
            (FileKind::Opml, true) => "Export subscriptions (OPML)",
            (FileKind::GlossaryCsv, false) => "Import glossary (CSV)",
            (FileKind::GlossaryCsv, true) => "Export glossary (CSV)",
            (FileKind::Export(_), _) => "Export article",
            (FileKind::Vocab(VocabFormat::Anki), _) => "Export vocabulary for Anki",
            (FileKind::Vocab(VocabFormat::Csv), _) => "Export vocabulary (CSV)",
        }
    }

    fn filter(self) -> (&'static str, &'static [&'static str]) {
        match self {
            FileKind::Article => (
                "Articles",
                &["md", "markdown", "txt", "html", "htm", "xhtml"],
            ),
            FileKind::Opml => ("OPML", &["opml", "xml"]),
            FileKind::GlossaryCsv => ("CSV", &["csv"]),
            FileKind::Export(ExportFormat::Html) => ("HTML", &["html"]),
            FileKind::Export(ExportFormat::Md) => ("Markdown", &["md"]),
            FileKind::Export(ExportFormat::Epub) => ("EPUB", &["epub"]),
            FileKind::Vocab(VocabFormat::Anki) => ("Anki text", &["txt", "tsv"]),
            FileKind::Vocab(VocabFormat::Csv) => ("CSV", &["csv"]),
        }
    }
}

/// Chooses files for the app: the native dialogs, or a script in tests.
pub trait FilePicker: Send + Sync {
    /// A file to read, or `None` when the user cancelled.
    fn open(&self, kind: FileKind) -> Option<PathBuf>;
    /// A file to write (replacing it was confirmed in the dialog), or `None` when cancelled.
    fn save(&self, kind: FileKind, suggested_name: &str) -> Option<PathBuf>;
}

/// The system's open and save dialogs (tauri-plugin-dialog), shown over the app's window.
struct NativePicker<R: Runtime>(AppHandle<R>);

impl<R: Runtime> FilePicker for NativePicker<R> {
    fn open(&self, kind: FileKind) -> Option<PathBuf> {
        let (name, extensions) = kind.filter();
        self.0
            .dialog()
            .file()
            .set_title(kind.title(false))
            .add_filter(name, extensions)
            .blocking_pick_file()?
            .into_path()
            .ok()
    }

    fn save(&self, kind: FileKind, suggested_name: &str) -> Option<PathBuf> {
        let (name, extensions) = kind.filter();
        // The platform dialog asks before replacing an existing file.
        self.0
            .dialog()
            .file()
            .set_title(kind.title(true))
            .set_file_name(suggested_name)
            .add_filter(name, extensions)
            .blocking_save_file()?
            .into_path()
            .ok()
    }
}

/// The picker in force: the one installed in the app state (tests), else the native dialogs.
pub fn picker<R: Runtime>(
    app: &AppHandle<R>,
    installed: Option<Arc<dyn FilePicker>>,
) -> Arc<dyn FilePicker> {
    installed.unwrap_or_else(|| Arc::new(NativePicker(app.clone())))
}

/// A file name for an export: the article's title without characters file systems refuse,
/// at most 80 characters, with the format's extension.
pub fn export_name(title: &str, format: ExportFormat) -> String {
    let stem: String = title
        .chars()
        .map(|c| {
            if c.is_control() || r#"/\:*?"<>|"#.contains(c) {
                '_'
            } else {
                c
            }
        })
        .take(80)
        .collect();
    let stem = stem.trim().trim_matches('.');
    let stem = if stem.is_empty() { "article" } else { stem };
    format!("{stem}.{}", format.name())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_names_are_safe_file_names() {
        assert_eq!(
            export_name("王毅見俄外長：推動全球治理", ExportFormat::Epub),
            "王毅見俄外長：推動全球治理.epub"
        );
        assert_eq!(
            export_name("../../etc/passwd", ExportFormat::Md),
            "_.._etc_passwd.md"
        );
        assert_eq!(export_name("  ", ExportFormat::Html), "article.html");
    }
}
