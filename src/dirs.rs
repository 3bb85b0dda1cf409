//! Every directory and file path the program uses, one function each, with the environment
//! overrides it honours. Nothing else computes where a file lives; docs/architecture.md
//! ("Where files live") has the table.
//!
//! The platform directories come from the `directories` crate (XDG on Linux, `~/Library/...`
//! on macOS, `%APPDATA%`/`%LOCALAPPDATA%` on Windows).

#[cfg(unix)]
use std::path::Path;
use std::path::PathBuf;

/// The application's name in every directory below.
const APP: &str = "alicloud-vault";

/// Overrides the configuration file ([`config_file`]).
pub const CONFIG_ENV: &str = "ALICLOUD_VAULT_CONFIG";
/// Overrides the file keystore's directory ([`file_keystore_dir`]).
pub const FILE_DIR_ENV: &str = "ALICLOUD_VAULT_FILE_DIR";
/// Overrides the aliyun CLI's configuration file ([`aliyun_cli_config`]); the aliyun CLI
/// honours the same variable.
pub const ALIYUN_CLI_CONFIG_ENV: &str = "ALIBABA_CLOUD_CONFIG_FILE";

fn project() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", APP)
}

/// A variable's value as a path, when it is set and not empty.
fn from_env(var: &str) -> Option<PathBuf> {
    std::env::var_os(var)
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
}

/// The configuration file when `--config` is not given: `$ALICLOUD_VAULT_CONFIG`, else
/// `config.toml` in the platform config directory (`~/.config/alicloud-vault/config.toml` on
/// Linux), else `alicloud-vault.toml` here when there is no home directory.
pub fn config_file() -> PathBuf {
    from_env(CONFIG_ENV)
        .or_else(|| project().map(|d| d.config_dir().join("config.toml")))
        .unwrap_or_else(|| PathBuf::from("alicloud-vault.toml"))
}

/// The aliyun CLI's configuration: `$ALIBABA_CLOUD_CONFIG_FILE`, else `~/.aliyun/config.json`;
/// `None` without a home directory.
pub fn aliyun_cli_config() -> Option<PathBuf> {
    from_env(ALIYUN_CLI_CONFIG_ENV).or_else(|| {
        directories::BaseDirs::new().map(|d| d.home_dir().join(".aliyun").join("config.json"))
    })
}

/// The file keystore's directory: `$ALICLOUD_VAULT_FILE_DIR`, else `keys` in the platform data
/// directory; `None` without a home directory.
pub fn file_keystore_dir() -> Option<PathBuf> {
    from_env(FILE_DIR_ENV).or_else(|| project().map(|d| d.data_dir().join("keys")))
}

/// The state directory (`$XDG_STATE_HOME/alicloud-vault` on Linux, the local data directory
/// elsewhere), which holds the audit log and the agent's log. Without a home directory, a
/// directory of this user's in the temporary directory.
pub fn state_dir() -> PathBuf {
    match project() {
        Some(d) => d
            .state_dir()
            .unwrap_or_else(|| d.data_local_dir())
            .to_path_buf(),
        #[cfg(unix)]
        None => {
            std::env::temp_dir().join(format!("{APP}-state-{}", nix::unistd::getuid().as_raw()))
        }
        // Windows: the temporary directory is the user's own already.
        #[cfg(not(unix))]
        None => std::env::temp_dir().join(format!("{APP}-state")),
    }
}

/// The audit log: every credential handed out.
pub fn audit_log() -> PathBuf {
    state_dir().join("audit.log")
}

/// Where a detached agent (`agent start`, autostart) writes its messages.
pub fn agent_log() -> PathBuf {
    state_dir().join("agent.log")
}

/// The agent's runtime directory (not created): `$XDG_RUNTIME_DIR/alicloud-vault`, else
/// `/tmp/alicloud-vault-<uid>` (used only when it is ours and private, see agent::socket).
#[cfg(unix)]
pub fn runtime_dir() -> PathBuf {
    match from_env("XDG_RUNTIME_DIR") {
        Some(d) => d.join(APP),
        None => PathBuf::from(format!("/tmp/{APP}-{}", nix::unistd::getuid().as_raw())),
    }
}

/// The control socket in a runtime directory.
#[cfg(unix)]
pub fn agent_socket_in(runtime_dir: &Path) -> PathBuf {
    runtime_dir.join("agent.sock")
}

/// The lock an agent holds for its life, in a runtime directory.
#[cfg(unix)]
pub fn agent_lock_in(runtime_dir: &Path) -> PathBuf {
    runtime_dir.join("agent.lock")
}

/// The control socket: `agent.sock` in [`runtime_dir`]; on Windows the named pipe
/// `\\.\pipe\alicloud-vault-<user>` (docs/platforms.md), shown and passed around as a path.
#[cfg(unix)]
pub fn agent_socket() -> PathBuf {
    agent_socket_in(&runtime_dir())
}

/// The agent's pipe, named after the user (`%USERNAME%`): only a meeting point, as the pipe's
/// security descriptor and the peer checks decide who may talk to whom.
#[cfg(windows)]
pub fn agent_socket() -> PathBuf {
    PathBuf::from(pipe_name(&std::env::var("USERNAME").unwrap_or_default()))
}

/// The prefix of every local named pipe.
pub const PIPE_PREFIX: &str = r"\\.\pipe\";

/// Windows caps a pipe name (prefix included) at 256 characters.
pub const MAX_PIPE_NAME: usize = 256;

/// `\\.\pipe\alicloud-vault-<user>`. The user name is only a meeting point, not a check (the
/// pipe's security descriptor and the peer checks are), so it is made safe rather than
/// refused: a backslash (the one character a pipe name cannot hold), `/`, control characters
/// and spaces become `_`, and an empty name becomes `user`. Pipe names are not case sensitive,
/// like Windows user names, so the case is kept as given.
pub fn pipe_name(user: &str) -> String {
    let mut clean: String = user
        .trim()
        .chars()
        .map(|c| {
            if c == '\\' || c == '/' || c.is_control() || c.is_whitespace() {
                '_'
            } else {
                c
            }
        })
        .collect();
    if clean.is_empty() {
        clean = "user".to_string();
    }
    let mut name = format!("{PIPE_PREFIX}alicloud-vault-{clean}");
    while name.chars().count() > MAX_PIPE_NAME {
        name.pop();
    }
    name
}

/// The directory for `login`'s short-lived redirect page: `$XDG_RUNTIME_DIR`, else the
/// temporary directory.
pub fn login_page_dir() -> PathBuf {
    from_env("XDG_RUNTIME_DIR").unwrap_or_else(std::env::temp_dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_agent_files_share_the_runtime_directory() {
        #[cfg(unix)]
        {
            let d = Path::new("/run/user/1000/alicloud-vault");
            assert_eq!(agent_socket_in(d), d.join("agent.sock"));
            assert_eq!(agent_lock_in(d), d.join("agent.lock"));
        }
        assert_eq!(audit_log().parent(), agent_log().parent());
    }
}
