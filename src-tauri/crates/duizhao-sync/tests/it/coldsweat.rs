//! End to end against a real Fever server: coldsweat 0.10.2 (PyPI, BSD), started on loopback by
//! `scripts/coldsweat.sh` (tests/run.sh runs it through `scripts/test-env.sh`). The test makes
//! its own user, subscribes it through coldsweat's CLI to a feed served here on loopback (with
//! its own icon, so coldsweat does not look one up on the internet), lets coldsweat fetch it,
//! then syncs through the Fever client and checks that marks reach coldsweat's database.

use std::collections::BTreeSet;

use axum::Router;
use axum::routing::get;
use duizhao_sync::fever::{FeverClient, FeverOptions};
use duizhao_sync::*;

use crate::http_fast;

const ITEMS: i64 = 120;

/// A loopback feed of `ITEMS` items, unique to this run (coldsweat keeps entries by GUID).
async fn serve_feed(run: &str) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let mut xml = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Loopback {run}</title><link>{base}/</link>\
         <description>d</description><image><url>{base}/icon.png</url><title>i</title><link>{base}/</link></image>"
    );
    for n in 0..ITEMS {
        // One day apart, the newest first, all in the past.
        let day = 1_600_000_000 + n * 86_400;
        let date = httpdate_of(day);
        xml.push_str(&format!(
            "<item><title>Item {n} of {run}</title><link>{base}/a/{n}</link><guid>urn:duizhao:{run}:{n}</guid>\
             <pubDate>{date}</pubDate><description>&lt;p&gt;Body {n}&lt;/p&gt;</description></item>"
        ));
    }
    xml.push_str("</channel></rss>");
    // A 1×1 PNG.
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\0\0\0\0IEND\xaeB`\x82";
    let app = Router::new()
        .route(
            "/feed.xml",
            get(move || async move { ([("content-type", "application/rss+xml")], xml) }),
        )
        .route(
            "/icon.png",
            get(|| async { ([("content-type", "image/png")], PNG) }),
        );
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    format!("{base}/feed.xml")
}

fn httpdate_of(unix: i64) -> String {
    // RFC 822 date without pulling a date crate into the tests.
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let wd = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][days.rem_euclid(7) as usize];
    let mon = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][(m - 1) as usize];
    format!(
        "{wd}, {d:02} {mon} {y} {:02}:{:02}:{:02} GMT",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

async fn cli(args: &[&str]) {
    let cli = std::env::var("DUIZHAO_COLDSWEAT_CLI")
        .expect("DUIZHAO_COLDSWEAT_CLI (see scripts/coldsweat.sh)");
    let out = tokio::process::Command::new(&cli)
        .args(args)
        .output()
        .await
        .expect("run coldsweat's CLI");
    assert!(
        out.status.success(),
        "coldsweat {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a real coldsweat: run src-tauri/crates/duizhao-sync/scripts/coldsweat.sh (tests/run.sh does)"]
async fn syncs_with_a_real_coldsweat() {
    let url = std::env::var("DUIZHAO_COLDSWEAT_URL")
        .expect("DUIZHAO_COLDSWEAT_URL (see scripts/coldsweat.sh)");
    let run = format!(
        "{}{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
            % 1_000_000_000
    );
    let email = format!("dz{run}@example.org");
    let password = format!("duizhao-pass-{run}");
    cli(&["setup", &email, "-p", &password]).await;
    let feed = serve_feed(&run).await;
    let dir = std::env::temp_dir().join(format!("duizhao-coldsweat-{run}"));
    std::fs::create_dir_all(&dir).unwrap();
    let opml = dir.join("subs.opml");
    std::fs::write(
        &opml,
        format!(
            "<?xml version=\"1.0\"?><opml version=\"1.0\"><head><title>t</title></head><body>\
             <outline text=\"Loopback\" title=\"Loopback\"><outline type=\"rss\" text=\"Loop\" title=\"Loop\" xmlUrl=\"{feed}\"/></outline>\
             </body></opml>"
        ),
    )
    .unwrap();
    cli(&["import", opml.to_str().unwrap(), &email, "--fetch"]).await;
    std::fs::remove_dir_all(&dir).ok();

    let wrong = FeverClient::new(
        &url,
        &email,
        Secret::new("not the password"),
        http_fast(),
        FeverOptions::default(),
    )
    .unwrap();
    assert_eq!(
        wrong.login().await,
        Err(SyncError::Auth),
        "coldsweat's auth: 0"
    );

    let c = FeverClient::new(
        &url,
        &email,
        Secret::new(password),
        http_fast(),
        FeverOptions::default(),
    )
    .unwrap();
    c.login().await.unwrap();
    let folders = c.folders().await.unwrap();
    let group = folders
        .iter()
        .find(|f| f.title == "Loopback")
        .expect("the OPML folder is a Fever group")
        .clone();
    let subs = c.subscriptions().await.unwrap();
    assert_eq!(subs.len(), 1);
    assert_eq!(subs[0].feed_url, feed);
    assert_eq!(subs[0].folder_ids, vec![group.id.clone()]);

    let unread = c.unread_ids().await.unwrap();
    assert_eq!(
        unread.len(),
        ITEMS as usize,
        "every fetched entry is unread for a new user"
    );
    assert!(c.starred_ids().await.unwrap().is_empty());

    let none = |_: ItemId| false;
    let query = RecentQuery {
        since: None,
        after_id: None,
        skip: &none,
    };
    let (items, summary, _) = crate::recent(&c, query).await;
    // Other runs' entries live in the same coldsweat; only this user's feed is listed.
    assert_eq!(summary.fetched, ITEMS as usize);
    let ids: BTreeSet<ItemId> = items.iter().map(|i| i.id).collect();
    assert_eq!(
        ids,
        unread.iter().copied().collect(),
        "the same items by both routes"
    );
    let item0 = items
        .iter()
        .find(|i| i.title == format!("Item 0 of {run}"))
        .expect("item 0");
    assert_eq!(item0.html, "<p>Body 0</p>");
    assert_eq!(
        item0.url.as_deref(),
        Some(feed.replace("feed.xml", "a/0").as_str())
    );
    assert_eq!(item0.published, Some(1_600_000_000));
    assert_eq!(item0.feed_id, subs[0].id);

    let (by_id, missing) = c.items(&unread[..60]).await.unwrap();
    assert_eq!(
        (by_id.len(), missing.len()),
        (60, 0),
        "with_ids in two requests"
    );

    // Marks reach coldsweat.
    let read: Vec<ItemId> = unread[..5].to_vec();
    c.mark_read(&read, true).await.unwrap();
    c.mark_starred(&unread[5..7], true).await.unwrap();
    let now_unread: BTreeSet<ItemId> = c.unread_ids().await.unwrap().into_iter().collect();
    assert_eq!(now_unread.len(), ITEMS as usize - 5);
    assert!(read.iter().all(|i| !now_unread.contains(i)));
    assert_eq!(c.starred_ids().await.unwrap(), unread[5..7].to_vec());
    c.mark_read(&read[..1], false).await.unwrap();
    c.mark_starred(&unread[5..6], false).await.unwrap();
    assert_eq!(
        c.unread_ids().await.unwrap().len(),
        ITEMS as usize - 4,
        "unread reached coldsweat"
    );
    assert_eq!(
        c.starred_ids().await.unwrap(),
        unread[6..7].to_vec(),
        "unsave reached coldsweat"
    );

    // Mark the feed read up to a time: coldsweat compares with publication dates.
    let cutoff = 1_600_000_000 + 50 * 86_400;
    c.mark_all_read(&MarkScope::Feed(subs[0].id.clone()), cutoff)
        .await
        .unwrap();
    let left = c.unread_ids().await.unwrap();
    let (still, _) = c.items(&left).await.unwrap();
    assert!(
        still.iter().all(|i| i.published.unwrap_or(0) >= cutoff),
        "older items are read"
    );
    assert_eq!(still.len(), (ITEMS - 50) as usize);
    c.mark_all_read(&MarkScope::Folder(group.id.clone()), 2_000_000_000)
        .await
        .unwrap();
    assert!(
        c.unread_ids().await.unwrap().is_empty(),
        "the whole group read"
    );
    assert_eq!(
        c.subscribe(&feed, None, None).await,
        Err(SyncError::Unsupported("editing subscriptions"))
    );
}
