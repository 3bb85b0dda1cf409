//! Credentials URIs with options (`Request::GrantUri`): one that follows an open shell until
//! it exits (`export --format shell-uri`), and one that containers on a bridge network reach
//! (`--container`, the listener of `[agent] container_address`). See docs/usage.md and
//! docs/containers.md; the trust trade-offs are in docs/security.md.

use super::http::{Endpoint, HttpServer};
use super::protocol::{ErrorKind, Response};
use super::state::{Failure, Reach, Wanted};
use super::Endpoints;
use crate::config::container::ContainerSettings;
use crate::platform::process::{is_ancestor, ProcessWatch};
use crate::session::format_alibaba_time;
use std::net::SocketAddr;
use std::sync::Arc;

/// The container listener, once started (it stays for the agent's life).
pub(crate) struct ContainerListener {
    settings: ContainerSettings,
    local: SocketAddr,
}

/// A granted URI.
pub struct Granted {
    pub uri: String,
    pub token: String,
    pub expiration: String,
    pub region: Option<String>,
}

impl Granted {
    pub fn into_response(self) -> Response {
        Response::Uri {
            uri: self.uri,
            token: self.token,
            expiration: self.expiration,
            region: self.region,
        }
    }
}

/// What [`Endpoints::grant`] is asked for.
pub struct GrantOptions {
    /// The process the URI follows; `None`: the caller revokes it (or its connection closes).
    pub watch_pid: Option<u32>,
    pub container: bool,
}

impl Endpoints {
    /// Grants a URI as `options` say.
    pub async fn grant(
        &self,
        wanted: &Wanted,
        requester: Option<u32>,
        options: GrantOptions,
    ) -> Result<Granted, Failure> {
        // The watch first: a shell that is not there (or not the requester's) fails before a
        // session is minted.
        let watch = match options.watch_pid {
            Some(pid) => Some(watch_shell(pid, requester)?),
            None => None,
        };
        let base = if options.container {
            Some(self.container_listener().await?)
        } else {
            None
        };
        let reach = Reach {
            container: options.container,
            shell: watch.is_some(),
        };
        let owner = options.watch_pid.or(requester);
        let (token, served) = self.state.grant_uri_for(wanted, owner, reach).await?;
        if let Some(watch) = watch {
            let state = self.state.clone();
            let token = token.clone();
            let pid = options.watch_pid.unwrap_or_default();
            tokio::spawn(async move {
                watch.exited().await;
                if state.revoke_uri(&token) {
                    crate::agent_log!(
                        "the shell (pid {pid}) exited; its credentials URI is revoked"
                    );
                }
            });
        }
        let uri = match base {
            Some(local) => format!("http://{local}/{token}/credentials"),
            None => self.uri_for(&token),
        };
        Ok(Granted {
            uri,
            token,
            expiration: format_alibaba_time(served.session.expiration),
            region: self.region_of(wanted),
        })
    }

    /// The region of the profile `wanted` names, for the child's region variables.
    pub fn region_of(&self, wanted: &Wanted) -> Option<String> {
        let config = self.state.config.load().ok()?;
        crate::credentials::plan::Plan::build(&config, wanted.profile.as_str(), &Default::default())
            .ok()?
            .region
    }

    /// The container listener's address, started on first use from `[agent]
    /// container_address` and `container_subnets`.
    async fn container_listener(&self) -> Result<SocketAddr, Failure> {
        let config = self.state.config.load()?;
        let Some(settings) = config.agent.container.clone() else {
            return Err(Failure::new(
                ErrorKind::Config,
                format!("--container needs a listener for containers: set container_address (the bridge's address, like \"172.17.0.1:9911\") and container_subnets (like [\"172.17.0.0/16\"]) in [agent] of {} (docs/containers.md)", config.file.display()),
            ));
        };
        let mut running = self.container.lock().await;
        if let Some(l) = running.as_ref() {
            if l.settings == settings {
                return Ok(l.local);
            }
            return Err(Failure::new(
                ErrorKind::Config,
                format!("the agent listens for containers on {} as [agent] said when it started; the settings changed since: restart the agent (`alicloud-vault agent stop`) to use the new ones", l.local),
            ));
        }
        let listener = std::net::TcpListener::bind(settings.address)
            .and_then(|l| l.set_nonblocking(true).map(|()| l))
            .map_err(|e| {
                let hint = match e.kind() {
                    std::io::ErrorKind::AddrNotAvailable => "the address is on no interface of this machine (is the bridge up? `ip addr` lists the addresses; docker0 appears once Docker runs)",
                    std::io::ErrorKind::AddrInUse => "another process listens there",
                    _ => "check container_address in [agent]",
                };
                Failure::new(ErrorKind::Config, format!("cannot listen for containers on {}: {e}; {hint}", settings.address))
            })?;
        let local = listener
            .local_addr()
            .map_err(|e| Failure::new(ErrorKind::Config, e.to_string()))?;
        let listener = tokio::net::TcpListener::from_std(listener)
            .map_err(|e| Failure::new(ErrorKind::Config, e.to_string()))?;
        let server = Arc::new(
            HttpServer::new(self.state.clone(), Endpoint::CredentialsUri, local)
                .for_containers(settings.subnets.clone()),
        );
        tokio::spawn(server.serve(listener));
        crate::agent_log!(
            "credentials URI server for containers on {local}, for peers from {}",
            settings
                .subnets
                .iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
        *running = Some(ContainerListener { settings, local });
        Ok(local)
    }
}

/// Starts following the shell `pid`, which must be the requester or one of its ancestors (so
/// that a mistyped pid fails, and the watch is known to be on the right process: the check
/// comes after the watch is made, while the requester, and so its ancestors, are alive).
fn watch_shell(pid: u32, requester: Option<u32>) -> Result<ProcessWatch, Failure> {
    let watch = ProcessWatch::new(pid).map_err(|e| {
        Failure::new(
            ErrorKind::Usage,
            format!("cannot follow the shell (pid {pid}): {e}; pass the shell's own pid: --shell-pid $$ in bash and zsh, --shell-pid $fish_pid in fish"),
        )
    })?;
    if let Some(requester) = requester {
        if is_ancestor(pid, requester) == Some(false) {
            return Err(Failure::new(
                ErrorKind::Usage,
                format!("process {pid} is not the shell this command runs in (nor one of its ancestors); pass the shell's own pid: --shell-pid $$ in bash and zsh, --shell-pid $fish_pid in fish"),
            ));
        }
    }
    Ok(watch)
}
