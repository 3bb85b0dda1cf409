//! `export PROFILE --format ...`: print the profile's credentials for other tools.

use super::{Context, UsageError};
use alicloud_vault::broker;
use alicloud_vault::cli::{ExportArgs, ExportFormat};
use alicloud_vault::export;
use alicloud_vault::session::Issued;

/// Without a PROFILE, `export` prints what the surrounding `exec` handed out (this is how the
/// aliyun CLI's `External` profile asks for the session: it needs no keystore access, and it is
/// exactly the session every other tool in that `exec` sees).
fn from_surrounding_exec(args: &ExportArgs) -> anyhow::Result<(String, super::Resolved)> {
    let Some((profile, issued, region)) = alicloud_vault::environment::inherited_credentials()
    else {
        return Err(UsageError(
            "name a profile: `alicloud-vault export PROFILE` (without one, export prints the session of the surrounding `alicloud-vault exec`, and there is none)".into(),
        )
        .into());
    };
    Ok((
        profile,
        super::Resolved {
            long_term: matches!(issued, Issued::LongTerm(_)),
            issued,
            region: args.region.clone().map(String::from).or(region),
        },
    ))
}

pub fn run(ctx: &Context, args: ExportArgs) -> anyhow::Result<i32> {
    if args.format.is_open_shell() {
        return open_shell(ctx, &args);
    }
    if args.shell_pid.is_some() || args.container {
        return Err(UsageError(
            "--shell-pid and --container go with --format shell-uri or fish-uri".into(),
        )
        .into());
    }
    let (profile, resolved) = match &args.profile {
        Some(p) => (
            p.to_string(),
            super::credentials_for(
                ctx,
                &broker::Request {
                    profile: p.clone(),
                    duration: args.duration,
                    no_session: args.no_session,
                    region: args.region.clone(),
                    no_agent: false,
                },
            )
            .map_err(|e| super::explain_failure(ctx, p, e))?,
        ),
        None => from_surrounding_exec(&args)?,
    };
    let out = export::credentials(
        args.format,
        &profile,
        &resolved.issued,
        resolved.region.as_deref(),
    )
    .map_err(|e| UsageError(e.to_string()))?;
    alicloud_vault::out!("{out}");
    Ok(0)
}

/// `--format shell-uri|fish-uri`: the agent serves a credentials URI that follows the shell
/// `--shell-pid` until it exits (or `clear`); the shell gets the URI and loses every static
/// credential variable (docs/usage.md, "A shell that never goes stale").
fn open_shell(ctx: &Context, args: &ExportArgs) -> anyhow::Result<i32> {
    let fish = args.format == ExportFormat::FishUri;
    let pid_hint = if fish { "$fish_pid" } else { "$$" };
    let Some(profile) = &args.profile else {
        return Err(UsageError(format!(
            "name a profile: `alicloud-vault export PROFILE --format {} --shell-pid {pid_hint}`",
            if fish { "fish-uri" } else { "shell-uri" }
        ))
        .into());
    };
    let Some(shell_pid) = args.shell_pid else {
        return Err(UsageError(format!("say which shell the URI follows: add --shell-pid {pid_hint} (the shell's own pid; the URI is revoked when that shell exits)")).into());
    };
    if args.no_session {
        return Err(UsageError(
            "--no-session does not go with a credentials URI: a URI never serves a long-term key"
                .into(),
        )
        .into());
    }
    super::require_known_profile(ctx, profile)?;
    let (uri, region) = ctx
        .broker()?
        .with_autostart(true)
        .open_shell_uri(profile, args.duration, shell_pid, args.container)
        .map_err(|e| super::explain_failure(ctx, profile, e.into()))?;
    let region = args.region.clone().map(String::from).or(region);
    alicloud_vault::out!(
        "{}",
        export::open_shell(profile, &uri, region.as_deref(), fish)
    );
    alicloud_vault::note!("this shell now gets fresh sessions of profile {profile} from the agent; the URI is revoked when the shell (pid {shell_pid}) exits, or by `alicloud-vault clear`");
    Ok(0)
}
