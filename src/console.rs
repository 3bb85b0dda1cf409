//! `login`: the web console signed in as a profile's STS session, through the federation
//! endpoint (GetSigninToken, then the Login URL; docs/protocols.md, Console sign-in).
//!
//! The Login URL is a bearer credential for 30 seconds: it is handed to the browser through a
//! private HTML file (never through argv, which other users can read), or printed by the
//! command when asked to.

use crate::aliyun::signin::{self, SigninClient};
use crate::broker::{self, Broker};
use crate::browser;
use crate::config::{Config, ProfileName, Service, Site};
use crate::credentials::plan::{Plan, PlanOptions};
use crate::keystore::items::Vault;
use crate::secret::Secret;
use crate::session::Issued;

fn no_role(profile: &str) -> anyhow::Error {
    anyhow::anyhow!(
        "profile {profile} has no role_arn, so it has only a long-term AccessKey, and Alibaba Cloud \
         signs in to the console only with STS credentials (STS has no GetFederationToken). \
         Use a profile that assumes a role (role_arn, with source_profile = \"{profile}\") or a CloudSSO profile"
    )
}

/// The one-time sign-in URL of the console page `destination` (default: the console's home)
/// for `profile`'s STS session, which comes through the broker (the agent, else the keystore
/// cache and STS; it may start the agent).
pub fn sign_in_url(
    config: &Config,
    broker: &Broker<'_>,
    vault: impl FnOnce() -> anyhow::Result<Vault>,
    profile: &ProfileName,
    destination: Option<&str>,
) -> anyhow::Result<Secret> {
    let destination = destination.unwrap_or(signin::DEFAULT_DESTINATION);
    signin::check_destination(destination).map_err(|m| anyhow::anyhow!(m))?;
    let plan = Plan::build(config, profile, &PlanOptions::default())?;
    if plan.is_long_term() {
        return Err(no_role(profile));
    }
    // The site and endpoint of the first profile up the chain that sets them.
    let chain = config.chain(profile)?;
    let site = chain.iter().find_map(|p| p.site).unwrap_or(Site::China);
    let p = config.profile_or_key_only(profile)?;
    let federation = config
        .endpoint(&p, Service::Signin)?
        .unwrap_or_else(|| signin::default_federation(site).to_string());
    let client = SigninClient::new(&federation)?;

    let resolved = broker.credentials(&broker::Request::new(profile.clone()), vault)?;
    let Issued::Session(session) = resolved.issued else {
        return Err(no_role(profile));
    };
    let token = crate::runtime::block_on(client.get_signin_token(&session))?.map_err(|e| {
        anyhow::Error::new(e).context(format!(
            "the sign-in service did not accept the session of profile {profile}"
        ))
    })?;
    Ok(signin::login_url(
        client.federation(),
        signin::default_login_url(site),
        destination,
        &token,
    ))
}

/// Hands the URL to the browser through a 0600 HTML file that redirects to it, so that the
/// URL never appears in a process's argv. The file is useless after 30 s (the token expires
/// and is single use); the next `login` removes leftovers.
pub fn open_in_browser(url: &Secret) -> anyhow::Result<()> {
    let dir = crate::dirs::login_page_dir();
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
            Err(anyhow::anyhow!(
                "{program} could not open a browser ({s}); use --stdout to print the URL instead"
            ))
        }
        Err(e) => {
            let _ = std::fs::remove_file(&path);
            Err(anyhow::anyhow!(
                "cannot run {program} to open a browser ({e}); use --stdout to print the URL instead"
            ))
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
