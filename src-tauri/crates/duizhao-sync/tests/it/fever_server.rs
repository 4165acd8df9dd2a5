//! A loopback Fever API server holding state, following coldsweat's `fever/routes.py`
//! (the real server the ignored end-to-end test runs): `?api` required; `api_key` from the
//! body; commands from the query or the body; `items`' `since_id`/`max_id`/`with_ids` from
//! the query only (at most 50); `mark`'s fields from the body only; ids as numbers, id lists
//! as comma-separated strings; `auth: 0` for a wrong key. Faults: 5xx, garbage JSON.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

#[derive(Debug, Clone)]
pub struct FvItem {
    pub feed: i64,
    pub title: String,
    pub html: String,
    pub url: String,
    pub created: i64,
    pub read: bool,
    pub saved: bool,
}

/// Query or form fields, in order.
pub type Fields = Vec<(String, String)>;

#[derive(Debug, Default)]
pub struct FeverState {
    pub api_key: String,
    pub items: BTreeMap<i64, FvItem>,
    /// feed id → (title, url, group id)
    pub feeds: BTreeMap<i64, (String, String, i64)>,
    pub groups: BTreeMap<i64, String>,
    pub fail_5xx: u32,
    pub garbage_json: bool,
    /// Ids sent as JSON strings (FreshRSS's Fever API does so).
    pub string_ids: bool,
    /// (path, query, form) of every request.
    pub requests: Vec<(String, Fields, Fields)>,
}

pub struct FeverServer {
    pub url: String,
    pub state: Arc<Mutex<FeverState>>,
}

pub const USER: &str = "bob@example.org";
pub const PASSWORD: &str = "fever pitch";

impl FeverServer {
    pub async fn start(items: usize) -> FeverServer {
        let mut st = FeverState {
            // md5("bob@example.org:fever pitch"), as coldsweat's User.make_fever_api_key.
            api_key: md5_hex(&format!("{USER}:{PASSWORD}")),
            ..FeverState::default()
        };
        st.groups.insert(1, "News".into());
        st.groups.insert(2, "Tech".into());
        st.feeds.insert(
            10,
            ("News".into(), "https://news.example.org/feed".into(), 1),
        );
        st.feeds.insert(
            11,
            ("Tech".into(), "https://tech.example.org/feed".into(), 2),
        );
        st.feeds.insert(
            12,
            ("Blog".into(), "https://blog.example.org/feed".into(), 2),
        );
        for n in 0..items as i64 {
            st.items.insert(
                n + 1,
                FvItem {
                    feed: 10 + n % 3,
                    title: format!("Item {n}"),
                    html: format!("<p>Item {n}</p>"),
                    url: format!("https://news.example.org/a/{n}"),
                    created: 1_700_000_000 + n * 60,
                    read: n % 3 == 0,
                    saved: n % 10 == 0,
                },
            );
        }
        let state = Arc::new(Mutex::new(st));
        let app = Router::new().fallback(handle).with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/fever/", listener.local_addr().unwrap());
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        FeverServer { url, state }
    }

    pub fn with<R>(&self, f: impl FnOnce(&mut FeverState) -> R) -> R {
        f(&mut self.state.lock().unwrap())
    }
}

fn md5_hex(s: &str) -> String {
    duizhao_sync::fever::api_key(
        s.split_once(':').unwrap().0,
        &duizhao_sync::Secret::new(s.split_once(':').unwrap().1),
    )
    .expose()
    .to_owned()
}

fn first<'a>(p: &'a [(String, String)], k: &str) -> Option<&'a str> {
    p.iter().find(|(kk, _)| kk == k).map(|(_, v)| v.as_str())
}

async fn handle(State(state): State<Arc<Mutex<FeverState>>>, uri: Uri, body: Bytes) -> Response {
    let query: Vec<(String, String)> = form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
        .into_owned()
        .collect();
    let form: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let mut st = state.lock().unwrap();
    st.requests
        .push((uri.path().to_owned(), query.clone(), form.clone()));
    if uri.path() != "/fever/" || first(&query, "api").is_none() {
        return (StatusCode::BAD_REQUEST, "Bad Request").into_response();
    }
    if st.fail_5xx > 0 {
        st.fail_5xx -= 1;
        return (StatusCode::BAD_GATEWAY, "Bad Gateway").into_response();
    }
    if std::mem::take(&mut st.garbage_json) {
        return (
            StatusCode::OK,
            [("content-type", "application/json")],
            "{\"api_version\":3,\"auth\":1,\"items\":[{",
        )
            .into_response();
    }
    let mut result = json!({"api_version": 3, "auth": 0});
    if first(&form, "api_key").map(str::to_lowercase) != Some(st.api_key.clone()) {
        return reply(result);
    }
    result["auth"] = json!(1);
    let values = |k: &str| first(&query, k).or_else(|| first(&form, k));
    let id = |st: &FeverState, i: i64| {
        if st.string_ids {
            json!(i.to_string())
        } else {
            json!(i)
        }
    };
    let feeds_groups = |st: &FeverState| -> Value {
        st.groups
            .keys()
            .map(|g| {
                let ids: Vec<String> = st
                    .feeds
                    .iter()
                    .filter(|(_, f)| f.2 == *g)
                    .map(|(i, _)| i.to_string())
                    .collect();
                json!({"group_id": g, "feed_ids": ids.join(",")})
            })
            .collect()
    };
    if values("groups").is_some() {
        result["groups"] = st
            .groups
            .iter()
            .map(|(i, t)| json!({"id": id(&st, *i), "title": t}))
            .collect();
        result["feeds_groups"] = feeds_groups(&st);
    }
    if values("feeds").is_some() {
        result["feeds"] = st
            .feeds
            .iter()
            .map(|(i, f)| json!({"id": id(&st, *i), "favicon_id": i, "title": f.0, "url": f.1, "site_url": f.1.replace("/feed", "/"), "is_spark": 0, "last_updated_on_time": 0}))
            .collect();
        result["feeds_groups"] = feeds_groups(&st);
    }
    if values("unread_item_ids").is_some() {
        let ids: Vec<String> = st
            .items
            .iter()
            .filter(|(_, i)| !i.read)
            .map(|(k, _)| k.to_string())
            .collect();
        result["unread_item_ids"] = json!(ids.join(","));
    }
    if values("saved_item_ids").is_some() {
        let ids: Vec<String> = st
            .items
            .iter()
            .filter(|(_, i)| i.saved)
            .map(|(k, _)| k.to_string())
            .collect();
        result["saved_item_ids"] = json!(ids.join(","));
    }
    if values("items").is_some() {
        result["total_items"] = json!(st.items.len());
        let to_json = |st: &FeverState, (k, i): (&i64, &FvItem)| {
            json!({"id": id(st, *k), "feed_id": i.feed, "title": i.title, "author": "", "html": i.html, "url": i.url,
                   "is_saved": i.saved as i32, "is_read": i.read as i32, "created_on_time": i.created})
        };
        let items: Vec<Value> =
            if let Some(since) = first(&query, "since_id").and_then(|s| s.parse::<i64>().ok()) {
                st.items
                    .range(since + 1..)
                    .take(50)
                    .map(|e| to_json(&st, e))
                    .collect()
            } else if let Some(max) = first(&query, "max_id").and_then(|s| s.parse::<i64>().ok()) {
                if max == 0 {
                    vec![]
                } else {
                    st.items
                        .range(..max)
                        .rev()
                        .take(50)
                        .map(|e| to_json(&st, e))
                        .collect()
                }
            } else if let Some(with) = first(&query, "with_ids") {
                let ids: Vec<i64> = with
                    .split(',')
                    .filter_map(|s| s.parse().ok())
                    .take(50)
                    .collect();
                ids.iter()
                    .filter_map(|k| st.items.get_key_value(k))
                    .map(|e| to_json(&st, e))
                    .collect()
            } else {
                st.items.iter().take(50).map(|e| to_json(&st, e)).collect()
            };
        result["items"] = json!(items);
    }
    if values("mark").is_some() {
        let (Some(mark), Some(as_), Some(oid)) = (
            first(&form, "mark"),
            first(&form, "as"),
            first(&form, "id").and_then(|i| i.parse::<i64>().ok()),
        ) else {
            return (StatusCode::BAD_REQUEST, "Bad Request").into_response();
        };
        match (mark, as_) {
            ("item", _) => {
                let Some(item) = st.items.get_mut(&oid) else {
                    return (StatusCode::NOT_FOUND, "Not Found").into_response();
                };
                match as_ {
                    "read" => item.read = true,
                    "unread" => item.read = false,
                    "saved" => item.saved = true,
                    "unsaved" => item.saved = false,
                    _ => return (StatusCode::BAD_REQUEST, "Bad Request").into_response(),
                }
            }
            ("feed" | "group", "read") => {
                let Some(before) = first(&form, "before").and_then(|b| b.parse::<i64>().ok())
                else {
                    return (StatusCode::BAD_REQUEST, "Bad Request").into_response();
                };
                let feeds: Vec<i64> = match mark {
                    "feed" => vec![oid],
                    _ if oid == 0 => st.feeds.keys().copied().collect(),
                    _ => st
                        .feeds
                        .iter()
                        .filter(|(_, f)| f.2 == oid)
                        .map(|(i, _)| *i)
                        .collect(),
                };
                for i in st.items.values_mut() {
                    if feeds.contains(&i.feed) && i.created < before {
                        i.read = true;
                    }
                }
            }
            _ => return (StatusCode::BAD_REQUEST, "Bad Request").into_response(),
        }
    }
    result["last_refreshed_on_time"] = json!(1_700_000_000);
    reply(result)
}

fn reply(v: Value) -> Response {
    (
        StatusCode::OK,
        [("content-type", "application/json")],
        v.to_string(),
    )
        .into_response()
}
