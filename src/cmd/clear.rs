//! `clear [PROFILE]`: drop cached sessions.

use super::Context;
use alicloud_vault::cli::ClearArgs;
use alicloud_vault::config::validate_profile_name;

pub fn run(ctx: &Context, args: ClearArgs) -> anyhow::Result<i32> {
    if let Some(p) = &args.profile {
        validate_profile_name(p)?;
    }
    let vault = ctx.vault()?;
    let mut n = 0;
    for (name, s) in vault.sessions()? {
        let matches = args.profile.as_ref().is_none_or(|p| &s.profile == p);
        if matches && vault.delete(&name)? {
            n += 1;
        }
    }
    eprintln!("Cleared {n} cached session(s)");
    Ok(0)
}
