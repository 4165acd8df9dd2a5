//! Imported articles (like the bundled seed) arrive without their pictures; the app stores them
//! afterwards so they read offline from the library like feed articles.

use duizhao_core::{Library, LibraryHandle, ViewOptions};

use crate::feeds::PNG;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pictures_of_an_imported_article_are_stored_afterwards() {
    let app = axum::Router::new().route(
        "/pic.png",
        axum::routing::get(|| async { ([("content-type", "image/png")], PNG) }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });

    let dir = tempfile::tempdir().unwrap();
    // An article from this machine (its canonical URL is the loopback server): its pictures
    // there may be fetched (a public article's may not, see feeds.rs).
    let file = dir.path().join("a.html");
    std::fs::write(&file, format!("<html><head><title>Pictures</title><link rel=\"canonical\" href=\"{base}/a\"></head><body><p>Some text.</p><p><img src=\"{base}/pic.png\" alt=\"a picture\"></p><p><img src=\"{base}/missing.png\" alt=\"gone\"></p></body></html>")).unwrap();
    let mut lib = Library::open(dir.path()).unwrap();
    let id = lib.import_file(&file).unwrap().id;
    let handle = LibraryHandle::new(lib);

    assert_eq!(
        handle.store_article_images(id).await.unwrap(),
        1,
        "the reachable picture is stored, the 404 skipped"
    );
    assert_eq!(
        handle.store_article_images(id).await.unwrap(),
        0,
        "a stored picture is not fetched again"
    );
    let view = handle
        .with(|lib| lib.article_view_local(id, &ViewOptions::default(), "dzimg://localhost/"))
        .unwrap();
    let srcs: Vec<_> = view.blocks.iter().filter_map(|b| b.src.clone()).collect();
    assert!(
        srcs[0].starts_with("dzimg://localhost/"),
        "the stored picture is served by the app: {srcs:?}"
    );
    assert!(
        srcs[1].starts_with(&base),
        "a missing one keeps its remote address for the placeholder: {srcs:?}"
    );
}
