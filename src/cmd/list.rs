//! `list`: profiles, which have stored keys, and cached sessions with their time left.
//!
//! Listing item names needs no passphrase on any backend; reading a session (for its profile
//! and time left) does on the `file` backend. So `list` reads sessions there only when the
//! passphrase is in the environment, and never asks for one; `list --sessions` may ask.

use super::Context;
use alicloud_vault::cli::ListArgs;
use alicloud_vault::color::{self, Stream};
use alicloud_vault::config::duration::format_seconds;
use alicloud_vault::config::Config;
use alicloud_vault::keystore::file::PASSPHRASE_ENV;
use alicloud_vault::keystore::items::Vault;
use alicloud_vault::keystore::{BackendKind, ItemKind};
use serde_json::json;
use std::collections::BTreeMap;
use time::OffsetDateTime;

/// What the table says about where a profile's credentials come from: `stored key`, the
/// source profile of a role (as aws-vault shows it), `sso`, `oauth`, `oidc`, the aliyun CLI's
/// key, or `-`.
fn credentials_of(config: &Config, keys: &[String], name: &str) -> String {
    if keys.iter().any(|k| k == name) {
        return "stored key".into();
    }
    let Some(p) = config.profile(name) else {
        return "-".into();
    };
    if let Some(src) = &p.source_profile {
        src.clone()
    } else if p.sso.is_some() {
        "sso".into()
    } else if p.oauth.is_some() {
        "oauth".into()
    } else if p.oidc.is_some() {
        "oidc".into()
    } else if p.inline_key.is_some() {
        "aliyun CLI key".into()
    } else {
        "-".into()
    }
}

/// Per profile, the longest time left on a cached session still valid.
fn sessions_left(vault: &Vault) -> anyhow::Result<BTreeMap<String, i64>> {
    let now = OffsetDateTime::now_utc();
    let mut sessions: BTreeMap<String, i64> = BTreeMap::new();
    for (_, s) in vault.sessions()? {
        let left = s.session.seconds_left(now);
        if left > 0 {
            let e = sessions.entry(s.profile.clone()).or_insert(left);
            *e = (*e).max(left);
        }
    }
    Ok(sessions)
}

/// Reading sessions would prompt for the file keystore's passphrase.
fn sessions_need_a_prompt(vault: &Vault) -> anyhow::Result<bool> {
    Ok(vault.store().kind() == BackendKind::File
        && std::env::var_os(PASSPHRASE_ENV).is_none_or(|v| v.is_empty())
        && !vault.list(ItemKind::Session)?.is_empty())
}

pub fn run(ctx: &Context, args: ListArgs) -> anyhow::Result<i32> {
    let config = ctx.config()?;
    if args.profiles {
        // The names are useful without the keystore too: say what is missing, print the rest.
        let keys = match ctx.vault().and_then(|v| Ok(v.profiles_with_keys()?)) {
            Ok(keys) => keys,
            Err(e) => {
                alicloud_vault::warn!("{e:#}; listing the configured profiles only");
                Vec::new()
            }
        };
        let mut names = config.profile_names();
        names.extend(keys.iter().cloned());
        names.sort();
        names.dedup();
        if args.json {
            alicloud_vault::outln!("{}", serde_json::to_string_pretty(&names)?);
        } else if names.is_empty() {
            empty_hint(config);
        } else {
            for n in names {
                alicloud_vault::outln!("{n}");
            }
        }
        return Ok(0);
    }
    let vault = ctx.vault()?;
    let keys = vault.profiles_with_keys()?;
    if args.credentials {
        if args.json {
            alicloud_vault::outln!("{}", serde_json::to_string_pretty(&keys)?);
        } else if keys.is_empty() {
            alicloud_vault::sayln!(
                "No keys are stored in the {} keystore; store one with `alicloud-vault add PROFILE`",
                vault.store().kind()
            );
        } else {
            for k in keys {
                alicloud_vault::outln!("{k}");
            }
        }
        return Ok(0);
    }
    if args.sessions {
        let sessions = sessions_left(&vault)?;
        if args.json {
            let v: Vec<_> = sessions
                .iter()
                .map(|(p, left)| json!({"profile": p, "seconds_left": left}))
                .collect();
            alicloud_vault::outln!("{}", serde_json::to_string_pretty(&v)?);
        } else if sessions.is_empty() {
            alicloud_vault::sayln!("No cached sessions; `alicloud-vault exec PROFILE` makes one");
        } else {
            for (p, left) in &sessions {
                alicloud_vault::outln!("{p}\t{}", format_seconds(*left));
            }
        }
        return Ok(0);
    }
    let unread = sessions_need_a_prompt(&vault)?;
    let sessions = if unread {
        BTreeMap::new()
    } else {
        sessions_left(&vault)?
    };
    let mut names = config.profile_names();
    names.extend(keys.iter().cloned());
    names.extend(sessions.keys().cloned());
    names.sort();
    names.dedup();
    if args.json {
        let v: Vec<_> = names
            .iter()
            .map(|n| {
                json!({
                    "profile": n,
                    "configured": config.profile(n).is_some(),
                    "stored_key": keys.contains(n),
                    "source_profile": config.profile(n).and_then(|p| p.source_profile.clone()),
                    "session_seconds_left": sessions.get(n),
                })
            })
            .collect();
        alicloud_vault::outln!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(0);
    }
    if names.is_empty() {
        empty_hint(config);
        return Ok(0);
    }
    let creds: Vec<String> = names
        .iter()
        .map(|n| credentials_of(config, &keys, n))
        .collect();
    let width = names.iter().map(|n| n.len()).max().unwrap_or(0).max(7);
    let cwidth = creds.iter().map(|c| c.len()).max().unwrap_or(0).max(11);
    let out = Stream::Stdout;
    alicloud_vault::outln!(
        "{}  {}  {}",
        color::header(out, &format!("{:width$}", "Profile")),
        color::header(out, &format!("{:cwidth$}", "Credentials")),
        color::header(out, "Session")
    );
    if !color::enabled(out) {
        alicloud_vault::outln!("{:-<width$}  {:-<cwidth$}  -------", "", "");
    }
    for (n, cred) in names.iter().zip(&creds) {
        let session = match sessions.get(n) {
            Some(s) => color::time_left(out, *s),
            None if unread => "?".into(),
            None => "-".into(),
        };
        alicloud_vault::outln!("{n:width$}  {cred:cwidth$}  {session}");
    }
    if unread {
        alicloud_vault::sayln!(
            "The time left on cached sessions is not shown (?): the file keystore needs its passphrase to read them. Set {PASSPHRASE_ENV}, or run `alicloud-vault list --sessions`, which asks for it"
        );
    }
    Ok(0)
}

/// The next step when there is nothing to list.
fn empty_hint(config: &Config) {
    alicloud_vault::sayln!(
        "No profiles yet. Store a key with `alicloud-vault add PROFILE`, then describe the roles it may assume in {} (docs/configuration.md)",
        config.file.display()
    );
}
