//! One control request -> its action and its response: the request's checks (profile names,
//! session durations) and the call into the session state or the metadata endpoint.

use super::audit::{self, Channel};
use super::endpoints::Endpoints;
use super::protocol::{ErrorKind, Request, Response, WireCredentials, PROTOCOL_VERSION};
use super::socket;
use super::state::{Failure, Wanted};
use crate::config::{ProfileName, SessionDuration};
use crate::session::format_alibaba_time;
use std::path::Path;
use std::time::Duration;

/// Answers `req` from `peer`; URI tokens granted go into `granted` (the connection's own).
pub(super) async fn answer(
    endpoints: &Endpoints,
    req: Request,
    peer: socket::Peer,
    granted: &mut Vec<String>,
) -> Response {
    let err = |f: Failure| Response::Error {
        kind: f.kind,
        message: f.message,
    };
    match req {
        Request::Hello {
            version,
            config,
            backend,
            then,
        } => {
            let compatible = version == PROTOCOL_VERSION
                && same_file(&config, &endpoints.config_path)
                && backend.as_deref().is_none_or(|b| b == endpoints.backend);
            let answer = match then.map(|r| *r) {
                // Only credentials ride on a hello, and only when it matched: an agent of
                // another configuration or backend must not hand out (or audit) anything.
                Some(Request::Credentials {
                    profile,
                    duration_secs,
                    no_session,
                }) if compatible => {
                    Some(credentials(endpoints, profile, duration_secs, no_session, peer).await)
                }
                Some(_) if compatible => Some(err(Failure::new(
                    ErrorKind::Usage,
                    "only a credentials request can come with a hello",
                ))),
                _ => None,
            };
            Response::Hello {
                version: PROTOCOL_VERSION,
                pid: std::process::id(),
                compatible,
                config: endpoints.config_path.clone(),
                backend: endpoints.backend.clone(),
                answer: answer.map(Box::new),
            }
        }
        Request::Credentials {
            profile,
            duration_secs,
            no_session,
        } => credentials(endpoints, profile, duration_secs, no_session, peer).await,
        Request::ServeUri {
            profile,
            duration_secs,
        } => {
            let wanted = match wanted(profile, duration_secs) {
                Ok(w) => w,
                Err(f) => return err(f),
            };
            match endpoints.state.grant_uri(&wanted, peer.pid).await {
                Ok((token, served)) => {
                    granted.push(token.clone());
                    Response::Uri {
                        uri: endpoints.uri_for(&token),
                        token,
                        expiration: format_alibaba_time(served.session.expiration),
                        region: endpoints.region_of(&wanted),
                    }
                }
                Err(f) => err(f),
            }
        }
        Request::GrantUri {
            profile,
            duration_secs,
            watch_pid,
            container,
        } => {
            let wanted = match wanted(profile, duration_secs) {
                Ok(w) => w,
                Err(f) => return err(f),
            };
            let options = super::grant::GrantOptions {
                watch_pid,
                container,
            };
            match endpoints.grant(&wanted, peer.pid, options).await {
                Ok(g) => {
                    // Without a shell to follow, the URI lives as long as this connection.
                    if watch_pid.is_none() {
                        granted.push(g.token.clone());
                    }
                    g.into_response()
                }
                Err(f) => err(f),
            }
        }
        Request::RevokeUri { token } => {
            granted.retain(|t| *t != token);
            endpoints.state.revoke_uri(&token);
            Response::Ok
        }
        Request::MetadataUse { profile } => {
            if let Err(e) = ProfileName::new(&profile) {
                return err(Failure::new(ErrorKind::Usage, e.to_string()));
            }
            match endpoints.metadata_use(&profile).await {
                Ok(()) => Response::Ok,
                Err(f) => err(f),
            }
        }
        Request::Forget {
            selector,
            revoke_shell_uris,
        } => {
            if revoke_shell_uris {
                endpoints.state.revoke_shell_uris(&selector);
            }
            match endpoints.state.forget(selector).await {
                Ok(sessions) => Response::Forgotten { sessions },
                Err(f) => err(f),
            }
        }
        Request::Status => Response::Status(endpoints.status()),
        Request::FlushAudit => {
            if let Some(log) = &endpoints.state.audit {
                let log = log.clone();
                let _ =
                    tokio::task::spawn_blocking(move || log.flush(Duration::from_secs(5))).await;
            }
            Response::Ok
        }
        // Acted on by `control::serve`, on this connection only.
        Request::Stop => Response::Ok,
    }
}

/// `Credentials`: the profile's session (or long-term key), audited as handed to `exec`.
async fn credentials(
    endpoints: &Endpoints,
    profile: String,
    duration_secs: Option<u64>,
    no_session: bool,
    peer: socket::Peer,
) -> Response {
    let answer = async {
        let wanted = wanted(profile, duration_secs)?;
        let (issued, region) = endpoints.state.credentials(&wanted, no_session).await?;
        if let Some(log) = &endpoints.state.audit {
            let who = audit::Client {
                pid: peer.pid,
                ..Default::default()
            };
            log.record(
                wanted.profile.as_str(),
                Channel::Exec,
                issued.access_key_id(),
                who,
            );
        }
        Ok::<_, Failure>(Response::Credentials(WireCredentials::from_issued(
            &issued, region,
        )))
    };
    answer.await.unwrap_or_else(|f| Response::Error {
        kind: f.kind,
        message: f.message,
    })
}

fn same_file(a: &Path, b: &Path) -> bool {
    a == b
        || matches!((std::fs::canonicalize(a), std::fs::canonicalize(b)), (Ok(x), Ok(y)) if x == y)
}

fn wanted(profile: String, duration_secs: Option<u64>) -> Result<Wanted, Failure> {
    let usage = |m: String| Failure::new(ErrorKind::Usage, m);
    let profile = ProfileName::new(&profile).map_err(|e| usage(e.to_string()))?;
    let duration = duration_secs
        .map(SessionDuration::from_secs)
        .transpose()
        .map_err(usage)?;
    Ok(Wanted { profile, duration })
}
