//! The Fever API client (Fever 1.x, as FreshRSS, Miniflux, Tiny Tiny RSS plugins and
//! coldsweat serve it).
//!
//! Every request is a POST to the endpoint with `api` and the command in the query string
//! and `api_key = md5("user:password")` in the body: coldsweat (`fever/routes.py`) reads
//! `items`' `since_id`/`max_id`/`with_ids` from the query string only and `mark`'s fields from
//! the body only, and keeping the key out of the URL keeps it out of server logs. An answer
//! with `auth: 0` means the key is wrong. The API has no subscription editing
//! ([`SyncError::Unsupported`]), lists no ids without contents, marks one item per request
//! (a few run at once here), and pages items 50 at a time by id.
//!
//! Servers differ in small ways this client absorbs: ids are numbers or strings (FreshRSS
//! sends strings), flags are 0/1 or booleans, id lists are comma-separated strings or arrays.

use std::collections::{HashMap, HashSet};

use async_trait::async_trait;
use futures_util::StreamExt;
use md5::{Digest, Md5};
use serde_json::Value;
use url::Url;

use crate::error::SyncError;
use crate::http::{Http, HttpOptions, Retry, json, parse_server_url, status_error};
use crate::model::{
    FetchSummary, Folder, Item, ItemId, MarkScope, OnBatch, RecentQuery, ServiceKind, Subscribed,
    Subscription, SyncService,
};
use crate::secret::Secret;

/// Most items the API returns per `items` request, and most ids in `with_ids`.
pub const PAGE: usize = 50;

/// Bounds of a [`FeverClient`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeverOptions {
    /// `mark` requests in flight at once.
    pub mark_concurrency: usize,
    /// Most items one [`SyncService::recent_items`] pages through.
    pub max_items: usize,
}

impl Default for FeverOptions {
    fn default() -> Self {
        FeverOptions {
            mark_concurrency: 4,
            max_items: 1_000_000,
        }
    }
}

/// The Fever API key of a user: lower-case hex `md5("user:password")`.
pub fn api_key(user: &str, password: &Secret) -> Secret {
    let digest = Md5::digest(format!("{}:{}", user, password.expose()).as_bytes());
    Secret::new(
        digest
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>(),
    )
}

/// A Fever API client.
#[derive(Debug)]
pub struct FeverClient {
    http: Http,
    endpoint: Url,
    api_key: Secret,
    password: Secret,
    opts: FeverOptions,
}

impl FeverClient {
    /// A client for the endpoint (e.g. `https://host/fever/`, `https://host/api/fever.php`).
    pub fn new(
        endpoint: &str,
        user: &str,
        password: Secret,
        http: HttpOptions,
        opts: FeverOptions,
    ) -> Result<FeverClient, SyncError> {
        // `?api` is added to every request; a pasted `?api` is dropped rather than doubled.
        let u = parse_server_url(endpoint, "Fever endpoint")?;
        Ok(FeverClient {
            http: Http::new(http)?,
            endpoint: u,
            api_key: api_key(user.trim(), &password),
            password,
            opts,
        })
    }

    /// One API call: `query` after `?api`, `form` beside the key. Returns the JSON object
    /// once `auth` says 1.
    async fn call(
        &self,
        what: &'static str,
        query: &[(&str, String)],
        form: &[(&str, String)],
    ) -> Result<serde_json::Map<String, Value>, SyncError> {
        let mut url = self.endpoint.clone();
        {
            // `?api&items&since_id=3`: bare keys as the API documents them.
            let mut q = String::from("api");
            for (k, v) in query {
                q.push('&');
                q.push_str(&url::form_urlencoded::byte_serialize(k.as_bytes()).collect::<String>());
                if !v.is_empty() {
                    q.push('=');
                    q.push_str(
                        &url::form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>(),
                    );
                }
            }
            url.set_query(Some(&q));
        }
        let body = {
            let mut ser = url::form_urlencoded::Serializer::new(String::new());
            ser.append_pair("api_key", self.api_key.expose());
            for (k, v) in form {
                ser.append_pair(k, v);
            }
            ser.finish()
        };
        let reply = self
            .http
            .send(what, Retry::Safe, &[&self.api_key, &self.password], |c| {
                c.post(url.clone())
                    .header(
                        reqwest::header::CONTENT_TYPE,
                        "application/x-www-form-urlencoded",
                    )
                    .body(body.clone())
            })
            .await?;
        match reply.status.as_u16() {
            200..=299 => {}
            401 | 403 => return Err(SyncError::Auth),
            400 | 404 if !form.is_empty() => {
                return Err(SyncError::Rejected(format!(
                    "{what}: the server refused the request (HTTP {})",
                    reply.status.as_u16()
                )));
            }
            _ => return Err(status_error(&reply)),
        }
        let v: Value = json(&reply.body, what)?;
        let Value::Object(map) = v else {
            return Err(SyncError::Protocol(format!(
                "{what}: the answer is not a JSON object"
            )));
        };
        match map.get("auth").and_then(as_bool) {
            Some(true) => Ok(map),
            Some(false) => Err(SyncError::Auth),
            None => Err(SyncError::Protocol(format!(
                "{what}: no `auth` field; is this a Fever endpoint?"
            ))),
        }
    }

    async fn id_list(&self, command: &'static str) -> Result<Vec<ItemId>, SyncError> {
        let map = self.call(command, &[(command, String::new())], &[]).await?;
        let v = map.get(command).ok_or_else(|| {
            SyncError::Protocol(format!("{command}: the answer has no `{command}`"))
        })?;
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for id in id_list(v)
            .ok_or_else(|| SyncError::Protocol(format!("{command}: not a list of ids")))?
        {
            if seen.insert(id) {
                out.push(id);
            }
        }
        Ok(out)
    }

    /// One `items` request; `(items, total_items)`.
    async fn items_page(
        &self,
        query: (&str, String),
    ) -> Result<(Vec<Item>, Option<usize>), SyncError> {
        let map = self
            .call("items", &[("items", String::new()), query], &[])
            .await?;
        let total = map
            .get("total_items")
            .and_then(as_i64)
            .and_then(|t| usize::try_from(t).ok());
        let items = match map.get("items") {
            Some(Value::Array(a)) => a.iter().filter_map(item_from_json).collect(),
            Some(Value::Null) | None => Vec::new(),
            Some(_) => return Err(SyncError::Protocol("items: `items` is not a list".into())),
        };
        Ok((items, total))
    }

    async fn mark_each(&self, ids: &[ItemId], as_: &'static str) -> Result<(), SyncError> {
        let mut seen = HashSet::new();
        let ids: Vec<ItemId> = ids.iter().copied().filter(|i| seen.insert(*i)).collect();
        let results: Vec<Result<(), SyncError>> = futures_util::stream::iter(ids)
            .map(|id| async move {
                self.call(
                    "mark",
                    &[("mark", String::new())],
                    &[
                        ("mark", "item".to_owned()),
                        ("as", as_.to_owned()),
                        ("id", id.0.to_string()),
                    ],
                )
                .await
                .map(|_| ())
                .or_else(|e| match e {
                    // coldsweat answers 404 for an item it no longer has; like the Google Reader
                    // servers, which ignore unknown ids, there is nothing left to mark, and a
                    // queued change must not stay stuck on it.
                    SyncError::Rejected(_) => {
                        tracing::debug!(id = id.0, "item unknown to the Fever server; not marked");
                        Ok(())
                    }
                    e => Err(e),
                })
            })
            .buffer_unordered(self.opts.mark_concurrency.max(1))
            .collect()
            .await;
        results.into_iter().collect()
    }
}

#[async_trait]
impl SyncService for FeverClient {
    fn kind(&self) -> ServiceKind {
        ServiceKind::Fever
    }

    async fn login(&self) -> Result<(), SyncError> {
        self.call("api", &[], &[]).await.map(|_| ())
    }

    async fn folders(&self) -> Result<Vec<Folder>, SyncError> {
        let map = self
            .call("groups", &[("groups", String::new())], &[])
            .await?;
        let groups = map
            .get("groups")
            .and_then(Value::as_array)
            .ok_or_else(|| SyncError::Protocol("groups: no `groups` list".into()))?;
        Ok(groups
            .iter()
            .filter_map(|g| {
                Some(Folder {
                    id: as_i64(g.get("id")?)?.to_string(),
                    title: g
                        .get("title")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned(),
                })
            })
            .collect())
    }

    async fn subscriptions(&self) -> Result<Vec<Subscription>, SyncError> {
        let map = self.call("feeds", &[("feeds", String::new())], &[]).await?;
        let feeds = map
            .get("feeds")
            .and_then(Value::as_array)
            .ok_or_else(|| SyncError::Protocol("feeds: no `feeds` list".into()))?;
        let mut groups_of: HashMap<i64, Vec<String>> = HashMap::new();
        for fg in map
            .get("feeds_groups")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(group) = fg.get("group_id").and_then(as_i64) else {
                continue;
            };
            for feed in fg.get("feed_ids").and_then(id_list).unwrap_or_default() {
                groups_of.entry(feed.0).or_default().push(group.to_string());
            }
        }
        Ok(feeds
            .iter()
            .filter_map(|f| {
                let id = as_i64(f.get("id")?)?;
                let s = |k: &str| {
                    f.get(k)
                        .and_then(Value::as_str)
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                };
                let feed_url = s("url").unwrap_or_default();
                Some(Subscription {
                    id: id.to_string(),
                    title: s("title").unwrap_or_else(|| feed_url.clone()),
                    feed_url,
                    site_url: s("site_url"),
                    folder_ids: groups_of.remove(&id).unwrap_or_default(),
                })
            })
            .collect())
    }

    async fn unread_ids(&self) -> Result<Vec<ItemId>, SyncError> {
        self.id_list("unread_item_ids").await
    }

    async fn starred_ids(&self) -> Result<Vec<ItemId>, SyncError> {
        self.id_list("saved_item_ids").await
    }

    async fn recent_ids(&self, _since: Option<i64>) -> Result<Vec<ItemId>, SyncError> {
        Err(SyncError::Unsupported(
            "listing item ids without their contents",
        ))
    }

    async fn fetch_items(
        &self,
        ids: &[ItemId],
        on_batch: &mut OnBatch<'_>,
    ) -> Result<FetchSummary, SyncError> {
        let mut seen = HashSet::new();
        let ids: Vec<ItemId> = ids.iter().copied().filter(|i| seen.insert(*i)).collect();
        let mut summary = FetchSummary::default();
        for chunk in ids.chunks(PAGE) {
            let list = chunk
                .iter()
                .map(|i| i.0.to_string())
                .collect::<Vec<_>>()
                .join(",");
            let (items, _) = self.items_page(("with_ids", list)).await?;
            let wanted: HashSet<ItemId> = chunk.iter().copied().collect();
            let mut got = HashSet::new();
            let items: Vec<Item> = items
                .into_iter()
                .filter(|it| wanted.contains(&it.id) && got.insert(it.id))
                .collect();
            let missing: Vec<ItemId> = chunk.iter().copied().filter(|i| !got.contains(i)).collect();
            if summary.hand_over(items, missing, Some(ids.len()), on_batch) {
                break;
            }
        }
        Ok(summary)
    }

    async fn recent_items(
        &self,
        query: RecentQuery<'_>,
        on_batch: &mut OnBatch<'_>,
    ) -> Result<FetchSummary, SyncError> {
        // Fever pages upward from an id ("since_id … repeat until the items array is empty");
        // `max_id` paging downward is not served alike (coldsweat answers nothing for 0).
        let mut since_id = query.after_id.map_or(0, |i| i.0.max(0));
        let mut summary = FetchSummary::default();
        let mut seen_items = 0usize;
        loop {
            let (items, total) = self.items_page(("since_id", since_id.to_string())).await?;
            if items.is_empty() {
                return Ok(summary);
            }
            let next = items.iter().map(|i| i.id.0).max().unwrap_or(since_id);
            if next <= since_id {
                return Err(SyncError::Protocol(
                    "items: the server returned older items for since_id".into(),
                ));
            }
            seen_items += items.len();
            if seen_items > self.opts.max_items {
                return Err(SyncError::Protocol(format!(
                    "items: more than {} items",
                    self.opts.max_items
                )));
            }
            since_id = next;
            let keep: Vec<Item> = items
                .into_iter()
                .filter(|it| it.id.0 > query.after_id.map_or(i64::MIN, |a| a.0))
                .filter(|it| !(query.skip)(it.id))
                .filter(|it| match (query.since, it.published) {
                    (Some(since), Some(p)) => p >= since,
                    _ => true,
                })
                .collect();
            if summary.hand_over(keep, Vec::new(), total, on_batch) {
                return Ok(summary);
            }
        }
    }

    async fn mark_read(&self, ids: &[ItemId], read: bool) -> Result<(), SyncError> {
        self.mark_each(ids, if read { "read" } else { "unread" })
            .await
    }

    async fn mark_starred(&self, ids: &[ItemId], starred: bool) -> Result<(), SyncError> {
        self.mark_each(ids, if starred { "saved" } else { "unsaved" })
            .await
    }

    async fn mark_all_read(&self, scope: &MarkScope, before: i64) -> Result<(), SyncError> {
        if before <= 0 {
            return Ok(());
        }
        let (mark, id) = match scope {
            // Group 0 is the "Kindling" super group: everything.
            MarkScope::All => ("group", "0".to_owned()),
            MarkScope::Feed(id) => ("feed", id.clone()),
            MarkScope::Folder(id) => ("group", id.clone()),
        };
        if id.parse::<i64>().is_err() {
            return Err(SyncError::Rejected(format!(
                "{id:?} is not a Fever {mark} id"
            )));
        }
        self.call(
            "mark",
            &[("mark", String::new())],
            &[
                ("mark", mark.to_owned()),
                ("as", "read".to_owned()),
                ("id", id),
                ("before", before.to_string()),
            ],
        )
        .await
        .map(|_| ())
    }

    async fn subscribe(
        &self,
        _url: &str,
        _title: Option<&str>,
        _folder: Option<&str>,
    ) -> Result<Subscribed, SyncError> {
        Err(SyncError::Unsupported("editing subscriptions"))
    }

    async fn unsubscribe(&self, _feed_id: &str) -> Result<(), SyncError> {
        Err(SyncError::Unsupported("editing subscriptions"))
    }

    async fn rename_subscription(&self, _feed_id: &str, _title: &str) -> Result<(), SyncError> {
        Err(SyncError::Unsupported("editing subscriptions"))
    }

    async fn move_subscription(&self, _feed_id: &str, _folder: &str) -> Result<(), SyncError> {
        Err(SyncError::Unsupported("editing subscriptions"))
    }
}

fn as_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn as_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_i64().map(|n| n != 0),
        Value::String(s) => match s.trim() {
            "1" | "true" => Some(true),
            "0" | "false" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// `"1,2,3"`, `""` or `[1, "2"]`.
fn id_list(v: &Value) -> Option<Vec<ItemId>> {
    match v {
        Value::String(s) => s
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| p.parse().ok().map(ItemId))
            .collect(),
        Value::Array(a) => a.iter().map(|x| as_i64(x).map(ItemId)).collect(),
        Value::Null => Some(Vec::new()),
        _ => None,
    }
}

fn item_from_json(v: &Value) -> Option<Item> {
    let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    Some(Item {
        id: ItemId(as_i64(v.get("id")?)?),
        feed_id: v
            .get("feed_id")
            .and_then(as_i64)
            .map(|f| f.to_string())
            .unwrap_or_default(),
        title: s("title").unwrap_or_default(),
        url: s("url").filter(|u| !u.is_empty()),
        author: s("author").filter(|a| !a.trim().is_empty()),
        published: v.get("created_on_time").and_then(as_i64).filter(|t| *t > 0),
        html: s("html").unwrap_or_default(),
        read: v.get("is_read").and_then(as_bool).unwrap_or(false),
        starred: v.get("is_saved").and_then(as_bool).unwrap_or(false),
        updated: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_key_is_md5_of_user_colon_password() {
        // md5("user:pass"), computed independently with `printf 'user:pass' | md5sum`.
        assert_eq!(
            api_key("user", &Secret::new("pass")).expose(),
            "21a39285884a268d6458e3fdeb08beac"
        );
    }

    #[test]
    fn lenient_shapes() {
        assert_eq!(
            id_list(&Value::String("3, 1,2".into())),
            Some(vec![ItemId(3), ItemId(1), ItemId(2)])
        );
        assert_eq!(id_list(&Value::String(String::new())), Some(vec![]));
        assert_eq!(
            id_list(&serde_json::json!([1, "2"])),
            Some(vec![ItemId(1), ItemId(2)])
        );
        assert_eq!(id_list(&Value::String("1,x".into())), None);
        let it = item_from_json(&serde_json::json!({
            "id": "7", "feed_id": 2, "title": "t", "html": "<p>h</p>", "url": "https://x",
            "is_read": true, "is_saved": "1", "created_on_time": 1700000000
        }))
        .unwrap();
        assert_eq!(
            (it.id, it.feed_id.as_str(), it.read, it.starred),
            (ItemId(7), "2", true, true)
        );
    }
}
