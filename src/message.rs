//! Every line the program writes for a person on stderr goes through here: the one place that
//! decides the `alicloud-vault:` prefix, the `warning:` and `[debug]` marks and the colour of
//! an error's prefix. Commands and the library use the macros ([`note!`](crate::note),
//! [`warn!`](crate::warn), [`debug!`](crate::debug)) or [`error`] and [`ask`]; nothing else
//! writes the prefix by hand. Lines for a person without the prefix (a result, a retry
//! prompt) go through [`say!`](crate::say) and [`sayln!`](crate::sayln); a command's output
//! on stdout through [`out!`](crate::out) and [`outln!`](crate::outln). Nothing calls
//! `print!` or `eprint!` itself.
//!
//! Neither stream ends the program with a panic when it cannot be written: a message that
//! cannot reach stderr is dropped (an agent whose log pipe was closed keeps serving), and
//! output whose reader has gone (`... | head -1`) ends the program as other Unix tools end,
//! killed by SIGPIPE, without a word.
//!
//! Text from a server reaches a message only as [`crate::display::RemoteText`] (or a field
//! the clients filtered with [`crate::display::field`] when they parsed it): the filter of
//! docs/security.md ("Text from servers") has run before it gets here.

use crate::color::{self, Stream};
use std::fmt;
use std::io::Write;

/// What starts every message of the CLI.
pub const PREFIX: &str = "alicloud-vault:";

/// What starts every line of the agent's own log (its stderr, agent.log when started).
pub const AGENT_PREFIX: &str = "alicloud-vault agent:";

/// What starts a `--debug` line.
pub const DEBUG_PREFIX: &str = "alicloud-vault[debug]:";

/// A note: what happened or what happens next (`alicloud-vault: agent started ...`).
pub fn note(text: fmt::Arguments<'_>) {
    let _ = writeln!(std::io::stderr(), "{PREFIX} {text}");
}

/// A warning: something did not work, and the command goes on without it.
pub fn warning(text: fmt::Arguments<'_>) {
    let _ = writeln!(std::io::stderr(), "{PREFIX} warning: {text}");
}

/// A line of the agent's log.
pub fn agent_log(text: fmt::Arguments<'_>) {
    let _ = writeln!(std::io::stderr(), "{AGENT_PREFIX} {text}");
}

/// A `--debug` line; callers check [`crate::diagnostics::debug_enabled`] first (the macro does).
pub fn debug_line(text: fmt::Arguments<'_>) {
    let _ = writeln!(std::io::stderr(), "{DEBUG_PREFIX} {text}");
}

/// The error a command ends with: the prefix in red where stderr gets colour, then `err` (an
/// `anyhow::Error` shows its whole cause chain with `{:#}`, which the caller picks).
pub fn error(err: impl fmt::Display) {
    let _ = writeln!(std::io::stderr(), "{} {err}", error_prefix(Stream::Stderr));
}

/// The prefix of an error, painted for `stream`.
pub fn error_prefix(stream: Stream) -> String {
    color::paint(stream, anstyle::AnsiColor::Red.on_default().bold(), PREFIX)
}

/// A question on stderr, left open for the answer on the same line (`... [y/N] `).
pub fn ask(text: fmt::Arguments<'_>) {
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "{PREFIX} {text}");
    let _ = err.flush();
}

/// A line for a person on stderr, without the prefix (see [`say!`](crate::say)); dropped when
/// stderr cannot be written.
pub fn say(text: fmt::Arguments<'_>) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_fmt(text);
    let _ = err.flush();
}

/// A command's output on stdout (see [`out!`](crate::out)).
pub fn out(text: fmt::Arguments<'_>) {
    if let Err(e) = std::io::stdout().lock().write_fmt(text) {
        stdout_failed(e)
    }
}

/// Stdout could not be written. When its reader has gone, the program ends as if killed by
/// SIGPIPE, which it ignores so that a closed socket is an error rather than death; a shell
/// then sees what it sees of `cat` in the same place (status 141). Any other failure is an
/// error of the command.
#[cold]
fn stdout_failed(e: std::io::Error) -> ! {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        #[cfg(unix)]
        // SAFETY: the default action of SIGPIPE ends the process; no handler of ours runs.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
            libc::raise(libc::SIGPIPE);
        }
        std::process::exit(crate::exit_codes::USAGE_OR_CONFIG);
    }
    error(format_args!("cannot write to standard output: {e}"));
    std::process::exit(crate::exit_codes::USAGE_OR_CONFIG)
}

/// A command's output on stdout, what a script reads; like `print!`, without the panic when
/// the reader has gone ([`out`]).
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::message::out(format_args!($($arg)*))
    };
}

/// [`out!`](crate::out) with a newline, like `println!`.
#[macro_export]
macro_rules! outln {
    () => {
        $crate::message::out(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::message::out(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// Text for a person on stderr without the `alicloud-vault:` prefix, like `eprint!` but never
/// a panic ([`say`]).
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::message::say(format_args!($($arg)*))
    };
}

/// [`say!`](crate::say) with a newline, like `eprintln!`.
#[macro_export]
macro_rules! sayln {
    ($($arg:tt)*) => {
        $crate::message::say(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `alicloud-vault: ...` on stderr: a note about what happened (see [`note`]).
#[macro_export]
macro_rules! note {
    ($($arg:tt)*) => {
        $crate::message::note(format_args!($($arg)*))
    };
}

/// `alicloud-vault: warning: ...` on stderr: something did not work, and the command goes on
/// without it.
#[macro_export]
macro_rules! warn {
    ($($arg:tt)*) => {
        $crate::message::warning(format_args!($($arg)*))
    };
}

/// `alicloud-vault agent: ...` on the agent's stderr (its log).
#[macro_export]
macro_rules! agent_log {
    ($($arg:tt)*) => {
        $crate::message::agent_log(format_args!($($arg)*))
    };
}

/// A `--debug` line on stderr. Callers pass only what is safe to show: key ids through
/// [`crate::secret::key_id_hint`], never a secret.
#[macro_export]
macro_rules! debug {
    ($($arg:tt)*) => {
        if $crate::diagnostics::debug_enabled() {
            $crate::message::debug_line(format_args!($($arg)*));
        }
    };
}
