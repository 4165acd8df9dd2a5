//! Subscriptions in and out as OPML, folders kept.

use std::path::Path;

use crate::error::{CoreError, Result};
use crate::library::Library;
use crate::model::OpmlImportSummary;
use crate::services::validate::MAX_TITLE_CHARS;
use crate::store::feeds as feed_store;
use crate::support::fs::write_atomic;
use crate::support::text::{clip, http_url};

/// Largest OPML file read.
const MAX_OPML_FILE: u64 = 10 * 1024 * 1024;

impl Library {
    /// Subscribes to every feed of an OPML file (folders kept); feeds are fetched by the next
    /// refresh. All or nothing: a file that does not parse subscribes to nothing.
    pub fn opml_import(&mut self, path: &Path) -> Result<OpmlImportSummary> {
        let meta = std::fs::metadata(path).map_err(|e| CoreError::io(path, e))?;
        if meta.len() > MAX_OPML_FILE {
            return Err(CoreError::InvalidInput(format!(
                "{}: OPML file larger than {} MB",
                path.display(),
                MAX_OPML_FILE >> 20
            )));
        }
        let bytes = std::fs::read(path).map_err(|e| CoreError::io(path, e))?;
        let bad = |m: String| CoreError::InvalidInput(format!("{}: {m}", path.display()));
        let text = duizhao_feed::decode(&bytes, None, None).map_err(|e| bad(e.to_string()))?;
        let outlines = duizhao_feed::parse_opml(&text.text).map_err(|e| bad(e.to_string()))?;
        self.store_mut().write(|tx| {
            let mut summary = OpmlImportSummary::default();
            for o in &outlines {
                let Some(url) = http_url(Some(&o.xml_url)) else {
                    summary.skipped += 1;
                    continue;
                };
                let html_url = http_url(o.html_url.as_deref());
                let title = match o.title.trim() {
                    "" => url.clone(),
                    t => clip(t, MAX_TITLE_CHARS),
                };
                let (_, created) = feed_store::insert_feed(
                    tx,
                    &url,
                    &title,
                    html_url.as_deref(),
                    o.folder.as_deref(),
                )?;
                if created {
                    summary.added += 1;
                } else {
                    summary.skipped += 1;
                }
            }
            Ok(summary)
        })
    }

    /// Writes every subscription, with folders, to an OPML file (whole or not at all).
    pub fn opml_export(&self, path: &Path) -> Result<()> {
        let outlines: Vec<duizhao_feed::OpmlOutline> = self
            .list_feeds()?
            .into_iter()
            .map(|f| duizhao_feed::OpmlOutline {
                title: f.title,
                xml_url: f.url,
                html_url: f.site_url,
                folder: f.folder,
            })
            .collect();
        write_atomic(
            path,
            duizhao_feed::write_opml("Duizhao subscriptions", &outlines).as_bytes(),
        )
    }
}
