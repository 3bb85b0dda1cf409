//! What the agent's endpoints share: the session state, where the credentials URI server
//! listens, the metadata endpoint (started once, on demand or at start), the facts `agent
//! status` reports, the stop signal and the time of the last control request.

use super::protocol::{AgentStatus, ErrorKind, MetadataStatus, PROTOCOL_VERSION};
use super::state::{self, AgentState, Failure};
use super::{http, AgentError};
use crate::session::format_alibaba_time;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// What the control socket, the credentials URI server and the metadata endpoint share: the
/// session state they serve, the URI server's address, the control socket's path, the
/// metadata endpoint's settings and status, what `hello` and `status` report (configuration
/// file, backend, start time), the stop signal and the idle clock.
pub struct Endpoints {
    pub state: Arc<AgentState>,
    pub uri_addr: SocketAddr,
    pub config_path: PathBuf,
    pub backend: String,
    pub started: time::OffsetDateTime,
    pub socket: Mutex<Option<PathBuf>>,
    pub(super) metadata: Mutex<MetadataEndpoint>,
    /// Set once, by whatever stops the agent first; its loops wait on it.
    pub(super) stop: super::signals::Stop,
    /// Unix time of the last control request (or of the start).
    pub(super) last_request: std::sync::atomic::AtomicI64,
    /// The credentials URI server for containers, once started (`grant`).
    pub(super) container: tokio::sync::Mutex<Option<super::grant::ContainerListener>>,
}

/// The metadata endpoint: where it listens (or is to), how, for which role name, and whether
/// it runs or why it failed to start.
pub(super) struct MetadataEndpoint {
    pub(super) address: String,
    pub(super) hardened: bool,
    pub(super) role_name: Option<String>,
    pub(super) running: bool,
    pub(super) error: Option<String>,
}

impl Endpoints {
    pub(super) fn new(
        state: Arc<AgentState>,
        uri_addr: SocketAddr,
        config_path: PathBuf,
        backend: String,
        metadata: MetadataEndpoint,
    ) -> Endpoints {
        Endpoints {
            state,
            uri_addr,
            config_path,
            backend,
            started: time::OffsetDateTime::now_utc(),
            socket: Mutex::new(None),
            metadata: Mutex::new(metadata),
            stop: super::signals::Stop::new(),
            last_request: std::sync::atomic::AtomicI64::new(state::unix_now()),
            container: tokio::sync::Mutex::new(None),
        }
    }

    pub fn uri_for(&self, token: &str) -> String {
        format!("http://{}/{token}/credentials", self.uri_addr)
    }

    /// The metadata address as configured.
    pub fn metadata_address(&self) -> String {
        self.metadata.lock().expect("lock").address.clone()
    }

    /// Starts the metadata endpoint (once) on the configured address, or on `inherited`.
    pub async fn start_metadata(
        &self,
        inherited: Option<std::net::TcpListener>,
    ) -> Result<SocketAddr, String> {
        let (address, hardened) = {
            let m = self.metadata.lock().expect("lock");
            (m.address.clone(), m.hardened)
        };
        let bound = match inherited {
            Some(l) => Ok(l),
            None => match address.parse::<SocketAddr>() {
                Ok(a) => std::net::TcpListener::bind(a).map_err(|e| {
                    let hint = match e.kind() {
                        std::io::ErrorKind::AddrNotAvailable => "the address is not on this machine; run `sudo alicloud-vault metadata setup` once".to_string(),
                        std::io::ErrorKind::PermissionDenied => "port 80 needs privileges: use socket activation (service/), or `sudo sysctl net.ipv4.ip_unprivileged_port_start=80`".to_string(),
                        std::io::ErrorKind::AddrInUse => "another process (another agent?) serves it already; use `alicloud-vault metadata use PROFILE` to change what the agent serves".to_string(),
                        _ => "check [metadata] address".to_string(),
                    };
                    format!("cannot listen on {address}: {e}; {hint}")
                }),
                Err(_) => Err(AgentError::MetadataAddress(address.clone()).to_string()),
            },
        };
        let result = match bound {
            Ok(l) => {
                let local = l.local_addr().map_err(|e| e.to_string())?;
                l.set_nonblocking(true).map_err(|e| e.to_string())?;
                let listener = tokio::net::TcpListener::from_std(l).map_err(|e| e.to_string())?;
                let key: [u8; 32] = rand::random();
                let server = Arc::new(http::HttpServer::new(
                    self.state.clone(),
                    http::Endpoint::Metadata {
                        hardened,
                        token_key: key,
                    },
                    local,
                ));
                tokio::spawn(server.serve(listener));
                Ok(local)
            }
            Err(e) => Err(e),
        };
        let mut m = self.metadata.lock().expect("lock");
        match &result {
            Ok(local) => {
                m.running = true;
                m.error = None;
                m.address = local.to_string();
            }
            Err(e) => m.error = Some(e.clone()),
        }
        result
    }

    /// Serves `profile` on the metadata endpoint, starting the endpoint if needed.
    pub async fn metadata_use(&self, profile: &str) -> Result<(), Failure> {
        let (running, role) = {
            let m = self.metadata.lock().expect("lock");
            (m.running, m.role_name.clone())
        };
        self.state
            .use_for_metadata(profile, role.as_deref())
            .await?;
        if !running {
            self.start_metadata(None)
                .await
                .map_err(|e| Failure::new(ErrorKind::Config, e))?;
        }
        Ok(())
    }

    pub(super) fn status(&self) -> AgentStatus {
        let m = self.metadata.lock().expect("lock");
        let target = self.state.metadata_target();
        AgentStatus {
            version: PROTOCOL_VERSION,
            pid: std::process::id(),
            started: format_alibaba_time(self.started),
            config: self.config_path.clone(),
            backend: self.backend.clone(),
            socket: self
                .socket
                .lock()
                .expect("lock")
                .clone()
                .unwrap_or_default(),
            uri_server: Some(self.uri_addr.to_string()),
            uri_tokens: self.state.tokens.read().expect("lock").len(),
            metadata: Some(MetadataStatus {
                address: m.address.clone(),
                profile: target.as_ref().map(|t| t.profile.clone()),
                role_name: target.as_ref().map(|t| t.role_name.clone()),
                hardened: m.hardened,
                error: if m.running { None } else { m.error.clone() },
            })
            .filter(|s| m.running || s.error.is_some() || s.profile.is_some()),
            sessions: self.state.sessions.status(),
        }
    }
}
