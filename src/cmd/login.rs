//! `login PROFILE`: open the web console signed in as the profile's STS session, through the
//! federation endpoint (GetSigninToken, then the Login URL; docs/protocols.md, Console sign-in).
//!
//! The Login URL is a bearer credential for 30 seconds. It is printed on stdout only with
//! `--stdout` or when there is no display to open a browser on; otherwise it is handed to the
//! browser through a private HTML file (never through argv, which other users can read).

use super::{Context, UsageError};
use alicloud_vault::aliyun::signin::{self, SigninClient};
use alicloud_vault::browser;
use alicloud_vault::cli::LoginArgs;
use alicloud_vault::config::{Service, Site};
use alicloud_vault::credentials::plan::{Plan, PlanOptions};
use alicloud_vault::secret::Secret;
use alicloud_vault::session::Issued;

fn no_role(profile: &str) -> UsageError {
    UsageError(format!(
        "profile {profile} has no role_arn, so it has only a long-term AccessKey, and Alibaba Cloud \
         signs in to the console only with STS credentials (STS has no GetFederationToken). \
         Use a profile that assumes a role (role_arn, with source_profile = \"{profile}\") or a CloudSSO profile"
    ))
}

pub fn run(ctx: &Context, args: LoginArgs) -> anyhow::Result<i32> {
    super::require_known_profile(ctx, &args.profile)?;
    let destination = args
        .destination
        .unwrap_or_else(|| signin::DEFAULT_DESTINATION.to_string());
    signin::check_destination(&destination).map_err(UsageError)?;
    let config = ctx.config()?;
    let plan = Plan::build(config, &args.profile, &PlanOptions::default())?;
    if plan.is_long_term() {
        return Err(no_role(&args.profile).into());
    }
    // The site and endpoint of the first profile up the chain that sets them.
    let chain = config.chain(&args.profile)?;
    let site = chain.iter().find_map(|p| p.site).unwrap_or(Site::China);
    let profile = config.profile_or_key_only(&args.profile)?;
    let federation = config
        .endpoint(&profile, Service::Signin)?
        .unwrap_or_else(|| signin::default_federation(site).to_string());
    let client = SigninClient::new(&federation)?;

    let resolved = super::credentials_for(ctx, &args.profile, None, false, None, false)?;
    let Issued::Session(session) = resolved.issued else {
        return Err(no_role(&args.profile).into());
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let token = rt
        .block_on(client.get_signin_token(&session))
        .map_err(|e| {
            anyhow::Error::new(e).context(format!(
                "the sign-in service did not accept the session of profile {}",
                args.profile
            ))
        })?;
    let url = signin::login_url(
        client.federation(),
        signin::default_login_url(site),
        &destination,
        &token,
    );

    if args.stdout {
        println!("{}", url.expose());
        return Ok(0);
    }
    if !browser::has_display() {
        eprintln!("alicloud-vault: no display to open a browser on; printing the sign-in URL instead (it signs in whoever opens it within 30 seconds, once)");
        println!("{}", url.expose());
        return Ok(0);
    }
    open_in_browser(&url)?;
    eprintln!(
        "Opened the console for profile {} in the browser",
        args.profile
    );
    Ok(0)
}

/// Hands the URL to the browser through a 0600 HTML file that redirects to it, so that the
/// URL never appears in a process's argv. The file is useless after 30 s (the token expires
/// and is single use); the next `login` removes leftovers.
fn open_in_browser(url: &Secret) -> anyhow::Result<()> {
    let dir = std::env::var_os("XDG_RUNTIME_DIR")
        .filter(|d| !d.is_empty())
        .map(std::path::PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    const PREFIX: &str = "alicloud-vault-login-";
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().starts_with(PREFIX) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
    let path = dir.join(format!("{PREFIX}{}.html", std::process::id()));
    let escaped = url
        .expose()
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;");
    let html = Secret::new(format!(
        "<!doctype html><meta charset=\"utf-8\"><meta name=\"referrer\" content=\"no-referrer\">\
         <meta http-equiv=\"refresh\" content=\"0;url={escaped}\"><title>alicloud-vault login</title>\
         <p>Signing in to the Alibaba Cloud console...</p>"
    ));
    write_private(&path, html.expose()).map_err(|e| {
        anyhow::anyhow!(
            "cannot write {}: {e}; use --stdout to print the URL instead",
            path.display()
        )
    })?;
    let program = browser::opener();
    match browser::open(path.as_os_str()) {
        Ok(s) if s.success() => Ok(()),
        Ok(s) => {
            let _ = std::fs::remove_file(&path);
            Err(UsageError(format!(
                "{program} could not open a browser ({s}); use --stdout to print the URL instead"
            ))
            .into())
        }
        Err(e) => {
            let _ = std::fs::remove_file(&path);
            Err(UsageError(format!(
                "cannot run {program} to open a browser ({e}); use --stdout to print the URL instead"
            ))
            .into())
        }
    }
}

fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(path)?;
    f.write_all(text.as_bytes())
}
