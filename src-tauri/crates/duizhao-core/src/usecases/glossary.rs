//! The glossary: terms always translated one way (enforced in LLM prompts, protected in MT
//! requests), globally or per feed, editable one by one or as CSV.

use std::path::Path;

use crate::error::{CoreError, Result};
use crate::library::Library;
use crate::model::GlossaryEntry;
use crate::store::glossary;

impl Library {
    /// Glossary terms that apply to a feed (global ones included).
    pub fn glossary(&self, feed_id: Option<i64>) -> Result<Vec<GlossaryEntry>> {
        self.store().glossary(feed_id)
    }

    /// Adds (id 0) or updates a glossary entry; source and target are trimmed and required.
    pub fn save_glossary_entry(&mut self, entry: &GlossaryEntry) -> Result<GlossaryEntry> {
        let entry = checked(entry)?;
        let id = self.store_mut().save_glossary_entry(&entry)?;
        Ok(GlossaryEntry { id, ..entry })
    }

    /// Deletes a glossary entry.
    pub fn delete_glossary_entry(&mut self, id: i64) -> Result<()> {
        self.store_mut().delete_glossary_entry(id)
    }

    /// Imports glossary terms from a CSV file with the columns `source,target[,lang]` (a
    /// header row is recognised and skipped). All or nothing: a bad row leaves the glossary
    /// as it was. Returns the number of terms added.
    pub fn import_glossary_csv(&mut self, path: &Path, feed_id: Option<i64>) -> Result<usize> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_path(path)
            .map_err(|e| csv_error(path, e))?;
        let mut entries = Vec::new();
        for (i, record) in reader.records().enumerate() {
            let record = record.map_err(|e| csv_error(path, e))?;
            let field = |n: usize| record.get(n).map(str::trim).unwrap_or("");
            if i == 0 && field(0).eq_ignore_ascii_case("source") {
                continue;
            }
            if field(0).is_empty() && field(1).is_empty() {
                continue;
            }
            if field(0).is_empty() || field(1).is_empty() {
                return Err(CoreError::InvalidInput(format!(
                    "{}: every row needs a source and a target",
                    path.display()
                )));
            }
            entries.push(GlossaryEntry {
                id: 0,
                source: field(0).to_string(),
                target: field(1).to_string(),
                lang: Some(field(2)).filter(|l| !l.is_empty()).map(str::to_string),
                feed_id,
            });
        }
        self.store_mut().write(|tx| {
            for e in &entries {
                glossary::insert(tx, e)?;
            }
            Ok(())
        })?;
        Ok(entries.len())
    }

    /// Writes the glossary (global and per-feed terms) as CSV `source,target,lang`.
    pub fn export_glossary_csv(&self, path: &Path) -> Result<()> {
        let entries = self.store().all_glossary()?;
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut write = |row: [&str; 3]| w.write_record(row).map_err(|e| csv_error(path, e));
        write(["source", "target", "lang"])?;
        for e in &entries {
            write([&e.source, &e.target, e.lang.as_deref().unwrap_or("")])?;
        }
        let bytes = w
            .into_inner()
            .map_err(|e| CoreError::Internal(format!("writing CSV ({e})")))?;
        crate::support::fs::write_atomic(path, &bytes)
    }
}

/// A term as it is saved: trimmed, with a source and a target.
fn checked(entry: &GlossaryEntry) -> Result<GlossaryEntry> {
    let (source, target) = (entry.source.trim(), entry.target.trim());
    if source.is_empty() || target.is_empty() {
        return Err(CoreError::InvalidInput(
            "a glossary term needs a source and a target".into(),
        ));
    }
    Ok(GlossaryEntry {
        source: source.to_string(),
        target: target.to_string(),
        ..entry.clone()
    })
}

fn csv_error(path: &Path, e: csv::Error) -> CoreError {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => CoreError::io(path, io),
        other => CoreError::InvalidInput(format!(
            "{}: not a valid CSV file ({other:?})",
            path.display()
        )),
    }
}
