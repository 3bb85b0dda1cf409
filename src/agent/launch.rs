//! Starting a detached agent and knowing when it serves: `agent start`, and the CLI starting
//! one itself when a command needs a session and none answers (`[agent] autostart`).
//!
//! The handshake: the child gets the write end of a pipe as descriptor [`READY_FD`] and the
//! number in `ALICLOUD_VAULT_READY_FD`; once its control socket is bound it writes one line
//! (`ready PID`) and closes it. The parent reads that line (or end of file, when the agent
//! failed or another agent already serves the socket) with a time limit: no polling.

#[cfg(unix)]
use std::io::Read;
use std::path::{Path, PathBuf};
#[cfg(unix)]
use std::process::{Command, Stdio};
use std::time::Duration;

/// The variable that tells `agent run` which descriptor to report readiness on.
pub const READY_FD_VAR: &str = "ALICLOUD_VAULT_READY_FD";
/// The descriptor number the child gets the pipe as.
pub const READY_FD: i32 = 3;
/// How long the parent waits for the ready line.
pub const READY_TIMEOUT: Duration = Duration::from_secs(10);

/// Why an agent could not be started.
#[derive(Debug, thiserror::Error)]
pub enum LaunchError {
    #[error("cannot start the agent: {0}")]
    Spawn(std::io::Error),
    #[error("the agent did not start (see {log}): {reason}")]
    NotReady { log: PathBuf, reason: String },
}

/// What an agent of this process runs with (`agent run`, `exec --server` without an agent):
/// the configuration's settings, the audit log (a warning, and no audit lines, when it cannot
/// be opened).
pub fn options(
    config: &crate::config::Config,
    vault: crate::keystore::items::Vault,
    config_path: PathBuf,
) -> super::AgentOptions {
    let audit = match super::audit::AuditLog::open(&crate::dirs::audit_log()) {
        Ok(a) => Some(a),
        Err(e) => {
            crate::warn!("{e}; credentials are handed out without an audit line");
            None
        }
    };
    super::AgentOptions {
        vault,
        config_path,
        margin: config
            .defaults
            .refresh_margin
            .unwrap_or(crate::credentials::resolve::DEFAULT_REFRESH_MARGIN),
        metadata: config.metadata.clone(),
        audit,
        settings: config.agent.clone(),
    }
}

/// Starts `alicloud-vault [--backend B] --config FILE agent run` detached (its own session, stdin
/// from /dev/null, output appended to [`crate::dirs::agent_log`]) and waits until it serves its control
/// socket. Returns its pid.
#[cfg(unix)]
pub fn launch(config_file: &Path, backend: Option<&str>) -> Result<u32, LaunchError> {
    use std::os::fd::{AsRawFd, OwnedFd};
    use std::os::unix::process::CommandExt;
    let log = crate::dirs::agent_log();
    let out = super::audit::open_append_private(&log).map_err(|e| LaunchError::NotReady {
        log: log.clone(),
        reason: format!("cannot open the agent log: {e}"),
    })?;
    let (read_end, write_end): (OwnedFd, OwnedFd) =
        nix::unistd::pipe().map_err(|e| LaunchError::Spawn(e.into()))?;
    let exe = std::env::current_exe().map_err(LaunchError::Spawn)?;
    let mut cmd = Command::new(exe);
    if let Some(b) = backend {
        cmd.arg("--backend").arg(b);
    }
    cmd.arg("--config")
        .arg(config_file)
        .args(["agent", "run"])
        .env(READY_FD_VAR, READY_FD.to_string())
        .stdin(Stdio::null())
        .stdout(out.try_clone().map_err(LaunchError::Spawn)?)
        .stderr(out)
        .current_dir("/");
    let child_end = write_end.as_raw_fd();
    // SAFETY: between fork and exec only async-signal-safe calls: setsid and dup2.
    unsafe {
        cmd.pre_exec(move || {
            nix::unistd::setsid().map_err(std::io::Error::from)?;
            if libc::dup2(child_end, READY_FD) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = cmd.spawn().map_err(LaunchError::Spawn)?;
    drop(write_end);
    let line = read_ready_line(read_end, READY_TIMEOUT);
    // The agent lives on as an orphan of this process: reap it in the background if it exits
    // while we still run, so that no zombie is left.
    std::thread::spawn(move || child.wait());
    match line {
        Ok(l) => parse_ready(&l).ok_or_else(|| LaunchError::NotReady {
            log,
            reason: format!("unexpected start-up line {:?}", l.trim()),
        }),
        Err(reason) => Err(LaunchError::NotReady { log, reason }),
    }
}

#[cfg(not(unix))]
pub fn launch(_config_file: &Path, _backend: Option<&str>) -> Result<u32, LaunchError> {
    Err(LaunchError::Spawn(std::io::Error::new(
        std::io::ErrorKind::Unsupported,
        "starting the agent detached is not supported on this platform yet; run `alicloud-vault agent run` in a terminal of its own",
    )))
}

/// Reads the first line from the pipe, waiting at most `timeout`.
#[cfg(unix)]
fn read_ready_line(fd: std::os::fd::OwnedFd, timeout: Duration) -> Result<String, String> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut f = std::fs::File::from(fd);
        let mut buf = Vec::new();
        let mut byte = [0u8; 1];
        while buf.len() < 64 {
            match f.read(&mut byte) {
                Ok(1) if byte[0] == b'\n' => break,
                Ok(1) => buf.push(byte[0]),
                _ => break,
            }
        }
        let _ = tx.send(String::from_utf8_lossy(&buf).into_owned());
    });
    match rx.recv_timeout(timeout) {
        Ok(l) if l.is_empty() => Err("it exited before serving".into()),
        Ok(l) => Ok(l),
        Err(_) => Err(format!(
            "it did not report ready within {} s",
            timeout.as_secs()
        )),
    }
}

/// The pid in a `ready PID` line.
#[cfg_attr(not(unix), allow(dead_code))] // no launcher on Windows yet
fn parse_ready(line: &str) -> Option<u32> {
    line.trim().strip_prefix("ready ")?.parse().ok()
}

/// In `agent run`, the descriptor to tell the launching process on that the control socket
/// serves.
#[cfg_attr(not(unix), allow(dead_code))]
pub struct ReadyReport(i32);

/// Takes the readiness descriptor the launcher passed, if any, and removes the variable so that
/// nothing this process starts inherits it. Call it before any thread starts.
pub fn take_ready_report() -> Option<ReadyReport> {
    let fd = std::env::var(READY_FD_VAR).ok()?.parse::<i32>().ok()?;
    // SAFETY: called at the start of `agent run`, before the agent starts any thread.
    unsafe { std::env::remove_var(READY_FD_VAR) };
    (fd >= 3).then_some(ReadyReport(fd))
}

impl ReadyReport {
    /// Writes `ready PID` and closes the descriptor.
    pub fn send(self) {
        #[cfg(unix)]
        {
            use std::io::Write;
            use std::os::fd::FromRawFd;
            // SAFETY: the launcher put the pipe at this descriptor for us alone; we own it.
            let mut f = unsafe { std::fs::File::from_raw_fd(self.0) };
            let _ = writeln!(f, "ready {}", std::process::id());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ready_line_carries_the_pid() {
        assert_eq!(parse_ready("ready 4242\n"), Some(4242));
        assert_eq!(parse_ready("ready"), None);
        assert_eq!(parse_ready("started 1"), None);
    }
}
