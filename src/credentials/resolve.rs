//! Running a plan: find the source credentials, reuse cached sessions that have enough time
//! left, and mint the missing ones with AssumeRole, caching each hop.

use super::plan::{AssumeRoleHop, CacheKey, Plan, SourceCredentials};
use crate::aliyun::http::HttpPool;
use crate::aliyun::sts::{AssumeRoleRequest, OidcRequest, StsClient};
use crate::keystore::access::KeystoreAccess;
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

/// What a plan gives without a remote call, read from the keystore as it is: the long-term
/// key of a plan without hops (or with `no_session`), or the fresh cached session at the end of
/// the plan. `Ok(None)`: something has to be minted ([`Resolver::resolve`] does it). A CLI
/// command asks this first, so that a warm `exec` builds no runtime and no HTTP client.
pub fn from_cache(
    vault: &Vault,
    plan: &Plan,
    no_session: bool,
    margin: Duration,
) -> Result<Option<Issued>, CredentialsError> {
    refuse_no_session_with_role(plan, no_session)?;
    if plan.is_long_term() {
        return source_key(vault, &plan.source).map(|k| Some(Issued::LongTerm(k)));
    }
    // With no hops (a CloudSSO, OAuth or OIDC profile), the session is the source's.
    let key = plan.session_key();
    Ok(cached(vault, &key, OffsetDateTime::now_utc(), margin).map(Issued::Session))
}

fn refuse_no_session_with_role(plan: &Plan, no_session: bool) -> Result<(), CredentialsError> {
    match plan.hops.last() {
        Some(hop) if no_session => Err(CredentialsError::NoSessionWithRole {
            profile: plan.profile.clone(),
            role_arn: hop.role_arn.clone(),
        }),
        _ => Ok(()),
    }
}

/// The long-term key a plan starts from.
pub fn source_key(
    vault: &Vault,
    source: &SourceCredentials,
) -> Result<LongTermKey, CredentialsError> {
    match source {
        SourceCredentials::InlineKey { key, .. } => Ok(key.clone()),
        SourceCredentials::StoredKey { profile } => match vault.key(profile)? {
            Some(k) => Ok(k.key),
            None => Err(CredentialsError::NoStoredKey {
                profile: profile.clone(),
                backend: vault.store().kind().to_string(),
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

/// The cached session under `key` while it has more than the hand-out margin left.
fn cached(vault: &Vault, key: &CacheKey, now: OffsetDateTime, margin: Duration) -> Option<Session> {
    let name = ItemName::new(ItemKind::Session, &key.0);
    match vault.read::<StoredSession>(&name) {
        Ok(Some(s)) if is_fresh(&s.session, now, margin) => Some(s.session),
        Ok(_) => None,
        Err(e) => {
            crate::debug!("ignoring cached session {}: {e}", name.account());
            None
        }
    }
}

/// Runs plans: reads the keystore on the blocking pool ([`KeystoreAccess`]) and calls STS,
/// CloudSSO and OAuth over one shared connection pool ([`HttpPool`]), so that the hops of a
/// chain, and the agent's refreshes, reuse connections. Async: the agent awaits it on its
/// runtime; a CLI command on the runtime of [`crate::runtime::for_command`].
#[derive(Clone)]
pub struct Resolver {
    keystore: KeystoreAccess,
    pool: HttpPool,
    margin: Duration,
}

impl Resolver {
    pub fn new(keystore: KeystoreAccess, pool: HttpPool, margin: Duration) -> Resolver {
        Resolver {
            keystore,
            pool,
            margin,
        }
    }

    /// A command's one resolution: the keystore cache first ([`from_cache`]); only when
    /// something has to be minted, a runtime ([`crate::runtime::for_command`]) and a
    /// connection pool for the calls of this one plan.
    pub fn once(
        vault: Vault,
        plan: &Plan,
        no_session: bool,
        margin: Duration,
    ) -> Result<Issued, CredentialsError> {
        if let Some(issued) = from_cache(&vault, plan, no_session, margin)? {
            return Ok(issued);
        }
        let resolver = Resolver::new(
            KeystoreAccess::new(std::sync::Arc::new(vault)),
            HttpPool::new()?,
            margin,
        );
        crate::runtime::block_on(resolver.resolve(plan, no_session))
            .map_err(|e| CredentialsError::Runtime(e.to_string()))?
    }

    /// The keystore the resolver reads and writes.
    pub fn keystore(&self) -> &KeystoreAccess {
        &self.keystore
    }

    /// The credentials of a plan: the long-term key for a plan without hops (or with
    /// `no_session`), else a session with more than the refresh margin left.
    pub async fn resolve(&self, plan: &Plan, no_session: bool) -> Result<Issued, CredentialsError> {
        refuse_no_session_with_role(plan, no_session)?;
        if plan.is_long_term() {
            let source = plan.source.clone();
            let key = self.keystore.run(move |v| source_key(v, &source)).await??;
            return Ok(Issued::LongTerm(key));
        }
        self.session(plan).await.map(Issued::Session)
    }

    /// The session at the end of a plan with hops.
    pub async fn session(&self, plan: &Plan) -> Result<Session, CredentialsError> {
        let now = OffsetDateTime::now_utc();
        // A CloudSSO or OIDC profile without hops of its own: its session is the source's.
        if plan.hops.is_empty() {
            return match self.source_credentials(&plan.source, now).await? {
                Issued::Session(s) => Ok(s),
                Issued::LongTerm(_) => Err(CredentialsError::NoSession {
                    profile: plan.profile.clone(),
                }),
            };
        }
        let keys = plan.hop_keys();
        // The highest hop with a fresh cached session is where minting resumes: one keystore
        // call reads down the chain.
        let margin = self.margin;
        let lookup = keys.clone();
        let found = self
            .keystore
            .run(move |v| {
                lookup
                    .iter()
                    .enumerate()
                    .rev()
                    .find_map(|(i, key)| cached(v, key, now, margin).map(|s| (i, s)))
            })
            .await?;
        let (start, caller) = match found {
            Some((i, s)) => {
                crate::debug!(
                    "profile {}: cached session has {}s left",
                    plan.hops[i].profile,
                    s.seconds_left(now)
                );
                if i + 1 == plan.hops.len() {
                    return Ok(s);
                }
                (i + 1, Issued::Session(s))
            }
            None => (0, self.source_credentials(&plan.source, now).await?),
        };
        let mut caller = caller;
        let mut last = None;
        for (hop, key) in plan.hops.iter().zip(&keys).skip(start) {
            let session = self.assume(hop, &caller).await?;
            self.store(key, &hop.profile, &session).await;
            caller = Issued::Session(session.clone());
            last = Some(session);
        }
        Ok(last.expect("a plan with hops mints at least one session"))
    }

    /// The credentials a plan's first hop is signed with: the long-term key, or for a CloudSSO,
    /// OAuth or OIDC source its STS session (cached, or minted now).
    pub async fn source_credentials(
        &self,
        source: &SourceCredentials,
        now: OffsetDateTime,
    ) -> Result<Issued, CredentialsError> {
        let key = CacheKey::of_source(source, None);
        let minted = match source {
            SourceCredentials::StoredKey { .. } | SourceCredentials::InlineKey { .. } => {
                let source = source.clone();
                let key = self.keystore.run(move |v| source_key(v, &source)).await??;
                return Ok(Issued::LongTerm(key));
            }
            _ => {
                if let Some(s) = self.cached(&key, now).await {
                    crate::debug!(
                        "profile {}: cached session of its source has {}s left",
                        source.profile(),
                        s.seconds_left(now)
                    );
                    return Ok(Issued::Session(s));
                }
                self.mint_source(source, now).await?
            }
        };
        let profile = source.profile();
        let session = check_minted(profile, minted, self.margin)?;
        self.store(&key, profile, &session).await;
        Ok(Issued::Session(session))
    }

    /// A new session from a CloudSSO, OAuth or OIDC source.
    async fn mint_source(
        &self,
        source: &SourceCredentials,
        now: OffsetDateTime,
    ) -> Result<Session, CredentialsError> {
        match source {
            SourceCredentials::Sso {
                profile,
                settings,
                endpoint,
            } => {
                let url = settings.sign_in_url.clone();
                let token = self
                    .keystore
                    .run(move |v| super::sso::usable_token(v, &url, now))
                    .await??;
                let used = token.as_ref().map(|t| t.access_token.clone());
                let minted = super::sso::mint_session(
                    &self.pool,
                    profile,
                    settings,
                    endpoint.as_deref(),
                    token,
                )
                .await;
                if let (Err(CredentialsError::SsoLoginNeeded { .. }), Some(used)) = (&minted, used)
                {
                    // CloudSSO refused the token: forget it, so that every caller (the agent's
                    // included) sees at once that a login is needed.
                    let url = settings.sign_in_url.clone();
                    self.keystore
                        .run(move |v| super::sso::forget_token(v, &url, &used))
                        .await?;
                }
                minted
            }
            SourceCredentials::OAuth {
                profile,
                settings,
                endpoint,
                ..
            } => {
                super::oauth::OAuthSource {
                    keystore: &self.keystore,
                    pool: &self.pool,
                    profile,
                    settings,
                    endpoint,
                }
                .mint()
                .await
            }
            SourceCredentials::Oidc {
                profile,
                settings,
                role,
            } => self.mint_oidc(profile, settings, role).await,
            SourceCredentials::StoredKey { profile }
            | SourceCredentials::InlineKey { profile, .. } => Err(CredentialsError::NoSession {
                profile: profile.clone(),
            }),
        }
    }

    /// AssumeRoleWithOIDC with the token file as it is now (the platform rotates it).
    async fn mint_oidc(
        &self,
        profile: &str,
        settings: &crate::config::OidcSettings,
        role: &AssumeRoleHop,
    ) -> Result<Session, CredentialsError> {
        let token = super::oidc::read_token(profile, &settings.token_file)?;
        let sts = self.sts(role)?;
        let req = OidcRequest {
            provider_arn: settings.provider_arn.clone(),
            role_arn: role.role_arn.clone(),
            role_session_name: role.session_name.clone(),
            duration_seconds: role.duration.as_secs().min(u32::MAX as u64) as u32,
            policy: role.policy.clone(),
        };
        crate::debug!(
            "profile {profile}: AssumeRoleWithOIDC {} with {} at {}",
            role.role_arn,
            settings.token_file.display(),
            sts.rpc().endpoint()
        );
        sts.assume_role_with_oidc(&req, &token)
            .await
            .map_err(|e| super::oidc::explain(profile, e))
    }

    /// The STS client of a hop (its endpoint, else the region's), over the shared pool.
    fn sts(&self, hop: &AssumeRoleHop) -> Result<StsClient, CredentialsError> {
        let endpoint = hop
            .sts_endpoint
            .clone()
            .unwrap_or_else(|| StsClient::default_endpoint(hop.region.as_deref()));
        Ok(StsClient::on(&self.pool, &endpoint)?)
    }

    async fn assume(
        &self,
        hop: &AssumeRoleHop,
        caller: &Issued,
    ) -> Result<Session, CredentialsError> {
        let sts = self.sts(hop)?;
        let req = AssumeRoleRequest {
            role_arn: hop.role_arn.clone(),
            role_session_name: hop.session_name.clone(),
            duration_seconds: hop.duration.as_secs().min(u32::MAX as u64) as u32,
            policy: hop.policy.clone(),
            external_id: hop.external_id.clone(),
        };
        crate::debug!(
            "profile {}: AssumeRole {} as {} at {}",
            hop.profile,
            hop.role_arn,
            crate::secret::key_id_hint(caller.access_key_id()),
            sts.rpc().endpoint()
        );
        let session = sts.assume_role(caller, &req).await?;
        check_minted(&hop.profile, session, self.margin)
    }

    async fn cached(&self, key: &CacheKey, now: OffsetDateTime) -> Option<Session> {
        let key = key.clone();
        let margin = self.margin;
        self.keystore
            .run(move |v| cached(v, &key, now, margin))
            .await
            .ok()
            .flatten()
    }

    async fn store(&self, key: &CacheKey, profile: &str, session: &Session) {
        let name = ItemName::new(ItemKind::Session, &key.0);
        let doc = StoredSession {
            profile: profile.to_string(),
            session: session.clone(),
        };
        let written = self.keystore.run(move |v| v.write(&name, &doc)).await;
        // A cache that cannot be written costs a later STS call, nothing more.
        match written {
            Ok(Ok(())) => {}
            Ok(Err(e)) => crate::warn!("could not cache the session of {profile}: {e}"),
            Err(e) => crate::warn!("could not cache the session of {profile}: {e}"),
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
