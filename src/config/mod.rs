//! Configuration: profiles from the project's TOML file, plus read-only awareness of the
//! aliyun CLI's `~/.aliyun/config.json`.
//!
//! Every error names the file and the line and says what to write instead.

pub mod aliyun_cli;
pub mod container;
/// Durations as people write them; kept beside the other shared values (`crate::duration`).
pub use crate::duration;
/// The numeric knobs of the environment (`crate::knobs`), checked at start.
pub use crate::knobs as env;
mod values;

use crate::keystore::BackendKind;
use crate::session::LongTermKey;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;
use toml::Spanned;
use zeroize::Zeroizing;

pub use duration::{format_duration, parse_duration};
pub use values::{ProfileName, RegionId, SessionDuration, MAX_SESSION, MIN_SESSION};
/// The session length when nothing says otherwise.
pub const DEFAULT_SESSION: Duration = Duration::from_secs(3600);

/// What can be wrong with the configuration.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {}: {detail}", file.display())]
    Read { file: PathBuf, detail: String },
    #[error("{}:{line}: {message}", file.display())]
    Invalid {
        file: PathBuf,
        line: usize,
        message: String,
    },
    #[error("invalid profile name `{0}`: use 1 to 64 letters, digits, `.`, `_` or `-`")]
    BadProfileName(String),
    #[error("unknown profile `{name}`: it is not configured in {} and no key is stored under that name{hint}", file.display())]
    UnknownProfile {
        name: String,
        file: PathBuf,
        hint: String,
    },
    #[error("source_profile forms a cycle: {}. Make one of these profiles use a stored key or SSO instead", chain.join(" -> "))]
    Cycle { chain: Vec<String> },
    /// An environment variable with a value that cannot be used.
    #[error("{name}: {message}")]
    BadVariable { name: String, message: String },
}

/// Where a profile was defined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The project's TOML file, at this line.
    Toml { file: PathBuf, line: usize },
    /// The aliyun CLI's config.json.
    AliyunCli { file: PathBuf },
    /// Not configured anywhere: a stored key under this name.
    KeyOnly,
}

/// Endpoint overrides (full URLs).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Endpoints {
    pub sts: Option<String>,
    pub ram: Option<String>,
    pub sso: Option<String>,
    pub signin: Option<String>,
    /// The OAuth token and exchange host.
    pub oauth: Option<String>,
    /// The OAuth authorization page's host.
    pub oauth_signin: Option<String>,
}

/// The remote services a profile talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    Sts,
    Ram,
    Sso,
    Signin,
    /// The OAuth token and exchange endpoints.
    OAuth,
    /// The OAuth authorization page.
    OAuthSignin,
}

impl Service {
    /// The environment variable that overrides this service's endpoint.
    pub fn env_var(self) -> &'static str {
        match self {
            Service::Sts => "ALICLOUD_VAULT_STS_ENDPOINT",
            Service::Ram => "ALICLOUD_VAULT_RAM_ENDPOINT",
            Service::Sso => "ALICLOUD_VAULT_SSO_ENDPOINT",
            Service::Signin => "ALICLOUD_VAULT_SIGNIN_ENDPOINT",
            Service::OAuth => "ALICLOUD_VAULT_OAUTH_ENDPOINT",
            Service::OAuthSignin => "ALICLOUD_VAULT_OAUTH_SIGNIN_ENDPOINT",
        }
    }

    /// An endpoint of this service, as the examples in error messages show it.
    fn example(self) -> &'static str {
        match self {
            Service::Sts => "https://sts.cn-hangzhou.aliyuncs.com",
            Service::Ram => "https://ram.aliyuncs.com",
            Service::Sso => "https://cloudsso.cn-shanghai.aliyuncs.com",
            Service::Signin => crate::aliyun::signin::CHINA_FEDERATION,
            Service::OAuth => "https://oauth.aliyun.com",
            Service::OAuthSignin => "https://signin.aliyun.com",
        }
    }

    /// Checks an override of this service's endpoint. The sign-in service's endpoint is the
    /// federation URL, which has a path (`https://signin.aliyun.com/federation`); the RPC
    /// services' endpoints are bare origins, and their errors show this service's example.
    pub fn validate_endpoint(self, url: &str) -> Result<(), String> {
        match self {
            Service::Signin => crate::aliyun::signin::federation_url(url)
                .map(|_| ())
                .map_err(|e| match e {
                    crate::aliyun::rpc::RemoteError::InvalidEndpoint { message, .. } => message,
                    other => other.to_string(),
                }),
            _ => crate::aliyun::rpc::validate_endpoint(url)
                .map(|_| ())
                .map_err(|m| m.replace(Service::Sts.example(), self.example())),
        }
    }

    fn pick(self, e: &Endpoints) -> Option<&String> {
        match self {
            Service::Sts => e.sts.as_ref(),
            Service::Ram => e.ram.as_ref(),
            Service::Sso => e.sso.as_ref(),
            Service::Signin => e.signin.as_ref(),
            Service::OAuth => e.oauth.as_ref(),
            Service::OAuthSignin => e.oauth_signin.as_ref(),
        }
    }
}

/// The CloudSSO settings of a profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoSettings {
    pub sign_in_url: String,
    pub account_id: String,
    pub access_configuration: String,
}

/// The OIDC settings of a profile: a role assumed with a token the CI system or Kubernetes
/// writes to a file (AssumeRoleWithOIDC, no stored key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcSettings {
    /// `acs:ram::<account-id>:oidc-provider/<name>`.
    pub provider_arn: String,
    /// Read again at every mint: the platform rotates it.
    pub token_file: PathBuf,
}

/// The OAuth settings of a profile: a browser login through Alibaba Cloud's `official-cli`
/// application (its refresh token in the keystore, under the profile's name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthSettings {
    pub site: crate::aliyun::oauth::OAuthSite,
}

/// Which Alibaba Cloud site an account lives on (for console sign-in).
pub use crate::aliyun::signin::Site;

/// One profile, from either file, with its own settings (not yet merged with `[defaults]`).
#[derive(Debug, Clone)]
pub struct Profile {
    pub name: String,
    pub origin: Origin,
    pub region: Option<String>,
    pub source_profile: Option<String>,
    pub role_arn: Option<String>,
    pub role_session_name: Option<String>,
    pub external_id: Option<String>,
    pub policy: Option<String>,
    pub duration: Option<Duration>,
    pub sso: Option<SsoSettings>,
    pub oidc: Option<OidcSettings>,
    pub oauth: Option<OAuthSettings>,
    pub endpoints: Endpoints,
    /// A plaintext key read from the aliyun CLI's file (kept in memory only).
    pub inline_key: Option<LongTermKey>,
    /// The RAM user that owns the key (for `rotate`), when it differs from what STS reports.
    pub ram_user_name: Option<String>,
    pub site: Option<Site>,
}

impl Profile {
    /// A profile that exists only as a stored key.
    pub fn key_only(name: &str) -> Profile {
        Profile {
            name: name.to_string(),
            origin: Origin::KeyOnly,
            region: None,
            source_profile: None,
            role_arn: None,
            role_session_name: None,
            external_id: None,
            policy: None,
            duration: None,
            sso: None,
            oidc: None,
            oauth: None,
            endpoints: Endpoints::default(),
            inline_key: None,
            ram_user_name: None,
            site: None,
        }
    }
}

/// `[defaults]`.
#[derive(Debug, Clone, Default)]
pub struct Defaults {
    pub region: Option<String>,
    pub duration: Option<Duration>,
    pub backend: Option<BackendKind>,
    pub endpoints: Endpoints,
    pub refresh_margin: Option<Duration>,
}

/// `[metadata]`: what the ECS metadata emulation serves.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MetadataSettings {
    pub profile: Option<String>,
    pub address: Option<String>,
    pub role_name: Option<String>,
    pub hardened: bool,
}

/// `[agent]`: whether the CLI starts the agent itself, and how long the agent keeps what it
/// holds (docs/agent.md, "Started on demand").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentSettings {
    /// Start the agent when a command needs a session and none answers.
    pub autostart: bool,
    /// Forget what unlocks the keystore (the file backend's derived key) after this long
    /// without keystore use.
    pub lock_after: Duration,
    /// Exit after this long without a request, when no URI or metadata endpoint relies on it.
    pub exit_after: Duration,
    /// Show desktop notices when the user must act (docs/agent.md, "Desktop notices").
    pub notify: bool,
    /// The listener for containers on a bridge network, when configured.
    pub container: Option<container::ContainerSettings>,
}

impl Default for AgentSettings {
    fn default() -> Self {
        AgentSettings {
            autostart: true,
            lock_after: Duration::from_secs(3600),
            exit_after: Duration::from_secs(12 * 3600),
            notify: true,
            container: None,
        }
    }
}

/// The files a configuration is made of, read and not yet parsed: the TOML file (empty when
/// missing) and, where the aliyun CLI's file has a place, its text (`None` when missing, wiped
/// on drop: it may hold AccessKey secrets).
pub struct ConfigFiles {
    file: PathBuf,
    text: String,
    aliyun: Option<(PathBuf, Option<Zeroizing<String>>)>,
}

impl ConfigFiles {
    /// Reads the TOML file at `path` (default: [`Config::default_path`]) and the aliyun CLI's.
    pub fn read(path: Option<&Path>) -> Result<ConfigFiles, ConfigError> {
        let file = path
            .map(Path::to_path_buf)
            .unwrap_or_else(Config::default_path);
        let text = read_if_present(&file)?.unwrap_or_default();
        let aliyun = match aliyun_cli::default_path() {
            Some(p) => {
                // It may hold AccessKey secrets: wiped when dropped.
                let text = read_if_present(&p)?.map(Zeroizing::new);
                Some((p, text))
            }
            None => None,
        };
        Ok(ConfigFiles { file, text, aliyun })
    }

    /// The configuration these files make.
    pub fn parse(&self) -> Result<Config, ConfigError> {
        let mut config = Config::parse(&self.file, &self.text)?;
        if let Some((path, Some(text))) = &self.aliyun {
            let file = aliyun_cli::parse(path, text)?;
            for p in file.profiles {
                config.aliyun_profiles.insert(p.name.clone(), p);
            }
            config.aliyun_vault_profile = file.vault_profile;
        }
        Ok(config)
    }

    /// A digest of the paths and texts: equal digests make equal configurations, so a caller
    /// that keeps what it parsed last need not parse again (the agent, on every request).
    pub fn digest(&self) -> [u8; 32] {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        let mut field = |bytes: &[u8]| {
            // Length-prefixed, so that no two different lists of fields hash alike.
            h.update((bytes.len() as u64).to_be_bytes());
            h.update(bytes);
        };
        field(self.file.as_os_str().as_encoded_bytes());
        field(self.text.as_bytes());
        match &self.aliyun {
            None => field(b"no aliyun file place"),
            Some((path, text)) => {
                field(path.as_os_str().as_encoded_bytes());
                match text {
                    None => field(b"no aliyun file"),
                    Some(t) => {
                        field(b"aliyun file");
                        field(t.as_bytes());
                    }
                }
            }
        }
        h.finalize().into()
    }
}

/// The text of the file at `path`, `None` when there is none.
fn read_if_present(path: &Path) -> Result<Option<String>, ConfigError> {
    match std::fs::read_to_string(path) {
        Ok(t) => Ok(Some(t)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(ConfigError::Read {
            file: path.to_path_buf(),
            detail: e.to_string(),
        }),
    }
}

/// The whole configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub file: PathBuf,
    pub defaults: Defaults,
    pub metadata: MetadataSettings,
    pub agent: AgentSettings,
    profiles: BTreeMap<String, Profile>,
    aliyun_profiles: BTreeMap<String, Profile>,
    /// The aliyun CLI profile that asks alicloud-vault (`setup aliyun-cli`), if there is one.
    pub aliyun_vault_profile: Option<String>,
}

/// Checks a profile name read from a file or the control socket (see [`ProfileName`]).
pub fn validate_profile_name(name: &str) -> Result<(), ConfigError> {
    ProfileName::new(name).map(|_| ())
}

/// Checks an endpoint override: the same rule the HTTP clients apply (`https://` anywhere,
/// plain `http://` only for loopback hosts), so a bad value fails when the file is read.
pub fn validate_endpoint(url: &str) -> Result<(), String> {
    crate::aliyun::rpc::validate_endpoint(url).map(|_| ())
}

/// Checks a CloudSSO sign-in URL (it has a path; its origin follows the endpoint rule).
fn validate_sign_in_url(url: &str) -> Result<(), String> {
    crate::aliyun::sso::endpoint_of_sign_in_url(url)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

// ---- the TOML file ----

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    defaults: Option<Spanned<RawDefaults>>,
    #[serde(default)]
    profile: BTreeMap<Spanned<String>, Spanned<RawProfile>>,
    #[serde(default)]
    metadata: Option<Spanned<RawMetadata>>,
    #[serde(default)]
    agent: Option<Spanned<RawAgent>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawAgent {
    autostart: Option<bool>,
    lock_after: Text,
    exit_after: Text,
    notify: Option<bool>,
    container_address: Text,
    container_subnets: Option<Spanned<Vec<Spanned<String>>>>,
    container_allow_public: Option<bool>,
}

type Text = Option<Spanned<String>>;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawEndpoints {
    sts_endpoint: Text,
    ram_endpoint: Text,
    sso_endpoint: Text,
    signin_endpoint: Text,
    oauth_endpoint: Text,
    oauth_signin_endpoint: Text,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawDefaults {
    region: Text,
    duration: Text,
    backend: Text,
    refresh_margin: Text,
    sts_endpoint: Text,
    ram_endpoint: Text,
    sso_endpoint: Text,
    signin_endpoint: Text,
    oauth_endpoint: Text,
    oauth_signin_endpoint: Text,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    region: Text,
    source_profile: Text,
    role_arn: Text,
    role_session_name: Text,
    external_id: Text,
    policy: Text,
    duration: Text,
    sso_sign_in_url: Text,
    sso_account_id: Text,
    sso_access_configuration: Text,
    oidc_provider_arn: Text,
    oidc_token_file: Text,
    oauth_site: Text,
    ram_user_name: Text,
    site: Text,
    sts_endpoint: Text,
    ram_endpoint: Text,
    sso_endpoint: Text,
    signin_endpoint: Text,
    oauth_endpoint: Text,
    oauth_signin_endpoint: Text,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawMetadata {
    profile: Text,
    address: Text,
    role_name: Text,
    hardened: Option<bool>,
}

/// Turns byte offsets into line numbers and builds errors for one file.
struct Source<'a> {
    file: &'a Path,
    text: &'a str,
}

impl Source<'_> {
    fn line_of(&self, offset: usize) -> usize {
        self.text[..offset.min(self.text.len())]
            .bytes()
            .filter(|&b| b == b'\n')
            .count()
            + 1
    }

    fn error_at(&self, offset: usize, message: impl Into<String>) -> ConfigError {
        ConfigError::Invalid {
            file: self.file.to_path_buf(),
            line: self.line_of(offset),
            message: message.into(),
        }
    }

    fn text(
        &self,
        v: &Text,
        check: impl Fn(&str) -> Result<(), String>,
    ) -> Result<Option<String>, ConfigError> {
        match v {
            None => Ok(None),
            Some(s) => {
                let value = s.get_ref().trim().to_string();
                check(&value).map_err(|m| self.error_at(s.span().start, m))?;
                Ok(Some(value))
            }
        }
    }

    fn duration(&self, v: &Text, key: &str) -> Result<Option<Duration>, ConfigError> {
        let Some(s) = v else { return Ok(None) };
        let d = parse_duration(s.get_ref())
            .map_err(|m| self.error_at(s.span().start, format!("{key}: {m}")))?;
        if key == "duration" && !(MIN_SESSION..=MAX_SESSION).contains(&d) {
            return Err(self.error_at(
                s.span().start,
                format!(
                    "duration `{}` is outside what STS grants; use a value from 15m (900s) to 12h (43200s)",
                    s.get_ref()
                ),
            ));
        }
        Ok(Some(d))
    }

    /// `[agent] container_*`: both the address and the subnets, or neither.
    fn container(
        &self,
        address: &Text,
        subnets: &Option<Spanned<Vec<Spanned<String>>>>,
        allow_public: bool,
    ) -> Result<Option<container::ContainerSettings>, ConfigError> {
        match (address, subnets) {
            (None, None) => Ok(None),
            (Some(a), None) => Err(self.error_at(
                a.span().start,
                "container_address needs container_subnets, the networks whose peers may connect, like container_subnets = [\"172.17.0.0/16\"]",
            )),
            (None, Some(s)) => Err(self.error_at(
                s.span().start,
                "container_subnets needs container_address, the address to listen on, like container_address = \"172.17.0.1:9911\"",
            )),
            (Some(a), Some(list)) => {
                let address = container::parse_address(a.get_ref(), allow_public)
                    .map_err(|m| self.error_at(a.span().start, m))?;
                if list.get_ref().is_empty() {
                    return Err(self.error_at(
                        list.span().start,
                        "container_subnets is empty: name the networks whose peers may connect, like [\"172.17.0.0/16\"]",
                    ));
                }
                let subnets = list
                    .get_ref()
                    .iter()
                    .map(|n| {
                        container::parse_subnet(n.get_ref(), allow_public)
                            .map_err(|m| self.error_at(n.span().start, m))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Some(container::ContainerSettings { address, subnets }))
            }
        }
    }

    fn endpoints(&self, raw: RawEndpoints) -> Result<Endpoints, ConfigError> {
        Ok(Endpoints {
            sts: self.text(&raw.sts_endpoint, |u| Service::Sts.validate_endpoint(u))?,
            ram: self.text(&raw.ram_endpoint, |u| Service::Ram.validate_endpoint(u))?,
            sso: self.text(&raw.sso_endpoint, |u| Service::Sso.validate_endpoint(u))?,
            signin: self.text(&raw.signin_endpoint, |u| {
                Service::Signin.validate_endpoint(u)
            })?,
            oauth: self.text(&raw.oauth_endpoint, |u| Service::OAuth.validate_endpoint(u))?,
            oauth_signin: self.text(&raw.oauth_signin_endpoint, |u| {
                Service::OAuthSignin.validate_endpoint(u)
            })?,
        })
    }

    /// Rewrites toml's own error as `file:line: message`, with a suggestion for unknown keys.
    fn parse_error(&self, e: toml::de::Error) -> ConfigError {
        let offset = e.span().map(|s| s.start).unwrap_or(0);
        let msg = e.message().trim().to_string();
        let message = match unknown_field(&msg) {
            Some((key, known)) => {
                let nearest = known
                    .iter()
                    .map(|k| (strsim::jaro_winkler(&key, k), k))
                    .filter(|(score, _)| *score > 0.75)
                    .max_by(|a, b| a.0.total_cmp(&b.0))
                    .map(|(_, k)| format!("; did you mean `{k}`?"))
                    .unwrap_or_else(|| format!("; known keys here: {}", known.join(", ")));
                format!("unknown key `{key}`{nearest}")
            }
            // toml says only "duplicate key"; the key is what its span covers.
            None if msg.starts_with("duplicate key") => {
                let key = e
                    .span()
                    .and_then(|r| self.text.get(r))
                    .map(|k| k.trim().trim_matches('"'))
                    .filter(|k| !k.is_empty() && k.len() <= 64 && !k.contains('\n'));
                match key {
                    Some(k) => format!(
                        "duplicate key `{k}`: it is already set above in the same table; keep one of them"
                    ),
                    None => format!("{msg}: keep one of the two"),
                }
            }
            None => msg,
        };
        self.error_at(offset, message)
    }
}

/// Picks the key and the expected keys out of serde's "unknown field `x`, expected one of `a`, `b`".
fn unknown_field(msg: &str) -> Option<(String, Vec<String>)> {
    let rest = msg.strip_prefix("unknown field `")?;
    let (key, rest) = rest.split_once('`')?;
    let known = rest
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    Some((key.to_string(), known))
}

fn check_region(r: &str) -> Result<(), String> {
    RegionId::new(r).map(|_| ())
}

fn check_role_arn(arn: &str) -> Result<(), String> {
    let ok = arn
        .strip_prefix("acs:ram::")
        .and_then(|r| r.split_once(":role/"))
        .map(|(account, role)| {
            !account.is_empty() && account.bytes().all(|b| b.is_ascii_digit()) && !role.is_empty()
        })
        .unwrap_or(false);
    ok.then_some(()).ok_or_else(|| {
        format!("role_arn `{arn}` is not a RAM role ARN; write it like `acs:ram::1234567890123456:role/admin`")
    })
}

fn check_oidc_provider_arn(arn: &str) -> Result<(), String> {
    let ok = arn
        .strip_prefix("acs:ram::")
        .and_then(|r| r.split_once(":oidc-provider/"))
        .map(|(account, name)| {
            !account.is_empty() && account.bytes().all(|b| b.is_ascii_digit()) && !name.is_empty()
        })
        .unwrap_or(false);
    ok.then_some(()).ok_or_else(|| {
        format!("oidc_provider_arn `{arn}` is not an OIDC provider ARN; write it like `acs:ram::1234567890123456:oidc-provider/github`")
    })
}

fn check_session_name(n: &str) -> Result<(), String> {
    let ok = (2..=64).contains(&n.len())
        && n.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'@' | b'_' | b'-'));
    ok.then_some(()).ok_or_else(|| {
        format!("role_session_name `{n}` is not accepted by STS; use 2 to 64 letters, digits, `.`, `@`, `_` or `-`")
    })
}

fn check_external_id(e: &str) -> Result<(), String> {
    let ok = (2..=1224).contains(&e.len())
        && e.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_+=,.@:/-".contains(c));
    ok.then_some(()).ok_or_else(|| {
        "external_id must be 2 to 1224 characters of letters, digits and _+=,.@:/-".to_string()
    })
}

fn check_policy(p: &str) -> Result<(), String> {
    if p.is_empty() || p.len() > 2048 {
        return Err("policy must be 1 to 2048 characters of JSON".to_string());
    }
    serde_json::from_str::<serde_json::Value>(p)
        .map(|_| ())
        .map_err(|e| format!("policy is not valid JSON ({e}); write it like '{{\"Version\":\"1\",\"Statement\":[...]}}'"))
}

fn check_nonempty(s: &str) -> Result<(), String> {
    (!s.is_empty())
        .then_some(())
        .ok_or_else(|| "this value must not be empty".to_string())
}

fn check_oauth_site(s: &str) -> Result<(), String> {
    matches!(s, "cn" | "intl").then_some(()).ok_or_else(|| {
        format!("oauth_site `{s}` is unknown; write `cn` (aliyun.com) or `intl` (alibabacloud.com)")
    })
}

fn check_site(s: &str) -> Result<(), String> {
    matches!(s, "china" | "international")
        .then_some(())
        .ok_or_else(|| format!("site `{s}` is unknown; write `china` or `international`"))
}

impl Config {
    /// The configuration file's path: `--config`, else `$ALICLOUD_VAULT_CONFIG`, else the
    /// platform config dir (`~/.config/alicloud-vault/config.toml` on Linux).
    pub fn default_path() -> PathBuf {
        crate::dirs::config_file()
    }

    /// Loads the TOML file (a missing file means no profiles) and the aliyun CLI's profiles.
    pub fn load(path: Option<&Path>) -> Result<Config, ConfigError> {
        ConfigFiles::read(path)?.parse()
    }

    /// Parses the TOML text of `file` (without the aliyun CLI's profiles).
    pub fn parse(file: &Path, text: &str) -> Result<Config, ConfigError> {
        let src = Source { file, text };
        let raw: RawFile = toml::from_str(text).map_err(|e| src.parse_error(e))?;

        let defaults = match raw.defaults {
            None => Defaults::default(),
            Some(d) => {
                let d = d.into_inner();
                Defaults {
                    region: src.text(&d.region, check_region)?,
                    duration: src.duration(&d.duration, "duration")?,
                    backend: match &d.backend {
                        None => None,
                        Some(b) => Some(
                            b.get_ref()
                                .parse::<BackendKind>()
                                .map_err(|m| src.error_at(b.span().start, m))?,
                        ),
                    },
                    refresh_margin: src.duration(&d.refresh_margin, "refresh_margin")?,
                    endpoints: src.endpoints(RawEndpoints {
                        sts_endpoint: d.sts_endpoint,
                        ram_endpoint: d.ram_endpoint,
                        sso_endpoint: d.sso_endpoint,
                        signin_endpoint: d.signin_endpoint,
                        oauth_endpoint: d.oauth_endpoint,
                        oauth_signin_endpoint: d.oauth_signin_endpoint,
                    })?,
                }
            }
        };

        let mut profiles = BTreeMap::new();
        for (name, body) in raw.profile {
            let line = src.line_of(name.span().start);
            let start = name.span().start;
            let name = name.into_inner();
            validate_profile_name(&name).map_err(|e| src.error_at(start, e.to_string()))?;
            let p = body.into_inner();
            let sso_parts = [
                src.text(&p.sso_sign_in_url, validate_sign_in_url)?,
                src.text(&p.sso_account_id, check_nonempty)?,
                src.text(&p.sso_access_configuration, check_nonempty)?,
            ];
            let sso = match sso_parts {
                [None, None, None] => None,
                [Some(u), Some(a), Some(c)] => Some(SsoSettings {
                    sign_in_url: u,
                    account_id: a,
                    access_configuration: c,
                }),
                _ => {
                    return Err(src.error_at(start, format!(
                        "profile `{name}` sets only some of sso_sign_in_url, sso_account_id and sso_access_configuration; a CloudSSO profile needs all three (`alicloud-vault sso list {name}` shows the accounts and access configurations)"
                    )))
                }
            };
            let source_profile = src.text(&p.source_profile, |s| {
                validate_profile_name(s).map_err(|e| e.to_string())
            })?;
            let role_arn = src.text(&p.role_arn, check_role_arn)?;
            let oidc = match (
                src.text(&p.oidc_provider_arn, check_oidc_provider_arn)?,
                src.text(&p.oidc_token_file, check_nonempty)?,
            ) {
                (None, None) => None,
                (Some(provider_arn), Some(token_file)) => Some(OidcSettings {
                    provider_arn,
                    token_file: PathBuf::from(token_file),
                }),
                _ => return Err(src.error_at(start, format!(
                    "profile `{name}` sets only one of oidc_provider_arn and oidc_token_file; an OIDC profile needs both (and role_arn)"
                ))),
            };
            if oidc.is_some() {
                if role_arn.is_none() {
                    return Err(src.error_at(start, format!("profile `{name}` has oidc_* keys but no role_arn; add the role the OIDC token may assume: `role_arn = \"acs:ram::ACCOUNT:role/NAME\"`")));
                }
                if source_profile.is_some() || sso.is_some() {
                    return Err(src.error_at(start, format!("profile `{name}` has oidc_* keys and also source_profile or sso_* keys; an OIDC profile is its own source. Chain from it in a second profile whose source_profile is `{name}`")));
                }
            }
            let oauth = src
                .text(&p.oauth_site, check_oauth_site)?
                .and_then(|s| crate::aliyun::oauth::OAuthSite::parse(&s))
                .map(|site| OAuthSettings { site });
            if oauth.is_some() && (source_profile.is_some() || sso.is_some() || oidc.is_some()) {
                return Err(src.error_at(start, format!("profile `{name}` has oauth_site and also source_profile, sso_* or oidc_* keys; an OAuth profile is its own source. Chain from it in a second profile whose source_profile is `{name}`")));
            }
            if sso.is_some() && source_profile.is_some() {
                return Err(src.error_at(start, format!("profile `{name}` has both sso_* keys and source_profile; an SSO profile is its own source. Put the role in a second profile whose source_profile is `{name}`")));
            }
            if source_profile.is_some() && role_arn.is_none() {
                return Err(src.error_at(start, format!("profile `{name}` has source_profile but no role_arn; add `role_arn = \"acs:ram::ACCOUNT:role/NAME\"`")));
            }
            let profile = Profile {
                name: name.clone(),
                origin: Origin::Toml {
                    file: file.to_path_buf(),
                    line,
                },
                region: src.text(&p.region, check_region)?,
                source_profile,
                role_arn,
                role_session_name: src.text(&p.role_session_name, check_session_name)?,
                external_id: src.text(&p.external_id, check_external_id)?,
                policy: src.text(&p.policy, check_policy)?,
                duration: src.duration(&p.duration, "duration")?,
                sso,
                oidc,
                oauth,
                endpoints: src.endpoints(RawEndpoints {
                    sts_endpoint: p.sts_endpoint,
                    ram_endpoint: p.ram_endpoint,
                    sso_endpoint: p.sso_endpoint,
                    signin_endpoint: p.signin_endpoint,
                    oauth_endpoint: p.oauth_endpoint,
                    oauth_signin_endpoint: p.oauth_signin_endpoint,
                })?,
                inline_key: None,
                ram_user_name: src.text(&p.ram_user_name, check_nonempty)?,
                site: src.text(&p.site, check_site)?.map(|s| {
                    if s == "china" {
                        Site::China
                    } else {
                        Site::International
                    }
                }),
            };
            profiles.insert(name, profile);
        }

        let metadata = match raw.metadata {
            None => MetadataSettings::default(),
            Some(m) => {
                let m = m.into_inner();
                MetadataSettings {
                    profile: src.text(&m.profile, |s| {
                        validate_profile_name(s).map_err(|e| e.to_string())
                    })?,
                    address: src.text(&m.address, |a| {
                        a.parse::<std::net::SocketAddr>().map(|_| ()).map_err(|_| {
                            format!("address `{a}` is not an IP:port; write it like `100.100.100.200:80`")
                        })
                    })?,
                    role_name: src.text(&m.role_name, check_nonempty)?,
                    hardened: m.hardened.unwrap_or(false),
                }
            }
        };

        let agent = match raw.agent {
            None => AgentSettings::default(),
            Some(a) => {
                let a = a.into_inner();
                let d = AgentSettings::default();
                AgentSettings {
                    autostart: a.autostart.unwrap_or(d.autostart),
                    lock_after: src
                        .duration(&a.lock_after, "lock_after")?
                        .unwrap_or(d.lock_after),
                    exit_after: src
                        .duration(&a.exit_after, "exit_after")?
                        .unwrap_or(d.exit_after),
                    notify: a.notify.unwrap_or(d.notify),
                    container: src.container(
                        &a.container_address,
                        &a.container_subnets,
                        a.container_allow_public.unwrap_or(false),
                    )?,
                }
            }
        };

        let config = Config {
            file: file.to_path_buf(),
            defaults,
            metadata,
            agent,
            profiles,
            aliyun_profiles: BTreeMap::new(),
            aliyun_vault_profile: None,
        };
        // Cycles and dangling sources among the file's own profiles are errors at load time.
        for p in config.profiles.values() {
            if let Some(src_name) = &p.source_profile {
                if !config.profiles.contains_key(src_name) {
                    continue; // may be an aliyun CLI profile or a key-only profile: checked on use
                }
                config.chain(&p.name)?;
            }
        }
        Ok(config)
    }

    /// The profile of that name: the TOML file first, then the aliyun CLI's file.
    pub fn profile(&self, name: &str) -> Option<&Profile> {
        self.profiles
            .get(name)
            .or_else(|| self.aliyun_profiles.get(name))
    }

    /// Names of every configured profile (both files), sorted.
    pub fn profile_names(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .profiles
            .keys()
            .chain(self.aliyun_profiles.keys())
            .cloned()
            .collect();
        v.sort();
        v.dedup();
        v
    }

    /// The error for a name that is configured nowhere and has no key among `stored`: with the
    /// nearest known name when one is close, else what to do.
    pub fn unknown_profile(&self, name: &str, stored: &[String]) -> ConfigError {
        let mut known = self.profile_names();
        known.extend(stored.iter().cloned());
        let nearest = known
            .iter()
            .map(|k| (strsim::jaro_winkler(name, k), k))
            .filter(|(score, _)| *score > 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, k)| k.clone());
        let hint = match nearest {
            Some(k) => format!(". Did you mean `{k}`?"),
            None => format!(
                ". `alicloud-vault list` shows the profiles; to make one, add `[profile.{name}]` to {} or store a key with `alicloud-vault add {name}`",
                self.file.display()
            ),
        };
        ConfigError::UnknownProfile {
            name: name.to_string(),
            file: self.file.clone(),
            hint,
        }
    }

    /// The profile or, for a name configured nowhere, a key-only profile (the key may be stored).
    pub fn profile_or_key_only(&self, name: &str) -> Result<Profile, ConfigError> {
        validate_profile_name(name)?;
        Ok(self
            .profile(name)
            .cloned()
            .unwrap_or_else(|| Profile::key_only(name)))
    }

    /// The chain from `name` down to its source: `[name, source, source's source, ...]`.
    pub fn chain(&self, name: &str) -> Result<Vec<Profile>, ConfigError> {
        let mut chain: Vec<Profile> = Vec::new();
        let mut current = self.profile_or_key_only(name)?;
        loop {
            if chain.iter().any(|p| p.name == current.name) {
                let mut names: Vec<String> = chain.iter().map(|p| p.name.clone()).collect();
                names.push(current.name.clone());
                return Err(ConfigError::Cycle { chain: names });
            }
            let next = current.source_profile.clone();
            chain.push(current);
            match next {
                None => return Ok(chain),
                Some(n) => current = self.profile_or_key_only(&n)?,
            }
        }
    }

    /// The region of a profile: its own, else `[defaults]`.
    pub fn region(&self, profile: &Profile) -> Option<String> {
        profile
            .region
            .clone()
            .or_else(|| self.defaults.region.clone())
    }

    /// The session length for a profile: its own, else `[defaults]`, else one hour.
    pub fn duration(&self, profile: &Profile) -> Duration {
        profile
            .duration
            .or(self.defaults.duration)
            .unwrap_or(DEFAULT_SESSION)
    }

    /// An endpoint override: the environment variable, else the profile, else `[defaults]`.
    /// `None` means the service's public endpoint.
    pub fn endpoint(
        &self,
        profile: &Profile,
        service: Service,
    ) -> Result<Option<String>, ConfigError> {
        if let Some(v) = std::env::var(service.env_var())
            .ok()
            .filter(|v| !v.is_empty())
        {
            service
                .validate_endpoint(&v)
                .map_err(|m| ConfigError::Invalid {
                    file: PathBuf::from(format!("${}", service.env_var())),
                    line: 1,
                    message: m,
                })?;
            return Ok(Some(v));
        }
        let (value, origin) = match service.pick(&profile.endpoints) {
            Some(v) => (v, Some(&profile.origin)),
            None => match service.pick(&self.defaults.endpoints) {
                Some(v) => (v, None),
                None => return Ok(None),
            },
        };
        // The TOML file's values were checked when it was read; the aliyun CLI's file is read
        // leniently (its unusable profiles are skipped), so its endpoint is checked here, when
        // a profile uses it.
        if let Some(Origin::AliyunCli { file }) = origin {
            validate_endpoint(value).map_err(|m| ConfigError::Invalid {
                file: file.clone(),
                line: 1,
                message: format!(
                    "profile {}: sts_endpoint: {m}; fix it with `aliyun configure` or in the file",
                    profile.name
                ),
            })?;
        }
        Ok(Some(value.clone()))
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Toml { file, line } => write!(f, "{}:{line}", file.display()),
            Origin::AliyunCli { file } => write!(f, "{} (aliyun CLI)", file.display()),
            Origin::KeyOnly => f.write_str("stored key only"),
        }
    }
}

#[cfg(test)]
mod tests;
