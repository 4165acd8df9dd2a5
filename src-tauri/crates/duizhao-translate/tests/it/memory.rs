//! Translation memories other than `InMemoryTm`: one that does its work on the blocking pool
//! (as the core's SQLite memory must) and one that fails. The engine awaits both, and neither
//! changes what the job returns.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::thread::{self, ThreadId};

use duizhao_translate::*;

use crate::fixture::{self, fake};
use crate::{article, fast, job, provider, run};

/// A memory over a blocking store, shared behind a `Mutex` and used only inside
/// `spawn_blocking`; it notes the threads the store was used on.
#[derive(Default)]
struct BlockingTm {
    rows: Arc<Mutex<HashMap<TmKey, String>>>,
    threads: Arc<Mutex<Vec<ThreadId>>>,
}

impl BlockingTm {
    fn rows(&self) -> HashMap<TmKey, String> {
        self.rows.lock().unwrap().clone()
    }
}

impl TranslationMemory for BlockingTm {
    fn lookup(&self, keys: Vec<TmKey>) -> BoxFuture<'_, Result<Vec<Option<String>>, TmError>> {
        let (rows, threads) = (self.rows.clone(), self.threads.clone());
        Box::pin(async move {
            tokio::task::spawn_blocking(move || {
                threads.lock().unwrap().push(thread::current().id());
                let rows = rows.lock().map_err(|_| "memory lock poisoned")?;
                Ok(keys.iter().map(|k| rows.get(k).cloned()).collect())
            })
            .await?
        })
    }

    fn store(&self, entries: Vec<(TmKey, String)>) -> BoxFuture<'_, Result<(), TmError>> {
        let (rows, threads) = (self.rows.clone(), self.threads.clone());
        Box::pin(async move {
            tokio::task::spawn_blocking(move || {
                threads.lock().unwrap().push(thread::current().id());
                rows.lock()
                    .map_err(|_| "memory lock poisoned")?
                    .extend(entries);
                Ok(())
            })
            .await?
        })
    }
}

#[tokio::test]
async fn a_memory_working_on_the_blocking_pool_stores_every_row_and_serves_the_reopen() {
    let f = fixture::libretranslate(None).await;
    let tm = Arc::new(BlockingTm::default());
    let engine = Engine::with_options(vec![provider("libretranslate", &f.url, None)], fast())
        .with_memory(tm.clone());
    let segs = article(60);
    let j = job(segs.clone(), "de");

    let first = run(&engine, &j).await.0.expect("first run completes");
    assert!(first.requests >= 3, "the first run goes to the provider");
    // The store futures really pend on the blocking pool: every one must still be awaited to
    // the end, or rows go missing and the reopen pays again.
    let rows = tm.rows();
    assert_eq!(rows.len(), segs.len(), "one row per segment");
    for s in &segs {
        let k = TmKey::new(&s.text, "libretranslate", "", "auto", "de", "1");
        assert_eq!(rows.get(&k), Some(&fake("de", &s.text)), "row for {}", s.id);
    }

    let (again, events) = run(&engine, &j).await;
    let again = again.expect("reopen completes");
    assert_eq!(
        again.requests, 0,
        "a reopen is answered by the memory alone"
    );
    assert!(again.segments.iter().all(|s| s.origin == Origin::Memory));
    assert_eq!(
        first.segments.iter().map(|s| &s.text).collect::<Vec<_>>(),
        again.segments.iter().map(|s| &s.text).collect::<Vec<_>>(),
        "the memory returns what the provider made"
    );
    assert_eq!(events.len(), 1, "memory hits arrive as one progress step");

    // The engine runs on this test's single-threaded runtime: the memory's work must have
    // happened elsewhere, or SQLite would stall every other task on the worker.
    let here = thread::current().id();
    let threads = tm.threads.lock().unwrap().clone();
    assert!(!threads.is_empty(), "the memory was used");
    assert!(
        threads.iter().all(|t| *t != here),
        "memory work ran on the async worker"
    );
}

/// A memory whose every call fails, after a real suspension.
struct BrokenTm;

impl TranslationMemory for BrokenTm {
    fn lookup(&self, _: Vec<TmKey>) -> BoxFuture<'_, Result<Vec<Option<String>>, TmError>> {
        Box::pin(async {
            tokio::task::yield_now().await;
            Err("disk I/O error".into())
        })
    }

    fn store(&self, _: Vec<(TmKey, String)>) -> BoxFuture<'_, Result<(), TmError>> {
        Box::pin(async {
            tokio::task::yield_now().await;
            Err("disk I/O error".into())
        })
    }
}

#[tokio::test]
async fn a_failing_memory_costs_requests_never_the_translation() {
    let f = fixture::libretranslate(None).await;
    let engine = Engine::with_options(vec![provider("libretranslate", &f.url, None)], fast())
        .with_memory(Arc::new(BrokenTm));
    let segs = article(12);
    let j = job(segs.clone(), "fr");
    for pass in ["first", "second"] {
        let out = run(&engine, &j)
            .await
            .0
            .unwrap_or_else(|e| panic!("{pass} run must complete despite the memory: {e}"));
        assert!(
            out.requests > 0,
            "{pass} run: nothing could come from memory"
        );
        for (s, t) in segs.iter().zip(&out.segments) {
            assert_eq!(t.text, fake("fr", &s.text), "{pass} run: {}", s.id);
            assert_eq!(t.origin, Origin::Provider);
        }
    }
}
