//! TypeScript declarations for every type that crosses IPC, generated from the Rust types
//! with ts-rs into `ui/src/lib/bindings.ts`. The test below fails when the committed file
//! drifts from the Rust types; `UPDATE_BINDINGS=1 cargo test -p duizhao-app bindings`
//! rewrites it.

#[cfg(test)]
mod tests {
    use duizhao_core::auto_translate::{AutoTranslateProgress, AutoTranslateStatus};
    use duizhao_core::feeds::{
        ExportFormat, ExportOptions, Feed, FeedFailure, FeedSettings, OpmlImportSummary,
        RefreshProgress, RefreshSummary, SearchHit,
    };
    use duizhao_core::subscription::FeedOptions;
    use duizhao_core::translation::{
        FieldView, GlossaryEntry, ProviderTest, ProviderView, TranslateEvent, TranslateSummary,
        TranslationSettings,
    };
    use duizhao_core::{
        Article, ArticleSummary, Block, BlockKind, ErrorCode, ImportOutcome, ListFilter,
        ScriptChoice, ViewMode, ViewOptions,
    };
    use ts_rs::{Config, TS};

    use crate::error::IpcError;

    const HEADER: &str = "// Generated from the Rust types by src-tauri/src/bindings.rs (ts-rs). Do not edit:\n// run `UPDATE_BINDINGS=1 cargo test -p duizhao-app bindings` after changing a type.\n\n";

    fn render() -> String {
        // i64 ids fit in a JS number (SQLite rowids stay far below 2^53).
        let cfg = Config::new().with_large_int("number");
        let decls = [
            ErrorCode::decl(&cfg),
            IpcError::decl(&cfg),
            BlockKind::decl(&cfg),
            Block::decl(&cfg),
            ArticleSummary::decl(&cfg),
            Article::decl(&cfg),
            ListFilter::decl(&cfg),
            ImportOutcome::decl(&cfg),
            ScriptChoice::decl(&cfg),
            ViewMode::decl(&cfg),
            ViewOptions::decl(&cfg),
            Feed::decl(&cfg),
            FeedOptions::decl(&cfg),
            FeedSettings::decl(&cfg),
            RefreshProgress::decl(&cfg),
            FeedFailure::decl(&cfg),
            RefreshSummary::decl(&cfg),
            OpmlImportSummary::decl(&cfg),
            SearchHit::decl(&cfg),
            ExportFormat::decl(&cfg),
            ExportOptions::decl(&cfg),
            FieldView::decl(&cfg),
            ProviderView::decl(&cfg),
            TranslationSettings::decl(&cfg),
            TranslateEvent::decl(&cfg),
            TranslateSummary::decl(&cfg),
            ProviderTest::decl(&cfg),
            GlossaryEntry::decl(&cfg),
            AutoTranslateStatus::decl(&cfg),
            AutoTranslateProgress::decl(&cfg),
        ];
        let mut out = String::from(HEADER);
        for d in decls {
            out.push_str("export ");
            out.push_str(&d);
            out.push_str("\n\n");
        }
        out.truncate(out.trim_end().len());
        out.push('\n');
        out
    }

    #[test]
    fn committed_bindings_match_the_rust_types() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings.ts");
        let fresh = render();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &fresh).expect("write bindings");
            return;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == fresh,
            "ui/src/lib/bindings.ts is out of date with the Rust types, so the UI would \
             compile against a wrong shape; run `UPDATE_BINDINGS=1 cargo test -p duizhao-app bindings`"
        );
    }
}
