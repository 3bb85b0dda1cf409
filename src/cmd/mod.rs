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
use alicloud_vault::keystore::{self, BackendKind, KeystoreError};
use std::cell::OnceCell;
use std::io::IsTerminal;
use std::path::PathBuf;

/// A mistake in how the command was called; exit code 1.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

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
            // Parsed here, not by clap: clap would also reject a bad ALICLOUD_VAULT_BACKEND
            // when --backend overrides it.
            Some(b) => Some(
                b.parse::<BackendKind>()
                    .map_err(|m| UsageError(format!("--backend or ALICLOUD_VAULT_BACKEND: {m}")))?,
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
        backend: cli.backend,
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
        Command::Agent(cmd) => agent::run(&ctx, cmd),
        Command::Metadata(cmd) => metadata::run(&ctx, cmd),
    }
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
        if cause.is::<alicloud_vault::agent::launch::LaunchError>() {
            return exit_codes::AGENT_UNREACHABLE;
        }
        if cause.is::<ConfigError>() || cause.is::<UsageError>() {
            return exit_codes::USAGE_OR_CONFIG;
        }
        if cause.is::<KeystoreError>() {
            return exit_codes::KEYSTORE;
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

/// Asks a yes/no question on the terminal; without a terminal, the answer is an error
/// that names the flag to use instead.
pub fn confirm(question: &str, flag: &str) -> anyhow::Result<bool> {
    if !std::io::stdin().is_terminal() {
        return Err(UsageError(format!(
            "{question} needs confirmation, and there is no terminal to ask on; add {flag}"
        ))
        .into());
    }
    eprint!("{question} [y/N] ");
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(matches!(line.trim(), "y" | "Y" | "yes" | "Yes"))
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
        argv.push(
            std::env::var_os("SHELL")
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "/bin/sh".into()),
        );
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
