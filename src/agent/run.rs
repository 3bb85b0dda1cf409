//! Starting the agent: its runtime, the credentials URI server and the housekeeping tick
//! ([`Agent::start`], also used by `exec --server`), and `agent run`, which adds the lock, the
//! control socket, the metadata endpoint and waits for a reason to stop ([`run`]).

use super::endpoints::{Endpoints, MetadataEndpoint};
use super::state::{self, AgentState, ConfigSource, Failure, Wanted};
use super::{audit, control, http, launch, memory, signals, transport};
use super::{AgentError, Inherited, DEFAULT_METADATA_ADDRESS};
use crate::aliyun::http::HttpPool;
use crate::config::{AgentSettings, MetadataSettings};
use crate::credentials::resolve::Resolver;
use crate::keystore::access::KeystoreAccess;
use crate::keystore::items::Vault;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// How to start an [`Agent`].
pub struct AgentOptions {
    pub vault: Vault,
    /// The configuration file the agent serves (reloaded on every control request).
    pub config_path: PathBuf,
    pub margin: Duration,
    pub metadata: MetadataSettings,
    pub audit: Option<audit::AuditLog>,
    /// `[agent]`: lock and exit timeouts.
    pub settings: AgentSettings,
}

/// A running agent: a small runtime (two worker threads) and the endpoints on it.
pub struct Agent {
    runtime: tokio::runtime::Runtime,
    pub endpoints: Arc<Endpoints>,
}

impl Agent {
    /// Starts the runtime, the session refresher and the credentials URI server on
    /// `127.0.0.1:<free port>`. Call it from a thread that is not a runtime thread.
    pub fn start(opts: AgentOptions) -> Result<Agent, AgentError> {
        memory::bound_heap();
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
        // One resolver on this runtime: keystore calls on its blocking pool, every STS,
        // CloudSSO and OAuth call over one connection pool.
        let keystore = KeystoreAccess::new(Arc::new(opts.vault)).after_each(memory::trim_heap);
        let resolver = Resolver::new(keystore, HttpPool::new()?, opts.margin);
        let state = Arc::new(AgentState::new(
            resolver,
            ConfigSource::new(opts.config_path.clone()),
            opts.margin,
            opts.audit,
        ));
        let endpoints = Arc::new(Endpoints::new(
            state.clone(),
            uri_addr,
            opts.config_path,
            backend,
            MetadataEndpoint {
                address: opts
                    .metadata
                    .address
                    .clone()
                    .unwrap_or_else(|| DEFAULT_METADATA_ADDRESS.to_string()),
                hardened: opts.metadata.hardened,
                role_name: opts.metadata.role_name.clone(),
                running: false,
                error: None,
            },
        ));
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
            tokio::spawn(housekeeping(endpoints.clone(), opts.settings.lock_after));
            Ok::<_, AgentError>(())
        })?;
        Ok(Agent { runtime, endpoints })
    }

    /// Runs a future on the agent's runtime from a plain thread.
    pub fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        self.runtime.block_on(f)
    }

    /// `http://127.0.0.1:PORT/<token>/credentials` for `wanted`, valid until revoked.
    pub fn grant_uri(&self, wanted: &Wanted) -> Result<(String, String), Failure> {
        let (token, _) = self.block_on(
            self.endpoints
                .state
                .grant_uri(wanted, Some(std::process::id())),
        )?;
        Ok((self.endpoints.uri_for(&token), token))
    }
}

/// Once a second: refreshes sessions ahead of expiry and forgets unused ones, locks an idle
/// keystore (`[agent] lock_after`), reports refusals, and trims the heap after a burst.
/// Ends when the agent stops.
async fn housekeeping(endpoints: Arc<Endpoints>, lock_after: Duration) {
    let sessions = &endpoints.state.sessions;
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = endpoints.stop.stopped() => return,
        }
        sessions.tick();
        if sessions
            .keystore()
            .lock_if_idle(lock_after, state::unix_now())
        {
            crate::agent_log!(
                "keystore locked (not used for {}; [agent] lock_after)",
                crate::config::format_duration(lock_after)
            );
        }
        audit::refusals_tick();
        // Memory freed after a burst of connections goes back to the system. Not on a timer:
        // under steady load that only makes the heap shrink and regrow (keystore work trims
        // after itself).
        if http::burst_ended() {
            memory::trim_heap();
        }
    }
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
        use super::socket;
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
    *agent.endpoints.socket.lock().expect("lock") = Some(socket_path.clone());
    let endpoints = agent.endpoints.clone();
    crate::agent_log!(
        "pid {} serving {} (backend {}); control socket {}; credentials URI server on {}",
        std::process::id(),
        endpoints.config_path.display(),
        endpoints.backend,
        socket_path.display(),
        endpoints.uri_addr
    );
    let result = agent.block_on(async {
        if inherited.metadata.is_some() || metadata_profile.is_some() {
            metadata_at_start(&endpoints, inherited.metadata, metadata_profile.as_deref()).await;
        }
        let shared = endpoints.clone();
        let accept = transport::serve(listener, move |stream, peer| {
            tokio::spawn(control::serve(shared.clone(), stream, peer));
        })
        .map_err(AgentError::Runtime)?;
        tokio::spawn(accept);
        let stop = transport::StopSignals::new().map_err(AgentError::Runtime)?;
        if let Some(r) = ready {
            r.send();
        }
        signals::until_stopped(endpoints.clone(), stop, settings.exit_after).await;
        Ok::<_, AgentError>(())
    });
    if owned {
        let _ = std::fs::remove_file(&socket_path);
    }
    drop(agent);
    result
}

/// The metadata endpoint at start: on the listener a service manager handed over (socket
/// activation), else on the configured address, serving `[metadata] profile` if set.
/// Failures are reported and the agent runs on: `metadata use` can start it later.
async fn metadata_at_start(
    endpoints: &Endpoints,
    inherited: Option<std::net::TcpListener>,
    profile: Option<&str>,
) {
    match endpoints.start_metadata(inherited).await {
        Ok(addr) => crate::agent_log!("metadata endpoint on {addr}"),
        Err(e) => crate::agent_log!("metadata endpoint not started: {e}"),
    }
    if let Some(p) = profile {
        let role = endpoints.metadata.lock().expect("lock").role_name.clone();
        match endpoints.state.serve_metadata_profile(p, role.as_deref()).await {
            Ok((t, None)) => crate::agent_log!("metadata endpoint serves profile {} as role {}", t.profile, t.role_name),
            Ok((t, Some(f))) => crate::agent_log!("metadata endpoint serves profile {} as role {}; its first session failed ({}), it is tried again on the next request", t.profile, t.role_name, f.message),
            Err(f) => crate::agent_log!("metadata endpoint cannot serve profile {p}: {}", f.message),
        }
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
