//! The Fever client against the loopback Fever server.

use std::collections::BTreeSet;

use duizhao_sync::fever::{FeverClient, FeverOptions};
use duizhao_sync::*;

use crate::fever_server::{FeverServer, PASSWORD, USER};
use crate::http_fast;

fn client(server: &FeverServer, password: &str) -> FeverClient {
    FeverClient::new(
        &server.url,
        USER,
        Secret::new(password),
        http_fast(),
        FeverOptions::default(),
    )
    .unwrap()
}

#[tokio::test]
async fn signs_in_with_md5_key_and_refuses_a_wrong_password() {
    let server = FeverServer::start(5).await;
    client(&server, PASSWORD).login().await.unwrap();
    let bad = client(&server, "nope");
    assert_eq!(
        bad.login().await,
        Err(SyncError::Auth),
        "auth: 0 is a wrong password"
    );
    assert_eq!(bad.unread_ids().await, Err(SyncError::Auth));
    server.with(|s| {
        let (_, query, form) = &s.requests[0];
        assert!(
            query.iter().any(|(k, _)| k == "api"),
            "?api on every request"
        );
        assert!(
            form.iter().any(|(k, _)| k == "api_key"),
            "the key is POSTed"
        );
        assert!(
            !query.iter().any(|(k, _)| k == "api_key"),
            "never in the URL (server logs)"
        );
    });
}

#[tokio::test]
async fn lists_groups_feeds_and_id_sets() {
    for string_ids in [false, true] {
        let server = FeverServer::start(237).await;
        server.with(|s| s.string_ids = string_ids);
        let c = client(&server, PASSWORD);
        assert_eq!(
            c.folders().await.unwrap(),
            vec![
                Folder {
                    id: "1".into(),
                    title: "News".into()
                },
                Folder {
                    id: "2".into(),
                    title: "Tech".into()
                }
            ]
        );
        let subs = c.subscriptions().await.unwrap();
        assert_eq!(subs.len(), 3);
        assert_eq!(
            (subs[2].id.as_str(), subs[2].title.as_str()),
            ("12", "Blog")
        );
        assert_eq!(
            subs[2].folder_ids,
            vec!["2".to_owned()],
            "feeds_groups gives each feed its group"
        );
        let unread: BTreeSet<i64> = c
            .unread_ids()
            .await
            .unwrap()
            .into_iter()
            .map(|i| i.0)
            .collect();
        let saved: BTreeSet<i64> = c
            .starred_ids()
            .await
            .unwrap()
            .into_iter()
            .map(|i| i.0)
            .collect();
        server.with(|s| {
            assert_eq!(
                unread,
                s.items
                    .iter()
                    .filter(|(_, i)| !i.read)
                    .map(|(k, _)| *k)
                    .collect()
            );
            assert_eq!(
                saved,
                s.items
                    .iter()
                    .filter(|(_, i)| i.saved)
                    .map(|(k, _)| *k)
                    .collect()
            );
        });
        assert_eq!(unread.len(), 158);
    }
}

#[tokio::test]
async fn recent_items_page_upward_by_since_id() {
    let server = FeverServer::start(237).await;
    let c = client(&server, PASSWORD);
    let none = |_: ItemId| false;
    let query = RecentQuery {
        since: None,
        after_id: None,
        skip: &none,
    };
    let (got, summary, batches) = crate::recent(&c, query).await;
    assert_eq!(summary.fetched, 237);
    assert_eq!(batches, 5, "50 per page");
    let first = got.iter().find(|i| i.id == ItemId(11)).unwrap();
    assert_eq!(first.title, "Item 10");
    assert_eq!(first.feed_id, "11");
    assert_eq!(first.html, "<p>Item 10</p>");
    assert!(first.starred && !first.read && first.published == Some(1_700_000_600));
    // Later syncs start after the highest stored id, skip stored ids, and drop old ones.
    let stored = |id: ItemId| id.0 == 230;
    let query = RecentQuery {
        since: Some(1_700_000_000 + 232 * 60),
        after_id: Some(ItemId(220)),
        skip: &stored,
    };
    let later: Vec<i64> = crate::recent(&c, query)
        .await
        .0
        .iter()
        .map(|i| i.id.0)
        .collect();
    assert_eq!(later, (233..=237).collect::<Vec<_>>());
    server.with(|s| {
        let last = s.requests.last().unwrap();
        assert!(
            last.1.contains(&("since_id".into(), "237".into())),
            "since_id in the query (coldsweat reads it there)"
        );
    });
}

#[tokio::test]
async fn items_by_id_at_most_fifty_per_request() {
    let server = FeverServer::start(130).await;
    let c = client(&server, PASSWORD);
    let mut ids: Vec<ItemId> = (1..=120).map(ItemId).collect();
    ids.push(ItemId(9999));
    let (items, missing) = c.items(&ids).await.unwrap();
    assert_eq!(items.len(), 120);
    assert_eq!(
        missing,
        vec![ItemId(9999)],
        "an id the server lacks is reported missing"
    );
    server.with(|s| {
        let with: Vec<usize> = s
            .requests
            .iter()
            .filter_map(|(_, q, _)| {
                q.iter()
                    .find(|(k, _)| k == "with_ids")
                    .map(|(_, v)| v.split(',').count())
            })
            .collect();
        assert_eq!(with, vec![50, 50, 21]);
    });
}

#[tokio::test]
async fn marks_reach_the_server() {
    let server = FeverServer::start(60).await;
    let c = client(&server, PASSWORD);
    c.mark_read(&[ItemId(2), ItemId(3), ItemId(5)], true)
        .await
        .unwrap();
    c.mark_read(&[ItemId(1)], false).await.unwrap();
    c.mark_starred(&[ItemId(2)], true).await.unwrap();
    c.mark_starred(&[ItemId(1)], false).await.unwrap();
    server.with(|s| {
        assert!(s.items[&2].read && s.items[&3].read && s.items[&5].read);
        assert!(!s.items[&1].read && !s.items[&1].saved && s.items[&2].saved);
        let marks = s
            .requests
            .iter()
            .filter(|(_, _, f)| f.iter().any(|(k, _)| k == "mark"))
            .count();
        assert_eq!(marks, 6, "one request per item, as the API demands");
    });
    c.mark_all_read(&MarkScope::Feed("11".into()), 1_700_000_000 + 30 * 60)
        .await
        .unwrap();
    server.with(|s| {
        assert!(
            s.items
                .values()
                .filter(|i| i.feed == 11 && i.created < 1_700_000_000 + 30 * 60)
                .all(|i| i.read)
        );
        assert!(
            s.items.values().any(|i| i.feed == 11 && !i.read),
            "later items of the feed stay unread"
        );
    });
    c.mark_all_read(&MarkScope::Folder("2".into()), 1_700_000_000 + 40 * 60)
        .await
        .unwrap();
    c.mark_all_read(&MarkScope::All, 1_800_000_000)
        .await
        .unwrap();
    assert!(c.unread_ids().await.unwrap().is_empty());
    assert!(matches!(
        c.mark_all_read(&MarkScope::Folder("user/-/label/x".into()), 5)
            .await,
        Err(SyncError::Rejected(_))
    ));
    // An item the server no longer has (coldsweat: 404) leaves nothing to mark: a queued
    // change must not stay stuck on it, and the others in the call still arrive.
    c.mark_starred(&[ItemId(9999), ItemId(4)], true)
        .await
        .unwrap();
    assert!(server.with(|s| s.items[&4].saved));
}

#[tokio::test]
async fn subscription_editing_is_unsupported() {
    let server = FeverServer::start(1).await;
    let c = client(&server, PASSWORD);
    assert_eq!(
        c.subscribe("https://x.org/feed", None, None).await,
        Err(SyncError::Unsupported("editing subscriptions"))
    );
    assert_eq!(
        c.unsubscribe("1").await,
        Err(SyncError::Unsupported("editing subscriptions"))
    );
    assert_eq!(
        c.rename_subscription("1", "x").await,
        Err(SyncError::Unsupported("editing subscriptions"))
    );
    assert_eq!(
        c.move_subscription("1", "x").await,
        Err(SyncError::Unsupported("editing subscriptions"))
    );
    assert!(matches!(
        c.recent_ids(None).await,
        Err(SyncError::Unsupported(_))
    ));
    assert_eq!(server.with(|s| s.requests.len()), 0, "nothing was sent");
}

#[tokio::test]
async fn faults_retry_and_report() {
    let server = FeverServer::start(10).await;
    let c = client(&server, PASSWORD);
    server.with(|s| s.fail_5xx = 2);
    assert_eq!(c.unread_ids().await.unwrap().len(), 6, "502s are retried");
    server.with(|s| s.fail_5xx = 10);
    assert!(matches!(
        c.unread_ids().await,
        Err(SyncError::Server { status: 502, .. })
    ));
    server.with(|s| {
        s.fail_5xx = 0;
        s.garbage_json = true;
    });
    assert!(matches!(c.unread_ids().await, Err(SyncError::Protocol(_))));
    // Not a Fever endpoint at all.
    let other = FeverClient::new(
        &server.url.replace("/fever/", "/other/"),
        USER,
        Secret::new(PASSWORD),
        http_fast(),
        FeverOptions::default(),
    )
    .unwrap();
    assert!(matches!(
        other.login().await,
        Err(SyncError::Server { status: 400, .. })
    ));
}
