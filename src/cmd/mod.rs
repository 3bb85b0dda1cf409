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

pub use alicloud_vault::broker::Resolved;
use alicloud_vault::broker::{self, Broker};
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
        alicloud_vault::outln!("{n}");
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
        if cause.is::<alicloud_vault::aliyun::rpc::RemoteError>() {
            return exit_codes::REMOTE;
        }
        if let Some(e) = cause.downcast_ref::<CredentialsError>() {
            return e.kind().exit_code();
        }
    }
    exit_codes::USAGE_OR_CONFIG
}

/// Fails with an unknown-profile error (exit 1, with the nearest name) when `profile` is
/// configured nowhere and has no stored key ([`Broker::require_known_profile`]).
pub fn require_known_profile(ctx: &Context, profile: &str) -> anyhow::Result<()> {
    ctx.broker()?.require_known_profile(profile, || ctx.vault())
}

/// `err` of a command that asked for `profile`'s credentials, said better where it can be
/// ([`Broker::explain_failure`]).
pub fn explain_failure(ctx: &Context, profile: &str, err: anyhow::Error) -> anyhow::Error {
    match ctx.broker() {
        Ok(b) => b.explain_failure(profile, err, || ctx.vault()),
        Err(_) => err,
    }
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
    alicloud_vault::say!("{question} [y/N] ");
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(matches!(line.trim(), "y" | "Y" | "yes" | "Yes"))
}

/// Asks `question` (ending in `[y/N] `) on the same line of the terminal; true for a yes.
pub fn answered_yes(question: std::fmt::Arguments) -> anyhow::Result<bool> {
    alicloud_vault::message::ask(question);
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
    ctx.broker()?
        .forget(vault, &alicloud_vault::keys::made_from(profile))
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
/// the keystore cache and STS), which may start the agent.
pub fn credentials_for(ctx: &Context, req: &broker::Request) -> anyhow::Result<Resolved> {
    ctx.broker()?
        .with_autostart(true)
        .credentials(req, || ctx.vault())
}
