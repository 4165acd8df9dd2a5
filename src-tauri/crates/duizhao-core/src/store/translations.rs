//! The `translations` table (the translation memory, kept for good) and the `glossary` table.
//!
//! Translation-memory rows are keyed by `duizhao_translate::TmKey` (a hash of source text,
//! provider, model, languages and prompt version), so the same paragraph is never paid for
//! twice, across articles and restarts. Rows are written only with complete, validated
//! translations (the engine guarantees it); a block's translation for a view is found by
//! recomputing its key, so nothing here points at articles and deleting an article keeps
//! its translations reusable.

pub(super) const MIGRATION_1: &str = "
CREATE TABLE translations (
    key        TEXT PRIMARY KEY NOT NULL,
    text       TEXT NOT NULL,
    created_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE article_translations (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    target     TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    text       TEXT NOT NULL,
    provider   TEXT NOT NULL,
    PRIMARY KEY (article_id, target, seq)
) WITHOUT ROWID;
CREATE TABLE glossary (
    id      INTEGER PRIMARY KEY,
    source  TEXT NOT NULL,
    target  TEXT NOT NULL,
    lang    TEXT,
    feed_id INTEGER REFERENCES feeds(id) ON DELETE CASCADE
);
";
