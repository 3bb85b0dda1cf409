//! OAuth as a source of credentials (docs/oauth-oidc.md): the browser login that stores a
//! refresh token, the access-token refresh (with refresh-token rotation), and the STS session
//! `/v1/exchange` mints with the access token.
//!
//! The login lives in the keystore (`oauth:<profile>`, [`StoredOAuthToken`]), never in a file.
//! The STS session it mints is cached like any other, under
//! [`CacheKey::of_source`](super::plan::CacheKey::of_source) of the OAuth source; hops of a
//! `source_profile` chain continue from it with its SecurityToken.

use super::error::CredentialsError;
use crate::aliyun::http::HttpPool;
use crate::aliyun::oauth::{
    redirect_uri, AuthorizationRequest, OAuthClient, OAuthError, Tokens, CALLBACK_PATH,
    CALLBACK_PORTS,
};
use crate::config::OAuthSettings;
use crate::display::{RemoteText, Sent, MAX_FIELD, MAX_MESSAGE};
use crate::keystore::access::KeystoreAccess;
use crate::keystore::items::{StoredOAuthToken, Vault};
use crate::keystore::{ItemKind, ItemName, KeystoreError};
use crate::secret::Secret;
use crate::session::Session;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;
use time::OffsetDateTime;

/// The access token is refreshed when this many seconds or fewer remain (credentials-go and
/// credentials-python use the same rule).
pub const ACCESS_REFRESH_WINDOW_S: i64 = 1200;

/// How long `oauth login` waits for the browser by default.
pub const DEFAULT_LOGIN_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// The keystore item of a profile's OAuth login.
pub fn token_item(profile: &str) -> ItemName {
    ItemName::new(ItemKind::OAuthToken, profile)
}

/// Why a profile needs `oauth login`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginReason {
    /// No login is stored.
    Missing,
    /// The token endpoint refused the refresh token (expired or revoked).
    Refused,
}

impl std::fmt::Display for LoginReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            LoginReason::Missing => "no OAuth login is stored for it",
            LoginReason::Refused => {
                "its OAuth login has expired or was revoked (the refresh token was refused)"
            }
        })
    }
}

fn login_needed(profile: &str, reason: LoginReason) -> CredentialsError {
    CredentialsError::OAuthLoginNeeded {
        profile: profile.to_string(),
        reason,
    }
}

fn remote(e: OAuthError) -> CredentialsError {
    CredentialsError::Remote(e.into_remote())
}

/// An OAuth source as the resolver runs it.
pub struct OAuthSource<'a> {
    pub keystore: &'a KeystoreAccess,
    pub pool: &'a HttpPool,
    pub profile: &'a str,
    pub settings: &'a OAuthSettings,
    pub endpoint: &'a str,
}

impl OAuthSource<'_> {
    /// Mints the STS session: refreshes the access token when 1200 s or less remain (storing
    /// a rotated refresh token), then exchanges it. A missing or refused login gives
    /// [`CredentialsError::OAuthLoginNeeded`]; the refused login is deleted from the keystore.
    pub async fn mint(&self) -> Result<Session, CredentialsError> {
        let client = OAuthClient::on(self.pool, self.endpoint).map_err(remote)?;
        let Some(mut stored) = self.read_login().await? else {
            crate::debug!("profile {}: no OAuth login stored", self.profile);
            return Err(login_needed(self.profile, LoginReason::Missing));
        };
        let mut refreshed = false;
        let access = match usable_access_token(&stored, OffsetDateTime::now_utc()) {
            Some(a) => a,
            None => {
                stored = self.refresh(&client, stored).await?;
                refreshed = true;
                stored
                    .access_token
                    .clone()
                    .expect("a refresh stores an access token")
            }
        };
        crate::debug!(
            "profile {}: OAuth /v1/exchange at {}",
            self.profile,
            self.endpoint
        );
        match client.sts_credentials(&access).await {
            Ok(s) => Ok(s),
            // An access token revoked before its time: one refresh, then one more exchange.
            Err(OAuthError::TokenRefused { .. }) if !refreshed => {
                let stored = self.refresh(&client, stored).await?;
                let access = stored
                    .access_token
                    .expect("a refresh stores an access token");
                client
                    .sts_credentials(&access)
                    .await
                    .map_err(|e| self.explain(e))
            }
            Err(e) => Err(self.explain(e)),
        }
    }

    fn explain(&self, e: OAuthError) -> CredentialsError {
        if e.needs_login() {
            login_needed(self.profile, LoginReason::Refused)
        } else {
            remote(e)
        }
    }

    async fn read_login(&self) -> Result<Option<StoredOAuthToken>, CredentialsError> {
        let item = token_item(self.profile);
        Ok(self
            .keystore
            .run(move |v| v.read::<StoredOAuthToken>(&item))
            .await??)
    }

    /// Refreshes the access token with the stored refresh token and stores the result (the
    /// new refresh token, when the reply has one, replaces the old). When the refresh token is
    /// refused but another process rotated it meanwhile, the new one is tried once.
    async fn refresh(
        &self,
        client: &OAuthClient,
        stored: StoredOAuthToken,
    ) -> Result<StoredOAuthToken, CredentialsError> {
        let client_id = self.settings.site.client_id();
        let mut current = stored;
        for attempt in 0..2 {
            crate::debug!(
                "profile {}: refreshing the OAuth access token at {}",
                self.profile,
                self.endpoint
            );
            match client.refresh(client_id, &current.refresh_token).await {
                Ok(tokens) => {
                    let updated = updated_login(current, tokens);
                    let item = token_item(self.profile);
                    let doc = updated.clone();
                    self.keystore.run(move |v| v.write(&item, &doc)).await??;
                    return Ok(updated);
                }
                Err(e) if e.needs_login() => {
                    // Rotated by someone else since we read it? Then theirs is the live one.
                    match self.read_login().await? {
                        Some(now) if now.refresh_token != current.refresh_token && attempt == 0 => {
                            current = now;
                            continue;
                        }
                        Some(now) if now.refresh_token == current.refresh_token => {
                            let item = token_item(self.profile);
                            let _ = self.keystore.run(move |v| v.delete(&item)).await;
                        }
                        _ => {}
                    }
                    return Err(login_needed(self.profile, LoginReason::Refused));
                }
                Err(e) => return Err(remote(e)),
            }
        }
        Err(login_needed(self.profile, LoginReason::Refused))
    }
}

/// The stored access token when it has more than [`ACCESS_REFRESH_WINDOW_S`] left at `now`.
pub fn usable_access_token(stored: &StoredOAuthToken, now: OffsetDateTime) -> Option<Secret> {
    let expires = stored.access_expires_at?;
    ((expires - now).whole_seconds() > ACCESS_REFRESH_WINDOW_S)
        .then(|| stored.access_token.clone())
        .flatten()
}

/// The login after a refresh: the new access token, and the new refresh token if there is one.
pub fn updated_login(old: StoredOAuthToken, tokens: Tokens) -> StoredOAuthToken {
    StoredOAuthToken {
        site: old.site,
        refresh_token: tokens.refresh_token.unwrap_or(old.refresh_token),
        access_token: Some(tokens.access_token),
        access_expires_at: Some(tokens.access_expires_at),
        logged_in_at: old.logged_in_at,
    }
}

/// What can stop `oauth login`.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("none of the ports {first}..{last} on 127.0.0.1 is free for the login's callback (the official-cli application accepts only these); stop what listens there (`ss -ltnp`), or wait for another login to finish")]
    NoFreePort { first: u16, last: u16 },
    #[error("cannot listen for the login's callback on 127.0.0.1: {0}")]
    Listen(std::io::Error),
    #[error("no reply from the browser within {} s; run `alicloud-vault oauth login {profile}` again and finish the sign-in sooner (or pass a longer --timeout)", .timeout.as_secs())]
    TimedOut { profile: String, timeout: Duration },
    #[error("the sign-in page reported an error: {error}: {description}; run `alicloud-vault oauth login {profile}` again (ask an administrator whether the official-cli application is enabled and assigned to you)")]
    Denied {
        profile: String,
        error: RemoteText,
        description: RemoteText,
    },
    #[error("the OAuth service did not accept the login of profile {profile}: {source}; run `alicloud-vault oauth login {profile}` again")]
    Exchange {
        profile: String,
        #[source]
        source: OAuthError,
    },
    #[error(transparent)]
    Keystore(#[from] KeystoreError),
}

impl LoginError {
    /// The class of the error.
    pub fn kind(&self) -> crate::exit_codes::ErrorKind {
        use crate::exit_codes::ErrorKind;
        match self {
            LoginError::Keystore(_) => ErrorKind::Keystore,
            LoginError::NoFreePort { .. } | LoginError::Listen(_) => ErrorKind::Usage,
            _ => ErrorKind::Remote,
        }
    }
}

/// An `oauth login` in progress: the callback listener is bound, the authorize URL is ready.
pub struct PendingLogin {
    profile: String,
    listener: tokio::net::TcpListener,
    request: AuthorizationRequest,
    redirect_uri: String,
    client_id: &'static str,
    site: crate::aliyun::oauth::OAuthSite,
    endpoint: String,
    url: String,
}

impl PendingLogin {
    /// Binds the first free port of 12345..12349 on 127.0.0.1 (only there: the browser and
    /// this machine are the only parties) and builds the authorize URL. Must run inside a
    /// tokio runtime.
    pub async fn start(
        profile: &str,
        settings: &OAuthSettings,
        endpoint: &str,
        signin_endpoint: &str,
    ) -> Result<PendingLogin, LoginError> {
        let mut listener = None;
        for port in CALLBACK_PORTS {
            match tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await
            {
                Ok(l) => {
                    listener = Some((l, port));
                    break;
                }
                Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => continue,
                Err(e) => return Err(LoginError::Listen(e)),
            }
        }
        let Some((listener, port)) = listener else {
            return Err(LoginError::NoFreePort {
                first: *CALLBACK_PORTS.start(),
                last: *CALLBACK_PORTS.end(),
            });
        };
        let request = AuthorizationRequest::new();
        let redirect_uri = redirect_uri(port);
        let client_id = settings.site.client_id();
        let url = request.url(signin_endpoint, client_id, &redirect_uri);
        Ok(PendingLogin {
            profile: profile.to_string(),
            listener,
            request,
            redirect_uri,
            client_id,
            site: settings.site,
            endpoint: endpoint.to_string(),
            url,
        })
    }

    /// The URL the browser opens (no secret in it: the state only ties the callback to this
    /// login, and the challenge is public by design).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The port the callback listener is bound to.
    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// Waits for the callback (a wrong state is answered 400 and the wait goes on), then
    /// exchanges the code for tokens. The listener closes when this returns or is dropped
    /// (Ctrl-C). The caller stores the result with [`save_login`].
    pub async fn finish(self, timeout: Duration) -> Result<StoredOAuthToken, LoginError> {
        let code = tokio::time::timeout(timeout, self.wait_for_code())
            .await
            .map_err(|_| LoginError::TimedOut {
                profile: self.profile.clone(),
                timeout,
            })??;
        drop(self.listener);
        let client = OAuthClient::new(&self.endpoint).map_err(|e| LoginError::Exchange {
            profile: self.profile.clone(),
            source: e,
        })?;
        let tokens = client
            .exchange_code(
                self.client_id,
                &code,
                &self.redirect_uri,
                &self.request.verifier,
            )
            .await
            .map_err(|e| LoginError::Exchange {
                profile: self.profile.clone(),
                source: e,
            })?;
        let Some(refresh_token) = tokens.refresh_token else {
            return Err(LoginError::Exchange {
                profile: self.profile.clone(),
                source: OAuthError::Transport(crate::aliyun::rpc::RemoteError::Malformed {
                    service: "OAuth".into(),
                    action: "/v1/token".into(),
                    endpoint: self.endpoint.as_str().into(),
                    http_status: 200,
                    detail: "the reply has no refresh_token".into(),
                }),
            });
        };
        Ok(StoredOAuthToken {
            site: self.site.as_str().to_string(),
            refresh_token,
            access_token: Some(tokens.access_token),
            access_expires_at: Some(tokens.access_expires_at),
            logged_in_at: OffsetDateTime::now_utc(),
        })
    }

    async fn wait_for_code(&self) -> Result<Secret, LoginError> {
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Result<Secret, LoginError>>(1);
        let state = self.request.state.clone();
        let profile = self.profile.clone();
        loop {
            tokio::select! {
                outcome = rx.recv() => {
                    if let Some(outcome) = outcome {
                        return outcome;
                    }
                }
                accepted = self.listener.accept() => {
                    let Ok((stream, peer)) = accepted else { continue };
                    if !peer.ip().is_loopback() {
                        continue;
                    }
                    let tx = tx.clone();
                    let state = state.clone();
                    let profile = profile.clone();
                    tokio::spawn(async move {
                        let svc = hyper::service::service_fn(move |req| {
                            let answer = callback(&req, &state, &profile);
                            let tx = tx.clone();
                            async move {
                                let (status, page, outcome) = answer;
                                if let Some(o) = outcome {
                                    let _ = tx.send(o).await;
                                }
                                Ok::<_, std::convert::Infallible>(
                                    hyper::Response::builder()
                                        .status(status)
                                        .header("Content-Type", "text/plain; charset=utf-8")
                                        .header("Cache-Control", "no-store")
                                        .header("Connection", "close")
                                        .body(http_body_util::Full::new(hyper::body::Bytes::from(page)))
                                        .expect("a response"),
                                )
                            }
                        });
                        let _ = hyper::server::conn::http1::Builder::new()
                            .keep_alive(false)
                            .serve_connection(hyper_util::rt::TokioIo::new(stream), svc)
                            .await;
                    });
                }
            }
        }
    }
}

type CallbackAnswer = (u16, &'static str, Option<Result<Secret, LoginError>>);

/// The answer to one request on the callback listener, and what it means for the login.
fn callback<B>(req: &hyper::Request<B>, state: &Secret, profile: &str) -> CallbackAnswer {
    if req.uri().path() != CALLBACK_PATH || req.method() != hyper::Method::GET {
        return (404, "Not found.\n", None);
    }
    let query = req.uri().query().unwrap_or("");
    let mut got_state = None;
    let mut code = None;
    let mut error = None;
    let mut description = None;
    for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
        match &*k {
            "state" => got_state = Some(Secret::new(&*v)),
            "code" => code = Some(Secret::new(&*v)),
            "error" => error = Some(v.into_owned()),
            "error_description" => description = Some(v.into_owned()),
            _ => {}
        }
    }
    // Compared in constant time: the state is what keeps other pages from finishing the login.
    let state_ok = got_state
        .as_ref()
        .is_some_and(|s| same_bytes(s.expose().as_bytes(), state.expose().as_bytes()));
    if !state_ok {
        crate::debug!("OAuth callback with a wrong or missing state refused");
        return (
            400,
            "This sign-in does not belong to the login alicloud-vault is waiting for (state mismatch). Close this window.\n",
            None,
        );
    }
    if let Some(error) = error {
        let sent = Sent::default();
        return (
            400,
            "The sign-in was not completed. Close this window and see the terminal.\n",
            Some(Err(LoginError::Denied {
                profile: profile.to_string(),
                error: RemoteText::new(&error, MAX_FIELD, &sent),
                description: RemoteText::new(
                    description.as_deref().unwrap_or(""),
                    MAX_MESSAGE,
                    &sent,
                ),
            })),
        );
    }
    match code.filter(|c| !c.is_empty()) {
        Some(c) => (
            200,
            "Signed in. alicloud-vault has the login; you can close this window.\n",
            Some(Ok(c)),
        ),
        None => (400, "The callback has no code.\n", None),
    }
}

/// Equality that takes as long for a near miss as for a far one.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Stores the login of `profile` (replacing an earlier one).
pub fn save_login(
    vault: &Vault,
    profile: &str,
    login: &StoredOAuthToken,
) -> Result<(), KeystoreError> {
    vault.write(&token_item(profile), login)
}

/// Deletes the OAuth login of `profile`; true when there was one.
pub fn logout(vault: &Vault, profile: &str) -> Result<bool, KeystoreError> {
    vault.delete(&token_item(profile))
}

/// Stores an OAuth login imported from elsewhere (the aliyun CLI's file).
pub fn store_imported(
    vault: &Vault,
    profile: &str,
    site: crate::aliyun::oauth::OAuthSite,
    refresh_token: Secret,
    access_token: Option<Secret>,
    access_expires_at_unix: Option<i64>,
) -> Result<(), KeystoreError> {
    let access_expires_at =
        access_expires_at_unix.and_then(|t| OffsetDateTime::from_unix_timestamp(t).ok());
    let login = StoredOAuthToken {
        site: site.as_str().to_string(),
        refresh_token,
        access_token: access_token.filter(|_| access_expires_at.is_some()),
        access_expires_at,
        logged_in_at: OffsetDateTime::now_utc(),
    };
    vault.write(&token_item(profile), &login)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn login(expires_in_s: Option<i64>) -> StoredOAuthToken {
        StoredOAuthToken {
            site: "cn".into(),
            refresh_token: Secret::new("rt-old"),
            access_token: Some(Secret::new("at-old")),
            access_expires_at: expires_in_s
                .map(|s| OffsetDateTime::now_utc() + time::Duration::seconds(s)),
            logged_in_at: OffsetDateTime::now_utc(),
        }
    }

    #[test]
    fn the_access_token_is_refreshed_with_1200_seconds_or_less_left() {
        let now = OffsetDateTime::now_utc();
        assert!(usable_access_token(&login(Some(1260)), now).is_some());
        assert!(usable_access_token(&login(Some(1200)), now).is_none());
        assert!(usable_access_token(&login(None), now).is_none());
    }

    #[test]
    fn a_new_refresh_token_replaces_the_old_one_and_a_missing_one_keeps_it() {
        let tokens = |rt: Option<&str>| Tokens {
            access_token: Secret::new("at-new"),
            refresh_token: rt.map(Secret::new),
            access_expires_at: OffsetDateTime::now_utc(),
        };
        let u = updated_login(login(Some(10)), tokens(Some("rt-new")));
        assert_eq!(u.refresh_token.expose(), "rt-new");
        assert_eq!(u.access_token.unwrap().expose(), "at-new");
        let u = updated_login(login(Some(10)), tokens(None));
        assert_eq!(u.refresh_token.expose(), "rt-old");
    }

    #[test]
    fn a_callback_with_a_wrong_state_is_refused_and_the_right_one_gives_the_code() {
        let state = Secret::new("abcdefghABCDEFGH");
        let req = |q: &str| {
            hyper::Request::get(format!("/cli/callback?{q}"))
                .body(())
                .unwrap()
        };
        let (status, _, outcome) = callback(&req("code=c1&state=wrong"), &state, "me");
        assert_eq!(status, 400);
        assert!(outcome.is_none());
        let (status, _, outcome) = callback(&req("code=c1"), &state, "me");
        assert_eq!((status, outcome.is_none()), (400, true));
        let (status, _, outcome) = callback(&req("code=c1&state=abcdefghABCDEFGH"), &state, "me");
        assert_eq!(status, 200);
        assert_eq!(outcome.unwrap().unwrap().expose(), "c1");
        let (status, _, outcome) = callback(
            &req("error=access_denied&error_description=no&state=abcdefghABCDEFGH"),
            &state,
            "me",
        );
        assert_eq!(status, 400);
        assert!(matches!(outcome, Some(Err(LoginError::Denied { .. }))));
        let other = hyper::Request::get("/other?state=abcdefghABCDEFGH&code=c")
            .body(())
            .unwrap();
        assert_eq!(callback(&other, &state, "me").0, 404);
    }
}
