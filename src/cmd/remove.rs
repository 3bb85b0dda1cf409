//! `remove PROFILE`: delete the stored key, then the sessions made from it.

use super::{Context, NotStored};
use alicloud_vault::cli::RemoveArgs;

pub fn run(ctx: &Context, args: RemoveArgs) -> anyhow::Result<i32> {
    super::require_known_profile(ctx, &args.profile)?;
    let vault = ctx.vault()?;
    if args.sessions_only {
        let n = super::drop_sessions_from(ctx, &vault, &args.profile)?;
        if n == 0 {
            alicloud_vault::sayln!(
                "No cached sessions made from profile {} to clear",
                args.profile
            );
        } else {
            alicloud_vault::sayln!(
                "Cleared {} made from profile {}",
                super::sessions_count(n),
                args.profile
            );
        }
        return Ok(0);
    }
    // Without a passphrase, and true for a damaged item too, which remove deletes unread.
    if !vault.key_is_stored(&args.profile)? {
        return Err(NotStored(format!(
            "no key is stored for profile {} in the {} keystore, so there is none to remove; `alicloud-vault list --credentials` shows the stored ones, and `alicloud-vault clear {}` drops its cached sessions",
            args.profile,
            vault.store().kind(),
            args.profile
        ))
        .into());
    }
    if !args.force
        && !super::confirm(
            &format!("Delete the stored key of profile {}?", args.profile),
            &format!("deleting the stored key of profile {}", args.profile),
            "--force",
        )?
    {
        alicloud_vault::sayln!("Nothing was deleted");
        return Ok(1);
    }
    let n = alicloud_vault::keys::remove_key(&vault, &ctx.broker()?, &args.profile)?;
    if n == 0 {
        alicloud_vault::sayln!("Deleted the key of profile {}", args.profile);
    } else {
        alicloud_vault::sayln!(
            "Deleted the key of profile {} and {} made from it",
            args.profile,
            super::sessions_count(n)
        );
    }
    Ok(0)
}
