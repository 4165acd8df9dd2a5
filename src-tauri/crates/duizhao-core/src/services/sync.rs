//! The pure half of syncing with a feed server: checking an account's settings, turning the
//! server's items into articles through the same pipeline as feed items (`services::items`),
//! and grouping queued changes into the fewest requests. No network, no database.

use std::collections::{BTreeMap, HashMap};

use duizhao_feed::ParsedItem;
use duizhao_sync::{AccountSettings, Item, ItemId, ServiceKind};

use crate::error::{CoreError, Result};
use crate::services::ingest::clean::CleanRules;
use crate::services::items::item_key;
use crate::store::articles::{Flag, NewArticle};
use crate::store::sync_queue::{Change, Queued};

/// Longest URL and user name accepted for an account.
const MAX_FIELD_CHARS: usize = 2048;

/// Checks an account's settings: a known kind, an `https://` URL (plain `http://` only to this
/// machine, so the password never travels in clear) without credentials in it, a user name.
pub fn account(kind: &str, url: &str, user: &str) -> Result<AccountSettings> {
    let kind = ServiceKind::parse(kind.trim()).ok_or_else(|| {
        CoreError::InvalidInput(format!(
            "unknown account kind `{kind}`; known: greader, fever"
        ))
    })?;
    let (url, user) = (url.trim(), user.trim());
    if user.is_empty() || user.chars().count() > MAX_FIELD_CHARS {
        return Err(CoreError::InvalidInput(
            "the account needs a user name (at most 2048 characters)".into(),
        ));
    }
    if url.chars().count() > MAX_FIELD_CHARS {
        return Err(CoreError::InvalidInput(
            "the server URL is longer than 2048 characters".into(),
        ));
    }
    let parsed = url::Url::parse(url).map_err(|_| {
        CoreError::InvalidInput(format!(
            "`{url}` is not a URL; give the server's https:// address"
        ))
    })?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(CoreError::InvalidInput(
            "put the user name in --user (and the password in the keyring or \
             DUIZHAO_SYNC_PASSWORD), not in the URL"
                .into(),
        ));
    }
    let loopback = duizhao_translate::endpoint::is_loopback(&parsed);
    match parsed.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(CoreError::InvalidInput(format!(
                "refusing to send the sync password over plain HTTP to {}: use the server's \
                 https:// address (plain http:// is allowed only for this machine)",
                parsed.host_str().unwrap_or("")
            )));
        }
        other => {
            return Err(CoreError::InvalidInput(format!(
                "`{other}:` is not a server address; give an https:// URL"
            )));
        }
    }
    Ok(AccountSettings {
        kind,
        url: url.to_owned(),
        user: user.to_owned(),
    })
}

/// The keyring entry holding an account's password: one per server and user, so a password
/// is never sent to another server than the one it was given for.
pub fn keyring_name(account: &AccountSettings) -> String {
    format!(
        "sync:{}:{}@{}",
        account.kind.as_str(),
        account.user,
        account.url
    )
}

/// A server item as a feed item, for the shared ingest pipeline. Its dedupe key carries the
/// server id (`sync:<id>`), so a deleted synced article is recognised by it.
pub fn parsed_item(item: &Item) -> ParsedItem {
    ParsedItem {
        guid: Some(item.id.to_string()),
        url: item.url.clone(),
        title: item.title.clone(),
        published: item.published.map(|s| s.saturating_mul(1000)),
        author: item.author.clone(),
        content_html: Some(item.html.clone()),
        summary_html: None,
        image_urls: Vec::new(),
        dedupe_key: format!("sync:{}", item.id),
    }
}

/// A server item ready to store: the article, its server id and state.
#[derive(Debug, Clone)]
pub struct ItemArticle {
    /// The article (sanitised blocks, language, title).
    pub article: NewArticle,
    /// The server's id.
    pub sync_id: i64,
    /// Read on the server.
    pub read: bool,
    /// Starred on the server.
    pub starred: bool,
}

/// Ingests server items (pure, CPU-bound, spread over the cores as a refresh's are): each goes
/// through the feed item pipeline under the local feed of its subscription. Items of a
/// subscription the library does not know are returned apart (the next sync, with fresh
/// subscriptions, fetches them again).
pub fn items_to_articles(
    items: &[Item],
    feeds: &BTreeMap<String, i64>,
) -> (Vec<ItemArticle>, Vec<ItemId>) {
    let rules = CleanRules::default();
    let mut by_feed: BTreeMap<i64, Vec<&Item>> = BTreeMap::new();
    let mut orphans = Vec::new();
    for item in items {
        match feeds.get(&item.feed_id) {
            Some(&feed_id) => by_feed.entry(feed_id).or_default().push(item),
            None => orphans.push(item.id),
        }
    }
    let mut out = Vec::with_capacity(items.len());
    for (feed_id, items) in by_feed {
        let parsed: Vec<ParsedItem> = items.iter().map(|i| parsed_item(i)).collect();
        let bodies = vec![None; parsed.len()];
        // Matched back by key, not by position: a worker that panics loses its share.
        let by_key: HashMap<String, &Item> = parsed
            .iter()
            .zip(&items)
            .map(|(p, i)| (item_key(feed_id, p), *i))
            .collect();
        let articles = crate::services::items::items_to_articles(feed_id, &parsed, &bodies, &rules);
        out.extend(articles.into_iter().filter_map(|article| {
            let item = by_key.get(&article.dedupe_key)?;
            Some(ItemArticle {
                sync_id: item.id.0,
                read: item.read,
                starred: item.starred,
                article,
            })
        }));
    }
    (out, orphans)
}

/// A group of queued changes sent in one request: the same field set to the same value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendGroup {
    /// The field.
    pub flag: Flag,
    /// Its new value.
    pub value: bool,
    /// The server ids.
    pub items: Vec<ItemId>,
    /// The queue entries this group covers (removed once the server acknowledged it).
    pub seqs: Vec<i64>,
}

/// One request (or a few, for a large group) of a sync's sending step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendStep {
    /// Read/starred changes of items, grouped.
    Flags(SendGroup),
    /// One feed-level change ("mark all as read", a subscription edit).
    Feed(Queued),
}

/// Groups the queue (oldest first) into requests, in order: the read/starred changes between
/// two feed-level changes are grouped (see [`send_groups`]), each feed-level change is sent on
/// its own where it stands, so an item marked unread after "mark all as read" stays unread.
pub fn send_plan(queue: &[Queued]) -> Vec<SendStep> {
    let mut steps = Vec::new();
    let mut run: Vec<Queued> = Vec::new();
    for q in queue {
        if matches!(q.change, Change::Flag { .. }) {
            run.push(q.clone());
        } else {
            steps.extend(send_groups(&run).into_iter().map(SendStep::Flags));
            run.clear();
            steps.push(SendStep::Feed(q.clone()));
        }
    }
    steps.extend(send_groups(&run).into_iter().map(SendStep::Flags));
    steps
}

/// Groups read/starred changes (oldest first; other changes are ignored) into requests. Only
/// the latest change of each item and field is sent; the earlier ones are acknowledged with
/// it. Groups come in the order of their first change.
pub fn send_groups(queue: &[Queued]) -> Vec<SendGroup> {
    let mut latest: BTreeMap<(i64, &str), (bool, Vec<i64>, i64)> = BTreeMap::new();
    for q in queue {
        let Change::Flag {
            item_id,
            flag,
            value,
            ..
        } = q.change
        else {
            continue;
        };
        let e = latest
            .entry((item_id, flag.as_str()))
            .or_insert((value, Vec::new(), q.seq));
        e.0 = value;
        e.1.push(q.seq);
        e.2 = q.seq;
    }
    let mut by_change: Vec<(i64, i64, Flag, bool, Vec<i64>)> = latest
        .into_iter()
        .filter_map(|((item, field), (value, seqs, last))| {
            Flag::parse(field).map(|f| (last, item, f, value, seqs))
        })
        .collect();
    by_change.sort_by_key(|c| c.0);
    let mut groups: Vec<SendGroup> = Vec::new();
    for (_, item, flag, value, seqs) in by_change {
        match groups
            .iter_mut()
            .find(|g| g.flag == flag && g.value == value)
        {
            Some(g) => {
                g.items.push(ItemId(item));
                g.seqs.extend(seqs);
            }
            None => groups.push(SendGroup {
                flag,
                value,
                items: vec![ItemId(item)],
                seqs,
            }),
        }
    }
    groups
}

/// A queued read/starred change whose outcome depends on the server: the reader changed it
/// back (value = base), so it differs from the server only if the server changed meanwhile.
pub fn is_ambiguous(q: &Queued) -> bool {
    matches!(q.change, Change::Flag { value, base, .. } if value == base)
}

/// What to do with a queued read/starred change, given the item as the server has it now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// Send it: the server has not changed the field since the last sync, or when it did is
    /// not known (the change made here wins; see docs/SYNC.md).
    Send,
    /// Nothing to send: the server already has this value, or changed it later than it was
    /// changed here (latest wins); the server's value is applied here.
    Drop,
}

/// "Latest wins" for one queued read/starred change: `server` is the field's value on the
/// server and when the server last changed the item (Unix seconds, when it says), `None` when
/// the server no longer has the item.
pub fn resolve(q: &Queued, server: Option<(bool, Option<i64>)>) -> Resolution {
    let Change::Flag { value, base, .. } = q.change else {
        return Resolution::Send;
    };
    let Some((now, updated)) = server else {
        return Resolution::Send;
    };
    if now == value {
        return Resolution::Drop;
    }
    // The server differs from the value wanted here. If it still has the value it had at the
    // last sync, only this side changed; otherwise both did, and the later change wins.
    if now != base
        && let Some(updated) = updated
        && updated.saturating_mul(1000) > q.queued_ms
    {
        return Resolution::Drop;
    }
    Resolution::Send
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(seq: i64, item_id: i64, flag: Flag, value: bool) -> Queued {
        Queued {
            seq,
            queued_ms: seq * 1000,
            change: Change::Flag {
                item_id,
                flag,
                value,
                base: !value,
            },
        }
    }

    #[test]
    fn feed_level_changes_split_the_item_changes_around_them_in_order() {
        let mark = Queued {
            seq: 3,
            queued_ms: 3000,
            change: Change::MarkAllRead {
                scope: crate::store::sync_queue::QueuedScope::All,
                before: 3,
            },
        };
        let plan = send_plan(&[
            q(1, 7, Flag::Read, false),
            q(2, 8, Flag::Read, false),
            mark.clone(),
            q(4, 7, Flag::Read, false),
        ]);
        assert_eq!(
            plan,
            vec![
                SendStep::Flags(SendGroup {
                    flag: Flag::Read,
                    value: false,
                    items: vec![ItemId(7), ItemId(8)],
                    seqs: vec![1, 2]
                }),
                SendStep::Feed(mark),
                SendStep::Flags(SendGroup {
                    flag: Flag::Read,
                    value: false,
                    items: vec![ItemId(7)],
                    seqs: vec![4]
                }),
            ],
            "item 7 marked unread after \"mark all as read\" must be sent after it, or the \
             server would end with it read"
        );
    }

    #[test]
    fn the_later_of_two_conflicting_changes_wins_when_the_server_says_when() {
        // Made here at t = 10 s: marked read, then unread again (value = base = unread).
        let back = Queued {
            seq: 1,
            queued_ms: 10_000,
            change: Change::Flag {
                item_id: 7,
                flag: Flag::Read,
                value: false,
                base: false,
            },
        };
        assert!(is_ambiguous(&back));
        assert_eq!(
            resolve(&back, Some((true, Some(20)))),
            Resolution::Drop,
            "read elsewhere at 20 s, after the change here: the server's read wins"
        );
        assert_eq!(
            resolve(&back, Some((true, Some(5)))),
            Resolution::Send,
            "read elsewhere at 5 s, before the change here: unread is sent"
        );
        assert_eq!(
            resolve(&back, Some((true, None))),
            Resolution::Send,
            "no date from the server (FreshRSS, Fever): the change made here wins"
        );
        assert_eq!(
            resolve(&back, Some((false, Some(20)))),
            Resolution::Drop,
            "the server already has it: nothing to send"
        );
        assert_eq!(
            resolve(&back, None),
            Resolution::Send,
            "gone from the server"
        );
        // A plain change (value differs from base) on an unchanged server is sent.
        let plain = q(2, 8, Flag::Starred, true);
        assert!(!is_ambiguous(&plain));
        assert_eq!(resolve(&plain, Some((false, Some(99)))), Resolution::Send);
    }

    #[test]
    fn the_latest_change_of_an_item_wins_and_covers_the_earlier_ones() {
        let groups = send_groups(&[
            q(1, 7, Flag::Read, true),
            q(2, 8, Flag::Starred, true),
            q(3, 7, Flag::Read, false),
            q(4, 9, Flag::Read, false),
        ]);
        assert_eq!(
            groups,
            vec![
                SendGroup {
                    flag: Flag::Starred,
                    value: true,
                    items: vec![ItemId(8)],
                    seqs: vec![2]
                },
                SendGroup {
                    flag: Flag::Read,
                    value: false,
                    items: vec![ItemId(7), ItemId(9)],
                    seqs: vec![1, 3, 4]
                },
            ],
            "item 7 was marked read then unread: only unread is sent, and both entries go with it"
        );
    }

    #[test]
    fn accounts_refuse_passwords_in_clear_and_credentials_in_urls() {
        assert!(
            account(
                "greader",
                "https://rss.example.org/api/greader.php",
                "alice"
            )
            .is_ok()
        );
        assert!(account("fever", "http://127.0.0.1:8080/fever/", "bob").is_ok());
        for (kind, url, user) in [
            ("greader", "http://rss.example.org/", "alice"),
            ("greader", "https://alice:pw@rss.example.org/", "alice"),
            ("greader", "ftp://rss.example.org/", "alice"),
            ("greader", "https://rss.example.org/", " "),
            ("miniflux", "https://rss.example.org/", "alice"),
        ] {
            let err = account(kind, url, user).unwrap_err();
            assert!(
                matches!(err, CoreError::InvalidInput(_)),
                "{kind} {url} {user:?} must be refused before any password is sent: {err:?}"
            );
        }
    }
}
