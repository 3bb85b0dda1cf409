//! The RPC gateway shared by all signed services: parameter union, signature, timestamp,
//! nonce and SecurityToken checks (docs/protocols.md, What the emulator checks), then dispatch on `Version`/`Action`.
//! To add a service (RAM 2015-05-01), add a module with a `handle` function like `sts::handle`
//! and one arm in [`dispatch`].

use super::ram;
use super::signature::{expected_signature, server_string_to_sign};
use super::state::{request_id, KeyEntry, Principal, State};
use super::sts;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// An error answer: HTTP status, Code and Message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorReply {
    pub status: u16,
    pub code: String,
    pub message: String,
}

impl ErrorReply {
    pub fn new(status: u16, code: &str, message: impl Into<String>) -> Self {
        ErrorReply {
            status,
            code: code.to_string(),
            message: message.into(),
        }
    }

    pub fn missing(name: &str) -> Self {
        ErrorReply::new(
            400,
            "MissingParameter",
            format!(
                "The input parameter \"{name}\" that is mandatory for processing this request is not supplied."
            ),
        )
    }
}

/// One signed request, parameters already merged (query ∪ form; the form wins on a clash).
#[derive(Debug, Clone)]
pub struct RpcRequest {
    pub method: String,
    pub params: BTreeMap<String, String>,
}

impl RpcRequest {
    pub fn get(&self, k: &str) -> Option<&str> {
        self.params.get(k).map(String::as_str)
    }
}

/// The authenticated caller.
#[derive(Debug, Clone)]
pub struct Caller {
    pub access_key_id: String,
    pub principal: Principal,
}

/// The service names per API version: (product for `Recommend`, `HostId`).
fn product(version: Option<&str>) -> (&'static str, &'static str) {
    match version {
        Some("2015-05-01") => ("Ram", "ram.aliyuncs.com"),
        _ => ("Sts", "sts.aliyuncs.com"),
    }
}

/// The JSON error document (RequestId, HostId, Code, Message, Recommend).
pub fn error_body(version: Option<&str>, e: &ErrorReply) -> Value {
    let (product, host) = product(version);
    let rid = request_id();
    json!({
        "RequestId": rid,
        "HostId": host,
        "Code": e.code,
        "Message": e.message,
        "Recommend": format!("https://api.aliyun.com/troubleshoot?q={}&product={}&requestId={}", e.code, product, rid),
    })
}

/// Checks the signature and credentials of `req`.
pub fn authenticate(state: &mut State, req: &RpcRequest) -> Result<Caller, ErrorReply> {
    let sts_text = server_string_to_sign(&req.method, &req.params);
    let incomplete = || {
        ErrorReply::new(
            400,
            "IncompleteSignature",
            format!(
                "The request signature does not conform to Aliyun standards. server string to sign is:{sts_text}"
            ),
        )
    };
    let signature = req.get("Signature").ok_or_else(incomplete)?;
    if req.get("SignatureMethod") != Some("HMAC-SHA1") || req.get("SignatureVersion") != Some("1.0")
    {
        return Err(incomplete());
    }
    let ak = req
        .get("AccessKeyId")
        .ok_or_else(|| ErrorReply::missing("AccessKeyId"))?;
    let nonce = req
        .get("SignatureNonce")
        .ok_or_else(|| ErrorReply::missing("SignatureNonce"))?;
    let timestamp = req
        .get("Timestamp")
        .ok_or_else(|| ErrorReply::missing("Timestamp"))?;

    let entry = state.keys.get(ak).cloned().ok_or_else(|| {
        ErrorReply::new(
            404,
            "InvalidAccessKeyId.NotFound",
            "Specified access key is not found.",
        )
    })?;
    // A new RAM key that has not "propagated" yet is unknown, as on the real service.
    if state.ram.not_yet_valid(ak) {
        return Err(ErrorReply::new(
            404,
            "InvalidAccessKeyId.NotFound",
            "Specified access key is not found.",
        ));
    }
    if let KeyEntry::LongTerm { active: false, .. } = entry {
        return Err(ErrorReply::new(
            400,
            "InvalidAccessKeyId.Inactive",
            "Specified access key is disabled.",
        ));
    }
    if expected_signature(&sts_text, entry.secret()) != signature {
        return Err(signature_mismatch(req));
    }

    let now = state.now();
    let ts = strict_time(timestamp).ok_or_else(|| {
        ErrorReply::new(
            400,
            "InvalidTimeStamp.Format",
            "Specified time stamp or date value is not well formatted.",
        )
    })?;
    if (now - ts).abs() > time::Duration::minutes(15) {
        return Err(ErrorReply::new(
            400,
            "InvalidTimeStamp.Expired",
            "Specified time stamp or date value is expired.",
        ));
    }
    if !state.nonces.insert(nonce.to_string()) {
        return Err(ErrorReply::new(
            400,
            "SignatureNonceUsed",
            "Specified signature nonce was used already.",
        ));
    }

    let token = req.get("SecurityToken").filter(|t| !t.is_empty());
    match (&entry, token) {
        (KeyEntry::Sts { .. }, None) => Err(ErrorReply::new(
            400,
            "MissingSecurityToken",
            "SecurityToken is mandatory for this action.",
        )),
        (KeyEntry::Sts { token: t, .. }, Some(sent)) if t != sent => Err(ErrorReply::new(
            400,
            "InvalidSecurityToken.MismatchWithAccessKey",
            "Specified SecurityToken mismatch with the AccessKey.",
        )),
        (KeyEntry::Sts { expiration, .. }, Some(_)) if *expiration <= now => Err(ErrorReply::new(
            400,
            "InvalidSecurityToken.Expired",
            "Specified SecurityToken is expired.",
        )),
        (KeyEntry::LongTerm { .. }, Some(_)) => Err(ErrorReply::new(
            400,
            "InvalidSecurityToken.MismatchWithAccessKey",
            "Specified SecurityToken mismatch with the AccessKey.",
        )),
        _ => Ok(Caller {
            access_key_id: ak.to_string(),
            principal: entry.owner().clone(),
        }),
    }
}

/// The gateway's answer to a wrong signature: it echoes its string-to-sign, which holds every
/// parameter of the request (AccessKeyId, SecurityToken) percent-encoded twice.
pub fn signature_mismatch(req: &RpcRequest) -> ErrorReply {
    let sts_text = server_string_to_sign(&req.method, &req.params);
    ErrorReply::new(
        400,
        "SignatureDoesNotMatch",
        format!(
            "Specified signature is not matched with our calculation. server string to sign is:{sts_text}"
        ),
    )
}

/// Authenticates and runs one request; returns (HTTP status, JSON body).
pub fn dispatch(state: &mut State, req: &RpcRequest) -> (u16, Value, Option<String>) {
    let version = req.get("Version").map(str::to_string);
    // The one anonymous action: the OIDC token in the parameters is the credential.
    if version.as_deref() == Some(sts::VERSION) && req.get("Action") == Some("AssumeRoleWithOIDC") {
        return match sts::assume_role_with_oidc(state, req) {
            Ok(mut body) => {
                body["RequestId"] = json!(request_id());
                (200, body, None)
            }
            Err(e) => (e.status, error_body(version.as_deref(), &e), Some(e.code)),
        };
    }
    let result = authenticate(state, req).and_then(|caller| {
        let action = req.get("Action").unwrap_or("");
        match version.as_deref() {
            Some(sts::VERSION) => sts::handle(state, &caller, action, req),
            Some(ram::VERSION) => ram::handle(state, &caller, action, req),
            _ => Err(ErrorReply::new(
                400,
                "InvalidVersion",
                "Specified parameter Version is not valid.",
            )),
        }
    });
    match result {
        Ok(mut body) => {
            if let Some(obj) = body.as_object_mut() {
                obj.entry("RequestId")
                    .or_insert_with(|| json!(request_id()));
            }
            (200, body, None)
        }
        Err(e) => (e.status, error_body(version.as_deref(), &e), Some(e.code)),
    }
}

/// The unknown-action answer, for service modules.
pub fn unknown_action() -> ErrorReply {
    ErrorReply::new(
        404,
        "InvalidAction.NotFound",
        "Specified api is not found, please check your url and method.",
    )
}

/// Exactly `YYYY-MM-DDTHH:MM:SSZ`.
pub fn strict_time(s: &str) -> Option<time::OffsetDateTime> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    time::PrimitiveDateTime::parse(s, &fmt)
        .ok()
        .map(|t| t.assume_utc())
}

/// Formats `YYYY-MM-DDTHH:MM:SSZ`.
pub fn format_time(t: time::OffsetDateTime) -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    t.to_offset(time::UtcOffset::UTC)
        .format(&fmt)
        .expect("formatting a UTC time")
}
