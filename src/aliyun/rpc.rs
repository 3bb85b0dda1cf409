//! A signed RPC caller (docs/protocols.md, STS over RPC), shared by STS and RAM.
//!
//! Each call adds the common parameters, signs the union of common and action parameters
//! (docs/protocols.md, RPC signature), POSTs the common parameters in the query string and the action parameters
//! as an `application/x-www-form-urlencoded` body (as credentials-go does), and parses the JSON.
//! Throttling, HTTP 5xx, network errors, timeouts and malformed replies are retried with
//! exponential backoff and jitter; other errors surface at once.

use crate::aliyun::http::HttpPool;
use crate::aliyun::signer;
use crate::display::{RemoteText, Sent, MAX_MESSAGE};
use crate::session::{format_alibaba_time, Issued};
use rand::Rng as _;
use serde_json::Value;
use std::fmt;
use std::time::Duration;
use time::OffsetDateTime;
use zeroize::Zeroizing;

pub use crate::knobs::{ENV_HTTP_TIMEOUT_MS, ENV_RETRY_BASE_MS};

const DEFAULT_TOTAL_TIMEOUT: Duration = Duration::from_secs(15);

/// How often and how patiently a call is retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in total, the first one included (at least 1).
    pub attempts: u32,
    /// Delay before the first retry; doubled for each further retry.
    pub base: Duration,
    /// Upper bound of one delay.
    pub cap: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 4,
            base: Duration::from_millis(200),
            cap: Duration::from_secs(2),
        }
    }
}

impl RetryPolicy {
    /// The default policy, with the base delay taken from `ALICLOUD_VAULT_RETRY_BASE_MS` when set
    /// (a test knob: tests shorten the backoff to a few milliseconds).
    pub fn from_env() -> Self {
        let mut policy = RetryPolicy::default();
        if let Some(ms) = crate::knobs::knob(ENV_RETRY_BASE_MS) {
            policy.base = ms;
        }
        policy
    }

    /// The delay before retry number `retry` (0 for the first retry): half of
    /// `min(cap, base * 2^retry)` fixed, the other half random ("equal jitter").
    pub fn delay(&self, retry: u32) -> Duration {
        let exp = self
            .base
            .saturating_mul(1u32.checked_shl(retry.min(20)).unwrap_or(u32::MAX))
            .min(self.cap);
        let half = exp / 2;
        let jitter_ms = half.as_millis() as u64;
        let jitter = if jitter_ms == 0 {
            Duration::ZERO
        } else {
            Duration::from_millis(rand::rng().random_range(0..=jitter_ms))
        };
        half + jitter
    }
}

/// Checks a service endpoint and returns it normalised to `scheme://host[:port]`.
///
/// `https://` is accepted for any host; `http://` only for loopback hosts (`127.0.0.0/8`, `::1`,
/// `localhost`), which is what the test emulators use. A bare host name (as aliyun-cli's
/// `sts_endpoint` holds it) means `https://<host>`. Paths other than `/`, queries, fragments and
/// user info are refused. The error says what to write instead.
pub fn validate_endpoint(url: &str) -> Result<String, String> {
    let trimmed = url.trim();
    let hint = "write a URL such as https://sts.cn-hangzhou.aliyuncs.com \
                (http:// is allowed only for 127.0.0.1, ::1 or localhost)";
    if trimmed.is_empty() {
        return Err(format!("the endpoint is empty; {hint}"));
    }
    let with_scheme = if trimmed.contains("://") {
        trimmed.to_string()
    } else {
        format!("https://{trimmed}")
    };
    let parsed = reqwest::Url::parse(&with_scheme)
        .map_err(|e| format!("the endpoint {trimmed:?} is not a valid URL ({e}); {hint}"))?;
    let host = match parsed.host_str() {
        Some(h) if !h.is_empty() => h.to_string(),
        _ => return Err(format!("the endpoint {trimmed:?} has no host; {hint}")),
    };
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(format!(
            "the endpoint {trimmed:?} must not contain user information; {hint}"
        ));
    }
    if parsed.path() != "/" || parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(format!(
            "the endpoint {trimmed:?} must not have a path, query or fragment; {hint}"
        ));
    }
    match parsed.scheme() {
        "https" => {}
        "http" => {
            let bare = host.trim_start_matches('[').trim_end_matches(']');
            let loopback = bare.eq_ignore_ascii_case("localhost")
                || bare
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback());
            if !loopback {
                return Err(format!(
                    "the endpoint {trimmed:?} uses plain http:// for a host that is not loopback; \
                     use https:// instead ({hint})"
                ));
            }
        }
        other => {
            return Err(format!(
                "the endpoint {trimmed:?} has the unsupported scheme {other:?}; {hint}"
            ))
        }
    }
    let mut out = format!("{}://{}", parsed.scheme(), host);
    if let Some(port) = parsed.port() {
        out.push_str(&format!(":{port}"));
    }
    Ok(out)
}

/// What went wrong with a remote call. The display text names the service and action, the
/// remote `Code`, `Message` and `RequestId`, and what to do next where that is known.
/// No variant ever holds a secret (reply bodies are not copied into errors), and every field
/// that can hold server text is a [`RemoteText`]: filtered (`src/display.rs`) when it is made.
/// Text fields are boxed to keep the error small (it travels inside other error enums).
#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    /// The service answered with an error document.
    #[error("{service} {action} failed: {code}: {message} (RequestId: {request_id}){}", advice(.service, .code, *.signed_by_session))]
    Service {
        service: Box<str>,
        action: Box<str>,
        http_status: u16,
        code: RemoteText,
        message: RemoteText,
        request_id: RemoteText,
        /// Whether an STS session signed the call (a chained hop): the advice differs.
        signed_by_session: bool,
    },
    /// The service could not be reached (DNS, connection refused, connection reset, a reply cut off).
    #[error("{service} {action} failed: cannot reach {endpoint} after {attempts} attempt(s): {detail}; check the network and the endpoint setting")]
    Network {
        service: Box<str>,
        action: Box<str>,
        endpoint: Box<str>,
        attempts: u32,
        detail: RemoteText,
    },
    /// No complete reply within the timeout.
    #[error("{service} {action} failed: no reply from {endpoint} within {timeout_ms} ms after {attempts} attempt(s); check the network and the endpoint setting")]
    Timeout {
        service: Box<str>,
        action: Box<str>,
        endpoint: Box<str>,
        attempts: u32,
        timeout_ms: u128,
    },
    /// A reply that is not the JSON document the API promises.
    #[error("{service} {action} failed: malformed reply (HTTP {http_status}) from {endpoint}: {detail}; check that the endpoint points at the {service} API")]
    Malformed {
        service: Box<str>,
        action: Box<str>,
        endpoint: Box<str>,
        http_status: u16,
        detail: RemoteText,
    },
    /// The endpoint setting is unusable.
    #[error("invalid {service} endpoint: {message}")]
    InvalidEndpoint { service: Box<str>, message: String },
    /// The HTTP client could not be set up (TLS initialisation).
    #[error("cannot set up the HTTP client for {service}: {detail}")]
    Client { service: Box<str>, detail: String },
}

impl RemoteError {
    /// The remote error code, for errors the service reported.
    pub fn code(&self) -> Option<&str> {
        match self {
            RemoteError::Service { code, .. } => Some(code.as_str()),
            _ => None,
        }
    }

    /// The RequestId of a service error (quote it to Alibaba Cloud support).
    pub fn request_id(&self) -> Option<&str> {
        match self {
            RemoteError::Service { request_id, .. } => Some(request_id.as_str()),
            _ => None,
        }
    }

    /// The HTTP status of the reply, when there was one.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            RemoteError::Service { http_status, .. }
            | RemoteError::Malformed { http_status, .. } => Some(*http_status),
            _ => None,
        }
    }

    /// Whether another attempt may succeed: throttling, 5xx, network trouble, timeouts and
    /// malformed (typically truncated) replies.
    pub fn is_retryable(&self) -> bool {
        match self {
            RemoteError::Service {
                code, http_status, ..
            } => code.starts_with("Throttling") || *http_status == 429 || *http_status >= 500,
            RemoteError::Network { .. } | RemoteError::Timeout { .. } => true,
            RemoteError::Malformed { http_status, .. } => !(400..500).contains(http_status),
            RemoteError::InvalidEndpoint { .. } | RemoteError::Client { .. } => false,
        }
    }
}

/// What to do next for the error codes where we know it. `by_session`: an STS session (the
/// previous hop of a chain) signed the call, so the key at fault is that session's.
fn advice(service: &str, code: &str, by_session: bool) -> &'static str {
    if by_session {
        match code {
            "SignatureDoesNotMatch" | "InvalidAccessKeyId.NotFound" => {
                return "; STS refused the session of the previous hop, which signed this call: clear cached sessions with `alicloud-vault clear` and retry; if it fails again, check the source profile's key"
            }
            _ => {}
        }
    }
    if service == "RAM" {
        return ram_advice(code, by_session);
    }
    match code {
        "InvalidAccessKeyId.NotFound" => {
            "; the AccessKey does not exist: check the key id"
        }
        "InvalidAccessKeyId.Inactive" => {
            "; the AccessKey is disabled: enable it in the RAM console, or use another key"
        }
        "SignatureDoesNotMatch" => {
            "; the AccessKey secret does not belong to this key id: check the secret"
        }
        "InvalidTimeStamp.Expired" => "; the system clock is off: synchronise it (NTP) and retry",
        "SignatureNonceUsed" => "; a request was replayed: retry",
        "MissingSecurityToken"
        | "InvalidSecurityToken.Expired"
        | "InvalidSecurityToken.Malformed"
        | "InvalidSecurityToken.MismatchWithAccessKey" => {
            "; the source session is invalid or expired: clear cached sessions with `alicloud-vault clear` and retry"
        }
        "NoPermission" => {
            "; the caller may not assume this role: check the role's trust policy and the caller's RAM policy (AliyunSTSAssumeRoleAccess)"
        }
        "EntityNotExist.Role" => "; check role_arn in the profile",
        "InvalidParameter.RoleArn" => {
            "; role_arn must look like acs:ram::<account-id>:role/<role-name>"
        }
        "InvalidParameter.DurationSeconds" => {
            "; use a duration between 900 s and the role's MaxSessionDuration"
        }
        "InvalidParameter.RoleSessionName" => {
            "; a session name has 2-64 characters from A-Z a-z 0-9 . @ - _"
        }
        "InvalidParameter.PolicyGrammar" | "InvalidParameter.PolicySize" => {
            "; check the session policy (valid JSON, at most 2048 characters)"
        }
        c if c.starts_with("Throttling") => "; too many requests: wait a moment and retry",
        _ => "",
    }
}

/// What to do next for RAM errors (docs/protocols.md, RAM errors).
fn ram_advice(code: &str, by_session: bool) -> &'static str {
    match code {
        "NoPermission" => {
            "; the key's user may not manage its AccessKeys: grant it ram:ListAccessKeys, ram:CreateAccessKey and ram:DeleteAccessKey on itself, or allow users to manage their own AccessKeys in the RAM security settings"
        }
        "EntityNotExist.User" => "; check ram_user_name in the profile",
        "InvalidParameter.UserName.InvalidChars" | "InvalidParameter.UserName.Length" => {
            "; ram_user_name has 1-64 characters from A-Z a-z 0-9 . - _"
        }
        "Inactive" => "; RAM is not activated for this account: activate it in the console",
        c if c.starts_with("Throttling") => "; too many requests: wait a moment and retry",
        c if c.starts_with("InvalidAccessKeyId") || c == "SignatureDoesNotMatch" => {
            advice("STS", c, by_session)
        }
        _ => "",
    }
}

/// A signed RPC client for one service (STS, RAM) at one endpoint.
#[derive(Debug, Clone)]
pub struct RpcClient {
    http: HttpPool,
    service: String,
    endpoint: String,
    version: String,
    retry: RetryPolicy,
    total_timeout: Duration,
}

impl RpcClient {
    /// A client for `service` (the name used in messages, e.g. `STS`) at `endpoint` (see
    /// [`validate_endpoint`]) speaking API `version` (e.g. `2015-04-01`). Timeouts: 5 s to
    /// connect, 15 s in total per attempt (`ALICLOUD_VAULT_HTTP_TIMEOUT_MS` overrides the
    /// latter); retries per [`RetryPolicy::from_env`]. The client has a connection pool of its
    /// own; [`RpcClient::on`] makes one over a shared pool.
    pub fn new(service: &str, endpoint: &str, version: &str) -> Result<Self, RemoteError> {
        RpcClient::on(&HttpPool::new()?, service, endpoint, version)
    }

    /// As [`RpcClient::new`], over the connections of `pool`.
    pub fn on(
        pool: &HttpPool,
        service: &str,
        endpoint: &str,
        version: &str,
    ) -> Result<Self, RemoteError> {
        let endpoint =
            validate_endpoint(endpoint).map_err(|message| RemoteError::InvalidEndpoint {
                service: service.into(),
                message,
            })?;
        let total = crate::knobs::knob(ENV_HTTP_TIMEOUT_MS).unwrap_or(DEFAULT_TOTAL_TIMEOUT);
        Ok(RpcClient {
            http: pool.clone(),
            service: service.to_string(),
            endpoint,
            version: version.to_string(),
            retry: RetryPolicy::from_env(),
            total_timeout: total,
        })
    }

    /// Replaces the retry policy.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = RetryPolicy {
            attempts: retry.attempts.max(1),
            ..retry
        };
        self
    }

    /// Replaces the connect and total (per attempt) timeouts; the client gets a connection
    /// pool of its own, made with that connect timeout.
    pub fn with_timeouts(
        mut self,
        connect: Duration,
        total: Duration,
    ) -> Result<Self, RemoteError> {
        self.http = HttpPool::with_connect_timeout(connect)?;
        self.total_timeout = total;
        Ok(self)
    }

    /// The normalised endpoint (`scheme://host[:port]`).
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The service name used in messages.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// Calls `action` with `params`, signed by `caller` (sending its `SecurityToken` when it is
    /// a session), retrying transient failures. Returns the reply's JSON document.
    pub async fn call(
        &self,
        action: &str,
        params: &[(String, String)],
        caller: &Issued,
    ) -> Result<Value, RemoteError> {
        self.call_as(action, params, Some(caller), None).await
    }

    /// Calls an action that takes no credentials (AssumeRoleWithOIDC): no AccessKeyId, no
    /// signature. `bearer` is the secret the parameters carry (the OIDC token), cut out of any
    /// error text that echoes it.
    pub async fn call_anonymous(
        &self,
        action: &str,
        params: &[(String, String)],
        bearer: &str,
    ) -> Result<Value, RemoteError> {
        self.call_as(action, params, None, Some(bearer)).await
    }

    async fn call_as(
        &self,
        action: &str,
        params: &[(String, String)],
        caller: Option<&Issued>,
        bearer: Option<&str>,
    ) -> Result<Value, RemoteError> {
        let mut retry = 0;
        loop {
            match self.attempt(action, params, caller, bearer).await {
                Ok(v) => return Ok(v),
                Err(e) if e.is_retryable() && retry + 1 < self.retry.attempts => {
                    tokio::time::sleep(self.retry.delay(retry)).await;
                    retry += 1;
                }
                Err(e) => return Err(self.with_attempts(e, retry + 1)),
            }
        }
    }

    fn with_attempts(&self, e: RemoteError, n: u32) -> RemoteError {
        match e {
            RemoteError::Network {
                service,
                action,
                endpoint,
                detail,
                ..
            } => RemoteError::Network {
                service,
                action,
                endpoint,
                attempts: n,
                detail,
            },
            RemoteError::Timeout {
                service,
                action,
                endpoint,
                timeout_ms,
                ..
            } => RemoteError::Timeout {
                service,
                action,
                endpoint,
                attempts: n,
                timeout_ms,
            },
            other => other,
        }
    }

    /// The common parameters of one attempt: a fresh nonce and timestamp every time.
    fn common_params(&self, action: &str, caller: Option<&Issued>) -> Vec<(String, String)> {
        let mut common = vec![
            ("Action".to_string(), action.to_string()),
            ("Format".to_string(), "JSON".to_string()),
            ("Version".to_string(), self.version.clone()),
            (
                "Timestamp".to_string(),
                format_alibaba_time(OffsetDateTime::now_utc()),
            ),
        ];
        let Some(caller) = caller else {
            return common;
        };
        common.extend([
            (
                "AccessKeyId".to_string(),
                caller.access_key_id().to_string(),
            ),
            ("SignatureMethod".to_string(), "HMAC-SHA1".to_string()),
            ("SignatureVersion".to_string(), "1.0".to_string()),
            ("SignatureNonce".to_string(), new_nonce()),
        ]);
        if let Some(token) = caller.security_token() {
            common.push(("SecurityToken".to_string(), token.expose().to_string()));
        }
        common
    }

    async fn attempt(
        &self,
        action: &str,
        params: &[(String, String)],
        caller: Option<&Issued>,
        bearer: Option<&str>,
    ) -> Result<Value, RemoteError> {
        let mut common = self.common_params(action, caller);
        if let Some(caller) = caller {
            let mut all: Vec<(String, String)> = common.clone();
            all.extend(params.iter().cloned());
            let sig = signer::signature("POST", &all, caller.access_key_secret().expose());
            common.push(("Signature".to_string(), sig));
        }
        // The query holds the SecurityToken: keep the URL in a zeroizing buffer.
        let url = Zeroizing::new(format!("{}/?{}", self.endpoint, encode_pairs(&common)));
        let body = encode_pairs(params);

        let network = |detail: String| RemoteError::Network {
            service: self.service.as_str().into(),
            action: action.into(),
            endpoint: self.endpoint.as_str().into(),
            attempts: 1,
            detail: detail.into(),
        };
        let timeout = || RemoteError::Timeout {
            service: self.service.as_str().into(),
            action: action.into(),
            endpoint: self.endpoint.as_str().into(),
            attempts: 1,
            timeout_ms: self.total_timeout.as_millis(),
        };

        let response = self
            .http
            .client()
            .post(url.as_str())
            .timeout(self.total_timeout)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .header("x-acs-credentials-provider", "alicloud-vault")
            .body(body)
            .send()
            .await
            .map_err(|e| {
                if e.is_timeout() {
                    timeout()
                } else {
                    network(describe_reqwest_error(&e))
                }
            })?;
        let status = response.status().as_u16();
        let bytes = response.bytes().await.map_err(|e| {
            if e.is_timeout() {
                timeout()
            } else {
                network(format!(
                    "the reply was cut off ({})",
                    describe_reqwest_error(&e)
                ))
            }
        })?;
        let bytes = Zeroizing::new(bytes.to_vec());
        let sent = Sent {
            key_ids: [caller.map(|c| c.access_key_id()), None],
            secrets: [
                caller.map(|c| c.access_key_secret().expose()),
                caller.and_then(|c| c.security_token()).map(|t| t.expose()),
                bearer,
                None,
            ],
        };
        let by_session = caller.is_some_and(|c| c.security_token().is_some());
        self.classify_reply(action, status, &bytes, &sent, by_session)
    }

    /// Classifies one reply: a JSON object on success, else the service's error. Public for
    /// the fuzz target of the response parsers (fuzz/fuzz_targets/sts_reply.rs).
    pub fn parse_reply(
        &self,
        action: &str,
        status: u16,
        bytes: &[u8],
    ) -> Result<Value, RemoteError> {
        self.classify_reply(action, status, bytes, &Sent::default(), false)
    }

    /// [`RpcClient::parse_reply`], cutting what the caller `sent` out of the server's text.
    fn classify_reply(
        &self,
        action: &str,
        status: u16,
        bytes: &[u8],
        sent: &Sent<'_>,
        signed_by_session: bool,
    ) -> Result<Value, RemoteError> {
        let malformed = |detail: String| RemoteError::Malformed {
            service: self.service.as_str().into(),
            action: action.into(),
            endpoint: self.endpoint.as_str().into(),
            http_status: status,
            detail: detail.into(),
        };
        // The reply may hold credentials: describe parse errors by position only.
        let doc: Value = match serde_json::from_slice(bytes) {
            Ok(v) => v,
            Err(e) => {
                return Err(malformed(format!(
                    "not JSON ({:?} error at line {} column {}, {} bytes)",
                    e.classify(),
                    e.line(),
                    e.column(),
                    bytes.len()
                )))
            }
        };
        if !doc.is_object() {
            return Err(malformed("the reply is not a JSON object".to_string()));
        }
        if (200..300).contains(&status) {
            return Ok(doc);
        }
        let field = |k: &str| doc.get(k).and_then(Value::as_str);
        match field("Code") {
            Some(code) => Err(RemoteError::Service {
                service: self.service.as_str().into(),
                action: action.into(),
                http_status: status,
                code: RemoteText::new(code, crate::display::MAX_FIELD, sent),
                message: RemoteText::new(field("Message").unwrap_or_default(), MAX_MESSAGE, sent),
                request_id: RemoteText::new(
                    field("RequestId").unwrap_or("-"),
                    crate::display::MAX_FIELD,
                    sent,
                ),
                signed_by_session,
            }),
            None => Err(malformed("an error reply without a Code field".to_string())),
        }
    }
}

/// Where a JSON service beside RPC (CloudSSO, OAuth) is reached: what its errors name.
pub(crate) struct JsonService<'a> {
    pub service: &'static str,
    pub endpoint: &'a str,
    pub timeout: Duration,
}

impl JsonService<'_> {
    /// A request to `action` that did not get an answer.
    pub fn transport(&self, action: &str, e: &reqwest::Error) -> RemoteError {
        transport_error(self.service, action, self.endpoint, self.timeout, e)
    }

    /// An answer to `action` that is not what the service sends.
    pub fn malformed(&self, action: &str, status: u16, detail: String) -> RemoteError {
        RemoteError::Malformed {
            service: self.service.into(),
            action: action.into(),
            endpoint: self.endpoint.into(),
            http_status: status,
            detail: detail.into(),
        }
    }

    /// The non-empty string `key` of a successful answer.
    pub fn text(&self, doc: &Value, action: &str, key: &str) -> Result<String, RemoteError> {
        doc.get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .ok_or_else(|| self.malformed(action, 200, format!("{key} is missing or empty")))
    }
}

/// The error of a request that got no complete reply: a timeout, or network trouble described
/// without the URL. For the JSON services beside RPC (CloudSSO, OAuth).
pub(crate) fn transport_error(
    service: &str,
    action: &str,
    endpoint: &str,
    timeout: Duration,
    e: &reqwest::Error,
) -> RemoteError {
    if e.is_timeout() {
        RemoteError::Timeout {
            service: service.into(),
            action: action.into(),
            endpoint: endpoint.into(),
            attempts: 1,
            timeout_ms: timeout.as_millis(),
        }
    } else {
        RemoteError::Network {
            service: service.into(),
            action: action.into(),
            endpoint: endpoint.into(),
            attempts: 1,
            detail: describe_reqwest_error(e).into(),
        }
    }
}

/// A reply body that is a JSON object, or `None`.
pub(crate) fn json_object(bytes: &[u8]) -> Option<Value> {
    serde_json::from_slice(bytes).ok().filter(Value::is_object)
}

/// A string field of an error document, filtered and with what the caller `sent` cut out
/// (empty when the document or the field is missing).
pub(crate) fn error_field(
    doc: Option<&Value>,
    key: &str,
    max: usize,
    sent: &Sent<'_>,
) -> RemoteText {
    let raw = doc
        .and_then(|d| d.get(key))
        .and_then(Value::as_str)
        .unwrap_or("");
    RemoteText::new(raw, max, sent)
}

/// A reqwest error without its URL (the URL carries the SecurityToken).
pub(crate) fn describe_reqwest_error(e: &reqwest::Error) -> String {
    let mut detail = if e.is_connect() {
        "connection failed".to_string()
    } else if e.is_body() || e.is_decode() {
        "error reading the reply".to_string()
    } else if e.is_request() {
        "error sending the request".to_string()
    } else {
        "HTTP error".to_string()
    };
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        detail.push_str(": ");
        detail.push_str(&s.to_string());
        source = s.source();
    }
    detail
}

fn encode_pairs(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                signer::percent_encode(k),
                signer::percent_encode(v)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// A random UUID-shaped nonce (version 4 layout).
fn new_nonce() -> String {
    let mut b: [u8; 16] = rand::rng().random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

impl fmt::Display for RetryPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} attempts, backoff {} ms doubling up to {} ms",
            self.attempts,
            self.base.as_millis(),
            self.cap.as_millis()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_endpoints_are_normalised() {
        assert_eq!(
            validate_endpoint("https://sts.cn-hangzhou.aliyuncs.com/").unwrap(),
            "https://sts.cn-hangzhou.aliyuncs.com"
        );
        assert_eq!(
            validate_endpoint("sts.aliyuncs.com").unwrap(),
            "https://sts.aliyuncs.com"
        );
        assert_eq!(
            validate_endpoint("https://example.com:8443").unwrap(),
            "https://example.com:8443"
        );
    }

    #[test]
    fn plain_http_is_allowed_only_for_loopback() {
        assert_eq!(
            validate_endpoint("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            validate_endpoint("http://127.1.2.3:80/").unwrap(),
            "http://127.1.2.3"
        );
        assert_eq!(
            validate_endpoint("http://[::1]:9000").unwrap(),
            "http://[::1]:9000"
        );
        assert_eq!(
            validate_endpoint("http://localhost:1234").unwrap(),
            "http://localhost:1234"
        );
        let err = validate_endpoint("http://sts.aliyuncs.com").unwrap_err();
        assert!(err.contains("use https:// instead"), "{err}");
        assert!(
            err.contains("https://sts.cn-hangzhou.aliyuncs.com"),
            "{err}"
        );
    }

    #[test]
    fn endpoints_with_paths_or_other_schemes_are_refused() {
        assert!(validate_endpoint("https://sts.aliyuncs.com/v1")
            .unwrap_err()
            .contains("must not have a path"));
        assert!(validate_endpoint("ftp://sts.aliyuncs.com")
            .unwrap_err()
            .contains("unsupported scheme"));
        assert!(validate_endpoint("")
            .unwrap_err()
            .contains("the endpoint is empty"));
        assert!(validate_endpoint("https://u:p@sts.aliyuncs.com")
            .unwrap_err()
            .contains("user information"));
    }

    #[test]
    fn nonces_look_like_uuids_and_differ() {
        let a = new_nonce();
        let b = new_nonce();
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert_ne!(a, b);
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let p = RetryPolicy {
            attempts: 4,
            base: Duration::from_millis(200),
            cap: Duration::from_secs(2),
        };
        for _ in 0..50 {
            let d0 = p.delay(0);
            assert!(d0 >= Duration::from_millis(100) && d0 <= Duration::from_millis(200));
            let d2 = p.delay(2);
            assert!(d2 >= Duration::from_millis(400) && d2 <= Duration::from_millis(800));
            let d9 = p.delay(9);
            assert!(d9 >= Duration::from_secs(1) && d9 <= Duration::from_secs(2));
        }
    }

    #[test]
    fn service_errors_name_code_message_request_id_and_advice() {
        let e = RemoteError::Service {
            service: "STS".into(),
            action: "AssumeRole".into(),
            http_status: 404,
            code: "InvalidAccessKeyId.NotFound".into(),
            message: "Specified access key is not found.".into(),
            request_id: "REQ-1".into(),
            signed_by_session: false,
        };
        assert_eq!(
            e.to_string(),
            "STS AssumeRole failed: InvalidAccessKeyId.NotFound: Specified access key is not found. \
             (RequestId: REQ-1); the AccessKey does not exist: check the key id"
        );
        assert!(!e.is_retryable());
    }

    #[test]
    fn server_text_in_an_error_is_filtered_and_what_the_caller_sent_is_cut_out() {
        let client = RpcClient::new("STS", "http://127.0.0.1:1", "2015-04-01").unwrap();
        let id = "STS.NUgYrLnoC37mZZCNnAbez2";
        let token = "CAIS+previous/hop=token";
        let body = serde_json::json!({
            "Code": "SignatureDoesNotMatch\u{1b}[2J",
            "Message": format!("bad {token} and {id}\nalicloud-vault: forged line; server string to sign is:POST&%2F&AccessKeyId%3D{id}"),
            "RequestId": "R\r\u{1b}]0;t\u{7}",
        });
        let bytes = serde_json::to_vec(&body).unwrap();
        let sent = Sent {
            key_ids: [Some(id), None],
            secrets: [Some("the-secret-value"), Some(token), None, None],
        };
        let e = client
            .classify_reply("AssumeRole", 400, &bytes, &sent, true)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "STS AssumeRole failed: SignatureDoesNotMatch: bad [redacted] and ****bez2 \
             alicloud-vault: forged line; [echoed string-to-sign removed] (RequestId: R); STS refused \
             the session of the previous hop, which signed this call: clear cached sessions with \
             `alicloud-vault clear` and retry; if it fails again, check the source profile's key"
        );
        assert_eq!(e.code(), Some("SignatureDoesNotMatch"));
        // Without the caller's values (the fuzz entry point), shapes and the echo still go.
        let e = client.parse_reply("AssumeRole", 400, &bytes).unwrap_err();
        let text = e.to_string();
        assert!(!text.contains(id) && !text.contains('\u{1b}'), "{text}");
        assert!(
            text.contains("the AccessKey secret does not belong to this key id"),
            "{text}"
        );
    }

    #[test]
    fn throttling_and_5xx_are_retryable_but_4xx_are_not() {
        let svc = |code: &str, status: u16| RemoteError::Service {
            service: "STS".into(),
            action: "AssumeRole".into(),
            http_status: status,
            code: code.into(),
            message: "".into(),
            request_id: "".into(),
            signed_by_session: false,
        };
        assert!(svc("Throttling.User", 400).is_retryable());
        assert!(svc("Whatever", 429).is_retryable());
        assert!(svc("ServiceUnavailable", 503).is_retryable());
        assert!(!svc("SignatureDoesNotMatch", 400).is_retryable());
        assert!(!svc("NoPermission", 403).is_retryable());
    }
}
