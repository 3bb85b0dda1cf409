//! The small differences between Linux, macOS and Windows that the commands meet, each behind
//! one function (docs/platforms.md). The agent's transport has its own seam,
//! `agent::transport`; process hardening is in `hardening`; starting the agent detached is
//! `agent::launch` (Unix only so far).

pub mod desktop_notice;
pub mod metadata;
pub mod process;

use std::ffi::OsString;

/// The shell `exec PROFILE` starts when no command is given: `$SHELL`, else `/bin/sh` on Unix
/// and `%COMSPEC%` (normally `cmd.exe`) on Windows.
pub fn default_shell() -> OsString {
    let from_env = |name: &str| std::env::var_os(name).filter(|s| !s.is_empty());
    if let Some(shell) = from_env("SHELL") {
        return shell;
    }
    if cfg!(windows) {
        from_env("COMSPEC").unwrap_or_else(|| "cmd.exe".into())
    } else {
        "/bin/sh".into()
    }
}

/// True when this process may change network interfaces itself: root on Unix. On Windows the
/// CLI never does (it prints the commands for an elevated prompt instead).
pub fn can_configure_network() -> bool {
    #[cfg(unix)]
    {
        nix::unistd::geteuid().is_root()
    }
    #[cfg(not(unix))]
    {
        false
    }
}

/// Exit codes wider than a byte exist on Windows only (`0xC000013A` after Ctrl-C, …): there a
/// child's code is passed on whole; on Unix it is 0..=255 already.
pub fn exit_with_wide_code(code: i32) {
    #[cfg(windows)]
    if !(0..=255).contains(&code) {
        std::process::exit(code);
    }
    let _ = code;
}
