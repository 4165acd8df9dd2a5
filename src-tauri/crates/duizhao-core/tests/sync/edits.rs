//! What the reader does to feeds and to many articles at once reaches the server: renaming,
//! moving, unsubscribing and subscribing (Google Reader: `subscription/edit` and
//! `subscription/quickadd`, queued with the local change and sent at the next sync, kept
//! when the server fails), "mark all as read" as one request up to the moment it was done,
//! the later of two conflicting changes winning when the server dates its changes, and a
//! Fever account refusing the edits its API cannot carry.

use axum::Router;
use axum::routing::get;
use duizhao_core::{CoreError, ErrorCode, ReadScope};

use crate::fever_server::{FeverServer, PASSWORD, USER};
use crate::greader_server::{Dialect, FItem, GReaderServer, item_id, unix_now};
use crate::{article_id, greader_account, http_fast, library, local_state, sync};

/// A loopback server with one RSS feed at `/feed` (two items); returns its URL.
async fn feed_server() -> String {
    let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel>\
        <title>Loopback blog</title><link>https://blog.example.net/</link><description>d</description>\
        <item><title>First post</title><link>https://blog.example.net/1</link><guid>b1</guid>\
        <description>&lt;p&gt;One.&lt;/p&gt;</description></item>\
        <item><title>Second post</title><link>https://blog.example.net/2</link><guid>b2</guid>\
        <description>&lt;p&gt;Two.&lt;/p&gt;</description></item></channel></rss>";
    let app = Router::new().route(
        "/feed",
        get(move || async move { ([("content-type", "application/rss+xml")], xml) }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/feed", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

/// Local feed id by title.
fn feed_id(lib: &duizhao_core::LibraryHandle, title: &str) -> i64 {
    lib.with(|l| l.list_feeds())
        .unwrap()
        .into_iter()
        .find(|f| f.title == title)
        .unwrap_or_else(|| panic!("feed {title} is here"))
        .id
}

/// The server's feeds as (title, url, folder), sorted.
fn server_feeds(server: &GReaderServer) -> Vec<(String, String, String)> {
    let mut v: Vec<_> = server.with(|s| {
        s.feeds
            .values()
            .map(|f| (f.title.clone(), f.url.clone(), f.folder.clone()))
            .collect()
    });
    v.sort();
    v
}

/// The local feeds as (title, folder), sorted.
fn local_feeds(lib: &duizhao_core::LibraryHandle) -> Vec<(String, Option<String>)> {
    let mut v: Vec<_> = lib
        .with(|l| l.list_feeds())
        .unwrap()
        .into_iter()
        .map(|f| (f.title, f.folder))
        .collect();
    v.sort();
    v
}

#[tokio::test]
async fn feed_edits_made_here_reach_the_server_at_the_next_sync_in_both_dialects() {
    for dialect in [Dialect::FreshRss, Dialect::Miniflux] {
        let (server, lib) = greader_account(dialect, 12).await;
        sync(&lib).await.0.unwrap();
        let blog_url = feed_server().await;
        let (news, tech, blog) = (
            feed_id(&lib, "News"),
            feed_id(&lib, "Tech"),
            feed_id(&lib, "Blog"),
        );
        lib.with(|l| {
            let mut o = l.feed_options(news)?;
            o.title = "Nachrichten & Welt?".into();
            o.custom_title = true;
            l.set_feed_options(news, &o)?;
            let mut o = l.feed_options(tech)?;
            o.folder = Some("Reading".into());
            l.set_feed_options(tech, &o)?;
            l.remove_feed(blog)
        })
        .unwrap();
        let added = lib.add_feed(&blog_url, Some("Reading")).await.unwrap();
        assert_eq!(
            added.total, 2,
            "{dialect:?}: subscribing still fetches the feed here"
        );
        assert_eq!(
            lib.with(|l| l.sync_account()).unwrap().unwrap().pending,
            4,
            "{dialect:?}: rename, move, unsubscribe and subscribe wait for the next sync"
        );
        // The server fails every subscription edit for a while (offline, 503): nothing is lost.
        server.with(|s| {
            s.faults.path = Some("subscription/edit".into());
            s.faults.fail_5xx = 1000;
        });
        let first = sync(&lib).await.0.unwrap();
        assert!(first.failed >= 3, "{dialect:?}: {first:?}");
        assert!(
            first.send_error.is_some(),
            "{dialect:?}: the reason is reported"
        );
        assert!(
            !local_feeds(&lib).iter().any(|(t, _)| t == "Blog"),
            "{dialect:?}: an unsubscribe not yet sent must not be undone by the server's list"
        );
        assert!(
            local_feeds(&lib).contains(&("Tech".into(), Some("Reading".into()))),
            "{dialect:?}: a move not yet sent keeps its folder here: {:?}",
            local_feeds(&lib)
        );
        server.with(|s| s.faults = Default::default());

        let second = sync(&lib).await.0.unwrap();
        assert_eq!(second.failed, 0, "{dialect:?}: {second:?}");
        assert_eq!(lib.with(|l| l.sync_account()).unwrap().unwrap().pending, 0);
        let on_server = server_feeds(&server);
        assert!(
            on_server.contains(&(
                "Nachrichten & Welt?".into(),
                "https://news.example.org/feed".into(),
                "News".into()
            )),
            "{dialect:?}: renamed on the server: {on_server:?}"
        );
        assert!(
            on_server.contains(&(
                "Tech".into(),
                "https://tech.example.org/feed".into(),
                "Reading".into()
            )),
            "{dialect:?}: moved on the server: {on_server:?}"
        );
        assert!(
            !on_server
                .iter()
                .any(|f| f.1 == "https://blog.example.org/feed"),
            "{dialect:?}: unsubscribed on the server: {on_server:?}"
        );
        assert!(
            on_server
                .iter()
                .any(|f| f.1 == blog_url && f.2 == "Reading"),
            "{dialect:?}: subscribed on the server, in the folder chosen here: {on_server:?}"
        );
        let feeds = lib.with(|l| l.list_feeds()).unwrap();
        assert_eq!(
            feeds.len(),
            3,
            "{dialect:?}: one copy of each feed, no duplicate of the one subscribed here"
        );
        let mine = feeds.iter().find(|f| f.url == blog_url).unwrap();
        assert_eq!(
            (mine.total, mine.folder.as_deref()),
            (2, Some("Reading")),
            "{dialect:?}: its articles are not doubled and it stays where the reader put it"
        );
        assert_eq!(
            server.with(|s| s.feeds.values().filter(|f| f.url == blog_url).count()),
            1,
            "{dialect:?}: subscribed once on the server, however many syncs it took"
        );
        sync(&lib).await.0.unwrap();
        assert!(
            local_feeds(&lib).contains(&("Nachrichten & Welt?".into(), Some("News".into()))),
            "{dialect:?}: the title stays as typed, though FreshRSS lists it as \
             \"Nachrichten ＆ Welt？\": {:?}",
            local_feeds(&lib)
        );
        // The server renames it elsewhere: the title here follows (the rename was acknowledged).
        server.with(|s| s.feeds.get_mut(&1).unwrap().title = "News (de)".into());
        sync(&lib).await.0.unwrap();
        assert!(
            local_feeds(&lib).iter().any(|(t, _)| t == "News (de)"),
            "{dialect:?}: after its own rename went through, the title follows the server again"
        );
    }
}

#[tokio::test]
async fn leaving_every_folder_is_refused_for_a_google_reader_feed() {
    let (_server, lib) = greader_account(Dialect::FreshRss, 3).await;
    sync(&lib).await.0.unwrap();
    let news = feed_id(&lib, "News");
    let err = lib
        .with(|l| {
            let mut o = l.feed_options(news)?;
            o.folder = None;
            l.set_feed_options(news, &o)
        })
        .unwrap_err();
    assert!(
        matches!(err, CoreError::SyncCannotEdit { .. }),
        "the server keeps every feed in a folder; moving out would be undone: {err}"
    );
    assert_eq!(err.code(), ErrorCode::Unsupported);
    assert_eq!(lib.with(|l| l.sync_account()).unwrap().unwrap().pending, 0);
}

#[tokio::test]
async fn mark_all_read_is_one_request_and_what_arrives_later_stays_unread() {
    for dialect in [Dialect::FreshRss, Dialect::Miniflux] {
        let (server, lib) = greader_account(dialect, 30).await;
        sync(&lib).await.0.unwrap();
        let marked = lib
            .with(|l| l.mark_all_read(&ReadScope::Folder("Tech".into())))
            .unwrap();
        assert!(marked > 0, "{dialect:?}");
        // Arrives on the server after the reader marked the folder read.
        let late = match dialect {
            Dialect::FreshRss => (unix_now() + 60) * 1_000_000,
            Dialect::Miniflux => item_id(dialect, 1000),
        };
        server.with(|s| {
            s.items.insert(
                late,
                FItem {
                    id: late,
                    feed: 2,
                    title: "Late".into(),
                    url: "https://tech.example.org/late".into(),
                    author: String::new(),
                    published: unix_now() + 60,
                    html: "<p>Late.</p>".into(),
                    read: false,
                    starred: false,
                    changed: unix_now(),
                },
            );
        });
        let summary = sync(&lib).await.0.unwrap();
        assert_eq!((summary.sent, summary.failed), (1, 0), "{dialect:?}");
        let (marks, edits) = server.with(|s| {
            (
                s.requests_to("mark-all-as-read"),
                s.requests_to("edit-tag").len(),
            )
        });
        assert_eq!(marks.len(), 1, "{dialect:?}: one request for the folder");
        assert_eq!(edits, 0, "{dialect:?}: not item by item");
        let form: std::collections::BTreeMap<_, _> = marks[0].form.iter().cloned().collect();
        assert_eq!(form["s"], "user/-/label/Tech", "{dialect:?}");
        let ts: i64 = form["ts"].parse().unwrap();
        assert!(
            (ts / 1_000_000 - unix_now()).abs() < 300,
            "{dialect:?}: ts is the moment it was done, in microseconds: {ts}"
        );
        let state = local_state(&lib);
        assert_eq!(
            state["Late"],
            (false, false),
            "{dialect:?}: an item that reached the server later stays unread"
        );
        let tech_unread_before: Vec<_> = server.with(|s| {
            s.items
                .values()
                .filter(|i| (i.feed == 2 || i.feed == 3) && !i.read && i.title != "Late")
                .map(|i| i.title.clone())
                .collect()
        });
        assert!(
            tech_unread_before.is_empty(),
            "{dialect:?}: the folder is read on the server: {tech_unread_before:?}"
        );
    }
}

#[tokio::test]
async fn a_change_undone_here_loses_to_a_later_change_elsewhere_when_the_server_dates_it() {
    for dialect in [Dialect::Miniflux, Dialect::FreshRss] {
        let (server, lib) = greader_account(dialect, 12).await;
        sync(&lib).await.0.unwrap();
        // Items 1 and 2 are unread everywhere. Here each is read, then unread again.
        let (i1, i2) = (article_id(&lib, "Item 1"), article_id(&lib, "Item 2"));
        lib.with(|l| {
            l.set_read(i1, true)?;
            l.set_read(i1, false)?;
            l.set_read(i2, true)?;
            l.set_read(i2, false)
        })
        .unwrap();
        // Elsewhere both are read: item 1 an hour after the change here, item 2 an hour before.
        server.with(|s| {
            let now = unix_now();
            for (n, at) in [(1, now + 3600), (2, now - 3600)] {
                let i = s.items.get_mut(&item_id(dialect, n)).unwrap();
                i.read = true;
                i.changed = at;
            }
        });
        sync(&lib).await.0.unwrap();
        let state = local_state(&lib);
        let on_server = |n: i64| server.with(|s| s.items[&item_id(dialect, n)].read);
        match dialect {
            Dialect::Miniflux => {
                assert_eq!(
                    (state["Item 1"].0, on_server(1)),
                    (true, true),
                    "the later change (read elsewhere) wins"
                );
                assert_eq!(
                    (state["Item 2"].0, on_server(2)),
                    (false, false),
                    "the later change (unread here) wins"
                );
            }
            Dialect::FreshRss => {
                // FreshRSS dates no state change: the change made here wins both times.
                assert_eq!((state["Item 1"].0, on_server(1)), (false, false));
                assert_eq!((state["Item 2"].0, on_server(2)), (false, false));
            }
        }
        assert_eq!(
            local_state(&lib),
            server.with(|s| {
                s.items
                    .values()
                    .map(|i| (i.title.clone(), (i.read, i.starred)))
                    .collect()
            }),
            "{dialect:?}: both sides agree after the sync"
        );
    }
}

#[tokio::test]
async fn a_fever_account_refuses_feed_edits_it_cannot_send_and_marks_a_group_read_at_once() {
    let server = FeverServer::start(12).await;
    let lib = library();
    lib.add_sync_account_with("fever", &server.url, USER, Some(PASSWORD), http_fast())
        .await
        .unwrap();
    sync(&lib).await.0.unwrap();
    let feed = lib.with(|l| l.list_feeds()).unwrap()[0].clone();
    for (what, result) in [
        (
            "rename",
            lib.with(|l| {
                let mut o = l.feed_options(feed.id)?;
                o.title = "Mine".into();
                o.custom_title = true;
                l.set_feed_options(feed.id, &o)
            })
            .map(|_| ()),
        ),
        ("unsubscribe", lib.with(|l| l.remove_feed(feed.id))),
    ] {
        let err = result.unwrap_err();
        assert!(
            matches!(
                err,
                CoreError::SyncCannotEdit {
                    server: "Fever",
                    ..
                }
            ),
            "{what}: refused rather than undone by the next sync: {err}"
        );
        assert!(err.to_string().contains("Fever"), "{err}");
    }
    assert_eq!(
        lib.with(|l| l.list_feeds()).unwrap()[0],
        feed,
        "nothing changed"
    );
    // Other options stay the reader's own.
    lib.with(|l| {
        let mut o = l.feed_options(feed.id)?;
        o.interval_min = Some(30);
        l.set_feed_options(feed.id, &o)
    })
    .unwrap();

    let folder = feed.folder.clone().unwrap();
    lib.with(|l| l.mark_all_read(&ReadScope::Folder(folder.clone())))
        .unwrap();
    let summary = sync(&lib).await.0.unwrap();
    assert_eq!((summary.sent, summary.failed), (1, 0), "{summary:?}");
    let unread_in_group = server.with(|s| {
        let group = *s.groups.iter().find(|(_, n)| **n == folder).unwrap().0;
        s.items
            .values()
            .filter(|i| s.feeds[&i.feed].2 == group && !i.read)
            .count()
    });
    assert_eq!(unread_in_group, 0, "mark=group reached the server");
}
