//! Articles in the library: importing local files (and the bundled sample), listing and
//! counting, opening one as a view, read/starred state, deleting and retention.

use std::path::Path;

use crate::error::{CoreError, Result};
use crate::library::Library;
use crate::model::{
    Article, ArticleSummary, BlockKind, ImportOutcome, LibraryCounts, ListFilter, ReadScope,
    ViewOptions,
};
use crate::services::{import, lang, view};
use crate::store::articles::{Flag, NewArticle, Origin};
use crate::store::feeds as feed_store;
use crate::store::{sync_edits, sync_queue};

/// Settings key recording that the bundled seed article was imported once.
const SEED_IMPORTED: &str = "seed_imported";

impl Library {
    /// Imports one local file (the feed export format, HTML or Markdown).
    pub fn import_file(&mut self, path: &Path) -> Result<ImportOutcome> {
        let meta = std::fs::metadata(path).map_err(|e| CoreError::io(path, e))?;
        if meta.is_dir() {
            return Err(CoreError::NotAnArticle {
                path: path.to_path_buf(),
                reason: "is a directory".into(),
            });
        }
        if meta.len() > import::MAX_IMPORT_BYTES {
            return Err(CoreError::NotAnArticle {
                path: path.to_path_buf(),
                reason: format!("larger than {} MB", import::MAX_IMPORT_BYTES >> 20),
            });
        }
        let bytes = std::fs::read(path).map_err(|e| CoreError::io(path, e))?;
        self.import_bytes(path, &bytes)
    }

    /// Imports a file's content; `path` names it in messages and hints at its format.
    pub fn import_bytes(&mut self, path: &Path, bytes: &[u8]) -> Result<ImportOutcome> {
        let parsed = import::parse(path, bytes)?;
        let mut blocks = parsed.blocks;
        let lang = lang::tag_article(&parsed.title, &mut blocks);
        let dedupe_key = match &parsed.url {
            Some(url) => format!("url:{url}"),
            None => format!("sha256:{}", crate::support::hash::sha256_hex(bytes)),
        };
        let new = NewArticle {
            dedupe_key,
            feed_id: None,
            url: parsed.url,
            title: parsed.title.clone(),
            published_ms: parsed.published_ms,
            lang,
            origin: Origin::Import,
            blocks,
        };
        let (id, created) = self
            .store_mut()
            .write(|tx| crate::store::articles::insert(tx, &new))?;
        Ok(ImportOutcome {
            id,
            created,
            title: parsed.title,
        })
    }

    /// Imports the bundled sample article the first time a library is opened, and never
    /// again (so a reader who deletes it does not see it come back).
    pub fn ensure_seed(&mut self, name: &str, text: &str) -> Result<Option<ImportOutcome>> {
        if self.store().setting(SEED_IMPORTED)?.is_some() {
            return Ok(None);
        }
        let outcome = self.import_bytes(Path::new(name), text.as_bytes())?;
        self.store_mut().set_setting(SEED_IMPORTED, "1")?;
        Ok(Some(outcome))
    }

    /// Lists articles, newest first.
    pub fn list(&self, filter: &ListFilter) -> Result<Vec<ArticleSummary>> {
        self.store().list_articles(filter)
    }

    /// What the sidebar counts: all, unread, starred, per feed and per folder.
    pub fn counts(&self) -> Result<LibraryCounts> {
        self.store().counts()
    }

    /// One article with its blocks, as stored.
    pub fn article(&self, id: i64) -> Result<Article> {
        self.store().article(id)
    }

    /// One article as the reader asked to see it (script conversion, stored translations,
    /// readings over the Chinese text).
    pub fn article_view(&self, id: i64, options: &ViewOptions) -> Result<Article> {
        let mut article = view::apply(self.store().article(id)?, options);
        if let Some(to) = &options.to {
            self.attach_translations(&mut article, to, options.script)?;
        }
        let reading = self.reading_for(&article, options.reading)?;
        self.put_readings(&mut article, reading, options.to.as_deref())?;
        Ok(article)
    }

    /// An article view whose image blocks point at the stored copies: `src` becomes
    /// `image_prefix` + the image id (the app's `dzimg` URL), `remote_src` the original.
    pub fn article_view_local(
        &self,
        id: i64,
        options: &ViewOptions,
        image_prefix: &str,
    ) -> Result<Article> {
        let mut article = self.article_view(id, options)?;
        for b in article
            .blocks
            .iter_mut()
            .filter(|b| b.kind == BlockKind::Image)
        {
            if let Some(src) = b.src.clone()
                && let Some((image_id, size)) = self.store().image_ref(&src)?
            {
                b.src = Some(format!("{image_prefix}{image_id}"));
                b.remote_src = Some(src);
                b.size = size;
            }
        }
        Ok(article)
    }

    /// A stored image by id: (MIME type, bytes), for the app's image protocol.
    pub fn image(&self, id: i64) -> Result<Option<(String, Vec<u8>)>> {
        Ok(self.store().image(id)?.map(|i| (i.mime, i.bytes)))
    }

    /// Marks an article read or unread; for a synced article the change is queued for the
    /// server in the same transaction.
    pub fn set_read(&mut self, id: i64, value: bool) -> Result<()> {
        self.set_flag(id, Flag::Read, value)
    }

    /// Stars or unstars an article (starred articles are kept by retention); queued for the
    /// server like [`Library::set_read`].
    pub fn set_starred(&mut self, id: i64, value: bool) -> Result<()> {
        self.set_flag(id, Flag::Starred, value)
    }

    fn set_flag(&mut self, id: i64, flag: Flag, value: bool) -> Result<()> {
        self.store_mut().write(|tx| {
            // Queued first: it records the value the server had.
            sync_queue::enqueue(tx, id, flag, value)?;
            crate::store::articles::set_flag(tx, id, flag, value)?;
            Ok(())
        })
    }

    /// Marks every article of `scope` stored until now as read; returns how many changed.
    /// When the scope holds synced feeds, one "mark all as read" up to this moment is queued
    /// for the server in the same transaction (not one change per article), so articles that
    /// reach the server later stay unread.
    pub fn mark_all_read(&mut self, scope: &ReadScope) -> Result<usize> {
        let local = match scope {
            ReadScope::All => sync_edits::LocalScope::All,
            ReadScope::Feed(id) => {
                self.store().feed(*id)?;
                sync_edits::LocalScope::Feed(*id)
            }
            ReadScope::Folder(name) => sync_edits::LocalScope::Folder(name.trim().to_owned()),
        };
        let now = crate::support::time::now_ms();
        self.store_mut().write(|tx| {
            sync_edits::enqueue_mark_all(tx, &local, now.div_euclid(1000))?;
            crate::store::articles::mark_all_read(tx, &local, now)
        })
    }

    /// Deletes an article; a refresh will not bring it back.
    pub fn delete_article(&mut self, id: i64) -> Result<()> {
        let n = self
            .store_mut()
            .write(|tx| feed_store::delete_articles(tx, &[id]))?;
        if n == 0 {
            return Err(CoreError::ArticleNotFound(id));
        }
        Ok(())
    }

    /// Deletes read, unstarred articles older than the retention setting; returns how many.
    pub fn apply_retention(&mut self) -> Result<usize> {
        let Some(days) = self.feed_settings()?.retention_days else {
            return Ok(0);
        };
        let ids = self.store().expired_articles(days)?;
        if ids.is_empty() {
            return Ok(0);
        }
        self.store_mut()
            .write(|tx| feed_store::delete_articles(tx, &ids))
    }
}
