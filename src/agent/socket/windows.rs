//! Windows: where the agent listens, and who a process is. The agent's "socket" is the named
//! pipe `\\.\pipe\alicloud-vault-<user>` (docs/platforms.md); the same items as `unix.rs` beside it,
//! so the CLI shows and passes it around as a path.

use std::path::PathBuf;

/// What can be wrong with the agent's pipe.
#[derive(Debug, thiserror::Error)]
pub enum SocketError {
    #[error("cannot set up the agent's pipe {pipe}: {reason}")]
    Pipe { pipe: String, reason: String },
}

/// The agent's pipe name, as a path ([`crate::dirs::agent_socket`]).
pub fn socket_path() -> PathBuf {
    crate::dirs::agent_socket()
}

/// A client of the agent's pipe, checked to be our own user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Peer {
    pub pid: Option<u32>,
}

/// The executable of a process, where we may ask (`QueryFullProcessImageNameW`).
pub fn executable_of(pid: u32) -> Option<PathBuf> {
    use std::os::windows::ffi::OsStringExt;
    use windows_sys::Win32::Foundation::CloseHandle;
    use windows_sys::Win32::System::Threading::{
        OpenProcess, QueryFullProcessImageNameW, PROCESS_NAME_WIN32,
        PROCESS_QUERY_LIMITED_INFORMATION,
    };
    // SAFETY: a handle we open and close here; the buffer is ours and its length is passed.
    unsafe {
        let process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, 0, pid);
        if process.is_null() {
            return None;
        }
        let mut buf = vec![0u16; 32768];
        let mut len = buf.len() as u32;
        let ok =
            QueryFullProcessImageNameW(process, PROCESS_NAME_WIN32, buf.as_mut_ptr(), &mut len);
        CloseHandle(process);
        if ok == 0 {
            return None;
        }
        buf.truncate(len as usize);
        Some(PathBuf::from(std::ffi::OsString::from_wide(&buf)))
    }
}
