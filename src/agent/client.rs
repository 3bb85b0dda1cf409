//! The CLI's side of the control socket: find a running agent, check that it speaks our
//! protocol and serves our configuration, and ask it for credentials.

use super::protocol::{ErrorKind, Request, Response, MAX_LINE, PROTOCOL_VERSION};
use super::socket;
use super::transport::{self, ClientStream, ConnectError};
use crate::exit_codes;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Set to `1` to make the CLI ignore a running agent.
pub const NO_AGENT_VAR: &str = "ALICLOUD_VAULT_NO_AGENT";

/// How long the CLI waits for one answer (an STS call with retries fits).
const REPLY_TIMEOUT: Duration = Duration::from_secs(90);

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("no agent is running (no answer on {0}). Start one with `alicloud-vault agent start`")]
    NotRunning(PathBuf),
    #[error("the agent on {socket} cannot be used: {reason}")]
    Unusable { socket: PathBuf, reason: String },
    #[error("lost the connection to the agent: {0}. Check `alicloud-vault agent status`; restart it with `alicloud-vault agent stop && alicloud-vault agent start`")]
    Io(#[from] std::io::Error),
    #[error("the agent sent something this alicloud-vault does not understand: {0}. Restart the agent so that it runs the same version")]
    Protocol(String),
    /// A command that only the agent can serve found none it may use; the text says why and
    /// what to do.
    #[error("{0}")]
    Required(String),
    /// The agent understood and said no; the message is the agent's.
    #[error("{message}")]
    Refused { kind: ErrorKind, message: String },
}

impl ClientError {
    /// The process exit code for this error (docs/usage.md, Exit codes).
    pub fn exit_code(&self) -> i32 {
        match self {
            ClientError::Refused { kind, .. } => kind.exit_code(),
            _ => exit_codes::AGENT_UNREACHABLE,
        }
    }
}

/// A connection to a running agent that said hello.
pub struct AgentClient {
    reader: BufReader<ClientStream>,
    writer: ClientStream,
    /// The agent's process id.
    pub pid: u32,
    /// False when the agent serves another configuration file or backend.
    pub compatible: bool,
    /// The configuration the agent serves.
    pub config: PathBuf,
    pub backend: String,
}

/// Stops the agent that serves `config` and waits (up to 10 s) until it is gone. Returns its
/// pid, or `None` when no agent was running.
pub fn stop(config: &Path, backend: Option<&str>) -> Result<Option<u32>, ClientError> {
    let mut c = match AgentClient::connect(config, backend) {
        Ok(c) => c,
        Err(ClientError::NotRunning(_)) => return Ok(None),
        Err(e) => return Err(e),
    };
    let pid = c.pid;
    c.request(&Request::Stop)?;
    drop(c);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while std::time::Instant::now() < deadline {
        if matches!(
            AgentClient::connect(config, backend),
            Err(ClientError::NotRunning(_))
        ) {
            return Ok(Some(pid));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Err(ClientError::Unusable {
        socket: socket::socket_path(),
        reason: format!("the agent (pid {pid}) did not stop within 10 s; end it with `kill {pid}`"),
    })
}

impl AgentClient {
    /// Connects to the agent on the default socket and says hello. `Err(NotRunning)` when no
    /// agent answers; `Err(Unusable)` when the socket is not another process of ours or
    /// speaks another protocol version.
    pub fn connect(config: &Path, backend: Option<&str>) -> Result<AgentClient, ClientError> {
        Self::connect_to(&socket::socket_path(), config, backend)
    }

    /// [`AgentClient::connect`] with a credentials request sent along with the hello: the
    /// agent answers it in the same round trip when the hello matches. The second value is
    /// that answer (`None`: the agent did not answer it, so send it with
    /// [`AgentClient::request`] if the agent is compatible).
    pub fn connect_asking(
        config: &Path,
        backend: Option<&str>,
        then: &Request,
    ) -> Result<(AgentClient, Option<Result<Response, ClientError>>), ClientError> {
        Self::hello(&socket::socket_path(), config, backend, Some(then))
    }

    pub fn connect_to(
        path: &Path,
        config: &Path,
        backend: Option<&str>,
    ) -> Result<AgentClient, ClientError> {
        Self::hello(path, config, backend, None).map(|(c, _)| c)
    }

    fn hello(
        path: &Path,
        config: &Path,
        backend: Option<&str>,
        then: Option<&Request>,
    ) -> Result<(AgentClient, Option<Result<Response, ClientError>>), ClientError> {
        let unusable = |reason: String| ClientError::Unusable {
            socket: path.to_path_buf(),
            reason,
        };
        // The transport checks that the agent runs as our own user.
        let (stream, pid) = match transport::connect(path, REPLY_TIMEOUT) {
            Ok(c) => c,
            Err(ConnectError::NotRunning) => {
                return Err(ClientError::NotRunning(path.to_path_buf()))
            }
            Err(ConnectError::Unusable(reason)) => return Err(unusable(reason)),
            Err(ConnectError::Io(e)) => return Err(e.into()),
        };
        let writer = stream.try_clone()?;
        let mut client = AgentClient {
            reader: BufReader::new(stream),
            writer,
            pid: pid.unwrap_or(0),
            compatible: false,
            config: PathBuf::new(),
            backend: String::new(),
        };
        let hello = client.request(&Request::Hello {
            version: PROTOCOL_VERSION,
            config: config.to_path_buf(),
            backend: backend.map(str::to_string),
            then: then.map(|r| Box::new(r.clone())),
        });
        match hello {
            Ok(Response::Hello {
                version,
                pid,
                compatible,
                config,
                backend,
                answer,
            }) => {
                if version != PROTOCOL_VERSION {
                    return Err(unusable(format!(
                        "it speaks protocol version {version}, this alicloud-vault speaks {PROTOCOL_VERSION}; restart it with `alicloud-vault agent stop && alicloud-vault agent start`"
                    )));
                }
                client.pid = pid;
                client.compatible = compatible;
                client.config = config;
                client.backend = backend;
                let answer = answer.map(|r| match *r {
                    Response::Error { kind, message } => {
                        Err(ClientError::Refused { kind, message })
                    }
                    r => Ok(r),
                });
                Ok((client, answer))
            }
            Ok(other) => Err(ClientError::Protocol(format!(
                "expected hello, got {}",
                kind_of(&other)
            ))),
            Err(ClientError::Protocol(m)) => Err(unusable(format!(
                "{m} (probably another version; restart it)"
            ))),
            Err(e) => Err(e),
        }
    }

    /// Sends one request and reads its response; an error response becomes `Refused`.
    pub fn request(&mut self, req: &Request) -> Result<Response, ClientError> {
        let mut line = serde_json::to_vec(req).map_err(|e| ClientError::Protocol(e.to_string()))?;
        line.push(b'\n');
        self.writer.write_all(&line)?;
        let mut buf = Vec::new();
        (&mut self.reader)
            .take(MAX_LINE as u64)
            .read_until(b'\n', &mut buf)?;
        if buf.is_empty() {
            return Err(ClientError::Io(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "the agent closed the connection",
            )));
        }
        let resp: Response = serde_json::from_slice(&buf).map_err(|e| {
            ClientError::Protocol(format!("line {} column {}", e.line(), e.column()))
        })?;
        // Wipe the raw line: it may hold a secret.
        zeroize::Zeroize::zeroize(&mut buf);
        match resp {
            Response::Error { kind, message } => Err(ClientError::Refused { kind, message }),
            r => Ok(r),
        }
    }
}

fn kind_of(r: &Response) -> &'static str {
    match r {
        Response::Hello { .. } => "hello",
        Response::Credentials(_) => "credentials",
        Response::Uri { .. } => "uri",
        Response::Status(_) => "status",
        Response::Forgotten { .. } => "forgotten",
        Response::Ok => "ok",
        Response::Error { .. } => "error",
    }
}

/// True unless `ALICLOUD_VAULT_NO_AGENT` asks the CLI to ignore the agent.
pub fn agent_allowed() -> bool {
    !std::env::var_os(NO_AGENT_VAR).is_some_and(|v| !v.is_empty() && v != "0")
}
