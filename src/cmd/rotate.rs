//! `rotate PROFILE [--verify-timeout D]`: the rotation itself is `alicloud_vault::rotation`.

use super::{Context, UsageError};
use alicloud_vault::cli::RotateArgs;
use alicloud_vault::config::parse_duration;
use alicloud_vault::rotation::{Rotation, DEFAULT_VERIFY_TIMEOUT};

pub fn run(ctx: &Context, args: RotateArgs) -> anyhow::Result<i32> {
    super::require_known_profile(ctx, &args.profile)?;
    let verify_timeout = match &args.verify_timeout {
        None => DEFAULT_VERIFY_TIMEOUT,
        Some(t) => parse_duration(t).map_err(|m| UsageError(format!("--verify-timeout: {m}")))?,
    };
    let broker = ctx.broker()?;
    let report = |line: &str| eprintln!("{line}");
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
