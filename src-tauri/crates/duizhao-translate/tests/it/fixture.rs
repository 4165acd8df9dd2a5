//! Real HTTP fixture servers on 127.0.0.1:0, one per provider, implementing each service's
//! documented request/response and error shapes. Every request is recorded (method, URI,
//! headers, body) so tests can assert on what was sent; faults can be queued to be served
//! instead of (or before) the normal answer.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub uri: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn query(&self) -> Vec<(String, String)> {
        let q = self.uri.split_once('?').map(|(_, q)| q).unwrap_or("");
        form_urlencoded::parse(q.as_bytes()).into_owned().collect()
    }

    pub fn query_get(&self, k: &str) -> Option<String> {
        self.query()
            .into_iter()
            .find(|(a, _)| a == k)
            .map(|(_, v)| v)
    }

    pub fn form(&self) -> Vec<(String, String)> {
        form_urlencoded::parse(self.body.as_bytes())
            .into_owned()
            .collect()
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }

    /// Everything the client sent, as one string (for "the key never appears" checks).
    pub fn everything(&self) -> String {
        let mut s = format!("{} {}\n", self.method, self.uri);
        for (k, v) in &self.headers {
            s.push_str(&format!("{k}: {v}\n"));
        }
        s.push_str(&self.body);
        s
    }
}

/// A fault served instead of the normal answer, to the next matching request.
#[derive(Debug, Clone)]
pub enum Fault {
    /// An error status with a body and extra headers.
    Status(u16, String, Vec<(&'static str, String)>),
    /// Sleep this long before answering normally (past the client's timeout).
    Stall(Duration),
    /// 200 with exactly this body (truncated or malformed JSON).
    Body(String),
    /// A responder-specific misbehaviour (`missing-id`, `swap-ids`, `extra-id`, `dup-id`, `empty`).
    Mode(&'static str),
}

type Responder = dyn Fn(&Recorded, Option<&'static str>) -> (u16, String) + Send + Sync;

pub struct Shared {
    pub requests: Mutex<Vec<Recorded>>,
    pub faults: Mutex<VecDeque<Fault>>,
    pub latency: Mutex<Duration>,
    fault_path: &'static str,
    responder: Box<Responder>,
    /// Requests being handled now, and the most there ever were at once.
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    /// Responses sent.
    answered: AtomicUsize,
    /// Hold each request until this many are in flight (see `hold_until_in_flight`).
    rendezvous: AtomicUsize,
    changed: tokio::sync::Notify,
}

pub struct Fixture {
    pub url: String,
    pub shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Fixture {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Fixture {
    pub async fn start(
        fault_path: &'static str,
        responder: impl Fn(&Recorded, Option<&'static str>) -> (u16, String) + Send + Sync + 'static,
    ) -> Fixture {
        let shared = Arc::new(Shared {
            requests: Mutex::new(Vec::new()),
            faults: Mutex::new(VecDeque::new()),
            latency: Mutex::new(Duration::ZERO),
            fault_path,
            responder: Box::new(responder),
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
            answered: AtomicUsize::new(0),
            rendezvous: AtomicUsize::new(0),
            changed: tokio::sync::Notify::new(),
        });
        let st = shared.clone();
        let app = axum::Router::new().fallback(
            move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
                let st = st.clone();
                async move { handle(st, method, uri, headers, body).await }
            },
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("addr");
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Fixture {
            url: format!("http://{addr}"),
            shared,
            task,
        }
    }

    pub fn fault(&self, f: Fault) -> &Self {
        self.shared.faults.lock().unwrap().push_back(f);
        self
    }

    pub fn set_latency(&self, d: Duration) {
        *self.shared.latency.lock().unwrap() = d;
    }

    /// Holds every request until `n` are in flight together (or 10 s pass, so a client that
    /// never sends `n` at once shows up as a lower `max_in_flight`, not as a hang). Makes
    /// concurrency observable without timing anything.
    pub fn hold_until_in_flight(&self, n: usize) {
        self.shared.rendezvous.store(n, Ordering::SeqCst);
    }

    /// The most requests ever handled at once.
    pub fn max_in_flight(&self) -> usize {
        self.shared.max_in_flight.load(Ordering::SeqCst)
    }

    /// Responses sent so far.
    pub fn answered(&self) -> usize {
        self.shared.answered.load(Ordering::SeqCst)
    }

    /// Waits until at least one request has arrived.
    pub async fn first_request(&self) {
        loop {
            let changed = self.shared.changed.notified();
            if !self.requests().is_empty() {
                return;
            }
            changed.await;
        }
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.requests.lock().unwrap().clone()
    }

    /// Requests to the translation path (fault path).
    pub fn translate_requests(&self) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| r.path.contains(self.shared.fault_path))
            .collect()
    }

    pub fn clear(&self) {
        self.shared.requests.lock().unwrap().clear();
    }
}

async fn handle(
    st: Arc<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let rec = Recorded {
        method: method.to_string(),
        uri: uri.to_string(),
        path: uri.path().to_owned(),
        headers: headers
            .iter()
            .map(|(k, v)| {
                (
                    k.to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    st.requests.lock().unwrap().push(rec.clone());
    let now = st.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    st.max_in_flight.fetch_max(now, Ordering::SeqCst);
    st.changed.notify_waiters();
    let want = st.rendezvous.load(Ordering::SeqCst);
    if want > 0 {
        let together = async {
            loop {
                let changed = st.changed.notified();
                if st.max_in_flight.load(Ordering::SeqCst) >= want {
                    break;
                }
                changed.await;
            }
        };
        let _ = tokio::time::timeout(Duration::from_secs(10), together).await;
    }
    let response = respond(&st, rec).await;
    st.in_flight.fetch_sub(1, Ordering::SeqCst);
    st.answered.fetch_add(1, Ordering::SeqCst);
    st.changed.notify_waiters();
    response
}

async fn respond(st: &Shared, rec: Recorded) -> Response {
    let latency = *st.latency.lock().unwrap();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let fault = if rec.path.contains(st.fault_path) {
        st.faults.lock().unwrap().pop_front()
    } else {
        None
    };
    let mut mode = None;
    match fault {
        Some(Fault::Status(code, body, hdrs)) => {
            let mut resp = (StatusCode::from_u16(code).unwrap(), body).into_response();
            resp.headers_mut()
                .insert("content-type", "application/json".parse().unwrap());
            for (k, v) in hdrs {
                resp.headers_mut().insert(k, v.parse().unwrap());
            }
            return resp;
        }
        Some(Fault::Stall(d)) => tokio::time::sleep(d).await,
        Some(Fault::Body(b)) => return json_response(200, b),
        Some(Fault::Mode(m)) => mode = Some(m),
        None => {}
    }
    let (code, body) = (st.responder)(&rec, mode);
    json_response(code, body)
}

fn json_response(code: u16, body: String) -> Response {
    let mut resp = (StatusCode::from_u16(code).unwrap(), body).into_response();
    resp.headers_mut().insert(
        "content-type",
        "application/json; charset=utf-8".parse().unwrap(),
    );
    resp
}

/// The fixtures' "translation": a tag and the source text.
pub fn fake(tag: &str, text: &str) -> String {
    format!("[{tag}] {text}")
}

fn err_json(code: u16, msg: &str) -> (u16, String) {
    (
        code,
        json!({"error": {"code": code, "message": msg}}).to_string(),
    )
}

// ---------------------------------------------------------------- providers

/// OpenAI-compatible chat. `key`: the Bearer key required (None = keyless, like Ollama).
pub async fn openai(key: Option<&str>) -> Fixture {
    let key = key.map(str::to_owned);
    Fixture::start("/chat/completions", move |r, mode| {
        if let Some(k) = &key
            && r.header("authorization") != Some(&format!("Bearer {k}"))
        {
            return err_json(401, "Incorrect API key provided.");
        }
        let req = r.json();
        let Some(content) = req.pointer("/messages/1/content").and_then(Value::as_str) else {
            return err_json(400, "messages missing");
        };
        let Ok(user) = serde_json::from_str::<Value>(content) else {
            return err_json(400, "user content is not JSON");
        };
        let tag = user["targetLanguage"].as_str().unwrap_or("?").to_owned();
        let glossary: Vec<(String, String)> = user["glossary"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|g| (g["source"].as_str().unwrap_or("").to_owned(), g["target"].as_str().unwrap_or("").to_owned()))
                    .collect()
            })
            .unwrap_or_default();
        let mut items: Vec<Value> = user["segments"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .map(|s| {
                let mut text = s["text"].as_str().unwrap_or("").to_owned();
                for (a, b) in &glossary {
                    text = text.replace(a.as_str(), b);
                }
                json!({"id": s["id"], "text": fake(&tag, &text)})
            })
            .collect();
        match mode {
            Some("missing-id") if !items.is_empty() => {
                items.pop();
            }
            Some("swap-ids") if items.len() > 1 => items.swap(0, 1),
            Some("extra-id") => items.push(json!({"id": "999", "text": "extra"})),
            Some("dup-id") if items.len() > 1 => items[1]["id"] = items[0]["id"].clone(),
            Some("length") => {
                return (200, json!({"choices": [{"index": 0, "message": {"role": "assistant", "content": "{\"translations\":[{\"id\":\"1\",\"te"}, "finish_reason": "length"}]}).to_string());
            }
            _ => {}
        }
        let content = format!("```json\n{}\n```", json!({"translations": items}));
        (200, json!({
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        }).to_string())
    })
    .await
}

/// DeepL v2.
pub async fn deepl(key: &str) -> Fixture {
    let key = key.to_owned();
    Fixture::start("/v2/translate", move |r, mode| {
        if r.header("authorization") != Some(&format!("DeepL-Auth-Key {key}")) {
            return (403, json!({"message": "Wrong endpoint. Use https://api.deepl.com"}).to_string());
        }
        let req = r.json();
        let tag = req["target_lang"].as_str().unwrap_or("?").to_owned();
        let texts = req["text"].as_array().cloned().unwrap_or_default();
        if texts.len() > 50 {
            return (413, json!({"message": "Request too large"}).to_string());
        }
        let mut tr: Vec<Value> = texts
            .iter()
            .map(|t| json!({"detected_source_language": "EN", "text": fake(&tag, t.as_str().unwrap_or(""))}))
            .collect();
        if mode == Some("missing-id") {
            tr.pop();
        }
        (200, json!({"translations": tr}).to_string())
    })
    .await
}

/// Google Cloud Translation v2 (key in the `X-goog-api-key` header, which Google accepts in
/// place of `?key=`).
pub async fn google(key: &str) -> Fixture {
    let key = key.to_owned();
    Fixture::start("/language/translate/v2", move |r, _| {
        if r.header("x-goog-api-key") != Some(key.as_str()) {
            return (400, json!({"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.", "status": "INVALID_ARGUMENT", "details": [{"reason": "API_KEY_INVALID"}]}}).to_string());
        }
        let req = r.json();
        if req["format"] != "text" {
            return err_json(400, "format must be text in this fixture");
        }
        let tag = req["target"].as_str().unwrap_or("?").to_owned();
        let tr: Vec<Value> = req["q"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|t| json!({"translatedText": fake(&tag, t.as_str().unwrap_or("")), "detectedSourceLanguage": "en"}))
            .collect();
        (200, json!({"data": {"translations": tr}}).to_string())
    })
    .await
}

/// Google's keyless gtx endpoint (`dj=1` shape: sentences with `trans`).
pub async fn google_web() -> Fixture {
    Fixture::start("/translate_a/single", |r, _| {
        let q = r.query_get("q").unwrap_or_default();
        let tl = r.query_get("tl").unwrap_or_default();
        if r.query_get("client").as_deref() != Some("gtx")
            || r.query_get("dj").as_deref() != Some("1")
        {
            return (400, "bad request".into());
        }
        // Two sentences and a transliteration entry, as the real endpoint answers.
        let full = fake(&tl, &q);
        let cut = full
            .char_indices()
            .nth(full.chars().count() / 2)
            .map_or(full.len(), |(i, _)| i);
        (
            200,
            json!({
                "sentences": [
                    {"trans": &full[..cut], "orig": "a", "backend": 10},
                    {"trans": &full[cut..], "orig": "b", "backend": 10},
                    {"translit": "xx"}
                ],
                "src": "en",
                "confidence": 1.0
            })
            .to_string(),
        )
    })
    .await
}

/// Microsoft Translator v3.
pub async fn microsoft(key: &str, region: Option<&str>) -> Fixture {
    let key = key.to_owned();
    let region = region.map(str::to_owned);
    Fixture::start("/translate", move |r, _| {
        if r.header("ocp-apim-subscription-key") != Some(key.as_str()) {
            return (401, json!({"error": {"code": 401000, "message": "The request is not authorized because credentials are missing or invalid."}}).to_string());
        }
        if let Some(reg) = &region
            && r.header("ocp-apim-subscription-region") != Some(reg.as_str())
        {
            return (401, json!({"error": {"code": 401015, "message": "region mismatch"}}).to_string());
        }
        if r.query_get("api-version").as_deref() != Some("3.0") {
            return (400, json!({"error": {"code": 400021, "message": "The API version parameter is missing or invalid."}}).to_string());
        }
        let to = r.query_get("to").unwrap_or_default();
        v3_reply(&to, r.json().as_array().cloned().unwrap_or_default().iter().map(|v| v["Text"].as_str().unwrap_or("").to_owned()))
    })
    .await
}

fn v3_reply(to: &str, texts: impl Iterator<Item = String>) -> (u16, String) {
    let items: Vec<Value> = texts
        .map(|t| json!({"detectedLanguage": {"language": "en", "score": 1.0}, "translations": [{"text": fake(to, &t), "to": to}]}))
        .collect();
    (200, Value::Array(items).to_string())
}

/// Edge's keyless translatetext; like the real one, it treats input as HTML: a raw `<` in
/// the input would be eaten by the aligner, so the fixture refuses it.
pub async fn edge() -> Fixture {
    Fixture::start("/translate/translatetext", |r, _| {
        if r.query_get("isEnterpriseClient").as_deref() != Some("false") {
            return (400, "missing isEnterpriseClient".into());
        }
        let to = r.query_get("to").unwrap_or_default();
        let Some(arr) = r.json().as_array().cloned() else {
            return (
                400,
                json!({"error": {"code": 400000, "message": "body must be an array"}}).to_string(),
            );
        };
        let texts: Vec<String> = arr
            .iter()
            .map(|v| v.as_str().unwrap_or("").to_owned())
            .collect();
        if texts.iter().any(|t| t.contains('<')) {
            return (
                400,
                json!({"error": {"code": 400000, "message": "unescaped markup"}}).to_string(),
            );
        }
        v3_reply(&to, texts.into_iter())
    })
    .await
}

/// LibreTranslate; `key` required in the body when Some.
pub async fn libretranslate(key: Option<&str>) -> Fixture {
    let key = key.map(str::to_owned);
    Fixture::start("/translate", move |r, _| {
        let req = r.json();
        if let Some(k) = &key
            && req["api_key"].as_str() != Some(k.as_str())
        {
            return (403, json!({"error": "Invalid API key"}).to_string());
        }
        let tag = req["target"].as_str().unwrap_or("?").to_owned();
        match &req["q"] {
            Value::Array(a) => {
                let t: Vec<String> = a.iter().map(|v| fake(&tag, v.as_str().unwrap_or(""))).collect();
                (200, json!({"translatedText": t, "detectedLanguage": [{"language": "en", "confidence": 90}]}).to_string())
            }
            Value::String(s) => (200, json!({"translatedText": fake(&tag, s)}).to_string()),
            _ => (400, json!({"error": "Invalid request: missing q parameter"}).to_string()),
        }
    })
    .await
}

/// Apertium APy with the eng→spa pair installed.
pub async fn apertium() -> Fixture {
    Fixture::start("/translate", |r, _| {
        if r.path == "/listPairs" {
            return (200, json!({"responseData": [{"sourceLanguage": "eng", "targetLanguage": "spa"}, {"sourceLanguage": "spa", "targetLanguage": "eng"}], "responseDetails": null, "responseStatus": 200}).to_string());
        }
        let mut params = r.query();
        params.extend(r.form());
        let get = |k: &str| params.iter().find(|(a, _)| a == k).map(|(_, v)| v.clone());
        let pair = get("langpair").unwrap_or_default();
        if pair != "eng|spa" && pair != "spa|eng" {
            return (400, json!({"status": "error", "code": 400, "message": "Bad Request", "explanation": "That pair is not installed"}).to_string());
        }
        let q = get("q").unwrap_or_default();
        (200, json!({"responseData": {"translatedText": fake(&pair, &q)}, "responseDetails": null, "responseStatus": 200}).to_string())
    })
    .await
}
