//! The Google Reader API client, written for Duizhao (the existing Rust clients are GPL-3.0),
//! following what the two servers our users run actually do:
//!
//! - FreshRSS `p/api/greader.php` (read at commit 6c58b90518c3): the API lives under
//!   `https://host/api/greader.php`; `ClientLogin` answers `SID=…\nLSID=null\nAuth=…`; every
//!   request, POSTs included, is authenticated by `Authorization: GoogleLogin auth=…`; the
//!   write token `T` (57 characters, not the Auth value) is checked on `edit-tag`,
//!   `mark-all-as-read`, `rename-tag` and `disable-tag`, and a wrong one answers 401 with
//!   `Google-Bad-Token: true` — as does a wrong Auth; `stream/items/ids` continues with the
//!   last entry id (`c` must be digits), `n` defaults to 20; `stream/items/contents` reads
//!   repeated `i` from the raw body (at most 1 MiB of it) and gives the content in
//!   `summary.content`; `mark-all-as-read` compares `ts` with entry ids, which are
//!   microseconds since the epoch; `tag/list` and `subscription/list` need `output=json`.
//! - Miniflux `internal/googlereader` (read at commit 106cdd09e155): the API lives under the
//!   root, `https://host/reader/api/0/…`, login at `https://host/accounts/ClientLogin`;
//!   GETs are authenticated only by the header, POSTs only by `T` in the form, and `T` is the
//!   Auth value itself; 401 carries `X-Reader-Google-Bad-Token: true`; continuations are
//!   numeric offsets; `it` is ignored (so unread is asked with `xt=…/read`, which both
//!   servers honour); `output=json` is required on `stream/items/ids` and
//!   `stream/items/contents`; `edit-tag` reads `a`/`r` from the body only and refuses label
//!   tags; `mark-all-as-read` reads `ts` of 16 digits or more as microseconds; and any
//!   unknown path under `/reader/api/0/` answers `[]` with 200 — so this client never uses
//!   `stream/contents` and treats `[]` where an object or `OK` was due as "not supported".
//!
//! So every request carries both the header and (POSTs) `T`, JSON reads carry
//! `output=json`, ids go out in the long form both servers parse, `ts` goes out in
//! microseconds, continuations are passed back verbatim, and label ids such as Miniflux's
//! `user/1/label/Tech` are normalised to `user/-/label/Tech`, the only spelling FreshRSS's
//! `mark-all-as-read` accepts.

pub mod ids;

use std::collections::HashSet;

use async_trait::async_trait;
use futures_util::StreamExt;
use serde::Deserialize;
use serde_json::Value;
use tokio::sync::Mutex;

use crate::error::SyncError;
use crate::http::{Http, HttpOptions, Reply, Retry, json, parse_server_url, status_error};
use crate::model::{
    FetchSummary, Folder, Item, ItemId, MarkScope, OnBatch, RecentQuery, ServiceKind, Subscribed,
    Subscription, SyncService,
};
use crate::secret::{Secret, redact};

const READING_LIST: &str = "user/-/state/com.google/reading-list";
const READ: &str = "user/-/state/com.google/read";
const STARRED: &str = "user/-/state/com.google/starred";
const LABEL_PREFIX: &str = "user/-/label/";

/// How item ids are sent in `i=` fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdForm {
    /// `tag:google.com,2005:reader/item/<16 hex>`: the protocol's own form, parsed by every
    /// server (the default).
    Long,
    /// Signed decimal, as `stream/items/ids` lists them.
    Decimal,
}

/// Batch sizes and bounds of a [`GReaderClient`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GReaderOptions {
    /// `n` for each `stream/items/ids` page. Miniflux's cap (10,000) by default: its
    /// continuations are offsets, so an item read elsewhere between two pages shifts the next
    /// page and one id would be skipped; fewer pages, smaller window.
    pub ids_page: usize,
    /// Ids per `stream/items/contents` POST. FreshRSS reads at most 1 MiB of a POST body
    /// (about 15,000 long-form ids); the answer's size is what limits this.
    pub contents_batch: usize,
    /// `stream/items/contents` requests in flight at once (a first sync over a real network
    /// is bound by round trips, not by either end's CPU).
    pub contents_concurrency: usize,
    /// Ids per `edit-tag` POST.
    pub edit_batch: usize,
    /// Most ids accepted from one listing (a server that never stops is an error).
    pub max_ids: usize,
    /// How ids are sent.
    pub id_form: IdForm,
}

impl Default for GReaderOptions {
    fn default() -> Self {
        GReaderOptions {
            ids_page: 10_000,
            contents_batch: 100,
            contents_concurrency: 3,
            edit_batch: 250,
            max_ids: 2_000_000,
            id_form: IdForm::Long,
        }
    }
}

#[derive(Debug, Default)]
struct Session {
    /// The API base after discovery (the account's URL, or it + `/api/greader.php`).
    base: Option<String>,
    auth: Option<Secret>,
    token: Option<Secret>,
    /// Bumped whenever auth or token changes, so a stale failure does not discard a fresh
    /// session another call just made.
    generation: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    Get,
    Post,
}

/// One API request, relative to the base.
struct Call<'a> {
    what: &'static str,
    method: Method,
    path: &'a str,
    query: Vec<(&'static str, String)>,
    form: Vec<(&'static str, String)>,
    retry: Retry,
}

/// A Google Reader API client (FreshRSS, Miniflux, and the servers that copy them).
#[derive(Debug)]
pub struct GReaderClient {
    http: Http,
    /// The account's URL, normalised (no trailing slash, no API path).
    url: String,
    user: String,
    password: Secret,
    opts: GReaderOptions,
    session: Mutex<Session>,
}

/// The form FreshRSS gives a subscription's title in `subscription/list`
/// (`escapeToUnicodeAlternative($name, true)` in its `lib_rss.php`): `& < >` and, because PHP's
/// array union keeps the first keys, only `? \\ / , ;` of its extended list, replaced by their
/// fullwidth forms. Not reversible (Chinese and Japanese titles use those fullwidth marks
/// themselves), so the core compares a title it set with this form of it instead.
pub fn freshrss_title_form(title: &str) -> String {
    title
        .chars()
        .map(|c| match c {
            '&' => '＆',
            '<' => '＜',
            '>' => '＞',
            '?' => '？',
            '\\' => '＼',
            '/' => '／',
            ',' => '，',
            ';' => '；',
            c => c,
        })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Normalises what a user types as the server address: FreshRSS's
/// `https://host/api/greader.php` and Miniflux's `https://host` both work, as do the same
/// with a trailing slash, `/reader/api/0` or `/accounts/ClientLogin` pasted after them.
pub fn normalize_base_url(url: &str) -> Result<String, SyncError> {
    let u = parse_server_url(url, "server address")?;
    let mut s = u.to_string();
    loop {
        let before = s.len();
        s = s.trim_end_matches('/').to_owned();
        for suffix in ["/reader/api/0", "/accounts/ClientLogin"] {
            if let Some(rest) = s.strip_suffix(suffix) {
                s = rest.to_owned();
            }
        }
        if s.len() == before {
            return Ok(s);
        }
    }
}

impl GReaderClient {
    /// A client for the server at `url` (see [`normalize_base_url`]). Nothing is sent until
    /// the first call.
    pub fn new(
        url: &str,
        user: &str,
        password: Secret,
        http: HttpOptions,
        opts: GReaderOptions,
    ) -> Result<GReaderClient, SyncError> {
        Ok(GReaderClient {
            http: Http::new(http)?,
            url: normalize_base_url(url)?,
            user: user.trim().to_owned(),
            password,
            opts,
            session: Mutex::new(Session::default()),
        })
    }

    /// The API base in use (after discovery, once signed in).
    pub async fn api_base(&self) -> String {
        self.session
            .lock()
            .await
            .base
            .clone()
            .unwrap_or_else(|| self.url.clone())
    }

    /// Whether the server's write token is its Auth value (Miniflux) rather than a separate
    /// token (FreshRSS); `None` before both are known. For diagnostics.
    pub async fn token_is_auth(&self) -> Option<bool> {
        let s = self.session.lock().await;
        match (&s.auth, &s.token) {
            (Some(a), Some(t)) => Some(a == t),
            _ => None,
        }
    }

    fn secrets<'a>(&'a self, session: &'a [Option<Secret>]) -> Vec<&'a Secret> {
        let mut v = vec![&self.password];
        v.extend(session.iter().flatten());
        v
    }

    /// `ClientLogin` against `base`: `Ok(None)` when nothing answers there (404).
    async fn client_login(&self, base: &str) -> Result<Option<Secret>, SyncError> {
        let url = format!("{base}/accounts/ClientLogin");
        let form = [
            ("Email", self.user.as_str()),
            ("Passwd", self.password.expose()),
        ];
        let reply = self
            .http
            .send("ClientLogin", Retry::Safe, &[&self.password], |c| {
                c.post(&url).form(&form)
            })
            .await?;
        match reply.status.as_u16() {
            200..=299 => {}
            // FreshRSS: 400 for a malformed user name, 401 for a wrong password; Miniflux: 401.
            400 | 401 | 403 => return Err(SyncError::Auth),
            // Not an API here: FreshRSS's root redirects to its web UI (302 to /i/), a wrong
            // path is 404/405.
            300..=399 | 404 | 405 => return Ok(None),
            _ => return Err(status_error(&reply)),
        }
        let text = reply.text();
        let auth = text
            .lines()
            .find_map(|l| l.trim().strip_prefix("Auth="))
            .map(str::to_owned)
            .or_else(|| {
                // Miniflux answers JSON when asked (`output=json`); accept it unasked too.
                serde_json::from_str::<Value>(&text)
                    .ok()?
                    .get("Auth")?
                    .as_str()
                    .map(str::to_owned)
            })
            .filter(|a| !a.trim().is_empty());
        // A 200 without `Auth=` is some other page (a web UI at the root): not an API here.
        Ok(auth.map(|a| Secret::new(a.trim())))
    }

    /// Signs in, discovering FreshRSS's `/api/greader.php` under a root URL.
    async fn login_into(&self, s: &mut Session) -> Result<(), SyncError> {
        let mut bases = vec![self.url.clone()];
        if !self.url.ends_with("greader.php") {
            bases.push(format!("{}/api/greader.php", self.url));
        }
        for base in bases {
            if let Some(auth) = self.client_login(&base).await? {
                tracing::debug!(base = %base, "signed in to the Google Reader API");
                s.base = Some(base);
                s.auth = Some(auth);
                s.token = None;
                s.generation += 1;
                return Ok(());
            }
        }
        Err(SyncError::Config(
            "no Google Reader API at this address (for FreshRSS use https://host/api/greader.php, for Miniflux https://host)".into(),
        ))
    }

    /// `GET /reader/api/0/token` with the session's Auth: `Ok(None)` on 401.
    async fn fetch_token(&self, s: &Session) -> Result<Option<Secret>, SyncError> {
        let (Some(base), Some(auth)) = (&s.base, &s.auth) else {
            return Ok(None);
        };
        let url = format!("{base}/reader/api/0/token");
        let header = format!("GoogleLogin auth={}", auth.expose());
        let reply = self
            .http
            .send("token", Retry::Safe, &[&self.password, auth], |c| {
                c.get(&url).header(reqwest::header::AUTHORIZATION, &header)
            })
            .await?;
        if reply.status == 401 || reply.status == 403 || bad_token(&reply) {
            return Ok(None);
        }
        if !reply.status.is_success() {
            return Err(status_error(&reply));
        }
        let token = reply.text().trim().to_owned();
        if token.is_empty() || token.len() > 4096 || token.contains(char::is_whitespace) {
            return Err(SyncError::Protocol(
                "the write-token answer is not a token".into(),
            ));
        }
        Ok(Some(Secret::new(token)))
    }

    /// The session to use: signs in and fetches the write token as needed. One re-login is
    /// allowed here when the token is refused with an Auth that looked valid.
    async fn session(
        &self,
        need_token: bool,
    ) -> Result<(String, Secret, Option<Secret>, u64), SyncError> {
        let mut s = self.session.lock().await;
        if s.auth.is_none() {
            self.login_into(&mut s).await?;
        }
        if need_token && s.token.is_none() {
            let token = match self.fetch_token(&s).await? {
                Some(t) => t,
                None => {
                    // The Auth expired since it was issued: sign in once more.
                    self.login_into(&mut s).await?;
                    self.fetch_token(&s).await?.ok_or(SyncError::TokenExpired)?
                }
            };
            s.token = Some(token);
            s.generation += 1;
        }
        let base = s.base.clone().unwrap_or_else(|| self.url.clone());
        let auth = s.auth.clone().ok_or(SyncError::TokenExpired)?;
        Ok((base, auth, s.token.clone(), s.generation))
    }

    async fn invalidate(&self, generation: u64, auth_too: bool) {
        let mut s = self.session.lock().await;
        if s.generation == generation {
            s.token = None;
            if auth_too {
                s.auth = None;
            }
            s.generation += 1;
        }
    }

    /// Sends `call` with the session, renewing it once when the server refuses it: a GET
    /// refused means the Auth expired (sign in again), a POST refused or answered with a
    /// bad-token header means the write token is stale (fetch it again, which signs in again
    /// if the Auth is stale too). Returns any other answer as is.
    async fn call(&self, call: &Call<'_>) -> Result<Reply, SyncError> {
        let post = call.method == Method::Post;
        let mut renewed = false;
        loop {
            let (base, auth, token, generation) = self.session(post).await?;
            let url = format!("{base}/reader/api/0/{}", call.path);
            let header = format!("GoogleLogin auth={}", auth.expose());
            let mut form: Vec<(&str, &str)> =
                call.form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            if let Some(t) = &token {
                form.push(("T", t.expose()));
            }
            let body = encode_form(&form);
            let secrets_held = [Some(auth.clone()), token.clone()];
            let secrets = self.secrets(&secrets_held);
            let reply = self
                .http
                .send(call.what, call.retry, &secrets, |c| {
                    let rb = match call.method {
                        Method::Get => c.get(&url),
                        Method::Post => c
                            .post(&url)
                            .header(
                                reqwest::header::CONTENT_TYPE,
                                "application/x-www-form-urlencoded",
                            )
                            .body(body.clone()),
                    };
                    rb.query(&call.query)
                        .header(reqwest::header::AUTHORIZATION, &header)
                })
                .await?;
            if reply.status == 401 || bad_token(&reply) {
                if renewed {
                    return Err(SyncError::TokenExpired);
                }
                renewed = true;
                tracing::debug!(what = call.what, post, "session refused; renewing it");
                self.invalidate(generation, !post).await;
                continue;
            }
            return Ok(reply);
        }
    }

    /// A JSON read: 2xx parsed as `T`; Miniflux's `[]` for an unknown path is "unsupported".
    async fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        call: Call<'_>,
    ) -> Result<T, SyncError> {
        let what = call.what;
        let reply = self.call(&call).await?;
        if !reply.status.is_success() {
            return Err(status_error(&reply));
        }
        if is_empty_array(&reply.body) {
            return Err(SyncError::Unsupported(what));
        }
        json(&reply.body, what)
    }

    /// A write acknowledged with `OK`.
    async fn post_ok(&self, call: Call<'_>) -> Result<(), SyncError> {
        let what = call.what;
        let reply = self.call(&call).await?;
        match reply.status.as_u16() {
            200..=299 => {}
            400 | 404 => {
                return Err(SyncError::Rejected(format!(
                    "{what}: the server refused the request (HTTP {})",
                    reply.status.as_u16()
                )));
            }
            _ => return Err(status_error(&reply)),
        }
        if is_empty_array(&reply.body) {
            return Err(SyncError::Unsupported(what));
        }
        if reply.text().trim().eq_ignore_ascii_case("ok") {
            Ok(())
        } else {
            Err(SyncError::Protocol(format!(
                "{what}: the server did not answer OK"
            )))
        }
    }

    fn id_value(&self, id: ItemId) -> String {
        match self.opts.id_form {
            IdForm::Long => ids::to_long_form(id),
            IdForm::Decimal => ids::to_decimal(id),
        }
    }

    /// Every id of `stream`, following continuations until none is left.
    pub async fn stream_ids(
        &self,
        stream: &str,
        exclude: Option<&str>,
        since: Option<i64>,
    ) -> Result<Vec<ItemId>, SyncError> {
        #[derive(Deserialize)]
        struct Page {
            #[serde(rename = "itemRefs", default)]
            item_refs: Option<Vec<ItemRef>>,
            #[serde(default)]
            continuation: Option<Value>,
        }
        #[derive(Deserialize)]
        struct ItemRef {
            id: Value,
        }
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        let mut continuations = HashSet::new();
        let mut continuation: Option<String> = None;
        loop {
            let mut query = vec![
                ("output", "json".to_owned()),
                ("s", stream.to_owned()),
                ("n", self.opts.ids_page.to_string()),
            ];
            if let Some(x) = exclude {
                query.push(("xt", x.to_owned()));
            }
            if let Some(t) = since {
                query.push(("ot", t.max(0).to_string()));
            }
            if let Some(c) = &continuation {
                query.push(("c", c.clone()));
            }
            let page: Page = self
                .get_json(Call {
                    what: "stream/items/ids",
                    method: Method::Get,
                    path: "stream/items/ids",
                    query,
                    form: vec![],
                    retry: Retry::Safe,
                })
                .await?;
            let refs = page.item_refs.unwrap_or_default();
            let page_len = refs.len();
            for r in refs {
                let id = value_to_string(&r.id)
                    .as_deref()
                    .and_then(ids::parse)
                    .ok_or_else(|| {
                        SyncError::Protocol("stream/items/ids: an item id is not a number".into())
                    })?;
                if seen.insert(id) {
                    out.push(id);
                }
            }
            if out.len() > self.opts.max_ids {
                return Err(SyncError::Protocol(format!(
                    "stream/items/ids: more than {} ids",
                    self.opts.max_ids
                )));
            }
            let next = page
                .continuation
                .as_ref()
                .and_then(value_to_string)
                .filter(|c| !c.is_empty() && c != "0");
            match next {
                Some(c) if page_len > 0 => {
                    if !continuations.insert(c.clone()) {
                        return Err(SyncError::Protocol(
                            "stream/items/ids: the server repeats a continuation".into(),
                        ));
                    }
                    continuation = Some(c);
                }
                _ => return Ok(out),
            }
        }
    }

    /// One `stream/items/contents` POST for `chunk`, split in halves when the answer is too
    /// large; items the server did not return are listed as missing.
    async fn contents(&self, chunk: &[ItemId]) -> Result<(Vec<Item>, Vec<ItemId>), SyncError> {
        let mut items = Vec::new();
        let mut missing = Vec::new();
        let mut pending: Vec<&[ItemId]> = vec![chunk];
        while let Some(part) = pending.pop() {
            let form: Vec<(&'static str, String)> =
                part.iter().map(|id| ("i", self.id_value(*id))).collect();
            let call = Call {
                what: "stream/items/contents",
                method: Method::Post,
                path: "stream/items/contents",
                query: vec![("output", "json".to_owned())],
                form,
                retry: Retry::Safe,
            };
            let reply = match self.call(&call).await {
                Err(SyncError::TooLarge { .. }) if part.len() > 1 => {
                    let (a, b) = part.split_at(part.len() / 2);
                    pending.push(b);
                    pending.push(a);
                    continue;
                }
                Err(SyncError::TooLarge { limit }) => {
                    tracing::warn!(limit, "an item is larger than the answer limit; skipped");
                    missing.extend_from_slice(part);
                    continue;
                }
                r => r?,
            };
            if !reply.status.is_success() {
                return Err(status_error(&reply));
            }
            if is_empty_array(&reply.body) {
                return Err(SyncError::Unsupported("stream/items/contents"));
            }
            #[derive(Deserialize)]
            struct Contents {
                items: Vec<Value>,
            }
            let c: Contents = json(&reply.body, "stream/items/contents")?;
            let wanted: HashSet<ItemId> = part.iter().copied().collect();
            let mut got = HashSet::new();
            for v in c.items {
                if let Some(item) = item_from_json(&v)
                    && wanted.contains(&item.id)
                    && got.insert(item.id)
                {
                    items.push(item);
                }
            }
            missing.extend(part.iter().filter(|id| !got.contains(id)));
        }
        Ok((items, missing))
    }

    async fn edit_tag(&self, ids: &[ItemId], tag: &str, add: bool) -> Result<(), SyncError> {
        for chunk in dedup(ids).chunks(self.opts.edit_batch.max(1)) {
            let mut form = vec![(if add { "a" } else { "r" }, tag.to_owned())];
            form.extend(chunk.iter().map(|id| ("i", self.id_value(*id))));
            self.post_ok(Call {
                what: "edit-tag",
                method: Method::Post,
                path: "edit-tag",
                query: vec![],
                form,
                retry: Retry::Safe,
            })
            .await?;
        }
        Ok(())
    }

    async fn subscription_edit(
        &self,
        form: Vec<(&'static str, String)>,
        retry: Retry,
    ) -> Result<(), SyncError> {
        self.post_ok(Call {
            what: "subscription/edit",
            method: Method::Post,
            path: "subscription/edit",
            query: vec![],
            form,
            retry,
        })
        .await
    }
}

#[async_trait]
impl SyncService for GReaderClient {
    fn kind(&self) -> ServiceKind {
        ServiceKind::GoogleReader
    }

    async fn login(&self) -> Result<(), SyncError> {
        let mut s = self.session.lock().await;
        self.login_into(&mut s).await
    }

    async fn folders(&self) -> Result<Vec<Folder>, SyncError> {
        #[derive(Deserialize)]
        struct Tags {
            tags: Vec<Tag>,
        }
        #[derive(Deserialize)]
        struct Tag {
            id: String,
            #[serde(rename = "type", default)]
            kind: Option<String>,
        }
        let tags: Tags = self
            .get_json(Call {
                what: "tag/list",
                method: Method::Get,
                path: "tag/list",
                query: vec![("output", "json".to_owned())],
                form: vec![],
                retry: Retry::Safe,
            })
            .await?;
        let mut seen = HashSet::new();
        Ok(tags
            .tags
            .into_iter()
            // FreshRSS lists its user tags (type "tag") beside folders; they hold items, not feeds.
            .filter(|t| t.kind.as_deref() != Some("tag"))
            .filter_map(|t| label(&t.id))
            .filter(|f| seen.insert(f.id.clone()))
            .collect())
    }

    async fn subscriptions(&self) -> Result<Vec<Subscription>, SyncError> {
        #[derive(Deserialize)]
        struct List {
            subscriptions: Vec<Sub>,
        }
        #[derive(Deserialize)]
        struct Sub {
            id: String,
            #[serde(default)]
            title: Option<String>,
            #[serde(default)]
            url: Option<String>,
            #[serde(rename = "htmlUrl", default)]
            html_url: Option<String>,
            #[serde(default)]
            categories: Vec<Category>,
        }
        #[derive(Deserialize)]
        struct Category {
            id: String,
        }
        let list: List = self
            .get_json(Call {
                what: "subscription/list",
                method: Method::Get,
                path: "subscription/list",
                query: vec![("output", "json".to_owned())],
                form: vec![],
                retry: Retry::Safe,
            })
            .await?;
        Ok(list
            .subscriptions
            .into_iter()
            .map(|s| {
                let feed_url = s
                    .url
                    .clone()
                    .filter(|u| !u.is_empty())
                    .or_else(|| {
                        s.id.strip_prefix("feed/")
                            .filter(|r| r.contains("://"))
                            .map(str::to_owned)
                    })
                    .unwrap_or_default();
                Subscription {
                    title: s
                        .title
                        .filter(|t| !t.is_empty())
                        .unwrap_or_else(|| feed_url.clone()),
                    feed_url,
                    site_url: s.html_url.filter(|u| !u.is_empty()),
                    folder_ids: s
                        .categories
                        .iter()
                        .filter_map(|c| label(&c.id))
                        .map(|f| f.id)
                        .collect(),
                    id: s.id,
                }
            })
            .collect())
    }

    async fn unread_ids(&self) -> Result<Vec<ItemId>, SyncError> {
        self.stream_ids(READING_LIST, Some(READ), None).await
    }

    async fn starred_ids(&self) -> Result<Vec<ItemId>, SyncError> {
        self.stream_ids(STARRED, None, None).await
    }

    async fn recent_ids(&self, since: Option<i64>) -> Result<Vec<ItemId>, SyncError> {
        self.stream_ids(READING_LIST, None, since).await
    }

    async fn fetch_items(
        &self,
        ids: &[ItemId],
        on_batch: &mut OnBatch<'_>,
    ) -> Result<FetchSummary, SyncError> {
        let ids = dedup(ids);
        let total = ids.len();
        let mut summary = FetchSummary::default();
        // In order, a few at once; dropping the stream on Break cancels what is in flight.
        let chunks: Vec<Vec<ItemId>> = ids
            .chunks(self.opts.contents_batch.max(1))
            .map(<[ItemId]>::to_vec)
            .collect();
        let mut results = futures_util::stream::iter(chunks)
            .map(|chunk| async move { self.contents(&chunk).await })
            .buffered(self.opts.contents_concurrency.max(1));
        while let Some(result) = results.next().await {
            let (items, missing) = result?;
            if summary.hand_over(items, missing, Some(total), on_batch) {
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
        let ids: Vec<ItemId> = self
            .recent_ids(query.since)
            .await?
            .into_iter()
            .filter(|id| !(query.skip)(*id))
            .collect();
        self.fetch_items(&ids, on_batch).await
    }

    async fn mark_read(&self, ids: &[ItemId], read: bool) -> Result<(), SyncError> {
        self.edit_tag(ids, READ, read).await
    }

    async fn mark_starred(&self, ids: &[ItemId], starred: bool) -> Result<(), SyncError> {
        self.edit_tag(ids, STARRED, starred).await
    }

    async fn mark_all_read(&self, scope: &MarkScope, before: i64) -> Result<(), SyncError> {
        if before <= 0 {
            // Nothing was published before 1970; and `ts=0` means "now" to both servers.
            return Ok(());
        }
        let stream = match scope {
            MarkScope::All => READING_LIST.to_owned(),
            MarkScope::Feed(id) => id.clone(),
            MarkScope::Folder(id) => label(id).map(|f| f.id).unwrap_or_else(|| id.clone()),
        };
        let ts = before.saturating_mul(1_000_000);
        self.post_ok(Call {
            what: "mark-all-as-read",
            method: Method::Post,
            path: "mark-all-as-read",
            query: vec![],
            form: vec![("s", stream), ("ts", ts.to_string())],
            retry: Retry::Safe,
        })
        .await
    }

    async fn subscribe(
        &self,
        url: &str,
        title: Option<&str>,
        folder: Option<&str>,
    ) -> Result<Subscribed, SyncError> {
        #[derive(Deserialize)]
        struct QuickAdd {
            #[serde(rename = "numResults", default)]
            num_results: Option<Value>,
            #[serde(rename = "streamId", default)]
            stream_id: Option<String>,
            #[serde(rename = "streamName", default)]
            stream_name: Option<String>,
            #[serde(default)]
            error: Option<String>,
        }
        let reply = self
            .call(&Call {
                what: "subscription/quickadd",
                method: Method::Post,
                path: "subscription/quickadd",
                query: vec![],
                form: vec![("quickadd", url.trim().to_owned())],
                // Creates a subscription: not resent once it may have arrived.
                retry: Retry::ConnectOnly,
            })
            .await?;
        if reply.status == 400 || reply.status == 404 {
            return Err(SyncError::Rejected("no feed found at that address".into()));
        }
        if !reply.status.is_success() {
            return Err(status_error(&reply));
        }
        if is_empty_array(&reply.body) {
            return Err(SyncError::Unsupported("subscription/quickadd"));
        }
        let q: QuickAdd = json(&reply.body, "subscription/quickadd")?;
        let found = q.num_results.as_ref().and_then(value_to_i64).unwrap_or(0) > 0;
        let Some(id) = q.stream_id.filter(|s| found && !s.is_empty()) else {
            let why = q
                .error
                .map(|e| {
                    let secrets = self.secrets(&[]);
                    redact(&e, &secrets).chars().take(200).collect::<String>()
                })
                .filter(|e| !e.is_empty())
                .unwrap_or_else(|| "no feed found at that address".into());
            return Err(SyncError::Rejected(why));
        };
        let mut form = vec![("ac", "edit".to_owned()), ("s", id.clone())];
        if let Some(f) = folder.map(str::trim).filter(|f| !f.is_empty()) {
            form.push(("a", format!("{LABEL_PREFIX}{f}")));
        }
        if let Some(t) = title.map(str::trim).filter(|t| !t.is_empty()) {
            form.push(("t", t.to_owned()));
        }
        if form.len() > 2 {
            self.subscription_edit(form, Retry::Safe).await?;
        }
        Ok(Subscribed {
            title: title
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .or(q.stream_name)
                .unwrap_or_else(|| url.trim().to_owned()),
            id,
        })
    }

    async fn unsubscribe(&self, feed_id: &str) -> Result<(), SyncError> {
        self.subscription_edit(
            vec![("ac", "unsubscribe".to_owned()), ("s", feed_id.to_owned())],
            Retry::Safe,
        )
        .await
    }

    async fn rename_subscription(&self, feed_id: &str, title: &str) -> Result<(), SyncError> {
        let title = title.trim();
        if title.is_empty() {
            return Err(SyncError::Rejected("a title cannot be empty".into()));
        }
        self.subscription_edit(
            vec![
                ("ac", "edit".to_owned()),
                ("s", feed_id.to_owned()),
                ("t", title.to_owned()),
            ],
            Retry::Safe,
        )
        .await
    }

    async fn move_subscription(&self, feed_id: &str, folder: &str) -> Result<(), SyncError> {
        let folder = folder.trim();
        if folder.is_empty() {
            return Err(SyncError::Rejected("a folder name cannot be empty".into()));
        }
        self.subscription_edit(
            vec![
                ("ac", "edit".to_owned()),
                ("s", feed_id.to_owned()),
                ("a", format!("{LABEL_PREFIX}{folder}")),
            ],
            Retry::Safe,
        )
        .await
    }
}

/// Whether an answer says the token is bad (FreshRSS `Google-Bad-Token`, Miniflux and
/// Google `X-Reader-Google-Bad-Token`).
fn bad_token(reply: &Reply) -> bool {
    ["x-reader-google-bad-token", "google-bad-token"]
        .iter()
        .any(|h| {
            reply
                .headers
                .get(*h)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
        })
}

fn is_empty_array(body: &[u8]) -> bool {
    body.iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .eq(b"[]".iter().copied())
}

/// `application/x-www-form-urlencoded` with repeated keys kept in order (`i=…&i=…`).
fn encode_form(pairs: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

fn dedup(ids: &[ItemId]) -> Vec<ItemId> {
    let mut seen = HashSet::with_capacity(ids.len());
    ids.iter().copied().filter(|id| seen.insert(*id)).collect()
}

/// A folder from a label stream id, normalised to `user/-/label/NAME`.
fn label(id: &str) -> Option<Folder> {
    let rest = id.strip_prefix("user/")?;
    let (_, name) = rest.split_once("/label/")?;
    (!name.is_empty()).then(|| Folder {
        id: format!("{LABEL_PREFIX}{name}"),
        title: name.to_owned(),
    })
}

fn value_to_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn value_to_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// One item of `stream/items/contents`, leniently: a malformed item is skipped (and so
/// reported missing) rather than failing its whole batch.
fn item_from_json(v: &Value) -> Option<Item> {
    let id = ids::parse(&value_to_string(v.get("id")?)?)?;
    let str_field = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    let href = |k: &str| {
        v.get(k)?.as_array()?.iter().find_map(|h| {
            h.get("href")?
                .as_str()
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        })
    };
    let body = |k: &str| v.get(k)?.get("content")?.as_str().map(str::to_owned);
    let categories: Vec<&str> = v
        .get("categories")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let has_state = |state: &str| {
        categories.iter().any(|c| {
            c.strip_prefix("user/")
                .and_then(|r| r.split_once('/'))
                .is_some_and(|(_, rest)| rest == format!("state/com.google/{state}"))
        })
    };
    let published = v
        .get("published")
        .and_then(value_to_i64)
        .or_else(|| {
            v.get("timestampUsec")
                .and_then(value_to_i64)
                .map(|u| u / 1_000_000)
        })
        .or_else(|| {
            v.get("crawlTimeMsec")
                .and_then(value_to_i64)
                .map(|m| m / 1000)
        });
    Some(Item {
        id,
        feed_id: v
            .get("origin")
            .and_then(|o| o.get("streamId"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        title: str_field("title").unwrap_or_default(),
        url: href("canonical").or_else(|| href("alternate")),
        author: str_field("author").filter(|a| !a.trim().is_empty()),
        published,
        // Miniflux fills both; FreshRSS's compatible output only `summary`.
        html: body("content")
            .filter(|c| !c.is_empty())
            .or_else(|| body("summary"))
            .unwrap_or_default(),
        read: has_state("read"),
        starred: has_state("starred"),
        updated: v.get("updated").and_then(value_to_i64).filter(|u| *u > 0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_of_both_servers_normalise() {
        let ok = |s: &str| normalize_base_url(s).unwrap();
        assert_eq!(
            ok("https://rss.example.org/api/greader.php"),
            "https://rss.example.org/api/greader.php"
        );
        assert_eq!(
            ok("https://rss.example.org/api/greader.php/"),
            "https://rss.example.org/api/greader.php"
        );
        assert_eq!(
            ok("https://rss.example.org/api/greader.php/reader/api/0/"),
            "https://rss.example.org/api/greader.php"
        );
        assert_eq!(ok("https://mf.example.org"), "https://mf.example.org");
        assert_eq!(ok("https://mf.example.org/"), "https://mf.example.org");
        assert_eq!(
            ok("https://mf.example.org/miniflux/accounts/ClientLogin"),
            "https://mf.example.org/miniflux"
        );
        assert_eq!(
            ok(" https://mf.example.org/?x=1#y "),
            "https://mf.example.org"
        );
        assert!(matches!(
            normalize_base_url("ftp://x"),
            Err(SyncError::Config(_))
        ));
        assert!(matches!(
            normalize_base_url("not a url"),
            Err(SyncError::Config(_))
        ));
        assert!(
            matches!(
                normalize_base_url("https://u:p@x.org"),
                Err(SyncError::Config(_))
            ),
            "credentials in the URL would be sent and logged; refuse them"
        );
    }

    #[test]
    fn labels_normalise_to_the_dash_user() {
        assert_eq!(
            label("user/1/label/Tech"),
            Some(Folder {
                id: "user/-/label/Tech".into(),
                title: "Tech".into()
            })
        );
        assert_eq!(
            label("user/-/label/A/B").map(|f| f.title),
            Some("A/B".into())
        );
        assert_eq!(label("user/-/state/com.google/starred"), None);
        assert_eq!(label("feed/3"), None);
    }

    #[test]
    fn items_parse_from_both_servers_shapes() {
        let freshrss = serde_json::json!({
            "id": "tag:google.com,2005:reader/item/00060a3dbd1c6d40",
            "crawlTimeMsec": "1700000000123",
            "timestampUsec": "1700000000123456",
            "published": 1699990000,
            "title": "T",
            "canonical": [{"href": "https://ex.org/a"}],
            "alternate": [{"href": "https://ex.org/a"}],
            "categories": ["user/-/state/com.google/reading-list", "user/-/label/News", "user/-/state/com.google/read"],
            "origin": {"streamId": "feed/3", "title": "F"},
            "summary": {"content": "<p>x</p>"},
            "author": "A"
        });
        let it = item_from_json(&freshrss).unwrap();
        assert_eq!(it.id, ItemId(0x00060a3dbd1c6d40));
        assert_eq!(it.html, "<p>x</p>", "FreshRSS puts the content in summary");
        assert!(it.read && !it.starred);
        assert_eq!(it.feed_id, "feed/3");
        assert_eq!(it.published, Some(1_699_990_000));
        let miniflux = serde_json::json!({
            "id": "tag:google.com,2005:reader/item/00000000148b9369",
            "categories": ["user/1/state/com.google/reading-list", "user/1/state/com.google/starred"],
            "title": "M", "published": 1710000000, "author": "",
            "alternate": [{"href": "https://ex.org/m", "type": "text/html"}],
            "summary": {"content": "<p>s</p>"}, "content": {"content": "<p>c</p>"},
            "origin": {"streamId": "feed/42"}
        });
        let it = item_from_json(&miniflux).unwrap();
        assert_eq!(it.html, "<p>c</p>");
        assert!(
            !it.read && it.starred,
            "user/1/... states count like user/-/..."
        );
        assert_eq!(it.author, None);
        assert_eq!(it.url.as_deref(), Some("https://ex.org/m"));
        assert!(item_from_json(&serde_json::json!({"id": "zzz"})).is_none());
    }

    #[test]
    fn freshrss_titles_are_compared_in_its_fullwidth_form() {
        assert_eq!(
            freshrss_title_form(" Feed & <Four>? a/b, c; d\\e 'q\" ^ "),
            "Feed ＆ ＜Four＞？ a／b， c； d＼e 'q\" ^",
            "what FreshRSS 1.25's subscription/list sends for that name"
        );
        assert_eq!(freshrss_title_form("新聞？"), "新聞？", "fullwidth stays");
    }

    #[test]
    fn forms_keep_repeated_keys_in_order() {
        assert_eq!(
            encode_form(&[
                ("a", "user/-/state/com.google/read"),
                ("i", "1"),
                ("i", "2")
            ]),
            "a=user%2F-%2Fstate%2Fcom.google%2Fread&i=1&i=2"
        );
        assert!(is_empty_array(b" [ ]\n") && !is_empty_array(b"[1]"));
    }
}
