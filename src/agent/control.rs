//! The control connection: newline-framed JSON requests (at most `MAX_LINE` bytes each) read
//! from one client, answered in order by [`super::dispatch`], and the URIs granted on it
//! revoked when it closes.

use super::endpoints::Endpoints;
use super::protocol::{ErrorKind, Request, Response, MAX_LINE};
use super::{dispatch, signals, socket, state, transport};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

/// How long a stop waits for its reply to reach the client before the agent stops anyway.
const STOP_REPLY_WAIT: Duration = Duration::from_secs(1);

/// Serves one control connection; URIs granted on it are revoked when it closes.
/// `peer` has been checked by the transport: it is our own user.
pub(super) async fn serve(
    endpoints: Arc<Endpoints>,
    stream: transport::Stream,
    peer: socket::Peer,
) {
    let (read, mut write) = tokio::io::split(stream);
    let mut reader = BufReader::new(read);
    let mut granted: Vec<String> = Vec::new();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match (&mut reader)
            .take(MAX_LINE as u64)
            .read_until(b'\n', &mut buf)
            .await
        {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        if buf.last() != Some(&b'\n') {
            crate::agent_log!(
                "a control request was longer than {MAX_LINE} bytes; closing the connection"
            );
            break;
        }
        let mut stop = false;
        let response = match serde_json::from_slice::<Request>(&buf) {
            Ok(req) => {
                stop = matches!(req, Request::Stop);
                // Looking at the agent (hello, status, log) is not using it; a hello that
                // asks for credentials is.
                if !matches!(
                    req,
                    Request::Hello { then: None, .. } | Request::Status | Request::FlushAudit
                ) {
                    endpoints
                        .last_request
                        .store(state::unix_now(), std::sync::atomic::Ordering::Relaxed);
                }
                dispatch::answer(&endpoints, req, peer, &mut granted).await
            }
            Err(e) => Response::Error {
                kind: ErrorKind::Usage,
                message: format!(
                    "{} (line {} column {}); is the CLI another version? Restart the agent",
                    super::protocol::UNKNOWN_REQUEST,
                    e.line(),
                    e.column()
                ),
            },
        };
        let mut line = serde_json::to_vec(&response).expect("responses serialize");
        line.push(b'\n');
        // A stop takes effect whether or not its reply can be delivered: the reply gets a
        // moment (a client that never reads must not hold the agent up), then the agent stops.
        let written = if stop {
            tokio::time::timeout(STOP_REPLY_WAIT, write.write_all(&line))
                .await
                .unwrap_or(Ok(()))
        } else {
            write.write_all(&line).await
        };
        zeroize::Zeroize::zeroize(&mut line);
        if stop {
            endpoints.stop.request(signals::StopReason::Request);
            break;
        }
        if written.is_err() {
            break;
        }
    }
    zeroize::Zeroize::zeroize(&mut buf);
    for token in granted {
        endpoints.state.revoke_uri(&token);
    }
}
