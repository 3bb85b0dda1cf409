//! Which cached sessions a change of their source makes unusable, and dropping them from the
//! keystore cache. The same rule serves the CLI (no agent) and the agent (its memory and the
//! keystore), so that `clear`, `remove`, `add`, `rotate` and `sso logout` mean one thing
//! wherever the sessions are held.

use super::plan::{Plan, PlanOptions, SourceCredentials};
use crate::config::Config;
use crate::keystore::items::{StoredSession, Vault};
use crate::keystore::{ItemKind, KeystoreError};
use serde::{Deserialize, Serialize};

/// The sessions to drop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "sessions", rename_all = "snake_case")]
pub enum Selector {
    /// Every cached session.
    All,
    /// The sessions made from `profile`: its own and those of every profile whose
    /// `source_profile` chain passes through it.
    MadeFrom { profile: String },
    /// The sessions whose chain starts at a CloudSSO login through this sign-in URL (`None`:
    /// through any).
    SsoLogin { sign_in_url: Option<String> },
    /// The sessions whose chain starts at the OAuth login of this profile (`None`: of any).
    OAuthLogin { profile: Option<String> },
}

impl Selector {
    /// True when the session cached for `session_profile` is one of these. Without a
    /// configuration to follow chains in, every session matches: dropping too many costs an
    /// STS call, keeping one made from a removed key would hand it out.
    pub fn matches(&self, config: Option<&Config>, session_profile: &str) -> bool {
        let Some(config) = config else {
            return true;
        };
        match self {
            Selector::All => true,
            Selector::MadeFrom { profile } => {
                session_profile == profile
                    || config
                        .chain(session_profile)
                        .map(|chain| chain.iter().any(|p| &p.name == profile))
                        .unwrap_or(true)
            }
            Selector::SsoLogin { sign_in_url } => {
                match Plan::build(config, session_profile, &PlanOptions::default()) {
                    Ok(plan) => matches!(
                        &plan.source,
                        SourceCredentials::Sso { settings, .. }
                            if sign_in_url.as_ref().is_none_or(|u| u == &settings.sign_in_url)
                    ),
                    Err(_) => true,
                }
            }
            Selector::OAuthLogin { profile } => {
                match Plan::build(config, session_profile, &PlanOptions::default()) {
                    Ok(plan) => matches!(
                        &plan.source,
                        SourceCredentials::OAuth { profile: root, .. }
                            if profile.as_ref().is_none_or(|p| p == root)
                    ),
                    Err(_) => true,
                }
            }
        }
    }
}

/// Deletes the keystore cache's sessions that `selector` matches, and damaged session items
/// (a cache: nothing is lost). Returns the cache keys deleted.
pub fn drop_cached(
    vault: &Vault,
    config: Option<&Config>,
    selector: &Selector,
) -> Result<Vec<String>, KeystoreError> {
    let mut dropped = Vec::new();
    for name in vault.list(ItemKind::Session)? {
        let matches = match vault.read::<StoredSession>(&name) {
            Ok(Some(s)) => selector.matches(config, &s.profile),
            Ok(None) => false,
            Err(KeystoreError::Corrupt { .. }) => true,
            Err(e) => return Err(e),
        };
        if matches && vault.delete(&name)? {
            dropped.push(name.key.clone());
        }
    }
    Ok(dropped)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(text: &str) -> Config {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, text).unwrap();
        Config::load(Some(&path)).unwrap()
    }

    const CHAIN: &str = r#"
[profile.base]
[profile.admin]
source_profile = "base"
role_arn = "acs:ram::1234567890123456:role/admin"
[profile.deep]
source_profile = "admin"
role_arn = "acs:ram::1234567890123456:role/deep"
[profile.other]
role_arn = "acs:ram::1234567890123456:role/other"
source_profile = "elsewhere"
"#;

    #[test]
    fn sessions_made_from_a_profile_include_every_chain_through_it() {
        let c = config(CHAIN);
        let sel = Selector::MadeFrom {
            profile: "base".into(),
        };
        assert!(sel.matches(Some(&c), "base"));
        assert!(sel.matches(Some(&c), "admin"));
        assert!(sel.matches(Some(&c), "deep"));
        assert!(!sel.matches(Some(&c), "other"));
        let sel = Selector::MadeFrom {
            profile: "admin".into(),
        };
        assert!(!sel.matches(Some(&c), "base"));
        assert!(sel.matches(Some(&c), "deep"));
    }

    #[test]
    fn an_oauth_logout_drops_the_sessions_of_chains_from_that_login_only() {
        let c = config(
            r#"
[profile.me]
oauth_site = "cn"
[profile.me-admin]
source_profile = "me"
role_arn = "acs:ram::1234567890123456:role/admin"
[profile.you]
oauth_site = "intl"
[profile.base]
"#,
        );
        let sel = Selector::OAuthLogin {
            profile: Some("me".into()),
        };
        assert!(sel.matches(Some(&c), "me"));
        assert!(sel.matches(Some(&c), "me-admin"));
        assert!(!sel.matches(Some(&c), "you"));
        assert!(!sel.matches(Some(&c), "base"));
        let any = Selector::OAuthLogin { profile: None };
        assert!(any.matches(Some(&c), "you"));
        assert!(!any.matches(Some(&c), "base"));
    }

    #[test]
    fn without_a_configuration_every_session_is_dropped() {
        let sel = Selector::MadeFrom {
            profile: "base".into(),
        };
        assert!(sel.matches(None, "unrelated"));
    }
}
