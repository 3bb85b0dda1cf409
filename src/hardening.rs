//! Process hardening at start: no core dumps, no ptrace attach by other processes of the user.
//!
//! All best effort: where the OS refuses, the program still runs. What each OS gets:
//! - Linux: core-dump limit 0, and not dumpable (`PR_SET_DUMPABLE`), which also stops
//!   ptrace and /proc memory reads by the user's other processes.
//! - macOS: core-dump limit 0; the agent (`agent run`, which starts no programs) also denies
//!   debuggers (`PT_DENY_ATTACH`, [`deny_debugger`]). Commands that start programs do not: a
//!   program run by `exec` must stay debuggable, and the flag may outlive `exec`.
//! - Windows: nothing to set here: no core dumps by default, and the user's other processes
//!   may read our memory whatever we do (a process of the same user has full access to it).

#[cfg(unix)]
use std::sync::OnceLock;

/// What Rust's own start-up does that the binary relies on, for a binary that starts at its
/// own C `main` (Linux, src/main.rs): standard streams that were closed when the process
/// started are opened on /dev/null, so that no file or socket opened later becomes fd 0, 1
/// or 2 (and gets a message written into it, or is handed to a child as its stdout); and
/// SIGPIPE is ignored, so that writing to a closed pipe is an error rather than death. The
/// standard library's `Command` sets SIGPIPE back to the default in the programs it starts.
#[cfg(unix)]
pub fn prepare_start() {
    for fd in 0..=2 {
        // SAFETY: F_GETFD only reads the descriptor's flags; a closed one gives EBADF.
        let closed = unsafe { libc::fcntl(fd, libc::F_GETFD) } == -1
            && std::io::Error::last_os_error().raw_os_error() == Some(libc::EBADF);
        if closed {
            // The lowest free descriptor is `fd`: the ones below it are open by now.
            // SAFETY: a constant NUL-terminated path; the descriptor is kept for the process.
            let opened = unsafe { libc::open(c"/dev/null".as_ptr(), libc::O_RDWR) };
            if opened != fd {
                // Without the stream, later opens would land on it: stop here instead.
                std::process::abort();
            }
        }
    }
    // SAFETY: SIG_IGN installs no handler of ours.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
    }
}

/// The core-dump limit the process started with, handed back to children before `exec`.
#[cfg(unix)]
static ORIGINAL_CORE_LIMIT: OnceLock<(u64, u64)> = OnceLock::new();

/// Disables core dumps and (on Linux) marks the process non-dumpable, which also stops
/// processes of the same user from attaching with ptrace or reading its memory via /proc.
pub fn harden_process() {
    #[cfg(unix)]
    {
        use nix::sys::resource::{getrlimit, setrlimit, Resource};
        if let Ok((soft, hard)) = getrlimit(Resource::RLIMIT_CORE) {
            let _ = ORIGINAL_CORE_LIMIT.set((soft, hard));
            // Only the soft limit: a child started by `exec` gets the user's limit back.
            let _ = setrlimit(Resource::RLIMIT_CORE, 0, hard);
        }
    }
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_DUMPABLE takes plain integer arguments and touches no memory of ours.
    unsafe {
        libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0);
    }
}

/// For the agent, the long-lived process that holds sessions: on macOS,
/// `ptrace(PT_DENY_ATTACH)`, so that no debugger (of the user, or root short of disabling
/// System Integrity Protection) attaches. Linux has this from [`harden_process`] already.
pub fn deny_debugger() {
    #[cfg(target_os = "macos")]
    // SAFETY: PT_DENY_ATTACH takes no pointers; it only sets a flag on this process.
    unsafe {
        libc::ptrace(libc::PT_DENY_ATTACH, 0, std::ptr::null_mut(), 0);
    }
}

/// Gives the user's own core-dump limit back before this process is replaced by a child
/// program (the non-dumpable flag resets on exec by itself).
pub fn restore_for_child() {
    #[cfg(unix)]
    if let Some((soft, hard)) = ORIGINAL_CORE_LIMIT.get() {
        let _ =
            nix::sys::resource::setrlimit(nix::sys::resource::Resource::RLIMIT_CORE, *soft, *hard);
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #[test]
    fn after_hardening_the_process_is_not_dumpable_and_has_no_core_limit() {
        use nix::sys::resource::{getrlimit, Resource};
        let (_, hard_before) = getrlimit(Resource::RLIMIT_CORE).unwrap();
        super::harden_process();
        // SAFETY: PR_GET_DUMPABLE reads a flag.
        let dumpable = unsafe { libc::prctl(libc::PR_GET_DUMPABLE, 0, 0, 0, 0) };
        assert_eq!(dumpable, 0);
        assert_eq!(getrlimit(Resource::RLIMIT_CORE).unwrap(), (0, hard_before));
    }
}
