//! The Google Reader client against the loopback server, every test in both dialects.

use std::collections::BTreeSet;
use std::ops::ControlFlow;
use std::time::Duration;

use duizhao_sync::greader::{GReaderClient, GReaderOptions, IdForm};
use duizhao_sync::*;

use crate::greader_server::{
    Dialect, GReaderServer, item_id, published, start_closing_server, start_silent_server,
};
use crate::http_fast;

const BOTH: [Dialect; 2] = [Dialect::FreshRss, Dialect::Miniflux];

fn client_with(server: &GReaderServer, password: &str, opts: GReaderOptions) -> GReaderClient {
    let user = server.with(|s| s.user.clone());
    GReaderClient::new(&server.url, &user, Secret::new(password), http_fast(), opts).unwrap()
}

fn client(server: &GReaderServer) -> GReaderClient {
    let pw = server.with(|s| s.password.clone());
    client_with(server, &pw, small_batches())
}

fn small_batches() -> GReaderOptions {
    GReaderOptions {
        ids_page: 100,
        contents_batch: 50,
        edit_batch: 7,
        ..GReaderOptions::default()
    }
}

fn set(ids: Vec<ItemId>) -> BTreeSet<i64> {
    ids.into_iter().map(|i| i.0).collect()
}

#[tokio::test]
async fn signs_in_and_lists_folders_and_subscriptions() {
    for d in BOTH {
        let server = GReaderServer::start(d, 10).await;
        let c = client(&server);
        c.login().await.unwrap();
        let folders = c.folders().await.unwrap();
        assert_eq!(
            folders,
            vec![
                Folder {
                    id: "user/-/label/News".into(),
                    title: "News".into()
                },
                Folder {
                    id: "user/-/label/Tech".into(),
                    title: "Tech".into()
                },
            ],
            "{d:?}: folders only (no starred state, no FreshRSS item labels), ids normalised to user/-/"
        );
        let subs = c.subscriptions().await.unwrap();
        assert_eq!(subs.len(), 3, "{d:?}");
        assert_eq!(subs[1].id, "feed/2");
        assert_eq!(subs[1].title, "Tech");
        assert_eq!(subs[1].feed_url, "https://tech.example.org/feed");
        assert_eq!(
            subs[2].folder_ids,
            vec!["user/-/label/Tech".to_owned()],
            "{d:?}"
        );
        c.mark_read(&[ItemId(item_id(d, 1))], true).await.unwrap();
        assert_eq!(
            c.token_is_auth().await,
            Some(d == Dialect::Miniflux),
            "FreshRSS's T differs from Auth, Miniflux's is Auth itself"
        );
        server.with(|s| {
            let gets: Vec<_> = s
                .log
                .iter()
                .filter(|l| l.path.contains("/reader/api/0/") && l.method == "GET")
                .collect();
            assert!(!gets.is_empty());
            assert!(
                gets.iter().all(|l| l.authorization.as_deref()
                    == Some(&format!("GoogleLogin auth={}", s.auth()))),
                "{d:?}: every GET carries Authorization: GoogleLogin auth=…"
            );
            let edit = &s.requests_to("edit-tag")[0];
            assert!(
                edit.authorization.is_some(),
                "POSTs carry the header too (FreshRSS needs it)"
            );
            assert_eq!(
                edit.form
                    .iter()
                    .find(|(k, _)| k == "T")
                    .map(|(_, v)| v.clone()),
                Some(s.token()),
                "{d:?}: POSTs carry T in the form (Miniflux authenticates POSTs by it alone)"
            );
        });
    }
}

#[tokio::test]
async fn freshrss_root_url_finds_api_greader_php() {
    let server = GReaderServer::start(Dialect::FreshRss, 3).await;
    let pw = server.with(|s| s.password.clone());
    let c = GReaderClient::new(
        &format!("{}/", server.root),
        "alice",
        Secret::new(pw),
        http_fast(),
        small_batches(),
    )
    .unwrap();
    assert_eq!(c.unread_ids().await.unwrap().len(), 2);
    assert_eq!(
        c.api_base().await,
        format!("{}/api/greader.php", server.root),
        "a FreshRSS user who enters the site's root URL is served by its API"
    );
    // An address with no API at all says so.
    let mf = GReaderServer::start(Dialect::Miniflux, 1).await;
    let c = GReaderClient::new(
        &format!("{}/nothing-here", mf.root),
        "alice",
        Secret::new("x"),
        http_fast(),
        small_batches(),
    )
    .unwrap();
    assert!(
        matches!(c.login().await, Err(SyncError::Config(m)) if m.contains("no Google Reader API")),
        "a wrong address is a settings error, not a wrong password"
    );
}

#[tokio::test]
async fn id_sets_are_complete_across_continuations() {
    for d in BOTH {
        let server = GReaderServer::start(d, 2345).await;
        let c = client(&server);
        let unread = set(c.unread_ids().await.unwrap());
        let starred = set(c.starred_ids().await.unwrap());
        let all = c.recent_ids(None).await.unwrap();
        let (want_unread, want_starred, want_all) = server.with(|s| {
            (
                s.unread(),
                s.starred(),
                s.items.keys().copied().collect::<BTreeSet<_>>(),
            )
        });
        assert_eq!(
            unread, want_unread,
            "{d:?}: the full unread set, not the first page"
        );
        assert_eq!(starred, want_starred, "{d:?}: the full starred set");
        assert_eq!(
            all.len(),
            2345,
            "{d:?}: no id lost or repeated at page boundaries"
        );
        assert_eq!(set(all), want_all);
        server.with(|s| {
            let pages = s.requests_to("stream/items/ids");
            assert!(
                pages.len() >= 24 + 16 + 3,
                "{d:?}: pages of 100 were followed ({})",
                pages.len()
            );
            assert!(
                pages.iter().any(|p| p.query.iter().any(|(k, _)| k == "c")),
                "continuations were sent back"
            );
            let unread_q = &pages[0].query;
            assert!(
                unread_q.contains(&("xt".into(), "user/-/state/com.google/read".into())),
                "unread is asked with xt=read, which both servers honour (Miniflux ignores it=)"
            );
            assert!(
                unread_q.contains(&("output".into(), "json".into())),
                "Miniflux needs output=json"
            );
        });
        // Items newer than a time.
        let since = published(2000);
        let recent = set(c.recent_ids(Some(since)).await.unwrap());
        let want: BTreeSet<i64> = server.with(|s| {
            s.items
                .values()
                .filter(|i| i.published > since)
                .map(|i| i.id)
                .collect()
        });
        assert!(
            want.is_subset(&recent) && recent.len() <= want.len() + 1,
            "{d:?}: ot= limits the listing"
        );
    }
}

#[tokio::test]
async fn contents_arrive_in_batches_with_every_field_in_both_id_forms() {
    for d in BOTH {
        for form in [IdForm::Long, IdForm::Decimal] {
            let server = GReaderServer::start(d, 260).await;
            let pw = server.with(|s| s.password.clone());
            let c = client_with(
                &server,
                &pw,
                GReaderOptions {
                    id_form: form,
                    ..small_batches()
                },
            );
            let ids = c.recent_ids(None).await.unwrap();
            let mut batches = Vec::new();
            let summary = c
                .fetch_items(&ids, &mut |b: Batch| {
                    batches.push((b.items.len(), b.done, b.total));
                    ControlFlow::Continue(())
                })
                .await
                .unwrap();
            assert_eq!(
                summary,
                FetchSummary {
                    fetched: 260,
                    missing: 0,
                    stopped: false
                },
                "{d:?} {form:?}"
            );
            assert_eq!(batches.len(), 6, "{d:?}: 260 ids in batches of 50");
            assert_eq!(
                batches.last(),
                Some(&(10, 260, Some(260))),
                "progress reaches the total"
            );
            let (items, missing) = c.items(&ids[..3]).await.unwrap();
            assert!(missing.is_empty());
            server.with(|s| {
                for it in &items {
                    let want = &s.items[&it.id.0];
                    assert_eq!(it.title, want.title);
                    assert_eq!(it.url.as_deref(), Some(want.url.as_str()));
                    assert_eq!(
                        it.html, want.html,
                        "{d:?}: content from summary (FreshRSS) or content (Miniflux)"
                    );
                    assert_eq!(it.published, Some(want.published));
                    assert_eq!(it.feed_id, format!("feed/{}", want.feed));
                    assert_eq!((it.read, it.starred), (want.read, want.starred));
                    assert_eq!(
                        it.author.as_deref(),
                        Some(want.author.as_str()).filter(|a| !a.is_empty())
                    );
                }
                let sent = &s.requests_to("stream/items/contents")[0].form;
                let first_i = sent
                    .iter()
                    .find(|(k, _)| k == "i")
                    .map(|(_, v)| v.clone())
                    .unwrap();
                match form {
                    IdForm::Long => assert!(
                        first_i.starts_with("tag:google.com,2005:reader/item/")
                            && first_i.len() == 48
                    ),
                    IdForm::Decimal => assert!(first_i.bytes().all(|b| b.is_ascii_digit())),
                }
            });
        }
    }
}

#[tokio::test]
async fn a_caller_can_stop_a_fetch() {
    let server = GReaderServer::start(Dialect::Miniflux, 200).await;
    let c = client(&server);
    let ids = c.recent_ids(None).await.unwrap();
    let mut n = 0;
    let summary = c
        .fetch_items(&ids, &mut |_b: Batch| {
            n += 1;
            ControlFlow::Break(())
        })
        .await
        .unwrap();
    assert!(summary.stopped && n == 1 && summary.fetched == 50);
    assert!(
        server.with(|s| s.requests_to("stream/items/contents").len()) <= 3,
        "after Break nothing but what was already in flight (3 at most) was asked for"
    );
}

#[tokio::test]
async fn recent_items_skip_what_is_stored() {
    for d in BOTH {
        let server = GReaderServer::start(d, 120).await;
        let c = client(&server);
        let stored: BTreeSet<i64> = (0..100).map(|n| item_id(d, n)).collect();
        let skip = |id: ItemId| stored.contains(&id.0);
        let query = RecentQuery {
            since: None,
            after_id: None,
            skip: &skip,
        };
        let mut got: Vec<i64> = crate::recent(&c, query)
            .await
            .0
            .iter()
            .map(|i| i.id.0)
            .collect();
        got.sort();
        let want: Vec<i64> = (100..120).map(|n| item_id(d, n)).collect();
        assert_eq!(got, want, "{d:?}: only the 20 new items are fetched");
    }
}

#[tokio::test]
async fn read_and_star_edits_reach_the_server_in_batches() {
    for d in BOTH {
        let server = GReaderServer::start(d, 60).await;
        let c = client(&server);
        let unread_before = server.with(|s| s.unread());
        let to_read: Vec<ItemId> = unread_before.iter().take(20).map(|i| ItemId(*i)).collect();
        c.mark_read(&to_read, true).await.unwrap();
        let to_unread = ItemId(item_id(d, 0));
        c.mark_read(&[to_unread], false).await.unwrap();
        c.mark_starred(&[ItemId(item_id(d, 1)), ItemId(item_id(d, 2))], true)
            .await
            .unwrap();
        c.mark_starred(&[ItemId(item_id(d, 10))], false)
            .await
            .unwrap();
        server.with(|s| {
            for id in &to_read {
                assert!(s.items[&id.0].read, "{d:?}: read state reached the server");
            }
            assert!(
                !s.items[&to_unread.0].read,
                "{d:?}: unread reached the server"
            );
            assert!(s.items[&item_id(d, 1)].starred && s.items[&item_id(d, 2)].starred);
            assert!(
                !s.items[&item_id(d, 10)].starred,
                "{d:?}: unstar reached the server"
            );
            let edits = s.requests_to("edit-tag");
            assert_eq!(
                edits.len(),
                3 + 1 + 1 + 1,
                "{d:?}: 20 ids in batches of 7, then one each"
            );
            assert!(
                edits
                    .iter()
                    .all(|e| e.form.iter().filter(|(k, _)| k == "a" || k == "r").count() == 1),
                "one tag per request, in the body (Miniflux reads a/r from the body only)"
            );
        });
        // The server's answer agrees with what it holds.
        assert_eq!(
            set(c.unread_ids().await.unwrap()),
            server.with(|s| s.unread())
        );
    }
}

#[tokio::test]
async fn mark_all_as_read_by_feed_folder_and_everything() {
    for d in BOTH {
        let server = GReaderServer::start(d, 90).await;
        let c = client(&server);
        // Items 0..=44 were published before this; FreshRSS compares ts with its microsecond ids.
        let before = published(45);
        c.mark_all_read(&MarkScope::Feed("feed/1".into()), before)
            .await
            .unwrap();
        server.with(|s| {
            for (n, i) in s.items.values().enumerate() {
                if i.feed == 1 && (n as i64) < 45 {
                    assert!(i.read, "{d:?}: item {n} of feed 1 before ts is read");
                }
                if i.feed == 1 && (n as i64) > 45 {
                    assert_eq!(i.read, n % 3 == 0, "{d:?}: item {n} after ts is untouched");
                }
                if i.feed != 1 {
                    assert_eq!(i.read, n % 3 == 0, "{d:?}: other feeds untouched");
                }
            }
            let ts = &s.requests_to("mark-all-as-read")[0].form;
            assert!(
                ts.contains(&("ts".into(), (before * 1_000_000).to_string())),
                "ts in microseconds"
            );
        });
        c.mark_all_read(&MarkScope::Folder("user/-/label/Tech".into()), before)
            .await
            .unwrap();
        server.with(|s| {
            assert!(
                s.items
                    .values()
                    .take(45)
                    .filter(|i| i.feed != 1)
                    .all(|i| i.read),
                "{d:?}: the Tech folder (feeds 2, 3)"
            );
        });
        c.mark_all_read(&MarkScope::All, published(1000))
            .await
            .unwrap();
        assert!(
            c.unread_ids().await.unwrap().is_empty(),
            "{d:?}: everything read"
        );
        assert_eq!(
            server.with(|s| s.requests_to("mark-all-as-read").len()),
            3,
            "one request per mark-all, never item by item"
        );
    }
}

#[tokio::test]
async fn subscriptions_are_added_renamed_moved_and_removed() {
    for d in BOTH {
        let server = GReaderServer::start(d, 6).await;
        let c = client(&server);
        let sub = c
            .subscribe(
                "https://new.example.org/feed",
                Some("New one"),
                Some("Reading"),
            )
            .await
            .unwrap();
        assert_eq!(
            sub,
            Subscribed {
                id: "feed/4".into(),
                title: "New one".into()
            },
            "{d:?}"
        );
        server.with(|s| {
            let f = &s.feeds[&4];
            assert_eq!(
                (f.title.as_str(), f.folder.as_str(), f.url.as_str()),
                ("New one", "Reading", "https://new.example.org/feed"),
                "{d:?}"
            );
            assert_eq!(
                s.requests_to("subscription/quickadd").len(),
                1,
                "subscribing uses quickadd (feed discovery)"
            );
        });
        c.rename_subscription("feed/2", "Technology").await.unwrap();
        c.move_subscription("feed/2", "Elsewhere").await.unwrap();
        server.with(|s| {
            assert_eq!(s.feeds[&2].title, "Technology");
            assert_eq!(
                s.feeds[&2].folder, "Elsewhere",
                "{d:?}: moved to a new folder"
            );
        });
        assert!(
            c.folders()
                .await
                .unwrap()
                .iter()
                .any(|f| f.title == "Elsewhere")
        );
        c.unsubscribe("feed/3").await.unwrap();
        assert!(
            server.with(|s| !s.feeds.contains_key(&3)),
            "{d:?}: unsubscribed"
        );
        assert!(
            c.subscriptions()
                .await
                .unwrap()
                .iter()
                .all(|s| s.id != "feed/3")
        );
        let e = c
            .subscribe("https://example.org/nofeed", None, None)
            .await
            .unwrap_err();
        assert!(
            matches!(e, SyncError::Rejected(_)),
            "{d:?}: no feed found is a clear refusal: {e:?}"
        );
        let e = c.rename_subscription("feed/99", "x").await.unwrap_err();
        assert!(
            matches!(e, SyncError::Rejected(_)),
            "{d:?}: unknown subscription: {e:?}"
        );
    }
}

#[tokio::test]
async fn wrong_password_is_an_auth_error() {
    for d in BOTH {
        let server = GReaderServer::start(d, 3).await;
        let c = client_with(&server, "wrong password", small_batches());
        assert_eq!(c.login().await, Err(SyncError::Auth), "{d:?}");
        assert_eq!(
            c.unread_ids().await,
            Err(SyncError::Auth),
            "{d:?}: every call says so"
        );
        let c = GReaderClient::new(
            &server.url,
            "not a user!",
            Secret::new("x"),
            http_fast(),
            small_batches(),
        )
        .unwrap();
        assert_eq!(
            c.login().await,
            Err(SyncError::Auth),
            "{d:?}: FreshRSS's 400 for a bad user name too"
        );
    }
}

#[tokio::test]
async fn an_expired_session_signs_in_again_once() {
    for d in BOTH {
        let server = GReaderServer::start(d, 30).await;
        let c = client(&server);
        c.login().await.unwrap();
        server.with(|s| s.faults.expire_auth = true);
        assert_eq!(
            c.unread_ids().await.unwrap().len(),
            20,
            "{d:?}: a GET after expiry succeeds"
        );
        assert_eq!(server.with(|s| s.logins), 2, "{d:?}: exactly one re-login");
        // Expired again, now met by a POST: T (and for Miniflux the Auth in it) is renewed.
        server.with(|s| s.faults.expire_auth = true);
        c.mark_read(&[ItemId(item_id(d, 1))], true).await.unwrap();
        assert!(
            server.with(|s| s.items[&item_id(d, 1)].read),
            "{d:?}: the edit arrived after renewal"
        );
        assert_eq!(server.with(|s| s.logins), 3, "{d:?}");
    }
}

#[tokio::test]
async fn a_bad_token_answer_fetches_the_token_again() {
    for d in BOTH {
        let server = GReaderServer::start(d, 10).await;
        let c = client(&server);
        c.mark_read(&[ItemId(item_id(d, 1))], true).await.unwrap();
        server.with(|s| s.faults.bad_token = 1);
        c.mark_starred(&[ItemId(item_id(d, 2))], true)
            .await
            .unwrap();
        server.with(|s| {
            assert!(
                s.items[&item_id(d, 2)].starred,
                "{d:?}: the retried edit arrived"
            );
            // Miniflux's T is the Auth: a stale T means a stale Auth, so it signs in again too.
            let fetches = if d == Dialect::FreshRss { 2 } else { 3 };
            assert_eq!(
                s.requests_to("/token").len(),
                fetches,
                "{d:?}: the token was fetched again"
            );
            let edits = s.requests_to("edit-tag");
            assert_eq!(
                edits.iter().map(|e| e.status).collect::<Vec<_>>(),
                vec![200, 401, 200]
            );
        });
    }
}

#[tokio::test]
async fn a_session_refused_twice_is_token_expired() {
    for d in BOTH {
        let server = GReaderServer::start(d, 10).await;
        let c = client(&server);
        c.login().await.unwrap();
        server.with(|s| s.faults.bad_token = 2);
        let r = c.mark_read(&[ItemId(item_id(d, 1))], true).await;
        assert_eq!(
            r,
            Err(SyncError::TokenExpired),
            "{d:?}: one renewal, then a clear error"
        );
        assert_eq!(
            server.with(|s| s.requests_to("edit-tag").len()),
            2,
            "{d:?}: no endless renewing"
        );
    }
}

#[tokio::test]
async fn server_errors_are_retried_within_bounds() {
    for d in BOTH {
        let server = GReaderServer::start(d, 10).await;
        let c = client(&server);
        c.login().await.unwrap();
        server.with(|s| s.faults.fail_5xx = 2);
        assert_eq!(
            c.unread_ids().await.unwrap().len(),
            6,
            "{d:?}: two 503s then success"
        );
        server.with(|s| s.faults.fail_5xx = 100);
        let e = c.starred_ids().await.unwrap_err();
        assert_eq!(
            e,
            SyncError::Server {
                status: 503,
                retry_after: None
            },
            "{d:?}"
        );
        assert!(e.is_transient());
        assert_eq!(
            server.with(|s| 100 - s.faults.fail_5xx),
            3,
            "{d:?}: one try and two retries, no more"
        );
        // A Retry-After beyond what we wait is handed to the caller at once.
        server.with(|s| {
            s.faults.fail_5xx = 5;
            s.faults.retry_after = Some("120".into());
        });
        let e = c.starred_ids().await.unwrap_err();
        assert_eq!(
            e,
            SyncError::Server {
                status: 503,
                retry_after: Some(Duration::from_secs(120))
            }
        );
        assert_eq!(
            server.with(|s| s.faults.fail_5xx),
            4,
            "not retried against the server's wish"
        );
        // A short Retry-After is honoured.
        server.with(|s| {
            s.faults.fail_5xx = 1;
            s.faults.retry_after = Some("0".into());
        });
        assert!(
            c.starred_ids().await.is_ok(),
            "{d:?}: retried after Retry-After: 0"
        );
    }
}

#[tokio::test]
async fn edits_are_retried_on_5xx_but_subscribing_is_not() {
    let server = GReaderServer::start(Dialect::Miniflux, 10).await;
    let c = client(&server);
    c.login().await.unwrap();
    server.with(|s| {
        s.faults.fail_5xx = 1;
        s.faults.path = Some("edit-tag".into());
    });
    c.mark_read(&[ItemId(item_id(Dialect::Miniflux, 1))], true)
        .await
        .unwrap();
    server.with(|s| {
        s.faults.fail_5xx = 1;
        s.faults.path = Some("quickadd".into());
    });
    let e = c
        .subscribe("https://x.example.org/feed", None, None)
        .await
        .unwrap_err();
    assert!(matches!(e, SyncError::Server { status: 503, .. }), "{e:?}");
    assert_eq!(
        server.with(|s| s.requests_to("quickadd").len()),
        1,
        "a create is never sent twice"
    );
}

#[tokio::test]
async fn garbage_json_is_a_protocol_error() {
    for d in BOTH {
        let server = GReaderServer::start(d, 10).await;
        let c = client(&server);
        c.login().await.unwrap();
        server.with(|s| s.faults.garbage_json = true);
        let e = c.unread_ids().await.unwrap_err();
        let SyncError::Protocol(msg) = &e else {
            panic!("{d:?}: {e:?}")
        };
        assert!(
            msg.contains("stream/items/ids") && !msg.contains("html"),
            "short, names the call, quotes nothing: {msg}"
        );
        assert_eq!(
            c.unread_ids().await.unwrap().len(),
            6,
            "the next call works"
        );
    }
}

#[tokio::test]
async fn an_item_dropped_between_ids_and_contents_is_reported_missing() {
    for d in BOTH {
        let server = GReaderServer::start(d, 40).await;
        let c = client(&server);
        let ids = c.recent_ids(None).await.unwrap();
        let gone = item_id(d, 7);
        server.with(|s| s.faults.drop_items = vec![gone]);
        let (items, missing) = c.items(&ids).await.unwrap();
        assert_eq!(items.len(), 39, "{d:?}: the rest arrive");
        assert_eq!(
            missing,
            vec![ItemId(gone)],
            "{d:?}: the dropped one is named, not an error"
        );
    }
}

#[tokio::test]
async fn a_broken_answer_is_retried_and_a_closing_server_is_unreachable() {
    for d in BOTH {
        let server = GReaderServer::start(d, 10).await;
        let c = client(&server);
        c.login().await.unwrap();
        server.with(|s| s.faults.abort_body = 1);
        assert_eq!(
            c.unread_ids().await.unwrap().len(),
            6,
            "{d:?}: a dropped connection is retried"
        );
    }
    let url = start_closing_server().await;
    let c = GReaderClient::new(&url, "u", Secret::new("p"), http_fast(), small_batches()).unwrap();
    let e = c.login().await.unwrap_err();
    assert!(matches!(e, SyncError::Unreachable(_)), "{e:?}");
    // Nothing listening at all.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let c = GReaderClient::new(
        &format!("http://127.0.0.1:{port}"),
        "u",
        Secret::new("p"),
        http_fast(),
        small_batches(),
    )
    .unwrap();
    let e = c.unread_ids().await.unwrap_err();
    assert!(
        matches!(e, SyncError::Unreachable(_)) && e.is_transient(),
        "{e:?}"
    );
}

#[tokio::test]
async fn too_large_answers_split_the_batch() {
    let server = GReaderServer::start(Dialect::Miniflux, 40).await;
    let pw = server.with(|s| s.password.clone());
    // Each item is ~1 KB of JSON; 8 KB holds a few but not 40.
    let http = HttpOptions {
        max_body_bytes: 8 * 1024,
        ..http_fast()
    };
    let c = GReaderClient::new(
        &server.url,
        "alice",
        Secret::new(pw),
        http,
        GReaderOptions {
            contents_batch: 40,
            ..small_batches()
        },
    )
    .unwrap();
    let ids = c.recent_ids(None).await.unwrap();
    let (items, missing) = c.items(&ids).await.unwrap();
    assert_eq!(
        (items.len(), missing.len()),
        (40, 0),
        "halved until each answer fits"
    );
    assert!(server.with(|s| s.requests_to("stream/items/contents").len()) > 4);
}

#[tokio::test]
async fn miniflux_answers_unknown_paths_with_an_empty_array() {
    let server = GReaderServer::start(Dialect::Miniflux, 5).await;
    server.with(|s| s.missing_endpoints = vec!["subscription/quickadd".into(), "tag/list".into()]);
    let c = client(&server);
    assert_eq!(
        c.subscribe("https://x.example.org/feed", None, None).await,
        Err(SyncError::Unsupported("subscription/quickadd")),
        "`[]` with 200 is not mistaken for success"
    );
    assert_eq!(c.folders().await, Err(SyncError::Unsupported("tag/list")));
    assert!(
        server.with(|s| s.log.iter().all(|l| !l.path.contains("stream/contents"))),
        "the client never relies on stream/contents"
    );
}

#[tokio::test]
async fn a_silent_server_times_out_after_bounded_retries() {
    let (url, connections) = start_silent_server().await;
    let http = HttpOptions {
        timeout: Duration::from_millis(300),
        idle_timeout: Duration::from_millis(300),
        ..http_fast()
    };
    let c = GReaderClient::new(&url, "u", Secret::new("p"), http, small_batches()).unwrap();
    let e = c.login().await.unwrap_err();
    assert!(
        matches!(&e, SyncError::Unreachable(m) if m.contains("no answer in time")),
        "{e:?}"
    );
    assert_eq!(
        *connections.lock().unwrap(),
        3,
        "sign-in is safe to retry: one try and two retries"
    );
}
