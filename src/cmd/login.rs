//! `login PROFILE`: open the web console signed in as the profile's STS session
//! (`alicloud_vault::console`). The sign-in URL is printed on stdout only with `--stdout` or
//! when there is no display to open a browser on.

use super::Context;
use alicloud_vault::browser;
use alicloud_vault::cli::LoginArgs;
use alicloud_vault::console;

pub fn run(ctx: &Context, args: LoginArgs) -> anyhow::Result<i32> {
    super::require_known_profile(ctx, &args.profile)?;
    let broker = ctx.broker()?.with_autostart(true);
    let url = console::sign_in_url(
        ctx.config()?,
        &broker,
        || ctx.vault(),
        &args.profile,
        args.destination.as_deref(),
    )?;
    if args.stdout {
        alicloud_vault::outln!("{}", url.expose());
        return Ok(0);
    }
    if !browser::has_display() {
        alicloud_vault::note!("no display to open a browser on; printing the sign-in URL instead (it signs in whoever opens it within 30 seconds, once)");
        alicloud_vault::outln!("{}", url.expose());
        return Ok(0);
    }
    console::open_in_browser(&url)?;
    alicloud_vault::sayln!(
        "Opened the console for profile {} in the browser",
        args.profile
    );
    Ok(0)
}
