//! What the `sso` commands do, apart from printing: the CloudSSO device login
//! (docs/protocols.md, CloudSSO device login) and its token in the keystore, the accounts and
//! access configurations a login may use, profiles for them, and logging out.
//! `credentials::sso` uses the stored token to mint sessions; `aliyun::sso` is the HTTP client.

use crate::aliyun::sso::{
    client_id, AccessConfiguration, Account, DeviceAuthorization, Pkce, SsoClient, SsoError,
};
use crate::broker::Broker;
use crate::config::{Config, SsoSettings};
use crate::credentials::forget::Selector;
use crate::credentials::plan::{Plan, PlanOptions, SourceCredentials};
use crate::credentials::resolve::CredentialsError;
use crate::credentials::sso::{endpoint, sso_to_credentials, token_item, usable_token};
use crate::keystore::items::{StoredSsoToken, Vault};
use crate::keystore::ItemKind;
use std::path::Path;
use time::OffsetDateTime;

/// The CloudSSO source of a profile: its own `sso_*` settings, or those at the root of its
/// `source_profile` chain.
#[derive(Debug, Clone)]
pub struct SsoSource {
    /// The SSO profile (the root of the chain).
    pub profile: String,
    pub settings: SsoSettings,
    /// The CloudSSO API endpoint.
    pub endpoint: String,
}

impl SsoSource {
    /// The source of `profile`, or an error saying that it does not use CloudSSO.
    pub fn of(config: &Config, profile: &str) -> anyhow::Result<SsoSource> {
        let plan = Plan::build(config, profile, &PlanOptions::default())?;
        match plan.source {
            SourceCredentials::Sso {
                profile: root,
                settings,
                endpoint: over,
            } => {
                let endpoint = endpoint(&settings, over.as_deref())?;
                Ok(SsoSource {
                    profile: root,
                    settings,
                    endpoint,
                })
            }
            other => Err(anyhow::anyhow!(
                "profile {profile} does not use CloudSSO: its credentials come from profile {}'s key. Give an SSO profile sso_sign_in_url, sso_account_id and sso_access_configuration (see `alicloud-vault sso list PROFILE` and docs/sso.md)",
                other.profile()
            )),
        }
    }
}

/// A device login under way: the address and code to show, then [`DeviceLogin::wait`].
pub struct DeviceLogin {
    pub source: SsoSource,
    /// What the user opens and confirms (server text, filtered when it was parsed).
    pub authorization: DeviceAuthorization,
    client: SsoClient,
    client_id: String,
    pkce: Pkce,
    rt: tokio::runtime::Runtime,
}

impl DeviceLogin {
    /// Asks CloudSSO for a device code for the source's sign-in URL.
    pub fn start(source: SsoSource) -> anyhow::Result<DeviceLogin> {
        let client = SsoClient::new(&source.endpoint)?;
        let client_id = client_id();
        let pkce = Pkce::new();
        let rt = crate::runtime::for_command()?;
        let authorization = rt
            .block_on(client.device_authorization(&source.settings.sign_in_url, &client_id, &pkce))
            .map_err(|e| {
                anyhow::Error::new(e).context(format!(
                    "CloudSSO did not start a login for profile {} (sign-in URL {})",
                    source.profile, source.settings.sign_in_url
                ))
            })?;
        Ok(DeviceLogin {
            source,
            authorization,
            client,
            client_id,
            pkce,
            rt,
        })
    }

    /// The address to open in a browser: the one with the code in it when the server gave one.
    pub fn browser_url(&self) -> &str {
        self.authorization
            .verification_uri_complete
            .as_deref()
            .unwrap_or(&self.authorization.verification_uri)
    }

    /// Polls until the user approves (`tick` runs before each poll), then stores the token.
    /// `None` when Ctrl-C cancelled the wait: nothing is stored.
    pub fn wait(self, vault: &Vault, tick: impl FnMut()) -> anyhow::Result<Option<StoredSsoToken>> {
        let outcome = self.rt.block_on(async {
            tokio::select! {
                r = self.client.wait_for_token(&self.client_id, &self.authorization, &self.pkce, tick) => Some(r),
                _ = tokio::signal::ctrl_c() => None,
            }
        });
        let Some(token) = outcome else {
            return Ok(None);
        };
        let root = &self.source.profile;
        let token = token.map_err(|e| {
            anyhow::Error::new(e).context(format!(
                "the CloudSSO login for profile {root} did not complete; run `alicloud-vault sso login {root}` to try again"
            ))
        })?;
        let doc = StoredSsoToken {
            sign_in_url: self.source.settings.sign_in_url.clone(),
            access_token: token.token,
            expires_at: token.expires_at,
        };
        vault.write(&token_item(&self.source.settings.sign_in_url), &doc)?;
        Ok(Some(doc))
    }
}

/// One account with the access configurations the user may use in it.
#[derive(Debug, serde::Serialize)]
pub struct AccountGrants {
    #[serde(flatten)]
    pub account: Account,
    pub access_configurations: Vec<AccessConfiguration>,
}

/// Every account the login of `profile`'s sign-in URL may use, with its access configurations,
/// and the source they were asked with. The keystore is opened only for an SSO profile.
pub fn grants(
    config: &Config,
    vault: impl FnOnce() -> anyhow::Result<Vault>,
    profile: &str,
) -> anyhow::Result<(SsoSource, Vec<AccountGrants>)> {
    let source = SsoSource::of(config, profile)?;
    let root = source.profile.clone();
    let vault = vault()?;
    let now = OffsetDateTime::now_utc();
    let Some(token) = usable_token(&vault, &source.settings.sign_in_url, now)? else {
        return Err(CredentialsError::SsoLoginNeeded { profile: root }.into());
    };
    let client = SsoClient::new(&source.endpoint)?;
    let listed = crate::runtime::block_on(async {
        let mut out = Vec::new();
        for account in client.list_accounts(&token.access_token).await? {
            let access_configurations = client
                .list_access_configurations(&token.access_token, &account.account_id)
                .await?;
            out.push(AccountGrants {
                account,
                access_configurations,
            });
        }
        Ok::<_, SsoError>(out)
    })?
    .map_err(|e| sso_to_credentials(&root, e))?;
    Ok((source, listed))
}

/// The profiles `sso configure` makes: one per account and access configuration that no
/// profile of the configuration uses yet.
#[derive(Debug, Default)]
pub struct NewProfiles {
    /// The TOML of the new profiles, each after an empty line and a comment.
    pub toml: String,
    /// Their names.
    pub added: Vec<String>,
    /// The profiles that already use one of the grants.
    pub existing: Vec<String>,
}

/// Names new profiles `<prefix><account>-<access configuration>` for the grants that no
/// configured profile uses (the same sign-in URL, account and access configuration under any
/// name counts as configured). A name taken by something else is an error.
pub fn new_profiles(
    config: &Config,
    settings: &SsoSettings,
    listed: &[AccountGrants],
    prefix: &str,
) -> anyhow::Result<NewProfiles> {
    let sso_profiles: Vec<(String, &SsoSettings)> = config
        .profile_names()
        .into_iter()
        .filter_map(|n| {
            let s = config.profile(&n)?.sso.as_ref()?;
            Some((n, s))
        })
        .collect();
    let mut out = NewProfiles::default();
    for l in listed {
        let account = match slug(&l.account.display_name) {
            s if s.is_empty() => l.account.account_id.clone(),
            s => s,
        };
        for c in &l.access_configurations {
            let access = match slug(&c.name) {
                s if s.is_empty() => slug(&c.id),
                s => s,
            };
            let mut name = format!("{prefix}{account}-{access}");
            name.truncate(64);
            let name = name.trim_end_matches('-').to_string();
            let same = sso_profiles.iter().find(|(_, s)| {
                s.sign_in_url == settings.sign_in_url
                    && s.account_id == l.account.account_id
                    && s.access_configuration == c.id
            });
            if let Some((n, _)) = same {
                out.existing.push(n.clone());
                continue;
            }
            if config.profile(&name).is_some() || out.added.contains(&name) {
                anyhow::bail!(
                    "a profile named {name} exists already for something else; choose another --prefix"
                );
            }
            out.toml.push_str(&format!(
                "\n# {} ({}), {}\n[profile.{name}]\nsso_sign_in_url = {}\nsso_account_id = {}\nsso_access_configuration = {}\n",
                one_line(&l.account.display_name),
                one_line(&l.account.account_id),
                one_line(&c.name),
                toml_string(&settings.sign_in_url),
                toml_string(&l.account.account_id),
                toml_string(&c.id),
            ));
            out.added.push(name);
        }
    }
    Ok(out)
}

/// Appends `toml` to the configuration file at `path` (made if missing), after checking that
/// the result loads: a file that would not load is left as it was.
pub fn append_to_config(path: &Path, toml: &str) -> anyhow::Result<()> {
    let old = match std::fs::read_to_string(path) {
        Ok(t) => Some(t),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => anyhow::bail!("cannot read {}: {e}", path.display()),
    };
    let mut text = old.clone().unwrap_or_default();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(toml);
    Config::parse(path, &text)?;
    crate::config::aliyun_cli::write_atomically(path, text.as_bytes(), old.is_none())
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))
}

/// What a logout removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoggedOut {
    pub tokens: usize,
    pub sessions: usize,
}

/// Forgets the CloudSSO logins of one sign-in URL (or all, `None`) and every session made
/// from them, directly or down a `source_profile` chain, wherever they are held (the agent's
/// memory too).
pub fn logout(
    broker: &Broker<'_>,
    vault: &Vault,
    only: Option<String>,
) -> anyhow::Result<LoggedOut> {
    let mut tokens = 0;
    match &only {
        Some(url) => tokens += usize::from(vault.delete(&token_item(url))?),
        None => {
            for name in vault.list(ItemKind::SsoToken)? {
                tokens += usize::from(vault.delete(&name)?);
            }
        }
    }
    let selector = Selector::SsoLogin { sign_in_url: only };
    let sessions = broker.forget(vault, &selector)?;
    Ok(LoggedOut { tokens, sessions })
}

/// The SSO profile whose login `err` says is needed, or, when the agent refused `profile`,
/// the SSO profile at the root of its chain if that login is missing or expired. `None` when
/// a login would not help.
pub fn login_needed(
    config: &Config,
    vault: impl FnOnce() -> anyhow::Result<Vault>,
    profile: &str,
    err: &anyhow::Error,
) -> Option<String> {
    let needed = err.chain().find_map(|c| match c.downcast_ref() {
        Some(CredentialsError::SsoLoginNeeded { profile }) => Some(profile.clone()),
        _ => None,
    });
    if needed.is_some() {
        return needed;
    }
    let refused_by_agent = err.chain().any(|c| {
        matches!(
            c.downcast_ref(),
            Some(crate::agent::client::ClientError::Refused { .. })
        )
    });
    if !refused_by_agent {
        return None;
    }
    let source = SsoSource::of(config, profile).ok()?;
    let vault = vault().ok()?;
    match usable_token(
        &vault,
        &source.settings.sign_in_url,
        OffsetDateTime::now_utc(),
    ) {
        Ok(None) => Some(source.profile),
        _ => None,
    }
}

/// A profile-name piece: lower case, runs of anything but letters and digits as one `-`.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Server-given text for a TOML comment: a line break in it must not start a line of TOML.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_names_are_lower_case_with_single_dashes() {
        assert_eq!(slug("Production"), "production");
        assert_eq!(slug("  Dev & Test (CN) "), "dev-test-cn");
        assert_eq!(slug("运维"), "");
    }

    #[test]
    fn server_text_in_a_comment_stays_on_one_line() {
        assert_eq!(
            one_line("Staging\n[profile.x]\r\nkey = 1"),
            "Staging [profile.x]  key = 1"
        );
    }
}
