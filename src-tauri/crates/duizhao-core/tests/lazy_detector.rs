//! lingua's models load once, lazily (issue 11.4): opening a library, as the app and `dz` do
//! at start (the background re-detection pass included), loads none; the first text that
//! needs the detector does. A test binary of its own, so no other test has loaded them first.

use duizhao_core::{Library, LibraryHandle, ListFilter};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opening_a_library_loads_no_language_model_and_the_first_article_does() {
    let dir = tempfile::tempdir().unwrap();
    let handle = LibraryHandle::new(Library::open(dir.path()).unwrap());
    assert_eq!(
        handle.redetect_languages().await.unwrap(),
        0,
        "a new library has nothing to re-detect"
    );
    handle.with(|lib| lib.list(&ListFilter::default())).unwrap();
    assert!(
        !duizhao_translate::lang::models_in_use(),
        "starting must not pay for the detector's models"
    );

    let article = dir.path().join("en.md");
    std::fs::write(
        &article,
        "# Harbour traffic grows\n\nThe harbour authority said on Monday that ship traffic \
         grew for the sixth month in a row.\n",
    )
    .unwrap();
    let id = handle.with(|lib| lib.import_file(&article)).unwrap().id;
    assert!(
        duizhao_translate::lang::models_in_use(),
        "the first Latin-script article needs the detector"
    );
    let stored = handle.with(|lib| lib.article(id)).unwrap();
    assert_eq!(stored.lang.as_deref(), Some("en"));
}
