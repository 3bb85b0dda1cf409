//! `sso login|list|logout|configure`: the CloudSSO device login (docs/protocols.md, CloudSSO device login), the accounts and
//! access configurations it grants (and profiles for them), and forgetting it. The access token goes to the keystore only.

use super::Context;
use alicloud_vault::browser;
use alicloud_vault::cli::{SsoCommand, SsoConfigureArgs, SsoListArgs, SsoLoginArgs, SsoLogoutArgs};
use alicloud_vault::display::RemoteText;
use alicloud_vault::keystore::items::Vault;
use alicloud_vault::session::format_alibaba_time;
use alicloud_vault::sso_login::{self, DeviceLogin, SsoSource};
use std::io::{IsTerminal, Write};

/// The exit code of a login cancelled with Ctrl-C (128 + SIGINT, as shells report it).
const CANCELLED: i32 = 130;

pub fn run(ctx: &Context, cmd: SsoCommand) -> anyhow::Result<i32> {
    match cmd {
        SsoCommand::Login(a) => login(ctx, a),
        SsoCommand::List(a) => list(ctx, a),
        SsoCommand::Logout(a) => logout(ctx, a),
        SsoCommand::Configure(a) => configure(ctx, a),
    }
}

fn login(ctx: &Context, args: SsoLoginArgs) -> anyhow::Result<i32> {
    let vault = ctx.vault()?;
    run_login(ctx, &vault, &args.profile, args.no_browser)
}

/// The device login for `profile`'s sign-in URL; stores the token. Returns the exit code
/// (0, or [`CANCELLED`] after Ctrl-C, with nothing stored).
fn run_login(ctx: &Context, vault: &Vault, profile: &str, no_browser: bool) -> anyhow::Result<i32> {
    let login = DeviceLogin::start(SsoSource::of(ctx.config()?, profile)?)?;
    let root = &login.source.profile;
    alicloud_vault::note!(
        "to sign in to CloudSSO for profile {root}, open this address in a browser and confirm the code:"
    );
    let mut err = std::io::stderr().lock();
    writeln!(err, "  {}", login.authorization.verification_uri)?;
    writeln!(err, "  Code: {}", login.authorization.user_code)?;
    if !no_browser && browser::show(login.browser_url()) {
        writeln!(err, "(a browser window was opened for you)")?;
    }
    drop(err);

    let spinner = std::io::stderr().is_terminal();
    let frames = ['|', '/', '-', '\\'];
    let mut n = 0usize;
    let tick = || {
        if spinner {
            alicloud_vault::say!(
                "\r{} waiting for approval in the browser (Ctrl-C cancels) ",
                frames[n % frames.len()]
            );
            let _ = std::io::stderr().flush();
            n += 1;
        }
    };
    let sign_in_url = login.source.settings.sign_in_url.clone();
    let outcome = login.wait(vault, tick);
    if spinner {
        alicloud_vault::say!("\r{}\r", " ".repeat(60));
    }
    let Some(doc) = outcome? else {
        alicloud_vault::note!("login cancelled; nothing was stored");
        return Ok(CANCELLED);
    };
    alicloud_vault::note!(
        "logged in to CloudSSO at {sign_in_url}; the login is valid until {} and is shared by every profile with this sign-in URL",
        format_alibaba_time(doc.expires_at)
    );
    Ok(0)
}

fn list(ctx: &Context, args: SsoListArgs) -> anyhow::Result<i32> {
    let (_, listed) = sso_login::grants(ctx.config()?, || ctx.vault(), &args.profile)?;
    if args.json {
        alicloud_vault::outln!("{}", serde_json::to_string_pretty(&listed)?);
        return Ok(0);
    }
    let mut rows = vec![[
        "ACCOUNT ID".to_string(),
        "ACCOUNT NAME".to_string(),
        "ACCESS CONFIGURATION".to_string(),
        "NAME".to_string(),
    ]];
    // Names were filtered when they were parsed; ids are server text too.
    let id = |raw: &str| RemoteText::field(raw).as_str().to_string();
    for l in &listed {
        if l.access_configurations.is_empty() {
            rows.push([
                id(&l.account.account_id),
                l.account.display_name.clone(),
                "-".into(),
                "-".into(),
            ]);
        }
        for c in &l.access_configurations {
            rows.push([
                id(&l.account.account_id),
                l.account.display_name.clone(),
                id(&c.id),
                c.name.clone(),
            ]);
        }
    }
    let widths: Vec<usize> = (0..4)
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    for r in &rows {
        let line: Vec<String> = (0..4)
            .map(|i| format!("{:w$}", r[i], w = widths[i]))
            .collect();
        alicloud_vault::outln!("{}", line.join("  ").trim_end());
    }
    Ok(0)
}

fn configure(ctx: &Context, args: SsoConfigureArgs) -> anyhow::Result<i32> {
    let config = ctx.config()?;
    let (source, listed) = sso_login::grants(config, || ctx.vault(), &args.profile)?;
    let new = sso_login::new_profiles(config, &source.settings, &listed, &args.prefix)?;
    if !args.write {
        alicloud_vault::out!("{}", new.toml.trim_start_matches('\n'));
    } else if !new.added.is_empty() {
        sso_login::append_to_config(&super::agent::config_file(ctx), &new.toml)?;
    }
    let verb = if args.write {
        "added to the configuration"
    } else {
        "printed"
    };
    alicloud_vault::note!(
        "{} new profile(s) {verb}{}{}",
        new.added.len(),
        if new.added.is_empty() {
            String::new()
        } else {
            format!(": {}", new.added.join(", "))
        },
        if new.existing.is_empty() {
            String::new()
        } else {
            format!("; already configured: {}", new.existing.join(", "))
        }
    );
    Ok(0)
}

fn logout(ctx: &Context, args: SsoLogoutArgs) -> anyhow::Result<i32> {
    // Which sign-in URLs to forget: one profile's, or all (`None`).
    let only = match &args.profile {
        Some(p) => Some(SsoSource::of(ctx.config()?, p)?.settings.sign_in_url),
        None => None,
    };
    let vault = ctx.vault()?;
    let out = sso_login::logout(&ctx.broker()?, &vault, only)?;
    alicloud_vault::note!(
        "logged out: removed {} CloudSSO token(s) and {} session(s) derived from them",
        out.tokens,
        out.sessions
    );
    Ok(0)
}

/// Under `exec` on a terminal, offers the CloudSSO login when `err` says one is needed (or the
/// agent refused and `profile`'s SSO login is missing or expired), and runs it. Returns true
/// when the login succeeded (the caller then tries again).
pub fn offer_login(ctx: &Context, profile: &str, err: &anyhow::Error) -> anyhow::Result<bool> {
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Ok(false);
    }
    let Some(sso_profile) = sso_login::login_needed(ctx.config()?, || ctx.vault(), profile, err)
    else {
        return Ok(false);
    };
    if !super::answered_yes(format_args!(
        "profile {sso_profile} needs a CloudSSO login. Log in now? [y/N] "
    ))? {
        return Ok(false);
    }
    let vault = ctx.vault()?;
    match run_login(ctx, &vault, &sso_profile, false)? {
        0 => Ok(true),
        _ => Ok(false),
    }
}
