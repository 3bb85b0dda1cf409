//! `exec --server` and `exec --ecs-server`: a child served by an endpoint instead of keys.
//! With `--server` the running agent grants a credentials URI for the life of the child (or,
//! without an agent, this process serves one on the agent's code path); with `--ecs-server`
//! this process serves the ECS metadata endpoint (see docs/agent.md). When the child ends,
//! what it was handed is revoked.

use crate::agent::client::ClientError;
use crate::agent::protocol::{Request, Response};
use crate::agent::state::{Failure, Wanted};
use crate::agent::{child, Agent, AgentOptions};
use crate::broker::Broker;
use crate::config::{Config, ProfileName, RegionId, SessionDuration};
use crate::credentials::plan::{Plan, PlanOptions};
use crate::environment::{self, CREDENTIALS_URI_VARS};
use crate::secret::Secret;
use std::ffi::OsStr;
use std::process::Command;

/// What `exec --server`/`--ecs-server` serves.
#[derive(Debug, Clone)]
pub struct ServeRequest {
    pub profile: ProfileName,
    pub duration: Option<SessionDuration>,
    /// Overrides the profile's region in the child's environment.
    pub region: Option<RegionId>,
    /// The ECS metadata endpoint instead of a credentials URI.
    pub ecs: bool,
    /// A credentials URI that containers reach, on `[agent] container_address`.
    pub container: bool,
}

fn failure(f: Failure) -> anyhow::Error {
    ClientError::Refused {
        kind: f.kind,
        message: f.message,
    }
    .into()
}

/// Runs `cmd` with an endpoint for `req` in its environment and returns its exit code.
/// `options` makes the in-process agent's options when one is needed.
pub fn run_child(
    config: &Config,
    broker: &Broker<'_>,
    options: impl FnOnce() -> anyhow::Result<AgentOptions>,
    req: &ServeRequest,
    mut cmd: Command,
    program: &OsStr,
) -> anyhow::Result<i32> {
    let profile = req.profile.as_str();
    let duration = req.duration.map(SessionDuration::get);
    let wanted = Wanted {
        profile: req.profile.clone(),
        duration: req.duration,
    };
    let region_over = req.region.clone().map(String::from);

    if req.ecs {
        // The endpoint lives in this process for the life of the child (see docs/agent.md).
        let role = config.metadata.role_name.clone();
        let agent = Agent::start(options()?)?;
        let endpoints = agent.endpoints.clone();
        agent
            .block_on(endpoints.start_metadata(None))
            .map_err(|e| anyhow::anyhow!("--ecs-server: {e}"))?;
        let target = agent
            .block_on(endpoints.state.use_for_metadata(profile, role.as_deref()))
            .map_err(failure)?;
        let region = region_over.or_else(|| target.region.clone());
        let mut env = environment::for_credentials_uri(profile, "", region.as_deref());
        env.set
            .retain(|(n, _)| !CREDENTIALS_URI_VARS.contains(&n.as_str()));
        env.remove.extend(CREDENTIALS_URI_VARS);
        env.set.push((
            "ALIBABA_CLOUD_ECS_METADATA".into(),
            Secret::new(target.role_name.as_str()),
        ));
        env.apply(&mut cmd);
        let code = child::run_and_wait(cmd, program);
        drop(agent);
        return Ok(code);
    }

    if let Some(mut client) = broker.agent() {
        // Plain `--server` keeps the request every agent version knows.
        let reply = if req.container {
            client.request(&Request::GrantUri {
                profile: profile.to_string(),
                duration_secs: duration.map(|d| d.as_secs()),
                watch_pid: None,
                container: true,
            })
        } else {
            client.request(&Request::ServeUri {
                profile: profile.to_string(),
                duration_secs: duration.map(|d| d.as_secs()),
            })
        }?;
        let Response::Uri {
            uri, token, region, ..
        } = reply
        else {
            return Err(ClientError::Protocol("expected a URI".into()).into());
        };
        let region = region_over.or(region);
        environment::for_credentials_uri(profile, &uri, region.as_deref()).apply(&mut cmd);
        let code = child::run_and_wait(cmd, program);
        // Closing the connection revokes it too; asking first makes it immediate.
        let _ = client.request(&Request::RevokeUri { token });
        return Ok(code);
    }

    // No agent: serve the URI from this process, on the agent's code path.
    let plan = Plan::build(config, profile, &PlanOptions { duration })?;
    let agent = Agent::start(options()?)?;
    let uri = if req.container {
        let options = crate::agent::grant::GrantOptions {
            watch_pid: None,
            container: true,
        };
        let endpoints = agent.endpoints.clone();
        agent
            .block_on(endpoints.grant(&wanted, Some(std::process::id()), options))
            .map_err(failure)?
            .uri
    } else {
        agent.grant_uri(&wanted).map_err(failure)?.0
    };
    let region = region_over.or(plan.region);
    environment::for_credentials_uri(profile, &uri, region.as_deref()).apply(&mut cmd);
    let code = child::run_and_wait(cmd, program);
    drop(agent);
    Ok(code)
}
