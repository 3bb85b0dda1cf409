//! `oauth login|logout`: the browser login through Alibaba Cloud's `official-cli` OAuth
//! application (docs/oauth-oidc.md), and forgetting it. The library does the work
//! (`oauth_login`); this file parses, calls and prints.

use super::Context;
use alicloud_vault::browser;
use alicloud_vault::cli::{OAuthCommand, OAuthLoginArgs, OAuthLogoutArgs};
use alicloud_vault::credentials::oauth::DEFAULT_LOGIN_TIMEOUT;
use alicloud_vault::keystore::items::Vault;
use alicloud_vault::oauth_login::{self, BrowserLogin, OAuthSource};
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

fn login(ctx: &Context, args: OAuthLoginArgs) -> anyhow::Result<i32> {
    let source = OAuthSource::of(ctx.config()?, &args.profile)?;
    let vault = ctx.vault()?;
    run_login(ctx, &vault, source, args.no_browser, args.timeout)
}

/// The browser login for an OAuth profile. Returns the exit code (0, or [`CANCELLED`] after
/// Ctrl-C, nothing stored).
fn run_login(
    ctx: &Context,
    vault: &Vault,
    source: OAuthSource,
    no_browser: bool,
    timeout: Duration,
) -> anyhow::Result<i32> {
    let login = BrowserLogin::start(source)?;
    if login.cancelled() {
        alicloud_vault::note!("login cancelled; nothing was stored");
        return Ok(CANCELLED);
    }
    let profile = login.profile().to_string();
    if !no_browser && browser::show(login.url()) {
        alicloud_vault::note!(
            "a browser window was opened to sign in for OAuth profile {profile} (waiting up to {}; Ctrl-C cancels). If it did not open, visit:",
            alicloud_vault::config::duration::format_duration(timeout)
        );
    }
    // The one line a person (or a test) copies into a browser.
    alicloud_vault::sayln!("{}", login.url());
    let Some((stored, sessions)) = login.finish(vault, &ctx.broker()?, timeout)? else {
        alicloud_vault::note!("login cancelled; nothing was stored");
        return Ok(CANCELLED);
    };
    alicloud_vault::note!(
        "logged in with OAuth for profile {profile} ({} site); the refresh token is in the {} keystore{}",
        stored.site,
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

fn logout(ctx: &Context, args: OAuthLogoutArgs) -> anyhow::Result<i32> {
    let only = match &args.profile {
        Some(p) => Some(OAuthSource::of(ctx.config()?, p)?.profile),
        None => None,
    };
    let vault = ctx.vault()?;
    let (logins, sessions) = oauth_login::logout(&vault, &ctx.broker()?, only.as_deref())?;
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
    let Some(source) = oauth_login::login_to_offer(ctx.config()?, || ctx.vault(), profile, err)?
    else {
        return Ok(false);
    };
    if !super::answered_yes(format_args!(
        "profile {} needs an OAuth login. Log in now? [y/N] ",
        source.profile
    ))? {
        return Ok(false);
    }
    let vault = ctx.vault()?;
    Ok(run_login(ctx, &vault, source, false, DEFAULT_LOGIN_TIMEOUT)? == 0)
}
