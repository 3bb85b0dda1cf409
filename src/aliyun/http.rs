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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aliyun::rpc::{RetryPolicy, RpcClient};
    use crate::aliyun::sts::{AssumeRoleRequest, StsClient};
    use crate::secret::Secret;
    use crate::session::{Issued, LongTermKey};
    use std::io::{Read, Write};
    use std::net::TcpListener;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    /// A signed request answered with a redirect is not sent on: its query holds the caller's
    /// SecurityToken and its body the request, both meant for one endpoint only.
    #[test]
    fn a_redirect_is_an_error_and_the_other_address_hears_nothing() {
        let elsewhere = TcpListener::bind("127.0.0.1:0").unwrap();
        let elsewhere_addr = elsewhere.local_addr().unwrap();
        elsewhere.set_nonblocking(true).unwrap();
        let redirector = TcpListener::bind("127.0.0.1:0").unwrap();
        let endpoint = format!("http://{}", redirector.local_addr().unwrap());
        let answered = Arc::new(AtomicUsize::new(0));
        let count = answered.clone();
        std::thread::spawn(move || {
            for stream in redirector.incoming() {
                let Ok(mut s) = stream else { return };
                let mut buf = [0u8; 8192];
                let _ = s.read(&mut buf);
                // Counted before the reply goes out: once the client has it, the test may
                // read the count at once.
                count.fetch_add(1, Ordering::SeqCst);
                let reply = format!(
                    "HTTP/1.1 307 Temporary Redirect\r\nLocation: http://{elsewhere_addr}/\r\nContent-Length: 0\r\n\r\n"
                );
                let _ = s.write_all(reply.as_bytes());
            }
        });
        let pool = HttpPool::new().unwrap();
        let rpc = RpcClient::on(&pool, "STS", &endpoint, "2015-04-01")
            .unwrap()
            .with_retry(RetryPolicy {
                attempts: 1,
                ..RetryPolicy::default()
            });
        let sts = StsClient::from_rpc(rpc);
        let caller = Issued::LongTerm(LongTermKey {
            access_key_id: "LTAI5tExampleKeyId123456".into(),
            access_key_secret: Secret::new("examplesecretexamplesecret1234"),
        });
        let req = AssumeRoleRequest {
            role_arn: "acs:ram::1234567890123456:role/admin".into(),
            role_session_name: "test".into(),
            duration_seconds: 3600,
            policy: None,
            external_id: None,
        };
        let rt = crate::runtime::for_command().unwrap();
        let err = rt.block_on(sts.assume_role(&caller, &req)).unwrap_err();
        assert_eq!(err.http_status(), Some(307), "{err}");
        assert_eq!(answered.load(Ordering::SeqCst), 1);
        assert!(
            elsewhere.accept().is_err(),
            "the redirect's target got a connection"
        );
    }
}
