//! Running a plan: find the source credentials, reuse cached sessions that have enough time
//! left, and mint the missing ones with AssumeRole, caching each hop.

use super::plan::{AssumeRoleHop, CacheKey, Plan, SourceCredentials};
use crate::aliyun::sts::{AssumeRoleRequest, OidcRequest, StsClient};
use crate::keystore::items::{StoredSession, Vault};
use crate::keystore::{ItemKind, ItemName};
use crate::session::{Issued, LongTermKey, Session};
use std::time::Duration;
use time::OffsetDateTime;

/// The default refresh margin: the Python, Java and Node SDKs treat credentials as stale
/// 15 minutes before they expire, so the vault never hands out less than that.
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(15 * 60);

/// No session is ever handed out with this little time left (seconds), whatever the margin.
pub const MIN_SECONDS_LEFT: i64 = 5;

pub use super::error::CredentialsError;

/// How much time a session must have left to be handed out: the configured margin, or half
/// the session's lifetime for sessions shorter than twice that, so that short sessions are not
/// refreshed on every request.
pub fn refresh_margin(session: &Session, configured: Duration) -> Duration {
    let lifetime = session.lifetime_seconds().max(0) as u64;
    if lifetime < 2 * configured.as_secs() {
        Duration::from_secs(lifetime / 2)
    } else {
        configured
    }
}

/// How many seconds a session must have left to be handed out (and not refreshed first): the
/// refresh margin, and never less than [`MIN_SECONDS_LEFT`].
pub fn hand_out_margin(session: &Session, configured: Duration) -> i64 {
    (refresh_margin(session, configured).as_secs() as i64).max(MIN_SECONDS_LEFT)
}

/// True when the session may still be handed out at `now`.
pub fn is_fresh(session: &Session, now: OffsetDateTime, configured_margin: Duration) -> bool {
    session.seconds_left(now) > hand_out_margin(session, configured_margin)
}

/// A session just minted, or [`CredentialsError::UnusableSession`] when it has no more time
/// left than the hand-out margin by this machine's clock (an STS, a proxy or a clock that
/// returns sessions expired already): such a session is neither cached nor handed out.
pub fn check_minted(
    profile: &str,
    session: Session,
    configured_margin: Duration,
) -> Result<Session, CredentialsError> {
    let now = OffsetDateTime::now_utc();
    if is_fresh(&session, now, configured_margin) {
        return Ok(session);
    }
    Err(CredentialsError::UnusableSession {
        profile: profile.to_string(),
        expiration: crate::session::format_alibaba_time(session.expiration),
        seconds_left: session.seconds_left(now),
        needed: hand_out_margin(&session, configured_margin),
    })
}

/// Runs plans against a keystore and STS.
pub struct Resolver<'a> {
    vault: &'a Vault,
    margin: Duration,
    runtime: Option<tokio::runtime::Runtime>,
}

impl<'a> Resolver<'a> {
    pub fn new(vault: &'a Vault, margin: Duration) -> Self {
        Resolver {
            vault,
            margin,
            runtime: None,
        }
    }

    fn runtime(&mut self) -> Result<&tokio::runtime::Runtime, CredentialsError> {
        if self.runtime.is_none() {
            self.runtime = Some(
                crate::runtime::for_command()
                    .map_err(|e| CredentialsError::Runtime(e.to_string()))?,
            );
        }
        Ok(self.runtime.as_ref().expect("set above"))
    }

    fn block_on<F: std::future::Future>(&mut self, f: F) -> Result<F::Output, CredentialsError> {
        Ok(self.runtime()?.block_on(f))
    }

    /// The long-term key a plan starts from.
    pub fn source_key(&self, source: &SourceCredentials) -> Result<LongTermKey, CredentialsError> {
        match source {
            SourceCredentials::InlineKey { key, .. } => Ok(key.clone()),
            SourceCredentials::StoredKey { profile } => match self.vault.key(profile)? {
                Some(k) => Ok(k.key),
                None => Err(CredentialsError::NoStoredKey {
                    profile: profile.clone(),
                    backend: self.vault.store().kind().to_string(),
                }),
            },
            SourceCredentials::Sso { profile, .. } => Err(CredentialsError::SsoLoginNeeded {
                profile: profile.clone(),
            }),
            SourceCredentials::Oidc { profile, .. } | SourceCredentials::OAuth { profile, .. } => {
                Err(CredentialsError::NoLongTermKey {
                    profile: profile.clone(),
                })
            }
        }
    }

    /// The credentials of a plan: the long-term key for a plan without hops (or with
    /// `no_session`), else a session with more than the refresh margin left.
    pub fn resolve(&mut self, plan: &Plan, no_session: bool) -> Result<Issued, CredentialsError> {
        if no_session {
            if let Some(hop) = plan.hops.last() {
                return Err(CredentialsError::NoSessionWithRole {
                    profile: plan.profile.clone(),
                    role_arn: hop.role_arn.clone(),
                });
            }
        }
        if plan.is_long_term() {
            return Ok(Issued::LongTerm(self.source_key(&plan.source)?));
        }
        self.session(plan).map(Issued::Session)
    }

    /// The session at the end of a plan with hops.
    pub fn session(&mut self, plan: &Plan) -> Result<Session, CredentialsError> {
        let now = OffsetDateTime::now_utc();
        // A CloudSSO or OIDC profile without hops of its own: its session is the source's.
        if plan.hops.is_empty() {
            return match self.source_credentials(&plan.source, now)? {
                Issued::Session(s) => Ok(s),
                Issued::LongTerm(_) => Err(CredentialsError::NoSession {
                    profile: plan.profile.clone(),
                }),
            };
        }
        let keys = plan.hop_keys();
        // The highest hop with a fresh cached session is where minting resumes.
        let mut start = 0;
        let mut caller: Option<Session> = None;
        for i in (0..plan.hops.len()).rev() {
            if let Some(s) = self.cached(&keys[i], now) {
                crate::debug!(
                    "profile {}: cached session has {}s left",
                    plan.hops[i].profile,
                    s.seconds_left(now)
                );
                if i + 1 == plan.hops.len() {
                    return Ok(s);
                }
                start = i + 1;
                caller = Some(s);
                break;
            }
        }
        let mut caller = match caller {
            Some(s) => Issued::Session(s),
            None => self.source_credentials(&plan.source, now)?,
        };
        let mut last = None;
        for (hop, key) in plan.hops.iter().zip(&keys).skip(start) {
            let session = self.assume(hop, &caller)?;
            self.store(key, &hop.profile, &session);
            caller = Issued::Session(session.clone());
            last = Some(session);
        }
        Ok(last.expect("a plan with hops mints at least one session"))
    }

    /// The credentials a plan's first hop is signed with: the long-term key, or for a CloudSSO
    /// source its STS session (cached, or minted with the stored access token).
    pub fn source_credentials(
        &mut self,
        source: &SourceCredentials,
        now: OffsetDateTime,
    ) -> Result<Issued, CredentialsError> {
        match source {
            SourceCredentials::Sso { .. } => self.sso_session(source, now).map(Issued::Session),
            SourceCredentials::OAuth {
                profile,
                settings,
                endpoint,
                ..
            } => {
                let key = CacheKey::of_source(source, None);
                if let Some(s) = self.cached(&key, now) {
                    crate::debug!(
                        "profile {profile}: cached OAuth session has {}s left",
                        s.seconds_left(now)
                    );
                    return Ok(Issued::Session(s));
                }
                let oauth = super::oauth::OAuthSource {
                    vault: self.vault,
                    profile,
                    settings,
                    endpoint,
                };
                let minted = oauth.mint(self.runtime()?)?;
                let session = check_minted(profile, minted, self.margin)?;
                self.store(&key, profile, &session);
                Ok(Issued::Session(session))
            }
            SourceCredentials::Oidc {
                profile,
                settings,
                role,
            } => self
                .oidc_session(source, profile, settings, role, now)
                .map(Issued::Session),
            _ => self.source_key(source).map(Issued::LongTerm),
        }
    }

    /// The STS session of an OIDC source: the cached one while fresh, else one minted by
    /// AssumeRoleWithOIDC with the token file as it is now (the platform rotates it).
    fn oidc_session(
        &mut self,
        source: &SourceCredentials,
        profile: &str,
        settings: &crate::config::OidcSettings,
        role: &AssumeRoleHop,
        now: OffsetDateTime,
    ) -> Result<Session, CredentialsError> {
        let key = CacheKey::of_source(source, None);
        if let Some(s) = self.cached(&key, now) {
            crate::debug!(
                "profile {profile}: cached OIDC session has {}s left",
                s.seconds_left(now)
            );
            return Ok(s);
        }
        let token = super::oidc::read_token(profile, &settings.token_file)?;
        let endpoint = role
            .sts_endpoint
            .clone()
            .unwrap_or_else(|| StsClient::default_endpoint(role.region.as_deref()));
        let sts = StsClient::new(&endpoint)?;
        let req = OidcRequest {
            provider_arn: settings.provider_arn.clone(),
            role_arn: role.role_arn.clone(),
            role_session_name: role.session_name.clone(),
            duration_seconds: role.duration.as_secs().min(u32::MAX as u64) as u32,
            policy: role.policy.clone(),
        };
        crate::debug!(
            "profile {profile}: AssumeRoleWithOIDC {} with {} at {endpoint}",
            role.role_arn,
            settings.token_file.display()
        );
        let minted = self
            .block_on(sts.assume_role_with_oidc(&req, &token))?
            .map_err(|e| super::oidc::explain(profile, e))?;
        let session = check_minted(profile, minted, self.margin)?;
        self.store(&key, profile, &session);
        Ok(session)
    }

    /// The STS session of a CloudSSO source: the cached one while fresh, else one minted by
    /// `/cloud-credentials` with the sign-in URL's stored token. Without a usable token:
    /// [`CredentialsError::SsoLoginNeeded`].
    fn sso_session(
        &mut self,
        source: &SourceCredentials,
        now: OffsetDateTime,
    ) -> Result<Session, CredentialsError> {
        let SourceCredentials::Sso {
            profile,
            settings,
            endpoint,
        } = source
        else {
            return Err(CredentialsError::SsoLoginNeeded {
                profile: source.profile().to_string(),
            });
        };
        let key = CacheKey::of_source(source, None);
        if let Some(s) = self.cached(&key, now) {
            crate::debug!(
                "profile {profile}: cached CloudSSO session has {}s left",
                s.seconds_left(now)
            );
            return Ok(s);
        }
        let token = super::sso::usable_token(self.vault, &settings.sign_in_url, now)?;
        let used = token.as_ref().map(|t| t.access_token.clone());
        let minted = self.block_on(super::sso::mint_session(
            profile,
            settings,
            endpoint.as_deref(),
            token,
        ))?;
        if let (Err(CredentialsError::SsoLoginNeeded { .. }), Some(used)) = (&minted, used) {
            // CloudSSO refused the token: forget it, so that every caller (the agent's
            // included) sees at once that a login is needed.
            super::sso::forget_token(self.vault, &settings.sign_in_url, &used);
        }
        let session = check_minted(profile, minted?, self.margin)?;
        self.store(&key, profile, &session);
        Ok(session)
    }

    fn assume(
        &mut self,
        hop: &AssumeRoleHop,
        caller: &Issued,
    ) -> Result<Session, CredentialsError> {
        let endpoint = hop
            .sts_endpoint
            .clone()
            .unwrap_or_else(|| StsClient::default_endpoint(hop.region.as_deref()));
        let sts = StsClient::new(&endpoint)?;
        let req = AssumeRoleRequest {
            role_arn: hop.role_arn.clone(),
            role_session_name: hop.session_name.clone(),
            duration_seconds: hop.duration.as_secs().min(u32::MAX as u64) as u32,
            policy: hop.policy.clone(),
            external_id: hop.external_id.clone(),
        };
        crate::debug!(
            "profile {}: AssumeRole {} as {} at {endpoint}",
            hop.profile,
            hop.role_arn,
            crate::secret::key_id_hint(caller.access_key_id())
        );
        let session = self.block_on(sts.assume_role(caller, &req))??;
        check_minted(&hop.profile, session, self.margin)
    }

    fn cached(&self, key: &CacheKey, now: OffsetDateTime) -> Option<Session> {
        let name = ItemName::new(ItemKind::Session, &key.0);
        match self.vault.read::<StoredSession>(&name) {
            Ok(Some(s)) if is_fresh(&s.session, now, self.margin) => Some(s.session),
            Ok(_) => None,
            Err(e) => {
                crate::debug!("ignoring cached session {}: {e}", name.account());
                None
            }
        }
    }

    fn store(&self, key: &CacheKey, profile: &str, session: &Session) {
        let name = ItemName::new(ItemKind::Session, &key.0);
        let doc = StoredSession {
            profile: profile.to_string(),
            session: session.clone(),
        };
        // A cache that cannot be written costs a later STS call, nothing more.
        if let Err(e) = self.vault.write(&name, &doc) {
            crate::warn!("could not cache the session of {profile}: {e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;
    use time::macros::datetime;

    fn session(issued: OffsetDateTime, lifetime_s: i64) -> Session {
        Session {
            access_key_id: "STS.x".into(),
            access_key_secret: Secret::new("s"),
            security_token: Secret::new("t"),
            expiration: issued + time::Duration::seconds(lifetime_s),
            issued_at: issued,
        }
    }

    #[test]
    fn an_hour_session_is_fresh_until_fifteen_minutes_before_expiry() {
        let t0 = datetime!(2026-01-01 00:00 UTC);
        let s = session(t0, 3600);
        assert!(is_fresh(
            &s,
            t0 + time::Duration::seconds(2699),
            DEFAULT_REFRESH_MARGIN
        ));
        assert!(!is_fresh(
            &s,
            t0 + time::Duration::seconds(2700),
            DEFAULT_REFRESH_MARGIN
        ));
    }

    #[test]
    fn a_short_session_is_fresh_for_half_its_lifetime() {
        let t0 = datetime!(2026-01-01 00:00 UTC);
        let s = session(t0, 900);
        assert_eq!(
            refresh_margin(&s, DEFAULT_REFRESH_MARGIN),
            Duration::from_secs(450)
        );
        assert!(is_fresh(
            &s,
            t0 + time::Duration::seconds(449),
            DEFAULT_REFRESH_MARGIN
        ));
        assert!(!is_fresh(
            &s,
            t0 + time::Duration::seconds(450),
            DEFAULT_REFRESH_MARGIN
        ));
    }

    #[test]
    fn an_expired_session_is_never_fresh() {
        let t0 = datetime!(2026-01-01 00:00 UTC);
        let s = session(t0, 20);
        assert!(!is_fresh(
            &s,
            t0 + time::Duration::seconds(25),
            Duration::ZERO
        ));
    }
}
