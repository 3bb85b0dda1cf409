//! Every line the program writes for a person on stderr goes through here: the one place that
//! decides the `alicloud-vault:` prefix, the `warning:` and `[debug]` marks and the colour of
//! an error's prefix. Commands and the library use the macros ([`note!`](crate::note),
//! [`warn!`](crate::warn), [`debug!`](crate::debug)) or [`error`] and [`ask`]; nothing else
//! writes the prefix by hand.
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
    eprintln!("{PREFIX} {text}");
}

/// A warning: something did not work, and the command goes on without it.
pub fn warning(text: fmt::Arguments<'_>) {
    eprintln!("{PREFIX} warning: {text}");
}

/// A line of the agent's log.
pub fn agent_log(text: fmt::Arguments<'_>) {
    eprintln!("{AGENT_PREFIX} {text}");
}

/// A `--debug` line; callers check [`crate::diagnostics::debug_enabled`] first (the macro does).
pub fn debug_line(text: fmt::Arguments<'_>) {
    eprintln!("{DEBUG_PREFIX} {text}");
}

/// The error a command ends with: the prefix in red where stderr gets colour, then `err` (an
/// `anyhow::Error` shows its whole cause chain with `{:#}`, which the caller picks).
pub fn error(err: impl fmt::Display) {
    eprintln!("{} {err}", error_prefix(Stream::Stderr));
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
