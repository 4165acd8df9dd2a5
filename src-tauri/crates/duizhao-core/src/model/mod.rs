//! Every type the UI and the command line see, and nothing else: plain data with serde (and
//! TypeScript declarations through ts-rs for the app's bindings). No SQL, no IO, no policy:
//! the lowest layer of the core, which every other module may use.

pub mod article;
pub mod failure;
pub mod feed;
pub mod search;
pub mod start;
pub mod study;
pub mod sync;
pub mod translation;
pub mod view;

pub use article::{
    Article, ArticleSummary, Block, BlockKind, Detected, FeedCount, FolderCount, ImportOutcome,
    LibraryCounts, ListFilter,
};
pub use failure::{ErrorCode, Failure};
pub use feed::{
    Feed, FeedFailure, FeedOptions, FeedSettings, OpmlImportSummary, RefreshOutcome,
    RefreshProgress, RefreshSummary,
};
pub use search::SearchHit;
pub use start::{StartRequest, StartView};
pub use study::{
    DictEntry, NewVocabWord, ReadingChoice, ReadingToken, VocabFormat, VocabWord, WordAt,
};
pub use sync::{ReadScope, SyncAccount, SyncPhase, SyncProgress, SyncSummary};
pub use translation::{
    AutoTranslateFailure, AutoTranslateProgress, AutoTranslateStatus, AutoTranslateSummary,
    FieldView, GlossaryEntry, LANGUAGES, ProviderTest, ProviderView, TranslateEvent,
    TranslateRequest, TranslateSummary, TranslationSettings,
};
pub use view::{ExportFormat, ExportOptions, ScriptChoice, UnknownChoice, ViewMode, ViewOptions};
