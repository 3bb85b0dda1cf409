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
            let mut s = String::new();
            let removed: Vec<&str> = changes
                .remove
                .iter()
                .copied()
                .filter(|n| changes.get(n).is_none())
                .collect();
            if !removed.is_empty() {
                s.push_str(&format!("unset {}\n", removed.join(" ")));
            }
            for (n, v) in &changes.set {
                s.push_str(&format!("export {n}={}\n", shell_quote(v.expose())));
            }
            s
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

#[cfg(test)]
mod tests {
    #[test]
    fn shell_quote_survives_quotes_and_dollars() {
        assert_eq!(super::shell_quote("a'b$c"), r"'a'\''b$c'");
    }
}
