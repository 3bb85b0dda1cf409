//! The control channel's transport, one module per platform (docs/platforms.md): a Unix socket on
//! Linux and macOS (`unix.rs`), a named pipe on Windows (`windows.rs`). Each offers the same
//! few items, so that the agent and the CLI do not care which:
//!
//! - `listen`: the agent's listener (bound here, or handed over by a service manager);
//! - `serve`: the accept loop, which checks every client with [`identity::check_peer`];
//! - `connect`: the CLI's connection, which checks that the agent is of its own user;
//! - `Stream` (the agent's side of one connection), `ClientStream` (the CLI's),
//!   `Inherited` and `inherited_listeners` (service-manager sockets, Unix only).
//!
//! The pure parts, [`identity`] and [`pipe`], compile and are tested everywhere.

pub mod identity;
pub mod pipe;

#[cfg(unix)]
mod unix;
#[cfg(unix)]
pub use unix::*;

#[cfg(windows)]
mod windows;
#[cfg(windows)]
pub use windows::*;

/// The CLI's reason for not using an agent that runs as someone else.
fn unusable(r: identity::Refusal) -> ConnectError {
    let text = r.to_string();
    ConnectError::Unusable(text.strip_prefix(": ").unwrap_or(&text).to_string())
}

/// Why the CLI could not talk to an agent.
#[derive(Debug)]
pub enum ConnectError {
    /// Nothing listens there.
    NotRunning,
    /// Something listens, but it is not an agent of ours; the reason says why.
    Unusable(String),
    Io(std::io::Error),
}
