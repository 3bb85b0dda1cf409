//! Where the agent's files live, and who is on the other end of a unix socket.
//!
//! The control socket is `$XDG_RUNTIME_DIR/alicloud-vault/agent.sock`. Without
//! `XDG_RUNTIME_DIR` it is `/tmp/alicloud-vault-<uid>/agent.sock`, and that directory is used
//! only when it is ours and nobody else can enter it (mode 0700), since anyone may create
//! names under /tmp.

use std::os::fd::AsFd;
use std::path::{Path, PathBuf};

/// What can be wrong with the agent's directories and sockets.
#[derive(Debug, thiserror::Error)]
pub enum SocketError {
    #[error("the agent directory {dir} belongs to uid {owner}, not to you (uid {me}); remove it, or set XDG_RUNTIME_DIR to a private directory")]
    NotOurs { dir: PathBuf, owner: u32, me: u32 },
    #[error("the agent directory {dir} has mode {mode:o}; it must be 0700. Run `chmod 700 {dir}` or remove it")]
    Mode { dir: PathBuf, mode: u32 },
    #[error("{dir} is not a directory; remove it so the agent can create its directory there")]
    NotADirectory { dir: PathBuf },
    #[error("cannot prepare the agent directory {dir}: {source}")]
    Io {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot find the peer of a unix socket: {0}")]
    PeerCredentials(nix::Error),
}

pub use crate::dirs::runtime_dir;

/// The control socket's path ([`crate::dirs::agent_socket`]).
pub fn socket_path() -> PathBuf {
    crate::dirs::agent_socket()
}

/// Creates the runtime directory if needed (0700), and checks that it is ours and private.
pub fn prepare_private_dir(dir: &Path) -> Result<(), SocketError> {
    use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
    let io = |source| SocketError::Io {
        dir: dir.to_path_buf(),
        source,
    };
    match std::fs::DirBuilder::new().mode(0o700).create(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(io(e)),
    }
    // symlink_metadata: a symlink planted in /tmp must not redirect us.
    let meta = std::fs::symlink_metadata(dir).map_err(io)?;
    if !meta.is_dir() {
        return Err(SocketError::NotADirectory {
            dir: dir.to_path_buf(),
        });
    }
    let me = nix::unistd::getuid().as_raw();
    if meta.uid() != me {
        return Err(SocketError::NotOurs {
            dir: dir.to_path_buf(),
            owner: meta.uid(),
            me,
        });
    }
    let mode = meta.permissions().mode() & 0o7777;
    if mode != 0o700 {
        // Our own directory under XDG_RUNTIME_DIR with a loose mode: tighten it. Under /tmp,
        // someone may have raced us, so refuse instead.
        if std::env::var_os("XDG_RUNTIME_DIR").is_some_and(|v| !v.is_empty()) {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(io)?;
        } else {
            return Err(SocketError::Mode {
                dir: dir.to_path_buf(),
                mode,
            });
        }
    }
    Ok(())
}

/// The lock that makes an agent the only one for its runtime directory: an exclusive `flock`
/// on `agent.lock` (0600, holding the agent's pid for messages), held for the agent's life
/// and released by the kernel when the process ends, however it ends. Taken before the socket
/// is unlinked and bound, so that a second agent can never take the first one's socket.
pub struct AgentLock {
    _file: nix::fcntl::Flock<std::fs::File>,
}

/// Who holds the agent lock, when it is not ours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockHolder {
    /// The pid the holder wrote (`None` if it has not written it yet).
    pub pid: Option<u32>,
}

/// Takes the agent lock in `dir` (a directory [`prepare_private_dir`] accepted), or says who
/// holds it. Never waits.
pub fn lock_agent(dir: &Path) -> Result<Result<AgentLock, LockHolder>, SocketError> {
    use std::io::{Read, Seek, Write};
    use std::os::unix::fs::OpenOptionsExt;
    let io = |source| SocketError::Io {
        dir: dir.to_path_buf(),
        source,
    };
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW)
        .open(crate::dirs::agent_lock_in(dir))
        .map_err(io)?;
    match nix::fcntl::Flock::lock(file, nix::fcntl::FlockArg::LockExclusiveNonblock) {
        Ok(mut locked) => {
            let me = std::process::id().to_string();
            locked.set_len(0).map_err(io)?;
            locked.rewind().map_err(io)?;
            locked.write_all(me.as_bytes()).map_err(io)?;
            Ok(Ok(AgentLock { _file: locked }))
        }
        Err((mut file, nix::errno::Errno::EWOULDBLOCK)) => {
            let mut text = String::new();
            let _ = file.read_to_string(&mut text);
            Ok(Err(LockHolder {
                pid: text.trim().parse().ok(),
            }))
        }
        Err((_, e)) => Err(io(std::io::Error::from(e))),
    }
}

/// The uid and (where the OS tells) pid of the process on the other end of a unix socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Peer {
    pub uid: u32,
    pub pid: Option<u32>,
}

/// Asks the kernel who is connected (SO_PEERCRED on Linux, getpeereid elsewhere).
pub fn peer_of(fd: impl AsFd) -> Result<Peer, SocketError> {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        let cred = nix::sys::socket::getsockopt(&fd, nix::sys::socket::sockopt::PeerCredentials)
            .map_err(SocketError::PeerCredentials)?;
        Ok(Peer {
            uid: cred.uid(),
            pid: u32::try_from(cred.pid()).ok().filter(|p| *p > 0),
        })
    }
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    {
        let (uid, _) = nix::unistd::getpeereid(fd).map_err(SocketError::PeerCredentials)?;
        Ok(Peer {
            uid: uid.as_raw(),
            pid: None,
        })
    }
}

/// The executable of a process, where the OS tells.
pub fn executable_of(pid: u32) -> Option<PathBuf> {
    std::fs::read_link(format!("/proc/{pid}/exe")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_private_directory_is_created_with_mode_0700_and_accepted() {
        use std::os::unix::fs::PermissionsExt;
        let t = tempfile::tempdir().unwrap();
        let d = t.path().join("alicloud-vault");
        prepare_private_dir(&d).unwrap();
        let mode = std::fs::metadata(&d).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700);
        prepare_private_dir(&d).unwrap();
    }

    #[test]
    fn the_agent_lock_is_exclusive_names_its_holder_and_is_freed_on_drop() {
        let t = tempfile::tempdir().unwrap();
        let first = lock_agent(t.path()).unwrap().expect("free at first");
        let holder = lock_agent(t.path()).unwrap().err().expect("held");
        assert_eq!(holder.pid, Some(std::process::id()));
        drop(first);
        assert!(lock_agent(t.path()).unwrap().is_ok(), "free again");
    }

    #[test]
    fn a_unix_socket_pair_reports_our_own_uid() {
        let (a, _b) = std::os::unix::net::UnixStream::pair().unwrap();
        let peer = peer_of(&a).unwrap();
        assert_eq!(peer.uid, nix::unistd::getuid().as_raw());
    }
}
