//! OpenAI-compatible chat completions (`POST {endpoint}/chat/completions`): OpenAI, DeepSeek,
//! Ollama, LM Studio, OpenRouter. Segments go out as JSON keyed by id and must come back keyed
//! by the same ids in the same order; any deviation (missing, extra, duplicated, reordered ids,
//! a cut-off reply) is a `BadReply`, which the engine repairs by retrying smaller batches.

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::{BatchRequest, Provider};
use crate::config::{
    FieldKind, FieldSpec, HttpOptions, Limits, ProviderConfig, endpoint_field, key_field,
    timeout_field,
};
use crate::error::{ErrorKind, TranslateError};
use crate::http::{self, Http};
use crate::secret::Secret;

const NAME: &str = "openai";
pub(crate) const DEFAULT_ENDPOINT: &str = "https://api.openai.com/v1";
const DEFAULT_MODEL: &str = "gpt-4o-mini";
/// Bump when the built-in prompt or the request shape changes (invalidates cached output).
const PROMPT_VERSION: &str = "json-ids-1";

const DEFAULT_PROMPT: &str = "You are a professional translator for a bilingual news reader. \
Translate the text of every segment faithfully and fluently, keeping names, numbers and tone. \
Do not add explanations.";

/// Default limits: LLM replies slow down with size; small batches stream progress sooner.
pub const LIMITS: Limits = Limits {
    max_segments: 25,
    max_chars: 6_000,
    requests_per_second: 3,
    max_concurrency: 3,
};

/// The settings fields.
pub fn fields() -> Vec<FieldSpec> {
    vec![
        endpoint_field(
            DEFAULT_ENDPOINT,
            "Base URL of an OpenAI-compatible API, e.g. https://api.deepseek.com or http://localhost:11434/v1 (Ollama).",
        ),
        key_field(
            false,
            "Bearer key. Not needed for local servers such as Ollama or LM Studio.",
        ),
        FieldSpec {
            key: "model",
            label: "Model",
            kind: FieldKind::Text,
            required: true,
            default: Some(DEFAULT_MODEL),
            help: "Model id as the service names it.",
        },
        FieldSpec {
            key: "temperature",
            label: "Temperature",
            kind: FieldKind::Number,
            required: false,
            default: Some("0.1"),
            help: "Lower is more literal and repeatable.",
        },
        FieldSpec {
            key: "prompt",
            label: "Custom prompt",
            kind: FieldKind::Text,
            required: false,
            default: None,
            help: "Replaces the built-in instructions (the JSON reply format is always enforced).",
        },
        timeout_field("120"),
    ]
}

/// The OpenAI-compatible provider.
pub struct OpenAi {
    http: Http,
    url: String,
    model: String,
    temperature: f64,
    prompt: Option<String>,
    version: String,
}

impl OpenAi {
    /// Build from settings; the key is optional (local servers).
    pub fn new(
        cfg: &ProviderConfig,
        secret: Option<Secret>,
        opts: &HttpOptions,
    ) -> Result<Self, TranslateError> {
        let sends_key = secret.as_ref().is_some_and(|s| !s.is_empty());
        let endpoint = http::endpoint(NAME, cfg, DEFAULT_ENDPOINT, sends_key)?;
        let mut o = *opts;
        if cfg.get("timeout").is_none() {
            o.timeout = o.timeout.max(std::time::Duration::from_secs(120));
        }
        let http = Http::new(NAME, cfg, &o, secret)?;
        let temperature = cfg.number(NAME, "temperature", 0.1)?;
        if !(0.0..=2.0).contains(&temperature) {
            return Err(TranslateError::config(
                Some(NAME),
                "`temperature` must be between 0 and 2",
            ));
        }
        let prompt = cfg.get("prompt").map(str::to_owned);
        let version = match &prompt {
            None => PROMPT_VERSION.to_owned(),
            Some(p) => {
                let h = Sha256::digest(p.as_bytes());
                let hex: String = h.iter().take(8).map(|b| format!("{b:02x}")).collect();
                format!("{PROMPT_VERSION}+{hex}")
            }
        };
        Ok(OpenAi {
            http,
            url: http::join(&endpoint, "chat/completions"),
            model: cfg.get("model").unwrap_or(DEFAULT_MODEL).to_owned(),
            temperature,
            prompt,
            version,
        })
    }

    fn system_prompt(&self, target: &str) -> String {
        let base = self.prompt.as_deref().unwrap_or(DEFAULT_PROMPT);
        format!(
            "{base}\n\nTarget language: {}. The user message is JSON \
{{\"targetLanguage\", \"sourceLanguage\"?, \"segments\":[{{\"id\",\"text\"}}], \"glossary\":[{{\"source\",\"target\"}}]}}. \
Always render each glossary source term as its target. Reply with JSON only, exactly \
{{\"translations\":[{{\"id\":\"<same id>\",\"text\":\"<translation>\"}}]}}, one entry per segment, \
same ids, same order, no segment merged or split.",
            crate::lang::english_name(target)
        )
    }
}

#[derive(Deserialize)]
struct ChatReply {
    choices: Vec<Choice>,
}

#[derive(Deserialize)]
struct Choice {
    message: Message,
    #[serde(default)]
    finish_reason: Option<String>,
}

#[derive(Deserialize)]
struct Message {
    #[serde(default)]
    content: Option<String>,
}

/// The JSON object inside `content`, tolerating code fences and chatter around it.
fn extract_json(content: &str) -> Option<&str> {
    let start = content.find('{')?;
    let end = content.rfind('}')?;
    // `{` and `}` are ASCII, so both match positions are char boundaries.
    (end > start).then(|| &content[start..=end])
}

/// Validate `{"translations":[{"id","text"}]}` against the ids sent; any deviation is an error.
pub(crate) fn parse_translations(content: &str, ids: &[String]) -> Result<Vec<String>, String> {
    let json = extract_json(content).ok_or("reply contains no JSON object")?;
    let v: Value =
        serde_json::from_str(json).map_err(|e| format!("reply JSON is malformed ({e})"))?;
    let items = v
        .get("translations")
        .and_then(Value::as_array)
        .ok_or("reply has no `translations` array")?;
    if items.len() != ids.len() {
        return Err(format!(
            "reply has {} translations for {} segments",
            items.len(),
            ids.len()
        ));
    }
    let mut out = Vec::with_capacity(ids.len());
    for (item, want) in items.iter().zip(ids) {
        let id = match item.get("id") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => return Err("a translation has no id".to_owned()),
        };
        if &id != want {
            return Err(format!(
                "ids missing, duplicated or out of order (expected {want}, got {id})"
            ));
        }
        let text = item
            .get("text")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("translation {id} has no text"))?;
        out.push(text.to_owned());
    }
    Ok(out)
}

#[async_trait]
impl Provider for OpenAi {
    fn name(&self) -> &'static str {
        NAME
    }

    fn model(&self) -> &str {
        &self.model
    }

    fn prompt_version(&self) -> String {
        self.version.clone()
    }

    fn limits(&self) -> Limits {
        LIMITS
    }

    fn uses_glossary_prompt(&self) -> bool {
        true
    }

    async fn translate(&self, req: &BatchRequest<'_>) -> Result<Vec<String>, TranslateError> {
        let ids: Vec<String> = (1..=req.texts.len()).map(|i| i.to_string()).collect();
        let segments: Vec<Value> = ids
            .iter()
            .zip(req.texts)
            .map(|(id, t)| json!({"id": id, "text": t}))
            .collect();
        let glossary: Vec<Value> = req
            .glossary
            .iter()
            .map(|g| json!({"source": g.source, "target": g.target}))
            .collect();
        let mut user = json!({
            "targetLanguage": crate::lang::english_name(req.target),
            "segments": segments,
            "glossary": glossary,
        });
        if let Some(s) = req.source {
            user["sourceLanguage"] = json!(crate::lang::english_name(s));
        }
        let body = json!({
            "model": self.model,
            "temperature": self.temperature,
            "stream": false,
            "messages": [
                {"role": "system", "content": self.system_prompt(req.target)},
                {"role": "user", "content": user.to_string()},
            ],
        });
        let mut rb = self.http.client().post(&self.url).json(&body);
        if let Some(k) = self.http.secret() {
            rb = rb.bearer_auth(k.expose());
        }
        let reply = self.http.send(rb).await?;
        let reply = self.http.check(reply, |status, body| match status {
            402 => Some(ErrorKind::Quota),
            429 if body.contains("insufficient_quota") => Some(ErrorKind::Quota),
            _ => None,
        })?;
        let chat: ChatReply = self.http.json(&reply.body)?;
        let choice = chat
            .choices
            .into_iter()
            .next()
            .ok_or_else(|| self.http.bad_reply("reply has no choices"))?;
        if choice.finish_reason.as_deref() == Some("length") {
            return Err(self
                .http
                .bad_reply("reply was cut off (too long for the model's output limit)"));
        }
        let content = choice.message.content.unwrap_or_default();
        parse_translations(&content, &ids).map_err(|e| self.http.bad_reply(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tolerates_fences_and_rejects_misaligned_ids() {
        let ids = vec!["1".to_owned(), "2".to_owned()];
        let ok = "```json\n{\"translations\":[{\"id\":\"1\",\"text\":\"a\"},{\"id\":2,\"text\":\"b\"}]}\n```";
        assert_eq!(parse_translations(ok, &ids).unwrap(), vec!["a", "b"]);
        let missing = "{\"translations\":[{\"id\":\"1\",\"text\":\"a\"}]}";
        assert!(parse_translations(missing, &ids).is_err());
        let swapped =
            "{\"translations\":[{\"id\":\"2\",\"text\":\"b\"},{\"id\":\"1\",\"text\":\"a\"}]}";
        assert!(parse_translations(swapped, &ids).is_err());
        let dup =
            "{\"translations\":[{\"id\":\"1\",\"text\":\"a\"},{\"id\":\"1\",\"text\":\"b\"}]}";
        assert!(parse_translations(dup, &ids).is_err());
        assert!(parse_translations("{\"translations\":[", &ids).is_err());
    }
}
