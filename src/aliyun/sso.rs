//! CloudSSO (docs/protocols.md, CloudSSO device login): the device-authorization login with PKCE, the account and
//! access-configuration listings, and STS credentials from `/cloud-credentials`.
//!
//! Every call is JSON in and out at `scheme://host[:port]` of the sign-in URL (or the
//! `sso_endpoint` override). Errors are `{ErrorCode, ErrorMessage, RequestId}`; they become
//! [`SsoError`], which says what to do next. Tokens, device codes and STS secrets are held in
//! [`Secret`]s and never copied into an error or a log line.

use crate::aliyun::http::HttpPool;
use crate::aliyun::rpc::{validate_endpoint, RemoteError, RetryPolicy, ENV_HTTP_TIMEOUT_MS};
use crate::display::{RemoteText, Sent, MAX_FIELD, MAX_MESSAGE};
use crate::secret::Secret;
use crate::session::{parse_alibaba_time, Session};
use base64::Engine as _;
use rand::Rng as _;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::time::Duration;
use time::OffsetDateTime;

/// The OAuth client id the aliyun CLI registers its device logins under.
pub const DEFAULT_CLIENT_ID: &str = "app-vaz16tltdxs96audqf35";
/// The grant type of the token poll (RFC 8628).
pub const DEVICE_CODE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
pub use crate::knobs::ENV_POLL_UNIT_MS;

const SERVICE: &str = "CloudSSO";
/// The aliyun CLI's HTTP client timeout for CloudSSO (util/util.go).
const TOTAL_TIMEOUT: Duration = Duration::from_secs(10);
/// The page size asked for when listing (the CLI's value).
const PAGE_SIZE: u32 = 100;
/// Stop following `NextToken` after this many pages: a server that never stops is broken.
const MAX_PAGES: usize = 1000;
/// How long a login waits when the server does not say when the device code expires.
const DEFAULT_LOGIN_WINDOW: Duration = Duration::from_secs(15 * 60);
/// RFC 8628 3.5: on `slow_down` the interval grows by 5 seconds.
const SLOW_DOWN_STEP_S: u64 = 5;
/// Consecutive transient failures (network, 5xx) the token poll tolerates.
const MAX_POLL_FAILURES: u32 = 5;

/// The client id to send: `ALIBABACLOUD_SSO_CLIENT_ID`, then `ALIBABA_CLOUD_SSO_CLIENT_ID`,
/// else [`DEFAULT_CLIENT_ID`] (the aliyun CLI's order).
pub fn client_id() -> String {
    ["ALIBABACLOUD_SSO_CLIENT_ID", "ALIBABA_CLOUD_SSO_CLIENT_ID"]
        .iter()
        .find_map(|n| std::env::var(n).ok().filter(|v| !v.trim().is_empty()))
        .map(|v| v.trim().to_string())
        .unwrap_or_else(|| DEFAULT_CLIENT_ID.to_string())
}

/// The `scheme://host[:port]` of a sign-in URL: where CloudSSO's API lives.
pub fn endpoint_of_sign_in_url(sign_in_url: &str) -> Result<String, SsoError> {
    let url = reqwest::Url::parse(sign_in_url.trim()).map_err(|e| SsoError::InvalidSignInUrl {
        url: sign_in_url.to_string(),
        detail: e.to_string(),
    })?;
    let host =
        url.host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| SsoError::InvalidSignInUrl {
                url: sign_in_url.to_string(),
                detail: "it has no host".into(),
            })?;
    let mut out = format!("{}://{host}", url.scheme());
    if let Some(port) = url.port() {
        out.push_str(&format!(":{port}"));
    }
    validate_endpoint(&out).map_err(|detail| SsoError::InvalidSignInUrl {
        url: sign_in_url.to_string(),
        detail,
    })
}

/// The key the access token of a sign-in URL is stored under: SHA-256 (hex) of its scheme,
/// host, port and path, so that every profile with the same sign-in URL shares one login
/// (a query, fragment, trailing slash or letter case of scheme and host do not matter).
pub fn token_key(sign_in_url: &str) -> String {
    let canonical = match reqwest::Url::parse(sign_in_url.trim()) {
        Ok(u) => format!(
            "{}://{}{}{}",
            u.scheme(),
            u.host_str().unwrap_or(""),
            u.port().map(|p| format!(":{p}")).unwrap_or_default(),
            u.path().trim_end_matches('/')
        ),
        Err(_) => sign_in_url.trim().to_string(),
    };
    hex::encode(Sha256::digest(canonical.as_bytes()))
}

/// A PKCE pair (RFC 7636, method S256).
#[derive(Debug, Clone)]
pub struct Pkce {
    /// 64 random characters of the unreserved set; sent only to `/token`.
    pub verifier: Secret,
    /// `base64url(SHA-256(verifier))` without padding; sent to `/device-authorization`.
    pub challenge: String,
}

/// The characters RFC 7636 allows in a code verifier.
const UNRESERVED: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

impl Pkce {
    /// A fresh random pair.
    pub fn new() -> Pkce {
        let mut rng = rand::rng();
        let verifier: String = (0..64)
            .map(|_| UNRESERVED[rng.random_range(0..UNRESERVED.len())] as char)
            .collect();
        let challenge = Pkce::challenge_of(&verifier);
        Pkce {
            verifier: Secret::from(verifier),
            challenge,
        }
    }

    /// The S256 challenge of a verifier.
    pub fn challenge_of(verifier: &str) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
    }
}

impl Default for Pkce {
    fn default() -> Self {
        Pkce::new()
    }
}

/// What went wrong talking to CloudSSO. Every message says what to do next; none holds a secret.
#[derive(Debug, thiserror::Error)]
pub enum SsoError {
    /// CloudSSO answered with an error document.
    #[error("CloudSSO {action} failed: {code}: {message} (RequestId: {request_id}); {}", sso_advice(.code, *.http_status))]
    Service {
        action: Box<str>,
        http_status: u16,
        code: RemoteText,
        message: RemoteText,
        request_id: RemoteText,
    },
    /// The access token is missing, expired or was revoked.
    #[error("CloudSSO {action} refused the access token (HTTP {http_status}{}): it is expired or was revoked; log in again with `alicloud-vault sso login`", code_suffix(.code))]
    TokenRejected {
        action: Box<str>,
        http_status: u16,
        code: RemoteText,
    },
    /// The device code expired before the user approved the login.
    #[error("the login request expired before it was approved in the browser (RequestId: {request_id}); approve it sooner next time")]
    DeviceCodeExpired { request_id: RemoteText },
    /// The sign-in URL cannot be used.
    #[error("the CloudSSO sign-in URL `{url}` cannot be used: {detail}; set sso_sign_in_url to the URL shown in the CloudSSO console, like https://signin-cn-shanghai.alibabacloudsso.com/device/login")]
    InvalidSignInUrl { url: String, detail: String },
    /// Network trouble, timeouts, malformed replies, a bad endpoint setting.
    #[error(transparent)]
    Transport(#[from] RemoteError),
}

fn code_suffix(code: &str) -> String {
    if code.is_empty() {
        String::new()
    } else {
        format!(", {code}")
    }
}

fn sso_advice(code: &str, status: u16) -> &'static str {
    match code {
        "InvalidClientId" | "InvalidClient" => {
            "the client id is not accepted: unset ALIBABACLOUD_SSO_CLIENT_ID and ALIBABA_CLOUD_SSO_CLIENT_ID, or set the one your administrator gave you"
        }
        "InvalidGrant" | "InvalidCodeVerifier" => "run `alicloud-vault sso login` again",
        "AccessDenied" | "NoPermission" | "Forbidden" => {
            "the CloudSSO user may not use this account and access configuration: check them with `alicloud-vault sso list PROFILE`"
        }
        c if c.contains("NotFound") || c.contains("NotExist") => {
            "check sso_account_id and sso_access_configuration with `alicloud-vault sso list PROFILE`"
        }
        c if c.starts_with("Throttling") => "too many requests: wait a moment and retry",
        _ if status >= 500 => "CloudSSO is failing: retry later",
        _ => "check the profile's sso_* settings, or log in again with `alicloud-vault sso login`",
    }
}

impl SsoError {
    /// Whether another attempt may succeed.
    fn is_retryable(&self) -> bool {
        match self {
            SsoError::Service {
                code, http_status, ..
            } => code.starts_with("Throttling") || *http_status == 429 || *http_status >= 500,
            SsoError::Transport(e) => e.is_retryable(),
            _ => false,
        }
    }

    /// The error as a [`RemoteError`] (for callers whose error type carries that), keeping
    /// the code, message and RequestId.
    pub fn into_remote(self) -> RemoteError {
        match self {
            SsoError::Transport(e) => e,
            SsoError::Service {
                action,
                http_status,
                code,
                message,
                request_id,
            } => RemoteError::Service {
                service: SERVICE.into(),
                action,
                http_status,
                code,
                message,
                request_id,
                signed_by_session: false,
            },
            SsoError::TokenRejected {
                action,
                http_status,
                code,
            } => RemoteError::Service {
                service: SERVICE.into(),
                action,
                http_status,
                code: if code.is_empty() { "Unauthorized".into() } else { code },
                message: "the access token is expired or was revoked; log in again with `alicloud-vault sso login`".into(),
                request_id: "-".into(),
                signed_by_session: false,
            },
            SsoError::DeviceCodeExpired { request_id } => RemoteError::Service {
                service: SERVICE.into(),
                action: "/token".into(),
                http_status: 400,
                code: "InvalidDeviceCodeError".into(),
                message: "the login request expired; run `alicloud-vault sso login` again".into(),
                request_id,
                signed_by_session: false,
            },
            e @ SsoError::InvalidSignInUrl { .. } => RemoteError::InvalidEndpoint {
                service: SERVICE.into(),
                message: e.to_string(),
            },
        }
    }
}

/// The answer of `/device-authorization`.
#[derive(Debug, Clone)]
pub struct DeviceAuthorization {
    pub device_code: Secret,
    /// The code the user confirms in the browser (shown to the user; not a secret).
    pub user_code: String,
    pub verification_uri: String,
    pub verification_uri_complete: Option<String>,
    /// Seconds between polls, as the server asks.
    pub interval_s: u64,
    /// Seconds until the device code expires, when the server says.
    pub expires_in_s: Option<u64>,
}

/// An access token and when it expires.
#[derive(Debug, Clone)]
pub struct AccessToken {
    pub token: Secret,
    pub expires_at: OffsetDateTime,
}

/// One answer of the token poll.
#[derive(Debug, Clone)]
pub enum TokenPoll {
    Granted(AccessToken),
    /// The user has not approved yet: poll again after the interval.
    Pending,
    /// Poll less often.
    SlowDown,
}

/// An account the user may sign in to.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Account {
    pub account_id: String,
    pub display_name: String,
}

/// An access configuration the user may use in an account.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AccessConfiguration {
    pub id: String,
    pub name: String,
    pub description: String,
}

/// A CloudSSO client at one endpoint.
#[derive(Debug, Clone)]
pub struct SsoClient {
    http: HttpPool,
    endpoint: String,
    retry: RetryPolicy,
    timeout: Duration,
}

impl SsoClient {
    /// A client for `endpoint` (`scheme://host[:port]`; plain http only for loopback), with a
    /// connection pool of its own. Timeouts: 5 s to connect, 10 s per attempt
    /// (`ALICLOUD_VAULT_HTTP_TIMEOUT_MS` overrides).
    pub fn new(endpoint: &str) -> Result<SsoClient, SsoError> {
        SsoClient::on(&HttpPool::new().map_err(SsoError::Transport)?, endpoint)
    }

    /// As [`SsoClient::new`], over the connections of `pool`.
    pub fn on(pool: &HttpPool, endpoint: &str) -> Result<SsoClient, SsoError> {
        let endpoint = validate_endpoint(endpoint).map_err(|message| {
            SsoError::Transport(RemoteError::InvalidEndpoint {
                service: SERVICE.into(),
                message,
            })
        })?;
        let timeout = crate::knobs::knob(ENV_HTTP_TIMEOUT_MS).unwrap_or(TOTAL_TIMEOUT);
        Ok(SsoClient {
            http: pool.clone(),
            endpoint,
            retry: RetryPolicy::from_env(),
            timeout,
        })
    }

    /// The normalised endpoint.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// `POST /device-authorization`: starts a login.
    pub async fn device_authorization(
        &self,
        portal_url: &str,
        client_id: &str,
        pkce: &Pkce,
    ) -> Result<DeviceAuthorization, SsoError> {
        let body = json!({
            "PortalUrl": portal_url,
            "CodeChallenge": pkce.challenge,
            "ClientId": client_id,
            "CodeChallengeMethod": "S256",
        });
        let action = "/device-authorization";
        let doc = self
            .with_retries(|| self.send(reqwest::Method::POST, action, &[], Some(&body), None))
            .await?;
        let device_code = self.text(&doc, action, "DeviceCode")?;
        let user_code = self.plain(&doc, action, "UserCode", 64)?;
        let verification_uri = self.plain(&doc, action, "VerificationUri", 2048)?;
        let interval_s = doc
            .get("Interval")
            .and_then(number)
            .filter(|i| *i > 0)
            .unwrap_or(5);
        Ok(DeviceAuthorization {
            device_code: Secret::from(device_code),
            user_code,
            verification_uri,
            verification_uri_complete: match doc.get("VerificationUriComplete") {
                Some(Value::String(s)) if !s.is_empty() => {
                    Some(self.plain(&doc, action, "VerificationUriComplete", 2048)?)
                }
                _ => None,
            },
            interval_s,
            expires_in_s: doc.get("ExpiresIn").and_then(number).filter(|e| *e > 0),
        })
    }

    /// `POST /token`: one poll for the access token.
    pub async fn poll_token(
        &self,
        client_id: &str,
        device_code: &Secret,
        verifier: &Secret,
    ) -> Result<TokenPoll, SsoError> {
        let body = json!({
            "CodeVerifier": verifier.expose(),
            "ClientId": client_id,
            "DeviceCode": device_code.expose(),
            "GrantType": DEVICE_CODE_GRANT,
        });
        let action = "/token";
        match self
            .send(reqwest::Method::POST, action, &[], Some(&body), None)
            .await
        {
            Ok(doc) => {
                let token = self.text(&doc, action, "AccessToken")?;
                let expires_in = doc.get("ExpiresIn").and_then(number).ok_or_else(|| {
                    self.malformed(action, 200, "the reply has no ExpiresIn".into())
                })?;
                Ok(TokenPoll::Granted(AccessToken {
                    token: Secret::from(token),
                    expires_at: OffsetDateTime::now_utc()
                        + time::Duration::seconds(expires_in.min(i64::MAX as u64) as i64),
                }))
            }
            Err(SsoError::Service { code, .. }) if &*code == "AuthorizationPending" => {
                Ok(TokenPoll::Pending)
            }
            Err(SsoError::Service { code, .. }) if &*code == "SlowDown" => Ok(TokenPoll::SlowDown),
            Err(SsoError::Service {
                code, request_id, ..
            }) if matches!(
                &*code,
                "InvalidDeviceCodeError" | "ExpiredToken" | "ExpiredTokenError"
            ) =>
            {
                Err(SsoError::DeviceCodeExpired { request_id })
            }
            Err(e) => Err(e),
        }
    }

    /// Polls `/token` at the server's interval until the user approves, the device code
    /// expires, or a hard error. `tick` is called before every wait (for a progress display).
    pub async fn wait_for_token(
        &self,
        client_id: &str,
        auth: &DeviceAuthorization,
        pkce: &Pkce,
        mut tick: impl FnMut(),
    ) -> Result<AccessToken, SsoError> {
        let unit = crate::knobs::knob(ENV_POLL_UNIT_MS).unwrap_or(Duration::from_secs(1));
        let window = auth
            .expires_in_s
            .map(Duration::from_secs)
            .unwrap_or(DEFAULT_LOGIN_WINDOW);
        let deadline = tokio::time::Instant::now() + window.mul_f64(unit.as_secs_f64());
        let mut interval = auth.interval_s;
        let mut failures = 0;
        loop {
            tick();
            tokio::time::sleep(unit * interval as u32).await;
            match self
                .poll_token(client_id, &auth.device_code, &pkce.verifier)
                .await
            {
                Ok(TokenPoll::Granted(t)) => return Ok(t),
                Ok(TokenPoll::Pending) => failures = 0,
                Ok(TokenPoll::SlowDown) => {
                    failures = 0;
                    interval += SLOW_DOWN_STEP_S;
                }
                Err(e) if e.is_retryable() && failures + 1 < MAX_POLL_FAILURES => failures += 1,
                Err(e) => return Err(e),
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(SsoError::DeviceCodeExpired {
                    request_id: "-".into(),
                });
            }
        }
    }

    /// `GET /access-assignments/accounts`, all pages.
    pub async fn list_accounts(&self, token: &Secret) -> Result<Vec<Account>, SsoError> {
        let action = "/access-assignments/accounts";
        let mut out = Vec::new();
        let mut next: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let mut query = vec![("MaxResults", PAGE_SIZE.to_string())];
            if let Some(n) = &next {
                query.push(("NextToken", n.clone()));
            }
            let doc = self
                .with_retries(|| self.send(reqwest::Method::GET, action, &query, None, Some(token)))
                .await?;
            for a in self.array(&doc, action, "Accounts")? {
                out.push(Account {
                    account_id: self.text(a, action, "AccountId")?,
                    display_name: crate::display::field(
                        a.get("DisplayName").and_then(Value::as_str).unwrap_or(""),
                    ),
                });
            }
            match self.next_token(&doc, action)? {
                Some(n) => next = Some(n),
                None => return Ok(out),
            }
        }
        Err(self.malformed(action, 200, format!("more than {MAX_PAGES} pages")))
    }

    /// `GET /access-assignments/access-configurations` of one account, all pages.
    pub async fn list_access_configurations(
        &self,
        token: &Secret,
        account_id: &str,
    ) -> Result<Vec<AccessConfiguration>, SsoError> {
        let action = "/access-assignments/access-configurations";
        let mut out = Vec::new();
        let mut next: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let mut query = vec![
                ("AccountId", account_id.to_string()),
                ("MaxResults", PAGE_SIZE.to_string()),
            ];
            if let Some(n) = &next {
                query.push(("NextToken", n.clone()));
            }
            let doc = self
                .with_retries(|| self.send(reqwest::Method::GET, action, &query, None, Some(token)))
                .await?;
            for c in self.array(&doc, action, "AccessConfigurationsForAccount")? {
                let opt =
                    |k: &str| crate::display::field(c.get(k).and_then(Value::as_str).unwrap_or(""));
                out.push(AccessConfiguration {
                    id: self.text(c, action, "AccessConfigurationId")?,
                    name: opt("AccessConfigurationName"),
                    description: opt("AccessConfigurationDescription"),
                });
            }
            match self.next_token(&doc, action)? {
                Some(n) => next = Some(n),
                None => return Ok(out),
            }
        }
        Err(self.malformed(action, 200, format!("more than {MAX_PAGES} pages")))
    }

    /// `POST /cloud-credentials`: STS credentials for an account and access configuration.
    pub async fn cloud_credentials(
        &self,
        token: &Secret,
        account_id: &str,
        access_configuration_id: &str,
    ) -> Result<Session, SsoError> {
        let action = "/cloud-credentials";
        let body = json!({
            "AccountId": account_id,
            "AccessConfigurationId": access_configuration_id,
        });
        let doc = self
            .with_retries(|| {
                self.send(reqwest::Method::POST, action, &[], Some(&body), Some(token))
            })
            .await?;
        let issued_at = OffsetDateTime::now_utc();
        let creds = doc
            .get("CloudCredential")
            .filter(|c| c.is_object())
            .ok_or_else(|| {
                self.malformed(action, 200, "the reply has no CloudCredential".into())
            })?;
        let expiration_text = self.text(creds, action, "Expiration")?;
        let expiration = parse_alibaba_time(&expiration_text).ok_or_else(|| {
            self.malformed(
                action,
                200,
                format!(
                    "CloudCredential.Expiration {} is not a time like 2015-04-09T11:52:19Z",
                    crate::display::describe_value(&expiration_text)
                ),
            )
        })?;
        Ok(Session {
            access_key_id: self.text(creds, action, "AccessKeyId")?,
            access_key_secret: Secret::from(self.text(creds, action, "AccessKeySecret")?),
            security_token: Secret::from(self.text(creds, action, "SecurityToken")?),
            expiration,
            issued_at,
        })
    }

    async fn with_retries<F, Fut>(&self, mut f: F) -> Result<Value, SsoError>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<Value, SsoError>>,
    {
        let mut retry = 0;
        loop {
            match f().await {
                Err(e) if e.is_retryable() && retry + 1 < self.retry.attempts => {
                    tokio::time::sleep(self.retry.delay(retry)).await;
                    retry += 1;
                }
                other => return other,
            }
        }
    }

    async fn send(
        &self,
        method: reqwest::Method,
        action: &str,
        query: &[(&str, String)],
        body: Option<&Value>,
        token: Option<&Secret>,
    ) -> Result<Value, SsoError> {
        let mut req = self
            .http
            .client()
            .request(method, format!("{}{action}", self.endpoint))
            .timeout(self.timeout)
            .header("Accept", "application/json");
        if !query.is_empty() {
            req = req.query(query);
        }
        if let Some(b) = body {
            req = req
                .header("Content-Type", "application/json")
                .body(serde_json::to_vec(b).expect("a JSON value encodes"));
        }
        if let Some(t) = token {
            req = req.header("Authorization", format!("Bearer {}", t.expose()));
        }
        let resp = req.send().await.map_err(|e| self.transport(action, &e))?;
        let status = resp.status().as_u16();
        let bytes = resp.bytes().await.map_err(|e| self.transport(action, &e))?;
        let field = |k: &str| body.and_then(|b| b.get(k)).and_then(Value::as_str);
        let sent = Sent {
            key_ids: [None, None],
            secrets: [
                token.map(Secret::expose),
                field("DeviceCode"),
                field("CodeVerifier"),
                None,
            ],
        };
        self.classify_reply(action, status, &bytes, &sent)
    }

    /// Classifies one reply: a JSON object on success, else the service's error. Public for
    /// the fuzz target of the response parsers (fuzz/fuzz_targets/sso_reply.rs).
    pub fn parse_reply(&self, action: &str, status: u16, bytes: &[u8]) -> Result<Value, SsoError> {
        self.classify_reply(action, status, bytes, &Sent::default())
    }

    /// [`SsoClient::parse_reply`], cutting what the caller `sent` out of the server's text.
    fn classify_reply(
        &self,
        action: &str,
        status: u16,
        bytes: &[u8],
        sent: &Sent<'_>,
    ) -> Result<Value, SsoError> {
        let doc = crate::aliyun::rpc::json_object(bytes);
        if (200..300).contains(&status) {
            return doc.ok_or_else(|| {
                self.malformed(action, status, "the reply is not a JSON object".into())
            });
        }
        let field =
            |k: &str, max: usize| crate::aliyun::rpc::error_field(doc.as_ref(), k, max, sent);
        let code = field("ErrorCode", MAX_FIELD);
        if status == 401 {
            return Err(SsoError::TokenRejected {
                action: action.into(),
                http_status: status,
                code,
            });
        }
        if code.is_empty() {
            return Err(self.malformed(
                action,
                status,
                "an error reply without an ErrorCode field".into(),
            ));
        }
        let request_id = field("RequestId", MAX_FIELD);
        Err(SsoError::Service {
            action: action.into(),
            http_status: status,
            code,
            message: field("ErrorMessage", MAX_MESSAGE),
            request_id: if request_id.is_empty() {
                "-".into()
            } else {
                request_id
            },
        })
    }

    fn service(&self) -> crate::aliyun::rpc::JsonService<'_> {
        crate::aliyun::rpc::JsonService {
            service: SERVICE,
            endpoint: &self.endpoint,
            timeout: self.timeout,
        }
    }

    fn transport(&self, action: &str, e: &reqwest::Error) -> SsoError {
        SsoError::Transport(self.service().transport(action, e))
    }

    fn malformed(&self, action: &str, status: u16, detail: String) -> SsoError {
        SsoError::Transport(self.service().malformed(action, status, detail))
    }

    fn text(&self, doc: &Value, action: &str, key: &str) -> Result<String, SsoError> {
        self.service()
            .text(doc, action, key)
            .map_err(SsoError::Transport)
    }

    /// A field shown to the user or opened in a browser as it is: printable ASCII without
    /// spaces, at most `max` bytes; anything else is a malformed reply (never altered).
    fn plain(&self, doc: &Value, action: &str, key: &str, max: usize) -> Result<String, SsoError> {
        let v = self.text(doc, action, key)?;
        if v.len() <= max && v.bytes().all(|b| b.is_ascii_graphic()) {
            Ok(v)
        } else {
            Err(self.malformed(
                action,
                200,
                format!(
                    "{key} is not plain printable text of at most {max} bytes ({} bytes)",
                    v.len()
                ),
            ))
        }
    }

    fn array<'d>(&self, doc: &'d Value, action: &str, key: &str) -> Result<&'d [Value], SsoError> {
        match doc.get(key) {
            None | Some(Value::Null) => Ok(&[]),
            Some(Value::Array(a)) => Ok(a),
            Some(_) => Err(self.malformed(action, 200, format!("{key} is not a list"))),
        }
    }

    fn next_token(&self, doc: &Value, action: &str) -> Result<Option<String>, SsoError> {
        if !doc
            .get("IsTruncated")
            .and_then(Value::as_bool)
            .unwrap_or(false)
        {
            return Ok(None);
        }
        match doc.get("NextToken").and_then(Value::as_str) {
            Some(t) if !t.is_empty() => Ok(Some(t.to_string())),
            _ => Err(self.malformed(
                action,
                200,
                "IsTruncated is true but there is no NextToken".into(),
            )),
        }
    }
}

/// A JSON number or a string of digits (servers differ).
fn number(v: &Value) -> Option<u64> {
    v.as_u64()
        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_s256_challenge_matches_rfc_7636_appendix_b() {
        assert_eq!(
            Pkce::challenge_of("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn verifiers_are_random_unreserved_and_long_enough() {
        let a = Pkce::new();
        let b = Pkce::new();
        assert_ne!(a.verifier, b.verifier);
        assert!((43..=128).contains(&a.verifier.len()));
        assert!(a.verifier.expose().bytes().all(|c| UNRESERVED.contains(&c)));
        assert_eq!(a.challenge, Pkce::challenge_of(a.verifier.expose()));
        assert!(!a.challenge.contains('='));
    }

    #[test]
    fn the_endpoint_is_scheme_host_and_port_of_the_sign_in_url() {
        assert_eq!(
            endpoint_of_sign_in_url("https://signin-cn-shanghai.alibabacloudsso.com/device/login")
                .unwrap(),
            "https://signin-cn-shanghai.alibabacloudsso.com"
        );
        assert_eq!(
            endpoint_of_sign_in_url("http://127.0.0.1:8080/start/login").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert!(endpoint_of_sign_in_url("http://sso.example.com/login").is_err());
    }

    #[test]
    fn token_keys_ignore_case_query_and_trailing_slash_but_not_the_path() {
        let k = token_key("https://signin-cn-shanghai.alibabacloudsso.com/device/login");
        assert_eq!(
            k,
            token_key("HTTPS://Signin-CN-Shanghai.alibabacloudsso.com/device/login/?x=1")
        );
        assert_ne!(
            k,
            token_key("https://signin-cn-shanghai.alibabacloudsso.com/other/login")
        );
        assert_eq!(k.len(), 64);
    }

    #[test]
    fn server_text_in_sso_errors_is_filtered_and_the_token_cut_out() {
        let client = SsoClient::new("http://127.0.0.1:1").unwrap();
        let body = br#"{"ErrorCode":"Denied\u001b]0;t\u0007","ErrorMessage":"no\nalicloud-vault: forged","RequestId":"R\u202e1"}"#;
        let e = client
            .parse_reply("/cloud-credentials", 403, body)
            .unwrap_err();
        let text = e.to_string();
        assert!(
            text.starts_with("CloudSSO /cloud-credentials failed: Denied: no alicloud-vault: forged (RequestId: R1); "),
            "{text}"
        );
        let sent = Sent {
            secrets: [Some("bearer-token-value"), None, None, None],
            ..Sent::default()
        };
        let body = br#"{"ErrorCode":"InvalidAccessToken bearer-token-value"}"#;
        let e = client.classify_reply("/x", 401, body, &sent).unwrap_err();
        assert!(!e.to_string().contains("bearer-token-value"), "{e}");
    }

    #[test]
    fn errors_never_show_the_token_and_say_what_to_do() {
        let e = SsoError::TokenRejected {
            action: "/cloud-credentials".into(),
            http_status: 401,
            code: "InvalidAccessToken".into(),
        };
        assert!(e.to_string().contains("alicloud-vault sso login"), "{e}");
        let e = SsoError::DeviceCodeExpired {
            request_id: "R-1".into(),
        };
        assert!(e.to_string().contains("expired"), "{e}");
    }
}
