//! `setup aliyun-cli`: make the aliyun CLI ask alicloud-vault for credentials.

use super::{Context, UsageError};
use alicloud_vault::cli::{SetupAliyunCliArgs, SetupCommand};
use alicloud_vault::config::aliyun_cli::{self, SetupOutcome, EXTERNAL_COMMAND_ARGS};

pub fn run(ctx: &Context, cmd: SetupCommand) -> anyhow::Result<i32> {
    match cmd {
        SetupCommand::AliyunCli(args) => aliyun(ctx, args),
    }
}

fn aliyun(ctx: &Context, args: SetupAliyunCliArgs) -> anyhow::Result<i32> {
    let path = aliyun_cli::default_path().ok_or_else(|| {
        UsageError("cannot find the home directory; set ALIBABA_CLOUD_CONFIG_FILE to the aliyun CLI's config.json".into())
    })?;
    // The absolute path, so that the CLI finds this binary whatever its PATH is.
    let exe = std::env::current_exe()?;
    let exe = exe.to_string_lossy();
    if exe.contains(['"', '\'', ' ']) {
        return Err(UsageError(format!("the path of this binary ({exe}) contains quotes or spaces, which the aliyun CLI's command splitting would break; install alicloud-vault elsewhere")).into());
    }
    let command = format!("{exe} {EXTERNAL_COMMAND_ARGS}");
    let region = match args.region {
        Some(r) => r.into(),
        None => ctx
            .config()?
            .defaults
            .region
            .clone()
            .unwrap_or_else(|| "cn-hangzhou".into()),
    };
    let outcome = aliyun_cli::add_external_profile(&path, &args.name, &command, &region)?;
    alicloud_vault::sayln!(
        "{} the aliyun CLI profile `{}` in {}: it runs `{command}`.\nInside `alicloud-vault exec PROFILE`, `aliyun` now uses the vault's session.",
        if outcome == SetupOutcome::Added { "Added" } else { "Updated" },
        args.name,
        path.display()
    );
    Ok(0)
}
