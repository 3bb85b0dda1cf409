//! The process exit codes of SPEC section 3. `exec` returns the child's own code instead.

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
