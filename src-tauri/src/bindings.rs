//! TypeScript declarations for every type that crosses IPC, generated from the Rust types
//! with ts-rs into `ui/src/lib/bindings.ts`. The test below fails when the committed file
//! drifts from the Rust types; `UPDATE_BINDINGS=1 cargo test -p duizhao-app bindings`
//! rewrites it.

#[cfg(test)]
mod tests {
    use duizhao_core::{
        Article, ArticleSummary, AutoTranslateFailure, AutoTranslateProgress, AutoTranslateStatus,
        Block, BlockKind, DictEntry, ErrorCode, ExportFormat, ExportOptions, Failure, Feed,
        FeedCount, FeedFailure, FeedOptions, FeedSettings, FieldView, FolderCount, GlossaryEntry,
        ImportOutcome, LibraryCounts, ListFilter, NewVocabWord, OpmlImportSummary, ProviderTest,
        ProviderView, ReadScope, ReadingChoice, ReadingToken, RefreshProgress, RefreshSummary,
        ScriptChoice, SearchHit, StartRequest, StartView, SyncAccount, SyncPhase, SyncProgress,
        SyncSummary, TranslateEvent, TranslateSummary, TranslationSettings, ViewMode, ViewOptions,
        VocabFormat, VocabWord, WordAt,
    };
    use ts_rs::{Config, TS};

    const HEADER: &str = "// Generated from the Rust types by src-tauri/src/bindings.rs (ts-rs). Do not edit:\n// run `UPDATE_BINDINGS=1 cargo test -p duizhao-app bindings` after changing a type.\n\n";

    fn render() -> String {
        // i64 ids fit in a JS number (SQLite rowids stay far below 2^53).
        let cfg = Config::new().with_large_int("number");
        let decls = [
            ErrorCode::decl(&cfg),
            Failure::decl(&cfg),
            BlockKind::decl(&cfg),
            Block::decl(&cfg),
            ArticleSummary::decl(&cfg),
            Article::decl(&cfg),
            ListFilter::decl(&cfg),
            FeedCount::decl(&cfg),
            FolderCount::decl(&cfg),
            LibraryCounts::decl(&cfg),
            ImportOutcome::decl(&cfg),
            ScriptChoice::decl(&cfg),
            ViewMode::decl(&cfg),
            ViewOptions::decl(&cfg),
            StartRequest::decl(&cfg),
            StartView::decl(&cfg),
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
            AutoTranslateFailure::decl(&cfg),
            ReadingChoice::decl(&cfg),
            DictEntry::decl(&cfg),
            ReadingToken::decl(&cfg),
            WordAt::decl(&cfg),
            VocabWord::decl(&cfg),
            NewVocabWord::decl(&cfg),
            VocabFormat::decl(&cfg),
            SyncAccount::decl(&cfg),
            SyncSummary::decl(&cfg),
            SyncPhase::decl(&cfg),
            SyncProgress::decl(&cfg),
            ReadScope::decl(&cfg),
        ];
        let mut out = String::from(HEADER);
        for d in decls {
            out.push_str("export ");
            out.push_str(&d);
            out.push_str("\n\n");
        }
        out.push_str("/** What every command rejects with (the core's `Failure`). */\n");
        out.push_str("export type IpcError = Failure;\n");
        out
    }

    /// `ui/src/lib/generated.ts`: the constants the UI shares with Rust (the offered target
    /// languages, the names of the events the app sends), so neither is copied by hand.
    fn render_constants() -> String {
        let mut out = String::from(
            "// Generated from Rust by the app's binding test (src-tauri/src/bindings.rs); do not edit.\n\n",
        );
        out.push_str(
            "/** Target languages offered (BCP-47), with their names in that language. */\n",
        );
        out.push_str("export const LANGUAGES: readonly { code: string; label: string }[] = [\n");
        for (code, label) in duizhao_core::LANGUAGES {
            out.push_str(&format!("  {{ code: '{code}', label: '{label}' }},\n"));
        }
        out.push_str(
            "];\n\n/** Events the app sends to the webview. */\nexport const EVENTS = {\n",
        );
        for (name, value) in [
            ("imagesStored", crate::IMAGES_STORED_EVENT),
            ("libraryChanged", crate::LIBRARY_CHANGED_EVENT),
            ("translationsStored", crate::TRANSLATIONS_STORED_EVENT),
            ("syncFinished", crate::sync::SYNC_FINISHED_EVENT),
        ] {
            out.push_str(&format!("  {name}: '{value}',\n"));
        }
        out.push_str("} as const;\n");
        out
    }

    /// Compares (or with `UPDATE_BINDINGS` set, rewrites) one generated UI file.
    fn check_generated(file: &str, fresh: &str) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, fresh).expect("write generated file");
            return;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == fresh,
            "{file} is out of date with the Rust side, so the UI would compile against a \
             wrong shape or name; run `UPDATE_BINDINGS=1 cargo test -p duizhao-app bindings`"
        );
    }

    #[test]
    fn committed_bindings_match_the_rust_types() {
        check_generated("../ui/src/lib/bindings.ts", &render());
        check_generated("../ui/src/lib/generated.ts", &render_constants());
    }
}
