//! Where the agent listens and who is on the other end, one module per platform like
//! [`super::transport`]: the runtime directory, the agent lock and peer credentials of a Unix
//! socket (`unix.rs`), the named pipe's name and process lookups on Windows (`windows.rs`).
//! Both offer `SocketError`, `socket_path`, `Peer` and `executable_of`.

#[cfg(unix)]
mod unix;
#[cfg(unix)]
pub use unix::*;

#[cfg(windows)]
mod windows;
#[cfg(windows)]
pub use windows::*;
