//! The control channel on a Windows named pipe, `\\.\pipe\alicloud-vault-<user>` (docs/platforms.md).
//!
//! - The pipe is created with a security descriptor that lets the user alone open it
//!   ([`super::pipe::pipe_sddl`]), as the first instance of its name (so a pipe another process
//!   planted first makes the agent fail instead of sharing the name), and refusing remote
//!   clients.
//! - The agent checks every client: `GetNamedPipeClientProcessId`, then the user of that
//!   process's token must be ours. The CLI checks the agent the same way
//!   (`GetNamedPipeServerProcessId`), and opens the pipe at the identification impersonation
//!   level only, so that a planted server could not act as the CLI's user.
//!
//! Compiled and linted from Linux (scripts/check-targets); it runs only on the Windows CI
//! runner, which round-trips a key through it (docs/platforms.md).

use super::identity::{check_peer, PeerIdentity, PeerInfo, Side, UserId};
use super::pipe::pipe_sddl;
use super::{unusable, ConnectError};
use crate::agent::{client, socket, AgentError};
use std::ffi::c_void;
use std::os::windows::io::{AsRawHandle, RawHandle};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tokio::net::windows::named_pipe::{NamedPipeServer, PipeMode, ServerOptions};
use windows_sys::Win32::Foundation::{CloseHandle, LocalFree, FALSE, HANDLE};
use windows_sys::Win32::Security::Authorization::{
    ConvertSidToStringSidW, ConvertStringSecurityDescriptorToSecurityDescriptorW, SDDL_REVISION_1,
};
use windows_sys::Win32::Security::{
    GetTokenInformation, TokenUser, PSECURITY_DESCRIPTOR, SECURITY_ATTRIBUTES, TOKEN_QUERY,
    TOKEN_USER,
};
use windows_sys::Win32::System::Pipes::{GetNamedPipeClientProcessId, GetNamedPipeServerProcessId};
use windows_sys::Win32::System::Threading::{
    GetCurrentProcess, OpenProcess, OpenProcessToken, PROCESS_QUERY_LIMITED_INFORMATION,
};

/// The agent's side of one control connection.
pub type Stream = NamedPipeServer;
/// The CLI's side: the pipe opened as a file.
pub type ClientStream = std::fs::File;
/// No service manager hands a pipe over on Windows.
pub enum InheritedControl {}

/// `SecurityIdentification << 16`: the server may learn who we are, not act as us.
const SECURITY_IDENTIFICATION: u32 = 0x0001_0000;
const ERROR_PIPE_BUSY: i32 = 231;

/// The string SID of the user a process runs as.
fn process_user(process: HANDLE) -> Result<String, String> {
    let last = || std::io::Error::last_os_error().to_string();
    // SAFETY: every handle is opened and closed here; buffers are ours, sized by the first
    // call, and aligned for TOKEN_USER (u64 elements); the SID string is freed with LocalFree.
    unsafe {
        let mut token: HANDLE = std::ptr::null_mut();
        if OpenProcessToken(process, TOKEN_QUERY, &mut token) == 0 {
            return Err(format!("OpenProcessToken: {}", last()));
        }
        let mut len = 0u32;
        GetTokenInformation(token, TokenUser, std::ptr::null_mut(), 0, &mut len);
        let mut buf = vec![0u64; (len as usize).div_ceil(8).max(1)];
        let ok = GetTokenInformation(
            token,
            TokenUser,
            buf.as_mut_ptr().cast(),
            (buf.len() * 8) as u32,
            &mut len,
        );
        let err = last();
        CloseHandle(token);
        if ok == 0 {
            return Err(format!("GetTokenInformation: {err}"));
        }
        let user = &*(buf.as_ptr() as *const TOKEN_USER);
        let mut text: *mut u16 = std::ptr::null_mut();
        if ConvertSidToStringSidW(user.User.Sid, &mut text) == 0 {
            return Err(format!("ConvertSidToStringSidW: {}", last()));
        }
        let mut n = 0;
        while *text.add(n) != 0 {
            n += 1;
        }
        let sid = String::from_utf16_lossy(std::slice::from_raw_parts(text, n));
        LocalFree(text.cast());
        Ok(sid)
    }
}

fn own_sid() -> Result<String, String> {
    // SAFETY: the pseudo-handle of our own process needs no closing.
    process_user(unsafe { GetCurrentProcess() })
}

fn sid_of_pid(pid: u32) -> Result<String, String> {
    // SAFETY: a process handle opened for querying and closed here.
    unsafe {
        let process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
        if process.is_null() {
            return Err(format!(
                "OpenProcess({pid}): {}",
                std::io::Error::last_os_error()
            ));
        }
        let user = process_user(process);
        CloseHandle(process);
        user
    }
}

/// The identities of a pipe's two ends: ours from our token, the peer's from the token of
/// the process the pipe names.
pub struct PipePeer {
    handle: RawHandle,
    /// Which end we are: the agent asks for the client's pid, the CLI for the server's.
    side: Side,
}

impl PeerIdentity for PipePeer {
    fn own_user(&self) -> Result<UserId, String> {
        own_sid().map(UserId::Sid)
    }

    fn peer(&self) -> Result<PeerInfo, String> {
        let mut pid = 0u32;
        // SAFETY: the handle is an open pipe for the duration of the call.
        let ok = unsafe {
            match self.side {
                Side::Agent => GetNamedPipeClientProcessId(self.handle, &mut pid),
                Side::Client => GetNamedPipeServerProcessId(self.handle, &mut pid),
            }
        };
        if ok == 0 || pid == 0 {
            return Err(format!(
                "the pipe does not name its peer: {}",
                std::io::Error::last_os_error()
            ));
        }
        Ok(PeerInfo {
            user: UserId::Sid(sid_of_pid(pid)?),
            pid: Some(pid),
        })
    }
}

/// Connects to the agent's pipe and checks that the agent runs as our user. Reads have no
/// timeout on Windows (a synchronous pipe handle has none).
pub fn connect(
    path: &Path,
    _timeout: Duration,
) -> Result<(ClientStream, Option<u32>), ConnectError> {
    use std::os::windows::fs::OpenOptionsExt;
    let deadline = Instant::now() + Duration::from_secs(2);
    let file = loop {
        let opened = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .security_qos_flags(SECURITY_IDENTIFICATION)
            .open(path);
        match opened {
            Ok(f) => break f,
            // Every instance is taken for a moment; the agent makes a new one per client.
            Err(e) if e.raw_os_error() == Some(ERROR_PIPE_BUSY) => {
                if Instant::now() > deadline {
                    return Err(ConnectError::Unusable(
                        "every instance of its pipe stayed busy for 2 s".into(),
                    ));
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(_) => return Err(ConnectError::NotRunning),
        }
    };
    let ids = PipePeer {
        handle: file.as_raw_handle(),
        side: Side::Client,
    };
    let peer = check_peer(&ids, Side::Client).map_err(unusable)?;
    Ok((file, peer.pid))
}

/// A security descriptor made from SDDL, freed on drop.
struct Security(PSECURITY_DESCRIPTOR);

// SAFETY: the descriptor is immutable after creation and only read by CreateNamedPipeW.
unsafe impl Send for Security {}
unsafe impl Sync for Security {}

impl Security {
    fn from_sddl(sddl: &str) -> std::io::Result<Security> {
        let wide: Vec<u16> = sddl.encode_utf16().chain(std::iter::once(0)).collect();
        let mut sd: PSECURITY_DESCRIPTOR = std::ptr::null_mut();
        // SAFETY: a NUL-terminated string; the descriptor is allocated by the call.
        let ok = unsafe {
            ConvertStringSecurityDescriptorToSecurityDescriptorW(
                wide.as_ptr(),
                SDDL_REVISION_1,
                &mut sd,
                std::ptr::null_mut(),
            )
        };
        if ok == 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(Security(sd))
    }
}

impl Drop for Security {
    fn drop(&mut self) {
        // SAFETY: allocated by ConvertStringSecurityDescriptorToSecurityDescriptorW.
        unsafe {
            LocalFree(self.0);
        }
    }
}

/// The agent's pipe: its name and descriptor (instances are made on the runtime, in `serve`).
pub struct ControlListener {
    name: String,
    security: Security,
}

fn create_instance(
    name: &str,
    security: &Security,
    first: bool,
) -> std::io::Result<NamedPipeServer> {
    let mut attrs = SECURITY_ATTRIBUTES {
        nLength: std::mem::size_of::<SECURITY_ATTRIBUTES>() as u32,
        lpSecurityDescriptor: security.0,
        bInheritHandle: FALSE,
    };
    let mut opts = ServerOptions::new();
    opts.first_pipe_instance(first)
        .reject_remote_clients(true)
        .pipe_mode(PipeMode::Byte);
    // SAFETY: `attrs` is a valid SECURITY_ATTRIBUTES whose descriptor `security` keeps alive
    // for the call.
    unsafe {
        opts.create_with_security_attributes_raw(
            name,
            (&mut attrs as *mut SECURITY_ATTRIBUTES).cast::<c_void>(),
        )
    }
}

/// The agent's pipe, refused when an agent answers there already. Returns the listener, the
/// pipe name as a path, and `false`: there is no file to remove afterwards.
pub fn listen(
    inherited: Option<InheritedControl>,
    config_path: &Path,
) -> Result<(ControlListener, PathBuf, bool), AgentError> {
    if let Some(never) = inherited {
        match never {}
    }
    let path = socket::socket_path();
    if let Ok(c) = client::AgentClient::connect_to(&path, config_path, None) {
        return Err(AgentError::AlreadyRunning {
            pid: c.pid,
            socket: path,
        });
    }
    let name = path.to_string_lossy().into_owned();
    let failed = |reason: String| socket::SocketError::Pipe {
        pipe: name.clone(),
        reason,
    };
    let sid = own_sid().map_err(failed)?;
    let sddl = pipe_sddl(&sid).map_err(|e| failed(e.to_string()))?;
    let security = Security::from_sddl(&sddl).map_err(|e| failed(e.to_string()))?;
    Ok((ControlListener { name, security }, path, false))
}

/// The accept loop (call it on the runtime): every client of our own user goes to `handle`,
/// every other one is refused with a line on stderr. One instance always waits for the next
/// client.
pub fn serve(
    listener: ControlListener,
    handle: impl Fn(Stream, socket::Peer) + Send + 'static,
) -> std::io::Result<impl std::future::Future<Output = ()> + Send> {
    let ControlListener { name, security } = listener;
    let mut server = create_instance(&name, &security, true).map_err(|e| {
        std::io::Error::new(
            e.kind(),
            format!("cannot create the pipe {name} ({e}); is another process using that name?"),
        )
    })?;
    Ok(async move {
        loop {
            let connected = server.connect().await;
            let next = match create_instance(&name, &security, false) {
                Ok(n) => n,
                Err(e) => {
                    crate::agent_log!("control pipe: cannot make a new instance: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            };
            let stream = std::mem::replace(&mut server, next);
            if let Err(e) = connected {
                crate::agent_log!("control pipe: accept failed: {e}");
                continue;
            }
            let ids = PipePeer {
                handle: stream.as_raw_handle(),
                side: Side::Agent,
            };
            match check_peer(&ids, Side::Agent) {
                Ok(peer) => handle(stream, socket::Peer { pid: peer.pid }),
                Err(e) => crate::agent_log!("refused a control connection{e}"),
            }
        }
    })
}

/// Listening sockets handed over by a service manager: none on Windows.
#[derive(Default)]
pub struct Inherited {
    pub control: Option<InheritedControl>,
    pub metadata: Option<std::net::TcpListener>,
}

/// Nothing is inherited on Windows.
pub fn inherited_listeners() -> Inherited {
    Inherited::default()
}

/// Ctrl-C, Ctrl-Break, the console closing and the system shutting down, caught from the
/// moment this is made (before the agent says it is ready).
pub struct StopSignals {
    c: tokio::signal::windows::CtrlC,
    brk: tokio::signal::windows::CtrlBreak,
    close: tokio::signal::windows::CtrlClose,
    shutdown: tokio::signal::windows::CtrlShutdown,
}

impl StopSignals {
    pub fn new() -> std::io::Result<StopSignals> {
        use tokio::signal::windows::{ctrl_break, ctrl_c, ctrl_close, ctrl_shutdown};
        Ok(StopSignals {
            c: ctrl_c()?,
            brk: ctrl_break()?,
            close: ctrl_close()?,
            shutdown: ctrl_shutdown()?,
        })
    }

    /// Waits for one; returns its name.
    pub async fn recv(&mut self) -> &'static str {
        tokio::select! {
            _ = self.c.recv() => "Ctrl-C",
            _ = self.brk.recv() => "Ctrl-Break",
            _ = self.close.recv() => "console closed",
            _ = self.shutdown.recv() => "shutdown",
        }
    }
}
