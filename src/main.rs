//! The `alicloud-vault` binary: parse, harden, dispatch, map errors to exit codes.
// On Linux the process starts at the C `main` below rather than Rust's own start-up.
#![cfg_attr(all(target_os = "linux", not(test)), no_main)]
// Output goes through `message` (`out!`, `say!`, ...), which never panics on a closed stream.
#![cfg_attr(not(test), deny(clippy::print_stdout, clippy::print_stderr))]

mod cmd;

use alicloud_vault::cli::{self, Cli};
use alicloud_vault::color;
use alicloud_vault::exit_codes;
use clap::{CommandFactory, FromArgMatches};
use std::path::PathBuf;

/// Where the process starts on Linux. Rust's own start-up reads /proc/self/maps and sets up
/// a signal stack to name a stack overflow of the main thread in its message: a tenth of what
/// a warm `exec` through the agent may cost (docs/performance.md). Of the rest of that start-up,
/// what this program relies on is done here: the standard streams are open, SIGPIPE is ignored
/// (a closed pipe is an error, not death; children get it back by default), a panic exits 101,
/// and `process::exit` flushes stdout as returning from `main` would.
#[cfg(all(target_os = "linux", not(test)))]
#[no_mangle]
extern "C" fn main(_argc: libc::c_int, _argv: *const *const libc::c_char) -> libc::c_int {
    alicloud_vault::hardening::prepare_start();
    let code = std::panic::catch_unwind(run).unwrap_or(101);
    std::process::exit(code.clamp(0, 255))
}

#[cfg(not(all(target_os = "linux", not(test))))]
fn main() -> std::process::ExitCode {
    let code = run();
    alicloud_vault::platform::exit_with_wide_code(code);
    std::process::ExitCode::from(code.clamp(0, 255) as u8)
}

/// The program, from parsing to its exit code.
fn run() -> i32 {
    alicloud_vault::hardening::harden_process();
    let args: Vec<_> = std::env::args_os().collect();
    if args.get(1).is_some_and(|a| a == cli::MAN_PAGES_COMMAND) {
        return man_pages(&args[1..]);
    }
    if args.get(1).is_some_and(|a| a == "__complete-profiles") {
        return cmd::complete_profiles();
    }
    // clap colours its own help and errors (and honours NO_COLOR itself); --no-color must
    // reach it before parsing, so it is looked for by hand, up to a `--`.
    let no_color = args
        .iter()
        .skip(1)
        .take_while(|a| *a != "--")
        .any(|a| a == "--no-color");
    let mut command = Cli::command();
    if no_color {
        command = command.color(clap::ColorChoice::Never);
    }
    let parsed = command.try_get_matches_from_mut(args).and_then(|m| {
        let cli = Cli::from_arg_matches(&m);
        std::mem::forget(m);
        cli
    });
    // The command definition and the matches stay until the process exits: freeing them one
    // allocation at a time took a tenth of a warm `exec`'s instructions (docs/performance.md).
    std::mem::forget(command);
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => return clap_exit(e),
    };
    color::init(cli.no_color);
    alicloud_vault::diagnostics::set_debug(cli.debug);
    match cmd::run(cli) {
        Ok(code) => code,
        Err(e) => {
            alicloud_vault::message::error(format_args!("{e:#}"));
            cmd::exit_code_for(&e)
        }
    }
}

fn clap_exit(e: clap::Error) -> i32 {
    let code = if e.use_stderr() {
        exit_codes::USAGE_OR_CONFIG
    } else {
        exit_codes::OK // --help, --version
    };
    let _ = e.print();
    code
}

/// The hidden `alicloud-vault man-pages DIR` (scripts/update-completions, packaging).
fn man_pages(args: &[std::ffi::OsString]) -> i32 {
    let matches = match cli::man_pages_command().try_get_matches_from(args) {
        Ok(m) => m,
        Err(e) => return clap_exit(e),
    };
    let dir = matches.get_one::<PathBuf>("dir").expect("DIR is required");
    match std::fs::create_dir_all(dir).and_then(|()| cli::write_man_pages(dir)) {
        Ok(()) => exit_codes::OK,
        Err(e) => {
            alicloud_vault::note!("man pages in {}: {e}", dir.display());
            exit_codes::USAGE_OR_CONFIG
        }
    }
}
