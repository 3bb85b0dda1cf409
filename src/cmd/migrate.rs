//! `migrate --from A --to B [--dry-run] [--delete-source] [--force]`: copies every item from one
//! keystore backend to another (keystore::migrate), then tells the agent of the old backend.

use super::{Context, UsageError};
use alicloud_vault::broker::Broker;
use alicloud_vault::cli::MigrateArgs;
use alicloud_vault::credentials::forget::Selector;
use alicloud_vault::keystore::items::Vault;
use alicloud_vault::keystore::migrate::{self, Options, Step};
use alicloud_vault::keystore::{self, BackendKind};

fn backend(flag: &str, name: &str) -> anyhow::Result<BackendKind> {
    Ok(name
        .parse::<BackendKind>()
        .map_err(|m| UsageError(format!("{flag}: {m}")))?)
}

pub fn run(ctx: &Context, args: MigrateArgs) -> anyhow::Result<i32> {
    let (from, to) = (backend("--from", &args.from)?, backend("--to", &args.to)?);
    if from == to {
        return Err(migrate::MigrateError::SameBackend(from).into());
    }
    let source = keystore::open(Some(from))?;
    let target = keystore::open(Some(to))?;
    let options = Options {
        dry_run: args.dry_run,
        delete_source: args.delete_source,
        force: args.force,
    };
    let report = migrate::migrate(source.as_ref(), target.as_ref(), options)?;
    let verb = |step: Step| match (step, report.dry_run) {
        (Step::Copy, true) => "would copy",
        (Step::Copy, false) => "copied",
        (Step::Replace, true) => "would replace",
        (Step::Replace, false) => "replaced",
        (Step::Same, _) => "already there",
    };
    for p in &report.items {
        alicloud_vault::outln!("{}\t{}", verb(p.step), p.name.account());
    }
    let (copy, replace, same) = (
        report.count(Step::Copy),
        report.count(Step::Replace),
        report.count(Step::Same),
    );
    if report.dry_run {
        alicloud_vault::sayln!(
            "Dry run: {copy} to copy and {replace} to replace from {from} to {to}, {same} already there{}; nothing was changed",
            if args.delete_source {
                format!(", then {} to delete from {from}", report.items.len())
            } else {
                String::new()
            }
        );
        return Ok(0);
    }
    alicloud_vault::sayln!(
        "Copied {copy} and replaced {replace} item(s) from {from} to {to} ({same} already there); each was read back from {to} and matched"
    );
    if args.delete_source {
        alicloud_vault::sayln!("Deleted {} item(s) from {from}", report.deleted_from_source);
    }
    tell_the_agent(ctx, from, source, args.delete_source)?;
    alicloud_vault::sayln!(
        "To use {to} from now on: `backend = \"{to}\"` under [defaults] in the configuration, or ALICLOUD_VAULT_BACKEND={to}, or --backend {to}"
    );
    Ok(0)
}

/// An agent serving the old backend keeps serving it until it is restarted (docs/usage.md,
/// migrate). When the old backend was emptied, its sessions are dropped now, so that it hands
/// out nothing made from keys that are no longer there.
fn tell_the_agent(
    ctx: &Context,
    from: BackendKind,
    source: Box<dyn keystore::Keystore>,
    emptied: bool,
) -> anyhow::Result<()> {
    let Ok(config) = ctx.config() else {
        return Ok(());
    };
    let broker = Broker::new(config, &ctx.config_file(), Some(from.to_string()));
    let Some(agent) = broker.agent() else {
        return Ok(());
    };
    if emptied {
        let n = broker.forget(&Vault::new(source), &Selector::All)?;
        alicloud_vault::sayln!(
            "The agent (pid {}) serves the {from} keystore until it is restarted, and has dropped what it held ({}). Restart it with `alicloud-vault agent stop` (it starts again on demand with the backend you choose)",
            agent.pid,
            super::sessions_count(n)
        );
    } else {
        alicloud_vault::sayln!(
            "The agent (pid {}) serves the {from} keystore until it is restarted: run `alicloud-vault agent stop` after you switch backends (it starts again on demand with the backend you choose)",
            agent.pid
        );
    }
    Ok(())
}
