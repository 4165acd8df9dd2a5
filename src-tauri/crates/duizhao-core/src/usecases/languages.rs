//! Bringing languages up to date: articles stored before the core detected Latin-script
//! languages carry `und-Latn` (or no tag), and articles bulk ingest has just written wait for
//! lingua's part of detection (`services/lang.rs`: it costs more than the rest of ingest, so
//! a refresh or a sync does not wait for it). The store marks both (`store/languages.rs`);
//! this pass detects those articles once, with the function a single saved article gets, in
//! batches. The app runs it in the background after opening a library and after every
//! ingest, `dz` when it opens one, and an auto-translation pass before it reads the
//! languages; any of them resumes where another, or a killed run, stopped.

use crate::error::Result;
use crate::handle::{LibraryHandle, cpu};
use crate::library::Library;
use crate::services::lang;
use crate::store::languages::{Outdated, OutdatedBatch, Redetected};

/// Articles looked at per batch: a batch's read and write hold the library for milliseconds,
/// so the window never waits on the pass for longer than that.
const BATCH: usize = 256;

/// Articles below which a batch is judged on one thread.
const PARALLEL_FROM: usize = 16;

/// Re-detects the languages of outdated articles (pure CPU work, on every core: the pass
/// runs in the background, and a big import's pass is lingua on thousands of articles).
fn redetect(articles: Vec<Outdated>) -> Vec<Redetected> {
    crate::support::parallel::map(articles, PARALLEL_FROM, |mut a| {
        let stored: Vec<Option<String>> = a.blocks.iter().map(|b| b.lang.clone()).collect();
        let lang = lang::tag_article(&a.title, &mut a.blocks);
        // Only the blocks whose tag changed are written back: most of a big pass's time
        // would otherwise be updating rows to what they already hold.
        let blocks = a
            .seqs
            .into_iter()
            .zip(stored)
            .zip(a.blocks)
            .filter(|((_, old), b)| *old != b.lang)
            .map(|((seq, _), b)| (seq, b.lang))
            .collect();
        Redetected {
            id: a.id,
            lang,
            blocks,
        }
    })
}

impl Library {
    /// Whether languages stored by an older build still wait for re-detection.
    pub fn languages_outdated(&self) -> Result<bool> {
        Ok(self.store().redetect_after()?.is_some())
    }

    /// The next batch of the pass, `None` when it is done.
    fn outdated_batch(&self) -> Result<Option<OutdatedBatch>> {
        match self.store().redetect_after()? {
            Some(after) => self.store().outdated_languages(after, BATCH).map(Some),
            None => Ok(None),
        }
    }

    /// Re-detects the languages of articles stored by older builds, to the end, batch by
    /// batch (each written with the pass's progress in one transaction); `progress` gets the
    /// number of articles re-detected so far after each batch. Returns that number (0 when
    /// the library was up to date). For `dz`; the app runs
    /// [`LibraryHandle::redetect_languages`].
    pub fn redetect_languages(&mut self, mut progress: impl FnMut(u32)) -> Result<u32> {
        let mut n = 0u32;
        while let Some(batch) = self.outdated_batch()? {
            let done = redetect(batch.articles);
            n += done.len() as u32;
            self.store_mut()
                .store_redetected(&done, batch.after, batch.last)?;
            progress(n);
        }
        Ok(n)
    }
}

impl LibraryHandle {
    /// [`Library::redetect_languages`] in the background: the library is locked only to read
    /// a batch and to write its result, and detection runs on a blocking thread in between,
    /// so the reader's commands wait for one batch's database work at most. One pass runs at
    /// a time per handle: a second one waits, then finds what is still left.
    pub async fn redetect_languages(&self) -> Result<u32> {
        let _one_at_a_time = self.detect_lock().lock().await;
        let mut n = 0u32;
        while let Some(batch) = self.run(|lib| lib.outdated_batch()).await? {
            let (after, last) = (batch.after, batch.last);
            let done = cpu("re-detecting languages", move || redetect(batch.articles)).await?;
            n += done.len() as u32;
            self.run(move |lib| lib.store_mut().store_redetected(&done, after, last))
                .await?;
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Block, BlockKind};
    use crate::store::articles::{self, NewArticle, Origin};

    const EN: &str = "The government announced new measures on Tuesday to curb inflation.";
    const FR: &str = "Le gouvernement a annoncé mardi de nouvelles mesures contre l'inflation.";

    fn old(
        key: &str,
        title: &str,
        lang: Option<&str>,
        blocks: &[(&str, Option<&str>)],
    ) -> NewArticle {
        NewArticle {
            dedupe_key: key.into(),
            feed_id: None,
            url: None,
            title: title.into(),
            published_ms: None,
            lang: lang.map(str::to_string),
            origin: Origin::Import,
            blocks: blocks
                .iter()
                .map(|(text, lang)| Block {
                    lang: lang.map(str::to_string),
                    ..Block::text(BlockKind::Paragraph, *text, format!("<p>{text}</p>"))
                })
                .collect(),
        }
    }

    /// A library as the build before this one left it: schema version 9 (no re-detection
    /// mark), Latin-script text stored as `und-Latn` or untagged.
    fn old_library(dir: &std::path::Path, extra: usize) -> Vec<i64> {
        let mut ids = Vec::new();
        {
            let mut lib = Library::open(dir).unwrap();
            lib.store_mut()
                .write(|tx| {
                    let mut add = |a: NewArticle| -> Result<()> {
                        ids.push(articles::insert(tx, &a)?.0);
                        Ok(())
                    };
                    add(old(
                        "en",
                        "New measures",
                        Some("und-Latn"),
                        &[(EN, Some("und-Latn")), ("AP", Some("und-Latn"))],
                    ))?;
                    add(old("fr", "Nouvelles mesures", None, &[(FR, None)]))?;
                    add(old(
                        "zh",
                        "經濟新聞",
                        Some("zh-Hant"),
                        &[
                            ("中國外交部長王毅近期行程滿檔", Some("zh-Hant")),
                            (EN, Some("und-Latn")),
                        ],
                    ))?;
                    add(old(
                        "ok",
                        "經濟",
                        Some("zh-Hant"),
                        &[("今年經濟成長", Some("zh-Hant"))],
                    ))?;
                    for i in 0..extra {
                        add(old(
                            &format!("x{i}"),
                            "More news",
                            Some("und-Latn"),
                            &[(EN, Some("und-Latn"))],
                        ))?;
                    }
                    Ok(())
                })
                .unwrap();
        }
        let conn = rusqlite::Connection::open(dir.join(crate::DB_FILE)).unwrap();
        conn.execute_batch(
            // What `languages::MIGRATION_1` does to a library older than detection (its
            // version is not rewound: later migrations cannot run twice).
            "INSERT OR REPLACE INTO settings(key, value) VALUES ('languages.redetect_after', '0');",
        )
        .unwrap();
        ids
    }

    fn langs(lib: &Library, id: i64) -> (Option<String>, Vec<Option<String>>) {
        let a = lib.store().article(id).unwrap();
        (a.lang, a.blocks.into_iter().map(|b| b.lang).collect())
    }

    fn s(l: &str) -> Option<String> {
        Some(l.to_string())
    }

    #[test]
    fn an_older_library_gets_its_languages_once_when_opened() {
        let dir = tempfile::tempdir().unwrap();
        let ids = old_library(dir.path(), 0);
        let mut lib = Library::open(dir.path()).unwrap();
        assert!(
            lib.languages_outdated().unwrap(),
            "the migration marks the library"
        );
        assert_eq!(
            lib.redetect_languages(|_| {}).unwrap(),
            3,
            "the up-to-date article is left alone"
        );
        assert_eq!(langs(&lib, ids[0]), (s("en"), vec![s("en"), s("en")]));
        assert_eq!(langs(&lib, ids[1]), (s("fr"), vec![s("fr")]));
        assert_eq!(
            langs(&lib, ids[2]),
            (s("zh-Hant"), vec![s("zh-Hant"), s("en")]),
            "an English paragraph of a Chinese article gets its own language"
        );
        assert_eq!(langs(&lib, ids[3]), (s("zh-Hant"), vec![s("zh-Hant")]));
        assert_eq!(
            lib.list(&Default::default())
                .unwrap()
                .iter()
                .filter(|a| a.lang.as_deref() == Some("en"))
                .count(),
            1,
            "the list shows the new tag"
        );
        assert!(!lib.languages_outdated().unwrap());
        drop(lib);
        let mut again = Library::open(dir.path()).unwrap();
        assert_eq!(
            again.redetect_languages(|_| {}).unwrap(),
            0,
            "done once, never again"
        );
    }

    #[test]
    fn the_pass_goes_in_batches_and_resumes_where_it_stopped() {
        let dir = tempfile::tempdir().unwrap();
        let ids = old_library(dir.path(), 2 * BATCH);
        {
            // A run killed after its first batch: only that batch's work is kept.
            let mut lib = Library::open(dir.path()).unwrap();
            let batch = lib.outdated_batch().unwrap().unwrap();
            let done = redetect(batch.articles);
            lib.store_mut()
                .store_redetected(&done, batch.after, batch.last)
                .unwrap();
        }
        let mut lib = Library::open(dir.path()).unwrap();
        let mut calls = Vec::new();
        let n = lib.redetect_languages(|n| calls.push(n)).unwrap();
        assert_eq!(
            n as usize,
            3 + 2 * BATCH - (BATCH - 1),
            "the first batch (one up-to-date article in it) is not judged again"
        );
        assert!(
            calls.len() >= 2,
            "batches, each its own transaction: {calls:?}"
        );
        for id in &ids {
            assert_ne!(langs(&lib, *id).0.as_deref(), Some("und-Latn"));
        }
        assert_eq!(langs(&lib, *ids.last().unwrap()).0, s("en"));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_app_runs_the_pass_in_the_background_with_the_same_result() {
        let dir = tempfile::tempdir().unwrap();
        let ids = old_library(dir.path(), BATCH);
        let handle = LibraryHandle::new(Library::open(dir.path()).unwrap());
        assert_eq!(
            handle.redetect_languages().await.unwrap() as usize,
            3 + BATCH
        );
        let lib = handle.lock();
        assert_eq!(langs(&lib, ids[1]), (s("fr"), vec![s("fr")]));
        assert_eq!(langs(&lib, ids[2]).1, vec![s("zh-Hant"), s("en")]);
        assert!(!lib.languages_outdated().unwrap());
    }

    /// A feed document of one French and one Chinese item with an English paragraph.
    fn feed(tag: &str) -> String {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel>\
             <title>News</title><link>https://example.com/</link>\
             <item><title>Nouvelles mesures {tag}</title><guid>fr-{tag}</guid>\
             <description><![CDATA[<p>{FR}</p>]]></description></item>\
             <item><title>經濟新聞 {tag}</title><guid>zh-{tag}</guid>\
             <description><![CDATA[<p>中國外交部長王毅近期行程滿檔，今年經濟成長</p><p>{EN}</p>]]>\
             </description></item></channel></rss>"
        )
    }

    fn ids_of(lib: &Library) -> Vec<i64> {
        let mut ids: Vec<i64> = lib
            .list(&Default::default())
            .unwrap()
            .iter()
            .map(|a| a.id)
            .collect();
        ids.sort();
        ids
    }

    #[test]
    fn bulk_ingest_leaves_lingua_to_the_pass_and_the_pass_gives_the_full_answer() {
        let dir = tempfile::tempdir().unwrap();
        let mut lib = Library::open(dir.path()).unwrap();
        lib.redetect_languages(|_| {}).unwrap();
        let n = lib
            .ingest_feed_document("https://example.com/feed.xml", feed("a").as_bytes())
            .unwrap();
        assert_eq!(n, 2);
        let ids = ids_of(&lib);
        assert_eq!(
            langs(&lib, ids[0]),
            (None, vec![None]),
            "the French item waits for the detector"
        );
        assert_eq!(
            langs(&lib, ids[1]),
            (s("zh-Hant"), vec![s("zh-Hant"), None]),
            "what the script tells is there from the write on"
        );
        assert!(
            lib.languages_outdated().unwrap(),
            "the insert marked them for the pass"
        );
        assert_eq!(lib.redetect_languages(|_| {}).unwrap(), 2);
        assert_eq!(langs(&lib, ids[0]), (s("fr"), vec![s("fr")]));
        assert_eq!(
            langs(&lib, ids[1]),
            (s("zh-Hant"), vec![s("zh-Hant"), s("en")])
        );
        assert!(!lib.languages_outdated().unwrap());
    }

    #[test]
    fn an_ingest_while_the_pass_ends_is_not_lost() {
        let dir = tempfile::tempdir().unwrap();
        let mut lib = Library::open(dir.path()).unwrap();
        lib.ingest_feed_document("https://example.com/feed.xml", feed("a").as_bytes())
            .unwrap();
        // A pass (the app's, say) works through the new articles…
        let batch = lib.outdated_batch().unwrap().unwrap();
        assert_eq!(batch.articles.len(), 2);
        let (after, last) = (batch.after, batch.last);
        let done = redetect(batch.articles);
        lib.store_mut()
            .store_redetected(&done, after, last)
            .unwrap();
        let end = lib.outdated_batch().unwrap().unwrap();
        assert!(end.last.is_none(), "…and finds nothing left");
        // Another process (`dz refresh`) writes new articles before the pass records its end.
        lib.ingest_feed_document("https://example.com/feed.xml", feed("b").as_bytes())
            .unwrap();
        lib.store_mut()
            .store_redetected(&[], end.after, None)
            .unwrap();
        assert!(
            lib.languages_outdated().unwrap(),
            "the pass must not end over articles written after it looked"
        );
        assert_eq!(lib.redetect_languages(|_| {}).unwrap(), 2);
        let ids = ids_of(&lib);
        assert_eq!(ids.len(), 4);
        for id in ids {
            assert!(langs(&lib, id).0.is_some(), "article {id} has its language");
        }
    }

    #[test]
    fn a_new_article_that_takes_a_deleted_articles_id_is_still_judged() {
        let dir = tempfile::tempdir().unwrap();
        let mut lib = Library::open(dir.path()).unwrap();
        lib.ingest_feed_document("https://example.com/feed.xml", feed("a").as_bytes())
            .unwrap();
        lib.redetect_languages(|_| {}).unwrap();
        let last = *ids_of(&lib).last().unwrap();
        let feed_id = lib.list_feeds().unwrap()[0].id;
        lib.remove_feed(feed_id).unwrap();
        lib.ingest_feed_document("https://example.com/other.xml", feed("b").as_bytes())
            .unwrap();
        let ids = ids_of(&lib);
        assert!(
            ids.contains(&last),
            "SQLite gives the deleted ids again (the case this guards): {ids:?}"
        );
        lib.redetect_languages(|_| {}).unwrap();
        for id in ids {
            assert!(langs(&lib, id).0.is_some(), "article {id} has its language");
        }
    }
}
