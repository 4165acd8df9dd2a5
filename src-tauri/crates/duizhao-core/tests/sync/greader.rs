//! First and later syncs with both Google Reader dialects: the server's feeds and folders
//! become local feeds, items go through the ingest pipeline, read/starred follow the full id
//! sets, and changes made here reach the server at the next sync.

use duizhao_core::{SyncPhase, SyncSummary};

use crate::greader_server::{Dialect, FItem, GReaderServer, item_id, published};
use crate::{article_id, greader_account, local_state, sync};

const N: usize = 30;

/// What the server holds, by title: (read, starred).
fn server_state(server: &GReaderServer) -> std::collections::BTreeMap<String, (bool, bool)> {
    server.with(|s| {
        s.items
            .values()
            .map(|i| (i.title.clone(), (i.read, i.starred)))
            .collect()
    })
}

#[tokio::test]
async fn a_first_sync_brings_feeds_folders_articles_and_state_in_both_dialects() {
    for dialect in [Dialect::FreshRss, Dialect::Miniflux] {
        let (server, lib) = greader_account(dialect, N).await;
        let (summary, steps) = sync(&lib).await;
        let summary = summary.unwrap();
        assert_eq!(
            (summary.new, summary.feeds, summary.sent, summary.failed),
            (N as u32, 3, 0, 0),
            "{dialect:?}: every item and subscription arrives on a first sync"
        );
        assert_eq!(
            local_state(&lib),
            server_state(&server),
            "{dialect:?}: read and starred match the server item by item"
        );
        let feeds = lib.with(|l| l.list_feeds()).unwrap();
        let mut shown: Vec<(String, Option<String>, i64)> = feeds
            .iter()
            .map(|f| (f.title.clone(), f.folder.clone(), f.total))
            .collect();
        shown.sort();
        assert_eq!(
            shown,
            vec![
                ("Blog".into(), Some("Tech".into()), 10),
                ("News".into(), Some("News".into()), 10),
                ("Tech".into(), Some("Tech".into()), 10),
            ],
            "{dialect:?}: the sidebar shows the server's feeds in the server's folders"
        );
        let id = article_id(&lib, "Item 4");
        let article = lib.with(|l| l.article(id)).unwrap();
        assert_eq!(
            article.blocks[0].text, "Body of item 4, with markup & entities.",
            "{dialect:?}: the server's HTML goes through the ingest pipeline into blocks"
        );
        assert_eq!(article.url.as_deref(), Some("https://news.example.org/a/4"));
        assert!(
            !lib.with(|l| l.search("markup")).unwrap().is_empty(),
            "{dialect:?}: synced articles are in the search index"
        );
        assert!(
            steps.iter().any(|s| s.phase == SyncPhase::Items
                && s.total == Some(N as u32)
                && s.done == N as u32),
            "{dialect:?}: progress counts the items against their total: {steps:?}"
        );
        assert_eq!(steps.last().map(|s| s.phase), Some(SyncPhase::Done));

        let again = sync(&lib).await.0.unwrap();
        assert_eq!(
            again,
            SyncSummary {
                feeds: 3,
                ..SyncSummary::default()
            },
            "{dialect:?}: a second sync with nothing changed changes nothing"
        );
        let account = lib.with(|l| l.sync_account()).unwrap().unwrap();
        assert_eq!(account.last_result, Some(again));
        assert!(account.last_sync.is_some() && account.last_error.is_none());
    }
}

#[tokio::test]
async fn changes_made_here_are_sent_in_order_and_the_servers_changes_arrive() {
    let (server, lib) = greader_account(Dialect::FreshRss, N).await;
    sync(&lib).await.0.unwrap();
    let id = |n: i64| item_id(Dialect::FreshRss, n);
    // Here: item 1 read, item 2 starred, item 0 unread and unstarred, item 7 read then unread
    // (only the latest may reach the server).
    let a = |t: &str| article_id(&lib, t);
    let (i0, i1, i2, i7) = (a("Item 0"), a("Item 1"), a("Item 2"), a("Item 7"));
    lib.with(|l| {
        l.set_read(i1, true)?;
        l.set_starred(i2, true)?;
        l.set_read(i0, false)?;
        l.set_starred(i0, false)?;
        l.set_read(i7, true)?;
        l.set_read(i7, false)
    })
    .unwrap();
    assert_eq!(
        lib.with(|l| l.sync_account()).unwrap().unwrap().pending,
        5,
        "one change per item and field waits; item 7's two changes are one"
    );
    // Elsewhere, meanwhile: item 4 read, item 5 starred, and item 7 read (both sides changed
    // item 7: the change made here is the later one the server sees).
    server.with(|s| {
        s.items.get_mut(&id(4)).unwrap().read = true;
        s.items.get_mut(&id(5)).unwrap().starred = true;
        s.items.get_mut(&id(7)).unwrap().read = true;
    });
    let summary = sync(&lib).await.0.unwrap();
    assert_eq!((summary.sent, summary.failed), (5, 0));
    assert_eq!(summary.updated, 2, "items 4 and 5 changed on the server");
    let on_server = server_state(&server);
    assert_eq!(on_server["Item 1"], (true, false));
    assert_eq!(on_server["Item 2"], (false, true));
    assert_eq!(on_server["Item 0"], (false, false));
    assert_eq!(
        on_server["Item 7"],
        (false, false),
        "the latest change wins"
    );
    assert_eq!(
        local_state(&lib),
        on_server,
        "after a sync both sides agree on every item"
    );
    assert_eq!(lib.with(|l| l.sync_account()).unwrap().unwrap().pending, 0);
    let edits = server.with(|s| s.requests_to("edit-tag").len());
    assert!(
        edits <= 4,
        "changes are grouped by field and value, not sent item by item ({edits} requests)"
    );
}

#[tokio::test]
async fn new_items_and_subscriptions_arrive_and_dropped_subscriptions_go() {
    let (server, lib) = greader_account(Dialect::Miniflux, N).await;
    sync(&lib).await.0.unwrap();
    server.with(|s| {
        let n = N as i64;
        let id = item_id(Dialect::Miniflux, n);
        s.items.insert(
            id,
            FItem {
                id,
                feed: 2,
                title: "Late news".into(),
                url: "https://tech.example.org/late".into(),
                author: String::new(),
                published: published(n),
                html: "<p>Arrived after the first sync.</p>".into(),
                read: false,
                starred: false,
                changed: published(n),
            },
        );
        // "Blog" is unsubscribed elsewhere, with its items.
        s.feeds.remove(&3);
        s.items.retain(|_, i| i.feed != 3);
    });
    let summary = sync(&lib).await.0.unwrap();
    assert_eq!((summary.new, summary.feeds), (1, 2));
    let titles: Vec<String> = lib
        .with(|l| l.list_feeds())
        .unwrap()
        .into_iter()
        .map(|f| f.title)
        .collect();
    assert!(
        !titles.contains(&"Blog".to_string()),
        "a subscription removed on the server leaves the sidebar: {titles:?}"
    );
    assert_eq!(local_state(&lib)["Late news"], (false, false));
}
