//! `export PROFILE --format ...`: print the profile's credentials for other tools.

use super::{Context, UsageError};
use alicloud_vault::broker;
use alicloud_vault::cli::{ExportArgs, ExportFormat};
use alicloud_vault::environment;
use alicloud_vault::session::{format_alibaba_time, Issued};
use serde_json::{json, Map, Value};

/// Quotes a value for a POSIX shell: single quotes, with `'` written as `'\''`.
fn shell_quote(v: &str) -> String {
    format!("'{}'", v.replace('\'', r"'\''"))
}

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
    if matches!(args.format, ExportFormat::ShellUri | ExportFormat::FishUri) {
        return shell_uri(ctx, &args);
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
    let issued = &resolved.issued;
    let region = resolved.region.as_deref();
    let out = match args.format {
        ExportFormat::Env => {
            let mut changes = environment::for_credentials(&profile, issued, region);
            // These lines go into the user's own shell (`eval`), which is not an `exec`: the
            // vault's own variables (its passphrase, ALICLOUD_VAULT) stay as they are there.
            changes
                .remove
                .retain(|n| !environment::VAULT_SECRET_VARS.contains(n));
            changes
                .set
                .retain(|(n, _)| n != environment::VAULT_PROFILE_VAR);
            shell_lines(&changes, false)
        }
        ExportFormat::Json => {
            let mut m = Map::new();
            m.insert("AccessKeyId".into(), json!(issued.access_key_id()));
            m.insert(
                "AccessKeySecret".into(),
                json!(issued.access_key_secret().expose()),
            );
            if let Some(t) = issued.security_token() {
                m.insert("SecurityToken".into(), json!(t.expose()));
            }
            if let Some(e) = issued.expiration() {
                m.insert("Expiration".into(), json!(format_alibaba_time(e)));
            }
            if let Some(r) = region {
                m.insert("RegionId".into(), json!(r));
            }
            m.insert("Profile".into(), json!(profile));
            format!("{}\n", Value::Object(m))
        }
        ExportFormat::AliyunExternal => {
            // The aliyun CLI unmarshals this into its profile (docs/protocols.md, The aliyun CLI's config.json).
            let mut m = Map::new();
            match issued {
                Issued::LongTerm(_) => m.insert("mode".into(), json!("AK")),
                Issued::Session(_) => m.insert("mode".into(), json!("StsToken")),
            };
            m.insert("access_key_id".into(), json!(issued.access_key_id()));
            m.insert(
                "access_key_secret".into(),
                json!(issued.access_key_secret().expose()),
            );
            if let Some(t) = issued.security_token() {
                m.insert("sts_token".into(), json!(t.expose()));
            }
            if let Some(e) = issued.expiration() {
                m.insert("expiration".into(), json!(format_alibaba_time(e)));
            }
            if let Some(r) = region {
                m.insert("region_id".into(), json!(r));
            }
            format!("{}\n", Value::Object(m))
        }
        ExportFormat::CredentialsUriJson => {
            let Issued::Session(s) = issued else {
                return Err(UsageError(format!(
                    "profile {} has no role, so there is no session to serve; a credentials URI never serves a long-term key. Add a role_arn to the profile",
                    profile
                ))
                .into());
            };
            let json = zeroize::Zeroizing::new(s.endpoint_json());
            format!("{}\n", String::from_utf8_lossy(&json))
        }
        ExportFormat::ShellUri | ExportFormat::FishUri => unreachable!("handled above"),
        ExportFormat::Ini => {
            let mut s = format!("[{profile}]\n");
            match issued {
                Issued::LongTerm(_) => s.push_str("type = access_key\n"),
                Issued::Session(_) => s.push_str("type = sts\n"),
            }
            s.push_str(&format!("access_key_id = {}\n", issued.access_key_id()));
            s.push_str(&format!(
                "access_key_secret = {}\n",
                issued.access_key_secret().expose()
            ));
            if let Some(t) = issued.security_token() {
                s.push_str(&format!("security_token = {}\n", t.expose()));
            }
            s
        }
    };
    print!("{out}");
    Ok(0)
}

/// Quotes a value for fish: single quotes, in which only `\\` and `\'` are escapes.
fn fish_quote(v: &str) -> String {
    format!("'{}'", v.replace('\\', r"\\").replace('\'', r"\'"))
}

/// The lines that make `changes` in the user's shell: POSIX `unset`/`export`, or fish's
/// `set -e`/`set -gx`.
fn shell_lines(changes: &environment::EnvChanges, fish: bool) -> String {
    let removed: Vec<&str> = changes
        .remove
        .iter()
        .copied()
        .filter(|n| changes.get(n).is_none())
        .collect();
    let mut out = String::new();
    if fish {
        for n in &removed {
            out.push_str(&format!("set -e {n}\n"));
        }
    } else if !removed.is_empty() {
        out.push_str(&format!("unset {}\n", removed.join(" ")));
    }
    for (n, v) in &changes.set {
        out.push_str(&if fish {
            format!("set -gx {n} {}\n", fish_quote(v.expose()))
        } else {
            format!("export {n}={}\n", shell_quote(v.expose()))
        });
    }
    out
}

/// `--format shell-uri|fish-uri`: the agent serves a credentials URI that follows the shell
/// `--shell-pid` until it exits (or `clear`); the shell gets the URI and loses every static
/// credential variable (docs/usage.md, "A shell that never goes stale").
fn shell_uri(ctx: &Context, args: &ExportArgs) -> anyhow::Result<i32> {
    use alicloud_vault::agent::client::ClientError;
    use alicloud_vault::agent::protocol::{Request, Response};
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
    let duration = args
        .duration
        .map(alicloud_vault::config::SessionDuration::get);
    let broker = ctx.broker()?.with_autostart(true);
    let mut client = broker.required_agent("an open shell's credentials URI")?;
    let reply = client.request(&Request::GrantUri {
        profile: profile.to_string(),
        duration_secs: duration.map(|d| d.as_secs()),
        watch_pid: Some(shell_pid),
        container: args.container,
    });
    let (uri, region) = match reply {
        Ok(Response::Uri { uri, region, .. }) => (uri, region),
        Ok(_) => return Err(ClientError::Protocol("expected a URI".into()).into()),
        // An agent from before open-shell URIs does not know the request.
        Err(ClientError::Refused { message, .. })
            if message.starts_with("not a request this agent understands") =>
        {
            return Err(ClientError::Required(format!("the running agent (pid {}) is older than this alicloud-vault and cannot serve an open shell; restart it with `alicloud-vault agent stop` (the next command starts a new one)", client.pid)).into());
        }
        Err(e) => return Err(super::explain_failure(ctx, profile, e.into())),
    };
    let region = args.region.clone().map(String::from).or(region);
    let mut changes = environment::for_credentials_uri(profile, &uri, region.as_deref());
    // The user's own shell keeps the vault's own secret variables, as with `--format env`.
    changes
        .remove
        .retain(|n| !environment::VAULT_SECRET_VARS.contains(n));
    let out = shell_lines(&changes, fish);
    print!("{out}");
    alicloud_vault::note!("this shell now gets fresh sessions of profile {profile} from the agent; the URI is revoked when the shell (pid {shell_pid}) exits, or by `alicloud-vault clear`");
    Ok(0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn shell_quote_survives_quotes_and_dollars() {
        assert_eq!(super::shell_quote("a'b$c"), r"'a'\''b$c'");
    }

    #[test]
    fn fish_quote_escapes_backslashes_and_quotes_only() {
        assert_eq!(super::fish_quote(r"a'b\c$d"), r"'a\'b\\c$d'");
    }
}
