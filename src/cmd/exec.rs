//! `exec PROFILE -- CMD ARGS...`: replace this process with CMD, the profile's session in its
//! environment. Exit code and signals are the child's own, because the child *is* this process.

use super::{Context, UsageError};
use alicloud_vault::broker;
use alicloud_vault::cli::ExecArgs;
use alicloud_vault::environment::{self, VAULT_PROFILE_VAR};
use std::ffi::OsString;
use std::process::Command;

pub fn run(ctx: &Context, args: ExecArgs) -> anyhow::Result<i32> {
    if let Some(current) = std::env::var_os(VAULT_PROFILE_VAR).filter(|v| !v.is_empty()) {
        if !args.force_nested {
            return Err(UsageError(format!(
                "already inside `alicloud-vault exec` (or a shell that took `export --format shell-uri`) for profile {p}: \
                 ALICLOUD_VAULT={p} is set. Leave that shell with `exit` first (or `unset ALICLOUD_VAULT` if it was set some other way), \
                 or add --force-nested to nest on purpose; a nested exec with the file backend needs \
                 ALICLOUD_VAULT_FILE_PASSPHRASE again (or a terminal to ask on), because exec never \
                 hands the vault's passphrase to the programs it runs",
                p = current.to_string_lossy()
            ))
            .into());
        }
    }
    if args.server || args.ecs_server {
        super::require_known_profile(ctx, &args.profile)?;
        return super::agent::exec_served(ctx, args);
    }
    let req = broker::Request {
        profile: args.profile.clone(),
        duration: args.duration,
        no_session: args.no_session,
        region: args.region.clone(),
        no_agent: args.no_agent,
    };
    let resolve = || super::credentials_for(ctx, &req);
    // A missing or expired CloudSSO or OAuth login is offered right here on a terminal.
    let resolved = match resolve() {
        Err(e) if super::sso::offer_login(ctx, &args.profile, &e)? => resolve()?,
        Err(e) if super::oauth::offer_login(ctx, &args.profile, &e)? => resolve()?,
        Err(e) => {
            return Err(super::explain_failure(ctx, &args.profile, e));
        }
        Ok(r) => r,
    };
    let mut changes =
        environment::for_credentials(&args.profile, &resolved.issued, resolved.region.as_deref());
    // The aliyun CLI prefers its own config file to the environment: point it at the External
    // profile that `setup aliyun-cli` wrote, which reads this very environment back.
    if let Some(name) = &ctx.config()?.aliyun_vault_profile {
        changes.set_var(environment::ALIYUN_CLI_PROFILE_VAR, name);
    }

    let subshell = args.command.is_empty();
    let (mut cmd, program) = super::child_command(args.command);
    if subshell {
        subshell_notice(&args.profile, &resolved.issued, &program);
    }
    changes.apply(&mut cmd);
    alicloud_vault::hardening::restore_for_child();
    run_child(cmd, &program)
}

/// `exec PROFILE` without a command starts a shell that looks like any other: say so once.
fn subshell_notice(
    profile: &str,
    issued: &alicloud_vault::credentials::session::Issued,
    program: &OsString,
) {
    use alicloud_vault::color;
    let what = match issued.expiration() {
        Some(t) => {
            let left = (t - time::OffsetDateTime::now_utc()).whole_seconds();
            format!(
                "the session of profile {profile} ({} left)",
                color::time_left(color::Stream::Stderr, left)
            )
        }
        None => format!("the long-term key of profile {profile}"),
    };
    alicloud_vault::note!(
        "starting {} with {what}; `exit` returns to where you were (ALICLOUD_VAULT={profile} is set in it)",
        program.to_string_lossy()
    );
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
    alicloud_vault::note!("cannot run {}: {err}", program.to_string_lossy());
    Ok(code)
}

/// No `exec` system call: spawn, wait with Ctrl-C left to the child, pass its code on.
#[cfg(not(unix))]
fn run_child(cmd: Command, program: &OsString) -> anyhow::Result<i32> {
    Ok(alicloud_vault::agent::child::run_and_wait(cmd, program))
}
