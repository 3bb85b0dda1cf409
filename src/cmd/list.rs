//! `list`: profiles, which have stored keys, and cached sessions with their time left.

use super::Context;
use alicloud_vault::cli::ListArgs;
use alicloud_vault::config::duration::format_seconds;
use serde_json::json;
use std::collections::BTreeMap;
use time::OffsetDateTime;

pub fn run(ctx: &Context, args: ListArgs) -> anyhow::Result<i32> {
    let config = ctx.config()?;
    if args.profiles {
        // Names only: needs no keystore, so it never prompts for a passphrase.
        let names = config.profile_names();
        if args.json {
            println!("{}", serde_json::to_string_pretty(&names)?);
        } else {
            for n in names {
                println!("{n}");
            }
        }
        return Ok(0);
    }
    let vault = ctx.vault()?;
    let keys = vault.profiles_with_keys()?;
    if args.credentials {
        if args.json {
            println!("{}", serde_json::to_string_pretty(&keys)?);
        } else {
            for k in keys {
                println!("{k}");
            }
        }
        return Ok(0);
    }
    let now = OffsetDateTime::now_utc();
    // Per profile, the longest-lived cached session still valid.
    let mut sessions: BTreeMap<String, i64> = BTreeMap::new();
    for (_, s) in vault.sessions()? {
        let left = s.session.seconds_left(now);
        if left > 0 {
            let e = sessions.entry(s.profile.clone()).or_insert(left);
            *e = (*e).max(left);
        }
    }
    if args.sessions {
        if args.json {
            let v: Vec<_> = sessions
                .iter()
                .map(|(p, left)| json!({"profile": p, "seconds_left": left}))
                .collect();
            println!("{}", serde_json::to_string_pretty(&v)?);
        } else {
            for (p, left) in &sessions {
                println!("{p}\t{}", format_seconds(*left));
            }
        }
        return Ok(0);
    }
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
                    "session_seconds_left": sessions.get(n),
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(0);
    }
    let width = names.iter().map(|n| n.len()).max().unwrap_or(0).max(7);
    println!("{:width$}  {:11}  Session", "Profile", "Credentials");
    println!("{:width$}  {:11}  -------", "-------", "-----------");
    for n in &names {
        let cred = if keys.contains(n) { "stored key" } else { "-" };
        let session = sessions
            .get(n)
            .map(|s| format_seconds(*s))
            .unwrap_or_else(|| "-".into());
        println!("{n:width$}  {cred:11}  {session}");
    }
    Ok(0)
}
