//! Running a child for `exec --server` / `--ecs-server` (and, on Windows, for plain `exec`),
//! one module per platform like [`super::transport`]: signals passed on to the child on Unix
//! (`unix.rs`), Ctrl-C left to the child on Windows (`windows.rs`). Both offer `run_and_wait`.

#[cfg(unix)]
mod unix;
#[cfg(unix)]
pub use unix::*;

#[cfg(windows)]
mod windows;
#[cfg(windows)]
pub use windows::*;
