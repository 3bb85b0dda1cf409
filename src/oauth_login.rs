//! What the `oauth` commands do, apart from printing: the browser login of an OAuth profile
//! (docs/oauth-oidc.md) and its refresh token in the keystore, dropping the sessions of an
//! earlier login, logging out, and when `exec` should offer a login. `credentials::oauth`
//! holds the callback listener and the token refresh; `aliyun::oauth` is the HTTP client.

use crate::broker::Broker;
use crate::config::{Config, OAuthSettings};
use crate::credentials::forget::Selector;
use crate::credentials::oauth::{self as oauth, PendingLogin};
use crate::credentials::plan::{Plan, PlanOptions, SourceCredentials};
use crate::credentials::resolve::CredentialsError;
use crate::keystore::items::{StoredOAuthToken, Vault};
use crate::keystore::ItemKind;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// The OAuth profile at the root of a profile's chain, its settings and endpoints.
#[derive(Debug, Clone)]
pub struct OAuthSource {
    pub profile: String,
    pub settings: OAuthSettings,
    endpoint: String,
    signin_endpoint: String,
}

/// A profile whose chain does not start at an OAuth login (a usage error: exit code 1).
#[derive(Debug, thiserror::Error)]
#[error("profile {profile} does not use OAuth: its credentials come from profile {source_profile}. Give an OAuth profile `oauth_site = \"cn\"` (or \"intl\") in the configuration file (docs/oauth-oidc.md)")]
pub struct NotOAuth {
    pub profile: String,
    pub source_profile: String,
}

impl OAuthSource {
    /// The OAuth source of `profile`, or [`NotOAuth`].
    pub fn of(config: &Config, profile: &str) -> anyhow::Result<OAuthSource> {
        let plan = Plan::build(config, profile, &PlanOptions::default())?;
        match plan.source {
            SourceCredentials::OAuth {
                profile,
                settings,
                endpoint,
                signin_endpoint,
            } => Ok(OAuthSource {
                profile,
                settings,
                endpoint,
                signin_endpoint,
            }),
            other => Err(NotOAuth {
                profile: profile.to_string(),
                source_profile: other.profile().to_string(),
            }
            .into()),
        }
    }
}

type CtrlC = Pin<Box<dyn Future<Output = std::io::Result<()>>>>;

/// A browser login under way: the callback listener is bound and Ctrl-C is caught, the URL is
/// ready to show; then [`BrowserLogin::finish`].
pub struct BrowserLogin {
    source: OAuthSource,
    pending: PendingLogin,
    ctrl_c: CtrlC,
    rt: tokio::runtime::Runtime,
    interrupted: bool,
}

impl BrowserLogin {
    /// Binds the callback port and builds the authorize URL. Ctrl-C is caught from here on,
    /// before the URL is shown.
    pub fn start(source: OAuthSource) -> anyhow::Result<BrowserLogin> {
        let rt = crate::runtime::for_command()?;
        let pending = rt.block_on(PendingLogin::start(
            &source.profile,
            &source.settings,
            &source.endpoint,
            &source.signin_endpoint,
        ))?;
        let mut ctrl_c: CtrlC = Box::pin(tokio::signal::ctrl_c());
        // Polled once, the handler is in place.
        let interrupted = rt.block_on(async {
            tokio::select! {
                biased;
                _ = &mut ctrl_c => true,
                _ = std::future::ready(()) => false,
            }
        });
        Ok(BrowserLogin {
            source,
            pending,
            ctrl_c,
            rt,
            interrupted,
        })
    }

    /// True when Ctrl-C came before the URL was shown: nothing more is done.
    pub fn cancelled(&self) -> bool {
        self.interrupted
    }

    /// The profile being logged in (the root of the chain).
    pub fn profile(&self) -> &str {
        &self.source.profile
    }

    /// The address the browser opens (no secret in it).
    pub fn url(&self) -> &str {
        self.pending.url()
    }

    /// Waits (at most `timeout`) for the browser's callback, stores the login and drops the
    /// sessions made from an earlier login of the profile (they may belong to another user).
    /// Returns the login and how many sessions were dropped; `None` when Ctrl-C cancelled it,
    /// with nothing stored.
    pub fn finish(
        mut self,
        vault: &Vault,
        broker: &Broker<'_>,
        timeout: Duration,
    ) -> anyhow::Result<Option<(StoredOAuthToken, usize)>> {
        if self.interrupted {
            return Ok(None);
        }
        let ctrl_c = &mut self.ctrl_c;
        let pending = self.pending;
        let outcome = self.rt.block_on(async {
            tokio::select! {
                r = pending.finish(timeout) => Some(r),
                _ = ctrl_c => None,
            }
        });
        let Some(login) = outcome else {
            return Ok(None);
        };
        let login = login?;
        oauth::save_login(vault, &self.source.profile, &login)?;
        let sessions = broker.forget(
            vault,
            &Selector::OAuthLogin {
                profile: Some(self.source.profile.clone()),
            },
        )?;
        Ok(Some((login, sessions)))
    }
}

/// `oauth logout [PROFILE]`: deletes the OAuth login of `only` (an OAuth profile), or every
/// stored login, and the sessions made from them. Returns (logins, sessions) removed.
pub fn logout(
    vault: &Vault,
    broker: &Broker<'_>,
    only: Option<&str>,
) -> anyhow::Result<(usize, usize)> {
    let mut logins = 0;
    match only {
        Some(p) => logins += usize::from(oauth::logout(vault, p)?),
        None => {
            for name in vault.list(ItemKind::OAuthToken)? {
                logins += usize::from(vault.delete(&name)?);
            }
        }
    }
    let selector = Selector::OAuthLogin {
        profile: only.map(str::to_string),
    };
    let sessions = broker.forget(vault, &selector)?;
    Ok((logins, sessions))
}

/// Whether `exec` (on a terminal) should offer an OAuth login after `err`: the error says one
/// is needed, or the agent refused and `profile`'s chain starts at an OAuth profile with no
/// stored login. Returns that source.
pub fn login_to_offer(
    config: &Config,
    vault: impl FnOnce() -> anyhow::Result<Vault>,
    profile: &str,
    err: &anyhow::Error,
) -> anyhow::Result<Option<OAuthSource>> {
    let needed = err.chain().any(|c| {
        matches!(
            c.downcast_ref(),
            Some(CredentialsError::OAuthLoginNeeded { .. })
        )
    });
    let refused_by_agent = err.chain().any(|c| {
        matches!(
            c.downcast_ref(),
            Some(crate::agent::client::ClientError::Refused { .. })
        )
    });
    if !(needed || refused_by_agent) {
        return Ok(None);
    }
    let Ok(source) = OAuthSource::of(config, profile) else {
        return Ok(None);
    };
    if !needed
        && vault()?
            .read::<StoredOAuthToken>(&oauth::token_item(&source.profile))?
            .is_some()
    {
        return Ok(None);
    }
    Ok(Some(source))
}
