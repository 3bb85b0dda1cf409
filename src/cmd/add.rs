//! `add PROFILE`: store a long-term AccessKey, read from a prompt, the environment or stdin.

use super::{Context, UsageError};
use alicloud_vault::cli::AddArgs;
use alicloud_vault::config::aliyun_cli;
use alicloud_vault::keys;
use alicloud_vault::secret::Secret;
use alicloud_vault::session::{check_key_shape, LongTermKey};
use std::io::{BufRead, IsTerminal};

/// The variable tiers, most specific first (docs/usage.md, `add`): ALIBABA_CLOUD_ > ALIBABACLOUD_ > ALICLOUD_ > plain.
const ID_VARS: [&str; 4] = [
    "ALIBABA_CLOUD_ACCESS_KEY_ID",
    "ALIBABACLOUD_ACCESS_KEY_ID",
    "ALICLOUD_ACCESS_KEY_ID",
    "ACCESS_KEY_ID",
];
const SECRET_VARS: [&str; 4] = [
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    "ALIBABACLOUD_ACCESS_KEY_SECRET",
    "ALICLOUD_ACCESS_KEY_SECRET",
    "ACCESS_KEY_SECRET",
];

fn first_env(names: &[&str]) -> Option<String> {
    names
        .iter()
        .find_map(|n| std::env::var(n).ok().filter(|v| !v.trim().is_empty()))
}

fn read_key(args: &AddArgs) -> anyhow::Result<LongTermKey> {
    let (id, secret) = if args.import_aliyun {
        let path = aliyun_path()?;
        let key = aliyun_cli::ak_profile_key(&path, &args.profile)?;
        (key.access_key_id, key.access_key_secret)
    } else if args.env {
        let id = first_env(&ID_VARS)
            .ok_or_else(|| UsageError(format!("--env: none of {} is set", ID_VARS.join(", "))))?;
        let secret = first_env(&SECRET_VARS).map(Secret::from).ok_or_else(|| {
            UsageError(format!("--env: none of {} is set", SECRET_VARS.join(", ")))
        })?;
        (id, secret)
    } else if args.stdin {
        let mut lines = std::io::stdin().lock();
        let mut id = String::new();
        lines.read_line(&mut id)?;
        let mut secret = String::new();
        lines.read_line(&mut secret)?;
        let secret = Secret::from(secret.trim().to_string());
        (id.trim().to_string(), secret)
    } else {
        if !std::io::stdin().is_terminal() {
            return Err(UsageError(
                "there is no terminal to prompt on; pipe the key with --stdin (two lines: id, then secret) or use --env".into(),
            )
            .into());
        }
        alicloud_vault::say!("Enter AccessKey ID: ");
        let mut id = String::new();
        std::io::stdin().read_line(&mut id)?;
        let secret = Secret::from(
            rpassword::prompt_password("Enter AccessKey Secret: ")?
                .trim()
                .to_string(),
        );
        (id.trim().to_string(), secret)
    };
    // Neither ids nor secrets contain white space: what surrounds them is from copy and paste.
    let (id, secret) = (
        id.trim().to_string(),
        Secret::from(secret.expose().trim().to_string()),
    );
    check_key_shape(&id, secret.expose())
        .map_err(|m| UsageError(format!("{m}; nothing was stored")))?;
    Ok(LongTermKey {
        access_key_id: id,
        access_key_secret: secret,
    })
}

pub fn run(ctx: &Context, args: AddArgs) -> anyhow::Result<i32> {
    let config = ctx.config()?;
    if args.import_aliyun {
        let path = aliyun_path()?;
        if aliyun_cli::is_oauth_profile(&path, &args.profile) {
            return import_oauth(ctx, &args, &path);
        }
    }
    let key = read_key(&args)?;
    if !args.no_verify {
        let id = alicloud_vault::credentials::verify::new_key_owner(config, &args.profile, &key)?;
        alicloud_vault::sayln!("Verified: {} ({})", id.arn, id.identity_type);
    }
    let vault = ctx.vault()?;
    let stored = keys::store_key(&vault, &ctx.broker()?, &args.profile, key)?;
    let id = stored.id;
    match stored.replaced {
        Some(old) => {
            let n = stored.sessions_dropped;
            let dropped = if n == 0 {
                String::new()
            } else {
                format!(
                    "; dropped {} made from the old one",
                    super::sessions_count(n)
                )
            };
            let old = old.unwrap_or_else(|| "a damaged item".to_string());
            alicloud_vault::sayln!(
                "Replaced the key of profile {} in the {} keystore: the old key was {old}, the new one is {id}{dropped}",
                args.profile,
                vault.store().kind()
            );
        }
        None => alicloud_vault::sayln!(
            "Stored key {id} for profile {} in the {} keystore",
            args.profile,
            vault.store().kind()
        ),
    }
    if args.import_aliyun {
        offer_to_blank(&args)?;
    }
    Ok(0)
}

fn aliyun_path() -> anyhow::Result<std::path::PathBuf> {
    Ok(aliyun_cli::default_path().ok_or_else(|| {
        UsageError("cannot find the home directory; set ALIBABA_CLOUD_CONFIG_FILE".into())
    })?)
}

/// `add PROFILE --import-aliyun` for an aliyun CLI profile in mode OAuth: its refresh token
/// (and access token) into the keystore, then the offer to blank them in the CLI's file.
fn import_oauth(ctx: &Context, args: &AddArgs, path: &std::path::Path) -> anyhow::Result<i32> {
    let login = aliyun_cli::oauth_profile_login(path, &args.profile)?;
    let vault = ctx.vault()?;
    let sessions = keys::store_imported_login(&vault, &ctx.broker()?, &args.profile, &login)?;
    alicloud_vault::sayln!(
        "Stored the OAuth login of profile {} ({} site) in the {} keystore{}",
        args.profile,
        login.site.as_str(),
        vault.store().kind(),
        if sessions == 0 {
            String::new()
        } else {
            format!("; dropped {}", super::sessions_count(sessions))
        }
    );
    let agreed = ask_to_blank(
        args,
        &format!(
            "Blank the plaintext OAuth tokens of profile {} in {}? (the aliyun CLI then needs `aliyun configure --mode OAuth` again for it)",
            args.profile,
            path.display()
        ),
        "blanking the tokens in the aliyun CLI's file",
    )?;
    if agreed {
        aliyun_cli::blank_oauth_tokens(path, &args.profile)?;
        alicloud_vault::sayln!(
            "Blanked the OAuth tokens of profile {} in {}",
            args.profile,
            path.display()
        );
    } else {
        alicloud_vault::sayln!(
            "The refresh token is still in plaintext in {}: run `alicloud-vault add {} --import-aliyun --yes` to blank it there",
            path.display(),
            args.profile
        );
    }
    Ok(0)
}

/// `--yes`, or the user's answer on a terminal.
fn ask_to_blank(args: &AddArgs, question: &str, action: &str) -> anyhow::Result<bool> {
    Ok(args.yes || (std::io::stdin().is_terminal() && super::confirm(question, action, "--yes")?))
}

/// After an import, the plaintext copy in the aliyun CLI's file should go: with `--yes`, or
/// when the user agrees on a terminal. Otherwise it stays, and the user is told so.
fn offer_to_blank(args: &AddArgs) -> anyhow::Result<()> {
    let path = aliyun_path()?;
    let question = format!(
        "Blank the plaintext key of profile {} in {}?",
        args.profile,
        path.display()
    );
    let agreed = ask_to_blank(args, &question, "blanking the key in the aliyun CLI's file")?;
    if agreed {
        aliyun_cli::blank_keys(&path, &args.profile)?;
        alicloud_vault::sayln!(
            "Blanked the key of profile {} in {}",
            args.profile,
            path.display()
        );
    } else {
        alicloud_vault::sayln!(
            "The key is still in plaintext in {}: run `alicloud-vault add {} --import-aliyun --yes` to blank it there",
            path.display(),
            args.profile
        );
    }
    Ok(())
}
