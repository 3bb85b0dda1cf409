//! CloudSSO as a source of credentials: the stored access token of a sign-in URL, and the
//! STS session `/cloud-credentials` mints with it for one account and access configuration.
//!
//! The token lives in the keystore (`sso:<hash of the sign-in URL>`), shared by every profile
//! with that sign-in URL. The session it mints is cached like any other, under
//! [`CacheKey::of_source`](super::plan::CacheKey::of_source) of the SSO source, and hops of a
//! `source_profile` chain continue from it with its SecurityToken.

use super::error::CredentialsError;
use crate::aliyun::http::HttpPool;
use crate::aliyun::sso::{endpoint_of_sign_in_url, token_key, SsoClient, SsoError};
use crate::config::SsoSettings;
use crate::keystore::items::{StoredSsoToken, Vault};
use crate::keystore::{ItemKind, ItemName, KeystoreError};
use crate::secret::Secret;
use crate::session::Session;
use time::OffsetDateTime;

/// A token with less than this left is treated as expired: a call made with it could fail
/// halfway (the aliyun CLI subtracts 10 s in one code path).
pub const TOKEN_SLACK_S: i64 = 10;

/// The keystore item of a sign-in URL's access token.
pub fn token_item(sign_in_url: &str) -> ItemName {
    ItemName::new(ItemKind::SsoToken, token_key(sign_in_url))
}

/// The API endpoint of an SSO source: the override, else `scheme://host[:port]` of the sign-in URL.
pub fn endpoint(settings: &SsoSettings, over: Option<&str>) -> Result<String, SsoError> {
    match over {
        Some(e) => Ok(e.to_string()),
        None => endpoint_of_sign_in_url(&settings.sign_in_url),
    }
}

/// The stored token of a sign-in URL if it has more than [`TOKEN_SLACK_S`] left at `now`.
pub fn usable_token(
    vault: &Vault,
    sign_in_url: &str,
    now: OffsetDateTime,
) -> Result<Option<StoredSsoToken>, KeystoreError> {
    Ok(vault
        .read::<StoredSsoToken>(&token_item(sign_in_url))?
        .filter(|t| (t.expires_at - now).whole_seconds() > TOKEN_SLACK_S))
}

/// Deletes the stored token of a sign-in URL if it is still `used` (a login that replaced it
/// meanwhile is kept). Failures only cost a later round trip, so they are ignored.
pub fn forget_token(vault: &Vault, sign_in_url: &str, used: &Secret) {
    let item = token_item(sign_in_url);
    if let Ok(Some(t)) = vault.read::<StoredSsoToken>(&item) {
        if &t.access_token == used {
            let _ = vault.delete(&item);
        }
    }
}

/// Mints the STS session of an SSO profile with its stored token. A missing, expired or
/// refused token gives [`CredentialsError::SsoLoginNeeded`] naming `profile`.
pub async fn mint_session(
    pool: &HttpPool,
    profile: &str,
    settings: &SsoSettings,
    endpoint_override: Option<&str>,
    token: Option<StoredSsoToken>,
) -> Result<Session, CredentialsError> {
    let login_needed = || CredentialsError::SsoLoginNeeded {
        profile: profile.to_string(),
    };
    let Some(token) = token else {
        crate::debug!("profile {profile}: no usable CloudSSO access token");
        return Err(login_needed());
    };
    let endpoint =
        endpoint(settings, endpoint_override).map_err(|e| sso_to_credentials(profile, e))?;
    let client = SsoClient::on(pool, &endpoint).map_err(|e| sso_to_credentials(profile, e))?;
    crate::debug!(
        "profile {profile}: CloudSSO cloud-credentials for account {} / {} at {endpoint}",
        settings.account_id,
        settings.access_configuration
    );
    client
        .cloud_credentials(
            &token.access_token,
            &settings.account_id,
            &settings.access_configuration,
        )
        .await
        .map_err(|e| sso_to_credentials(profile, e))
}

/// Maps a CloudSSO error to the resolver's error: a refused token means "log in again".
pub fn sso_to_credentials(profile: &str, e: SsoError) -> CredentialsError {
    match e {
        SsoError::TokenRejected { .. } => CredentialsError::SsoLoginNeeded {
            profile: profile.to_string(),
        },
        other => CredentialsError::Remote(other.into_remote()),
    }
}
