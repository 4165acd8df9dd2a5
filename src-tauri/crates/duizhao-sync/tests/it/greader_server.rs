//! A loopback Google Reader API server in the two dialects our users run, holding state
//! (items, read/starred, feeds, folders) so tests can check that edits arrive, with fault
//! injection. Each dialect follows its server's source, not a generic reading of the API:
//!
//! - `FreshRss`: FreshRSS `p/api/greader.php` (commit 6c58b90518c3), mounted under
//!   `/api/greader.php`. Auth header checked on every request, POSTs included; `T` is a
//!   separate 57-character token checked on edit-tag and mark-all-as-read only; wrong
//!   credentials and wrong tokens both answer 401 `Google-Bad-Token: true`; ids are
//!   microsecond timestamps; continuation = last id, the next page starts with it again and
//!   drops it; `n` defaults to 20; contents in `summary` only; `output=json` required for
//!   the lists (501 otherwise); `ts` compared with ids; unknown paths 400.
//! - `Miniflux`: Miniflux `internal/googlereader` (commit 106cdd09e155), mounted at the root.
//!   GET auth by header only, POST auth by `T` only, `T` equal to Auth; 401 carries
//!   `X-Reader-Google-Bad-Token`; ids are serials; continuation = numeric offset; `it`
//!   ignored; `output=json` required on ids and contents; label tags refused by edit-tag;
//!   `ts` of 16+ digits is microseconds; unknown paths under `/reader/api/0/` answer `[]`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    FreshRss,
    Miniflux,
}

#[derive(Debug, Clone)]
pub struct FItem {
    pub id: i64,
    pub feed: i64,
    pub title: String,
    pub url: String,
    pub author: String,
    pub published: i64,
    pub html: String,
    pub read: bool,
    pub starred: bool,
    /// Miniflux `changed_at` (Unix s): set by every read/starred change; sent as `updated`.
    pub changed: i64,
}

#[derive(Debug, Clone)]
pub struct FFeed {
    pub title: String,
    pub url: String,
    pub site: String,
    pub folder: String,
}

/// Faults injected into the next matching requests.
#[derive(Debug, Default, Clone)]
pub struct Faults {
    /// Only requests whose path ends with this (`None`: any).
    pub path: Option<String>,
    /// The next authenticated request finds its Auth expired (rotated) and answers 401.
    pub expire_auth: bool,
    /// The next N POSTs that check `T` find it stale (rotated) and answer bad-token.
    pub bad_token: u32,
    /// The next N requests answer 503.
    pub fail_5xx: u32,
    /// `Retry-After` sent with those 503s.
    pub retry_after: Option<String>,
    /// The next JSON answer is garbage.
    pub garbage_json: bool,
    /// Items never returned by stream/items/contents (deleted between ids and contents).
    pub drop_items: Vec<i64>,
    /// The next N answers break off in the middle of the body.
    pub abort_body: u32,
}

#[derive(Debug, Clone)]
pub struct Logged {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub form: Vec<(String, String)>,
    pub authorization: Option<String>,
    pub status: u16,
}

#[derive(Debug)]
pub struct ServerState {
    pub dialect: Dialect,
    pub user: String,
    pub password: String,
    pub auth_gen: u64,
    pub token_gen: u64,
    pub items: BTreeMap<i64, FItem>,
    pub feeds: BTreeMap<i64, FFeed>,
    pub folders: BTreeSet<String>,
    pub next_feed: i64,
    pub faults: Faults,
    pub log: Vec<Logged>,
    pub logins: u32,
    /// Miniflux: endpoints this (older) server lacks, which fall to the `[]` fallback.
    pub missing_endpoints: Vec<String>,
}

impl ServerState {
    pub fn auth(&self) -> String {
        match self.dialect {
            Dialect::FreshRss => {
                format!("{}/{:040x}", self.user, 0xabcdef_u64 * (self.auth_gen + 1))
            }
            Dialect::Miniflux => format!("{}/{:064x}", self.user, 0x5eed_u64 * (self.auth_gen + 7)),
        }
    }

    /// FreshRSS: sha1-like, padded with Z to 57 characters; Miniflux: the Auth itself.
    pub fn token(&self) -> String {
        match self.dialect {
            Dialect::FreshRss => format!(
                "{:040x}",
                0x7017e_u64 * (self.token_gen + 3) + self.auth_gen
            )
            .chars()
            .chain(std::iter::repeat('Z'))
            .take(57)
            .collect(),
            Dialect::Miniflux => self.auth(),
        }
    }

    pub fn unread(&self) -> BTreeSet<i64> {
        self.items
            .values()
            .filter(|i| !i.read)
            .map(|i| i.id)
            .collect()
    }

    pub fn starred(&self) -> BTreeSet<i64> {
        self.items
            .values()
            .filter(|i| i.starred)
            .map(|i| i.id)
            .collect()
    }

    pub fn requests_to(&self, path_end: &str) -> Vec<Logged> {
        self.log
            .iter()
            .filter(|l| l.path.ends_with(path_end))
            .cloned()
            .collect()
    }

    pub fn feed_id_by_url(&self, url: &str) -> Option<i64> {
        self.feeds
            .iter()
            .find(|(_, f)| f.url == url)
            .map(|(id, _)| *id)
    }

    fn add_feed(&mut self, url: &str, title: &str, folder: &str) -> i64 {
        let id = self.next_feed;
        self.next_feed += 1;
        self.folders.insert(folder.to_owned());
        self.feeds.insert(
            id,
            FFeed {
                title: if title.is_empty() {
                    format!("Feed {id}")
                } else {
                    title.to_owned()
                },
                url: url.to_owned(),
                site: url.replace("/feed", "/"),
                folder: folder.to_owned(),
            },
        );
        id
    }
}

pub struct GReaderServer {
    /// The base URL a user would enter.
    pub url: String,
    /// `http://127.0.0.1:port` without the dialect's prefix.
    pub root: String,
    pub state: Arc<Mutex<ServerState>>,
}

/// The server's clock, Unix seconds.
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// The id the n-th item gets: FreshRSS ids are microsecond timestamps of arrival.
pub fn item_id(dialect: Dialect, n: i64) -> i64 {
    match dialect {
        Dialect::FreshRss => 1_700_000_000_000_000 + n * 1_000_000,
        Dialect::Miniflux => 1000 + n,
    }
}

/// Publication time of the n-th item (a minute apart).
pub fn published(n: i64) -> i64 {
    1_700_000_000 + n * 60
}

impl GReaderServer {
    /// A server with `feeds` feeds in two folders and `items` items spread over them; every
    /// third item read, every tenth starred.
    pub async fn start(dialect: Dialect, items: usize) -> GReaderServer {
        let mut st = ServerState {
            dialect,
            user: "alice".into(),
            password: "correct horse".into(),
            auth_gen: 0,
            token_gen: 0,
            items: BTreeMap::new(),
            feeds: BTreeMap::new(),
            folders: BTreeSet::new(),
            next_feed: 1,
            faults: Faults::default(),
            log: Vec::new(),
            logins: 0,
            missing_endpoints: Vec::new(),
        };
        st.add_feed("https://news.example.org/feed", "News", "News");
        st.add_feed("https://tech.example.org/feed", "Tech", "Tech");
        st.add_feed("https://blog.example.org/feed", "Blog", "Tech");
        for n in 0..items as i64 {
            let id = item_id(dialect, n);
            st.items.insert(
                id,
                FItem {
                    id,
                    feed: 1 + n % 3,
                    title: format!("Item {n}"),
                    url: format!("https://news.example.org/a/{n}"),
                    author: if n % 2 == 0 {
                        format!("Author {n}")
                    } else {
                        String::new()
                    },
                    published: published(n),
                    html: format!("<p>Body of item {n}, with <b>markup</b> &amp; entities.</p>"),
                    read: n % 3 == 0,
                    starred: n % 10 == 0,
                    changed: published(n),
                },
            );
        }
        let state = Arc::new(Mutex::new(st));
        let app = Router::new().fallback(handle).with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let root = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        let url = match dialect {
            Dialect::FreshRss => format!("{root}/api/greader.php"),
            Dialect::Miniflux => root.clone(),
        };
        GReaderServer { url, root, state }
    }

    pub fn with<R>(&self, f: impl FnOnce(&mut ServerState) -> R) -> R {
        f(&mut self.state.lock().unwrap())
    }
}

fn params(s: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(s).into_owned().collect()
}

fn first<'a>(p: &'a [(String, String)], k: &str) -> Option<&'a str> {
    p.iter().find(|(kk, _)| kk == k).map(|(_, v)| v.as_str())
}

fn all<'a>(p: &'a [(String, String)], k: &str) -> Vec<&'a str> {
    p.iter()
        .filter(|(kk, _)| kk == k)
        .map(|(_, v)| v.as_str())
        .collect()
}

fn text(status: StatusCode, body: &str) -> Response {
    (
        status,
        [("content-type", "text/plain; charset=UTF-8")],
        body.to_owned(),
    )
        .into_response()
}

fn json_reply(st: &mut ServerState, v: Value) -> Response {
    if std::mem::take(&mut st.faults.garbage_json) {
        return (
            StatusCode::OK,
            [("content-type", "application/json")],
            "{\"itemRefs\": [<html>proxy error".to_owned(),
        )
            .into_response();
    }
    (
        StatusCode::OK,
        [("content-type", "application/json")],
        v.to_string(),
    )
        .into_response()
}

fn unauthorized(d: Dialect) -> Response {
    match d {
        Dialect::FreshRss => (
            StatusCode::UNAUTHORIZED,
            [
                ("content-type", "text/plain; charset=UTF-8"),
                ("google-bad-token", "true"),
            ],
            "Unauthorized!",
        )
            .into_response(),
        Dialect::Miniflux => (
            StatusCode::UNAUTHORIZED,
            [
                ("content-type", "text/plain; charset=utf-8"),
                ("x-reader-google-bad-token", "true"),
            ],
            "Unauthorized",
        )
            .into_response(),
    }
}

fn miniflux_error(status: StatusCode, msg: &str) -> Response {
    (
        status,
        [("content-type", "application/json")],
        json!({"error_message": msg}).to_string(),
    )
        .into_response()
}

async fn handle(
    State(state): State<Arc<Mutex<ServerState>>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let query = params(uri.query().unwrap_or("").as_bytes());
    let form = if method == Method::POST {
        params(&body)
    } else {
        Vec::new()
    };
    let authorization = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let mut st = state.lock().unwrap();
    let path = uri.path().to_owned();
    let applies = st.faults.path.as_deref().is_none_or(|p| path.ends_with(p));
    let resp = if applies && st.faults.fail_5xx > 0 {
        st.faults.fail_5xx -= 1;
        let mut r = text(StatusCode::SERVICE_UNAVAILABLE, "Service Unavailable!");
        if let Some(ra) = &st.faults.retry_after {
            r.headers_mut().insert("retry-after", ra.parse().unwrap());
        }
        r
    } else if applies && st.faults.abort_body > 0 {
        st.faults.abort_body -= 1;
        let chunks: Vec<Result<Bytes, std::io::Error>> = vec![
            Ok(Bytes::from_static(b"{\"itemRefs\":[{\"id\":\"1")),
            Err(std::io::Error::other("connection dropped")),
        ];
        Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .body(Body::from_stream(futures_util::stream::iter(chunks)))
            .unwrap()
    } else {
        match st.dialect {
            Dialect::FreshRss => freshrss(
                &mut st,
                &method,
                &path,
                &query,
                &form,
                &body,
                authorization.as_deref(),
            ),
            Dialect::Miniflux => miniflux(
                &mut st,
                &method,
                &path,
                &query,
                &form,
                &body,
                authorization.as_deref(),
            ),
        }
    };
    let status = resp.status().as_u16();
    st.log.push(Logged {
        method: method.to_string(),
        path,
        query,
        form,
        authorization,
        status,
    });
    resp
}

fn header_auth(authorization: Option<&str>) -> Option<&str> {
    let rest = authorization?.strip_prefix("GoogleLogin ")?;
    rest.trim().strip_prefix("auth=")
}

fn stream_item_json(st: &ServerState, it: &FItem, user_prefix: &str, both_bodies: bool) -> Value {
    let feed = st.feeds.get(&it.feed);
    let mut categories = vec![format!("user/{user_prefix}/state/com.google/reading-list")];
    if let Some(f) = feed {
        categories.push(format!("user/{user_prefix}/label/{}", f.folder));
    }
    if it.read {
        categories.push(format!("user/{user_prefix}/state/com.google/read"));
    }
    if it.starred {
        categories.push(format!("user/{user_prefix}/state/com.google/starred"));
    }
    let mut v = json!({
        "id": format!("tag:google.com,2005:reader/item/{:016x}", it.id as u64),
        "crawlTimeMsec": (it.published * 1000).to_string(),
        "timestampUsec": (it.published * 1_000_000).to_string(),
        "published": it.published,
        // FreshRSS (one body): Entry.php toGReader escapes titles to fullwidth forms.
        "title": if both_bodies { it.title.clone() } else { escape_to_unicode_alternative(&it.title, false) },
        "canonical": [{"href": it.url}],
        "alternate": [{"href": it.url, "type": "text/html"}],
        "categories": categories,
        "origin": {"streamId": format!("feed/{}", it.feed), "title": feed.map(|f| if both_bodies { f.title.clone() } else { escape_to_unicode_alternative(&f.title, true) }).unwrap_or_default()},
        "summary": {"content": it.html},
    });
    if !it.author.is_empty() || both_bodies {
        v["author"] = json!(it.author);
    }
    if both_bodies {
        v["content"] = json!({"direction": "ltr", "content": it.html});
        // handler.go: `Updated: entry.ChangedAt.Unix()`.
        v["updated"] = json!(it.changed);
    }
    v
}

// ---------------------------------------------------------------- FreshRSS

/// FreshRSS `lib_rss.php` `escapeToUnicodeAlternative`, as PHP runs it: `$problem += [...]`
/// is an array union, which keeps keys 0-2, so `extended` adds only the last five of its
/// eight characters (`'`, `"` and `^` stay as they are).
pub fn escape_to_unicode_alternative(text: &str, extended: bool) -> String {
    let mut pairs = vec![("&", "＆"), ("<", "＜"), (">", "＞")];
    let extra = [
        ("'", "’"),
        ("\"", "＂"),
        ("^", "＾"),
        ("?", "？"),
        ("\\", "＼"),
        ("/", "／"),
        (",", "，"),
        (";", "；"),
    ];
    if extended {
        pairs.extend_from_slice(&extra[3..]);
    }
    let mut out = text.to_owned();
    for (from, to) in pairs {
        out = out.replace(from, to);
    }
    out.trim().to_owned()
}

fn freshrss(
    st: &mut ServerState,
    method: &Method,
    path: &str,
    query: &[(String, String)],
    form: &[(String, String)],
    raw: &[u8],
    authorization: Option<&str>,
) -> Response {
    let Some(rest) = path.strip_prefix("/api/greader.php") else {
        // Outside the API, FreshRSS's front controller redirects to its web UI.
        return (StatusCode::FOUND, [("location", "/i/?rid=1")], "").into_response();
    };
    let request = |k: &str| first(form, k).or_else(|| first(query, k));
    if rest == "/accounts/ClientLogin" {
        let (Some(email), Some(pass)) = (request("Email"), request("Passwd")) else {
            return text(StatusCode::BAD_REQUEST, "Bad Request!");
        };
        // FreshRSS_user_Controller::checkUsername: /^[0-9a-zA-Z_][0-9a-zA-Z_.@-]{1,38}$/ — close enough.
        if !email
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.@-".contains(c))
        {
            return text(StatusCode::BAD_REQUEST, "Bad Request!");
        }
        if email != st.user || pass != st.password {
            return unauthorized(Dialect::FreshRss);
        }
        st.logins += 1;
        let auth = st.auth();
        return text(
            StatusCode::OK,
            &format!("SID={auth}\nLSID=null\nAuth={auth}\n"),
        );
    }
    let Some(api) = rest.strip_prefix("/reader/api/0/") else {
        return text(StatusCode::BAD_REQUEST, "Bad Request!");
    };
    if header_auth(authorization) != Some(st.auth().as_str()) {
        return unauthorized(Dialect::FreshRss);
    }
    if std::mem::take(&mut st.faults.expire_auth) {
        st.auth_gen += 1;
        return unauthorized(Dialect::FreshRss);
    }
    let check_token = |st: &mut ServerState| -> bool {
        if st.faults.bad_token > 0 {
            st.faults.bad_token -= 1;
            st.token_gen += 1;
            return false;
        }
        first(form, "T").map(str::trim) == Some(st.token().as_str())
    };
    // PHP's multiplePosts(): repeated fields straight from the raw body.
    let multiple = |name: &str| -> Vec<String> {
        let prefix = format!("{name}=");
        String::from_utf8_lossy(raw)
            .split('&')
            .filter_map(|p| p.strip_prefix(&prefix))
            .map(|v| {
                form_urlencoded::parse(format!("x={v}").as_bytes())
                    .next()
                    .map(|(_, v)| v.into_owned())
                    .unwrap_or_default()
            })
            .collect()
    };
    let parse_id = |e: &str| -> i64 {
        // greader.php: if (!ctype_digit($e_id) || $e_id[0] === '0') $e_id = hex2dec(basename($e_id));
        if !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit()) && !e.starts_with('0') {
            e.parse().unwrap_or(0)
        } else {
            let hex = e.rsplit('/').next().unwrap_or("");
            u64::from_str_radix(hex, 16).map(|v| v as i64).unwrap_or(0)
        }
    };
    let is_post = method == Method::POST;
    match api {
        "token" => text(StatusCode::OK, &format!("{}\n", st.token())),
        "user-info" => json_reply(st, json!({"userId": st.user, "userName": st.user})),
        "tag/list" => {
            if first(query, "output") != Some("json") {
                return text(StatusCode::NOT_IMPLEMENTED, "Not Implemented!");
            }
            let mut tags = vec![json!({"id": "user/-/state/com.google/starred"})];
            for f in &st.folders {
                tags.push(json!({"id": format!("user/-/label/{f}"), "type": "folder"}));
            }
            // A FreshRSS user label: tags items, not feeds.
            tags.push(json!({"id": "user/-/label/Later", "type": "tag", "unread_count": 0}));
            json_reply(st, json!({"tags": tags}))
        }
        "subscription/list" => {
            if first(query, "output") != Some("json") {
                return text(StatusCode::NOT_IMPLEMENTED, "Not Implemented!");
            }
            let subs: Vec<Value> = st
                .feeds
                .iter()
                .map(|(id, f)| {
                    json!({
                    "id": format!("feed/{id}"), "title": escape_to_unicode_alternative(&f.title, true),
                    "categories": [{"id": format!("user/-/label/{}", f.folder), "label": f.folder}],
                    "url": f.url, "htmlUrl": f.site, "iconUrl": "http://127.0.0.1/f.php?x"})
                })
                .collect();
            json_reply(st, json!({"subscriptions": subs}))
        }
        "stream/items/ids" => {
            let Some(s) = first(query, "s") else {
                return text(StatusCode::BAD_REQUEST, "Bad Request!");
            };
            let xt = first(query, "xt").unwrap_or("");
            let it = first(query, "it").unwrap_or("");
            let mut count: usize = first(query, "n").and_then(|n| n.parse().ok()).unwrap_or(20);
            let ot: i64 = first(query, "ot").and_then(|n| n.parse().ok()).unwrap_or(0);
            let c = first(query, "c").unwrap_or("").trim();
            let c = if !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit()) {
                c
            } else {
                ""
            };
            let mut ids: Vec<i64> = st
                .items
                .values()
                .rev()
                .filter(|i| match s {
                    "user/-/state/com.google/reading-list" => true,
                    "user/-/state/com.google/starred" => i.starred,
                    _ => match s.strip_prefix("feed/") {
                        Some(f) => f.parse() == Ok(i.feed),
                        None => match s.strip_prefix("user/-/label/") {
                            Some(l) => st.feeds.get(&i.feed).is_some_and(|f| f.folder == l),
                            None => true,
                        },
                    },
                })
                .filter(|i| match it {
                    "user/-/state/com.google/read" => i.read,
                    "user/-/state/com.google/unread" => !i.read,
                    "user/-/state/com.google/starred" => i.starred,
                    _ => true,
                })
                .filter(|i| match xt {
                    "user/-/state/com.google/read" => !i.read,
                    "user/-/state/com.google/unread" => i.read,
                    "user/-/state/com.google/starred" => !i.starred,
                    _ => true,
                })
                .filter(|i| ot == 0 || i.published >= ot)
                .filter(|i| c.is_empty() || i.id <= c.parse::<i64>().unwrap_or(i64::MAX))
                .map(|i| i.id)
                .collect();
            if !c.is_empty() {
                count += 1;
            }
            ids.truncate(count);
            if !c.is_empty() && !ids.is_empty() {
                ids.remove(0);
                count -= 1;
            }
            let mut resp = json!({"itemRefs": ids.iter().map(|i| json!({"id": i.to_string()})).collect::<Vec<_>>()});
            if ids.len() >= count
                && let Some(last) = ids.last()
            {
                resp["continuation"] = json!(last.to_string());
            }
            json_reply(st, resp)
        }
        "stream/items/contents" if is_post => {
            let wanted: Vec<i64> = multiple("i").iter().map(|e| parse_id(e)).collect();
            let mut items: Vec<&FItem> = wanted
                .iter()
                .filter(|id| !st.faults.drop_items.contains(id))
                .filter_map(|id| st.items.get(id))
                .collect();
            items.sort_by_key(|i| std::cmp::Reverse(i.id));
            let items: Vec<Value> = items
                .iter()
                .map(|i| stream_item_json(st, i, "-", false))
                .collect();
            json_reply(
                st,
                json!({"id": "user/-/state/com.google/reading-list", "updated": 1, "items": items}),
            )
        }
        "edit-tag" if is_post => {
            if !check_token(st) {
                return unauthorized(Dialect::FreshRss);
            }
            let ids: Vec<i64> = multiple("i").iter().map(|e| parse_id(e)).collect();
            let a = first(form, "a").unwrap_or("");
            let r = first(form, "r").unwrap_or("");
            for id in ids {
                if let Some(i) = st.items.get_mut(&id) {
                    match a {
                        "user/-/state/com.google/read" => i.read = true,
                        "user/-/state/com.google/starred" => i.starred = true,
                        _ => {}
                    }
                    match r {
                        "user/-/state/com.google/read" => i.read = false,
                        "user/-/state/com.google/starred" => i.starred = false,
                        _ => {}
                    }
                }
            }
            text(StatusCode::OK, "OK")
        }
        "mark-all-as-read" if is_post => {
            if !check_token(st) {
                return unauthorized(Dialect::FreshRss);
            }
            let s = first(form, "s").unwrap_or("").trim().to_owned();
            let ts = first(form, "ts").unwrap_or("0").trim().to_owned();
            if !ts.bytes().all(|b| b.is_ascii_digit()) {
                return text(StatusCode::BAD_REQUEST, "Bad Request!");
            }
            let max: i64 = ts.parse().unwrap_or(0);
            let feeds: Vec<i64> = if s == "user/-/state/com.google/reading-list" {
                st.feeds.keys().copied().collect()
            } else if let Some(f) = s.strip_prefix("feed/") {
                let Ok(f) = f.parse() else {
                    return text(StatusCode::BAD_REQUEST, "Bad Request!");
                };
                vec![f]
            } else if let Some(l) = s.strip_prefix("user/-/label/") {
                if !st.folders.contains(l) {
                    return text(StatusCode::BAD_REQUEST, "Bad Request!");
                }
                st.feeds
                    .iter()
                    .filter(|(_, f)| f.folder == l)
                    .map(|(i, _)| *i)
                    .collect()
            } else {
                return text(StatusCode::BAD_REQUEST, "Bad Request!");
            };
            for i in st.items.values_mut() {
                if feeds.contains(&i.feed) && i.id <= max {
                    i.read = true;
                }
            }
            text(StatusCode::OK, "OK")
        }
        "subscription/quickadd" => {
            let Some(url) = request("quickadd").map(str::to_owned) else {
                return text(StatusCode::BAD_REQUEST, "Bad Request!");
            };
            let url = url.strip_prefix("feed/").unwrap_or(&url).to_owned();
            if url.contains("nofeed") {
                return json_reply(
                    st,
                    json!({"numResults": 0, "error": "Feed not found at this URL"}),
                );
            }
            let id = st.add_feed(&url, "", "Uncategorized");
            let name = st.feeds[&id].title.clone();
            json_reply(
                st,
                json!({"numResults": 1, "query": url, "streamId": format!("feed/{id}"), "streamName": name}),
            )
        }
        "subscription/edit" => {
            let (Some(ac), true) = (request("ac"), request("s").is_some()) else {
                return text(StatusCode::BAD_REQUEST, "Bad Request!");
            };
            let streams = if first(form, "s").is_none() {
                vec![first(query, "s").unwrap_or("").to_owned()]
            } else {
                multiple("s")
            };
            let titles = if first(form, "t").is_none() {
                first(query, "t")
                    .map(|t| vec![t.to_owned()])
                    .unwrap_or_default()
            } else {
                multiple("t")
            };
            let add = request("a").unwrap_or("").to_owned();
            let c_name = add.strip_prefix("user/-/label/").unwrap_or("").to_owned();
            for (n, s) in streams.iter().enumerate().rev() {
                let Some(f) = s.strip_prefix("feed/") else {
                    continue;
                };
                let title = titles.get(n).cloned().unwrap_or_default();
                let feed_id = match f.parse::<i64>() {
                    Ok(id) if ac == "subscribe" => {
                        let _ = id;
                        continue;
                    }
                    Ok(id) => Some(id).filter(|id| st.feeds.contains_key(id)),
                    Err(_) => st.feed_id_by_url(f),
                };
                match ac {
                    "subscribe" => {
                        if feed_id.is_some() {
                            return text(StatusCode::BAD_REQUEST, "Bad Request!");
                        }
                        let folder = if c_name.is_empty() {
                            "Uncategorized".to_owned()
                        } else {
                            c_name.clone()
                        };
                        st.add_feed(f, &title, &folder);
                    }
                    "unsubscribe" => {
                        let Some(id) = feed_id else {
                            return text(StatusCode::BAD_REQUEST, "Bad Request!");
                        };
                        st.feeds.remove(&id);
                        st.items.retain(|_, i| i.feed != id);
                    }
                    "edit" => {
                        let Some(id) = feed_id else {
                            return text(StatusCode::BAD_REQUEST, "Bad Request!");
                        };
                        if !c_name.is_empty() {
                            st.folders.insert(c_name.clone());
                            st.feeds.get_mut(&id).unwrap().folder = c_name.clone();
                        }
                        if !title.is_empty() {
                            st.feeds.get_mut(&id).unwrap().title = title;
                        }
                    }
                    _ => return text(StatusCode::BAD_REQUEST, "Bad Request!"),
                }
            }
            text(StatusCode::OK, "OK")
        }
        _ => text(StatusCode::BAD_REQUEST, "Bad Request!"),
    }
}

// ---------------------------------------------------------------- Miniflux

fn miniflux(
    st: &mut ServerState,
    method: &Method,
    path: &str,
    query: &[(String, String)],
    body_form: &[(String, String)],
    _raw: &[u8],
    authorization: Option<&str>,
) -> Response {
    // Go's r.Form: query values then body values.
    let form: Vec<(String, String)> = body_form
        .iter()
        .cloned()
        .chain(query.iter().cloned())
        .collect();
    let is_post = method == Method::POST;
    if path == "/accounts/ClientLogin" {
        if !is_post {
            return text(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed");
        }
        let (email, pass) = (
            first(&form, "Email").unwrap_or(""),
            first(&form, "Passwd").unwrap_or(""),
        );
        if email.is_empty() || pass.is_empty() || email != st.user || pass != st.password {
            return miniflux_error(StatusCode::UNAUTHORIZED, "access unauthorized");
        }
        st.logins += 1;
        let auth = st.auth();
        if first(&form, "output") == Some("json") {
            return json_reply(st, json!({"SID": auth, "LSID": auth, "Auth": auth}));
        }
        return text(
            StatusCode::OK,
            &format!("SID={auth}\nLSID={auth}\nAuth={auth}\n"),
        );
    }
    let Some(api) = path.strip_prefix("/reader/api/0/") else {
        return text(StatusCode::NOT_FOUND, "404 page not found");
    };
    // middleware.go: POST authenticates by T only, GET by the header only.
    let token = if is_post {
        first(&form, "T").map(str::to_owned)
    } else {
        header_auth(authorization).map(str::to_owned)
    };
    if token.as_deref() != Some(st.auth().as_str()) {
        return unauthorized(Dialect::Miniflux);
    }
    let bad_token = is_post && st.faults.bad_token > 0;
    if bad_token {
        st.faults.bad_token -= 1;
    }
    if std::mem::take(&mut st.faults.expire_auth) || bad_token {
        st.auth_gen += 1;
        return unauthorized(Dialect::Miniflux);
    }
    let output_json = |p: &[(String, String)]| first(p, "output") == Some("json");
    let stream_of = |s: &str| -> Option<(String, String)> {
        // stream.go getStream: user/-/ or user/<id>/ prefixes.
        if let Some(f) = s.strip_prefix("feed/") {
            return Some(("feed".into(), f.into()));
        }
        let rest = s.strip_prefix("user/")?;
        let (_, rest) = rest.split_once('/')?;
        if let Some(state) = rest.strip_prefix("state/com.google/") {
            return Some(("state".into(), state.into()));
        }
        rest.strip_prefix("label/")
            .map(|l| ("label".into(), l.into()))
    };
    let parse_id = |v: &str| -> Option<i64> {
        // item.go parseItemID
        if let Some(h) = v.strip_prefix("tag:google.com,2005:reader/item/") {
            return i64::from_str_radix(h, 16).ok().filter(|i| *i != 0);
        }
        if v.len() == 16
            && let Ok(i) = i64::from_str_radix(v, 16)
        {
            return Some(i);
        }
        v.parse().ok()
    };
    let api = if st.missing_endpoints.iter().any(|m| m == api) {
        "not-implemented-here"
    } else {
        api
    };
    // item.go parseItemIDsFromRequest: every `i`, or a 400.
    let parse_ids = |p: &[(String, String)]| -> Option<Vec<i64>> {
        all(p, "i").into_iter().map(parse_id).collect()
    };
    match (method.as_str(), api) {
        ("GET", "token") => text(StatusCode::OK, &st.auth()),
        ("GET", "user-info") => json_reply(
            st,
            json!({"userId": "1", "userName": st.user, "userProfileId": "1", "userEmail": st.user}),
        ),
        ("GET", "tag/list") => {
            if !output_json(query) {
                return miniflux_error(StatusCode::BAD_REQUEST, "output");
            }
            let mut tags = vec![json!({"id": "user/1/state/com.google/starred"})];
            for f in &st.folders {
                tags.push(json!({"id": format!("user/1/label/{f}"), "label": f, "type": "folder"}));
            }
            json_reply(st, json!({"tags": tags}))
        }
        ("GET", "subscription/list") => {
            if !output_json(query) {
                return miniflux_error(StatusCode::BAD_REQUEST, "output");
            }
            let subs: Vec<Value> = st
                .feeds
                .iter()
                .map(|(id, f)| json!({
                    "id": format!("feed/{id}"), "title": f.title,
                    "categories": [{"id": format!("user/1/label/{}", f.folder), "label": f.folder, "type": "folder"}],
                    "url": f.url, "htmlUrl": f.site, "iconUrl": ""}))
                .collect();
            json_reply(st, json!({"subscriptions": subs}))
        }
        ("GET", "stream/items/ids") => {
            if !output_json(query) {
                return miniflux_error(
                    StatusCode::BAD_REQUEST,
                    "googlereader: only json output is supported",
                );
            }
            let streams = all(query, "s");
            if streams.len() != 1 {
                return miniflux_error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "googlereader: only one stream type expected",
                );
            }
            let Some((kind, id)) = stream_of(streams[0]) else {
                return miniflux_error(StatusCode::INTERNAL_SERVER_ERROR, "unknown stream");
            };
            let exclude_read = all(query, "xt")
                .iter()
                .any(|x| stream_of(x) == Some(("state".into(), "read".into())));
            let n = first(query, "n")
                .and_then(|n| n.parse::<i64>().ok())
                .unwrap_or(0);
            let limit = if n <= 0 || n > 10_000 {
                10_000
            } else {
                n as usize
            };
            let offset: usize = first(query, "c").and_then(|c| c.parse().ok()).unwrap_or(0);
            let ot: i64 = first(query, "ot").and_then(|c| c.parse().ok()).unwrap_or(0);
            let mut matching: Vec<&FItem> = st
                .items
                .values()
                .filter(|i| match (kind.as_str(), id.as_str()) {
                    ("state", "reading-list") => !exclude_read || !i.read,
                    ("state", "starred") => i.starred,
                    ("state", "read") => i.read,
                    ("feed", f) => f.parse() == Ok(i.feed) && (!exclude_read || !i.read),
                    _ => false,
                })
                .filter(|i| ot <= 0 || i.published > ot)
                .collect();
            if kind == "label"
                || (kind == "state" && !["reading-list", "starred", "read"].contains(&id.as_str()))
            {
                return miniflux_error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "googlereader: unknown stream type",
                );
            }
            // DefaultSortingOrder = published_at, descending unless r=o.
            matching.sort_by_key(|i| std::cmp::Reverse((i.published, i.id)));
            let total = matching.len();
            let page: Vec<Value> = matching
                .iter()
                .skip(offset)
                .take(limit)
                .map(|i| json!({"id": i.id.to_string()}))
                .collect();
            let mut resp = json!({"itemRefs": page});
            if page.len() + offset < total {
                resp["continuation"] = json!((page.len() + offset).to_string());
            }
            json_reply(st, resp)
        }
        ("POST", "stream/items/contents") => {
            if !output_json(&form) {
                return miniflux_error(
                    StatusCode::BAD_REQUEST,
                    "googlereader: only json output is supported",
                );
            }
            let Some(ids) = parse_ids(&form) else {
                return miniflux_error(StatusCode::BAD_REQUEST, "failed to parse item ID");
            };
            if ids.is_empty() {
                return miniflux_error(StatusCode::BAD_REQUEST, "googlereader: no items requested");
            }
            let mut items: Vec<&FItem> = ids
                .iter()
                .filter(|id| !st.faults.drop_items.contains(id))
                .filter_map(|id| st.items.get(id))
                .collect();
            items.sort_by_key(|i| std::cmp::Reverse((i.published, i.id)));
            let items: Vec<Value> = items
                .iter()
                .map(|i| stream_item_json(st, i, "1", true))
                .collect();
            json_reply(
                st,
                json!({"direction": "ltr", "id": "user/-/state/com.google/reading-list", "title": "Reading List", "updated": 1, "author": st.user, "items": items}),
            )
        }
        ("POST", "edit-tag") => {
            // a and r from the body only (r.PostForm); label tags are refused.
            let mut read: Option<bool> = None;
            let mut starred: Option<bool> = None;
            for (k, v) in body_form.iter().filter(|(k, _)| k == "a" || k == "r") {
                let add = k == "a";
                match stream_of(v) {
                    Some((kind, s)) if kind == "state" && s == "read" => read = Some(add),
                    Some((kind, s)) if kind == "state" && s == "kept-unread" => read = Some(!add),
                    Some((kind, s)) if kind == "state" && s == "starred" => starred = Some(add),
                    _ => {
                        return miniflux_error(
                            StatusCode::INTERNAL_SERVER_ERROR,
                            "googlereader: unsupported tag type",
                        );
                    }
                }
            }
            if read.is_none() && starred.is_none() {
                return miniflux_error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "add or/and remove tags should be supplied",
                );
            }
            let Some(ids) = parse_ids(&form) else {
                return miniflux_error(StatusCode::BAD_REQUEST, "failed to parse item ID");
            };
            let now = unix_now();
            for id in ids {
                if let Some(i) = st.items.get_mut(&id) {
                    i.changed = now;
                    if let Some(r) = read {
                        i.read = r;
                    }
                    if let Some(s) = starred {
                        i.starred = s;
                    }
                }
            }
            text(StatusCode::OK, "OK")
        }
        ("POST", "mark-all-as-read") => {
            let Some((kind, id)) = stream_of(first(&form, "s").unwrap_or("")) else {
                return miniflux_error(StatusCode::BAD_REQUEST, "stream");
            };
            let ts = first(&form, "ts").unwrap_or("");
            let before = if ts.is_empty() {
                i64::MAX
            } else {
                let Ok(v) = ts.parse::<i64>() else {
                    return miniflux_error(StatusCode::BAD_REQUEST, "ts");
                };
                if ts.len() >= 16 { v / 1_000_000 } else { v }
            };
            let feeds: Vec<i64> = match (kind.as_str(), id.as_str()) {
                ("feed", f) => f.parse().map(|f| vec![f]).unwrap_or_default(),
                ("label", l) => {
                    if !st.folders.contains(l) {
                        return miniflux_error(StatusCode::NOT_FOUND, "Not Found");
                    }
                    st.feeds
                        .iter()
                        .filter(|(_, f)| f.folder == l)
                        .map(|(i, _)| *i)
                        .collect()
                }
                ("state", "reading-list") => st.feeds.keys().copied().collect(),
                _ => vec![],
            };
            let now = unix_now();
            for i in st.items.values_mut() {
                if feeds.contains(&i.feed) && i.published < before {
                    i.read = true;
                    i.changed = now;
                }
            }
            text(StatusCode::OK, "OK")
        }
        ("POST", "subscription/quickadd") => {
            let url = first(&form, "quickadd").unwrap_or("").to_owned();
            if !url.starts_with("http://") && !url.starts_with("https://") {
                return miniflux_error(StatusCode::BAD_REQUEST, "googlereader: invalid URL");
            }
            if url.contains("nofeed") {
                return json_reply(st, json!({"numResults": 0}));
            }
            let folder = st
                .folders
                .iter()
                .next()
                .cloned()
                .unwrap_or_else(|| "All".into());
            let id = st.add_feed(&url, "", &folder);
            let name = st.feeds[&id].title.clone();
            json_reply(
                st,
                json!({"numResults": 1, "query": url, "streamId": format!("feed/{id}"), "streamName": name}),
            )
        }
        ("POST", "subscription/edit") => {
            let streams: Vec<String> = all(&form, "s").iter().map(|s| s.to_string()).collect();
            if streams.is_empty() {
                return miniflux_error(
                    StatusCode::BAD_REQUEST,
                    "googlereader: no valid stream IDs provided",
                );
            }
            let label = first(&form, "a")
                .and_then(stream_of)
                .filter(|(k, _)| k == "label")
                .map(|(_, l)| l);
            let has_a = first(&form, "a").is_some();
            let title = first(&form, "t").unwrap_or("").to_owned();
            let feed_of = |s: &str| s.strip_prefix("feed/").and_then(|f| f.parse::<i64>().ok());
            match first(&form, "ac").unwrap_or("") {
                "subscribe" => {
                    let url = streams[0].strip_prefix("feed/").unwrap_or("").to_owned();
                    let folder = label
                        .unwrap_or_else(|| st.folders.iter().next().cloned().unwrap_or_default());
                    st.add_feed(&url, &title, &folder);
                }
                "unsubscribe" => {
                    for s in &streams {
                        let Some(id) = feed_of(s) else {
                            return miniflux_error(StatusCode::INTERNAL_SERVER_ERROR, "parse");
                        };
                        st.feeds.remove(&id);
                        st.items.retain(|_, i| i.feed != id);
                    }
                }
                "edit" => {
                    let Some(id) = feed_of(&streams[0]).filter(|id| st.feeds.contains_key(id))
                    else {
                        return miniflux_error(StatusCode::BAD_REQUEST, "feed not found");
                    };
                    if !title.is_empty() {
                        st.feeds.get_mut(&id).unwrap().title = title;
                    }
                    if has_a {
                        let Some(l) = label else {
                            return miniflux_error(
                                StatusCode::BAD_REQUEST,
                                "destination must be a label",
                            );
                        };
                        st.folders.insert(l.clone());
                        st.feeds.get_mut(&id).unwrap().folder = l;
                    }
                }
                other => {
                    return miniflux_error(
                        StatusCode::BAD_REQUEST,
                        &format!("unrecognized action {other}"),
                    );
                }
            }
            text(StatusCode::OK, "OK")
        }
        // handler.go fallbackHandler: anything else under /reader/api/0/ is `[]` with 200.
        _ => json_reply(st, json!([])),
    }
}

/// A server that accepts connections and closes them at once, never answering.
pub async fn start_closing_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let Ok((sock, _)) = listener.accept().await else {
                return;
            };
            drop(sock);
        }
    });
    url
}

/// A server that accepts connections and never answers; counts the connections.
pub async fn start_silent_server() -> (String, Arc<Mutex<u32>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let count = Arc::new(Mutex::new(0));
    let seen = count.clone();
    tokio::spawn(async move {
        let mut open = Vec::new();
        loop {
            let Ok((sock, _)) = listener.accept().await else {
                return;
            };
            *seen.lock().unwrap() += 1;
            open.push(sock);
        }
    });
    (url, count)
}
