//! The process exit codes (docs/usage.md). `exec` returns the child's own code instead.

/// Everything went well.
pub const OK: i32 = 0;
/// Bad usage or a configuration error (the message names the file and line).
pub const USAGE_OR_CONFIG: i32 = 1;
/// The keystore failed: locked, unreachable, wrong passphrase, corrupt item.
pub const KEYSTORE: i32 = 2;
/// A remote service (STS, RAM, CloudSSO, sign-in) refused or failed.
pub const REMOTE: i32 = 3;
/// The agent was required and could not be reached.
pub const AGENT_UNREACHABLE: i32 = 4;

/// The class of an error, which decides the exit code. Errors of the library say which class
/// they are in one place each (for example `CredentialsError::kind`); the agent sends the class
/// with every error so that the CLI exits with the same code as without the agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    Usage,
    Config,
    Keystore,
    Remote,
    /// The agent failed in itself (exit code 4, as when it cannot be reached).
    Internal,
}

impl ErrorKind {
    pub fn exit_code(self) -> i32 {
        match self {
            ErrorKind::Usage | ErrorKind::Config => USAGE_OR_CONFIG,
            ErrorKind::Keystore => KEYSTORE,
            ErrorKind::Remote => REMOTE,
            ErrorKind::Internal => AGENT_UNREACHABLE,
        }
    }
}
