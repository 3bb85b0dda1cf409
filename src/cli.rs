//! The command line, defined once: parsing, `--help`, completions and the man page all come from here.

use crate::config::{ProfileName, RegionId, SessionDuration};
use clap::{Args, Parser, Subcommand};
use std::ffi::OsString;
use std::path::PathBuf;

/// Keeps Alibaba Cloud AccessKeys in the OS keystore and hands short-lived STS sessions to programs.
#[derive(Debug, Parser)]
#[command(name = "alicloud-vault", version, about, max_term_width = 100)]
pub struct Cli {
    // The two variables below are read by the program, not by clap: clap would print a value
    // taken from the environment in every usage line, as if the option were required.
    /// Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret
    /// Service answers, else file]
    #[arg(
        long,
        global = true,
        value_name = "NAME",
        value_parser = clap::builder::PossibleValuesParser::new(BACKEND_NAMES),
        help_heading = GLOBAL
    )]
    pub backend: Option<String>,

    /// Configuration file; also ALICLOUD_VAULT_CONFIG [default:
    /// ~/.config/alicloud-vault/config.toml]
    #[arg(long, global = true, value_name = "PATH", help_heading = GLOBAL)]
    pub config: Option<PathBuf>,

    /// Explain what happens on stderr (never prints a secret)
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub debug: bool,

    /// Plain output without colours (also when NO_COLOR is set)
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub no_color: bool,

    #[command(subcommand)]
    pub command: Command,
}

/// The heading of the options every subcommand accepts, apart from its own.
const GLOBAL: &str = "Global options";

/// The values of `--backend` (the names of [`crate::keystore::BackendKind`]).
pub const BACKEND_NAMES: [&str; 6] = [
    "secret-service",
    "keyutils",
    "keychain",
    "wincred",
    "file",
    "pass",
];

// Each subcommand's arguments are built only when it is the one being parsed (or for help,
// completions and man pages): building all of them cost every `exec` (docs/performance.md).
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum Command {
    /// Store a long-term AccessKey for a profile in the keystore
    Add(AddArgs),
    /// Show profiles, stored keys and cached sessions
    #[command(visible_alias = "ls")]
    List(ListArgs),
    /// Delete a profile's stored key and its cached sessions
    #[command(visible_alias = "rm")]
    Remove(RemoveArgs),
    /// Run a command with a profile's session in its environment
    Exec(ExecArgs),
    /// Print a profile's session for other tools
    Export(ExportArgs),
    /// Drop cached sessions (of one profile, or all)
    Clear(ClearArgs),
    /// Print a shell completion script
    Completion(CompletionArgs),
    /// Replace a profile's stored AccessKey with a new one made through RAM, then delete the old one
    Rotate(RotateArgs),
    /// Open the web console signed in with a profile's STS session
    Login(LoginArgs),
    /// Connect other tools to alicloud-vault
    #[command(subcommand)]
    Setup(SetupCommand),
    /// The background agent that holds sessions and serves the local credential endpoints
    #[command(subcommand)]
    Agent(AgentCommand),
    /// The ECS instance-metadata emulation on 100.100.100.200
    #[command(subcommand)]
    Metadata(MetadataCommand),
    /// CloudSSO: log in in the browser, list what you may use, configure profiles for it, log out
    #[command(subcommand)]
    Sso(SsoCommand),
    /// OAuth: log in in the browser through Alibaba Cloud's official-cli application, log out
    #[command(subcommand)]
    Oauth(OAuthCommand),
    /// Copy every item from one keystore backend to another, each read back before anything is
    /// deleted
    Migrate(MigrateArgs),
}

#[derive(Debug, Subcommand)]
pub enum OAuthCommand {
    /// Log in in the browser (authorization code with PKCE); the refresh token goes to the
    /// keystore
    Login(OAuthLoginArgs),
    /// Forget OAuth logins (all, or one profile's) and the sessions made from them
    Logout(OAuthLogoutArgs),
}

#[derive(Debug, Args)]
pub struct OAuthLoginArgs {
    /// An OAuth profile (oauth_site = "cn" or "intl"), or a profile whose source_profile chain
    /// starts at one
    #[arg(value_parser = profile_name())]
    pub profile: ProfileName,
    /// Print the sign-in address on stderr instead of opening a browser
    #[arg(long)]
    pub no_browser: bool,
    /// How long to wait for the sign-in in the browser, e.g. 90s, 5m
    #[arg(long, value_name = "D", default_value = "5m", value_parser = login_timeout())]
    pub timeout: std::time::Duration,
}

#[derive(Debug, Args)]
pub struct OAuthLogoutArgs {
    /// Only the login of this profile (or of the OAuth profile its chain starts at) [default:
    /// every OAuth login]
    #[arg(value_parser = profile_name())]
    pub profile: Option<ProfileName>,
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum SsoCommand {
    /// Log in to CloudSSO (device authorization in the browser); the token goes to the keystore
    Login(SsoLoginArgs),
    /// Show the accounts and access configurations your CloudSSO user may use
    List(SsoListArgs),
    /// Forget CloudSSO logins (all, or one profile's sign-in URL) and the sessions made from them
    Logout(SsoLogoutArgs),
    /// A profile for every account and access configuration you may use: printed as TOML, or
    /// added to the configuration file with --write (existing profiles are left alone)
    Configure(SsoConfigureArgs),
}

#[derive(Debug, Args)]
pub struct SsoConfigureArgs {
    /// An SSO profile (its sign-in URL and login are used)
    #[arg(value_parser = profile_name())]
    pub profile: ProfileName,
    /// Add the new profiles to the configuration file instead of printing them
    #[arg(long)]
    pub write: bool,
    /// Put this before each new profile's name (`<prefix><account>-<access configuration>`)
    #[arg(long, default_value = "", value_parser = profile_prefix())]
    pub prefix: String,
}

#[derive(Debug, Args)]
pub struct SsoLoginArgs {
    /// An SSO profile, or a profile whose source_profile chain starts at one
    #[arg(value_parser = profile_name())]
    pub profile: ProfileName,
    /// Print the address and code instead of opening a browser
    #[arg(long)]
    pub no_browser: bool,
}

#[derive(Debug, Args)]
pub struct SsoListArgs {
    /// An SSO profile (its sign-in URL and login are used)
    #[arg(value_parser = profile_name())]
    pub profile: ProfileName,
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SsoLogoutArgs {
    /// Only the login of this profile's sign-in URL [default: every CloudSSO login]
    #[arg(value_parser = profile_name())]
    pub profile: Option<ProfileName>,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Profile name: 1-64 of A-Z a-z 0-9 . _ -
    #[arg(value_parser = profile_name())]
    pub profile: ProfileName,
    /// Read the key from ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET (or the ALIBABACLOUD_, ALICLOUD_ and plain tiers)
    #[arg(long, conflicts_with = "stdin")]
    pub env: bool,
    /// Read two lines from standard input: the AccessKey id, then the secret
    #[arg(long, conflicts_with = "import_aliyun")]
    pub stdin: bool,
    /// Move the key of the aliyun CLI's AK profile PROFILE (or the refresh token of its OAuth
    /// profile) into the keystore, then offer to blank it in ~/.aliyun/config.json
    #[arg(long, conflicts_with = "env")]
    pub import_aliyun: bool,
    /// With --import-aliyun: blank the keys or tokens in the aliyun CLI's file without asking
    #[arg(long, requires = "import_aliyun")]
    pub yes: bool,
    /// Store without checking the key with STS GetCallerIdentity
    #[arg(long)]
    pub no_verify: bool,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only profile names
    #[arg(long, group = "only")]
    pub profiles: bool,
    /// Only profiles that have a stored key
    #[arg(long, group = "only")]
    pub credentials: bool,
    /// Only cached sessions, with the time they have left
    #[arg(long, group = "only")]
    pub sessions: bool,
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// Profile name
    #[arg(value_parser = profile_name())]
    pub profile: ProfileName,
    /// Keep the key; only drop the profile's cached sessions
    #[arg(long)]
    pub sessions_only: bool,
    /// Do not ask for confirmation
    #[arg(long, short)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct ExecArgs {
    /// Profile name
    #[arg(value_parser = profile_name())]
    pub profile: ProfileName,
    /// Session length, e.g. 15m, 1h, 12h [default: the profile's duration, else 1h]
    #[arg(long, short, value_name = "D", value_parser = session_duration())]
    pub duration: Option<SessionDuration>,
    /// Hand out the long-term key itself (no STS session)
    #[arg(long, short = 'n')]
    pub no_session: bool,
    /// Region for the child's region variables [default: the profile's region]
    #[arg(long, value_name = "R", value_parser = region_id())]
    pub region: Option<RegionId>,
    /// Run even when already inside an alicloud-vault exec
    #[arg(long)]
    pub force_nested: bool,
    /// Give the child a credentials URI (ALIBABA_CLOUD_CREDENTIALS_URI) that stays fresh, instead of keys
    #[arg(long, conflicts_with_all = ["no_session", "ecs_server"])]
    pub server: bool,
    /// Serve the ECS metadata endpoint ([metadata] address) for the life of the child, instead of keys
    #[arg(long, conflicts_with = "no_session")]
    pub ecs_server: bool,
    /// With --server: a URI that containers reach, on [agent] container_address
    #[arg(long, requires = "server")]
    pub container: bool,
    /// Neither use nor start the agent: read the keystore and call STS from this process
    #[arg(long, conflicts_with = "server")]
    pub no_agent: bool,
    /// The command and its arguments, after `--` or right after PROFILE [default: $SHELL]
    #[arg(trailing_var_arg = true, value_name = "CMD")]
    pub command: Vec<OsString>,
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum AgentCommand {
    /// Run the agent in the foreground until stopped
    Run,
    /// Start the agent in the background (logs to agent.log in the state directory)
    Start,
    /// Stop the running agent
    Stop,
    /// Show whether an agent runs, and what it serves
    Status(AgentStatusArgs),
    /// Show the audit log: every credential handed out
    Log(AgentLogArgs),
}

#[derive(Debug, Args)]
pub struct AgentStatusArgs {
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct AgentLogArgs {
    /// Only the last N lines
    #[arg(long, short = 'n', value_name = "N")]
    pub lines: Option<usize>,
    /// Print the raw JSON lines
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum MetadataCommand {
    /// Make the running agent's metadata endpoint serve PROFILE
    Use(MetadataUseArgs),
    /// Print the one privileged setup step (the address on the loopback interface); --apply runs it
    Setup(MetadataSetupArgs),
}

#[derive(Debug, Args)]
pub struct MetadataSetupArgs {
    /// Run the step (needs root) instead of only printing it [default: ask on a terminal, as root]
    #[arg(long)]
    pub apply: bool,
}

#[derive(Debug, Args)]
pub struct MetadataUseArgs {
    /// A profile with a role (role_arn, or CloudSSO): the endpoint serves its session
    #[arg(value_parser = profile_name())]
    pub profile: ProfileName,
}

/// The formats of `export --format` (the library's, so that it can write them).
pub use crate::export::Format as ExportFormat;

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Profile [default: the profile of the surrounding `exec`, from ALICLOUD_VAULT]
    #[arg(value_parser = profile_name())]
    pub profile: Option<ProfileName>,
    /// Output format: env (shell lines for eval), json, aliyun-external (the aliyun CLI's External
    /// mode), credentials-uri-json (what a credentials URI serves), ini
    /// (~/.alibabacloud/credentials), or shell-uri / fish-uri (a credentials URI for the
    /// current shell, served by the agent until that shell exits; needs --shell-pid)
    // The values are described above, not one by one: per-value help would switch `--help` to
    // the long layout for this one subcommand.
    #[arg(long, value_enum, default_value_t = ExportFormat::Env, value_name = "FORMAT", hide_possible_values = true)]
    pub format: ExportFormat,
    /// Session length, e.g. 15m, 1h
    #[arg(long, short, value_name = "D", value_parser = session_duration())]
    pub duration: Option<SessionDuration>,
    /// Export the long-term key itself (no STS session)
    #[arg(long, short = 'n')]
    pub no_session: bool,
    /// Region to include [default: the profile's region]
    #[arg(long, value_name = "R", value_parser = region_id())]
    pub region: Option<RegionId>,
    /// shell-uri, fish-uri: the shell the URI follows, revoked when it exits ($$ in bash and zsh, $fish_pid in fish)
    #[arg(long, value_name = "PID")]
    pub shell_pid: Option<u32>,
    /// shell-uri, fish-uri: a URI for containers, on [agent] container_address
    #[arg(long)]
    pub container: bool,
}

#[derive(Debug, Args)]
pub struct ClearArgs {
    /// Only this profile's sessions
    #[arg(value_parser = profile_name())]
    pub profile: Option<ProfileName>,
}

// The arguments of `migrate --from A --to B` (a plain comment: a doc comment here would replace
// the subcommand's about text in `--help`).
#[derive(Debug, Args)]
#[command(
    after_help = "Every item of every kind is copied: long-term keys, cached sessions, login tokens, rotation records. \
Each is read back from the target and compared before anything is deleted from the source; \
a failure removes what this run wrote to the target and leaves the source as it was."
)]
pub struct MigrateArgs {
    /// The backend to copy from
    #[arg(long, value_name = "NAME", value_parser = clap::builder::PossibleValuesParser::new(BACKEND_NAMES))]
    pub from: String,
    /// The backend to copy to
    #[arg(long, value_name = "NAME", value_parser = clap::builder::PossibleValuesParser::new(BACKEND_NAMES))]
    pub to: String,
    /// Print what would be copied (and deleted); write and delete nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Delete the items from the source once every one was copied and read back from the target
    #[arg(long)]
    pub delete_source: bool,
    /// Replace items the target holds with other contents (without it, such a conflict stops
    /// the migration before anything is written)
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct RotateArgs {
    /// The profile whose key (or whose source profile's key) to rotate
    #[arg(value_parser = profile_name())]
    pub profile: ProfileName,
    /// How long to wait for STS to accept the new key, e.g. 30s, 2m [default: 1m]
    #[arg(long, value_name = "D", value_parser = duration())]
    pub verify_timeout: Option<std::time::Duration>,
}

#[derive(Debug, Args)]
pub struct LoginArgs {
    /// A profile with a role (or CloudSSO); a bare long-term key cannot sign in to the console
    #[arg(value_parser = profile_name())]
    pub profile: ProfileName,
    /// Print the sign-in URL instead of opening a browser (it works once, within 30 s)
    #[arg(long)]
    pub stdout: bool,
    /// The console page to open [default: https://home.console.aliyun.com/]
    #[arg(long, value_name = "URL")]
    pub destination: Option<String>,
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum SetupCommand {
    /// Add an `External` profile to ~/.aliyun/config.json that asks alicloud-vault for credentials
    AliyunCli(SetupAliyunCliArgs),
}

#[derive(Debug, Args)]
pub struct SetupAliyunCliArgs {
    /// Name of the aliyun CLI profile to write
    #[arg(long, default_value = "alicloud-vault", value_parser = profile_name())]
    pub name: ProfileName,
    /// Region the aliyun profile starts with [default: defaults.region, else cn-hangzhou]
    #[arg(long, value_name = "R", value_parser = region_id())]
    pub region: Option<RegionId>,
}

/// The shells `completion` writes scripts for (the completion module's).
pub use crate::completion::Shell;

#[derive(Debug, Args)]
pub struct CompletionArgs {
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Writes the completion script for `shell` of this command line, with profile names
/// completed from `alicloud-vault __complete-profiles` where the shell allows it.
pub fn write_completion(shell: Shell, out: &mut dyn std::io::Write) {
    let mut script = Vec::new();
    generate_completion(shell, &mut script);
    let script = String::from_utf8_lossy(&script);
    let _ = out.write_all(crate::completion::with_profile_names(shell, &script).as_bytes());
}

fn generate_completion(shell: Shell, out: &mut dyn std::io::Write) {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    let name = cmd.get_name().to_string();
    match shell {
        Shell::Bash => clap_complete::generate(clap_complete::Shell::Bash, &mut cmd, name, out),
        Shell::Zsh => clap_complete::generate(clap_complete::Shell::Zsh, &mut cmd, name, out),
        Shell::Fish => clap_complete::generate(clap_complete::Shell::Fish, &mut cmd, name, out),
        Shell::Powershell => {
            clap_complete::generate(clap_complete::Shell::PowerShell, &mut cmd, name, out)
        }
        Shell::Elvish => clap_complete::generate(clap_complete::Shell::Elvish, &mut cmd, name, out),
    }
}

/// The hidden command that writes the man pages. It is not part of `Cli` (`main` parses it only
/// when it is the first argument), so no `--help`, completion script, suggestion or man page
/// names it.
pub const MAN_PAGES_COMMAND: &str = "man-pages";

/// `alicloud-vault man-pages DIR`, for `scripts/update-completions` and the packages.
pub fn man_pages_command() -> clap::Command {
    clap::Command::new(MAN_PAGES_COMMAND)
        .bin_name("alicloud-vault man-pages")
        .about("Write alicloud-vault.1 and one page per subcommand into DIR")
        .hide(true)
        .arg(
            clap::Arg::new("dir")
                .value_name("DIR")
                .help("Created if missing; pages already there are overwritten")
                .required(true)
                .value_parser(clap::value_parser!(PathBuf)),
        )
}

/// Writes the man pages of this command line into `dir`: `alicloud-vault.1` and one page per
/// subcommand, nested ones included (`alicloud-vault-agent-start.1`).
pub fn write_man_pages(dir: &std::path::Path) -> std::io::Result<()> {
    use clap::CommandFactory;
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    // Every page names the release it documents, not only the top one.
    let source = format!(
        "{} {}",
        cmd.get_name(),
        cmd.get_version().unwrap_or_default()
    );
    write_man_page(&cmd, None, &source, dir)
}

fn write_man_page(
    cmd: &clap::Command,
    parent: Option<&str>,
    source: &str,
    dir: &std::path::Path,
) -> std::io::Result<()> {
    let man = clap_mangen::Man::new(cmd.clone()).source(source);
    let mut page = Vec::new();
    man.render(&mut page)?;
    let mut see_also = clap_mangen::roff::Roff::new();
    see_also.control("SH", ["SEE ALSO"]);
    match parent {
        Some(parent) => see_also.text([clap_mangen::roff::roman(format!("{parent}(1)"))]),
        None => see_also.text([clap_mangen::roff::roman(
            "The documentation of every command, the configuration file, the keystores and the \
             agent: docs/ in the source, /usr/share/doc/alicloud-vault/ where a package installed it.",
        )]),
    };
    page.extend_from_slice(see_also.to_roff().as_bytes());
    std::fs::write(dir.join(man.get_filename()), page)?;
    let name = cmd.get_display_name().unwrap_or(cmd.get_name());
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        write_man_page(sub, Some(name), source, dir)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn exec_passes_arguments_after_double_dash_untouched() {
        let cli =
            Cli::try_parse_from(["alicloud-vault", "exec", "p", "--", "sh", "-c", "", "$HOME"])
                .unwrap();
        let Command::Exec(e) = cli.command else {
            panic!("not exec")
        };
        assert_eq!(e.command, ["sh", "-c", "", "$HOME"]);
    }

    #[test]
    fn arguments_arrive_as_checked_types() {
        let cli = Cli::try_parse_from([
            "alicloud-vault",
            "exec",
            "dev",
            "-d",
            "2h",
            "--region",
            " eu-central-1 ",
        ])
        .unwrap();
        let Command::Exec(e) = cli.command else {
            panic!("not exec")
        };
        assert_eq!(e.profile.as_str(), "dev");
        assert_eq!(e.duration.map(SessionDuration::as_secs), Some(7200));
        assert_eq!(e.region.as_deref(), Some("eu-central-1"));
    }

    #[test]
    fn a_bad_value_names_the_argument_and_what_is_allowed() {
        let err = |args: &[&str]| {
            let e = Cli::try_parse_from(args).unwrap_err();
            assert_eq!(e.kind(), clap::error::ErrorKind::ValueValidation);
            e.to_string()
        };
        assert!(err(&["alicloud-vault", "add", "bad name"])
            .starts_with("error: PROFILE: invalid profile name `bad name`: use 1 to 64"));
        assert!(
            err(&["alicloud-vault", "export", "p", "--duration", "5m"]).starts_with(
                "error: --duration: duration `5m` is outside what STS grants; use a value from 15m"
            )
        );
        assert!(err(&["alicloud-vault", "export", "p", "--region", "A"])
            .starts_with("error: --region: region `A` is not a region id"));
        assert!(
            err(&["alicloud-vault", "rotate", "p", "--verify-timeout", "x"])
                .starts_with("error: --verify-timeout: `x` is not a duration")
        );
        assert!(
            err(&["alicloud-vault", "sso", "configure", "p", "--prefix", "a b"])
                .starts_with("error: --prefix: \"a b\" may hold only")
        );
    }
}

/// A clap value parser that turns an argument into one of the library's checked values
/// ([`ProfileName`], [`RegionId`], [`SessionDuration`], ...), so that a command gets the type
/// and checks nothing by hand. A bad value is clap's usage error (exit 1) naming the argument,
/// followed by the type's own explanation of what is allowed, e.g.
/// `error: --region: region `CN-Hangzhou` is not a region id; write it like `cn-hangzhou` ...`.
/// The explanations do not echo long or multi-line values.
#[derive(Clone, Copy)]
pub struct Checked<T>(fn(&str) -> Result<T, String>);

impl<T> std::fmt::Debug for Checked<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Checked")
    }
}

impl<T: Clone + Send + Sync + 'static> clap::builder::TypedValueParser for Checked<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<T, clap::Error> {
        let name = match arg {
            Some(a) => match a.get_long() {
                Some(long) => format!("--{long}"),
                None => a.get_id().as_str().to_uppercase(),
            },
            None => "the value".to_string(),
        };
        let invalid = |m: String| {
            clap::Error::raw(
                clap::error::ErrorKind::ValueValidation,
                format!("{name}: {m}\n"),
            )
            .with_cmd(cmd)
        };
        let text = value
            .to_str()
            .ok_or_else(|| invalid("the value is not UTF-8".into()))?;
        (self.0)(text).map_err(invalid)
    }
}

/// `PROFILE` and other profile names.
pub fn profile_name() -> Checked<ProfileName> {
    Checked(|s| ProfileName::new(s).map_err(|e| e.to_string()))
}

/// `--region`: the rule the configuration file uses, so that nothing else reaches a child's
/// environment.
pub fn region_id() -> Checked<RegionId> {
    Checked(RegionId::new)
}

/// `--duration`: a session length STS grants.
pub fn session_duration() -> Checked<SessionDuration> {
    Checked(SessionDuration::parse)
}

/// Any humane duration (`--verify-timeout`).
pub fn duration() -> Checked<std::time::Duration> {
    Checked(crate::config::parse_duration)
}

/// `oauth login --timeout`: a duration of at least a second.
pub fn login_timeout() -> Checked<std::time::Duration> {
    Checked(|s| {
        let d = crate::config::parse_duration(s)?;
        if d < std::time::Duration::from_secs(1) {
            return Err(format!(
                "`{s}` is shorter than 1s; write it like `90s` or `5m`"
            ));
        }
        Ok(d)
    })
}

/// `sso configure --prefix`.
pub fn profile_prefix() -> Checked<String> {
    Checked(ProfileName::check_prefix)
}
