//! The control protocol between the CLI and the agent: one JSON object per line in each
//! direction, requests and responses as serde-tagged enums (the shape rbw uses).
//!
//! The first request on a connection is usually [`Request::Hello`]; the client compares
//! [`PROTOCOL_VERSION`] and falls back to working without the agent on a mismatch.

pub use crate::credentials::forget::Selector;
use crate::secret::Secret;
use crate::session::{format_alibaba_time, parse_alibaba_time, Issued, LongTermKey, Session};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Bumped on every incompatible change of [`Request`] or [`Response`].
pub const PROTOCOL_VERSION: u32 = 2;

/// The longest line either side accepts; anything longer closes the connection.
pub const MAX_LINE: usize = 64 * 1024;
/// How the agent's refusal of a request it cannot parse begins (an agent of another version);
/// older agents said it the same way, so a newer CLI recognises them by it.
pub const UNKNOWN_REQUEST: &str = "not a request this agent understands";

/// What a client asks the agent.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Request {
    /// Who are you? The client says which configuration and backend it would use, so that the
    /// agent can tell it when it serves another one.
    Hello {
        version: u32,
        config: PathBuf,
        backend: Option<String>,
        /// A [`Request::Credentials`] to answer at once when the hello matches (same version,
        /// configuration and backend), so that `exec` through the agent is one round trip.
        /// Its response comes inside the hello's ([`Response::Hello`] `answer`); when the
        /// hello does not match, it is not answered (nor audited) and the client works
        /// without the agent. Added in version 2 without a bump: an older agent ignores it
        /// and answers no `answer`, and the client then sends the request on its own.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        then: Option<Box<Request>>,
    },
    /// Credentials for `exec`/`export` (the long-term key for a profile without a role).
    Credentials {
        profile: String,
        duration_secs: Option<u64>,
        no_session: bool,
    },
    /// A credentials URI for `exec --server`; it stays valid while this connection is open.
    ServeUri {
        profile: String,
        duration_secs: Option<u64>,
    },
    /// A credentials URI with options: `watch_pid` ties it to that process (an open shell,
    /// `export --format shell-uri`) instead of this connection, `container` makes it one of
    /// the container listener (`[agent] container_address`), for `--container`. Added in
    /// version 2 without a bump: an older agent answers it with an error, which the CLI turns
    /// into advice to restart the agent; plain `exec --server` keeps sending `ServeUri`.
    GrantUri {
        profile: String,
        duration_secs: Option<u64>,
        watch_pid: Option<u32>,
        container: bool,
    },
    /// Revokes a URI handed out on this connection.
    RevokeUri { token: String },
    /// Serves `profile` on the ECS metadata endpoint from now on.
    MetadataUse { profile: String },
    /// Drops the sessions the selector names, from memory and from the keystore cache, so
    /// that no channel serves them again (`clear`, `remove`, `add`, `rotate`, `sso logout`, `oauth logout`).
    /// Added in version 2.
    Forget {
        selector: Selector,
        /// Also revoke the URIs of open shells whose profile the selector names (`clear`).
        /// Added in version 2 without a bump: an older agent ignores it, and it has no such
        /// URIs.
        #[serde(default)]
        revoke_shell_uris: bool,
    },
    /// The agent's state.
    Status,
    /// Writes every audit line queued so far (`agent log` sends it first). Added in
    /// version 1 without a bump: an older agent answers it with an error, which the CLI ignores.
    FlushAudit,
    /// Stops the agent.
    Stop,
}

/// What the agent answers; exactly one response per request.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Response {
    Hello {
        version: u32,
        pid: u32,
        /// False when the agent serves another configuration file or backend than the client's.
        compatible: bool,
        config: PathBuf,
        backend: String,
        /// The response to the hello's `then`, when it had one and the hello matched.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        answer: Option<Box<Response>>,
    },
    Credentials(WireCredentials),
    Uri {
        uri: String,
        token: String,
        expiration: String,
        region: Option<String>,
    },
    Status(AgentStatus),
    /// How many cached sessions `Forget` dropped (memory and keystore, each counted once).
    Forgotten {
        sessions: usize,
    },
    Ok,
    Error {
        kind: ErrorKind,
        message: String,
    },
}

pub use crate::exit_codes::ErrorKind;

/// Credentials on the wire. `Debug` shows no secret (the secret fields are [`Secret`]s).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WireCredentials {
    pub access_key_id: String,
    pub access_key_secret: Secret,
    pub security_token: Option<Secret>,
    pub expiration: Option<String>,
    pub issued_at: Option<String>,
    pub region: Option<String>,
    /// True when this is the profile's long-term key (a profile without a role).
    pub long_term: bool,
}

impl WireCredentials {
    pub fn from_issued(issued: &Issued, region: Option<String>) -> WireCredentials {
        match issued {
            Issued::LongTerm(k) => WireCredentials {
                access_key_id: k.access_key_id.clone(),
                access_key_secret: k.access_key_secret.clone(),
                security_token: None,
                expiration: None,
                issued_at: None,
                region,
                long_term: true,
            },
            Issued::Session(s) => WireCredentials {
                access_key_id: s.access_key_id.clone(),
                access_key_secret: s.access_key_secret.clone(),
                security_token: Some(s.security_token.clone()),
                expiration: Some(format_alibaba_time(s.expiration)),
                issued_at: Some(format_alibaba_time(s.issued_at)),
                region,
                long_term: false,
            },
        }
    }

    /// Back to [`Issued`]; `None` when a session lacks a field or a time does not parse.
    pub fn into_issued(self) -> Option<Issued> {
        if self.long_term {
            return Some(Issued::LongTerm(LongTermKey {
                access_key_id: self.access_key_id,
                access_key_secret: self.access_key_secret,
            }));
        }
        Some(Issued::Session(Session {
            access_key_id: self.access_key_id,
            access_key_secret: self.access_key_secret,
            security_token: self.security_token?,
            expiration: parse_alibaba_time(self.expiration.as_deref()?)?,
            issued_at: parse_alibaba_time(self.issued_at.as_deref()?)?,
        }))
    }
}

/// What `agent status` shows.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AgentStatus {
    pub version: u32,
    pub pid: u32,
    pub started: String,
    pub config: PathBuf,
    pub backend: String,
    pub socket: PathBuf,
    pub uri_server: Option<String>,
    pub uri_tokens: usize,
    pub metadata: Option<MetadataStatus>,
    pub sessions: Vec<SessionStatus>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MetadataStatus {
    pub address: String,
    pub profile: Option<String>,
    pub role_name: Option<String>,
    pub hardened: bool,
    /// Why the endpoint is not serving, when it is not.
    pub error: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionStatus {
    pub profile: String,
    pub access_key_id_hint: String,
    pub expiration: String,
    pub seconds_left: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_tagged_snake_case_objects_on_one_line() {
        let line = serde_json::to_string(&Request::ServeUri {
            profile: "prod".into(),
            duration_secs: None,
        })
        .unwrap();
        assert_eq!(
            line,
            r#"{"type":"serve_uri","profile":"prod","duration_secs":null}"#
        );
        let back: Request = serde_json::from_str(r#"{"type":"stop"}"#).unwrap();
        assert!(matches!(back, Request::Stop));
    }

    #[test]
    fn credentials_round_trip_and_hide_secrets_in_debug() {
        let s = Issued::Session(Session {
            access_key_id: "STS.a".into(),
            access_key_secret: Secret::new("very-secret"),
            security_token: Secret::new("tok-secret"),
            expiration: parse_alibaba_time("2026-01-01T01:00:00Z").unwrap(),
            issued_at: parse_alibaba_time("2026-01-01T00:00:00Z").unwrap(),
        });
        let w = WireCredentials::from_issued(&s, Some("cn-hangzhou".into()));
        assert!(!format!("{w:?}").contains("secret\""));
        assert!(!format!("{w:?}").contains("very-secret"));
        let text = serde_json::to_string(&Response::Credentials(w)).unwrap();
        let Response::Credentials(back) = serde_json::from_str(&text).unwrap() else {
            panic!()
        };
        assert_eq!(back.into_issued(), Some(s));
    }
}
