//! The seed article through the whole import path into a temporary database and back.

use duizhao_core::{BlockKind, Library, ListFilter};

use crate::seed_path;

#[test]
fn the_seed_imports_with_every_block_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open(dir.path()).unwrap();
    let outcome = lib.import_file(&seed_path()).unwrap();
    assert!(outcome.created);

    let a = lib.article(outcome.id).unwrap();
    assert_eq!(a.title, "王毅見俄外長：推動全球治理更「公平合理」");
    assert!(a.url.as_deref().unwrap().ends_with("/a-66850097"));
    assert_eq!(
        a.published.as_deref(),
        Some("2023-09-19T02:17:02Z"),
        "from <!--1695089822000-->"
    );

    use BlockKind::*;
    let kinds: Vec<_> = a.blocks.iter().map(|b| b.kind).collect();
    assert_eq!(
        kinds,
        vec![
            Image, Caption, Paragraph, Paragraph, Paragraph, Heading, Paragraph, Image, Caption,
            Paragraph, Paragraph, Heading, Paragraph, Paragraph, Image, Caption, Paragraph,
            Paragraph, Paragraph, Paragraph,
        ],
        "every paragraph, bold subheading, image and caption, in the article's order"
    );
    assert_eq!(a.blocks[5].text, "王毅說法暗批美？");
    assert_eq!(a.blocks[11].text, "中美高層頻會晤為促「拜習會」 ？");
    assert_eq!(
        a.blocks[1].text,
        "王毅9月18日出訪俄羅斯會見拉夫羅夫。圖為去年8月兩人在柬埔寨東亞峰會外長會議見面（資料照）"
    );
    assert_eq!(
        a.blocks[8].text,
        "王毅去年11月出席G20外長會議時，也曾和拉夫羅夫進行場邊會晤。"
    );
    assert_eq!(
        a.blocks[15].text,
        "布林肯18日在聯合國大會場邊與中國國家副主席韓正會面。"
    );

    let srcs: Vec<_> = a.blocks.iter().filter_map(|b| b.src.as_deref()).collect();
    assert_eq!(
        srcs,
        [
            "https://static.dw.com/image/62718820_303.jpg",
            "https://static.dw.com/image/63763264_303.jpg",
            "https://static.dw.com/image/66849943_303.jpg",
        ],
        "images are unwrapped from the images.weserv.nl proxy"
    );

    let last = a.blocks.last().unwrap();
    assert!(
        last.text.starts_with("© 2023年德國之聲版權聲明"),
        "copyright line is article text: {}",
        last.text
    );
    for b in &a.blocks {
        for banned in [
            "获取更多RSS",
            "feedx",
            "2023-09-19T01:49:38.602Z",
            "style=",
            "target=",
            "<script",
        ] {
            assert!(
                !b.html.contains(banned) && !b.text.contains(banned),
                "{banned:?} leaked into {b:?}"
            );
        }
    }
    // The first paragraph keeps its link, made inert and absolute.
    assert!(a.blocks[2].html.contains(r#"<a href="https://api.dw.com/api/detail/article/66839927" rel="noopener noreferrer nofollow">"#));
}

#[test]
fn importing_twice_does_not_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open(dir.path()).unwrap();
    let first = lib.import_file(&seed_path()).unwrap();
    let second = lib.import_file(&seed_path()).unwrap();
    assert_eq!(first.id, second.id);
    assert!(
        !second.created,
        "re-importing the same URL must not create a second article"
    );
    assert_eq!(lib.list(&ListFilter::default()).unwrap().len(), 1);
}

#[test]
fn the_library_survives_reopening_with_its_articles() {
    let dir = tempfile::tempdir().unwrap();
    let id = Library::open(dir.path())
        .unwrap()
        .import_file(&seed_path())
        .unwrap()
        .id;
    let lib = Library::open(dir.path()).unwrap();
    assert_eq!(
        lib.article(id).unwrap().blocks.len(),
        20,
        "blocks are stored, not recomputed"
    );
    let conn = rusqlite::Connection::open(dir.path().join("duizhao.sqlite3")).unwrap();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
}
