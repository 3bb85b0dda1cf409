//! What `export` writes: a profile's credentials in the formats other tools read, and the
//! shell lines that point an open shell at a credentials URI. Pure text; `cmd/export.rs`
//! gets the credentials and prints.

use crate::environment::{self, EnvChanges};
use crate::session::{format_alibaba_time, Issued};
use serde_json::{json, Map, Value};

/// The formats of `export --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `export NAME=value` lines for a POSIX shell
    Env,
    /// One JSON object with the credentials and expiry
    Json,
    /// The JSON that the aliyun CLI's `External` mode reads
    AliyunExternal,
    /// The JSON a credentials URI serves
    CredentialsUriJson,
    /// An INI section for ~/.alibabacloud/credentials
    Ini,
    /// Shell lines (bash, zsh) that point the shell at a credentials URI that stays fresh
    ShellUri,
    /// The same for fish
    FishUri,
}

impl Format {
    /// The formats that ask the agent for a URI instead of printing credentials.
    pub fn is_open_shell(self) -> bool {
        matches!(self, Format::ShellUri | Format::FishUri)
    }
}

/// Credentials that the chosen format cannot carry (a usage error: exit code 1).
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("profile {profile} has no role, so there is no session to serve; a credentials URI never serves a long-term key. Add a role_arn to the profile")]
    NoSession { profile: String },
    #[error("--format {0} prints a credentials URI, not credentials")]
    OpenShell(&'static str),
}

/// The text `export --format FORMAT` prints for `issued` of `profile`.
pub fn credentials(
    format: Format,
    profile: &str,
    issued: &Issued,
    region: Option<&str>,
) -> Result<String, ExportError> {
    Ok(match format {
        Format::Env => {
            let mut changes = environment::for_credentials(profile, issued, region);
            // These lines go into the user's own shell (`eval`), which is not an `exec`: the
            // vault's own variables (its passphrase, ALICLOUD_VAULT) stay as they are there.
            keep_vault_secrets(&mut changes);
            changes
                .set
                .retain(|(n, _)| n != environment::VAULT_PROFILE_VAR);
            shell_lines(&changes, false)
        }
        Format::Json => {
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
        Format::AliyunExternal => {
            // The aliyun CLI unmarshals this into its profile (docs/protocols.md, The aliyun
            // CLI's config.json).
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
        Format::CredentialsUriJson => {
            let Issued::Session(s) = issued else {
                return Err(ExportError::NoSession {
                    profile: profile.to_string(),
                });
            };
            // The same JSON the agent's credentials URI serves (`Session::endpoint_json`).
            let json = zeroize::Zeroizing::new(s.endpoint_json());
            format!("{}\n", String::from_utf8_lossy(&json))
        }
        Format::Ini => {
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
        Format::ShellUri => return Err(ExportError::OpenShell("shell-uri")),
        Format::FishUri => return Err(ExportError::OpenShell("fish-uri")),
    })
}

/// The lines that point the user's shell at a credentials URI of `profile` (and drop every
/// static credential variable): POSIX for `shell-uri`, fish for `fish-uri`.
pub fn open_shell(profile: &str, uri: &str, region: Option<&str>, fish: bool) -> String {
    let mut changes = environment::for_credentials_uri(profile, uri, region);
    keep_vault_secrets(&mut changes);
    shell_lines(&changes, fish)
}

/// The user's own shell keeps the vault's own secret variables (its passphrase): `export`
/// never unsets them there.
fn keep_vault_secrets(changes: &mut EnvChanges) {
    changes
        .remove
        .retain(|n| !environment::VAULT_SECRET_VARS.contains(n));
}

/// Quotes a value for a POSIX shell: single quotes, with `'` written as `'\''`.
fn shell_quote(v: &str) -> String {
    format!("'{}'", v.replace('\'', r"'\''"))
}

/// Quotes a value for fish: single quotes, in which only `\\` and `\'` are escapes.
fn fish_quote(v: &str) -> String {
    format!("'{}'", v.replace('\\', r"\\").replace('\'', r"\'"))
}

/// The lines that make `changes` in the user's shell: POSIX `unset`/`export`, or fish's
/// `set -e`/`set -gx`.
fn shell_lines(changes: &EnvChanges, fish: bool) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;
    use crate::session::LongTermKey;

    #[test]
    fn shell_quote_survives_quotes_and_dollars() {
        assert_eq!(shell_quote("a'b$c"), r"'a'\''b$c'");
    }

    #[test]
    fn fish_quote_escapes_backslashes_and_quotes_only() {
        assert_eq!(fish_quote(r"a'b\c$d"), r"'a\'b\\c$d'");
    }

    #[test]
    fn a_long_term_key_is_no_credentials_uri_json() {
        let key = Issued::LongTerm(LongTermKey {
            access_key_id: "LTAIexample".into(),
            access_key_secret: Secret::new("s3cret"),
        });
        let err = credentials(Format::CredentialsUriJson, "dev", &key, None).unwrap_err();
        assert!(err.to_string().contains("profile dev has no role"), "{err}");
        assert!(!err.to_string().contains("s3cret"));
        let ini = credentials(Format::Ini, "dev", &key, None).unwrap();
        assert_eq!(
            ini,
            "[dev]\ntype = access_key\naccess_key_id = LTAIexample\naccess_key_secret = s3cret\n"
        );
    }
}
