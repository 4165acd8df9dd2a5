//! Checks a real sync server end to end with the clients of this crate: what a developer runs
//! against their own FreshRSS, Miniflux or Fever server (the tests use loopback servers and
//! coldsweat; a real FreshRSS or Miniflux cannot be installed from Debian 12's packages).
//!
//! ```sh
//! DUIZHAO_SYNC_PASSWORD=… cargo run -p duizhao-sync --example check_server -- greader https://host/api/greader.php USER [--write] [--subscribe FEED_URL]
//! DUIZHAO_SYNC_PASSWORD=… cargo run -p duizhao-sync --example check_server -- fever https://host/fever/ USER [--write]
//! ```
//!
//! Reads everything; with `--write` also toggles read and starred on one item and puts them
//! back; with `--subscribe` subscribes to a feed, renames and moves it, then unsubscribes.

use std::collections::HashSet;
use std::time::Instant;

use duizhao_sync::{
    AccountSettings, HttpOptions, ItemId, RecentQuery, Secret, ServiceKind, SyncError, connect,
};

fn step<T>(
    name: &str,
    started: Instant,
    r: &Result<T, SyncError>,
    detail: impl FnOnce(&T) -> String,
) {
    let ms = started.elapsed().as_millis();
    match r {
        Ok(v) => println!("ok    {name:<22} {ms:>6} ms  {}", detail(v)),
        Err(e) => println!("FAIL  {name:<22} {ms:>6} ms  {e}"),
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(kind), Some(url), Some(user)) = (args.first(), args.get(1), args.get(2)) else {
        eprintln!("usage: check_server greader|fever URL USER [--write] [--subscribe FEED_URL]");
        std::process::exit(2);
    };
    let kind = ServiceKind::parse(kind).ok_or("kind must be greader or fever")?;
    let write = args.iter().any(|a| a == "--write");
    let subscribe = args
        .iter()
        .position(|a| a == "--subscribe")
        .and_then(|i| args.get(i + 1));
    let password =
        std::env::var("DUIZHAO_SYNC_PASSWORD").map_err(|_| "set DUIZHAO_SYNC_PASSWORD")?;
    let account = AccountSettings {
        kind,
        url: url.clone(),
        user: user.clone(),
    };
    let s = connect(&account, Secret::new(password), HttpOptions::default())?;

    let t = Instant::now();
    let r = s.login().await;
    step("login", t, &r, |_| String::new());
    r?;
    let t = Instant::now();
    let r = s.folders().await;
    step("folders", t, &r, |f| {
        format!(
            "{} {:?}",
            f.len(),
            f.iter().map(|f| &f.title).take(5).collect::<Vec<_>>()
        )
    });
    let t = Instant::now();
    let subs = s.subscriptions().await;
    step("subscriptions", t, &subs, |v| {
        format!(
            "{} (first: {:?})",
            v.len(),
            v.first().map(|s| (&s.id, &s.title, &s.folder_ids))
        )
    });
    let t = Instant::now();
    let unread = s.unread_ids().await;
    step("unread ids", t, &unread, |v| v.len().to_string());
    let t = Instant::now();
    let starred = s.starred_ids().await;
    step("starred ids", t, &starred, |v| v.len().to_string());
    let t = Instant::now();
    let r = s.recent_ids(None).await;
    step("all ids", t, &r, |v| v.len().to_string());
    let none = |_: ItemId| false;
    let t = Instant::now();
    let mut items = Vec::new();
    let r = s
        .recent_items(
            RecentQuery {
                since: None,
                after_id: None,
                skip: &none,
            },
            &mut |b| {
                items.extend(b.items);
                std::ops::ControlFlow::Continue(())
            },
        )
        .await;
    step("recent items", t, &r, |v| {
        format!("{} fetched, {} missing", v.fetched, v.missing)
    });
    if let Some(i) = items.first() {
        println!(
            "      first item: id {} feed {} {:?} published {:?} read {} starred {} html {} bytes",
            i.id,
            i.feed_id,
            i.title,
            i.published,
            i.read,
            i.starred,
            i.html.len()
        );
    }
    let unread_set: HashSet<ItemId> = unread
        .as_ref()
        .map(|v| v.iter().copied().collect())
        .unwrap_or_default();
    let flags_agree = items.iter().all(|i| i.read != unread_set.contains(&i.id));
    println!(
        "{}  item read flags agree with the unread id set",
        if flags_agree { "ok   " } else { "FAIL " }
    );

    if write && let Some(id) = unread.as_ref().ok().and_then(|u| u.first().copied()) {
        let t = Instant::now();
        let r = s.mark_read(&[id], true).await;
        step("mark read", t, &r, |_| id.to_string());
        let now = s.unread_ids().await?;
        println!(
            "{}  read reached the server",
            if now.contains(&id) { "FAIL " } else { "ok   " }
        );
        let r = s.mark_read(&[id], false).await;
        step("mark unread", t, &r, |_| String::new());
        println!(
            "{}  unread reached the server",
            if s.unread_ids().await?.contains(&id) {
                "ok   "
            } else {
                "FAIL "
            }
        );
        let was_starred = starred.as_ref().map(|v| v.contains(&id)).unwrap_or(false);
        let r = s.mark_starred(&[id], !was_starred).await;
        step("toggle star", t, &r, |_| String::new());
        println!(
            "{}  star reached the server",
            if s.starred_ids().await?.contains(&id) != was_starred {
                "ok   "
            } else {
                "FAIL "
            }
        );
        let r = s.mark_starred(&[id], was_starred).await;
        step("restore star", t, &r, |_| String::new());
    }
    if let Some(feed) = subscribe {
        let t = Instant::now();
        let r = s
            .subscribe(feed, Some("Duizhao check"), Some("Duizhao"))
            .await;
        step("subscribe", t, &r, |v| format!("{v:?}"));
        if let Ok(sub) = r {
            let listed = s
                .subscriptions()
                .await?
                .into_iter()
                .find(|x| x.id == sub.id);
            println!("      listed as {listed:?}");
            let r = s
                .rename_subscription(&sub.id, "Duizhao check renamed")
                .await;
            step("rename", t, &r, |_| String::new());
            let r = s.move_subscription(&sub.id, "Duizhao 2").await;
            step("move", t, &r, |_| String::new());
            let listed = s
                .subscriptions()
                .await?
                .into_iter()
                .find(|x| x.id == sub.id);
            println!("      listed as {listed:?}");
            let r = s
                .mark_all_read(&duizhao_sync::MarkScope::Feed(sub.id.clone()), 1)
                .await;
            step("mark feed read (1970)", t, &r, |_| String::new());
            let r = s.unsubscribe(&sub.id).await;
            step("unsubscribe", t, &r, |_| String::new());
            let gone = s.subscriptions().await?.iter().all(|x| x.id != sub.id);
            println!("{}  unsubscribed", if gone { "ok   " } else { "FAIL " });
        }
    }
    Ok(())
}
