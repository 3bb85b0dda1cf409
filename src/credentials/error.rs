//! What can stop the vault from producing credentials, and the class of each error.

use crate::aliyun::rpc::RemoteError;
use crate::config::ConfigError;
use crate::exit_codes::ErrorKind;
use crate::keystore::KeystoreError;

/// What can stop the vault from producing credentials.
#[derive(Debug, thiserror::Error)]
pub enum CredentialsError {
    #[error("no key is stored for profile {profile} in the {backend} keystore. Store one with `alicloud-vault add {profile}`")]
    NoStoredKey { profile: String, backend: String },
    #[error("profile {profile} gets its credentials from CloudSSO; log in with `alicloud-vault sso login {profile}`")]
    SsoLoginNeeded { profile: String },
    #[error("profile {profile} gets its credentials from an OAuth login, and {reason}; log in with `alicloud-vault oauth login {profile}`")]
    OAuthLoginNeeded {
        profile: String,
        reason: super::oauth::LoginReason,
    },
    #[error("profile {profile} assumes the role {role_arn}; --no-session would hand out the source key instead and bypass the role. Drop --no-session, or use the source profile")]
    NoSessionWithRole { profile: String, role_arn: String },
    #[error("STS handed out a session for profile {profile} that expires at {expiration}, {seconds_left} s from now by this machine's clock, but the vault hands out only sessions with more than {needed} s left. Check this machine's clock (`date -u`); if it is right, the STS endpoint is returning stale sessions")]
    UnusableSession {
        profile: String,
        expiration: String,
        seconds_left: i64,
        needed: i64,
    },
    #[error("profile {profile} has no role_arn, so it has no STS session. Give it a role_arn, or use it without a session (`exec` hands out its key)")]
    NoSession { profile: String },
    #[error("profile {profile} gets its sessions from an OIDC token or an OAuth login; it has no long-term key to hand out")]
    NoLongTermKey { profile: String },
    #[error("profile {profile} reads its OIDC token from {file}, which cannot be read ({detail}). The CI system or Kubernetes writes it there: check oidc_token_file, and that this job has a token")]
    OidcTokenUnreadable {
        profile: String,
        file: String,
        detail: String,
    },
    #[error("{message}")]
    OidcRefused {
        message: String,
        #[source]
        source: RemoteError,
    },
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Keystore(#[from] KeystoreError),
    #[error(transparent)]
    Remote(#[from] RemoteError),
    #[error("cannot start the network runtime: {0}")]
    Runtime(String),
    #[error(transparent)]
    KeystoreCall(#[from] crate::keystore::access::JobLost),
}

/// A login the user must do before a profile gets credentials again: the profile to log in
/// (the source of a chain, not always the profile asked for) and the command that does it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginNeeded {
    pub profile: String,
    pub command: String,
}

impl LoginNeeded {
    /// The CloudSSO login of `profile`.
    pub fn sso(profile: &str) -> LoginNeeded {
        LoginNeeded {
            profile: profile.to_string(),
            command: format!("alicloud-vault sso login {profile}"),
        }
    }

    /// The OAuth login of `profile`.
    pub fn oauth(profile: &str) -> LoginNeeded {
        LoginNeeded {
            profile: profile.to_string(),
            command: format!("alicloud-vault oauth login {profile}"),
        }
    }
}

impl CredentialsError {
    /// The login that fixes this error, when only the user can fix it by logging in again (a
    /// missing, expired or refused login). The agent's desktop notices key on it.
    pub fn login_needed(&self) -> Option<LoginNeeded> {
        match self {
            CredentialsError::SsoLoginNeeded { profile } => Some(LoginNeeded::sso(profile)),
            CredentialsError::OAuthLoginNeeded { profile, .. } => Some(LoginNeeded::oauth(profile)),
            _ => None,
        }
    }

    /// The class of the error, which decides the exit code (and the agent's backoff: it backs
    /// off after remote errors only).
    pub fn kind(&self) -> ErrorKind {
        match self {
            CredentialsError::Keystore(_)
            | CredentialsError::KeystoreCall(_)
            | CredentialsError::NoStoredKey { .. } => ErrorKind::Keystore,
            CredentialsError::Remote(_)
            | CredentialsError::Runtime(_)
            | CredentialsError::SsoLoginNeeded { .. }
            | CredentialsError::OAuthLoginNeeded { .. }
            | CredentialsError::UnusableSession { .. } => ErrorKind::Remote,
            CredentialsError::OidcRefused { .. } => ErrorKind::Remote,
            CredentialsError::Config(_)
            | CredentialsError::NoSessionWithRole { .. }
            | CredentialsError::NoSession { .. }
            | CredentialsError::NoLongTermKey { .. }
            | CredentialsError::OidcTokenUnreadable { .. } => ErrorKind::Config,
        }
    }
}
