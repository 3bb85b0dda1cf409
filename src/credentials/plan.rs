//! Turning a profile into a plan: where the first credentials come from, and the AssumeRole
//! hops that lead from them to the profile's session.

use crate::aliyun::sts::sanitize_session_name;
use crate::config::{
    Config, ConfigError, OAuthSettings, OidcSettings, Profile, Service, SsoSettings,
};
use crate::session::LongTermKey;
use sha2::{Digest, Sha256};
use std::time::Duration;

/// Where a plan's first credentials come from.
#[derive(Debug, Clone)]
pub enum SourceCredentials {
    /// The long-term key stored in the keystore under this profile's name.
    StoredKey { profile: String },
    /// A key from the aliyun CLI's config.json (held in memory only).
    InlineKey { profile: String, key: LongTermKey },
    /// STS credentials from a CloudSSO login.
    Sso {
        profile: String,
        settings: SsoSettings,
        endpoint: Option<String>,
    },
    /// A session of `role` assumed with the OIDC token in a file (AssumeRoleWithOIDC).
    Oidc {
        profile: String,
        settings: OidcSettings,
        /// The role, its session name, duration and policy (external id unused).
        role: AssumeRoleHop,
    },
    /// STS credentials exchanged for the access token of an OAuth login (its refresh token
    /// in the keystore under `profile`).
    OAuth {
        profile: String,
        settings: OAuthSettings,
        /// The token and exchange endpoint (`oauth_endpoint`, else the site's).
        endpoint: String,
        /// The authorization page (`oauth_signin_endpoint`, else the site's).
        signin_endpoint: String,
    },
}

impl SourceCredentials {
    /// True when the source itself is an STS session (CloudSSO, OIDC), not a long-term key.
    pub fn is_session(&self) -> bool {
        matches!(
            self,
            SourceCredentials::Sso { .. }
                | SourceCredentials::Oidc { .. }
                | SourceCredentials::OAuth { .. }
        )
    }

    pub fn profile(&self) -> &str {
        match self {
            SourceCredentials::StoredKey { profile }
            | SourceCredentials::InlineKey { profile, .. }
            | SourceCredentials::Sso { profile, .. }
            | SourceCredentials::Oidc { profile, .. }
            | SourceCredentials::OAuth { profile, .. } => profile,
        }
    }
}

/// One AssumeRole call of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssumeRoleHop {
    /// The profile this hop produces the session of.
    pub profile: String,
    pub role_arn: String,
    pub session_name: String,
    pub external_id: Option<String>,
    pub policy: Option<String>,
    pub duration: Duration,
    /// STS endpoint override; `None` means the public endpoint of `region`.
    pub sts_endpoint: Option<String>,
    pub region: Option<String>,
}

/// How to obtain a profile's credentials.
#[derive(Debug, Clone)]
pub struct Plan {
    pub profile: String,
    pub source: SourceCredentials,
    /// Applied in order, each signed by the previous hop's session (the first by the source).
    pub hops: Vec<AssumeRoleHop>,
    pub region: Option<String>,
}

/// What the caller may change about a plan.
#[derive(Debug, Clone, Default)]
pub struct PlanOptions {
    /// The session length of the last hop.
    pub duration: Option<Duration>,
}

impl Plan {
    /// The cache key of the source's own credentials (for a CloudSSO source, its session).
    /// Inline keys can change behind our back (an edited config.json): their id is part of
    /// the key. Stored keys are not read on the warm path; replacing one drops its sessions.
    pub fn source_key(&self) -> CacheKey {
        let inline_id = match &self.source {
            SourceCredentials::InlineKey { key, .. } => Some(key.access_key_id.as_str()),
            _ => None,
        };
        CacheKey::of_source(&self.source, inline_id)
    }

    /// The cache keys of the sessions the hops mint, in order.
    pub fn hop_keys(&self) -> Vec<CacheKey> {
        let mut key = self.source_key();
        self.hops
            .iter()
            .map(|hop| {
                key = key.then(hop);
                key.clone()
            })
            .collect()
    }

    /// The cache key of the session the plan ends in.
    pub fn session_key(&self) -> CacheKey {
        self.hop_keys().pop().unwrap_or_else(|| self.source_key())
    }

    /// Builds the plan for `profile` from the configuration.
    pub fn build(
        config: &Config,
        profile: &str,
        options: &PlanOptions,
    ) -> Result<Plan, ConfigError> {
        let chain = config.chain(profile)?;
        let root: &Profile = chain
            .last()
            .expect("a chain holds at least its own profile");
        let source = if let Some(settings) = &root.oidc {
            let role_arn = root
                .role_arn
                .clone()
                .expect("the configuration checks that an OIDC profile has a role_arn");
            SourceCredentials::Oidc {
                profile: root.name.clone(),
                settings: settings.clone(),
                role: AssumeRoleHop {
                    profile: root.name.clone(),
                    role_arn,
                    session_name: root
                        .role_session_name
                        .clone()
                        .unwrap_or_else(|| sanitize_session_name(&root.name)),
                    external_id: None,
                    policy: root.policy.clone(),
                    duration: if chain.len() == 1 {
                        options.duration.unwrap_or_else(|| config.duration(root))
                    } else {
                        config.duration(root)
                    },
                    sts_endpoint: config.endpoint(root, Service::Sts)?,
                    region: config.region(root),
                },
            }
        } else if let Some(settings) = &root.oauth {
            SourceCredentials::OAuth {
                profile: root.name.clone(),
                settings: settings.clone(),
                endpoint: config
                    .endpoint(root, Service::OAuth)?
                    .unwrap_or_else(|| settings.site.oauth_endpoint().to_string()),
                signin_endpoint: config
                    .endpoint(root, Service::OAuthSignin)?
                    .unwrap_or_else(|| settings.site.signin_endpoint().to_string()),
            }
        } else if let Some(settings) = &root.sso {
            SourceCredentials::Sso {
                profile: root.name.clone(),
                settings: settings.clone(),
                endpoint: config.endpoint(root, Service::Sso)?,
            }
        } else if let Some(key) = &root.inline_key {
            SourceCredentials::InlineKey {
                profile: root.name.clone(),
                key: key.clone(),
            }
        } else {
            SourceCredentials::StoredKey {
                profile: root.name.clone(),
            }
        };
        let mut hops = Vec::new();
        // Walk from the source up to the requested profile.
        for (i, p) in chain.iter().enumerate().rev() {
            let Some(role_arn) = &p.role_arn else {
                continue;
            };
            // An OIDC source assumes its own role itself.
            if i + 1 == chain.len() && p.oidc.is_some() {
                continue;
            }
            // The session is named after who assumes the role: the source profile, or the
            // profile itself when it uses its own key.
            let caller = chain.get(i + 1).unwrap_or(p);
            let duration = if i == 0 {
                options.duration.unwrap_or_else(|| config.duration(p))
            } else {
                config.duration(p)
            };
            hops.push(AssumeRoleHop {
                profile: p.name.clone(),
                role_arn: role_arn.clone(),
                session_name: p
                    .role_session_name
                    .clone()
                    .unwrap_or_else(|| sanitize_session_name(&caller.name)),
                external_id: p.external_id.clone(),
                policy: p.policy.clone(),
                duration,
                sts_endpoint: config.endpoint(p, Service::Sts)?,
                region: config.region(p),
            });
        }
        Ok(Plan {
            profile: chain[0].name.clone(),
            source,
            hops,
            region: config.region(&chain[0]),
        })
    }

    /// True when the plan ends in a long-term key (no STS session to mint).
    pub fn is_long_term(&self) -> bool {
        self.hops.is_empty() && !self.source.is_session()
    }
}

/// The cache key of a session: a hash of everything that changes the result, built up hop by hop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheKey(pub String);

impl CacheKey {
    /// The key of the source's credentials. A stored key's id is part of it, so that a rotated
    /// or replaced key never reuses sessions minted from the old one.
    pub fn of_source(source: &SourceCredentials, access_key_id: Option<&str>) -> CacheKey {
        let mut h = Sha256::new();
        match source {
            SourceCredentials::StoredKey { profile }
            | SourceCredentials::InlineKey { profile, .. } => {
                field(&mut h, "key");
                field(&mut h, profile);
            }
            SourceCredentials::Oidc { settings, role, .. } => {
                field(&mut h, "oidc");
                field(&mut h, &settings.provider_arn);
                field(&mut h, &settings.token_file.to_string_lossy());
                field(&mut h, &role.role_arn);
                field(&mut h, &role.session_name);
                field(&mut h, role.policy.as_deref().unwrap_or(""));
                field(&mut h, &role.duration.as_secs().to_string());
                field(&mut h, role.sts_endpoint.as_deref().unwrap_or(""));
                field(&mut h, role.region.as_deref().unwrap_or(""));
            }
            SourceCredentials::Sso {
                settings, endpoint, ..
            } => {
                field(&mut h, "sso");
                field(&mut h, &settings.sign_in_url);
                field(&mut h, &settings.account_id);
                field(&mut h, &settings.access_configuration);
                field(&mut h, endpoint.as_deref().unwrap_or(""));
            }
            SourceCredentials::OAuth {
                profile,
                settings,
                endpoint,
                ..
            } => {
                field(&mut h, "oauth");
                field(&mut h, profile);
                field(&mut h, settings.site.as_str());
                field(&mut h, endpoint);
            }
        }
        field(&mut h, access_key_id.unwrap_or(""));
        CacheKey(hex::encode(h.finalize()))
    }

    /// The key of the session a hop mints from credentials with key `self`.
    pub fn then(&self, hop: &AssumeRoleHop) -> CacheKey {
        let mut h = Sha256::new();
        field(&mut h, "hop");
        field(&mut h, &self.0);
        field(&mut h, &hop.role_arn);
        field(&mut h, &hop.session_name);
        field(&mut h, hop.external_id.as_deref().unwrap_or(""));
        field(&mut h, hop.policy.as_deref().unwrap_or(""));
        field(&mut h, &hop.duration.as_secs().to_string());
        field(&mut h, hop.sts_endpoint.as_deref().unwrap_or(""));
        field(&mut h, hop.region.as_deref().unwrap_or(""));
        CacheKey(hex::encode(h.finalize()))
    }
}

fn field(h: &mut Sha256, value: &str) {
    // Length-prefixed, so that no two different field lists hash alike.
    h.update((value.len() as u64).to_be_bytes());
    h.update(value.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn config(text: &str) -> Config {
        Config::parse(Path::new("/c.toml"), text).unwrap()
    }

    const CHAIN: &str = r#"
[defaults]
duration = "2h"
[profile.base]
region = "cn-hangzhou"
[profile.mid]
source_profile = "base"
role_arn = "acs:ram::111:role/mid"
[profile.top]
source_profile = "mid"
role_arn = "acs:ram::222:role/top"
role_session_name = "ci-runner"
external_id = "ext-01"
"#;

    #[test]
    fn a_two_hop_chain_starts_at_the_stored_key_and_names_sessions_after_the_caller() {
        let plan = Plan::build(
            &config(CHAIN),
            "top",
            &PlanOptions {
                duration: Some(Duration::from_secs(900)),
            },
        )
        .unwrap();
        assert!(
            matches!(&plan.source, SourceCredentials::StoredKey { profile } if profile == "base")
        );
        let hops: Vec<(&str, &str, &str, u64)> = plan
            .hops
            .iter()
            .map(|h| {
                (
                    h.profile.as_str(),
                    h.role_arn.as_str(),
                    h.session_name.as_str(),
                    h.duration.as_secs(),
                )
            })
            .collect();
        assert_eq!(
            hops,
            [
                ("mid", "acs:ram::111:role/mid", "base", 7200),
                ("top", "acs:ram::222:role/top", "ci-runner", 900)
            ]
        );
        assert_eq!(plan.hops[1].external_id.as_deref(), Some("ext-01"));
        assert!(!plan.is_long_term());
    }

    #[test]
    fn a_profile_without_a_role_is_its_long_term_key() {
        let plan = Plan::build(&config(CHAIN), "base", &PlanOptions::default()).unwrap();
        assert!(plan.hops.is_empty());
        assert!(plan.is_long_term());
        assert_eq!(plan.region.as_deref(), Some("cn-hangzhou"));
    }

    #[test]
    fn a_profile_with_a_role_and_no_source_uses_its_own_key() {
        let c = config("[profile.solo]\nrole_arn = \"acs:ram::1:role/r\"\n");
        let plan = Plan::build(&c, "solo", &PlanOptions::default()).unwrap();
        assert!(
            matches!(&plan.source, SourceCredentials::StoredKey { profile } if profile == "solo")
        );
        assert_eq!(plan.hops.len(), 1);
        assert_eq!(plan.hops[0].session_name, "solo");
    }

    #[test]
    fn cache_keys_change_with_every_input() {
        let c = config(CHAIN);
        let plan = Plan::build(&c, "top", &PlanOptions::default()).unwrap();
        let src = CacheKey::of_source(&plan.source, Some("LTAIaaaa"));
        assert_ne!(src, CacheKey::of_source(&plan.source, Some("LTAIbbbb")));
        let k = src.then(&plan.hops[0]);
        let mut other = plan.hops[0].clone();
        other.duration = Duration::from_secs(901);
        assert_ne!(k, src.then(&other));
        let mut other = plan.hops[0].clone();
        other.policy = Some("{}".into());
        assert_ne!(k, src.then(&other));
        assert_eq!(k, src.then(&plan.hops[0].clone()));
        assert_eq!(k.0.len(), 64);
    }
}
