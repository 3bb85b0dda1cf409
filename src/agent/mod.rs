//! The agent: a long-running process that holds sessions in memory, refreshes them ahead of
//! expiry, and hands them out over a control socket (to `exec`/`export`), a credentials URI
//! (`exec --server`) and the ECS metadata emulation (docs/agent.md).
//!
//! The same [`Agent`] also runs inside `exec --server` / `exec --ecs-server` when no agent is
//! running, for the life of the child: one code path for both.
//!
//! Layout (docs/architecture.md has the map): `run` (the runtime, [`Agent::start`] and
//! `agent run`), `endpoints` (what the endpoints share; the metadata endpoint), `control`
//! (one control connection: framing), `dispatch` (request -> action), `signals` (what stops
//! the agent), `memory` (allocator tuning, heap trimming), `state` (sessions, single flight,
//! backoff), `http` (both HTTP endpoints), `protocol` (control messages), `transport` (the
//! control channel per platform, socket activation), `socket` (paths, the agent lock, peer
//! credentials), `client` (the CLI side), `launch` (autostart), `peer` (who is on the other
//! end of a TCP connection), `audit` (the audit log), `child` (running a child for the server
//! modes).

pub mod audit;
pub mod child;
pub mod client;
mod control;
mod dispatch;
mod endpoints;
pub mod grant;
pub mod http;
pub mod launch;
mod memory;
pub mod notify;
pub mod peer;
pub mod protocol;
mod run;
mod signals;
pub mod socket;
pub mod state;
pub mod transport;

pub use endpoints::Endpoints;
pub use run::{run, Agent, AgentOptions};
pub use transport::{inherited_listeners, Inherited};

use std::path::PathBuf;

/// The ECS metadata address every SDK hard-codes.
pub const DEFAULT_METADATA_ADDRESS: &str = "100.100.100.200:80";

/// What can stop the agent.
#[derive(Debug, thiserror::Error)]
pub enum AgentError {
    #[error(transparent)]
    Socket(#[from] socket::SocketError),
    #[error("an agent is already running (pid {pid}) on {socket}. Stop it with `alicloud-vault agent stop` first")]
    AlreadyRunning { pid: u32, socket: PathBuf },
    #[error("an agent is already running ({}) for {dir}: it holds {dir}/agent.lock. Stop it with `alicloud-vault agent stop`; if `agent status` cannot reach it (its socket was removed), end it with `kill {}`", .pid.map_or("pid not known yet".to_string(), |p| format!("pid {p}")), .pid.map_or("PID".to_string(), |p| p.to_string()))]
    Locked { pid: Option<u32>, dir: PathBuf },
    #[error("cannot listen on {what}: {source}")]
    Listen {
        what: String,
        source: std::io::Error,
    },
    #[error("cannot start the agent's runtime: {0}")]
    Runtime(std::io::Error),
    #[error(transparent)]
    Http(#[from] crate::aliyun::rpc::RemoteError),
    #[error("the metadata address `{0}` is not an IP address with a port, like 100.100.100.200:80; fix `address` in [metadata]")]
    MetadataAddress(String),
}
