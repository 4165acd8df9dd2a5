//! Exporting an article to a file: the view the reader asked for, rendered by
//! `services/export.rs` with the stored images inlined, written whole or not at all.

use std::path::Path;

use crate::error::Result;
use crate::library::Library;
use crate::model::{ExportOptions, ViewOptions};
use crate::support::fs::write_atomic;

impl Library {
    /// Exports an article to `path` (written whole or not at all).
    pub fn export_article(&self, id: i64, options: &ExportOptions, path: &Path) -> Result<()> {
        write_atomic(path, &self.render_article(id, options)?)
    }

    /// An article rendered as `options` say, as the bytes of the file.
    pub fn render_article(&self, id: i64, options: &ExportOptions) -> Result<Vec<u8>> {
        let view = ViewOptions {
            script: options.script,
            config: None,
            to: options.to.clone(),
            // Exports are the text itself; readings are a reading aid of the window.
            reading: Some(crate::model::ReadingChoice::Off),
        };
        let article = self.article_view(id, &view)?;
        let store = self.store();
        let image = |url: &str| store.image_by_url(url).ok().flatten();
        crate::services::export::render(&article, options, &image)
    }
}
