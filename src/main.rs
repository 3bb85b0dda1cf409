//! The `alicloud-vault` binary: parse, harden, dispatch, map errors to exit codes.

mod cmd;

use alicloud_vault::cli::Cli;
use alicloud_vault::exit_codes;
use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    alicloud_vault::hardening::harden_process();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                exit_codes::USAGE_OR_CONFIG
            } else {
                exit_codes::OK // --help, --version
            };
            let _ = e.print();
            return ExitCode::from(code as u8);
        }
    };
    alicloud_vault::diagnostics::set_debug(cli.debug);
    match cmd::run(cli) {
        Ok(code) => ExitCode::from(code.clamp(0, 255) as u8),
        Err(e) => {
            eprintln!("alicloud-vault: {e:#}");
            ExitCode::from(cmd::exit_code_for(&e) as u8)
        }
    }
}
