//! Who is on the other end of the control channel, and whether we talk to them.
//!
//! The rule is the same on every platform: the agent serves only its own user, and the CLI
//! talks only to an agent of its own user (a socket or pipe name planted by another user must
//! not receive our requests). What differs is where the identities come from, so that sits
//! behind [`PeerIdentity`]: `SO_PEERCRED`/`getpeereid` on a Unix socket, the peer's process
//! token (`GetNamedPipeClientProcessId`/`GetNamedPipeServerProcessId`, `OpenProcessToken`) on a
//! named pipe. The decision itself, [`check_peer`], is plain code that runs in tests anywhere.

use std::fmt;

/// A user as the OS names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserId {
    /// A Unix uid.
    Uid(u32),
    /// A Windows security identifier in its string form (`S-1-5-21-…`).
    Sid(String),
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UserId::Uid(uid) => write!(f, "uid {uid}"),
            UserId::Sid(sid) => write!(f, "user {sid}"),
        }
    }
}

/// The process on the other end of a connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerInfo {
    pub user: UserId,
    /// Where the OS tells (not on macOS, whose `getpeereid` gives no pid).
    pub pid: Option<u32>,
}

/// Which end we are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The agent, checking a client that connected.
    Agent,
    /// The CLI, checking the agent it connected to.
    Client,
}

/// Where the identities of one connection come from.
pub trait PeerIdentity {
    /// The user this process runs as.
    fn own_user(&self) -> Result<UserId, String>;
    /// The user (and pid) of the process on the other end.
    fn peer(&self) -> Result<PeerInfo, String>;
}

/// Why a connection is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// One of the two identities could not be found.
    Unknown(String),
    /// The peer runs as another user.
    OtherUser {
        side: Side,
        peer: PeerInfo,
        me: UserId,
    },
}

impl fmt::Display for Refusal {
    /// The agent logs "refused a control connection{this}"; the CLI shows it as the reason an
    /// agent cannot be used.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Unknown(e) => write!(f, ": {e}"),
            Refusal::OtherUser { side, peer, me } => {
                let pid = peer.pid.map_or("?".to_string(), |p| p.to_string());
                match side {
                    Side::Agent => write!(
                        f,
                        " from {} (pid {pid}): only {me} may use this agent",
                        peer.user
                    ),
                    Side::Client => write!(
                        f,
                        "it is served by {} (pid {pid}), not by you ({me})",
                        peer.user
                    ),
                }
            }
        }
    }
}

/// The peer when it runs as our own user; otherwise why the connection is refused. Fails
/// closed: when either identity cannot be found, nobody is served.
pub fn check_peer(ids: &impl PeerIdentity, side: Side) -> Result<PeerInfo, Refusal> {
    let me = ids.own_user().map_err(|e| {
        Refusal::Unknown(format!("cannot tell which user this process runs as: {e}"))
    })?;
    let peer = ids
        .peer()
        .map_err(|e| Refusal::Unknown(format!("cannot tell who is on the other end: {e}")))?;
    if peer.user == me {
        return Ok(peer);
    }
    Err(Refusal::OtherUser { side, peer, me })
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fake {
        me: Result<UserId, String>,
        peer: Result<PeerInfo, String>,
    }

    impl PeerIdentity for Fake {
        fn own_user(&self) -> Result<UserId, String> {
            self.me.clone()
        }
        fn peer(&self) -> Result<PeerInfo, String> {
            self.peer.clone()
        }
    }

    fn sid(s: &str) -> UserId {
        UserId::Sid(s.to_string())
    }

    #[test]
    fn our_own_user_is_served_with_its_pid() {
        let ids = Fake {
            me: Ok(UserId::Uid(501)),
            peer: Ok(PeerInfo {
                user: UserId::Uid(501),
                pid: Some(42),
            }),
        };
        assert_eq!(check_peer(&ids, Side::Agent).unwrap().pid, Some(42));
    }

    #[test]
    fn another_user_is_refused_and_both_users_are_named() {
        let ids = Fake {
            me: Ok(sid("S-1-5-21-1-2-3-1001")),
            peer: Ok(PeerInfo {
                user: sid("S-1-5-21-1-2-3-1002"),
                pid: Some(7),
            }),
        };
        let agent = check_peer(&ids, Side::Agent).unwrap_err().to_string();
        assert_eq!(agent, " from user S-1-5-21-1-2-3-1002 (pid 7): only user S-1-5-21-1-2-3-1001 may use this agent");
        let client = check_peer(&ids, Side::Client).unwrap_err().to_string();
        assert!(
            client.starts_with("it is served by user S-1-5-21-1-2-3-1002 (pid 7)"),
            "{client}"
        );
    }

    #[test]
    fn a_uid_never_equals_a_sid_and_an_unknown_pid_shows_as_a_question_mark() {
        let ids = Fake {
            me: Ok(UserId::Uid(0)),
            peer: Ok(PeerInfo {
                user: sid("S-1-5-18"),
                pid: None,
            }),
        };
        assert_eq!(
            check_peer(&ids, Side::Agent).unwrap_err().to_string(),
            " from user S-1-5-18 (pid ?): only uid 0 may use this agent"
        );
    }

    #[test]
    fn an_unknown_identity_on_either_side_is_refused() {
        let peer_unknown = Fake {
            me: Ok(UserId::Uid(501)),
            peer: Err("GetNamedPipeClientProcessId failed".into()),
        };
        let e = check_peer(&peer_unknown, Side::Agent).unwrap_err();
        assert!(matches!(e, Refusal::Unknown(_)));
        assert!(
            e.to_string().contains("GetNamedPipeClientProcessId failed"),
            "{e}"
        );
        let me_unknown = Fake {
            me: Err("OpenProcessToken failed".into()),
            peer: Ok(PeerInfo {
                user: UserId::Uid(501),
                pid: None,
            }),
        };
        let e = check_peer(&me_unknown, Side::Client)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with(": cannot tell which user"), "{e}");
    }
}
