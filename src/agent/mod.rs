//! The agent: a long-running process that holds sessions in memory, refreshes them ahead of
//! expiry, and hands them out over a control socket (to `exec`/`export`), a credentials URI
//! (`exec --server`) and the ECS metadata emulation (docs/agent.md).
//!
//! The same [`Agent`] also runs inside `exec --server` / `exec --ecs-server` when no agent is
//! running, for the life of the child: one code path for both.
//!
//! Layout: `protocol` (control messages), `socket` (paths, peer credentials), `client` (the
//! CLI side), `state` (sessions, single flight, backoff), `http` (both HTTP endpoints), `peer`
//! (who is on the other end of a TCP connection), `audit` (the audit log), `child` (running a
//! child for the server modes).

pub mod audit;
#[cfg(unix)]
pub mod child;
#[cfg(windows)]
#[path = "child_windows.rs"]
pub mod child;
pub mod client;
pub mod grant;
pub mod http;
pub mod launch;
pub mod peer;
pub mod protocol;
#[cfg(unix)]
pub mod socket;
#[cfg(windows)]
#[path = "socket_windows.rs"]
pub mod socket;
pub mod state;
pub mod transport;

pub use transport::{inherited_listeners, Inherited};

use crate::config::{
    validate_profile_name, AgentSettings, MetadataSettings, MAX_SESSION, MIN_SESSION,
};
use crate::keystore::items::Vault;
use crate::session::format_alibaba_time;
use audit::{AuditLog, Channel};
use protocol::{
    AgentStatus, ErrorKind, MetadataStatus, Request, Response, WireCredentials, MAX_LINE,
    PROTOCOL_VERSION,
};
use state::{AgentState, ConfigSource, Failure, Wanted};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

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
    #[error("the metadata address `{0}` is not an IP address with a port, like 100.100.100.200:80; fix `address` in [metadata]")]
    MetadataAddress(String),
}

/// How to start an [`Agent`].
pub struct AgentOptions {
    pub vault: Vault,
    /// The configuration file the agent serves (reloaded on every control request).
    pub config_path: PathBuf,
    pub margin: Duration,
    pub metadata: MetadataSettings,
    pub audit: Option<AuditLog>,
    /// `[agent]`: lock and exit timeouts.
    pub settings: AgentSettings,
}

/// The shared services: state, the URI server's address, the metadata endpoint.
pub struct Services {
    pub state: Arc<AgentState>,
    pub uri_addr: SocketAddr,
    pub config_path: PathBuf,
    pub backend: String,
    pub started: time::OffsetDateTime,
    pub socket: Mutex<Option<PathBuf>>,
    metadata: Mutex<MetadataService>,
    stop: tokio::sync::Notify,
    /// Unix time of the last control request (or of the start).
    last_request: std::sync::atomic::AtomicI64,
    /// The credentials URI server for containers, once started (`grant`).
    container: tokio::sync::Mutex<Option<grant::ContainerListener>>,
}

struct MetadataService {
    address: String,
    hardened: bool,
    role_name: Option<String>,
    running: bool,
    error: Option<String>,
}

/// A running agent: a small runtime (two worker threads) and the services on it.
pub struct Agent {
    runtime: tokio::runtime::Runtime,
    pub services: Arc<Services>,
}

impl Agent {
    /// Starts the runtime, the session refresher and the credentials URI server on
    /// `127.0.0.1:<free port>`. Call it from a thread that is not a runtime thread.
    pub fn start(opts: AgentOptions) -> Result<Agent, AgentError> {
        bound_heap();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("agent")
            .enable_all()
            .build()
            .map_err(AgentError::Runtime)?;
        let backend = opts.vault.store().kind().to_string();
        let uri_listener =
            std::net::TcpListener::bind("127.0.0.1:0").map_err(|source| AgentError::Listen {
                what: "127.0.0.1 for the credentials URI".into(),
                source,
            })?;
        let uri_addr = uri_listener
            .local_addr()
            .map_err(|source| AgentError::Listen {
                what: "127.0.0.1".into(),
                source,
            })?;
        let state = Arc::new(AgentState::new(
            Arc::new(opts.vault),
            ConfigSource {
                path: opts.config_path.clone(),
            },
            opts.margin,
            opts.audit,
        ));
        let services = Arc::new(Services {
            state: state.clone(),
            uri_addr,
            config_path: opts.config_path,
            backend,
            started: time::OffsetDateTime::now_utc(),
            socket: Mutex::new(None),
            metadata: Mutex::new(MetadataService {
                address: opts
                    .metadata
                    .address
                    .clone()
                    .unwrap_or_else(|| DEFAULT_METADATA_ADDRESS.to_string()),
                hardened: opts.metadata.hardened,
                role_name: opts.metadata.role_name.clone(),
                running: false,
                error: None,
            }),
            stop: tokio::sync::Notify::new(),
            last_request: std::sync::atomic::AtomicI64::new(state::unix_now()),
            container: tokio::sync::Mutex::new(None),
        });
        runtime.block_on(async {
            uri_listener
                .set_nonblocking(true)
                .map_err(AgentError::Runtime)?;
            let listener =
                tokio::net::TcpListener::from_std(uri_listener).map_err(AgentError::Runtime)?;
            let server = Arc::new(http::HttpServer::new(
                state.clone(),
                http::Endpoint::CredentialsUri,
                uri_addr,
            ));
            tokio::spawn(server.serve(listener));
            let sessions = state.sessions.clone();
            let lock_after = opts.settings.lock_after;
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(Duration::from_secs(1));
                tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                loop {
                    tick.tick().await;
                    sessions.tick();
                    if sessions.blocking().lock_if_idle(lock_after, state::unix_now()) {
                        eprintln!("alicloud-vault agent: keystore locked (not used for {}; [agent] lock_after)", crate::config::format_duration(lock_after));
                    }
                    audit::refusals_tick();
                    // Memory freed after a burst of connections goes back to the system. Not
                    // on a timer: under steady load that only makes the heap shrink and
                    // regrow (keystore work trims after itself).
                    if http::burst_ended() {
                        trim_heap();
                    }
                }
            });
            Ok::<_, AgentError>(())
        })?;
        Ok(Agent { runtime, services })
    }

    /// Runs a future on the agent's runtime from a plain thread.
    pub fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        self.runtime.block_on(f)
    }

    /// `http://127.0.0.1:PORT/<token>/credentials` for `wanted`, valid until revoked.
    pub fn grant_uri(&self, wanted: &Wanted) -> Result<(String, String), Failure> {
        let (token, _) = self.block_on(
            self.services
                .state
                .grant_uri(wanted, Some(std::process::id())),
        )?;
        Ok((self.services.uri_for(&token), token))
    }
}

impl Services {
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

    fn status(&self) -> AgentStatus {
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

    /// Serves one control connection; URIs granted on it are revoked when it closes.
    /// `peer` has been checked by the transport: it is our own user.
    async fn control_connection(self: Arc<Self>, stream: transport::Stream, peer: socket::Peer) {
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
                eprintln!("alicloud-vault agent: a control request was longer than {MAX_LINE} bytes; closing the connection");
                break;
            }
            let mut stop = false;
            let response = match serde_json::from_slice::<Request>(&buf) {
                Ok(req) => {
                    stop = matches!(req, Request::Stop);
                    // Looking at the agent (hello, status, log) is not using it.
                    if !matches!(req, Request::Hello { .. } | Request::Status | Request::FlushAudit) {
                        self.last_request
                            .store(state::unix_now(), std::sync::atomic::Ordering::Relaxed);
                    }
                    self.answer(req, peer, &mut granted).await
                }
                Err(e) => Response::Error {
                    kind: ErrorKind::Usage,
                    message: format!("not a request this agent understands (line {} column {}); is the CLI another version? Restart the agent", e.line(), e.column()),
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
                self.stop.notify_one();
                break;
            }
            if written.is_err() {
                break;
            }
        }
        zeroize::Zeroize::zeroize(&mut buf);
        for token in granted {
            self.state.revoke_uri(&token);
        }
    }

    /// Resolves once no request came for `exit_after` and no URI or metadata endpoint relies
    /// on a session (`[agent] exit_after`).
    async fn idle_exit(self: Arc<Self>, exit_after: Duration) {
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        loop {
            tick.tick().await;
            let (last_session, pinned) = self.state.sessions.last_activity();
            let last =
                last_session.max(self.last_request.load(std::sync::atomic::Ordering::Relaxed));
            let metadata_on = self.metadata.lock().expect("lock").running;
            if !pinned && !metadata_on && state::unix_now() - last >= exit_after.as_secs() as i64 {
                return;
            }
        }
    }

    async fn answer(
        &self,
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
            } => Response::Hello {
                version: PROTOCOL_VERSION,
                pid: std::process::id(),
                compatible: version == PROTOCOL_VERSION
                    && same_file(&config, &self.config_path)
                    && backend.as_deref().is_none_or(|b| b == self.backend),
                config: self.config_path.clone(),
                backend: self.backend.clone(),
            },
            Request::Credentials {
                profile,
                duration_secs,
                no_session,
            } => {
                let wanted = match wanted(profile, duration_secs) {
                    Ok(w) => w,
                    Err(f) => return err(f),
                };
                match self.state.credentials(&wanted, no_session).await {
                    Ok((issued, region)) => {
                        if let Some(log) = &self.state.audit {
                            let who = audit::Client {
                                pid: peer.pid,
                                ..Default::default()
                            };
                            log.record(&wanted.profile, Channel::Exec, issued.access_key_id(), who);
                        }
                        Response::Credentials(WireCredentials::from_issued(&issued, region))
                    }
                    Err(f) => err(f),
                }
            }
            Request::ServeUri {
                profile,
                duration_secs,
            } => {
                let wanted = match wanted(profile, duration_secs) {
                    Ok(w) => w,
                    Err(f) => return err(f),
                };
                match self.state.grant_uri(&wanted, peer.pid).await {
                    Ok((token, served)) => {
                        granted.push(token.clone());
                        Response::Uri {
                            uri: self.uri_for(&token),
                            token,
                            expiration: format_alibaba_time(served.session.expiration),
                            region: self.region_of(&wanted),
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
                let options = grant::GrantOptions {
                    watch_pid,
                    container,
                };
                match self.grant(&wanted, peer.pid, options).await {
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
                self.state.revoke_uri(&token);
                Response::Ok
            }
            Request::MetadataUse { profile } => {
                if let Err(e) = validate_profile_name(&profile) {
                    return err(Failure::new(ErrorKind::Usage, e.to_string()));
                }
                match self.metadata_use(&profile).await {
                    Ok(()) => Response::Ok,
                    Err(f) => err(f),
                }
            }
            Request::Forget {
                selector,
                revoke_shell_uris,
            } => {
                if revoke_shell_uris {
                    self.state.revoke_shell_uris(&selector);
                }
                match self.state.forget(selector).await {
                    Ok(sessions) => Response::Forgotten { sessions },
                    Err(f) => err(f),
                }
            }
            Request::Status => Response::Status(self.status()),
            Request::FlushAudit => {
                if let Some(log) = &self.state.audit {
                    let log = log.clone();
                    let _ = tokio::task::spawn_blocking(move || log.flush(Duration::from_secs(5)))
                        .await;
                }
                Response::Ok
            }
            // Acted on by `control_connection`, on this connection only.
            Request::Stop => Response::Ok,
        }
    }
}

/// How long a stop waits for its reply to reach the client before the agent stops anyway.
const STOP_REPLY_WAIT: Duration = Duration::from_secs(1);

fn same_file(a: &Path, b: &Path) -> bool {
    a == b
        || matches!((std::fs::canonicalize(a), std::fs::canonicalize(b)), (Ok(x), Ok(y)) if x == y)
}

fn wanted(profile: String, duration_secs: Option<u64>) -> Result<Wanted, Failure> {
    validate_profile_name(&profile).map_err(|e| Failure::new(ErrorKind::Usage, e.to_string()))?;
    let duration = duration_secs.map(Duration::from_secs);
    if let Some(d) = duration {
        if !(MIN_SESSION..=MAX_SESSION).contains(&d) {
            return Err(Failure::new(
                ErrorKind::Usage,
                "the session duration must be from 15m (900s) to 12h (43200s)",
            ));
        }
    }
    Ok(Wanted { profile, duration })
}

/// `agent run`: serves until stopped (SIGTERM, SIGINT or `agent stop`).
pub fn run(opts: AgentOptions, inherited: Inherited) -> Result<(), AgentError> {
    let ready = launch::take_ready_report();
    let metadata_profile = opts.metadata.profile.clone();
    let settings = opts.settings.clone();
    let config_path = opts.config_path.clone();
    // One agent per user and runtime directory: the lock comes before anything is bound or
    // unlinked, and is held until this function returns.
    #[cfg(unix)]
    let _lock = {
        let dir = socket::runtime_dir();
        socket::prepare_private_dir(&dir)?;
        match socket::lock_agent(&dir)? {
            Ok(lock) => lock,
            Err(holder) => {
                return Err(AgentError::Locked {
                    pid: holder.pid,
                    dir,
                })
            }
        }
    };
    let (listener, socket_path, owned) = transport::listen(inherited.control, &config_path)?;
    // Not in `Agent::start`: `exec --server` runs one too, and its child should get the
    // user's own limit.
    #[cfg(unix)]
    raise_descriptor_limit();
    let agent = Agent::start(opts)?;
    crate::hardening::deny_debugger();
    *agent.services.socket.lock().expect("lock") = Some(socket_path.clone());
    let services = agent.services.clone();
    eprintln!(
        "alicloud-vault agent: pid {} serving {} (backend {}); control socket {}; credentials URI server on {}",
        std::process::id(),
        services.config_path.display(),
        services.backend,
        socket_path.display(),
        services.uri_addr
    );
    let result = agent.block_on(async {
        if inherited.metadata.is_some() || metadata_profile.is_some() {
            match services.start_metadata(inherited.metadata).await {
                Ok(addr) => eprintln!("alicloud-vault agent: metadata endpoint on {addr}"),
                Err(e) => eprintln!("alicloud-vault agent: metadata endpoint not started: {e}"),
            }
            if let Some(p) = &metadata_profile {
                let role = services.metadata.lock().expect("lock").role_name.clone();
                match services.state.serve_metadata_profile(p, role.as_deref()).await {
                    Ok((t, None)) => eprintln!("alicloud-vault agent: metadata endpoint serves profile {} as role {}", t.profile, t.role_name),
                    Ok((t, Some(f))) => eprintln!("alicloud-vault agent: metadata endpoint serves profile {} as role {}; its first session failed ({}), it is tried again on the next request", t.profile, t.role_name, f.message),
                    Err(f) => eprintln!("alicloud-vault agent: metadata endpoint cannot serve profile {p}: {}", f.message),
                }
            }
        }
        let control = services.clone();
        let accept = transport::serve(listener, move |stream, peer| {
            tokio::spawn(control.clone().control_connection(stream, peer));
        })
        .map_err(AgentError::Runtime)?;
        tokio::spawn(accept);
        let mut stop = transport::StopSignals::new().map_err(AgentError::Runtime)?;
        if let Some(r) = ready {
            r.send();
        }
        tokio::select! {
            _ = services.clone().idle_exit(settings.exit_after) => eprintln!(
                "alicloud-vault agent: stopping (no request for {}; [agent] exit_after)",
                crate::config::format_duration(settings.exit_after)
            ),
            name = stop.recv() => eprintln!("alicloud-vault agent: stopping ({name})"),
            _ = services.stop.notified() => eprintln!("alicloud-vault agent: stopping (agent stop)"),
        }
        Ok::<_, AgentError>(())
    });
    if owned {
        let _ = std::fs::remove_file(&socket_path);
    }
    drop(agent);
    result
}

/// Keeps a long-running agent small. Keystore work runs on short-lived threads, and the file
/// backend's Argon2id needs 64 MiB for a moment: by default glibc would raise its mmap threshold
/// to that size and keep such buffers in per-thread arenas, so the agent would stay as large as
/// its largest past allocation. A fixed threshold maps large buffers and unmaps them on free;
/// two arenas bound the rest. (docs/performance.md: resident memory.)
fn bound_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator parameters; called before the agent's threads start.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// Raises the soft limit of open descriptors to the hard one: every HTTP connection holds
/// one, and the servers cap their connections below the soft limit (`http::connection_limit`).
#[cfg(unix)]
fn raise_descriptor_limit() {
    use nix::sys::resource::{getrlimit, setrlimit, Resource};
    if let Ok((soft, hard)) = getrlimit(Resource::RLIMIT_NOFILE) {
        if soft < hard {
            let _ = setrlimit(Resource::RLIMIT_NOFILE, hard, hard);
        }
    }
}

/// Returns freed heap memory to the system (after keystore work and bursts of connections).
pub(crate) fn trim_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory; it is thread-safe.
    unsafe {
        libc::malloc_trim(0);
    }
}
