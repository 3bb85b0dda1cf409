//! CloudSSO (docs/protocols.md, CloudSSO device login): the device-authorization login with a PKCE S256 check,
//! the token poll (`AuthorizationPending` until approved, optional `SlowDown`, expiry as
//! `InvalidDeviceCodeError`), Bearer-token checks, paged listings and `/cloud-credentials`,
//! which issues STS keys into the key table the STS emulator uses, so that AssumeRole accepts
//! them (with their SecurityToken) as the source of a role chain.
//!
//! Routed by path from `server::handle`; JSON in and out; errors are 4xx
//! `{ErrorCode, ErrorMessage, RequestId}` (401 for a bad or expired token). Every request
//! counts under `CloudSSO:<path>` in [`State::calls`].

use super::state::{random_from, request_id, Principal, State, ALNUM, DIGITS, TOKEN};
use super::Emulator;
use base64::Engine as _;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use time::OffsetDateTime;

/// The paths this module answers.
pub const PATHS: [&str; 5] = [
    "/device-authorization",
    "/token",
    "/access-assignments/accounts",
    "/access-assignments/access-configurations",
    "/cloud-credentials",
];

/// One access configuration the CloudSSO user is assigned in one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub account_id: String,
    pub display_name: String,
    pub access_configuration_id: String,
    pub access_configuration_name: String,
}

/// A pending device login.
#[derive(Debug, Clone)]
pub struct Device {
    pub user_code: String,
    pub challenge: String,
    pub client_id: String,
    pub expires_at: OffsetDateTime,
    pub polls: usize,
    pub approved: bool,
}

/// What the CloudSSO emulator knows and how it behaves.
#[derive(Debug)]
pub struct SsoState {
    pub assignments: Vec<Assignment>,
    /// Largest page the listings return (also bounded by the request's MaxResults).
    pub page_size: usize,
    /// Approve every device login on its N-th poll (`None`: only [`Emulator::sso_approve`]).
    pub approve_after_polls: Option<usize>,
    /// Answer `SlowDown` to this many polls of each device login before anything else.
    pub slow_down_polls: usize,
    /// The `Interval` (seconds) the device authorization asks for.
    pub interval_s: u64,
    pub device_code_lifetime_s: i64,
    pub token_lifetime_s: i64,
    /// Lifetime of the STS credentials of `/cloud-credentials` (the access configuration's SessionDuration).
    pub session_lifetime_s: i64,
    /// Device code -> login.
    pub devices: HashMap<String, Device>,
    /// Access token -> expiry.
    pub tokens: HashMap<String, OffsetDateTime>,
    /// The client ids and portal URLs seen by `/device-authorization`.
    pub client_ids: Vec<String>,
    pub portal_urls: Vec<String>,
    /// Whether each `/token` poll sent the device-code grant type.
    pub last_grant_type: Option<String>,
}

impl Default for SsoState {
    fn default() -> Self {
        SsoState {
            assignments: Vec::new(),
            page_size: 100,
            approve_after_polls: None,
            slow_down_polls: 0,
            interval_s: 1,
            device_code_lifetime_s: 600,
            token_lifetime_s: 8 * 3600,
            session_lifetime_s: 3600,
            devices: HashMap::new(),
            tokens: HashMap::new(),
            client_ids: Vec::new(),
            portal_urls: Vec::new(),
            last_grant_type: None,
        }
    }
}

/// The S256 challenge of a verifier: base64url(SHA-256), no padding.
pub fn challenge_of(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

type Reply = (u16, Value);

fn error(status: u16, code: &str, message: &str) -> Reply {
    (
        status,
        json!({"ErrorCode": code, "ErrorMessage": message, "RequestId": request_id()}),
    )
}

/// Answers a CloudSSO request, or `None` when `path` is not one of [`PATHS`].
pub fn handle(
    st: &mut State,
    method: &str,
    path: &str,
    query: &str,
    authorization: Option<&str>,
    body: &[u8],
) -> Option<Reply> {
    if !PATHS.contains(&path) {
        return None;
    }
    *st.calls.entry(format!("CloudSSO:{path}")).or_default() += 1;
    let want = if path.starts_with("/access-assignments/") {
        "GET"
    } else {
        "POST"
    };
    if method != want {
        return Some(error(
            405,
            "MethodNotAllowed",
            &format!("use {want} for {path}"),
        ));
    }
    let params: HashMap<String, String> = url_query(query);
    let body: Value = if want == "POST" {
        match serde_json::from_slice::<Value>(body) {
            Ok(v) if v.is_object() => v,
            _ => {
                return Some(error(
                    400,
                    "InvalidParameter",
                    "The request body is not a JSON object.",
                ))
            }
        }
    } else {
        Value::Null
    };
    let now = st.now();
    Some(match path {
        "/device-authorization" => device_authorization(st, &body, now),
        "/token" => token(st, &body, now),
        _ => {
            if let Err(e) = check_bearer(st, authorization, now) {
                return Some(e);
            }
            match path {
                "/access-assignments/accounts" => accounts(st, &params),
                "/access-assignments/access-configurations" => access_configurations(st, &params),
                _ => cloud_credentials(st, &body, now),
            }
        }
    })
}

fn url_query(query: &str) -> HashMap<String, String> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(x) => {
                        out.push(x);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn text<'a>(body: &'a Value, key: &str) -> Option<&'a str> {
    body.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

fn device_authorization(st: &mut State, body: &Value, now: OffsetDateTime) -> Reply {
    let (Some(portal), Some(challenge), Some(client_id)) = (
        text(body, "PortalUrl"),
        text(body, "CodeChallenge"),
        text(body, "ClientId"),
    ) else {
        return error(
            400,
            "MissingParameter",
            "PortalUrl, CodeChallenge and ClientId are required.",
        );
    };
    if text(body, "CodeChallengeMethod") != Some("S256") {
        return error(
            400,
            "InvalidParameter.CodeChallengeMethod",
            "CodeChallengeMethod must be S256.",
        );
    }
    let well_formed = challenge.len() == 43
        && challenge
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !well_formed {
        return error(
            400,
            "InvalidParameter.CodeChallenge",
            "CodeChallenge must be base64url(SHA-256) without padding.",
        );
    }
    let sso = &mut st.sso;
    sso.client_ids.push(client_id.to_string());
    sso.portal_urls.push(portal.to_string());
    let device_code = random_from(ALNUM, 40);
    let user_code = format!(
        "{}-{}",
        random_from(b"BCDFGHJKLMNPQRSTVWXZ", 4),
        random_from(b"BCDFGHJKLMNPQRSTVWXZ", 4)
    );
    sso.devices.insert(
        device_code.clone(),
        Device {
            user_code: user_code.clone(),
            challenge: challenge.to_string(),
            client_id: client_id.to_string(),
            expires_at: now + time::Duration::seconds(sso.device_code_lifetime_s),
            polls: 0,
            approved: false,
        },
    );
    let base = portal
        .split_once("://")
        .map(|(s, rest)| format!("{s}://{}", rest.split('/').next().unwrap_or("")))
        .unwrap_or_default();
    (
        200,
        json!({
            "DeviceCode": device_code,
            "UserCode": user_code,
            "VerificationUri": format!("{base}/device/code"),
            "VerificationUriComplete": format!("{base}/device/code?user_code={user_code}"),
            "Interval": sso.interval_s,
            "ExpiresIn": sso.device_code_lifetime_s,
            "RequestId": request_id(),
        }),
    )
}

fn token(st: &mut State, body: &Value, now: OffsetDateTime) -> Reply {
    let sso = &mut st.sso;
    sso.last_grant_type = text(body, "GrantType").map(str::to_string);
    if text(body, "GrantType") != Some("urn:ietf:params:oauth:grant-type:device_code") {
        return error(
            400,
            "InvalidParameter.GrantType",
            "GrantType must be urn:ietf:params:oauth:grant-type:device_code.",
        );
    }
    let (Some(code), Some(verifier), Some(client_id)) = (
        text(body, "DeviceCode"),
        text(body, "CodeVerifier"),
        text(body, "ClientId"),
    ) else {
        return error(
            400,
            "MissingParameter",
            "DeviceCode, CodeVerifier and ClientId are required.",
        );
    };
    let expired = || {
        error(
            400,
            "InvalidDeviceCodeError",
            "The device code is invalid or has expired.",
        )
    };
    let Some(device) = sso.devices.get_mut(code) else {
        return expired();
    };
    if device.expires_at <= now {
        sso.devices.remove(code);
        return expired();
    }
    if device.client_id != client_id {
        return error(
            400,
            "InvalidClientId",
            "The ClientId does not match the device code.",
        );
    }
    if challenge_of(verifier) != device.challenge {
        return error(
            400,
            "InvalidCodeVerifier",
            "The CodeVerifier does not match the CodeChallenge.",
        );
    }
    device.polls += 1;
    if device.polls <= sso.slow_down_polls {
        return error(400, "SlowDown", "Polling too fast; slow down.");
    }
    if sso
        .approve_after_polls
        .is_some_and(|n| device.polls >= n + sso.slow_down_polls)
    {
        device.approved = true;
    }
    if !device.approved {
        return error(
            400,
            "AuthorizationPending",
            "The user has not yet approved the device.",
        );
    }
    sso.devices.remove(code);
    let token = format!("sso-{}", random_from(TOKEN, 80));
    sso.tokens.insert(
        token.clone(),
        now + time::Duration::seconds(sso.token_lifetime_s),
    );
    (
        200,
        json!({
            "AccessToken": token,
            "ExpiresIn": sso.token_lifetime_s,
            "TokenType": "Bearer",
            "RequestId": request_id(),
        }),
    )
}

fn check_bearer(st: &State, authorization: Option<&str>, now: OffsetDateTime) -> Result<(), Reply> {
    let token = authorization
        .and_then(|a| a.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty());
    match token.and_then(|t| st.sso.tokens.get(t)) {
        Some(expires) if *expires > now => Ok(()),
        Some(_) => Err(error(
            401,
            "AccessTokenExpired",
            "The access token has expired.",
        )),
        None => Err(error(
            401,
            "InvalidAccessToken",
            "The access token is invalid.",
        )),
    }
}

/// One page of `items`: `(page, IsTruncated, NextToken)`. NextToken is the next offset.
fn page<T: Clone>(
    items: &[T],
    params: &HashMap<String, String>,
    page_size: usize,
) -> Result<(Vec<T>, bool, String), Reply> {
    let start = match params.get("NextToken") {
        None => 0,
        Some(t) => match t.strip_prefix("nt-").and_then(|n| n.parse::<usize>().ok()) {
            Some(n) if n <= items.len() => n,
            _ => {
                return Err(error(
                    400,
                    "InvalidParameter.NextToken",
                    "NextToken is invalid.",
                ))
            }
        },
    };
    let max = params
        .get("MaxResults")
        .and_then(|m| m.parse::<usize>().ok())
        .unwrap_or(100)
        .clamp(1, 100)
        .min(page_size.max(1));
    let end = (start + max).min(items.len());
    let truncated = end < items.len();
    let next = if truncated {
        format!("nt-{end}")
    } else {
        String::new()
    };
    Ok((items[start..end].to_vec(), truncated, next))
}

fn accounts(st: &State, params: &HashMap<String, String>) -> Reply {
    let mut seen = Vec::<(String, String)>::new();
    for a in &st.sso.assignments {
        if !seen.iter().any(|(id, _)| id == &a.account_id) {
            seen.push((a.account_id.clone(), a.display_name.clone()));
        }
    }
    match page(&seen, params, st.sso.page_size) {
        Err(e) => e,
        Ok((items, truncated, next)) => (
            200,
            json!({
                "Accounts": items.iter().map(|(id, name)| json!({"AccountId": id, "DisplayName": name})).collect::<Vec<_>>(),
                "IsTruncated": truncated,
                "NextToken": next,
                "RequestId": request_id(),
            }),
        ),
    }
}

fn access_configurations(st: &State, params: &HashMap<String, String>) -> Reply {
    let Some(account) = params.get("AccountId").filter(|a| !a.is_empty()) else {
        return error(400, "MissingParameter", "AccountId is required.");
    };
    let list: Vec<&Assignment> = st
        .sso
        .assignments
        .iter()
        .filter(|a| &a.account_id == account)
        .collect();
    match page(&list, params, st.sso.page_size) {
        Err(e) => e,
        Ok((items, truncated, next)) => (
            200,
            json!({
                "AccessConfigurationsForAccount": items.iter().map(|a| json!({
                    "AccessConfigurationId": a.access_configuration_id,
                    "AccessConfigurationName": a.access_configuration_name,
                    "AccessConfigurationDescription": format!("{} in {}", a.access_configuration_name, a.display_name),
                })).collect::<Vec<_>>(),
                "IsTruncated": truncated,
                "NextToken": next,
                "RequestId": request_id(),
            }),
        ),
    }
}

/// The RAM role CloudSSO provisions in an account for an access configuration.
pub fn role_name_of(access_configuration_name: &str) -> String {
    format!("AliyunReservedSSO-{access_configuration_name}")
}

fn cloud_credentials(st: &mut State, body: &Value, now: OffsetDateTime) -> Reply {
    let (Some(account), Some(ac)) = (text(body, "AccountId"), text(body, "AccessConfigurationId"))
    else {
        return error(
            400,
            "MissingParameter",
            "AccountId and AccessConfigurationId are required.",
        );
    };
    let Some(assignment) = st
        .sso
        .assignments
        .iter()
        .find(|a| a.account_id == account && a.access_configuration_id == ac)
        .cloned()
    else {
        return error(
            403,
            "NoPermission.AccessAssignment",
            "The user has no access assignment for this account and access configuration.",
        );
    };
    let expiration = (now + time::Duration::seconds(st.sso.session_lifetime_s))
        .replace_nanosecond(0)
        .expect("zero nanoseconds");
    let key = st.mint_sts_key(
        Principal::AssumedRole {
            account_id: assignment.account_id.clone(),
            role_name: role_name_of(&assignment.access_configuration_name),
            role_id: random_from(DIGITS, 19),
            session_name: "sso-user".into(),
        },
        expiration,
    );
    (
        200,
        json!({
            "CloudCredential": {
                "AccessKeyId": key.access_key_id,
                "AccessKeySecret": key.secret,
                "SecurityToken": key.token,
                "Expiration": super::rpc::format_time(expiration),
            },
            "RequestId": request_id(),
        }),
    )
}

/// Test-facing knobs of the CloudSSO emulator.
impl Emulator {
    /// Assigns the CloudSSO user an access configuration in an account.
    pub fn sso_add_user_assignment(
        &self,
        account_id: &str,
        display_name: &str,
        access_configuration_id: &str,
        access_configuration_name: &str,
    ) {
        self.state().sso.assignments.push(Assignment {
            account_id: account_id.into(),
            display_name: display_name.into(),
            access_configuration_id: access_configuration_id.into(),
            access_configuration_name: access_configuration_name.into(),
        });
    }

    /// The largest page the listings return.
    pub fn sso_set_page_size(&self, n: usize) {
        self.state().sso.page_size = n;
    }

    /// Approves every device login on its `n`-th poll.
    pub fn sso_approve_after_polls(&self, n: usize) {
        self.state().sso.approve_after_polls = Some(n);
    }

    /// Approves the pending login with this user code; false when there is none.
    pub fn sso_approve(&self, user_code: &str) -> bool {
        let mut st = self.state();
        let mut found = false;
        for d in st.sso.devices.values_mut() {
            if d.user_code == user_code {
                d.approved = true;
                found = true;
            }
        }
        found
    }

    /// Answers `SlowDown` to the first `n` polls of each login.
    pub fn sso_slow_down(&self, n: usize) {
        self.state().sso.slow_down_polls = n;
    }

    /// The lifetime of new device codes (0: expired at once).
    pub fn sso_set_device_code_lifetime(&self, seconds: i64) {
        self.state().sso.device_code_lifetime_s = seconds;
    }

    /// The lifetime of new access tokens.
    pub fn sso_set_token_lifetime(&self, seconds: i64) {
        self.state().sso.token_lifetime_s = seconds;
    }

    /// Expires every access token issued so far (the server then answers 401).
    pub fn sso_expire_tokens(&self) {
        let mut st = self.state();
        let past = st.now() - time::Duration::seconds(1);
        for e in st.sso.tokens.values_mut() {
            *e = past;
        }
    }

    /// The STS lifetime of `/cloud-credentials` (seconds).
    pub fn sso_set_session_lifetime(&self, seconds: i64) {
        self.state().sso.session_lifetime_s = seconds;
    }

    /// Access tokens issued so far that have not expired.
    pub fn sso_live_tokens(&self) -> usize {
        let st = self.state();
        let now = st.now();
        st.sso.tokens.values().filter(|e| **e > now).count()
    }
}
