//! Faults: each gives one clear, typed error (or a count in the summary), what is safe is
//! retried, and no queued change is ever lost.

use duizhao_core::ErrorCode;

use crate::greader_server::{Dialect, Faults, GReaderServer, item_id};
use crate::{article_id, greader_account, http_fast, library, local_state, sync};

fn pending(lib: &duizhao_core::LibraryHandle) -> u32 {
    lib.with(|l| l.sync_account()).unwrap().unwrap().pending
}

fn read_on_server(server: &GReaderServer, n: i64) -> bool {
    server.with(|s| s.items[&item_id(Dialect::FreshRss, n)].read)
}

#[tokio::test]
async fn a_wrong_password_is_refused_before_anything_is_stored() {
    let server = GReaderServer::start(Dialect::Miniflux, 3).await;
    let lib = library();
    let err = lib
        .add_sync_account_with("greader", &server.url, "alice", Some("wrong"), http_fast())
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::SyncAuth, "{err}");
    assert!(
        !err.to_string().contains("wrong"),
        "the message never repeats a password: {err}"
    );
    assert!(
        lib.with(|l| l.sync_account()).unwrap().is_none(),
        "an account that cannot sign in is not saved"
    );
    let err = lib.sync_with(http_fast(), |_| {}).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound, "no account: {err}");
}

#[tokio::test]
async fn a_server_failing_with_5xx_keeps_the_queue_until_it_answers_again() {
    let (server, lib) = greader_account(Dialect::FreshRss, 6).await;
    sync(&lib).await.0.unwrap();
    let one = article_id(&lib, "Item 1");
    lib.with(|l| l.set_read(one, true)).unwrap();
    server.with(|s| {
        s.faults = Faults {
            fail_5xx: 100,
            ..Faults::default()
        }
    });
    let err = sync(&lib).await.0.unwrap_err();
    assert_eq!(err.code(), ErrorCode::SyncServer, "{err}");
    assert!(err.to_string().contains("503"), "{err}");
    assert_eq!(pending(&lib), 1, "the change waits for the server");
    let account = lib.with(|l| l.sync_account()).unwrap().unwrap();
    assert_eq!(
        account.last_error.map(|f| f.code),
        Some(ErrorCode::SyncServer),
        "the settings page shows why the last sync failed"
    );
    assert!(!read_on_server(&server, 1));

    server.with(|s| s.faults = Faults::default());
    let summary = sync(&lib).await.0.unwrap();
    assert_eq!(summary.sent, 1);
    assert!(read_on_server(&server, 1), "sent once the server is back");
    assert_eq!(pending(&lib), 0);
    assert!(
        lib.with(|l| l.sync_account())
            .unwrap()
            .unwrap()
            .last_error
            .is_none()
    );
}

#[tokio::test]
async fn edits_refused_by_the_server_stay_queued_while_the_rest_of_the_sync_goes_on() {
    let (server, lib) = greader_account(Dialect::FreshRss, 6).await;
    sync(&lib).await.0.unwrap();
    let one = article_id(&lib, "Item 1");
    lib.with(|l| l.set_read(one, true)).unwrap();
    server.with(|s| {
        s.faults = Faults {
            path: Some("edit-tag".into()),
            fail_5xx: 100,
            ..Faults::default()
        };
        // Changed elsewhere meanwhile: still arrives.
        s.items
            .get_mut(&item_id(Dialect::FreshRss, 2))
            .unwrap()
            .starred = true;
    });
    let summary = sync(&lib).await.0.unwrap();
    assert_eq!((summary.sent, summary.failed, summary.updated), (0, 1, 1));
    assert_eq!(
        summary.send_error.map(|f| f.code),
        Some(ErrorCode::SyncServer)
    );
    assert_eq!(pending(&lib), 1, "a change the server did not take is kept");
    assert_eq!(
        local_state(&lib)["Item 1"],
        (true, false),
        "the server's unread set does not undo a change still queued"
    );
    assert_eq!(local_state(&lib)["Item 2"], (false, true));
    server.with(|s| s.faults = Faults::default());
    assert_eq!(sync(&lib).await.0.unwrap().sent, 1);
    assert!(read_on_server(&server, 1));
}

#[tokio::test]
async fn an_expired_session_or_token_signs_in_again_and_the_sync_goes_through() {
    let (server, lib) = greader_account(Dialect::FreshRss, 6).await;
    sync(&lib).await.0.unwrap();
    let one = article_id(&lib, "Item 1");
    lib.with(|l| l.set_read(one, true)).unwrap();
    server.with(|s| {
        s.faults = Faults {
            expire_auth: true,
            bad_token: 1,
            ..Faults::default()
        }
    });
    let summary = sync(&lib).await.0.unwrap();
    assert_eq!(summary.sent, 1);
    assert!(read_on_server(&server, 1));
}

#[tokio::test]
async fn garbage_from_the_server_is_one_clear_error_and_changes_nothing() {
    let (server, lib) = greader_account(Dialect::FreshRss, 6).await;
    sync(&lib).await.0.unwrap();
    let before = local_state(&lib);
    let one = article_id(&lib, "Item 1");
    lib.with(|l| l.set_read(one, true)).unwrap();
    server.with(|s| {
        s.items
            .get_mut(&item_id(Dialect::FreshRss, 2))
            .unwrap()
            .starred = true;
        s.faults = Faults {
            path: Some("stream/items/ids".into()),
            garbage_json: true,
            ..Faults::default()
        };
    });
    let err = sync(&lib).await.0.unwrap_err();
    assert_eq!(err.code(), ErrorCode::SyncServer, "{err}");
    assert!(err.to_string().contains("unexpected answer"), "{err}");
    let mut expected = before;
    expected.insert("Item 1".into(), (true, false));
    assert_eq!(
        local_state(&lib),
        expected,
        "a sync that failed half-way applies no half-read state"
    );
    // The change was sent before the garbage came; nothing is queued twice or lost.
    assert!(read_on_server(&server, 1));
    assert_eq!(pending(&lib), 0);
}

#[tokio::test]
async fn an_item_dropped_between_ids_and_contents_is_counted_and_fetched_later() {
    let (server, lib) = greader_account(Dialect::FreshRss, 6).await;
    let dropped = item_id(Dialect::FreshRss, 5);
    server.with(|s| s.faults.drop_items = vec![dropped]);
    let summary = sync(&lib).await.0.unwrap();
    assert_eq!(
        (summary.new, summary.missing),
        (5, 2),
        "listed twice (new, then unread), missing twice"
    );
    server.with(|s| s.faults.drop_items.clear());
    let summary = sync(&lib).await.0.unwrap();
    assert_eq!(summary.new, 1, "the unread item missing last time arrives");
    assert_eq!(local_state(&lib)["Item 5"], (false, false));
}

#[tokio::test]
async fn a_server_that_went_away_is_unreachable_and_the_queue_stays() {
    // The server runs on a runtime of its own (started from a plain thread), so it can end.
    let (rt, server) = std::thread::spawn(|| {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let server = rt.block_on(GReaderServer::start(Dialect::Miniflux, 3));
        (rt, server)
    })
    .join()
    .unwrap();
    let lib = library();
    lib.add_sync_account_with(
        "greader",
        &server.url,
        "alice",
        Some("correct horse"),
        http_fast(),
    )
    .await
    .unwrap();
    sync(&lib).await.0.unwrap();
    let one = article_id(&lib, "Item 1");
    lib.with(|l| l.set_read(one, true)).unwrap();
    // The server's runtime ends: its listener closes, connections are refused.
    rt.shutdown_background();
    let err = sync(&lib).await.0.unwrap_err();
    assert_eq!(err.code(), ErrorCode::SyncServer, "{err}");
    assert!(err.to_string().contains("cannot reach"), "{err}");
    assert_eq!(
        pending(&lib),
        1,
        "nothing queued is lost while the server is away"
    );
}
