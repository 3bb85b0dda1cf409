//! `metadata use PROFILE` and `metadata setup`.

use super::Context;
use alicloud_vault::agent::protocol::Request;
use alicloud_vault::agent::DEFAULT_METADATA_ADDRESS;
use alicloud_vault::cli::{MetadataCommand, MetadataSetupArgs};
use std::io::IsTerminal;
use std::net::SocketAddr;

pub fn run(ctx: &Context, cmd: MetadataCommand) -> anyhow::Result<i32> {
    match cmd {
        MetadataCommand::Use(args) => {
            super::require_known_profile(ctx, &args.profile)?;
            let mut c = alicloud_vault::agent::client::AgentClient::connect(
                &super::agent::config_file(ctx),
                ctx.backend_choice()
                    .ok()
                    .flatten()
                    .map(|b| b.to_string())
                    .as_deref(),
            )?;
            c.request(&Request::MetadataUse {
                profile: args.profile.to_string(),
            })?;
            alicloud_vault::note!("the metadata endpoint now serves profile {}", args.profile);
            Ok(0)
        }
        MetadataCommand::Setup(args) => setup(ctx, args),
    }
}

/// The one privileged step: put the metadata address on the loopback interface.
fn setup(ctx: &Context, args: MetadataSetupArgs) -> anyhow::Result<i32> {
    let address = ctx
        .config()?
        .metadata
        .address
        .clone()
        .unwrap_or_else(|| DEFAULT_METADATA_ADDRESS.to_string());
    let addr: SocketAddr = address.parse().map_err(|_| {
        super::UsageError(format!("[metadata] address `{address}` is not an IP address with a port, like 100.100.100.200:80"))
    })?;
    let ip = addr.ip();
    if ip.is_loopback() {
        alicloud_vault::outln!("# {ip} is a loopback address already: nothing to set up");
        return Ok(0);
    }
    use alicloud_vault::platform::metadata::{loopback_alias, Os};
    let alias = loopback_alias(Os::current(), ip);
    let argv = alias.add;
    alicloud_vault::outln!("{}", argv.join(" "));
    alicloud_vault::outln!("# undo: {}", alias.remove.join(" "));
    if let Some(note) = alias.note {
        // Windows: printed for an elevated prompt, never run from here.
        alicloud_vault::note!("{note}");
        return Ok(0);
    }
    let line = argv.join(" ");
    let root = alicloud_vault::platform::can_configure_network();
    // Changing an interface is never a side effect of printing the step, also as root (root dev
    // containers are common): --apply, or a yes on a terminal.
    let apply = args.apply
        || (root
            && std::io::stdin().is_terminal()
            && super::confirm(
                &format!("Run `{line}` now?"),
                "changing the loopback interface",
                "--apply",
            )?);
    if addr.port() < 1024 {
        alicloud_vault::note!("the agent runs unprivileged; to listen on port {} it needs the socket from the service manager (service/alicloud-vault-metadata.socket) or `sysctl net.ipv4.ip_unprivileged_port_start={}`", addr.port(), addr.port());
    }
    if !apply {
        alicloud_vault::note!("nothing was changed. Run the line above as root once (it lasts until reboot; docs/agent.md shows how to make it permanent), or let alicloud-vault run it: `sudo alicloud-vault metadata setup --apply`");
        return Ok(0);
    }
    if !root {
        return Err(super::UsageError(format!(
            "--apply needs root to run `{line}`; run `sudo alicloud-vault metadata setup --apply`"
        ))
        .into());
    }
    let out = std::process::Command::new(&argv[0])
        .args(&argv[1..])
        .output()?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.success() || stderr.contains("File exists") {
        alicloud_vault::note!("{ip} is on the loopback interface");
        Ok(0)
    } else {
        Err(super::UsageError(format!("`{}` failed: {}", argv.join(" "), stderr.trim())).into())
    }
}
