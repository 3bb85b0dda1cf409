//! The HTTP connections of one process: a single pool that every service client (STS, RAM,
//! CloudSSO, OAuth, console sign-in) is made over, so that a chain of three AssumeRole calls,
//! or an agent refreshing sessions all day, reuses one kept-alive connection per endpoint
//! instead of opening (and TLS-handshaking) a new one per call.
//!
//! A pool belongs to the tokio runtime its requests run on: hyper drives each connection as a
//! task of that runtime, so a connection made on a runtime that has since been dropped is dead.
//! The agent therefore makes one pool beside its one runtime, and a CLI command one beside the
//! runtime of [`crate::runtime::for_command`]; nothing keeps a pool in a global.

use super::rpc::RemoteError;
use std::time::Duration;

/// How long a client waits for a TCP (and TLS) connection to a service.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// How long an idle kept-alive connection stays in the pool. Alibaba Cloud's gateways close
/// idle connections after about a minute; the agent's refreshes of one chain come minutes
/// apart, so they reuse a connection when they happen to come close together (a chain's hops,
/// a burst of profiles) and reconnect otherwise.
const IDLE_TIMEOUT: Duration = Duration::from_secs(55);

/// One connection pool; clones share it (a cheap handle, like `reqwest::Client`).
#[derive(Debug, Clone)]
pub struct HttpPool {
    client: reqwest::Client,
}

impl HttpPool {
    /// A new pool. Requests carry their own total timeout (each service client sets it); no
    /// redirect is followed: no API the clients call redirects, and a request signed for one
    /// URL must not be replayed to another.
    pub fn new() -> Result<HttpPool, RemoteError> {
        HttpPool::with_connect_timeout(CONNECT_TIMEOUT)
    }

    /// A new pool whose connections must be made within `connect`.
    pub fn with_connect_timeout(connect: Duration) -> Result<HttpPool, RemoteError> {
        let client = reqwest::Client::builder()
            .connect_timeout(connect)
            .pool_idle_timeout(IDLE_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("alicloud-vault/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| RemoteError::Client {
                service: "HTTP".into(),
                detail: e.to_string(),
            })?;
        Ok(HttpPool { client })
    }

    /// The client requests are built with; each request sets its total timeout.
    pub(crate) fn client(&self) -> &reqwest::Client {
        &self.client
    }
}
