//! `exec PROFILE -- CMD ARGS...`: replace this process with CMD, the profile's session in its
//! environment. Exit code and signals are the child's own, because the child *is* this process.

use super::{Context, UsageError};
use alicloud_vault::cli::ExecArgs;
use alicloud_vault::environment::{self, VAULT_PROFILE_VAR};
use std::ffi::OsString;
use std::process::Command;

pub fn run(ctx: &Context, args: ExecArgs) -> anyhow::Result<i32> {
    if let Some(current) = std::env::var_os(VAULT_PROFILE_VAR).filter(|v| !v.is_empty()) {
        if !args.force_nested {
            return Err(UsageError(format!(
                "already inside `alicloud-vault exec` for profile {}; leave that shell first, or add --force-nested",
                current.to_string_lossy()
            ))
            .into());
        }
    }
    if args.server || args.ecs_server {
        return super::agent::exec_served(ctx, args);
    }
    let resolve = || {
        super::credentials_for(
            ctx,
            &args.profile,
            args.duration.as_deref(),
            args.no_session,
            args.region.as_deref(),
            args.no_agent,
        )
    };
    // A missing or expired CloudSSO login is offered right here on a terminal.
    let resolved = match resolve() {
        Err(e) if super::sso::offer_login(ctx, &args.profile, &e)? => resolve()?,
        r => r?,
    };
    let mut changes =
        environment::for_credentials(&args.profile, &resolved.issued, resolved.region.as_deref());
    // The aliyun CLI prefers its own config file to the environment: point it at the External
    // profile that `setup aliyun-cli` wrote, which reads this very environment back.
    if let Some(name) = &ctx.config()?.aliyun_vault_profile {
        changes.set_var(environment::ALIYUN_CLI_PROFILE_VAR, name);
    }

    let (mut cmd, program) = super::child_command(args.command);
    changes.apply(&mut cmd);
    alicloud_vault::hardening::restore_for_child();
    run_child(cmd, &program)
}

#[cfg(unix)]
fn run_child(mut cmd: Command, program: &OsString) -> anyhow::Result<i32> {
    use std::os::unix::process::CommandExt;
    let err = cmd.exec();
    // Only reached when exec failed; shells use 127 for "not found" and 126 for "cannot run".
    let code = if err.kind() == std::io::ErrorKind::NotFound {
        127
    } else {
        126
    };
    eprintln!(
        "alicloud-vault: cannot run {}: {err}",
        program.to_string_lossy()
    );
    Ok(code)
}

#[cfg(not(unix))]
fn run_child(mut cmd: Command, program: &OsString) -> anyhow::Result<i32> {
    match cmd.status() {
        Ok(status) => Ok(status.code().unwrap_or(1)),
        Err(err) => {
            eprintln!(
                "alicloud-vault: cannot run {}: {err}",
                program.to_string_lossy()
            );
            Ok(if err.kind() == std::io::ErrorKind::NotFound {
                127
            } else {
                126
            })
        }
    }
}
