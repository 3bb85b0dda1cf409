//! `oauth login|logout`: the browser login through Alibaba Cloud's `official-cli` OAuth
//! application (docs/oauth-oidc.md), and forgetting it. The library does the work
//! (`credentials::oauth`); this file parses, calls and prints.

use super::{Context, UsageError};
use alicloud_vault::browser;
use alicloud_vault::cli::{OAuthCommand, OAuthLoginArgs, OAuthLogoutArgs};
use alicloud_vault::config::OAuthSettings;
use alicloud_vault::credentials::forget::Selector;
use alicloud_vault::credentials::oauth::{self as oauth, PendingLogin};
use alicloud_vault::credentials::plan::{Plan, PlanOptions, SourceCredentials};
use alicloud_vault::credentials::resolve::CredentialsError;
use alicloud_vault::keystore::items::{StoredOAuthToken, Vault};
use alicloud_vault::keystore::ItemKind;
use std::io::IsTerminal;
use std::time::Duration;

/// The exit code of a login cancelled with Ctrl-C (128 + SIGINT, as shells report it).
const CANCELLED: i32 = 130;

pub fn run(ctx: &Context, cmd: OAuthCommand) -> anyhow::Result<i32> {
    match cmd {
        OAuthCommand::Login(a) => login(ctx, a),
        OAuthCommand::Logout(a) => logout(ctx, a),
    }
}

/// The OAuth profile at the root of `profile`'s chain, its settings and endpoints.
struct Source {
    profile: String,
    settings: OAuthSettings,
    endpoint: String,
    signin_endpoint: String,
}

fn oauth_source(ctx: &Context, profile: &str) -> anyhow::Result<Source> {
    let plan = Plan::build(ctx.config()?, profile, &PlanOptions::default())?;
    match plan.source {
        SourceCredentials::OAuth {
            profile,
            settings,
            endpoint,
            signin_endpoint,
        } => Ok(Source {
            profile,
            settings,
            endpoint,
            signin_endpoint,
        }),
        other => Err(UsageError(format!(
            "profile {profile} does not use OAuth: its credentials come from profile {}. Give an OAuth profile `oauth_site = \"cn\"` (or \"intl\") in the configuration file (docs/oauth-oidc.md)",
            other.profile()
        ))
        .into()),
    }
}

fn login(ctx: &Context, args: OAuthLoginArgs) -> anyhow::Result<i32> {
    let source = oauth_source(ctx, &args.profile)?;
    let vault = ctx.vault()?;
    run_login(ctx, &vault, &source, args.no_browser, args.timeout)
}

/// The browser login for an OAuth profile; stores the login and drops the sessions made from
/// an earlier one. Returns the exit code (0, or [`CANCELLED`] after Ctrl-C, nothing stored).
fn run_login(
    ctx: &Context,
    vault: &Vault,
    source: &Source,
    no_browser: bool,
    timeout: Duration,
) -> anyhow::Result<i32> {
    let rt = alicloud_vault::runtime::for_command()?;
    let pending = rt.block_on(PendingLogin::start(
        &source.profile,
        &source.settings,
        &source.endpoint,
        &source.signin_endpoint,
    ))?;
    // Ctrl-C is caught from before the address is shown: polled once, the handler is in place.
    let mut ctrl_c = Box::pin(tokio::signal::ctrl_c());
    let interrupted = rt.block_on(async {
        tokio::select! {
            biased;
            _ = &mut ctrl_c => true,
            _ = std::future::ready(()) => false,
        }
    });
    if interrupted {
        alicloud_vault::note!("login cancelled; nothing was stored");
        return Ok(CANCELLED);
    }
    let opened = !no_browser && open_browser(pending.url());
    if opened {
        alicloud_vault::note!(
            "a browser window was opened to sign in for OAuth profile {} (waiting up to {}; Ctrl-C cancels). If it did not open, visit:",
            source.profile,
            alicloud_vault::config::duration::format_duration(timeout)
        );
    }
    // The one line a person (or a test) copies into a browser.
    eprintln!("{}", pending.url());
    let outcome = rt.block_on(async {
        tokio::select! {
            r = pending.finish(timeout) => Some(r),
            _ = &mut ctrl_c => None,
        }
    });
    let login = match outcome {
        None => {
            alicloud_vault::note!("login cancelled; nothing was stored");
            return Ok(CANCELLED);
        }
        Some(r) => r?,
    };
    oauth::save_login(vault, &source.profile, &login)?;
    // Sessions made from an earlier login of this profile go: they may belong to another user.
    let sessions = ctx.broker()?.forget(
        vault,
        &Selector::OAuthLogin {
            profile: Some(source.profile.clone()),
        },
    )?;
    alicloud_vault::note!(
        "logged in with OAuth for profile {} ({} site); the refresh token is in the {} keystore{}",
        source.profile,
        login.site,
        vault.store().kind(),
        if sessions == 0 {
            String::new()
        } else {
            format!(
                "; dropped {} of the earlier login",
                super::sessions_count(sessions)
            )
        }
    );
    Ok(0)
}

/// Opens `url` in the desktop's browser; false where there is no desktop to show it on.
fn open_browser(url: &str) -> bool {
    browser::has_display() && browser::open(std::ffi::OsStr::new(url)).is_ok_and(|s| s.success())
}

fn logout(ctx: &Context, args: OAuthLogoutArgs) -> anyhow::Result<i32> {
    let only = match &args.profile {
        Some(p) => Some(oauth_source(ctx, p)?.profile),
        None => None,
    };
    let vault = ctx.vault()?;
    let mut logins = 0;
    match &only {
        Some(p) => logins += usize::from(oauth::logout(&vault, p)?),
        None => {
            for name in vault.list(ItemKind::OAuthToken)? {
                logins += usize::from(vault.delete(&name)?);
            }
        }
    }
    let selector = Selector::OAuthLogin { profile: only };
    let sessions = ctx.broker()?.forget(&vault, &selector)?;
    alicloud_vault::note!(
        "logged out: removed {logins} OAuth login(s) and {sessions} session(s) made from them"
    );
    Ok(0)
}

/// Under `exec` on a terminal, offers the OAuth login when `err` says one is needed (or the
/// agent refused and `profile`'s OAuth login is missing), and runs it. Returns true when the
/// login succeeded (the caller then tries again).
pub fn offer_login(ctx: &Context, profile: &str, err: &anyhow::Error) -> anyhow::Result<bool> {
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Ok(false);
    }
    let needed = err.chain().any(|c| {
        matches!(
            c.downcast_ref(),
            Some(CredentialsError::OAuthLoginNeeded { .. })
        )
    });
    let refused_by_agent = err.chain().any(|c| {
        matches!(
            c.downcast_ref(),
            Some(alicloud_vault::agent::client::ClientError::Refused { .. })
        )
    });
    if !(needed || refused_by_agent) {
        return Ok(false);
    }
    let Ok(source) = oauth_source(ctx, profile) else {
        return Ok(false);
    };
    let vault = ctx.vault()?;
    if !needed
        && vault
            .read::<StoredOAuthToken>(&oauth::token_item(&source.profile))?
            .is_some()
    {
        return Ok(false);
    }
    alicloud_vault::message::ask(format_args!(
        "profile {} needs an OAuth login. Log in now? [y/N] ",
        source.profile
    ));
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    if !matches!(line.trim(), "y" | "Y" | "yes" | "Yes") {
        return Ok(false);
    }
    Ok(run_login(ctx, &vault, &source, false, oauth::DEFAULT_LOGIN_TIMEOUT)? == 0)
}
