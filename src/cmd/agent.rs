//! `agent run|start|stop|status|log`, the CLI's use of a running agent for `exec`/`export`,
//! and `exec --server` / `exec --ecs-server`.

use super::{Context, UsageError};
use alicloud_vault::agent::audit::{self, AuditLog};
use alicloud_vault::agent::client::{AgentClient, ClientError};
use alicloud_vault::agent::protocol::{Request, Response};
use alicloud_vault::agent::state::{Failure, Wanted};
use alicloud_vault::agent::{self as agent_lib, child, launch, socket, Agent, AgentOptions};
use alicloud_vault::cli::{AgentCommand, AgentLogArgs, AgentStatusArgs, ExecArgs};
use alicloud_vault::credentials::resolve::DEFAULT_REFRESH_MARGIN;
use alicloud_vault::environment::{self, CREDENTIALS_URI_VARS};
use alicloud_vault::secret::Secret;
use std::path::PathBuf;
use std::time::{Duration, Instant};

pub fn run(ctx: &Context, cmd: AgentCommand) -> anyhow::Result<i32> {
    match cmd {
        AgentCommand::Run => run_foreground(ctx),
        AgentCommand::Start => start(ctx),
        AgentCommand::Stop => stop(ctx),
        AgentCommand::Status(args) => status(ctx, args),
        AgentCommand::Log(args) => log(ctx, args),
    }
}

/// The configuration file this CLI uses, as an absolute path (what the agent must serve).
pub fn config_file(ctx: &Context) -> PathBuf {
    let p = ctx.config_file();
    std::path::absolute(&p).unwrap_or(p)
}

fn backend_name(ctx: &Context) -> Option<String> {
    ctx.backend_choice().ok().flatten().map(|b| b.to_string())
}

/// The agent, which must be running (exit code 4 otherwise).
fn require(ctx: &Context) -> Result<AgentClient, ClientError> {
    AgentClient::connect(&config_file(ctx), backend_name(ctx).as_deref())
}

fn options(ctx: &Context) -> anyhow::Result<AgentOptions> {
    let config = ctx.config()?;
    let vault = ctx.vault()?;
    let audit = match AuditLog::open(&audit::audit_path()) {
        Ok(a) => Some(a),
        Err(e) => {
            eprintln!(
                "alicloud-vault: warning: {e}; credentials are handed out without an audit line"
            );
            None
        }
    };
    Ok(AgentOptions {
        vault,
        config_path: config_file(ctx),
        margin: config
            .defaults
            .refresh_margin
            .unwrap_or(DEFAULT_REFRESH_MARGIN),
        metadata: config.metadata.clone(),
        audit,
        settings: config.agent.clone(),
    })
}

fn run_foreground(ctx: &Context) -> anyhow::Result<i32> {
    // Take the service manager's sockets before anything else opens a descriptor.
    let inherited = agent_lib::inherited_listeners();
    let opts = options(ctx)?;
    agent_lib::run(opts, inherited)?;
    Ok(0)
}

fn start(ctx: &Context) -> anyhow::Result<i32> {
    if let Ok(c) = require(ctx) {
        eprintln!(
            "alicloud-vault: the agent is already running (pid {})",
            c.pid
        );
        return Ok(0);
    }
    // Fail here, in the terminal, rather than in the detached agent.
    ctx.config()?;
    let pid = launch::launch(&config_file(ctx), backend_name(ctx).as_deref())?;
    eprintln!(
        "alicloud-vault: agent started (pid {pid}); log: {}",
        launch::log_path().display()
    );
    Ok(0)
}

fn stop(ctx: &Context) -> anyhow::Result<i32> {
    let mut c = match require(ctx) {
        Ok(c) => c,
        Err(ClientError::NotRunning(_)) => {
            eprintln!("alicloud-vault: no agent is running");
            return Ok(0);
        }
        Err(e) => return Err(e.into()),
    };
    let pid = c.pid;
    c.request(&Request::Stop)?;
    drop(c);
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if matches!(require(ctx), Err(ClientError::NotRunning(_))) {
            eprintln!("alicloud-vault: agent (pid {pid}) stopped");
            return Ok(0);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Err(ClientError::Unusable {
        socket: socket::socket_path(),
        reason: format!("the agent (pid {pid}) did not stop within 10 s; end it with `kill {pid}`"),
    }
    .into())
}

fn status(ctx: &Context, args: AgentStatusArgs) -> anyhow::Result<i32> {
    let mut c = match require(ctx) {
        Ok(c) => c,
        // A JSON reader gets a document in every case; the exit code (4) still says it failed.
        Err(e) if args.json => {
            println!(
                "{}",
                serde_json::to_string_pretty(&serde_json::json!({
                    "running": false,
                    "socket": socket::socket_path(),
                    "error": e.to_string(),
                }))?
            );
            return Err(e.into());
        }
        Err(e) => return Err(e.into()),
    };
    let Response::Status(s) = c.request(&Request::Status)? else {
        return Err(ClientError::Protocol("expected status".into()).into());
    };
    if args.json {
        let mut v = serde_json::to_value(&s)?;
        if let Some(m) = v.as_object_mut() {
            m.insert("running".into(), true.into());
        }
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(0);
    }
    println!("agent: running, pid {}, since {}", s.pid, s.started);
    println!("protocol: {}", s.version);
    println!("config: {}", s.config.display());
    println!("backend: {}", s.backend);
    println!("control socket: {}", s.socket.display());
    if let Some(u) = &s.uri_server {
        println!("credentials URI server: {u} ({} active URIs)", s.uri_tokens);
    }
    match &s.metadata {
        Some(m) => {
            let what = match (&m.profile, &m.role_name) {
                (Some(p), Some(r)) => format!("profile {p} as role {r}"),
                _ => "no profile".to_string(),
            };
            let state = match &m.error {
                Some(e) => format!("not serving: {e}"),
                None => format!("serving {what}{}", if m.hardened { ", hardened" } else { "" }),
            };
            println!("metadata endpoint: {} {state}", m.address);
        }
        None => println!("metadata endpoint: off (set [metadata] profile, or run `alicloud-vault metadata use PROFILE`)"),
    }
    if s.sessions.is_empty() {
        println!("sessions: none");
    } else {
        println!("sessions:");
        for x in &s.sessions {
            println!(
                "  {:<24} {}  until {} ({}s left)",
                x.profile, x.access_key_id_hint, x.expiration, x.seconds_left
            );
        }
    }
    Ok(0)
}

fn log(ctx: &Context, args: AgentLogArgs) -> anyhow::Result<i32> {
    // A running agent writes its audit lines from a queue: have it write what it holds.
    if let Ok(mut c) = require(ctx) {
        let _ = c.request(&Request::FlushAudit);
    }
    let path = audit::audit_path();
    let recs = audit::read(&path)?;
    let skip = args.lines.map_or(0, |n| recs.len().saturating_sub(n));
    for r in &recs[skip..] {
        if args.json {
            println!("{}", serde_json::to_string(r)?);
        } else {
            println!("{}", audit::format_record(r));
        }
    }
    if recs.is_empty() {
        eprintln!("alicloud-vault: the audit log {} is empty", path.display());
    }
    Ok(0)
}

fn failure(f: Failure) -> anyhow::Error {
    ClientError::Refused {
        kind: f.kind,
        message: f.message,
    }
    .into()
}

/// `exec --server` and `exec --ecs-server`: the child gets an endpoint instead of keys, and
/// this process stays until the child ends, then revokes what it handed out.
pub fn exec_served(ctx: &Context, args: ExecArgs) -> anyhow::Result<i32> {
    alicloud_vault::config::validate_profile_name(&args.profile)?;
    let duration = super::parse_duration_arg(args.duration.as_deref())?;
    let (mut cmd, program) = super::child_command(args.command);
    let wanted = Wanted {
        profile: args.profile.clone(),
        duration,
    };

    if args.ecs_server {
        // The endpoint lives in this process for the life of the child (see docs/agent.md).
        let config = ctx.config()?;
        let role = config.metadata.role_name.clone();
        let agent = Agent::start(options(ctx)?)?;
        let services = agent.services.clone();
        agent
            .block_on(services.start_metadata(None))
            .map_err(|e| UsageError(format!("--ecs-server: {e}")))?;
        let target = agent
            .block_on(
                services
                    .state
                    .use_for_metadata(&args.profile, role.as_deref()),
            )
            .map_err(failure)?;
        let region = args.region.clone().or_else(|| target.region.clone());
        let mut env = environment::for_credentials_uri(&args.profile, "", region.as_deref());
        env.set
            .retain(|(n, _)| !CREDENTIALS_URI_VARS.contains(&n.as_str()));
        env.remove.extend(CREDENTIALS_URI_VARS);
        env.set.push((
            "ALIBABA_CLOUD_ECS_METADATA".into(),
            Secret::new(target.role_name.as_str()),
        ));
        env.apply(&mut cmd);
        let code = child::run_and_wait(cmd, &program);
        drop(agent);
        return Ok(code);
    }

    if let Some(mut client) = ctx.broker()?.agent() {
        // Plain `--server` keeps the request every agent version knows.
        let reply = if args.container {
            client.request(&Request::GrantUri {
                profile: args.profile.clone(),
                duration_secs: duration.map(|d| d.as_secs()),
                watch_pid: None,
                container: true,
            })
        } else {
            client.request(&Request::ServeUri {
                profile: args.profile.clone(),
                duration_secs: duration.map(|d| d.as_secs()),
            })
        }?;
        let Response::Uri {
            uri, token, region, ..
        } = reply
        else {
            return Err(ClientError::Protocol("expected a URI".into()).into());
        };
        let region = args.region.clone().or(region);
        environment::for_credentials_uri(&args.profile, &uri, region.as_deref()).apply(&mut cmd);
        let code = child::run_and_wait(cmd, &program);
        // Closing the connection revokes it too; asking first makes it immediate.
        let _ = client.request(&Request::RevokeUri { token });
        return Ok(code);
    }

    // No agent: serve the URI from this process, on the agent's code path.
    let config = ctx.config()?;
    let plan = alicloud_vault::credentials::plan::Plan::build(
        config,
        &args.profile,
        &alicloud_vault::credentials::plan::PlanOptions { duration },
    )?;
    let agent = Agent::start(options(ctx)?)?;
    let uri = if args.container {
        let options = agent_lib::grant::GrantOptions {
            watch_pid: None,
            container: true,
        };
        let services = agent.services.clone();
        agent
            .block_on(services.grant(&wanted, Some(std::process::id()), options))
            .map_err(failure)?
            .uri
    } else {
        agent.grant_uri(&wanted).map_err(failure)?.0
    };
    let region = args.region.clone().or(plan.region);
    environment::for_credentials_uri(&args.profile, &uri, region.as_deref()).apply(&mut cmd);
    let code = child::run_and_wait(cmd, &program);
    drop(agent);
    Ok(code)
}
