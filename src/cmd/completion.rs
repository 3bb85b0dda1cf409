//! `completion SHELL`: the script generated from the clap definition.

use alicloud_vault::cli::{write_completion, CompletionArgs};

pub fn run(args: CompletionArgs) -> anyhow::Result<i32> {
    let mut out = std::io::stdout().lock();
    write_completion(args.shell, &mut out);
    Ok(0)
}
