//! STS 2015-04-01: AssumeRole and GetCallerIdentity (docs/protocols.md, STS over RPC).

use super::rpc::{format_time, unknown_action, Caller, ErrorReply, RpcRequest};
use super::state::{Principal, State};
use serde_json::{json, Value};

pub const VERSION: &str = "2015-04-01";

pub fn handle(
    state: &mut State,
    caller: &Caller,
    action: &str,
    req: &RpcRequest,
) -> Result<Value, ErrorReply> {
    match action {
        "AssumeRole" => assume_role(state, caller, req),
        "GetCallerIdentity" => Ok(get_caller_identity(caller)),
        _ => Err(unknown_action()),
    }
}

fn invalid(code: &str, message: &str) -> ErrorReply {
    ErrorReply::new(400, code, message)
}

fn assume_role(state: &mut State, caller: &Caller, req: &RpcRequest) -> Result<Value, ErrorReply> {
    let role_arn = req
        .get("RoleArn")
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ErrorReply::missing("RoleArn"))?;
    let session = req
        .get("RoleSessionName")
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ErrorReply::missing("RoleSessionName"))?;
    let session_ok = (2..=64).contains(&session.len())
        && session
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'@' | b'_' | b'-'));
    if !session_ok {
        return Err(invalid(
            "InvalidParameter.RoleSessionName",
            "The parameter RoleSessionName is wrongly formed.",
        ));
    }
    if let Some(policy) = req.get("Policy") {
        if policy.chars().count() > 2048 || policy.is_empty() {
            return Err(invalid(
                "InvalidParameter.PolicySize",
                "The size of Policy must be smaller than 2048 bytes.",
            ));
        }
        if serde_json::from_str::<Value>(policy)
            .map(|v| !v.is_object())
            .unwrap_or(true)
        {
            return Err(invalid(
                "InvalidParameter.PolicyGrammar",
                "The parameter Policy has not passed grammar check.",
            ));
        }
    }
    if let Some(ext) = req.get("ExternalId") {
        let ok = (2..=1224).contains(&ext.chars().count())
            && ext
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_+=,.@:/-".contains(c));
        if !ok {
            return Err(invalid(
                "InvalidParameter.ExternalId",
                "The parameter ExternalId is wrongly formed.",
            ));
        }
    }
    if !role_arn.starts_with("acs:ram::") || !role_arn.contains(":role/") {
        return Err(invalid(
            "InvalidParameter.RoleArn",
            "The parameter RoleArn is wrongly formed.",
        ));
    }
    let (role, duration) = role_and_duration(state, role_arn, req)?;
    let denied = || {
        ErrorReply::new(
            403,
            "NoPermission",
            "You are not authorized to do this action. You should be authorized by RAM.",
        )
    };
    if !role.trusted.iter().any(|t| t.admits(&caller.principal)) {
        return Err(denied());
    }
    if let Some(required) = &role.external_id {
        if req.get("ExternalId") != Some(required.as_str()) {
            return Err(denied());
        }
    }

    Ok(issue_session(state, &role, session, duration))
}

/// Mints a session of `role` and records its key, as AssumeRole and AssumeRoleWithOIDC do.
fn issue_session(
    state: &mut State,
    role: &super::state::Role,
    session: &str,
    duration: u32,
) -> Value {
    let lifetime = match (state.session_expires_in_s, state.session_lifetime) {
        (Some(s), _) => time::Duration::seconds(s),
        (None, Some(d)) => time::Duration::try_from(d).expect("a short lifetime"),
        (None, None) => time::Duration::seconds(i64::from(duration)),
    };
    // Whole seconds, so that the stored expiry is exactly the one the reply states.
    let expiration = (state.now() + lifetime)
        .replace_nanosecond(0)
        .expect("zero is a valid nanosecond");
    let key = state.mint_sts_key(
        Principal::AssumedRole {
            account_id: role.account_id.clone(),
            role_name: role.name.clone(),
            role_id: role.role_id.clone(),
            session_name: session.to_string(),
        },
        expiration,
    );
    json!({
        "AssumedRoleUser": {
            "Arn": format!("{}/{}", role.arn(), session),
            "AssumedRoleId": format!("{}:{}", role.role_id, session),
        },
        "Credentials": {
            "AccessKeyId": key.access_key_id,
            "AccessKeySecret": key.secret,
            "SecurityToken": key.token,
            "Expiration": format_time(expiration),
        },
    })
}

/// AssumeRoleWithOIDC: anonymous (the token is the credential), in any of the request shapes
/// the SDKs use (the gateway merges query and form body).
pub fn assume_role_with_oidc(state: &mut State, req: &RpcRequest) -> Result<Value, ErrorReply> {
    let get = |k: &str| {
        req.get(k)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| ErrorReply::missing(k))
    };
    let provider_arn = get("OIDCProviderArn")?;
    let role_arn = get("RoleArn")?;
    let token = get("OIDCToken")?;
    let session = get("RoleSessionName")?;
    state.oidc_tokens_presented.push(token.to_string());
    let unauthorized = |code: &str, message: &str| ErrorReply::new(401, code, message);
    let issued = state.oidc_tokens.get(token).cloned().ok_or_else(|| {
        unauthorized(
            "AuthenticationFail.OIDCToken.Invalid",
            "The OIDC token is invalid.",
        )
    })?;
    if issued.provider_arn != provider_arn {
        return Err(unauthorized(
            "AuthenticationFail.OIDCToken.InvalidSignature",
            "The signature of the OIDC token does not match the specified OIDC provider.",
        ));
    }
    if issued.expires_at <= state.now() {
        return Err(unauthorized(
            "AuthenticationFail.OIDCToken.Expired",
            "The OIDC token has expired.",
        ));
    }
    let (role, duration) = role_and_duration(state, role_arn, req)?;
    if !role
        .trusted
        .iter()
        .any(|t| matches!(t, super::state::Trusted::OidcProvider(p) if p == provider_arn))
    {
        return Err(ErrorReply::new(
            403,
            "AuthenticationFail.NoPermission",
            "The OIDC provider is not allowed to assume the role.",
        ));
    }
    let mut body = issue_session(state, &role, session, duration);
    body["OIDCTokenInfo"] = json!({
        "Subject": issued.subject,
        "Issuer": "https://oidc.emulator.invalid",
        "ExpirationTime": format_time(issued.expires_at),
    });
    Ok(body)
}

/// The role named by `role_arn` and the DurationSeconds asked for, checked against its maximum.
fn role_and_duration(
    state: &State,
    role_arn: &str,
    req: &RpcRequest,
) -> Result<(super::state::Role, u32), ErrorReply> {
    let role = state.role_by_arn(role_arn).cloned().ok_or_else(|| {
        ErrorReply::new(
            404,
            "EntityNotExist.Role",
            format!("The specified Role not exists: {role_arn}"),
        )
    })?;
    let duration: u32 = match req.get("DurationSeconds") {
        None => 3600,
        Some(d) => d.parse().map_err(|_| {
            invalid(
                "InvalidParameter.DurationSeconds",
                "The parameter DurationSeconds is wrongly formed.",
            )
        })?,
    };
    if duration < 900 || duration > role.max_session_duration_s {
        return Err(invalid(
            "InvalidParameter.DurationSeconds",
            &format!(
                "The Min/Max value of DurationSeconds is 15min/{}s.",
                role.max_session_duration_s
            ),
        ));
    }
    Ok((role, duration))
}

fn get_caller_identity(caller: &Caller) -> Value {
    match &caller.principal {
        Principal::RamUser {
            account_id,
            user_name,
            user_id,
        } => json!({
            "AccountId": account_id,
            "Arn": format!("acs:ram::{account_id}:user/{user_name}"),
            "IdentityType": "RAMUser",
            "PrincipalId": user_id,
            "UserId": user_id,
        }),
        Principal::AssumedRole {
            account_id,
            role_name,
            role_id,
            session_name,
        } => json!({
            "AccountId": account_id,
            "Arn": format!("acs:ram::{account_id}:assumed-role/{role_name}/{session_name}"),
            "IdentityType": "AssumedRoleUser",
            "PrincipalId": format!("{role_id}:{session_name}"),
            "RoleId": role_id,
        }),
    }
}
