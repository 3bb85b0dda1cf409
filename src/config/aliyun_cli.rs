//! The aliyun CLI's `~/.aliyun/config.json` (docs/protocols.md, The aliyun CLI's config.json).
//!
//! Read: profiles in mode `RamRoleArn`, `ChainableRamRoleArn`, `CloudSSO` and `OAuth` become
//! usable by name; `AK` profiles may serve as a `source_profile`. Plaintext keys found there stay
//! in memory only: nothing from this file is ever copied to disk or to the keystore, except by
//! `add --import-aliyun` (an AK profile's key, an OAuth profile's refresh token), which then
//! offers to blank the plaintext copy here. An OAuth profile's tokens are never used from this
//! file: its login is the one in the keystore.
//!
//! Written only by `setup aliyun-cli`, which adds one `External` profile and keeps every other
//! field of the file, known to us or not, as it was.

use super::{ConfigError, Endpoints, OAuthSettings, Origin, Profile, SsoSettings};
use crate::aliyun::oauth::OAuthSite;
use crate::secret::Secret;
use crate::session::LongTermKey;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Where the aliyun CLI keeps its configuration: `$ALIBABA_CLOUD_CONFIG_FILE`, else `~/.aliyun/config.json`.
pub fn default_path() -> Option<PathBuf> {
    crate::dirs::aliyun_cli_config()
}

#[derive(Deserialize)]
struct File {
    #[serde(default)]
    profiles: Vec<RawProfile>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawProfile {
    name: String,
    mode: String,
    process_command: String,
    access_key_id: String,
    access_key_secret: Secret,
    ram_role_arn: String,
    ram_session_name: String,
    external_id: String,
    source_profile: String,
    expired_seconds: u64,
    region_id: String,
    sts_region: String,
    sts_endpoint: String,
    policy: String,
    cloud_sso_sign_in_url: String,
    cloud_sso_account_id: String,
    cloud_sso_access_config: String,
    oauth_site_type: String,
    oauth_refresh_token: Secret,
    oauth_access_token: Secret,
    oauth_access_token_expire: i64,
}

fn some(s: String) -> Option<String> {
    let s = s.trim().to_string();
    (!s.is_empty()).then_some(s)
}

/// What the vault uses from the aliyun CLI's file.
#[derive(Debug, Default)]
pub struct AliyunCliFile {
    /// Profiles usable by name.
    pub profiles: Vec<Profile>,
    /// The name of an `External` profile that asks alicloud-vault (written by `setup aliyun-cli`).
    pub vault_profile: Option<String>,
}

/// The marker that tells our `External` profile from others: its command's arguments.
pub const EXTERNAL_COMMAND_ARGS: &str = "export --format aliyun-external";

/// The usable profiles of `text`, the aliyun CLI's file read from `path`.
pub fn parse(path: &Path, text: &str) -> Result<AliyunCliFile, ConfigError> {
    let file: File = serde_json::from_str(text).map_err(|e| ConfigError::Invalid {
        file: path.to_path_buf(),
        line: e.line(),
        // serde_json's message may quote a value from the file (a secret): keep only its category.
        message: format!("this is not a valid aliyun CLI configuration ({:?} error); fix it with `aliyun configure` or point ALIBABA_CLOUD_CONFIG_FILE elsewhere", e.classify()),
    })?;
    let mut out = AliyunCliFile::default();
    for raw in file.profiles {
        let mode = raw.mode.to_ascii_lowercase();
        if mode == "external"
            && raw.process_command.contains("alicloud-vault")
            && raw.process_command.ends_with(EXTERNAL_COMMAND_ARGS)
        {
            out.vault_profile.get_or_insert(raw.name.clone());
            continue;
        }
        if !matches!(
            mode.as_str(),
            "ak" | "ramrolearn" | "chainableramrolearn" | "cloudsso" | "oauth"
        ) || super::validate_profile_name(&raw.name).is_err()
        {
            continue;
        }
        let inline_key = if matches!(mode.as_str(), "ak" | "ramrolearn") {
            if raw.access_key_id.trim().is_empty() || raw.access_key_secret.is_empty() {
                continue;
            }
            Some(LongTermKey {
                access_key_id: raw.access_key_id.trim().to_string(),
                access_key_secret: raw.access_key_secret.clone(),
            })
        } else {
            None
        };
        let sts_region = some(raw.sts_region.clone());
        let sts_endpoint = some(raw.sts_endpoint)
            .map(|e| {
                if e.contains("://") {
                    e
                } else {
                    format!("https://{}", e.trim_end_matches('/'))
                }
            })
            .or_else(|| sts_region.map(|r| format!("https://sts.{r}.aliyuncs.com")));
        let sso = (mode == "cloudsso").then(|| SsoSettings {
            sign_in_url: raw.cloud_sso_sign_in_url.clone(),
            account_id: raw.cloud_sso_account_id.clone(),
            access_configuration: raw.cloud_sso_access_config.clone(),
        });
        let oauth = match mode.as_str() {
            "oauth" => match OAuthSite::parse(&raw.oauth_site_type) {
                Some(site) => Some(OAuthSettings { site }),
                None => continue,
            },
            _ => None,
        };
        if let Some(s) = &sso {
            if s.sign_in_url.is_empty()
                || s.account_id.is_empty()
                || s.access_configuration.is_empty()
            {
                continue;
            }
        }
        out.profiles.push(Profile {
            name: raw.name.clone(),
            origin: Origin::AliyunCli {
                file: path.to_path_buf(),
            },
            region: some(raw.region_id),
            source_profile: if mode == "chainableramrolearn" {
                some(raw.source_profile)
            } else {
                None
            },
            role_arn: if mode == "ak" {
                None
            } else {
                some(raw.ram_role_arn)
            },
            role_session_name: some(raw.ram_session_name),
            external_id: some(raw.external_id),
            policy: some(raw.policy),
            duration: (raw.expired_seconds > 0).then(|| Duration::from_secs(raw.expired_seconds)),
            sso,
            oidc: None,
            oauth,
            endpoints: Endpoints {
                sts: sts_endpoint,
                ..Endpoints::default()
            },
            inline_key,
            ram_user_name: None,
            site: None,
        });
    }
    Ok(out)
}

/// What `setup aliyun-cli` did.
#[derive(Debug, PartialEq, Eq)]
pub enum SetupOutcome {
    Added,
    Replaced,
}

/// Adds (or replaces) an `External` profile named `name` whose command is `command`, keeping
/// every other profile and field of the file. A new file is created 0600 in a 0700 folder;
/// an existing one keeps its permissions. The write is atomic.
pub fn add_external_profile(
    path: &Path,
    name: &str,
    command: &str,
    region: &str,
) -> Result<SetupOutcome, ConfigError> {
    use serde_json::{json, Value};
    edit(path, true, |doc, invalid| {
        let profiles = doc
            .entry("profiles")
            .or_insert_with(|| json!([]))
            .as_array_mut()
            .ok_or_else(|| invalid("`profiles` is not a list; nothing was changed".into()))?;
        let ours = json!({
            "name": name,
            "mode": "External",
            "process_command": command,
            "region_id": region,
            "output_format": "json",
            "language": "en",
        });
        match profiles
            .iter_mut()
            .find(|p| p.get("name").and_then(Value::as_str) == Some(name))
        {
            Some(p) => {
                // Keep fields the CLI added to it (language, timeouts...), replace what makes it ours.
                let obj = p.as_object_mut().ok_or_else(|| {
                    invalid(format!(
                        "profile `{name}` is not a JSON object; nothing was changed"
                    ))
                })?;
                for (k, v) in ours.as_object().expect("built as an object") {
                    obj.insert(k.clone(), v.clone());
                }
                for stale in [
                    "access_key_id",
                    "access_key_secret",
                    "sts_token",
                    "ram_role_arn",
                    "source_profile",
                ] {
                    obj.remove(stale);
                }
                Ok(SetupOutcome::Replaced)
            }
            None => {
                profiles.push(ours);
                Ok(SetupOutcome::Added)
            }
        }
    })
}

/// The AccessKey of the aliyun CLI's `AK` profile `name`, or why there is none to import.
pub fn ak_profile_key(path: &Path, name: &str) -> Result<LongTermKey, ConfigError> {
    let invalid = |message: String| ConfigError::Invalid {
        file: path.to_path_buf(),
        line: 1,
        message,
    };
    let p = cli_profile(path, name)?;
    if !p.mode.eq_ignore_ascii_case("ak") {
        return Err(invalid(format!(
            "profile `{name}` is in mode {}; only an AK profile's key or an OAuth profile's login can be imported (for a RamRoleArn profile, import its source key and describe the role in the alicloud-vault config)",
            p.mode
        )));
    }
    if p.access_key_id.trim().is_empty() || p.access_key_secret.is_empty() {
        return Err(invalid(format!(
            "profile `{name}` holds no key (already imported?)"
        )));
    }
    Ok(LongTermKey {
        access_key_id: p.access_key_id.trim().to_string(),
        access_key_secret: p.access_key_secret,
    })
}

/// The OAuth login the aliyun CLI keeps in plaintext for one profile.
#[derive(Debug)]
pub struct CliOAuthLogin {
    pub site: OAuthSite,
    pub refresh_token: Secret,
    pub access_token: Option<Secret>,
    /// Unix seconds, as the CLI stores it.
    pub access_expires_at: Option<i64>,
}

/// The fields of an aliyun CLI OAuth profile that hold tokens or the STS credentials made
/// from them: what `add --import-aliyun` blanks after the import.
pub const OAUTH_SECRET_FIELDS: [&str; 4] = [
    "oauth_refresh_token",
    "oauth_access_token",
    "access_key_secret",
    "sts_token",
];

/// Reads profile `name` of the aliyun CLI's file, or says why there is none.
fn cli_profile(path: &Path, name: &str) -> Result<RawProfile, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read {
        file: path.to_path_buf(),
        detail: e.to_string(),
    })?;
    let file: File = serde_json::from_str(&text).map_err(|e| ConfigError::Invalid {
        file: path.to_path_buf(),
        line: e.line(),
        message: "this is not a valid aliyun CLI configuration; nothing was imported".into(),
    })?;
    file.profiles
        .into_iter()
        .find(|p| p.name == name)
        .ok_or_else(|| ConfigError::Invalid {
            file: path.to_path_buf(),
            line: 1,
            message: format!("there is no profile `{name}`; `aliyun configure list` shows them"),
        })
}

/// Whether profile `name` of the aliyun CLI's file is in mode OAuth.
pub fn is_oauth_profile(path: &Path, name: &str) -> bool {
    cli_profile(path, name).is_ok_and(|p| p.mode.eq_ignore_ascii_case("oauth"))
}

/// The OAuth login of the aliyun CLI's `OAuth` profile `name`, or why there is none to import.
pub fn oauth_profile_login(path: &Path, name: &str) -> Result<CliOAuthLogin, ConfigError> {
    let invalid = |message: String| ConfigError::Invalid {
        file: path.to_path_buf(),
        line: 1,
        message,
    };
    let p = cli_profile(path, name)?;
    if !p.mode.eq_ignore_ascii_case("oauth") {
        return Err(invalid(format!(
            "profile `{name}` is in mode {}, not OAuth",
            p.mode
        )));
    }
    let site = OAuthSite::parse(&p.oauth_site_type).ok_or_else(|| {
        invalid(format!(
            "profile `{name}` has oauth_site_type {:?}; the aliyun CLI writes CN or INTL. Log in again with `aliyun configure --mode OAuth --profile {name}`",
            crate::display::describe_value(&p.oauth_site_type)
        ))
    })?;
    if p.oauth_refresh_token.is_empty() {
        return Err(invalid(format!(
            "profile `{name}` holds no refresh token (already imported?); log in with `alicloud-vault oauth login {name}`"
        )));
    }
    Ok(CliOAuthLogin {
        site,
        refresh_token: p.oauth_refresh_token,
        access_token: (!p.oauth_access_token.is_empty()).then_some(p.oauth_access_token),
        access_expires_at: (p.oauth_access_token_expire > 0).then_some(p.oauth_access_token_expire),
    })
}

/// Blanks the token fields ([`OAUTH_SECRET_FIELDS`]) of OAuth profile `name` and zeroes its
/// expiry times, keeping everything else of the file.
pub fn blank_oauth_tokens(path: &Path, name: &str) -> Result<(), ConfigError> {
    blank_fields(
        path,
        name,
        &OAUTH_SECRET_FIELDS,
        &["oauth_access_token_expire", "sts_expiration"],
    )
}

/// Blanks the key fields of profile `name`, keeping everything else of the file.
pub fn blank_keys(path: &Path, name: &str) -> Result<(), ConfigError> {
    blank_fields(path, name, &["access_key_id", "access_key_secret"], &[])
}

/// Sets `strings` of profile `name` to "" and `numbers` (where present) to 0.
fn blank_fields(
    path: &Path,
    name: &str,
    strings: &[&str],
    numbers: &[&str],
) -> Result<(), ConfigError> {
    use serde_json::Value;
    edit(path, false, |doc, invalid| {
        let p = doc
            .get_mut("profiles")
            .and_then(Value::as_array_mut)
            .and_then(|ps| {
                ps.iter_mut()
                    .find(|p| p.get("name").and_then(Value::as_str) == Some(name))
            })
            .and_then(Value::as_object_mut)
            .ok_or_else(|| invalid(format!("profile `{name}` is gone; nothing was changed")))?;
        for field in strings {
            if p.contains_key(*field) {
                p.insert((*field).into(), Value::String(String::new()));
            }
        }
        for field in numbers {
            if p.contains_key(*field) {
                p.insert((*field).into(), Value::from(0));
            }
        }
        Ok(())
    })
}

/// Reads the file as JSON (or starts one when `create` and it is missing), lets `change` edit
/// the top-level object, and writes it back atomically. Nothing is written when `change` fails.
fn edit<T>(
    path: &Path,
    create: bool,
    change: impl FnOnce(
        &mut serde_json::Map<String, serde_json::Value>,
        &dyn Fn(String) -> ConfigError,
    ) -> Result<T, ConfigError>,
) -> Result<T, ConfigError> {
    use serde_json::{json, Value};
    let invalid = |message: String| ConfigError::Invalid {
        file: path.to_path_buf(),
        line: 1,
        message,
    };
    let existing = match std::fs::read_to_string(path) {
        Ok(t) => Some(t),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && create => None,
        Err(e) => {
            return Err(ConfigError::Read {
                file: path.to_path_buf(),
                detail: e.to_string(),
            })
        }
    };
    let mut doc: Value = match &existing {
        Some(t) => serde_json::from_str(t).map_err(|e| ConfigError::Invalid {
            file: path.to_path_buf(),
            line: e.line(),
            message: "this is not valid JSON; nothing was changed. Fix the file (or move it away) and try again".into(),
        })?,
        None => json!({"current": "", "profiles": [], "meta_path": ""}),
    };
    let root = doc
        .as_object_mut()
        .ok_or_else(|| invalid("the top level is not a JSON object; nothing was changed".into()))?;
    let out = change(root, &invalid)?;
    let text = serde_json::to_string_pretty(&doc).map_err(|e| invalid(e.to_string()))?;
    write_atomically(path, text.as_bytes(), existing.is_none()).map_err(|e| ConfigError::Read {
        file: path.to_path_buf(),
        detail: format!("could not write: {e}"),
    })?;
    Ok(out)
}

/// Replaces `path` with `bytes` through a temporary file in the same directory (mode 0600 for a
/// new file, else the old mode), creating the directory (mode 0700) when it is missing.
pub fn write_atomically(path: &Path, bytes: &[u8], new_file: bool) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !dir.exists() {
        std::fs::create_dir_all(dir)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        }
    }
    #[cfg(unix)]
    let mode = {
        use std::os::unix::fs::PermissionsExt;
        if new_file {
            0o600
        } else {
            std::fs::metadata(path)
                .map(|m| m.permissions().mode() & 0o777)
                .unwrap_or(0o600)
        }
    };
    #[cfg(not(unix))]
    let mode = {
        let _ = new_file;
        0o600
    };
    crate::atomic_file::write(path, bytes, mode, crate::atomic_file::Place::Replace).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setup_adds_an_external_profile_and_keeps_unknown_fields() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.json");
        std::fs::write(
            &path,
            r#"{"current":"work","profiles":[{"name":"work","mode":"AK","access_key_id":"LTAIxxxxxxxxxxxxxxxx","access_key_secret":"s","region_id":"cn-beijing","future_field":{"x":1}}],"meta_path":"","plugin_settings":[1,2]}"#,
        )
        .unwrap();
        let cmd = "/usr/bin/alicloud-vault export --format aliyun-external";
        assert_eq!(
            add_external_profile(&path, "alicloud-vault", cmd, "cn-hangzhou").unwrap(),
            SetupOutcome::Added
        );
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(v["current"], "work");
        assert_eq!(v["plugin_settings"], serde_json::json!([1, 2]));
        assert_eq!(v["profiles"][0]["future_field"]["x"], 1);
        assert_eq!(v["profiles"][1]["mode"], "External");
        assert_eq!(v["profiles"][1]["process_command"], cmd);
        let loaded = parse(&path, &std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(loaded.vault_profile.as_deref(), Some("alicloud-vault"));
        assert_eq!(
            add_external_profile(&path, "alicloud-vault", cmd, "cn-hangzhou").unwrap(),
            SetupOutcome::Replaced
        );
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(v["profiles"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn setup_refuses_a_broken_file_and_leaves_it_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.json");
        std::fs::write(&path, "{ not json").unwrap();
        let e = add_external_profile(
            &path,
            "alicloud-vault",
            "x export --format aliyun-external",
            "cn-hangzhou",
        )
        .unwrap_err();
        assert!(e.to_string().contains("nothing was changed"), "{e}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "{ not json");
    }
}
