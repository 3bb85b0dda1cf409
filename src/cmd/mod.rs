//! One file per subcommand. Each `run` parses nothing and prints little: it calls the library.

mod add;
mod agent;
mod clear;
mod completion;
mod exec;
mod export;
mod list;
mod login;
mod metadata;
mod migrate;
mod oauth;
mod remove;
mod rotate;
mod setup;
mod sso;

use alicloud_vault::aliyun::rpc::RemoteError;
pub use alicloud_vault::broker::Resolved;
use alicloud_vault::broker::{Broker, CredentialsRequest};
use alicloud_vault::cli::{Cli, Command};
use alicloud_vault::config::{Config, ConfigError};
use alicloud_vault::credentials::resolve::CredentialsError;
use alicloud_vault::exit_codes;
use alicloud_vault::keystore::items::Vault;
use alicloud_vault::keystore::{self, BackendKind, ItemKind, ItemName, KeystoreError};
use std::cell::OnceCell;
use std::io::IsTerminal;
use std::path::PathBuf;

/// A mistake in how the command was called; exit code 1.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Nothing is stored for a profile that is configured (no key, no session); exit code 2 like
/// every other "not in the keystore" error.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct NotStored(pub String);

/// What every command may need, loaded on first use.
pub struct Context {
    backend: Option<String>,
    config_path: Option<PathBuf>,
    config: OnceCell<Config>,
}

impl Context {
    pub fn config(&self) -> Result<&Config, ConfigError> {
        if let Some(c) = self.config.get() {
            return Ok(c);
        }
        let c = Config::load(self.config_path.as_deref())?;
        Ok(self.config.get_or_init(|| c))
    }

    /// The backend: `--backend` or `ALICLOUD_VAULT_BACKEND`, else `defaults.backend`, else detected.
    pub fn backend_choice(&self) -> anyhow::Result<Option<BackendKind>> {
        Ok(match &self.backend {
            // clap checks --backend; the variable is checked here (see cli.rs).
            Some(b) => Some(
                b.parse::<BackendKind>()
                    .map_err(|m| UsageError(format!("ALICLOUD_VAULT_BACKEND: {m}")))?,
            ),
            None => self.config()?.defaults.backend,
        })
    }

    /// The configuration file in use (it may not exist).
    pub fn config_file(&self) -> PathBuf {
        self.config_path
            .clone()
            .unwrap_or_else(Config::default_path)
    }

    /// How this command reaches sessions: the agent, else the keystore.
    pub fn broker(&self) -> anyhow::Result<Broker<'_>> {
        let backend = self.backend_choice()?.map(|b| b.to_string());
        Ok(Broker::new(self.config()?, &self.config_file(), backend))
    }

    pub fn vault(&self) -> anyhow::Result<Vault> {
        let choice = self.backend_choice()?;
        let store = keystore::open(choice)?;
        alicloud_vault::debug!("keystore backend: {}", store.kind());
        Ok(Vault::new(store))
    }
}

/// Runs the command and returns the process exit code.
pub fn run(cli: Cli) -> anyhow::Result<i32> {
    alicloud_vault::config::env::check_knobs()?;
    let ctx = Context {
        backend: cli.backend.or_else(|| {
            std::env::var("ALICLOUD_VAULT_BACKEND")
                .ok()
                .filter(|b| !b.is_empty())
        }),
        config_path: cli.config,
        config: OnceCell::new(),
    };
    match cli.command {
        Command::Add(args) => add::run(&ctx, args),
        Command::List(args) => list::run(&ctx, args),
        Command::Remove(args) => remove::run(&ctx, args),
        Command::Clear(args) => clear::run(&ctx, args),
        Command::Completion(args) => completion::run(args),
        Command::Rotate(args) => rotate::run(&ctx, args),
        Command::Login(args) => login::run(&ctx, args),
        Command::Setup(cmd) => setup::run(&ctx, cmd),
        Command::Exec(args) => exec::run(&ctx, args),
        Command::Export(args) => export::run(&ctx, args),
        Command::Sso(cmd) => sso::run(&ctx, cmd),
        Command::Oauth(cmd) => oauth::run(&ctx, cmd),
        Command::Agent(cmd) => agent::run(&ctx, cmd),
        Command::Metadata(cmd) => metadata::run(&ctx, cmd),
        Command::Migrate(args) => migrate::run(&ctx, args),
    }
}

/// `alicloud-vault __complete-profiles`, which the completion scripts run at TAB time: the
/// configured profiles and stored keys, one a line. It is not a clap subcommand, so that it
/// stays out of `--help` and the scripts; it prints what it can find and never an error.
pub fn complete_profiles() -> i32 {
    let ctx = &Context {
        backend: std::env::var("ALICLOUD_VAULT_BACKEND")
            .ok()
            .filter(|b| !b.is_empty()),
        config_path: None,
        config: OnceCell::new(),
    };
    let mut names = ctx.config().map(|c| c.profile_names()).unwrap_or_default();
    if let Ok(keys) = ctx.vault().and_then(|v| Ok(v.profiles_with_keys()?)) {
        names.extend(keys);
    }
    names.sort();
    names.dedup();
    for n in names {
        println!("{n}");
    }
    0
}

/// The exit code for an error, from the first cause that has one (docs/usage.md, Exit codes).
pub fn exit_code_for(err: &anyhow::Error) -> i32 {
    for cause in err.chain() {
        if let Some(e) = cause.downcast_ref::<alicloud_vault::rotation::RotateError>() {
            return e.exit_code();
        }
        if let Some(e) = cause.downcast_ref::<alicloud_vault::agent::client::ClientError>() {
            return e.exit_code();
        }
        if let Some(e) = cause.downcast_ref::<alicloud_vault::credentials::oauth::LoginError>() {
            return e.kind().exit_code();
        }
        if cause.is::<alicloud_vault::aliyun::oauth::OAuthError>() {
            return exit_codes::REMOTE;
        }
        if cause.is::<alicloud_vault::agent::launch::LaunchError>() {
            return exit_codes::AGENT_UNREACHABLE;
        }
        if cause.is::<ConfigError>() || cause.is::<UsageError>() {
            return exit_codes::USAGE_OR_CONFIG;
        }
        if cause.is::<KeystoreError>() || cause.is::<NotStored>() {
            return exit_codes::KEYSTORE;
        }
        if let Some(e) = cause.downcast_ref::<alicloud_vault::keystore::migrate::MigrateError>() {
            return e.kind().exit_code();
        }
        if cause.is::<alicloud_vault::aliyun::sso::SsoError>() {
            return exit_codes::REMOTE;
        }
        if cause.is::<RemoteError>() {
            return exit_codes::REMOTE;
        }
        if let Some(e) = cause.downcast_ref::<CredentialsError>() {
            return e.kind().exit_code();
        }
    }
    exit_codes::USAGE_OR_CONFIG
}

/// Fails with an unknown-profile error (exit 1, with the nearest name) when `profile` is
/// configured nowhere and has no stored key. Listing keys needs no passphrase.
pub fn require_known_profile(ctx: &Context, profile: &str) -> anyhow::Result<()> {
    alicloud_vault::config::validate_profile_name(profile)?;
    let config = ctx.config()?;
    if config.profile(profile).is_some() {
        return Ok(());
    }
    let vault = ctx.vault()?;
    if key_is_stored(&vault, profile)? {
        return Ok(());
    }
    Err(config
        .unknown_profile(profile, &vault.profiles_with_keys()?)
        .into())
}

/// Whether a key (maybe a damaged one) is stored for `profile`, without a passphrase: a listed
/// name, or an item that is there but damaged (listings leave those out; remove and add act on
/// them). Asking for a missing or damaged item needs no passphrase on any backend, and a
/// well-formed item is always listed.
pub fn key_is_stored(vault: &Vault, profile: &str) -> anyhow::Result<bool> {
    if vault.profiles_with_keys()?.iter().any(|k| k == profile) {
        return Ok(true);
    }
    let item = ItemName::new(ItemKind::Key, profile);
    match vault.store().get(&item) {
        Ok(found) => Ok(found.is_some()),
        Err(KeystoreError::Corrupt { .. }) => Ok(true),
        Err(e) => Err(e.into()),
    }
}

/// `err`, or an unknown-profile error in its place when `profile` turns out to be configured
/// nowhere and stored nowhere: for the hot paths, which look only after a failure.
pub fn unknown_profile_or(ctx: &Context, profile: &str, err: anyhow::Error) -> anyhow::Error {
    let no_key = err.chain().any(|c| {
        matches!(
            c.downcast_ref::<CredentialsError>(),
            Some(CredentialsError::NoStoredKey { .. })
        ) || matches!(
            c.downcast_ref::<alicloud_vault::agent::client::ClientError>(),
            Some(alicloud_vault::agent::client::ClientError::Refused { message, .. })
                if message.starts_with("no key is stored")
        )
    });
    if !no_key {
        return err;
    }
    match require_known_profile(ctx, profile) {
        Err(unknown) if unknown.is::<ConfigError>() => unknown,
        _ => err,
    }
}

/// When STS refused the stored key itself (unknown id, disabled, wrong secret), says which
/// profile's key that is and how to replace it; other errors pass as they are.
pub fn with_key_advice(ctx: &Context, profile: &str, err: anyhow::Error) -> anyhow::Error {
    let refused_key = err.chain().any(|c| {
        let remote = c.downcast_ref::<RemoteError>().or_else(|| {
            match c.downcast_ref::<CredentialsError>() {
                Some(CredentialsError::Remote(r)) => Some(r),
                _ => None,
            }
        });
        let code = match remote {
            Some(RemoteError::Service { code, .. }) => code.to_string(),
            _ => match c.downcast_ref::<alicloud_vault::agent::client::ClientError>() {
                Some(alicloud_vault::agent::client::ClientError::Refused { message, .. }) => {
                    message.clone()
                }
                _ => return false,
            },
        };
        code.contains("InvalidAccessKeyId") || code.contains("SignatureDoesNotMatch")
    });
    // A refusal of the previous hop's session (a chain) is not about the stored key.
    let of_a_session = err
        .chain()
        .any(|c| c.to_string().contains("the session of the previous hop"));
    if !refused_key || of_a_session {
        return err;
    }
    let owner = ctx
        .config()
        .ok()
        .and_then(|c| c.chain(profile).ok())
        .and_then(|chain| chain.last().map(|p| p.name.clone()))
        .unwrap_or_else(|| profile.to_string());
    err.context(format!(
        "STS refused the stored key of profile {owner}; store a working one with `alicloud-vault add {owner}`"
    ))
}

/// Asks a yes/no question on the terminal; without a terminal, the answer is an error that
/// says what needed the confirmation (`action`, e.g. "deleting the key of profile dev") and
/// names the flag to use instead.
pub fn confirm(question: &str, action: &str, flag: &str) -> anyhow::Result<bool> {
    if !std::io::stdin().is_terminal() {
        return Err(UsageError(format!(
            "{action} needs a confirmation, and there is no terminal to ask on; add {flag} to go ahead without one"
        ))
        .into());
    }
    eprint!("{question} [y/N] ");
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(matches!(line.trim(), "y" | "Y" | "yes" | "Yes"))
}

/// "no cached sessions", "1 cached session", "3 cached sessions".
pub fn sessions_count(n: usize) -> String {
    match n {
        0 => "no cached sessions".to_string(),
        1 => "1 cached session".to_string(),
        n => format!("{n} cached sessions"),
    }
}

/// Drops every cached session made from `profile` (its own and those chained through it),
/// in the running agent and in the keystore. Returns how many were dropped.
pub fn drop_sessions_from(ctx: &Context, vault: &Vault, profile: &str) -> anyhow::Result<usize> {
    let selector = alicloud_vault::credentials::forget::Selector::MadeFrom {
        profile: profile.to_string(),
    };
    ctx.broker()?.forget(vault, &selector)
}

/// Checks a new key with STS GetCallerIdentity and describes who it belongs to.
pub fn verify_key(
    _ctx: &Context,
    config: &Config,
    profile: &str,
    key: &alicloud_vault::session::LongTermKey,
) -> anyhow::Result<String> {
    use alicloud_vault::aliyun::sts::StsClient;
    use alicloud_vault::config::Service;
    use alicloud_vault::session::Issued;
    let p = config.profile_or_key_only(profile)?;
    let endpoint = match config.endpoint(&p, Service::Sts)? {
        Some(e) => e,
        None => StsClient::default_endpoint(config.region(&p).as_deref()),
    };
    let sts = StsClient::new(&endpoint)?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let caller = Issued::LongTerm(key.clone());
    let id = rt
        .block_on(sts.get_caller_identity(&caller))
        .map_err(|e| anyhow::Error::new(e).context("the key was not stored, because STS did not accept it (use --no-verify to store it anyway)"))?;
    Ok(format!("{} ({})", id.arn, id.identity_type))
}

/// `--duration`: a humane duration STS grants (15m to 12h), or a usage error saying so.
pub fn parse_duration_arg(d: Option<&str>) -> anyhow::Result<Option<std::time::Duration>> {
    use alicloud_vault::config::{parse_duration, MAX_SESSION, MIN_SESSION};
    let Some(d) = d else { return Ok(None) };
    let d = parse_duration(d).map_err(|m| UsageError(format!("--duration: {m}")))?;
    if !(MIN_SESSION..=MAX_SESSION).contains(&d) {
        return Err(UsageError("--duration must be from 15m (900s) to 12h (43200s)".into()).into());
    }
    Ok(Some(d))
}

/// The child of `exec`: CMD and its arguments, or `$SHELL` (else /bin/sh) when none is given.
/// Returns the command and the program's name for messages.
pub fn child_command(
    mut argv: Vec<std::ffi::OsString>,
) -> (std::process::Command, std::ffi::OsString) {
    if argv.is_empty() {
        argv.push(alicloud_vault::platform::default_shell());
    }
    let mut cmd = std::process::Command::new(&argv[0]);
    cmd.args(&argv[1..]);
    (cmd, argv.swap_remove(0))
}

/// Resolves a profile for `exec`, `export` and `login` through the broker (the agent, else
/// the keystore cache and STS). A profile without a role hands out its long-term key, with one
/// notice unless `--no-session` asked for exactly that.
pub fn credentials_for(
    ctx: &Context,
    profile: &str,
    duration: Option<&str>,
    no_session: bool,
    region: Option<&str>,
    no_agent: bool,
) -> anyhow::Result<Resolved> {
    alicloud_vault::config::validate_profile_name(profile)?;
    let duration = parse_duration_arg(duration)?;
    let req = CredentialsRequest {
        profile,
        duration,
        no_session,
        region,
        no_agent,
    };
    let resolved = ctx
        .broker()?
        .with_autostart(true)
        .credentials(&req, || ctx.vault())?;
    if resolved.long_term && !no_session {
        eprintln!("alicloud-vault: profile {profile} has no role_arn, so it has no STS session: handing out its long-term key (--no-session silences this notice)");
    }
    Ok(resolved)
}
