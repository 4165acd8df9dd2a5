//! Translation providers as the reader configures them: their settings forms, the
//! non-secret settings in `config.toml`, API keys in the OS keyring, the chain a job is tried
//! along, and the settings page's "test connection".

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::error::{CoreError, Result};
use crate::handle::LibraryHandle;
use crate::library::Library;
use crate::model::{FieldView, ProviderTest, ProviderView};
use crate::store::config::ProviderConfigs;
use duizhao_translate::{
    CancellationToken, Engine, FieldKind, HttpOptions, Job, Segment, providers,
};

/// Forgets `name`'s key because its endpoint moved to another destination: deleted from the
/// keyring. A key in the environment cannot be deleted from here: the change is refused
/// instead, so the key never reaches a host it was not given for.
fn forget_key(name: &str) -> Result<()> {
    let var = duizhao_translate::secret::env_var_name(name);
    if std::env::var_os(&var).is_some() {
        return Err(CoreError::InvalidInput(format!(
            "{var} holds a key given for {name}'s current endpoint; unset it before pointing \
             {name} at another host, then give the key again"
        )));
    }
    duizhao_translate::KeyringSecrets::delete(name).map_err(|e| CoreError::Keyring {
        reason: e,
        env_var: var,
    })
}

pub(crate) fn known_provider(name: &str) -> Result<providers::ProviderInfo> {
    providers::info(name).ok_or_else(|| {
        CoreError::InvalidInput(format!(
            "unknown provider `{name}`; known: {}",
            providers::NAMES.join(", ")
        ))
    })
}

impl Library {
    /// Every provider with its settings form and whether it is ready (keys never included).
    pub fn list_providers(&self) -> Vec<ProviderView> {
        providers::all()
            .into_iter()
            .map(|info| self.provider_view(&info))
            .collect()
    }

    fn provider_view(&self, info: &providers::ProviderInfo) -> ProviderView {
        let cfg = self.providers.get(info.name);
        let has_key = self.secrets().get(info.name).is_some();
        let fields: Vec<FieldView> = info
            .fields
            .iter()
            .map(|f| {
                let (kind, options) = match &f.kind {
                    FieldKind::Text => ("text", vec![]),
                    FieldKind::Secret => ("secret", vec![]),
                    FieldKind::Url => ("url", vec![]),
                    FieldKind::Number => ("number", vec![]),
                    FieldKind::Select { options } => {
                        ("select", options.iter().map(|o| o.to_string()).collect())
                    }
                };
                let value = if f.kind == FieldKind::Secret {
                    None
                } else {
                    cfg.get(f.key).map(str::to_string)
                };
                FieldView {
                    key: f.key.to_string(),
                    label: f.label.to_string(),
                    kind: kind.to_string(),
                    options,
                    required: f.required,
                    default: f.default.map(str::to_string),
                    help: f.help.to_string(),
                    value,
                }
            })
            .collect();
        let required_set = fields
            .iter()
            .all(|f| !f.required || f.kind == "secret" || f.value.is_some() || f.default.is_some());
        ProviderView {
            name: info.name.to_string(),
            label: info.label.to_string(),
            needs_key: info.needs_key,
            has_key,
            ready: required_set && (!info.needs_key || has_key),
            fields,
        }
    }

    /// One provider's view.
    pub fn provider(&self, name: &str) -> Result<ProviderView> {
        Ok(self.provider_view(&known_provider(name)?))
    }

    /// Sets non-secret provider settings (validated), saved to config.toml.
    pub fn set_provider(
        &mut self,
        name: &str,
        values: &BTreeMap<String, String>,
    ) -> Result<ProviderView> {
        let info = known_provider(name)?;
        // Read again first: `dz provider set` may have changed the file since it was loaded,
        // and those edits must not be overwritten from this process's memory.
        if let Some(dir) = self.dir() {
            self.providers = ProviderConfigs::load(dir)?;
        }
        let old = self.providers.get(name);
        let mut cfg = old.clone();
        for (k, v) in values {
            cfg.set(name, &info.fields, k, v)
                .map_err(CoreError::Translate)?;
        }
        // A key travels only over https (or on this machine), and only to the destination it
        // was given for: moving the endpoint elsewhere forgets it (it must be given again).
        let key = self.secrets().get(name);
        providers::check_key_endpoint(name, &cfg, key.as_ref()).map_err(CoreError::Translate)?;
        if key.is_some() && providers::key_destination_changes(name, &old, &cfg, key.as_ref()) {
            forget_key(name)?;
        }
        let mut next = self.providers.clone();
        next.providers.insert(name.to_string(), cfg.values.clone());
        if let Some(dir) = self.dir() {
            next.save(dir)?;
        }
        self.providers = next;
        self.provider(name)
    }

    /// Stores (or with `None` deletes) a provider's API key in the OS keyring. A key is
    /// refused when the provider's endpoint would carry it in clear (plain http off this
    /// machine).
    pub fn set_provider_key(&mut self, name: &str, key: Option<&str>) -> Result<ProviderView> {
        known_provider(name)?;
        let result = match key.map(str::trim).filter(|k| !k.is_empty()) {
            Some(k) => {
                let secret = duizhao_translate::Secret::new(k);
                providers::check_key_endpoint(name, &self.providers.get(name), Some(&secret))
                    .map_err(CoreError::Translate)?;
                duizhao_translate::KeyringSecrets::set(name, &secret)
            }
            None => duizhao_translate::KeyringSecrets::delete(name),
        };
        result.map_err(|e| CoreError::Keyring {
            reason: e.to_string(),
            env_var: duizhao_translate::secret::env_var_name(name),
        })?;
        self.provider(name)
    }

    /// The provider chain for a job: the chosen (or configured) provider first, then the
    /// keyless defaults as fallback.
    pub(crate) fn chain(
        &self,
        provider: Option<&str>,
    ) -> Result<Vec<Arc<dyn duizhao_translate::Provider>>> {
        let configured = self.translation_settings()?.provider;
        let first = provider.map(str::to_string).or(configured);
        let mut names: Vec<String> = Vec::new();
        if let Some(p) = first {
            known_provider(&p)?;
            names.push(p);
        }
        for d in providers::DEFAULT_CHAIN {
            if !names.iter().any(|n| n == d) {
                names.push(d.to_string());
            }
        }
        names
            .iter()
            .map(|n| {
                let cfg = self.providers.get(n);
                let timeout = cfg
                    .number(n, "timeout", 30.0)
                    .map_err(CoreError::Translate)?;
                let opts = HttpOptions {
                    timeout: std::time::Duration::from_secs_f64(timeout.clamp(0.1, 600.0)),
                    ..HttpOptions::default()
                };
                providers::build(n, &cfg, self.secrets().get(n), &opts)
                    .map_err(CoreError::Translate)
            })
            .collect()
    }
}

impl LibraryHandle {
    /// Translates a short sample with one provider only: the settings page's "test connection".
    pub async fn test_provider(&self, name: &str) -> Result<ProviderTest> {
        let n = name.to_string();
        let provider = self
            .run(move |lib| {
                known_provider(&n)?;
                let cfg = lib.providers.get(&n);
                providers::build(&n, &cfg, lib.secrets().get(&n), &HttpOptions::default())
                    .map_err(CoreError::Translate)
            })
            .await;
        let provider = match provider {
            Ok(p) => p,
            Err(e) => {
                return Ok(ProviderTest {
                    ok: false,
                    message: e.to_string(),
                    sample: None,
                });
            }
        };
        let engine = Engine::new(vec![provider]);
        let job = Job {
            segments: vec![Segment::new("t", "Good morning, world.")],
            source: Some("en".into()),
            target: "de".into(),
            glossary: vec![],
        };
        Ok(
            match engine
                .translate(&job, &|_| {}, &CancellationToken::new())
                .await
            {
                Ok(out) => ProviderTest {
                    ok: true,
                    message: format!("{name} answered."),
                    sample: out.segments.first().map(|s| s.text.clone()),
                },
                Err(e) => ProviderTest {
                    ok: false,
                    message: e.to_string(),
                    sample: None,
                },
            },
        )
    }
}
