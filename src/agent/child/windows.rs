//! Windows: running a child and passing its exit code on. There is no `exec` system call, so
//! plain `exec` runs the child this way too: spawn, wait, return the child's exit code whole
//! (a 32-bit value such as 0xC000013A, `STATUS_CONTROL_C_EXIT`, is passed through unchanged).
//!
//! Ctrl-C and Ctrl-Break reach every process attached to the console, the child included, so
//! "forwarding" them means not dying of them ourselves: while the child runs, a console
//! handler swallows them here and the child decides what they mean.

use std::process::Command;
use windows_sys::Win32::Foundation::{FALSE, TRUE};
use windows_sys::Win32::System::Console::{SetConsoleCtrlHandler, CTRL_BREAK_EVENT, CTRL_C_EVENT};

/// Handles Ctrl-C and Ctrl-Break (the child gets them from the console itself); anything
/// else (closing the console, logoff, shutdown) goes on to the default handler, which ends us.
unsafe extern "system" fn leave_to_child(event: u32) -> windows_sys::core::BOOL {
    if event == CTRL_C_EVENT || event == CTRL_BREAK_EVENT {
        TRUE
    } else {
        FALSE
    }
}

fn set_handler(install: bool) {
    // SAFETY: registers or removes a handler that touches no memory.
    unsafe {
        SetConsoleCtrlHandler(Some(leave_to_child), if install { TRUE } else { FALSE });
    }
}

/// Spawns `cmd`, waits for it with Ctrl-C left to the child, and returns its exit code (127
/// when the program was not found, 126 when it could not be run).
pub fn run_and_wait(mut cmd: Command, program: &std::ffi::OsStr) -> i32 {
    set_handler(true);
    let status = cmd.spawn().and_then(|mut child| child.wait());
    set_handler(false);
    match status {
        Ok(s) => s.code().unwrap_or(1),
        Err(err) => {
            crate::note!("cannot run {}: {err}", program.to_string_lossy());
            if err.kind() == std::io::ErrorKind::NotFound {
                127
            } else {
                126
            }
        }
    }
}
