//! The async runtime a command's remote calls run on. The CLI is one short process that makes
//! a few HTTP calls in a row: a current-thread tokio runtime, made here and nowhere else in the
//! CLI's code path (the agent builds its own multi-threaded one, see docs/architecture.md).

use std::future::Future;

/// A current-thread runtime with timers and I/O, for one command.
pub fn for_command() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
}

/// Runs one future to its end on a runtime of its own ([`for_command`]).
pub fn block_on<F: Future>(f: F) -> std::io::Result<F::Output> {
    Ok(for_command()?.block_on(f))
}
