//! The console sign-in federation endpoint, `/federation` (docs/protocols.md, Console sign-in): GetSigninToken
//! swaps an STS triple this emulator issued for a one-time token (30 s); Login redeems it with
//! a 302 to the Destination. Unsigned; parameters from the query and/or a form body.

use super::rpc::ErrorReply;
use super::signature::parse_form;
use super::state::{random_from, request_id, KeyEntry, State, TOKEN};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

/// How long a SigninToken can be redeemed.
pub const TOKEN_TTL: Duration = Duration::from_secs(30);

/// One issued token.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    pub issued: Instant,
    pub used: bool,
    /// The STS AccessKeyId it was issued for.
    pub sts_access_key_id: String,
    pub ticket_type: String,
}

/// The sign-in service's state.
#[derive(Debug, Default)]
pub struct SigninState {
    pub tokens: HashMap<String, IssuedToken>,
    /// Tokens in the order they were issued.
    pub issued: Vec<String>,
    /// Login redemptions that succeeded (their Destinations).
    pub redeemed: Vec<String>,
}

/// What the HTTP layer sends back.
#[derive(Debug, Clone)]
pub struct SigninReply {
    pub status: u16,
    /// `Location` of a redirect.
    pub location: Option<String>,
    pub body: Value,
}

fn error(e: ErrorReply) -> SigninReply {
    SigninReply {
        status: e.status,
        location: None,
        body: json!({"RequestId": request_id(), "Code": e.code, "Message": e.message}),
    }
}

fn missing(name: &str) -> ErrorReply {
    ErrorReply::new(
        400,
        &format!("MissingParameter.{name}"),
        format!("The input parameter \"{name}\" that is mandatory for processing this request is not supplied."),
    )
}

fn auth_fail() -> ErrorReply {
    ErrorReply::new(
        401,
        "InvalidCredential.AuthenticateFail",
        "Authentication failed.",
    )
}

/// Handles one request to `/federation`.
pub fn handle(state: &mut State, query: &str, form_body: Option<&str>) -> SigninReply {
    let mut params: BTreeMap<String, String> = parse_form(query).into_iter().collect();
    if let Some(b) = form_body {
        params.extend(parse_form(b));
    }
    let get = |k: &str| params.get(k).map(String::as_str).filter(|v| !v.is_empty());
    let result = match get("Action") {
        None => Err(missing("Action")),
        Some("GetSigninToken") => get_signin_token(state, &get),
        Some("Login") => login(state, &get),
        Some(other) => Err(ErrorReply::new(
            400,
            "InvalidAction",
            format!("The action {other} is invalid."),
        )),
    };
    result.unwrap_or_else(error)
}

fn get_signin_token<'a>(
    state: &mut State,
    get: &impl Fn(&str) -> Option<&'a str>,
) -> Result<SigninReply, ErrorReply> {
    let id = get("AccessKeyId").ok_or_else(|| missing("AccessKeyId"))?;
    let secret = get("AccessKeySecret").ok_or_else(|| missing("AccessKeySecret"))?;
    let token = get("SecurityToken").ok_or_else(|| missing("SecurityToken"))?;
    let ticket_type = get("TicketType").ok_or_else(|| missing("TicketType"))?;
    let now = state.now();
    match state.keys.get(id) {
        Some(KeyEntry::Sts {
            secret: s,
            token: t,
            expiration,
            ..
        }) if s == secret && t == token => {
            if *expiration <= now {
                return Err(ErrorReply::new(
                    401,
                    "InvalidSecurityToken.Expired",
                    "Specified SecurityToken is expired.",
                ));
            }
        }
        _ => return Err(auth_fail()),
    }
    let signin_token = random_from(TOKEN, 64);
    state.signin.tokens.insert(
        signin_token.clone(),
        IssuedToken {
            issued: Instant::now(),
            used: false,
            sts_access_key_id: id.to_string(),
            ticket_type: ticket_type.to_string(),
        },
    );
    state.signin.issued.push(signin_token.clone());
    Ok(SigninReply {
        status: 200,
        location: None,
        body: json!({"RequestId": request_id(), "SigninToken": signin_token}),
    })
}

fn login<'a>(
    state: &mut State,
    get: &impl Fn(&str) -> Option<&'a str>,
) -> Result<SigninReply, ErrorReply> {
    let token = get("SigninToken").ok_or_else(|| missing("SigninToken"))?;
    get("LoginUrl").ok_or_else(|| missing("LoginUrl"))?;
    let destination = get("Destination").ok_or_else(|| missing("Destination"))?;
    let entry = state.signin.tokens.get_mut(token).ok_or_else(auth_fail)?;
    if entry.used || entry.issued.elapsed() > TOKEN_TTL {
        return Err(auth_fail());
    }
    entry.used = true;
    state.signin.redeemed.push(destination.to_string());
    Ok(SigninReply {
        status: 302,
        location: Some(destination.to_string()),
        body: json!({}),
    })
}
