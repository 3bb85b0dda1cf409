//! OAuth (docs/protocols.md, "OAuth login"): the authorize page of the `official-cli`
//! application, the token endpoint (authorization code with a PKCE S256 check, refresh with
//! rotation) and `/v1/exchange`, which issues STS keys into the key table the STS emulator
//! uses, so that AssumeRole accepts them as the source of a role chain.
//!
//! The authorize page answers as a browser sees it after the user signed in: 302 to the
//! redirect URI with `code` and `state`. Codes are single-use and expire; a refresh hands out a
//! new refresh token and invalidates the old one. Errors are `{error, error_description,
//! requestId}` (400 on the token endpoint, 401 on the exchange). Every request counts under
//! `OAuth:<path>` in [`State::calls`].

use super::signature::parse_form;
use super::state::{random_from, request_id, Principal, State, ALNUM};
use super::Emulator;
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use time::OffsetDateTime;

/// The client ids of the `official-cli` application (China site, international site).
pub const CLIENT_IDS: [&str; 2] = ["4038181954557748008", "4103531455503354461"];

/// The paths this module answers.
pub const PATHS: [&str; 3] = ["/oauth2/v1/auth", "/v1/token", "/v1/exchange"];

/// An authorization code handed to the redirect URI.
#[derive(Debug, Clone)]
pub struct Code {
    pub client_id: String,
    pub redirect_uri: String,
    pub challenge: String,
    pub expires_at: OffsetDateTime,
    pub owner: Principal,
}

/// A token the token endpoint issued.
#[derive(Debug, Clone)]
pub struct Token {
    pub client_id: String,
    pub expires_at: OffsetDateTime,
    pub owner: Principal,
}

/// What the OAuth emulator knows and how it behaves.
#[derive(Debug)]
pub struct OAuthState {
    /// Who signs in on the authorize page (`None`: `access_denied` to the redirect URI).
    pub signed_in: Option<Principal>,
    pub code_lifetime_s: i64,
    pub access_lifetime_s: i64,
    pub refresh_lifetime_s: i64,
    /// Lifetime of the STS credentials of `/v1/exchange`.
    pub session_lifetime_s: i64,
    /// Whether a refresh hands out a new refresh token (and invalidates the old one).
    pub rotate: bool,
    pub codes: HashMap<String, Code>,
    pub access_tokens: HashMap<String, Token>,
    pub refresh_tokens: HashMap<String, Token>,
    /// Refresh tokens replaced by a rotation or revoked.
    pub retired: HashSet<String>,
    /// The grant types the token endpoint was called with, in order.
    pub grants: Vec<String>,
}

impl Default for OAuthState {
    fn default() -> Self {
        OAuthState {
            signed_in: None,
            code_lifetime_s: 60,
            access_lifetime_s: 3600,
            refresh_lifetime_s: 30 * 86400,
            session_lifetime_s: 3600,
            rotate: true,
            codes: HashMap::new(),
            access_tokens: HashMap::new(),
            refresh_tokens: HashMap::new(),
            retired: HashSet::new(),
            grants: Vec::new(),
        }
    }
}

/// One answer: status, JSON body, and a Location for redirects.
pub struct Reply {
    pub status: u16,
    pub body: Value,
    pub location: Option<String>,
}

fn error(status: u16, code: &str, description: &str) -> Reply {
    Reply {
        status,
        body: json!({"error": code, "error_description": description, "requestId": request_id()}),
        location: None,
    }
}

/// Whether the redirect URI is one the `official-cli` application is registered with.
fn allowed_redirect(uri: &str) -> bool {
    let Some(rest) = uri.strip_prefix("http://127.0.0.1:") else {
        return false;
    };
    let Some((port, path)) = rest.split_once('/') else {
        return false;
    };
    path == "cli/callback"
        && port
            .parse::<u16>()
            .is_ok_and(|p| (12345..=12349).contains(&p))
}

fn challenge_of(verifier: &str) -> String {
    super::sso::challenge_of(verifier)
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Answers an OAuth request, or `None` when `path` is not one of [`PATHS`].
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
    *st.calls.entry(format!("OAuth:{path}")).or_default() += 1;
    let want = if path == "/oauth2/v1/auth" {
        "GET"
    } else {
        "POST"
    };
    if method != want {
        return Some(error(
            405,
            "invalid_request",
            &format!("use {want} for {path}"),
        ));
    }
    Some(match path {
        "/oauth2/v1/auth" => authorize(st, query),
        "/v1/token" => token(st, &String::from_utf8_lossy(body)),
        _ => exchange(st, authorization),
    })
}

fn params(text: &str) -> HashMap<String, String> {
    parse_form(text).into_iter().collect()
}

fn authorize(st: &mut State, query: &str) -> Reply {
    let q = params(query);
    let get = |k: &str| q.get(k).map(String::as_str).unwrap_or("");
    if get("response_type") != "code" {
        return error(
            400,
            "unsupported_response_type",
            "response_type must be code",
        );
    }
    if !CLIENT_IDS.contains(&get("client_id")) {
        return error(
            400,
            "invalid_client",
            "The client_id is not a registered application.",
        );
    }
    let redirect = get("redirect_uri");
    if !allowed_redirect(redirect) {
        return error(
            400,
            "invalid_request",
            "The redirect_uri is not registered for this application.",
        );
    }
    if get("code_challenge_method") != "S256" || get("code_challenge").len() != 43 {
        return error(
            400,
            "invalid_request",
            "code_challenge (S256, 43 characters) is required.",
        );
    }
    let state = get("state");
    let location = match st.oauth.signed_in.clone() {
        Some(owner) => {
            let code = random_from(ALNUM, 32);
            let expires_at = st.now() + time::Duration::seconds(st.oauth.code_lifetime_s);
            st.oauth.codes.insert(
                code.clone(),
                Code {
                    client_id: get("client_id").to_string(),
                    redirect_uri: redirect.to_string(),
                    challenge: get("code_challenge").to_string(),
                    expires_at,
                    owner,
                },
            );
            format!("{redirect}?code={code}&state={}", encode(state))
        }
        None => format!(
            "{redirect}?error=access_denied&error_description={}&state={}",
            encode("The user is not assigned to the application."),
            encode(state)
        ),
    };
    Reply {
        status: 302,
        body: json!({}),
        location: Some(location),
    }
}

fn token(st: &mut State, body: &str) -> Reply {
    let f = params(body);
    let get = |k: &str| f.get(k).map(String::as_str).unwrap_or("");
    st.oauth.grants.push(get("grant_type").to_string());
    let now = st.now();
    let owner = match get("grant_type") {
        "authorization_code" => {
            // Single use: the code goes whatever the outcome.
            let Some(code) = st.oauth.codes.remove(get("code")) else {
                return error(
                    400,
                    "invalid_grant",
                    "The authorization code is invalid or was used already.",
                );
            };
            if code.expires_at <= now {
                return error(400, "invalid_grant", "The authorization code has expired.");
            }
            if code.client_id != get("client_id") {
                return error(
                    400,
                    "invalid_client",
                    "The client_id does not match the code.",
                );
            }
            if code.redirect_uri != get("redirect_uri") {
                return error(
                    400,
                    "invalid_grant",
                    "The redirect_uri does not match the authorization request.",
                );
            }
            if challenge_of(get("code_verifier")) != code.challenge {
                return error(
                    400,
                    "invalid_grant",
                    "The code_verifier does not match the code_challenge.",
                );
            }
            code.owner
        }
        "refresh_token" => {
            let presented = get("refresh_token");
            if st.oauth.retired.contains(presented) {
                return error(400, "invalid_grant", "The refresh token has been revoked.");
            }
            let Some(t) = st.oauth.refresh_tokens.get(presented).cloned() else {
                return error(400, "invalid_grant", "The refresh token is invalid.");
            };
            if t.expires_at <= now {
                return error(400, "invalid_grant", "The refresh token has expired.");
            }
            if t.client_id != get("client_id") {
                return error(
                    400,
                    "invalid_client",
                    "The client_id does not match the refresh token.",
                );
            }
            if st.oauth.rotate {
                st.oauth.refresh_tokens.remove(presented);
                st.oauth.retired.insert(presented.to_string());
            }
            t.owner
        }
        _ => {
            return error(
                400,
                "unsupported_grant_type",
                "grant_type must be authorization_code or refresh_token.",
            )
        }
    };
    let client_id = get("client_id").to_string();
    let access = random_from(ALNUM, 64);
    st.oauth.access_tokens.insert(
        access.clone(),
        Token {
            client_id: client_id.clone(),
            expires_at: now + time::Duration::seconds(st.oauth.access_lifetime_s),
            owner: owner.clone(),
        },
    );
    let mut body = json!({
        "access_token": access,
        "expires_in": st.oauth.access_lifetime_s,
        "token_type": "Bearer",
    });
    if get("grant_type") == "authorization_code" || st.oauth.rotate {
        let refresh = st.issue_oauth_refresh_token(&client_id, owner);
        body["refresh_token"] = json!(refresh);
    }
    Reply {
        status: 200,
        body,
        location: None,
    }
}

fn exchange(st: &mut State, authorization: Option<&str>) -> Reply {
    let Some(token) = authorization.and_then(|a| a.strip_prefix("Bearer ")) else {
        return error(401, "invalid_token", "The access token is missing.");
    };
    let Some(t) = st.oauth.access_tokens.get(token).cloned() else {
        return error(401, "invalid_token", "The access token is invalid.");
    };
    let now = st.now();
    if t.expires_at <= now {
        return error(401, "expired_token", "The access token is expired.");
    }
    let expiration = (now + time::Duration::seconds(st.oauth.session_lifetime_s))
        .replace_nanosecond(0)
        .expect("zero nanoseconds");
    let key = st.mint_sts_key(t.owner, expiration);
    Reply {
        status: 200,
        body: json!({
            "requestId": request_id(),
            "accessKeyId": key.access_key_id,
            "accessKeySecret": key.secret,
            "securityToken": key.token,
            "expiration": super::rpc::format_time(expiration),
        }),
        location: None,
    }
}

impl State {
    /// Issues a refresh token of `client_id` for `owner` and records it.
    pub fn issue_oauth_refresh_token(&mut self, client_id: &str, owner: Principal) -> String {
        let refresh = random_from(ALNUM, 64);
        let expires_at = self.now() + time::Duration::seconds(self.oauth.refresh_lifetime_s);
        self.oauth.refresh_tokens.insert(
            refresh.clone(),
            Token {
                client_id: client_id.to_string(),
                expires_at,
                owner,
            },
        );
        refresh
    }
}

/// OAuth: who signs in, token lifetimes, the tokens handed out.
impl Emulator {
    /// Makes RAM user `user_name` of `account_id` (created if needed) the one who signs in on
    /// the authorize page.
    pub fn oauth_sign_in_as(&self, account_id: &str, user_name: &str) {
        self.add_user(account_id, user_name);
        let mut st = self.state();
        let user = st
            .users
            .get(&(account_id.to_string(), user_name.to_string()))
            .cloned()
            .expect("added above");
        st.oauth.signed_in = Some(Principal::RamUser {
            account_id: user.account_id,
            user_name: user.name,
            user_id: user.user_id,
        });
    }

    /// Issues a refresh token of the China site's client for the signed-in user (as a login
    /// done elsewhere, e.g. by the aliyun CLI, would have).
    pub fn oauth_issue_refresh_token(&self) -> String {
        let mut st = self.state();
        let owner = st.oauth.signed_in.clone().expect("oauth_sign_in_as first");
        st.issue_oauth_refresh_token(CLIENT_IDS[0], owner)
    }

    /// Whether the token endpoint would still accept this refresh token.
    pub fn oauth_refresh_token_valid(&self, token: &str) -> bool {
        let st = self.state();
        !st.oauth.retired.contains(token)
            && st
                .oauth
                .refresh_tokens
                .get(token)
                .is_some_and(|t| t.expires_at > st.now())
    }

    /// Revokes every refresh token (an administrator's sign-out, or the tokens' expiry).
    pub fn oauth_revoke_refresh_tokens(&self) {
        let mut st = self.state();
        let all: Vec<String> = st.oauth.refresh_tokens.drain().map(|(k, _)| k).collect();
        st.oauth.retired.extend(all);
    }

    /// Sets the lifetime of access tokens issued from now on (seconds).
    pub fn oauth_set_access_lifetime(&self, seconds: i64) {
        self.state().oauth.access_lifetime_s = seconds;
    }

    /// Sets the lifetime of the STS credentials `/v1/exchange` issues (seconds).
    pub fn oauth_set_session_lifetime(&self, seconds: i64) {
        self.state().oauth.session_lifetime_s = seconds;
    }

    /// The grant types the token endpoint was called with, in order.
    pub fn oauth_grants(&self) -> Vec<String> {
        self.state().oauth.grants.clone()
    }

    /// The access and refresh tokens issued so far (to scan files for them).
    pub fn oauth_tokens_issued(&self) -> Vec<String> {
        let st = self.state();
        st.oauth
            .access_tokens
            .keys()
            .chain(st.oauth.refresh_tokens.keys())
            .chain(st.oauth.retired.iter())
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_registered_loopback_redirect_uris_are_allowed() {
        assert!(allowed_redirect("http://127.0.0.1:12345/cli/callback"));
        assert!(allowed_redirect("http://127.0.0.1:12349/cli/callback"));
        assert!(!allowed_redirect("http://127.0.0.1:12350/cli/callback"));
        assert!(!allowed_redirect("http://localhost:12345/cli/callback"));
        assert!(!allowed_redirect("http://127.0.0.1:12345/other"));
        assert!(!allowed_redirect("https://127.0.0.1:12345/cli/callback"));
    }
}
