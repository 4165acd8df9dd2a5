//! The sync account: adding it (the credentials are checked with the server first), showing
//! it, removing it, and where its password comes from. The password lives in the OS keyring,
//! under one entry per server and user, or in `DUIZHAO_SYNC_PASSWORD` (which wins, for `dz`
//! and headless use); never in SQLite, `config.toml`, logs or what the UI receives.

use duizhao_sync::{AccountSettings, HttpOptions, Secret};
use duizhao_translate::SecretSource;

use crate::error::{CoreError, Result};
use crate::handle::LibraryHandle;
use crate::library::Library;
use crate::model::{Failure, SyncAccount, SyncSummary};
use crate::services::sync::{self as sync_rules, keyring_name};
use crate::services::sync_schedule::{DEFAULT_SYNC_INTERVAL_MIN, MAX_SYNC_INTERVAL_MIN};
use crate::support::time::format_time;

/// The settings key of the background sync interval.
const SYNC_INTERVAL_KEY: &str = "sync.interval_min";

/// The environment variable holding the sync password (it wins over the keyring).
pub const SYNC_PASSWORD_ENV: &str = "DUIZHAO_SYNC_PASSWORD";

fn keyring_error(reason: String) -> CoreError {
    CoreError::Keyring {
        reason,
        env_var: SYNC_PASSWORD_ENV.into(),
    }
}

/// The password from the environment, when set.
fn env_password() -> Option<Secret> {
    std::env::var(SYNC_PASSWORD_ENV)
        .ok()
        .filter(|p| !p.is_empty())
        .map(Secret::new)
}

impl Library {
    /// The account, without its password.
    pub fn sync_account(&self) -> Result<Option<SyncAccount>> {
        let Some(row) = self.store().sync_account()? else {
            return Ok(None);
        };
        Ok(Some(SyncAccount {
            kind: row.kind,
            url: row.url,
            user: row.user,
            last_sync: row.last_sync_ms.and_then(format_time),
            // Written by this module; anything unreadable reads as "not known".
            last_result: row
                .last_result
                .and_then(|j| serde_json::from_str::<SyncSummary>(&j).ok()),
            last_error: row
                .last_error
                .and_then(|j| serde_json::from_str::<Failure>(&j).ok()),
            pending: self.store().queued_count()?,
            interval_min: self.sync_interval_min()?,
        }))
    }

    /// Minutes between the app's background syncs (0 = off; default
    /// [`DEFAULT_SYNC_INTERVAL_MIN`]).
    pub fn sync_interval_min(&self) -> Result<u32> {
        Ok(self
            .store()
            .setting(SYNC_INTERVAL_KEY)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_SYNC_INTERVAL_MIN))
    }

    /// Sets the minutes between background syncs (0 = off, at most a day).
    pub fn set_sync_interval_min(&mut self, minutes: u32) -> Result<()> {
        if minutes > MAX_SYNC_INTERVAL_MIN {
            return Err(CoreError::InvalidInput(format!(
                "the sync interval is at most {MAX_SYNC_INTERVAL_MIN} minutes (0 = off); got \
                 {minutes}"
            )));
        }
        self.store_mut()
            .set_setting(SYNC_INTERVAL_KEY, &minutes.to_string())
    }

    /// Removes the account and its password (from the keyring). The server's feeds and
    /// articles stay as local ones; changes not yet sent are dropped.
    pub fn remove_sync_account(&mut self) -> Result<()> {
        let account = self.sync_settings()?.ok_or(CoreError::NoSyncAccount)?;
        self.forget_password(&account);
        self.store_mut().remove_sync_account()?;
        Ok(())
    }

    /// The stored account's settings, if one is set.
    pub(crate) fn sync_settings(&self) -> Result<Option<AccountSettings>> {
        self.store()
            .sync_account()?
            .map(|a| sync_rules::account(&a.kind, &a.url, &a.user))
            .transpose()
    }

    /// The account and its password: `DUIZHAO_SYNC_PASSWORD`, else the one given in this
    /// session, else the keyring's. Call from a blocking thread (the keyring may use D-Bus).
    pub(crate) fn sync_credentials(&self) -> Result<(AccountSettings, Secret)> {
        let account = self.sync_settings()?.ok_or(CoreError::NoSyncAccount)?;
        let password = self
            .password_for(&account)
            .ok_or(CoreError::NoSyncPassword(SYNC_PASSWORD_ENV))?;
        Ok((account, password))
    }

    fn password_for(&self, account: &AccountSettings) -> Option<Secret> {
        let name = keyring_name(account);
        if let Some(p) = env_password() {
            return Some(p);
        }
        if let Some((n, p)) = &self.sync_session
            && *n == name
        {
            return Some(p.clone());
        }
        self.dir()?;
        duizhao_translate::KeyringSecrets
            .get(&name)
            .map(|s| Secret::new(s.expose()))
    }

    /// Forgets `account`'s password: from this session and, best effort, from the keyring.
    /// A keyring that cannot be reached holds nothing to remove (that is the `dz`-only
    /// case), and an entry left behind is only ever used for this same server and user.
    fn forget_password(&mut self, account: &AccountSettings) {
        self.sync_session = None;
        if self.dir().is_some() {
            let _ = duizhao_translate::KeyringSecrets::delete(&keyring_name(account));
        }
    }

    /// Stores a checked account; `password`, when given, goes to the keyring (a library in
    /// memory keeps it for the session only).
    fn save_sync_account(
        &mut self,
        account: &AccountSettings,
        password: Option<&Secret>,
    ) -> Result<()> {
        if let Some(old) = self.sync_settings()?
            && old != *account
        {
            self.forget_password(&old);
        }
        if let Some(p) = password {
            let name = keyring_name(account);
            if self.dir().is_some() {
                duizhao_translate::KeyringSecrets::set(
                    &name,
                    &duizhao_translate::Secret::new(p.expose()),
                )
                .map_err(keyring_error)?;
            }
            self.sync_session = Some((name, p.clone()));
        }
        self.store_mut()
            .set_sync_account(account.kind.as_str(), &account.url, &account.user)
    }
}

impl LibraryHandle {
    /// Adds (or replaces) the sync account after signing in with it, so a wrong URL or
    /// password is reported now and nothing is stored. Without `password` the one in
    /// `DUIZHAO_SYNC_PASSWORD` is used (and not stored: `dz` reads it at each sync).
    pub async fn add_sync_account(
        &self,
        kind: &str,
        url: &str,
        user: &str,
        password: Option<&str>,
    ) -> Result<SyncAccount> {
        self.add_sync_account_with(kind, url, user, password, HttpOptions::default())
            .await
    }

    /// [`LibraryHandle::add_sync_account`] with the HTTP options given (tests use short
    /// timeouts).
    pub async fn add_sync_account_with(
        &self,
        kind: &str,
        url: &str,
        user: &str,
        password: Option<&str>,
        http: HttpOptions,
    ) -> Result<SyncAccount> {
        let account = sync_rules::account(kind, url, user)?;
        let given = password.filter(|p| !p.is_empty()).map(Secret::new);
        let check = given
            .clone()
            .or_else(env_password)
            .ok_or(CoreError::NoSyncPassword(SYNC_PASSWORD_ENV))?;
        let service = duizhao_sync::connect(&account, check, http)?;
        service.login().await?;
        self.run(move |lib| {
            lib.save_sync_account(&account, given.as_ref())?;
            lib.sync_account()?.ok_or(CoreError::NoSyncAccount)
        })
        .await
    }
}
