//! `sso login|list|logout|configure`: the CloudSSO device login (docs/protocols.md, CloudSSO device login), the accounts and
//! access configurations it grants (and profiles for them), and forgetting it. The access token goes to the keystore only.

use super::{Context, UsageError};
use alicloud_vault::aliyun::sso::{client_id, AccessConfiguration, Account, Pkce, SsoClient};
use alicloud_vault::browser;
use alicloud_vault::cli::{SsoCommand, SsoConfigureArgs, SsoListArgs, SsoLoginArgs, SsoLogoutArgs};
use alicloud_vault::config::SsoSettings;
use alicloud_vault::credentials::forget::Selector;
use alicloud_vault::credentials::plan::{Plan, PlanOptions, SourceCredentials};
use alicloud_vault::credentials::resolve::CredentialsError;
use alicloud_vault::credentials::sso::{endpoint, sso_to_credentials, token_item, usable_token};
use alicloud_vault::keystore::items::{StoredSsoToken, Vault};
use alicloud_vault::keystore::ItemKind;
use alicloud_vault::session::format_alibaba_time;
use std::io::{IsTerminal, Write};
use time::OffsetDateTime;

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

/// The CloudSSO source of a profile: its own `sso_*` settings, or those at the root of its
/// `source_profile` chain. Returns the SSO profile's name, its settings and the API endpoint.
fn sso_source(ctx: &Context, profile: &str) -> anyhow::Result<(String, SsoSettings, String)> {
    let config = ctx.config()?;
    let plan = Plan::build(config, profile, &PlanOptions::default())?;
    match plan.source {
        SourceCredentials::Sso {
            profile: root,
            settings,
            endpoint: over,
        } => {
            let ep = endpoint(&settings, over.as_deref())?;
            Ok((root, settings, ep))
        }
        other => Err(UsageError(format!(
            "profile {profile} does not use CloudSSO: its credentials come from profile {}'s key. Give an SSO profile sso_sign_in_url, sso_account_id and sso_access_configuration (see `alicloud-vault sso list PROFILE` and docs/sso.md)",
            other.profile()
        ))
        .into()),
    }
}

fn rt() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}

fn login(ctx: &Context, args: SsoLoginArgs) -> anyhow::Result<i32> {
    alicloud_vault::config::validate_profile_name(&args.profile)?;
    let vault = ctx.vault()?;
    run_login(ctx, &vault, &args.profile, args.no_browser)
}

/// The device login for `profile`'s sign-in URL; stores the token. Returns the exit code
/// (0, or [`CANCELLED`] after Ctrl-C, with nothing stored).
fn run_login(ctx: &Context, vault: &Vault, profile: &str, no_browser: bool) -> anyhow::Result<i32> {
    let (root, settings, ep) = sso_source(ctx, profile)?;
    let client = SsoClient::new(&ep)?;
    let client_id = client_id();
    let pkce = Pkce::new();
    let rt = rt()?;
    let auth = rt
        .block_on(client.device_authorization(&settings.sign_in_url, &client_id, &pkce))
        .map_err(|e| {
            anyhow::Error::new(e).context(format!(
                "CloudSSO did not start a login for profile {root} (sign-in URL {})",
                settings.sign_in_url
            ))
        })?;

    let mut err = std::io::stderr().lock();
    writeln!(
        err,
        "alicloud-vault: to sign in to CloudSSO for profile {root}, open this address in a browser and confirm the code:"
    )?;
    writeln!(err, "  {}", auth.verification_uri)?;
    writeln!(err, "  Code: {}", auth.user_code)?;
    let browser_url = auth
        .verification_uri_complete
        .as_deref()
        .unwrap_or(&auth.verification_uri);
    if !no_browser && open_browser(browser_url) {
        writeln!(err, "(a browser window was opened for you)")?;
    }
    drop(err);

    let spinner = std::io::stderr().is_terminal();
    let frames = ['|', '/', '-', '\\'];
    let mut n = 0usize;
    let tick = || {
        if spinner {
            eprint!(
                "\r{} waiting for approval in the browser (Ctrl-C cancels) ",
                frames[n % frames.len()]
            );
            let _ = std::io::stderr().flush();
            n += 1;
        }
    };
    let outcome = rt.block_on(async {
        tokio::select! {
            r = client.wait_for_token(&client_id, &auth, &pkce, tick) => Some(r),
            _ = tokio::signal::ctrl_c() => None,
        }
    });
    if spinner {
        eprint!("\r{}\r", " ".repeat(60));
    }
    let token = match outcome {
        None => {
            eprintln!("alicloud-vault: login cancelled; nothing was stored");
            return Ok(CANCELLED);
        }
        Some(r) => r.map_err(|e| {
            anyhow::Error::new(e).context(format!(
                "the CloudSSO login for profile {root} did not complete; run `alicloud-vault sso login {root}` to try again"
            ))
        })?,
    };
    let doc = StoredSsoToken {
        sign_in_url: settings.sign_in_url.clone(),
        access_token: token.token,
        expires_at: token.expires_at,
    };
    vault.write(&token_item(&settings.sign_in_url), &doc)?;
    eprintln!(
        "alicloud-vault: logged in to CloudSSO at {}; the login is valid until {} and is shared by every profile with this sign-in URL",
        settings.sign_in_url,
        format_alibaba_time(doc.expires_at)
    );
    Ok(0)
}

/// Opens `url` in the desktop's browser; false where there is no desktop to show it on.
fn open_browser(url: &str) -> bool {
    browser::has_display() && browser::open(std::ffi::OsStr::new(url)).is_ok_and(|s| s.success())
}

/// One account with the access configurations the user may use in it.
#[derive(serde::Serialize)]
struct Listed {
    #[serde(flatten)]
    account: Account,
    access_configurations: Vec<AccessConfiguration>,
}

/// Every account the login of `profile`'s sign-in URL may use, with its access configurations,
/// and that profile's SSO settings.
fn fetch_listed(ctx: &Context, profile: &str) -> anyhow::Result<(SsoSettings, Vec<Listed>)> {
    alicloud_vault::config::validate_profile_name(profile)?;
    let (root, settings, ep) = sso_source(ctx, profile)?;
    let vault = ctx.vault()?;
    let now = OffsetDateTime::now_utc();
    let Some(token) = usable_token(&vault, &settings.sign_in_url, now)? else {
        return Err(CredentialsError::SsoLoginNeeded { profile: root }.into());
    };
    let client = SsoClient::new(&ep)?;
    let listed = rt()?
        .block_on(async {
            let mut out = Vec::new();
            for account in client.list_accounts(&token.access_token).await? {
                let access_configurations = client
                    .list_access_configurations(&token.access_token, &account.account_id)
                    .await?;
                out.push(Listed {
                    account,
                    access_configurations,
                });
            }
            Ok::<_, alicloud_vault::aliyun::sso::SsoError>(out)
        })
        .map_err(|e| sso_to_credentials(&root, e))?;
    Ok((settings, listed))
}

fn list(ctx: &Context, args: SsoListArgs) -> anyhow::Result<i32> {
    let (_, listed) = fetch_listed(ctx, &args.profile)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&listed)?);
        return Ok(0);
    }
    let mut rows = vec![[
        "ACCOUNT ID".to_string(),
        "ACCOUNT NAME".to_string(),
        "ACCESS CONFIGURATION".to_string(),
        "NAME".to_string(),
    ]];
    for l in &listed {
        if l.access_configurations.is_empty() {
            rows.push([
                l.account.account_id.clone(),
                l.account.display_name.clone(),
                "-".into(),
                "-".into(),
            ]);
        }
        for c in &l.access_configurations {
            rows.push([
                l.account.account_id.clone(),
                l.account.display_name.clone(),
                c.id.clone(),
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
        println!("{}", line.join("  ").trim_end());
    }
    Ok(0)
}

/// A profile-name piece: lower case, runs of anything but letters and digits as one `-`.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

fn configure(ctx: &Context, args: SsoConfigureArgs) -> anyhow::Result<i32> {
    if !args.prefix.is_empty() {
        alicloud_vault::config::validate_profile_name(&args.prefix).map_err(|_| {
            UsageError(format!(
                "--prefix {:?} may hold only A-Z a-z 0-9 . _ - (it starts profile names)",
                args.prefix
            ))
        })?;
    }
    let (settings, listed) = fetch_listed(ctx, &args.profile)?;
    let config = ctx.config()?;
    // The SSO profiles there are: the same sign-in URL, account and access configuration under
    // any name counts as configured.
    let sso_profiles: Vec<(String, &SsoSettings)> = config
        .profile_names()
        .into_iter()
        .filter_map(|n| {
            let s = config.profile(&n)?.sso.as_ref()?;
            Some((n, s))
        })
        .collect();
    let mut stanzas = String::new();
    let (mut added, mut existing) = (Vec::new(), Vec::new());
    for l in &listed {
        let account = match slug(&l.account.display_name) {
            s if s.is_empty() => l.account.account_id.clone(),
            s => s,
        };
        for c in &l.access_configurations {
            let access = match slug(&c.name) {
                s if s.is_empty() => slug(&c.id),
                s => s,
            };
            let mut name = format!("{}{account}-{access}", args.prefix);
            name.truncate(64);
            let name = name.trim_end_matches('-').to_string();
            let same = sso_profiles.iter().find(|(_, s)| {
                s.sign_in_url == settings.sign_in_url
                    && s.account_id == l.account.account_id
                    && s.access_configuration == c.id
            });
            if let Some((n, _)) = same {
                existing.push(n.clone());
                continue;
            }
            if config.profile(&name).is_some() || added.contains(&name) {
                return Err(UsageError(format!(
                    "a profile named {name} exists already for something else; choose another --prefix"
                ))
                .into());
            }
            stanzas.push_str(&format!(
                "\n# {} ({}), {}\n[profile.{name}]\nsso_sign_in_url = {}\nsso_account_id = {}\nsso_access_configuration = {}\n",
                one_line(&l.account.display_name),
                one_line(&l.account.account_id),
                one_line(&c.name),
                toml_string(&settings.sign_in_url),
                toml_string(&l.account.account_id),
                toml_string(&c.id),
            ));
            added.push(name);
        }
    }
    if !args.write {
        print!("{}", stanzas.trim_start_matches('\n'));
    } else if !added.is_empty() {
        let path = super::agent::config_file(ctx);
        let old = match std::fs::read_to_string(&path) {
            Ok(t) => Some(t),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(anyhow::anyhow!("cannot read {}: {e}", path.display())),
        };
        let mut text = old.clone().unwrap_or_default();
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(&stanzas);
        // What is written must load: check before the file changes.
        alicloud_vault::config::Config::parse(&path, &text)?;
        alicloud_vault::config::aliyun_cli::write_atomically(&path, text.as_bytes(), old.is_none())
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    }
    let verb = if args.write {
        "added to the configuration"
    } else {
        "printed"
    };
    eprintln!(
        "alicloud-vault: {} new profile(s) {verb}{}{}",
        added.len(),
        if added.is_empty() {
            String::new()
        } else {
            format!(": {}", added.join(", "))
        },
        if existing.is_empty() {
            String::new()
        } else {
            format!("; already configured: {}", existing.join(", "))
        }
    );
    Ok(0)
}

/// Server-given text for a TOML comment: a line break in it must not start a line of TOML.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn logout(ctx: &Context, args: SsoLogoutArgs) -> anyhow::Result<i32> {
    // Which sign-in URLs to forget: one profile's, or all (`None`).
    let only: Option<String> = match &args.profile {
        Some(p) => {
            alicloud_vault::config::validate_profile_name(p)?;
            Some(sso_source(ctx, p)?.1.sign_in_url)
        }
        None => None,
    };
    let vault = ctx.vault()?;
    let mut tokens = 0;
    match &only {
        Some(url) => tokens += usize::from(vault.delete(&token_item(url))?),
        None => {
            for name in vault.list(ItemKind::SsoToken)? {
                tokens += usize::from(vault.delete(&name)?);
            }
        }
    }
    // Sessions minted from an SSO login, directly or down a source_profile chain, wherever
    // they are held (the agent's memory too).
    let selector = Selector::SsoLogin { sign_in_url: only };
    let sessions = ctx.broker()?.forget(&vault, &selector)?;
    eprintln!(
        "alicloud-vault: logged out: removed {tokens} CloudSSO token(s) and {sessions} session(s) derived from them"
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
    let needed = err.chain().find_map(|c| match c.downcast_ref() {
        Some(CredentialsError::SsoLoginNeeded { profile }) => Some(profile.clone()),
        _ => None,
    });
    let refused_by_agent = err.chain().any(|c| {
        matches!(
            c.downcast_ref(),
            Some(alicloud_vault::agent::client::ClientError::Refused { .. })
        )
    });
    let Some(sso_profile) = needed.or_else(|| {
        refused_by_agent
            .then(|| login_missing(ctx, profile))
            .flatten()
    }) else {
        return Ok(false);
    };
    eprint!("alicloud-vault: profile {sso_profile} needs a CloudSSO login. Log in now? [y/N] ");
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    if !matches!(line.trim(), "y" | "Y" | "yes" | "Yes") {
        return Ok(false);
    }
    let vault = ctx.vault()?;
    match run_login(ctx, &vault, &sso_profile, false)? {
        0 => Ok(true),
        _ => Ok(false),
    }
}

/// The SSO profile at the root of `profile`'s chain when its login is missing or expired.
fn login_missing(ctx: &Context, profile: &str) -> Option<String> {
    let (root, settings, _) = sso_source(ctx, profile).ok()?;
    let vault = ctx.vault().ok()?;
    match usable_token(&vault, &settings.sign_in_url, OffsetDateTime::now_utc()) {
        Ok(None) => Some(root),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_names_are_lower_case_with_single_dashes() {
        assert_eq!(slug("Production"), "production");
        assert_eq!(slug("  Dev & Test (CN) "), "dev-test-cn");
        assert_eq!(slug("运维"), "");
    }

    #[test]
    fn server_text_in_a_comment_stays_on_one_line() {
        assert_eq!(
            one_line("Staging\n[profile.x]\r\nkey = 1"),
            "Staging [profile.x]  key = 1"
        );
    }
}
