//! Running a child for `exec --server` / `--ecs-server`: unlike plain `exec`, this process must
//! outlive the child (it serves or holds its credentials URI and revokes it afterwards), so it
//! spawns the child, passes SIGINT, SIGTERM, SIGHUP and SIGQUIT on to it, and returns the
//! child's exit code, or 128+N when the child died of signal N (as shells report it).

use std::process::Command;
use std::sync::atomic::{AtomicI32, Ordering};

static CHILD_PID: AtomicI32 = AtomicI32::new(0);
/// A signal that arrived after the handlers were installed but before the child's pid was
/// known (between spawn and the store): passed on as soon as it is.
static PENDING: AtomicI32 = AtomicI32::new(0);

const FORWARDED: [libc::c_int; 4] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT];

extern "C" fn forward(sig: libc::c_int, info: *mut libc::siginfo_t, _ctx: *mut libc::c_void) {
    // A signal from the terminal (Ctrl-C) reaches the whole foreground process group, the
    // child included: passing it on again would deliver it twice.
    // SAFETY: the kernel hands a valid siginfo to an SA_SIGINFO handler.
    let from_kernel = !info.is_null() && from_terminal(unsafe { &*info });
    if from_kernel {
        return;
    }
    let pid = CHILD_PID.load(Ordering::SeqCst);
    if pid <= 0 {
        PENDING.store(sig, Ordering::SeqCst);
        return;
    }
    // SAFETY: kill is async-signal-safe.
    unsafe {
        libc::kill(pid, sig);
    }
}

/// True for a signal the kernel raised itself (the terminal's Ctrl-C, Ctrl-\, hangup) rather
/// than one a process sent with kill(2). Linux marks the first kind `SI_KERNEL`.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn from_terminal(info: &libc::siginfo_t) -> bool {
    info.si_code == libc::SI_KERNEL
}

/// Elsewhere (macOS) kill(2) and sigqueue(3) mark their signals `SI_USER`/`SI_QUEUE`, as
/// POSIX asks, with the sender's pid; the terminal's carry neither. Untested on a Mac
/// (docs/platforms.md).
#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn from_terminal(info: &libc::siginfo_t) -> bool {
    // <sys/signal.h> on macOS and the BSDs; the libc crate does not export them there.
    const SI_USER: libc::c_int = 0x10001;
    const SI_QUEUE: libc::c_int = 0x10002;
    // SAFETY: si_pid is set for every signal a process sends and zero otherwise.
    let sender = unsafe { info.si_pid() };
    info.si_code != SI_USER && info.si_code != SI_QUEUE && sender == 0
}

fn set_handlers(install: bool) {
    for sig in FORWARDED {
        // SAFETY: a zeroed sigaction is valid; the handler only reads an atomic and calls kill.
        unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            if install {
                let handler: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) =
                    forward;
                sa.sa_sigaction = handler as usize;
                sa.sa_flags = libc::SA_SIGINFO | libc::SA_RESTART;
            } else {
                sa.sa_sigaction = libc::SIG_DFL;
            }
            libc::sigemptyset(&mut sa.sa_mask);
            libc::sigaction(sig, &sa, std::ptr::null_mut());
        }
    }
}

/// Spawns `cmd`, forwards signals until it ends, and returns its exit code (127 when the
/// program was not found, 126 when it could not be run).
pub fn run_and_wait(mut cmd: Command, program: &std::ffi::OsStr) -> i32 {
    use std::os::unix::process::{CommandExt, ExitStatusExt};
    // SAFETY: restore_for_child only calls setrlimit, which is async-signal-safe.
    unsafe {
        cmd.pre_exec(|| {
            crate::hardening::restore_for_child();
            Ok(())
        });
    }
    PENDING.store(0, Ordering::SeqCst);
    set_handlers(true);
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(err) => {
            set_handlers(false);
            crate::note!("cannot run {}: {err}", program.to_string_lossy());
            return if err.kind() == std::io::ErrorKind::NotFound {
                127
            } else {
                126
            };
        }
    };
    CHILD_PID.store(child.id() as i32, Ordering::SeqCst);
    let pending = PENDING.swap(0, Ordering::SeqCst);
    if pending != 0 {
        // SAFETY: kill with the pid of our own child.
        unsafe {
            libc::kill(child.id() as i32, pending);
        }
    }
    let status = child.wait();
    CHILD_PID.store(0, Ordering::SeqCst);
    set_handlers(false);
    match status {
        Ok(s) => s.code().unwrap_or_else(|| 128 + s.signal().unwrap_or(0)),
        Err(e) => {
            crate::note!("lost track of {}: {e}", program.to_string_lossy());
            1
        }
    }
}
