//! `agent run|start|stop|status|log`, the CLI's use of a running agent for `exec`/`export`,
//! and `exec --server` / `exec --ecs-server`.

use super::Context;
use alicloud_vault::agent::audit;
use alicloud_vault::agent::client::{self, AgentClient, ClientError};
use alicloud_vault::agent::protocol::{Request, Response};
use alicloud_vault::agent::{self as agent_lib, launch, socket, AgentOptions};
use alicloud_vault::cli::{AgentCommand, AgentLogArgs, AgentStatusArgs, ExecArgs};
use alicloud_vault::serve;
use std::path::PathBuf;

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
    Ok(launch::options(config, ctx.vault()?, config_file(ctx)))
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
        alicloud_vault::note!("the agent is already running (pid {})", c.pid);
        return Ok(0);
    }
    // Fail here, in the terminal, rather than in the detached agent.
    ctx.config()?;
    let pid = launch::launch(&config_file(ctx), backend_name(ctx).as_deref())?;
    alicloud_vault::note!(
        "agent started (pid {pid}); log: {}",
        alicloud_vault::dirs::agent_log().display()
    );
    Ok(0)
}

fn stop(ctx: &Context) -> anyhow::Result<i32> {
    match client::stop(&config_file(ctx), backend_name(ctx).as_deref())? {
        Some(pid) => alicloud_vault::note!("agent (pid {pid}) stopped"),
        None => alicloud_vault::note!("no agent is running"),
    }
    Ok(0)
}

fn status(ctx: &Context, args: AgentStatusArgs) -> anyhow::Result<i32> {
    let mut c = match require(ctx) {
        Ok(c) => c,
        // A JSON reader gets a document in every case; the exit code (4) still says it failed.
        Err(e) if args.json => {
            alicloud_vault::outln!(
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
        alicloud_vault::outln!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(0);
    }
    alicloud_vault::outln!("agent: running, pid {}, since {}", s.pid, s.started);
    alicloud_vault::outln!("protocol: {}", s.version);
    alicloud_vault::outln!("config: {}", s.config.display());
    alicloud_vault::outln!("backend: {}", s.backend);
    alicloud_vault::outln!("control socket: {}", s.socket.display());
    if let Some(u) = &s.uri_server {
        alicloud_vault::outln!("credentials URI server: {u} ({} active URIs)", s.uri_tokens);
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
            alicloud_vault::outln!("metadata endpoint: {} {state}", m.address);
        }
        None => alicloud_vault::outln!("metadata endpoint: off (set [metadata] profile, or run `alicloud-vault metadata use PROFILE`)"),
    }
    if s.sessions.is_empty() {
        alicloud_vault::outln!("sessions: none");
    } else {
        alicloud_vault::outln!("sessions:");
        for x in &s.sessions {
            alicloud_vault::outln!(
                "  {:<24} {}  until {} ({}s left)",
                x.profile,
                x.access_key_id_hint,
                x.expiration,
                x.seconds_left
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
    let path = alicloud_vault::dirs::audit_log();
    let recs = audit::read(&path)?;
    let skip = args.lines.map_or(0, |n| recs.len().saturating_sub(n));
    for r in &recs[skip..] {
        if args.json {
            alicloud_vault::outln!("{}", serde_json::to_string(r)?);
        } else {
            alicloud_vault::outln!("{}", audit::format_record(r));
        }
    }
    if recs.is_empty() {
        alicloud_vault::note!("the audit log {} is empty", path.display());
    }
    Ok(0)
}

/// `exec --server` and `exec --ecs-server`: the child gets an endpoint instead of keys, and
/// this process stays until the child ends, then revokes what it handed out.
pub fn exec_served(ctx: &Context, args: ExecArgs) -> anyhow::Result<i32> {
    let (cmd, program) = super::child_command(args.command);
    let req = serve::ServeRequest {
        profile: args.profile,
        duration: args.duration,
        region: args.region,
        ecs: args.ecs_server,
        container: args.container,
    };
    let config = ctx.config()?;
    serve::run_child(
        config,
        &ctx.broker()?,
        || Ok(launch::options(config, ctx.vault()?, config_file(ctx))),
        &req,
        cmd,
        &program,
    )
}
