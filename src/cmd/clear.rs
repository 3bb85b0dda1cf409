//! `clear [PROFILE]`: drop cached sessions: all of them, or those made from PROFILE (its own
//! and those of every profile chained through it), in the running agent and the keystore.

use super::Context;
use alicloud_vault::cli::ClearArgs;
use alicloud_vault::credentials::forget::Selector;

pub fn run(ctx: &Context, args: ClearArgs) -> anyhow::Result<i32> {
    let selector = match &args.profile {
        Some(p) => {
            super::require_known_profile(ctx, p)?;
            Selector::MadeFrom {
                profile: p.to_string(),
            }
        }
        None => Selector::All,
    };
    let vault = ctx.vault()?;
    // The URIs of open shells go too (`export --format shell-uri`).
    let n = ctx.broker()?.clear(&vault, &selector)?;
    let from = args
        .profile
        .as_ref()
        .map(|p| format!(" made from profile {p}"))
        .unwrap_or_default();
    if n == 0 {
        alicloud_vault::sayln!("No cached sessions{from} to clear");
    } else {
        alicloud_vault::sayln!("Cleared {}{from}", super::sessions_count(n));
    }
    Ok(0)
}
