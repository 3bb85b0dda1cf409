//! `clear [PROFILE]`: drop cached sessions: all of them, or those made from PROFILE (its own
//! and those of every profile chained through it), in the running agent and the keystore.

use super::Context;
use alicloud_vault::cli::ClearArgs;
use alicloud_vault::config::validate_profile_name;
use alicloud_vault::credentials::forget::Selector;

pub fn run(ctx: &Context, args: ClearArgs) -> anyhow::Result<i32> {
    let selector = match &args.profile {
        Some(p) => {
            validate_profile_name(p)?;
            Selector::MadeFrom { profile: p.clone() }
        }
        None => Selector::All,
    };
    let vault = ctx.vault()?;
    let n = ctx.broker()?.forget(&vault, &selector)?;
    match &args.profile {
        Some(p) => eprintln!("Cleared {n} cached session(s) made from profile {p}"),
        None => eprintln!("Cleared {n} cached session(s)"),
    }
    Ok(0)
}
