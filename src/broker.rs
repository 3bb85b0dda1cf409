//! The one way commands get and drop credentials. While a compatible agent runs it owns the
//! sessions: credentials come from it, and a change of a source (`clear`, `remove`, `add`,
//! `rotate`, `sso logout`, `oauth logout`) is sent to it so that no channel serves a session of the old
//! source. Without an agent the keystore cache and STS are used directly. See
//! docs/architecture.md.

use crate::agent::client::{agent_allowed, AgentClient, ClientError};
use crate::agent::protocol::{self, Response};
use crate::aliyun::rpc::RemoteError;
use crate::config::{Config, ConfigError, ProfileName, RegionId, SessionDuration};
use crate::credentials::forget::{self, Selector};
use crate::credentials::plan::{Plan, PlanOptions};
use crate::credentials::resolve::CredentialsError;
use crate::credentials::resolve::{Resolver, DEFAULT_REFRESH_MARGIN};
use crate::keystore::items::Vault;
use crate::session::Issued;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Credentials for a profile, with the region the program should see.
pub struct Resolved {
    pub issued: Issued,
    pub region: Option<String>,
    /// True for a profile's long-term key (a profile without a role).
    pub long_term: bool,
}

/// What a command asks the broker for: a profile's credentials, built by the command from its
/// (already checked) arguments.
#[derive(Debug, Clone)]
pub struct Request {
    pub profile: ProfileName,
    /// The session length; `None` for the profile's `duration`, else one hour.
    pub duration: Option<SessionDuration>,
    /// Hand out the long-term key of a profile without a role, and refuse one with a role.
    pub no_session: bool,
    /// Overrides the profile's region.
    pub region: Option<RegionId>,
    /// Neither ask nor start the agent (`exec --no-agent`).
    pub no_agent: bool,
}

impl Request {
    /// The profile's credentials as its configuration says, through the agent if one runs.
    pub fn new(profile: ProfileName) -> Request {
        Request {
            profile,
            duration: None,
            no_session: false,
            region: None,
            no_agent: false,
        }
    }
}

/// How the CLI reaches sessions: the agent when a compatible one answers, else the keystore.
pub struct Broker<'a> {
    config: &'a Config,
    config_file: PathBuf,
    backend: Option<String>,
    autostart: bool,
}

/// The agent's answer to a request that came with the hello.
type Early = Box<Result<Response, ClientError>>;

/// What answers on the control socket.
enum FoundAgent {
    /// A compatible agent: ask it. With the answer to a request sent along with the hello,
    /// when the agent gave one.
    Serving(AgentClient, Option<Early>),
    /// An agent that cannot serve this configuration, backend or protocol version (`pid` 0
    /// when it did not say), or a socket that is unusable: work without it, start none.
    Other { pid: u32 },
    /// Nobody (or the agent is turned off by `ALICLOUD_VAULT_NO_AGENT`).
    None,
}

/// Overrides `[agent] autostart` for one command or shell: `0` never starts the agent, `1`
/// does.
pub const AUTOSTART_VAR: &str = "ALICLOUD_VAULT_AUTOSTART";

impl<'a> Broker<'a> {
    /// `config_file` is the configuration file in use (made absolute here: the agent compares
    /// it with its own); `backend` the one asked for, if any.
    pub fn new(config: &'a Config, config_file: &Path, backend: Option<String>) -> Broker<'a> {
        Broker {
            config,
            config_file: std::path::absolute(config_file).unwrap_or(config_file.to_path_buf()),
            backend,
            autostart: false,
        }
    }

    /// Lets [`Broker::credentials`] start the agent when none answers, as `[agent] autostart`
    /// and [`AUTOSTART_VAR`] allow (`exec`, `export` and `login` do; `exec --no-agent` does not).
    pub fn with_autostart(mut self, wanted: bool) -> Self {
        self.autostart = wanted
            && match std::env::var(AUTOSTART_VAR).as_deref() {
                Ok("0") => false,
                Ok("1") => true,
                _ => self.config.agent.autostart,
            };
        self
    }

    /// Whether a detached agent could open the keystore by itself: the file backend needs its
    /// passphrase from the environment, as nobody is there to type it.
    fn agent_could_unlock(&self) -> bool {
        let file = match self.backend.as_deref() {
            Some(b) => b == "file",
            // Without a D-Bus session the platform default on Linux is the file backend.
            None => {
                cfg!(target_os = "linux")
                    && std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none_or(|v| v.is_empty())
            }
        };
        !file
            || std::env::var_os(crate::keystore::file::PASSPHRASE_ENV)
                .is_some_and(|v| !v.is_empty())
    }

    /// The running agent, or one started now when autostart is on and none answers; with
    /// the answer to `then` when the running agent gave it along with its hello.
    fn agent_or_start(&self, then: &protocol::Request) -> Option<(AgentClient, Option<Early>)> {
        match self.find_agent(Some(then)) {
            FoundAgent::Serving(c, early) => return Some((c, early)),
            FoundAgent::Other { .. } => return None,
            FoundAgent::None => {}
        }
        if !(self.autostart && agent_allowed() && self.agent_could_unlock()) {
            return None;
        }
        match crate::agent::launch::launch(&self.config_file, self.backend.as_deref()) {
            Ok(pid) => crate::debug!("started the agent (pid {pid})"),
            // Another command may have started one at the same moment: try it.
            Err(e) => crate::debug!("could not start the agent: {e}"),
        }
        self.agent().map(|c| (c, None))
    }

    /// The agent, for what only it can do (an open shell's URI, which must outlive this
    /// command): the running one, or one started now when autostart allows; else an error
    /// that says how to get one.
    pub fn required_agent(&self, what: &str) -> Result<AgentClient, ClientError> {
        let needs =
            |why: String| ClientError::Required(format!("{what} needs the agent, and {why}"));
        match self.find_agent(None) {
            FoundAgent::Serving(c, _) => return Ok(c),
            FoundAgent::Other { pid } if pid != 0 => return Err(needs(format!("the one running (pid {pid}) serves another configuration, backend or version; restart it with `alicloud-vault agent stop` and `alicloud-vault agent start`"))),
            FoundAgent::Other { .. } => return Err(needs("the control socket does not answer as an agent; check `alicloud-vault agent status`".into())),
            FoundAgent::None => {}
        }
        if !agent_allowed() {
            return Err(needs(format!(
                "{} turns it off",
                crate::agent::client::NO_AGENT_VAR
            )));
        }
        if !self.autostart {
            return Err(needs(format!("none runs; autostart is off ([agent] autostart = false, or {AUTOSTART_VAR}=0): start it with `alicloud-vault agent start`")));
        }
        if !self.agent_could_unlock() {
            return Err(needs(format!("none runs; one started in the background cannot open the file backend without {}: set it, then run the command again", crate::keystore::file::PASSPHRASE_ENV)));
        }
        if let Err(e) = crate::agent::launch::launch(&self.config_file, self.backend.as_deref()) {
            // Another command may have started one at the same moment: try it.
            crate::debug!("could not start the agent: {e}");
        }
        self.agent().ok_or_else(|| {
            needs(format!(
                "it did not start; its log is {}",
                crate::dirs::agent_log().display()
            ))
        })
    }

    pub fn config_file(&self) -> &Path {
        &self.config_file
    }

    /// A running agent that serves this configuration and backend, or `None`. An agent that
    /// cannot be used is reported once on stderr.
    pub fn agent(&self) -> Option<AgentClient> {
        match self.find_agent(None) {
            FoundAgent::Serving(c, _) => Some(c),
            _ => None,
        }
    }

    /// Asks the control socket who is there, with one connection; `then` goes along with the
    /// hello (one round trip for `exec`).
    fn find_agent(&self, then: Option<&protocol::Request>) -> FoundAgent {
        if !agent_allowed() {
            return FoundAgent::None;
        }
        let backend = self.backend.as_deref();
        let found = match then {
            Some(then) => AgentClient::connect_asking(&self.config_file, backend, then),
            None => AgentClient::connect(&self.config_file, backend).map(|c| (c, None)),
        };
        match found {
            Ok((c, early)) if c.compatible => {
                crate::debug!("using the agent (pid {})", c.pid);
                FoundAgent::Serving(c, early.map(Box::new))
            }
            Ok((c, _)) => {
                crate::debug!(
                    "the agent (pid {}) serves {} with backend {}; working without it",
                    c.pid,
                    c.config.display(),
                    c.backend
                );
                FoundAgent::Other { pid: c.pid }
            }
            Err(ClientError::NotRunning(_)) => FoundAgent::None,
            Err(e) => {
                crate::warn!("{e}; working without the agent");
                FoundAgent::Other { pid: 0 }
            }
        }
    }

    /// Credentials for `exec`, `export` and `login`: from the agent, or resolved here with
    /// the keystore cache and STS. A profile without a role hands out its long-term key, with
    /// one notice unless `no_session` asked for exactly that.
    pub fn credentials(
        &self,
        req: &Request,
        vault: impl FnOnce() -> anyhow::Result<Vault>,
    ) -> anyhow::Result<Resolved> {
        let resolved = self.resolve(req, vault)?;
        if resolved.long_term && !req.no_session {
            crate::note!(
                "profile {} has no role_arn, so it has no STS session: handing out its long-term key (--no-session silences this notice)",
                req.profile
            );
        }
        Ok(resolved)
    }

    fn resolve(
        &self,
        req: &Request,
        vault: impl FnOnce() -> anyhow::Result<Vault>,
    ) -> anyhow::Result<Resolved> {
        if !req.no_agent {
            if let Some(resolved) = self.ask_agent(req)? {
                return Ok(resolved);
            }
        }
        let plan = Plan::build(
            self.config,
            &req.profile,
            &PlanOptions {
                duration: req.duration.map(SessionDuration::get),
            },
        )?;
        let vault = vault()?;
        let issued = Resolver::once(vault, &plan, req.no_session, self.margin())?;
        Ok(Resolved {
            issued,
            region: req.region.clone().map(String::from).or(plan.region.clone()),
            long_term: plan.is_long_term(),
        })
    }

    /// A credentials URI of `profile` that the agent serves until the process `shell_pid`
    /// exits (`export --format shell-uri`), with the profile's region. Needs the agent: one is
    /// started when autostart allows. An agent from before open shells is named, with how to
    /// replace it.
    pub fn open_shell_uri(
        &self,
        profile: &ProfileName,
        duration: Option<SessionDuration>,
        shell_pid: u32,
        container: bool,
    ) -> Result<(String, Option<String>), ClientError> {
        let mut client = self.required_agent("an open shell's credentials URI")?;
        let reply = client.request(&protocol::Request::GrantUri {
            profile: profile.to_string(),
            duration_secs: duration.map(|d| d.as_secs()),
            watch_pid: Some(shell_pid),
            container,
        });
        match reply {
            Ok(Response::Uri { uri, region, .. }) => Ok((uri, region)),
            Ok(_) => Err(ClientError::Protocol("expected a URI".into())),
            // An agent from before open-shell URIs does not know the request.
            Err(ClientError::Refused { message, .. })
                if message.starts_with(protocol::UNKNOWN_REQUEST) =>
            {
                Err(ClientError::Required(format!("the running agent (pid {}) is older than this alicloud-vault and cannot serve an open shell; restart it with `alicloud-vault agent stop` (the next command starts a new one)", client.pid)))
            }
            Err(e) => Err(e),
        }
    }

    fn ask_agent(&self, req: &Request) -> anyhow::Result<Option<Resolved>> {
        let ask = protocol::Request::Credentials {
            profile: req.profile.to_string(),
            duration_secs: req.duration.map(|d| d.as_secs()),
            no_session: req.no_session,
        };
        let Some((mut client, early)) = self.agent_or_start(&ask) else {
            return Ok(None);
        };
        let reply = match early {
            Some(answer) => *answer,
            None => client.request(&ask),
        };
        let wire = match reply {
            Ok(Response::Credentials(w)) => w,
            Ok(_) => return Err(ClientError::Protocol("expected credentials".into()).into()),
            Err(e @ ClientError::Refused { .. }) => return Err(e.into()),
            Err(e) => {
                crate::warn!("{e}; working without the agent");
                return Ok(None);
            }
        };
        let long_term = wire.long_term;
        let agent_region = wire.region.clone();
        let issued = wire
            .into_issued()
            .ok_or_else(|| ClientError::Protocol("incomplete credentials".into()))?;
        Ok(Some(Resolved {
            issued,
            region: req.region.clone().map(String::from).or(agent_region),
            long_term,
        }))
    }

    /// Drops the sessions `selector` names everywhere they are held: the running agent's
    /// memory and the keystore cache. Returns how many distinct sessions were dropped.
    pub fn forget(&self, vault: &Vault, selector: &Selector) -> anyhow::Result<usize> {
        self.forget_sessions(vault, selector, false)
    }

    /// `clear`: [`Broker::forget`], and the running agent also revokes the URIs of open
    /// shells whose profile the selector names.
    pub fn clear(&self, vault: &Vault, selector: &Selector) -> anyhow::Result<usize> {
        self.forget_sessions(vault, selector, true)
    }

    fn forget_sessions(
        &self,
        vault: &Vault,
        selector: &Selector,
        revoke_shell_uris: bool,
    ) -> anyhow::Result<usize> {
        let mut client = match self.find_agent(None) {
            FoundAgent::Serving(c, _) => Some(c),
            FoundAgent::Other { pid } if pid != 0 => {
                crate::warn!("an agent (pid {pid}) of another version, configuration or backend is running and may still hold sessions of its own; restart it with `alicloud-vault agent stop` and `alicloud-vault agent start`");
                None
            }
            _ => None,
        };
        if let Some(client) = client.as_mut() {
            match client.request(&protocol::Request::Forget {
                selector: selector.clone(),
                revoke_shell_uris,
            }) {
                Ok(Response::Forgotten { sessions }) => return Ok(sessions),
                Ok(_) => return Err(ClientError::Protocol("expected forgotten".into()).into()),
                Err(e @ ClientError::Refused { .. }) => return Err(e.into()),
                // The agent went away: nothing of it is left to serve a session.
                Err(e) => crate::debug!("the agent did not answer forget: {e}"),
            }
        }
        Ok(forget::drop_cached(vault, Some(self.config), selector)?.len())
    }

    /// Fails with an unknown-profile error (exit 1, with the nearest name) when `profile` is
    /// configured nowhere and has no stored key. Listing keys needs no passphrase; the keystore
    /// is opened only for a name the configuration does not know.
    pub fn require_known_profile(
        &self,
        profile: &str,
        vault: impl FnOnce() -> anyhow::Result<Vault>,
    ) -> anyhow::Result<()> {
        if self.config.profile(profile).is_some() {
            return Ok(());
        }
        let vault = vault()?;
        if vault.key_is_stored(profile)? {
            return Ok(());
        }
        Err(self
            .config
            .unknown_profile(profile, &vault.profiles_with_keys()?)
            .into())
    }

    /// Says a failure of [`Broker::credentials`] for `profile` better where it can: an
    /// unknown-profile error in place of "no key is stored" when the profile is configured
    /// nowhere and stored nowhere (looked up only after the failure, off the hot path), and,
    /// when STS refused the stored key itself, which profile's key that is and how to replace it.
    pub fn explain_failure(
        &self,
        profile: &str,
        err: anyhow::Error,
        vault: impl FnOnce() -> anyhow::Result<Vault>,
    ) -> anyhow::Error {
        let err = self.unknown_profile_or(profile, err, vault);
        self.with_key_advice(profile, err)
    }

    fn unknown_profile_or(
        &self,
        profile: &str,
        err: anyhow::Error,
        vault: impl FnOnce() -> anyhow::Result<Vault>,
    ) -> anyhow::Error {
        let no_key = err.chain().any(|c| {
            matches!(
                c.downcast_ref::<CredentialsError>(),
                Some(CredentialsError::NoStoredKey { .. })
            ) || matches!(
                c.downcast_ref::<ClientError>(),
                Some(ClientError::Refused { message, .. })
                    if message.starts_with("no key is stored")
            )
        });
        if !no_key {
            return err;
        }
        match self.require_known_profile(profile, vault) {
            Err(unknown) if unknown.is::<ConfigError>() => unknown,
            _ => err,
        }
    }

    fn with_key_advice(&self, profile: &str, err: anyhow::Error) -> anyhow::Error {
        let refused_key = err.chain().any(|c| {
            let remote = c.downcast_ref::<RemoteError>().or_else(|| {
                match c.downcast_ref::<CredentialsError>() {
                    Some(CredentialsError::Remote(r)) => Some(r),
                    _ => None,
                }
            });
            let code = match remote {
                Some(RemoteError::Service { code, .. }) => code.to_string(),
                _ => match c.downcast_ref::<ClientError>() {
                    Some(ClientError::Refused { message, .. }) => message.clone(),
                    _ => return false,
                },
            };
            code.contains("InvalidAccessKeyId") || code.contains("SignatureDoesNotMatch")
        });
        // A refusal of the previous hop's session (a chain) is not about the stored key.
        let of_a_session = err
            .chain()
            .any(|c| c.to_string().contains("the session of the previous hop"));
        if !refused_key || of_a_session {
            return err;
        }
        let owner = self
            .config
            .chain(profile)
            .ok()
            .and_then(|chain| chain.last().map(|p| p.name.clone()))
            .unwrap_or_else(|| profile.to_string());
        err.context(format!(
            "STS refused the stored key of profile {owner}; store a working one with `alicloud-vault add {owner}`"
        ))
    }

    fn margin(&self) -> Duration {
        self.config
            .defaults
            .refresh_margin
            .unwrap_or(DEFAULT_REFRESH_MARGIN)
    }
}
