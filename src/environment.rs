//! The environment contract (docs/aliyun-cli.md): which variables a child gets, and which
//! inherited ones are removed so that no tool can pick a stale or conflicting value.

use crate::secret::Secret;
use crate::session::{format_alibaba_time, Issued};

/// Variables that carry the AccessKey id, in every tier a reader consults.
pub const ACCESS_KEY_ID_VARS: [&str; 6] = [
    "ALIBABA_CLOUD_ACCESS_KEY_ID",
    "ALIBABACLOUD_ACCESS_KEY_ID",
    "ALICLOUD_ACCESS_KEY_ID",
    "ACCESS_KEY_ID",
    "ALICLOUD_ACCESS_KEY",
    "OSS_ACCESS_KEY_ID",
];
/// Variables that carry the AccessKey secret.
pub const ACCESS_KEY_SECRET_VARS: [&str; 6] = [
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    "ALIBABACLOUD_ACCESS_KEY_SECRET",
    "ALICLOUD_ACCESS_KEY_SECRET",
    "ACCESS_KEY_SECRET",
    "ALICLOUD_SECRET_KEY",
    "OSS_ACCESS_KEY_SECRET",
];
/// Variables that carry the STS token (`ALICLOUD_STS_TOKEN` is read by no tool; it is only removed).
pub const SECURITY_TOKEN_VARS: [&str; 5] = [
    "ALIBABA_CLOUD_SECURITY_TOKEN",
    "ALIBABACLOUD_SECURITY_TOKEN",
    "ALICLOUD_SECURITY_TOKEN",
    "SECURITY_TOKEN",
    "OSS_SESSION_TOKEN",
];
/// Region variables the vault sets when it knows the region (`REGION` and `REGION_ID` are left alone).
pub const REGION_VARS: [&str; 4] = [
    "ALIBABA_CLOUD_REGION_ID",
    "ALIBABACLOUD_REGION_ID",
    "ALICLOUD_REGION_ID",
    "ALICLOUD_REGION",
];
/// The variable that selects the aliyun CLI's profile first (before `ALIBABA_CLOUD_PROFILE`).
pub const ALIYUN_CLI_PROFILE_VAR: &str = "ALIBABACLOUD_PROFILE";
/// The profile name of the running exec.
pub const VAULT_PROFILE_VAR: &str = "ALICLOUD_VAULT";
/// When the session ends, `YYYY-MM-DDTHH:MM:SSZ`.
pub const EXPIRATION_VAR: &str = "ALICLOUD_SESSION_EXPIRATION";
/// The credentials URI variables (set by server mode, else removed).
pub const CREDENTIALS_URI_VARS: [&str; 2] =
    ["ALIBABA_CLOUD_CREDENTIALS_URI", "ALICLOUD_CREDENTIALS_URI"];

/// Every other variable that selects credentials in some tool (docs/protocols.md, Environment variables); removed when inherited.
pub const CONFLICTING_VARS: [&str; 26] = [
    "ALIBABA_CLOUD_PROFILE",
    "ALIBABACLOUD_PROFILE",
    "ALICLOUD_PROFILE",
    "ALIBABA_CLOUD_ECS_METADATA",
    "ALICLOUD_ECS_ROLE_NAME",
    "ALIBABA_CLOUD_ROLE_ARN",
    "ALIBABACLOUD_ROLE_ARN",
    "ALIBABA_CLOUD_ROLE_SESSION_NAME",
    "ALIBABA_CLOUD_EXTERNAL_ID",
    "ALIBABACLOUD_EXTERNAL_ID",
    "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
    "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
    "ALIBABACLOUD_OIDC_PROVIDER_ARN",
    "ALIBABACLOUD_OIDC_TOKEN_FILE",
    "ALIBABA_CLOUD_CREDENTIALS_FILE",
    "ALICLOUD_SHARED_CREDENTIALS_FILE",
    "ALIBABA_CLOUD_IGNORE_PROFILE",
    "ALIBABACLOUD_IGNORE_PROFILE",
    "ALIYUN_ACCESS_KEY_ID",
    "ALIYUN_ACCESS_KEY_SECRET",
    "ALICLOUD_STS_TOKEN",
    "ALICLOUD_ASSUME_ROLE_ARN",
    "ALICLOUD_ASSUME_ROLE_SESSION_NAME",
    "ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION",
    "ALIBABA_CLOUD_SECURITY_TOKEN_EXPIRATION",
    "ALIBABA_CLOUD_STS_TOKEN",
];

/// The vault's own secret variables: a child never needs them.
pub const VAULT_SECRET_VARS: [&str; 1] = ["ALICLOUD_VAULT_FILE_PASSPHRASE"];

/// The changes to make to a child's environment: variables to remove, then to set.
#[derive(Debug, Default)]
pub struct EnvChanges {
    pub remove: Vec<&'static str>,
    pub set: Vec<(String, Secret)>,
}

impl EnvChanges {
    fn put(&mut self, name: &str, value: &str) {
        self.set.push((name.to_string(), Secret::new(value)));
    }

    /// Sets `name` (also when it is on the remove list: removals happen first).
    pub fn set_var(&mut self, name: &str, value: &str) {
        self.set.retain(|(n, _)| n != name);
        self.put(name, value);
    }

    /// The value set for `name`, if any.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.set
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.expose())
    }

    /// Applies the changes to a command about to be started.
    pub fn apply(&self, cmd: &mut std::process::Command) {
        for n in &self.remove {
            cmd.env_remove(n);
        }
        for (n, v) in &self.set {
            cmd.env(n, v.expose());
        }
    }
}

/// The environment for a child that uses `issued` as profile `profile`.
pub fn for_credentials(profile: &str, issued: &Issued, region: Option<&str>) -> EnvChanges {
    let mut c = EnvChanges::default();
    c.remove.extend(VAULT_SECRET_VARS);
    c.remove.extend(CONFLICTING_VARS);
    c.remove.extend(CREDENTIALS_URI_VARS);
    for n in ACCESS_KEY_ID_VARS {
        c.put(n, issued.access_key_id());
    }
    for n in ACCESS_KEY_SECRET_VARS {
        c.put(n, issued.access_key_secret().expose());
    }
    match issued.security_token() {
        Some(token) => {
            for n in SECURITY_TOKEN_VARS {
                c.put(n, token.expose());
            }
        }
        None => c.remove.extend(SECURITY_TOKEN_VARS),
    }
    match issued.expiration() {
        Some(t) => c.put(EXPIRATION_VAR, &format_alibaba_time(t)),
        None => c.remove.push(EXPIRATION_VAR),
    }
    if let Some(r) = region {
        for n in REGION_VARS {
            c.put(n, r);
        }
    }
    c.put(VAULT_PROFILE_VAR, profile);
    c
}

/// The environment for a child served by a credentials URI: the URI variables and no static keys.
pub fn for_credentials_uri(profile: &str, uri: &str, region: Option<&str>) -> EnvChanges {
    let mut c = EnvChanges::default();
    c.remove.extend(VAULT_SECRET_VARS);
    c.remove.extend(CONFLICTING_VARS);
    c.remove.extend(ACCESS_KEY_ID_VARS);
    c.remove.extend(ACCESS_KEY_SECRET_VARS);
    c.remove.extend(SECURITY_TOKEN_VARS);
    c.remove.push(EXPIRATION_VAR);
    for n in CREDENTIALS_URI_VARS {
        c.put(n, uri);
    }
    if let Some(r) = region {
        for n in REGION_VARS {
            c.put(n, r);
        }
    }
    c.put(VAULT_PROFILE_VAR, profile);
    c
}

/// The credentials a surrounding `exec` put into this process's environment:
/// `(profile, credentials, region)`, or `None` when this is not inside an `exec` that set keys.
pub fn inherited_credentials() -> Option<(String, Issued, Option<String>)> {
    use crate::session::{parse_alibaba_time, LongTermKey, Session};
    let get = |n: &str| std::env::var(n).ok().filter(|v| !v.is_empty());
    let profile = get(VAULT_PROFILE_VAR)?;
    let id = get(ACCESS_KEY_ID_VARS[0])?;
    let secret = Secret::from(get(ACCESS_KEY_SECRET_VARS[0])?);
    let region = get(REGION_VARS[0]);
    let issued = match get(SECURITY_TOKEN_VARS[0]) {
        None => Issued::LongTerm(LongTermKey {
            access_key_id: id,
            access_key_secret: secret,
        }),
        Some(token) => {
            let expiration = parse_alibaba_time(&get(EXPIRATION_VAR)?)?;
            Issued::Session(Session {
                access_key_id: id,
                access_key_secret: secret,
                security_token: Secret::from(token),
                expiration,
                issued_at: time::OffsetDateTime::now_utc().min(expiration),
            })
        }
    };
    Some((profile, issued, region))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::{LongTermKey, Session};
    use time::macros::datetime;

    fn session() -> Issued {
        Issued::Session(Session {
            access_key_id: "STS.abc".into(),
            access_key_secret: Secret::new("sec"),
            security_token: Secret::new("CAIStok"),
            expiration: datetime!(2026-11-27 12:00:00 UTC),
            issued_at: datetime!(2026-11-27 11:00:00 UTC),
        })
    }

    #[test]
    fn a_session_fills_every_tier_with_the_same_values() {
        let c = for_credentials("prod", &session(), Some("cn-hangzhou"));
        for n in ACCESS_KEY_ID_VARS {
            assert_eq!(c.get(n), Some("STS.abc"), "{n}");
        }
        for n in ACCESS_KEY_SECRET_VARS {
            assert_eq!(c.get(n), Some("sec"), "{n}");
        }
        for n in SECURITY_TOKEN_VARS {
            assert_eq!(c.get(n), Some("CAIStok"), "{n}");
        }
        for n in REGION_VARS {
            assert_eq!(c.get(n), Some("cn-hangzhou"), "{n}");
        }
        assert_eq!(c.get("ALICLOUD_VAULT"), Some("prod"));
        assert_eq!(
            c.get("ALICLOUD_SESSION_EXPIRATION"),
            Some("2026-11-27T12:00:00Z")
        );
        assert_eq!(c.get("REGION"), None);
        assert!(c.remove.contains(&"ALIBABA_CLOUD_CREDENTIALS_URI"));
        assert!(c.remove.contains(&"ALIYUN_ACCESS_KEY_ID"));
    }

    #[test]
    fn a_long_term_key_sets_no_token_and_removes_every_token_variable() {
        let k = Issued::LongTerm(LongTermKey {
            access_key_id: "LTAIxxxxxxxxxxxxxxxx".into(),
            access_key_secret: Secret::new("sec"),
        });
        let c = for_credentials("dev", &k, None);
        for n in SECURITY_TOKEN_VARS {
            assert_eq!(c.get(n), None);
            assert!(c.remove.contains(&n), "{n}");
        }
        assert!(c.remove.contains(&"ALICLOUD_SESSION_EXPIRATION"));
        assert_eq!(c.get("ALIBABA_CLOUD_REGION_ID"), None);
    }
}
