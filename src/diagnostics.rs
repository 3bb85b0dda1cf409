//! `--debug` output on stderr. Callers pass only what is safe to show: key ids through
//! [`crate::secret::key_id_hint`], never a secret.

use std::sync::atomic::{AtomicBool, Ordering};

static DEBUG: AtomicBool = AtomicBool::new(false);

pub fn set_debug(on: bool) {
    DEBUG.store(on, Ordering::Relaxed);
}

pub fn debug_enabled() -> bool {
    DEBUG.load(Ordering::Relaxed)
}

/// Prints a `--debug` line on stderr.
#[macro_export]
macro_rules! debug {
    ($($arg:tt)*) => {
        if $crate::diagnostics::debug_enabled() {
            eprintln!("alicloud-vault[debug]: {}", format_args!($($arg)*));
        }
    };
}

/// Prints a warning on stderr: something did not work, and the command goes on without it.
#[macro_export]
macro_rules! warn {
    ($($arg:tt)*) => {
        eprintln!("alicloud-vault: warning: {}", format_args!($($arg)*))
    };
}
