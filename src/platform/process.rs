//! Following another process until it exits, without being fooled by a reused pid: a pidfd on
//! Linux, a kqueue `EVFILT_PROC` filter on macOS, a process handle on Windows. The agent uses
//! it to revoke an open shell's credentials URI when that shell exits (docs/usage.md, "A shell
//! that never goes stale").

use std::io;

/// A process being followed. Made while the process is known to be the right one (see
/// [`is_ancestor`]); from then on, the pid being reused cannot confuse it.
pub struct ProcessWatch {
    #[cfg(any(target_os = "linux", target_os = "macos"))]
    fd: tokio::io::unix::AsyncFd<std::os::fd::OwnedFd>,
    #[cfg(windows)]
    handle: windows::Handle,
}

impl ProcessWatch {
    /// Starts following `pid`. Call it inside a tokio runtime. Fails when there is no such
    /// process (or it is not ours to follow).
    pub fn new(pid: u32) -> io::Result<ProcessWatch> {
        if pid == 0 || pid > i32::MAX as u32 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "not a process id",
            ));
        }
        #[cfg(target_os = "linux")]
        {
            use std::os::fd::FromRawFd;
            // SAFETY: pidfd_open takes a pid and flags and returns a new descriptor (close on
            // exec) or -1; we own what it returns.
            let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid as libc::pid_t, 0) };
            if fd < 0 {
                return Err(io::Error::last_os_error());
            }
            // SAFETY: a fresh descriptor nobody else owns.
            let fd = unsafe { std::os::fd::OwnedFd::from_raw_fd(fd as i32) };
            Ok(ProcessWatch { fd: register(fd)? })
        }
        #[cfg(target_os = "macos")]
        {
            use std::os::fd::FromRawFd;
            // SAFETY: kqueue returns a new descriptor or -1.
            let kq = unsafe { libc::kqueue() };
            if kq < 0 {
                return Err(io::Error::last_os_error());
            }
            // SAFETY: a fresh descriptor nobody else owns.
            let kq = unsafe { std::os::fd::OwnedFd::from_raw_fd(kq) };
            let change = libc::kevent {
                ident: pid as libc::uintptr_t,
                filter: libc::EVFILT_PROC,
                flags: libc::EV_ADD | libc::EV_ONESHOT,
                fflags: libc::NOTE_EXIT,
                data: 0,
                udata: std::ptr::null_mut(),
            };
            use std::os::fd::AsRawFd;
            // SAFETY: one change in, no events out; the kqueue is ours.
            let r = unsafe {
                libc::kevent(
                    kq.as_raw_fd(),
                    &change,
                    1,
                    std::ptr::null_mut(),
                    0,
                    std::ptr::null(),
                )
            };
            if r < 0 {
                return Err(io::Error::last_os_error());
            }
            Ok(ProcessWatch { fd: register(kq)? })
        }
        #[cfg(windows)]
        {
            Ok(ProcessWatch {
                handle: windows::Handle::open(pid)?,
            })
        }
        #[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
        {
            Err(io::Error::new(
                io::ErrorKind::Unsupported,
                "following a process is not supported on this system",
            ))
        }
    }

    /// Resolves once the process has exited.
    pub async fn exited(self) {
        #[cfg(any(target_os = "linux", target_os = "macos"))]
        {
            // A pidfd (and a kqueue with the exit event pending) turns readable at the exit
            // and stays so. An error of the registration also ends the watch: never keep a
            // URI alive on a watch that cannot fire.
            let _ = self.fd.readable().await;
        }
        #[cfg(windows)]
        {
            let handle = self.handle;
            let _ = tokio::task::spawn_blocking(move || handle.wait()).await;
        }
    }
}

/// Registers a descriptor we own with the runtime, for readability.
#[cfg(any(target_os = "linux", target_os = "macos"))]
fn register(
    fd: std::os::fd::OwnedFd,
) -> io::Result<tokio::io::unix::AsyncFd<std::os::fd::OwnedFd>> {
    // SAFETY: an `OwnedFd` stays open and is the same descriptor until the `AsyncFd` that owns
    // it is dropped.
    unsafe { tokio::io::unix::AsyncFd::register_with_interest(fd, tokio::io::Interest::READABLE) }
        .map_err(io::Error::from)
}

/// Whether `ancestor` is `pid` itself or one of its ancestors: `Some` where the system tells
/// (Linux, from /proc), `None` elsewhere.
pub fn is_ancestor(ancestor: u32, pid: u32) -> Option<bool> {
    #[cfg(target_os = "linux")]
    {
        let mut p = pid;
        for _ in 0..4096 {
            if p == ancestor {
                return Some(true);
            }
            if p <= 1 {
                return Some(false);
            }
            p = parent_of(p)?;
        }
        Some(false)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (ancestor, pid);
        None
    }
}

/// The parent of `pid`, from the fourth field of /proc/PID/stat (after the command name in
/// parentheses, which may itself contain spaces and parentheses).
#[cfg(target_os = "linux")]
fn parent_of(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    parse_parent(&stat)
}

#[cfg(any(target_os = "linux", test))]
fn parse_parent(stat: &str) -> Option<u32> {
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(windows)]
mod windows {
    use std::io;
    use windows_sys::Win32::Foundation::{CloseHandle, HANDLE};
    use windows_sys::Win32::System::Threading::{
        OpenProcess, WaitForSingleObject, INFINITE, PROCESS_SYNCHRONIZE,
    };

    /// A process handle with the right to wait for it; the pid stays reserved while we hold it.
    pub struct Handle(HANDLE);

    // SAFETY: a process handle may be used and closed from any thread.
    unsafe impl Send for Handle {}

    impl Handle {
        pub fn open(pid: u32) -> io::Result<Handle> {
            // SAFETY: plain call; a null handle means failure.
            let h = unsafe { OpenProcess(PROCESS_SYNCHRONIZE, 0, pid) };
            if h.is_null() {
                return Err(io::Error::last_os_error());
            }
            Ok(Handle(h))
        }

        pub fn wait(&self) {
            // SAFETY: a handle we own, opened with SYNCHRONIZE.
            unsafe { WaitForSingleObject(self.0, INFINITE) };
        }
    }

    impl Drop for Handle {
        fn drop(&mut self) {
            // SAFETY: closed once, here.
            unsafe { CloseHandle(self.0) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parent_comes_after_a_command_name_with_spaces_and_parentheses() {
        assert_eq!(parse_parent("42 (a (b) c) S 17 42 42 0"), Some(17));
        assert_eq!(parse_parent("garbage"), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn our_parent_is_an_ancestor_and_a_child_is_not() {
        let me = std::process::id();
        let parent = std::os::unix::process::parent_id();
        assert_eq!(is_ancestor(parent, me), Some(true));
        assert_eq!(is_ancestor(me, me), Some(true));
        let mut child = std::process::Command::new("sleep")
            .arg("5")
            .spawn()
            .unwrap();
        assert_eq!(is_ancestor(child.id(), me), Some(false));
        assert_eq!(is_ancestor(me, child.id()), Some(true));
        let _ = child.kill();
        let _ = child.wait();
    }

    #[cfg(any(target_os = "linux", target_os = "macos"))]
    #[test]
    fn the_watch_ends_when_the_process_exits_and_not_before() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let mut child = std::process::Command::new("sleep")
                .arg("30")
                .spawn()
                .unwrap();
            let watch = ProcessWatch::new(child.id()).unwrap();
            let mut exited = Box::pin(watch.exited());
            let early =
                tokio::time::timeout(std::time::Duration::from_millis(300), &mut exited).await;
            assert!(early.is_err(), "the watch fired while the process lived");
            child.kill().unwrap();
            child.wait().unwrap();
            tokio::time::timeout(std::time::Duration::from_secs(5), exited)
                .await
                .expect("the watch did not fire after the exit");
        });
    }

    #[test]
    fn no_watch_on_a_process_that_is_not_there() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let _guard = rt.enter();
        assert!(ProcessWatch::new(0).is_err());
        assert!(ProcessWatch::new(i32::MAX as u32).is_err());
    }
}
