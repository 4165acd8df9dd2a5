//! Pure services: functions from values to values, no database and no network. Each use case
//! (`crate::usecases`) runs them between its reads and writes, and tests call them directly.
//!
//! - `ingest`: clean → guard → sanitize → segment, from article HTML to blocks;
//! - `items`: a feed item to an article to store (ingest + title + language);
//! - `import`: local files (the seed's feed-export format, HTML, Markdown) to articles;
//! - `lang`: language and script of articles and blocks;
//! - `target`: the one rule for translation targets (every Chinese script is Chinese);
//! - `view`: an article converted to the script the reader chose;
//! - `ruby`: readings (pinyin or zhuyin) over Chinese text as `<ruby>` markup;
//! - `export`: an article view rendered as HTML, Markdown or EPUB;
//! - `sync`: a sync account's settings, server items to articles, queued changes to requests;
//! - `validate`: the ranges and rules of what the reader can set;
//! - `vocab`: the sentence a saved word came from, and the vocabulary export files.

pub mod export;
pub mod import;
pub mod ingest;
pub mod items;
pub mod lang;
pub mod ruby;
pub mod sync;
pub mod sync_schedule;
pub mod target;
pub mod validate;
pub mod view;
pub mod vocab;
