//! Sync with a Fever server: groups as folders, items paged by id, the unread and saved id
//! sets, and marks sent one item at a time as the API requires.

use duizhao_core::ErrorCode;

use crate::fever_server::{FeverServer, PASSWORD, USER};
use crate::{article_id, http_fast, library, local_state, sync};

#[tokio::test]
async fn a_fever_server_syncs_both_ways() {
    let server = FeverServer::start(25).await;
    let lib = library();
    lib.add_sync_account_with("fever", &server.url, USER, Some(PASSWORD), http_fast())
        .await
        .unwrap();
    let summary = sync(&lib).await.0.unwrap();
    assert_eq!((summary.new, summary.feeds), (25, 3));
    let on_server = || {
        server.with(|s| {
            s.items
                .values()
                .map(|i| (i.title.clone(), (i.read, i.saved)))
                .collect::<std::collections::BTreeMap<_, _>>()
        })
    };
    assert_eq!(local_state(&lib), on_server());
    let mut folders: Vec<Option<String>> = lib
        .with(|l| l.list_feeds())
        .unwrap()
        .into_iter()
        .map(|f| f.folder)
        .collect();
    folders.sort();
    assert_eq!(
        folders,
        vec![
            Some("News".into()),
            Some("Tech".into()),
            Some("Tech".into())
        ],
        "Fever groups become folders"
    );

    let (a, b) = (article_id(&lib, "Item 1"), article_id(&lib, "Item 2"));
    lib.with(|l| {
        l.set_read(a, true)?;
        l.set_starred(b, true)
    })
    .unwrap();
    server.with(|s| s.items.get_mut(&5).unwrap().read = true);
    let summary = sync(&lib).await.0.unwrap();
    assert_eq!((summary.sent, summary.updated, summary.new), (2, 1, 0));
    assert_eq!(local_state(&lib), on_server(), "both sides agree");
    assert_eq!(on_server()["Item 1"], (true, false));
    assert_eq!(on_server()["Item 2"], (false, true));

    server.with(|s| s.garbage_json = true);
    let err = sync(&lib).await.0.unwrap_err();
    assert_eq!(err.code(), ErrorCode::SyncServer, "{err}");
}
