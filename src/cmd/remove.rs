//! `remove PROFILE`: delete the stored key, then the sessions made from it.

use super::{Context, UsageError};
use alicloud_vault::cli::RemoveArgs;
use alicloud_vault::config::validate_profile_name;
use alicloud_vault::keystore::{ItemKind, ItemName};

pub fn run(ctx: &Context, args: RemoveArgs) -> anyhow::Result<i32> {
    validate_profile_name(&args.profile)?;
    let vault = ctx.vault()?;
    if args.sessions_only {
        let n = super::drop_sessions_from(ctx, &vault, &args.profile)?;
        eprintln!(
            "Cleared {n} cached session(s) made from profile {}",
            args.profile
        );
        return Ok(0);
    }
    if !vault.has_key(&args.profile)? {
        return Err(UsageError(format!(
            "no key is stored for profile {} in the {} keystore; `alicloud-vault list --credentials` shows the stored ones",
            args.profile,
            vault.store().kind()
        ))
        .into());
    }
    if !args.force
        && !super::confirm(
            &format!("Delete the stored key of profile {}?", args.profile),
            "--force",
        )?
    {
        eprintln!("Nothing was deleted");
        return Ok(1);
    }
    // The key first: if that fails, nothing at all has changed.
    vault.delete(&ItemName::new(ItemKind::Key, &args.profile))?;
    let n = super::drop_sessions_from(ctx, &vault, &args.profile)?;
    eprintln!(
        "Deleted the key of profile {} and {n} cached session(s)",
        args.profile
    );
    Ok(0)
}
