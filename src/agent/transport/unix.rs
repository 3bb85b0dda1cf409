//! The control channel on a Unix socket (Linux, macOS): `agent.sock` in a private directory,
//! mode 0600, the peer's uid from `SO_PEERCRED` (Linux) or `getpeereid` (macOS).

use super::identity::{check_peer, PeerIdentity, PeerInfo, Side, UserId};
use super::{unusable, ConnectError};
use crate::agent::{client, socket, AgentError};
use crate::message::AGENT_PREFIX;
use std::os::fd::AsFd;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The agent's side of one control connection.
pub type Stream = tokio::net::UnixStream;
/// The CLI's side.
pub type ClientStream = std::os::unix::net::UnixStream;
/// A control socket a service manager hands over.
pub type InheritedControl = std::os::unix::net::UnixListener;

/// The identities of a Unix socket's two ends.
pub struct SocketPeer<'a, F: AsFd>(pub &'a F);

impl<F: AsFd> PeerIdentity for SocketPeer<'_, F> {
    fn own_user(&self) -> Result<UserId, String> {
        Ok(UserId::Uid(nix::unistd::getuid().as_raw()))
    }

    fn peer(&self) -> Result<PeerInfo, String> {
        let p = socket::peer_of(self.0).map_err(|e| e.to_string())?;
        Ok(PeerInfo {
            user: UserId::Uid(p.uid),
            pid: p.pid,
        })
    }
}

/// Connects to the agent at `path` and checks that it runs as our user.
pub fn connect(
    path: &Path,
    timeout: Duration,
) -> Result<(ClientStream, Option<u32>), ConnectError> {
    let stream = ClientStream::connect(path).map_err(|_| ConnectError::NotRunning)?;
    let peer = check_peer(&SocketPeer(&stream), Side::Client).map_err(unusable)?;
    stream
        .set_read_timeout(Some(timeout))
        .map_err(ConnectError::Io)?;
    Ok((stream, peer.pid))
}

/// The agent's bound control socket.
pub struct ControlListener(std::os::unix::net::UnixListener);

/// The control socket: the inherited one, or `agent.sock` in the private runtime directory
/// (refused when an agent answers there already). Returns the listener, its path, and whether
/// we created the file (and so remove it at the end).
pub fn listen(
    inherited: Option<InheritedControl>,
    config_path: &Path,
) -> Result<(ControlListener, PathBuf, bool), AgentError> {
    if let Some(l) = inherited {
        let path = l
            .local_addr()
            .ok()
            .and_then(|a| a.as_pathname().map(Path::to_path_buf))
            .unwrap_or_else(socket::socket_path);
        return Ok((ControlListener(l), path, false));
    }
    let dir = socket::runtime_dir();
    socket::prepare_private_dir(&dir)?;
    let path = crate::dirs::agent_socket_in(&dir);
    if let Ok(c) = client::AgentClient::connect_to(&path, config_path, None) {
        return Err(AgentError::AlreadyRunning {
            pid: c.pid,
            socket: path,
        });
    }
    let _ = std::fs::remove_file(&path);
    let l = std::os::unix::net::UnixListener::bind(&path).map_err(|source| AgentError::Listen {
        what: path.display().to_string(),
        source,
    })?;
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).map_err(|source| {
        AgentError::Listen {
            what: path.display().to_string(),
            source,
        }
    })?;
    Ok((ControlListener(l), path, true))
}

/// The accept loop (call it on the runtime): every client of our own uid goes to `handle`,
/// every other one is refused with a line on stderr.
pub fn serve(
    listener: ControlListener,
    handle: impl Fn(Stream, socket::Peer) + Send + 'static,
) -> std::io::Result<impl std::future::Future<Output = ()> + Send> {
    listener.0.set_nonblocking(true)?;
    let listener = tokio::net::UnixListener::from_std(listener.0)?;
    Ok(async move {
        loop {
            match listener.accept().await {
                Ok((stream, _)) => match check_peer(&SocketPeer(&stream), Side::Agent) {
                    Ok(peer) => {
                        let UserId::Uid(uid) = peer.user else {
                            continue;
                        };
                        handle(stream, socket::Peer { uid, pid: peer.pid });
                    }
                    Err(e) => crate::agent::audit::refused(|| {
                        format!("{AGENT_PREFIX} refused a control connection{e}")
                    }),
                },
                Err(e) => {
                    crate::agent::audit::refused(|| {
                        format!("{AGENT_PREFIX} control socket: accept failed: {e}")
                    });
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        }
    })
}

/// Listening sockets handed over by a service manager (systemd `LISTEN_FDS`).
#[derive(Default)]
pub struct Inherited {
    pub control: Option<InheritedControl>,
    pub metadata: Option<std::net::TcpListener>,
}

/// Takes the sockets of systemd socket activation (`LISTEN_PID` = us, fds 3..3+`LISTEN_FDS`):
/// a unix socket is the control socket, a TCP socket the metadata endpoint.
pub fn inherited_listeners() -> Inherited {
    use nix::sys::socket::{getsockname, AddressFamily, SockaddrLike, SockaddrStorage};
    use std::os::fd::FromRawFd;
    let mut out = Inherited::default();
    let ours = std::env::var("LISTEN_PID")
        .ok()
        .and_then(|p| p.parse::<u32>().ok())
        == Some(std::process::id());
    let n = std::env::var("LISTEN_FDS")
        .ok()
        .and_then(|n| n.parse::<i32>().ok())
        .unwrap_or(0);
    if !ours || n <= 0 {
        return out;
    }
    for fd in 3..3 + n {
        let Ok(addr) = getsockname::<SockaddrStorage>(fd) else {
            continue;
        };
        // SAFETY: systemd passes these descriptors to us, open and listening; we take ownership.
        unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) };
        match addr.family() {
            Some(AddressFamily::Unix) if out.control.is_none() => {
                out.control = Some(unsafe { std::os::unix::net::UnixListener::from_raw_fd(fd) });
            }
            Some(AddressFamily::Inet) | Some(AddressFamily::Inet6) if out.metadata.is_none() => {
                out.metadata = Some(unsafe { std::net::TcpListener::from_raw_fd(fd) });
            }
            _ => {}
        }
    }
    out
}

/// SIGTERM and SIGINT, caught from the moment this is made (before the agent says it is
/// ready), so that either stops the agent cleanly.
pub struct StopSignals {
    term: tokio::signal::unix::Signal,
    int: tokio::signal::unix::Signal,
}

impl StopSignals {
    pub fn new() -> std::io::Result<StopSignals> {
        use tokio::signal::unix::{signal, SignalKind};
        Ok(StopSignals {
            term: signal(SignalKind::terminate())?,
            int: signal(SignalKind::interrupt())?,
        })
    }

    /// Waits for one; returns its name.
    pub async fn recv(&mut self) -> &'static str {
        tokio::select! {
            _ = self.term.recv() => "SIGTERM",
            _ = self.int.recv() => "SIGINT",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_socket_pair_is_our_own_user_on_both_sides() {
        let (a, b) = std::os::unix::net::UnixStream::pair().unwrap();
        let me = UserId::Uid(nix::unistd::getuid().as_raw());
        for (s, side) in [(&a, Side::Agent), (&b, Side::Client)] {
            assert_eq!(check_peer(&SocketPeer(s), side).unwrap().user, me);
        }
    }

    #[test]
    fn nothing_listening_is_not_running() {
        let t = tempfile::tempdir().unwrap();
        let r = connect(&t.path().join("none.sock"), Duration::from_secs(1));
        assert!(matches!(r, Err(ConnectError::NotRunning)));
    }
}
