//! `rotate PROFILE [--verify-timeout D]`: the rotation itself is `alicloud_vault::rotation`.

use super::Context;
use alicloud_vault::cli::RotateArgs;
use alicloud_vault::rotation::{Rotation, DEFAULT_VERIFY_TIMEOUT};

pub fn run(ctx: &Context, args: RotateArgs) -> anyhow::Result<i32> {
    super::require_known_profile(ctx, &args.profile)?;
    let verify_timeout = args.verify_timeout.unwrap_or(DEFAULT_VERIFY_TIMEOUT);
    let broker = ctx.broker()?;
    let report = |line: &str| alicloud_vault::sayln!("{line}");
    let rotation = Rotation::prepare(
        ctx.config()?,
        &broker,
        ctx.vault()?,
        &args.profile,
        verify_timeout,
        &report,
    )?;
    rotation.run()?;
    Ok(0)
}
