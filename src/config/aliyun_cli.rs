//! Read-only use of the aliyun CLI's `~/.aliyun/config.json` (PROTOCOLS 6.1).
//!
//! Profiles in mode `RamRoleArn`, `ChainableRamRoleArn` and `CloudSSO` become usable by name;
//! `AK` profiles may serve as a `source_profile`. Plaintext keys found there stay in memory
//! only: nothing from this file is ever copied to disk or to the keystore.

use super::{ConfigError, Endpoints, Origin, Profile, SsoSettings};
use crate::credentials::session::LongTermKey;
use crate::secret::Secret;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Where the aliyun CLI keeps its configuration: `$ALIBABA_CLOUD_CONFIG_FILE`, else `~/.aliyun/config.json`.
pub fn default_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("ALIBABA_CLOUD_CONFIG_FILE").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    directories::BaseDirs::new().map(|d| d.home_dir().join(".aliyun").join("config.json"))
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
}

fn some(s: String) -> Option<String> {
    let s = s.trim().to_string();
    (!s.is_empty()).then_some(s)
}

/// Loads the usable profiles of the aliyun CLI's file. A missing file gives none.
pub fn load(path: &Path) -> Result<Vec<Profile>, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(ConfigError::Read {
                file: path.to_path_buf(),
                detail: e.to_string(),
            })
        }
    };
    let file: File = serde_json::from_str(&text).map_err(|e| ConfigError::Invalid {
        file: path.to_path_buf(),
        line: e.line(),
        // serde_json's message may quote a value from the file (a secret): keep only its category.
        message: format!("this is not a valid aliyun CLI configuration ({:?} error); fix it with `aliyun configure` or point ALIBABA_CLOUD_CONFIG_FILE elsewhere", e.classify()),
    })?;
    let mut out = Vec::new();
    for raw in file.profiles {
        let mode = raw.mode.to_ascii_lowercase();
        if !matches!(
            mode.as_str(),
            "ak" | "ramrolearn" | "chainableramrolearn" | "cloudsso"
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
        if let Some(s) = &sso {
            if s.sign_in_url.is_empty()
                || s.account_id.is_empty()
                || s.access_configuration.is_empty()
            {
                continue;
            }
        }
        out.push(Profile {
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
