//! The agent's memory: one entry per session cache key, each with the session being served
//! (and its credentials JSON, built once per session), a single-flight lock, and a backoff
//! after remote errors. Sessions are minted by one [`Resolver`] on the agent's runtime, over
//! one connection pool; keystore calls run on the blocking pool.

use super::notify::{self, Notices};
use super::protocol::ErrorKind;
use crate::config::{Config, ConfigError, ConfigFiles, ProfileName, SessionDuration};
use crate::credentials::error::LoginNeeded;
use crate::credentials::forget::{self, Selector};
use crate::credentials::plan::{Plan, PlanOptions};
use crate::credentials::resolve::{hand_out_margin, CredentialsError, Resolver};
use crate::keystore::access::{JobLost, KeystoreAccess};
use crate::session::{format_alibaba_time, Issued, Session};
use hyper::body::Bytes;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use zeroize::Zeroize;

pub use crate::credentials::resolve::MIN_SECONDS_LEFT;
/// A profile counts as "in use" (and is refreshed ahead of expiry) this long after its last request.
pub const IN_USE_SECONDS: i64 = 15 * 60;
/// Entries unused this long (and not pinned by a URI or the metadata endpoint) are forgotten.
pub const FORGET_AFTER_SECONDS: i64 = 60 * 60;
/// The longest wait between two STS attempts after remote errors.
pub const MAX_BACKOFF_SECONDS: i64 = 60;

/// Why the agent could not produce credentials. Clonable, because every caller waiting on one
/// single-flight STS call gets the same answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Failure {
    pub kind: ErrorKind,
    pub message: String,
    /// The login that would fix it, when one would (desktop notices say so).
    pub login: Option<LoginNeeded>,
}

impl Failure {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Failure {
        Failure {
            kind,
            message: message.into(),
            login: None,
        }
    }
}

impl From<CredentialsError> for Failure {
    fn from(e: CredentialsError) -> Failure {
        let kind = e.kind();
        // The alternate form keeps the whole cause chain in one line.
        Failure {
            login: e.login_needed(),
            ..Failure::new(kind, format!("{e:#}"))
        }
    }
}

impl From<ConfigError> for Failure {
    fn from(e: ConfigError) -> Failure {
        Failure::new(ErrorKind::Config, e.to_string())
    }
}

/// Seconds since the Unix epoch.
pub fn unix_now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

impl From<JobLost> for Failure {
    fn from(e: JobLost) -> Failure {
        Failure::new(ErrorKind::Internal, e.to_string())
    }
}

/// Bytes that are wiped when the last response that uses them is gone, and kept out of swap
/// meanwhile.
struct WipedBytes {
    bytes: Vec<u8>,
    _locked: Option<crate::secret::LockedPages>,
}

impl AsRef<[u8]> for WipedBytes {
    fn as_ref(&self) -> &[u8] {
        &self.bytes
    }
}

impl Drop for WipedBytes {
    fn drop(&mut self) {
        self.bytes.zeroize();
    }
}

/// A session as served: the session, its endpoint JSON and when it stops being fresh.
pub struct Served {
    pub session: Session,
    /// The credentials URI / metadata JSON of this session, built once.
    pub json: Bytes,
    /// Unix time from which the session has no more than the refresh margin left.
    pub fresh_until: i64,
    /// Unix time of expiry.
    pub expires: i64,
    /// Tells sessions apart cheaply (1, 2, ... in the order they were minted).
    pub serial: u64,
}

impl Served {
    pub fn new(session: Session, margin: Duration) -> Served {
        let margin = hand_out_margin(&session, margin);
        let expires = session.expiration.unix_timestamp();
        let json = session.endpoint_json();
        let locked = crate::secret::LockedPages::lock(json.as_ptr(), json.capacity());
        Served {
            json: Bytes::from_owner(WipedBytes {
                bytes: json,
                _locked: locked,
            }),
            fresh_until: expires - margin,
            expires,
            serial: {
                static SERIAL: AtomicU64 = AtomicU64::new(1);
                SERIAL.fetch_add(1, Ordering::Relaxed)
            },
            session,
        }
    }
}

#[derive(Default)]
struct Backoff {
    failures: u32,
    retry_at: i64,
    last: Option<Failure>,
}

/// How much time a caller needs on the session it gets.
#[derive(Clone, Copy)]
enum Need {
    /// More than the refresh margin.
    Fresh,
    /// More than the refresh margin, or while STS fails, more than [`MIN_SECONDS_LEFT`].
    Usable,
}

/// One cached session (one cache key: profile, role, policy, duration, source...).
pub struct Entry {
    pub profile: String,
    pub key: String,
    plan: Mutex<Plan>,
    served: RwLock<Option<Arc<Served>>>,
    /// Held while minting: the single flight.
    flight: tokio::sync::Mutex<Backoff>,
    last_used: AtomicI64,
    /// URIs and the metadata endpoint that rely on this entry.
    pins: AtomicUsize,
}

impl Entry {
    pub fn served(&self) -> Option<Arc<Served>> {
        self.served.read().expect("lock").clone()
    }

    pub fn pin(&self) {
        self.pins.fetch_add(1, Ordering::Relaxed);
    }

    pub fn unpin(&self) {
        self.pins.fetch_sub(1, Ordering::Relaxed);
    }

    /// Why the last refresh failed (a served session past its margin means one did).
    fn last_failure(&self) -> Failure {
        self.flight
            .try_lock()
            .ok()
            .and_then(|f| f.last.clone())
            .unwrap_or_else(|| Failure::new(ErrorKind::Remote, "STS is failing"))
    }

    fn in_use(&self, now: i64) -> bool {
        self.pins.load(Ordering::Relaxed) > 0
            || now - self.last_used.load(Ordering::Relaxed) < IN_USE_SECONDS
    }
}

/// Every session the agent holds: one [`Entry`] per session cache key, and the resolver that
/// mints and stores them.
pub struct SessionTable {
    resolver: Resolver,
    keystore: KeystoreAccess,
    margin: Duration,
    notices: Arc<Notices>,
    entries: Mutex<HashMap<String, Arc<Entry>>>,
}

impl SessionTable {
    pub fn new(resolver: Resolver, margin: Duration, notices: Notices) -> SessionTable {
        SessionTable {
            keystore: resolver.keystore().clone(),
            resolver,
            margin,
            notices: Arc::new(notices),
            entries: Mutex::new(HashMap::new()),
        }
    }

    pub fn keystore(&self) -> &KeystoreAccess {
        &self.keystore
    }

    /// The entry of a plan with hops, created on first use. The latest plan is kept for refreshes.
    pub fn entry_for(&self, plan: &Plan) -> Arc<Entry> {
        let key = plan.session_key().0;
        let mut entries = self.entries.lock().expect("lock");
        let entry = entries
            .entry(key.clone())
            .or_insert_with(|| {
                Arc::new(Entry {
                    profile: plan.profile.clone(),
                    key,
                    plan: Mutex::new(plan.clone()),
                    served: RwLock::new(None),
                    flight: tokio::sync::Mutex::new(Backoff::default()),
                    last_used: AtomicI64::new(unix_now()),
                    pins: AtomicUsize::new(0),
                })
            })
            .clone();
        *entry.plan.lock().expect("lock") = plan.clone();
        entry
    }

    /// A session of the entry for the HTTP endpoints: one with more than the refresh margin
    /// left (the one in memory, the one in the keystore cache, or a new one: one STS call
    /// however many callers wait). While STS fails, the current session is still served while
    /// it has more than [`MIN_SECONDS_LEFT`] left: the SDKs behind the endpoints ask again as
    /// soon as they find it stale, and an expired session is never served.
    pub async fn get(&self, entry: &Arc<Entry>) -> Result<Arc<Served>, Failure> {
        self.get_with(entry, Need::Usable).await
    }

    /// A session of the entry with more than the refresh margin left, or the error that stops
    /// a new one: for `exec` and `export`, whose programs run on with what they were given.
    pub async fn get_fresh(&self, entry: &Arc<Entry>) -> Result<Arc<Served>, Failure> {
        self.get_with(entry, Need::Fresh).await
    }

    async fn get_with(&self, entry: &Arc<Entry>, need: Need) -> Result<Arc<Served>, Failure> {
        let now = unix_now();
        entry.last_used.store(now, Ordering::Relaxed);
        if let Some(s) = entry.served() {
            if now < s.fresh_until {
                return Ok(s);
            }
        }
        // The endpoints' clients (and whoever started them) are not at a terminal that shows
        // the error: they need a desktop notice. `exec`/`export` print it instead.
        let notify = matches!(need, Need::Usable);
        let current = self.refresh(entry, notify).await;
        match (need, current) {
            (Need::Fresh, Ok(s)) if unix_now() >= s.fresh_until => Err(entry.last_failure()),
            (_, current) => current,
        }
    }

    /// Mints a new session for the entry, unless one is fresh or the backoff says wait.
    /// `notify`: tell the user on the desktop when only they can fix what failed.
    async fn refresh(&self, entry: &Arc<Entry>, notify: bool) -> Result<Arc<Served>, Failure> {
        let mut flight = entry.flight.lock().await;
        let now = unix_now();
        let current = entry.served();
        if let Some(s) = &current {
            if now < s.fresh_until {
                return Ok(s.clone()); // someone else refreshed while we waited
            }
        }
        if now < flight.retry_at {
            let err = flight
                .last
                .clone()
                .unwrap_or_else(|| Failure::new(ErrorKind::Remote, "STS is failing"));
            return still_valid(current, now).ok_or(err);
        }
        let plan = entry.plan.lock().expect("lock").clone();
        let minted = self.resolver.session(&plan).await;
        if notify && self.notices.enabled() {
            let margin = self.margin;
            let session = minted.as_ref().ok().cloned();
            let due = self
                .keystore
                .run(move |vault| notify::after_mint(vault, &plan, session.as_ref(), margin))
                .await;
            due.unwrap_or_default()
                .into_iter()
                .for_each(|n| self.notices.show(n));
        }
        let minted = minted.map_err(Failure::from);
        match minted {
            Ok(session) => {
                crate::debug!(
                    "profile {}: new session {} until {}",
                    entry.profile,
                    crate::secret::key_id_hint(&session.access_key_id),
                    format_alibaba_time(session.expiration)
                );
                let served = Arc::new(Served::new(session, self.margin));
                *entry.served.write().expect("lock") = Some(served.clone());
                *flight = Backoff::default();
                Ok(served)
            }
            Err(failure) => {
                if failure.kind == ErrorKind::Remote {
                    flight.failures += 1;
                    let base = 1i64 << flight.failures.min(6).saturating_sub(1);
                    let jitter = rand::random_range(0..=base / 2);
                    flight.retry_at = now + (base + jitter).min(MAX_BACKOFF_SECONDS);
                }
                flight.last = Some(failure.clone());
                if notify {
                    if let Some(n) =
                        notify::after_failure(&entry.profile, &failure, flight.failures)
                    {
                        self.notices.show(n);
                    }
                }
                crate::agent_log!("profile {}: {}", entry.profile, failure.message);
                still_valid(current, now).ok_or(failure)
            }
        }
    }

    /// Refreshes, in the background, the sessions in use that are no longer fresh, and forgets
    /// entries nobody used for a long time (their secrets are wiped on drop).
    pub fn tick(self: &Arc<Self>) {
        let now = unix_now();
        let mut due = Vec::new();
        {
            let mut entries = self.entries.lock().expect("lock");
            entries.retain(|_, e| {
                e.pins.load(Ordering::Relaxed) > 0
                    || now - e.last_used.load(Ordering::Relaxed) < FORGET_AFTER_SECONDS
            });
            for e in entries.values() {
                if e.in_use(now) && e.served().is_some_and(|s| now >= s.fresh_until) {
                    due.push(e.clone());
                }
            }
        }
        for e in due {
            let this = self.clone();
            tokio::spawn(async move {
                // try_lock: if a request is minting already, it does the work.
                if e.flight.try_lock().is_ok_and(|f| unix_now() >= f.retry_at) {
                    let _ = this.refresh(&e, true).await;
                }
            });
        }
    }

    /// Drops the sessions of every entry `selector` matches, waiting for a mint in flight on
    /// each (so that none lands after this returns); entries stay, so URIs and the metadata
    /// endpoint mint anew from the source as it is now. Returns the cache keys dropped.
    pub async fn forget(&self, config: Option<&Config>, selector: &Selector) -> Vec<String> {
        let mut matching: Vec<Arc<Entry>> = self
            .entries
            .lock()
            .expect("lock")
            .values()
            .filter(|e| selector.matches(config, &e.profile))
            .cloned()
            .collect();
        // One order for everyone that takes several flight locks.
        matching.sort_by(|a, b| a.key.cmp(&b.key));
        let mut dropped = Vec::new();
        for e in matching {
            let mut flight = e.flight.lock().await;
            if e.served.write().expect("lock").take().is_some() {
                dropped.push(e.key.clone());
            }
            *flight = Backoff::default();
        }
        dropped
    }

    /// Unix time of the last request for any session, and whether a URI or the metadata
    /// endpoint relies on one (then the agent is never idle).
    pub fn last_activity(&self) -> (i64, bool) {
        let entries = self.entries.lock().expect("lock");
        let last = entries
            .values()
            .map(|e| e.last_used.load(Ordering::Relaxed))
            .max()
            .unwrap_or(0);
        let pinned = entries.values().any(|e| e.pins.load(Ordering::Relaxed) > 0);
        (last, pinned)
    }

    /// What `agent status` lists.
    pub fn status(&self) -> Vec<super::protocol::SessionStatus> {
        let now = unix_now();
        let entries = self.entries.lock().expect("lock");
        let mut out: Vec<_> = entries
            .values()
            .filter_map(|e| {
                let s = e.served()?;
                Some(super::protocol::SessionStatus {
                    profile: e.profile.clone(),
                    access_key_id_hint: crate::secret::key_id_hint(&s.session.access_key_id),
                    expiration: format_alibaba_time(s.session.expiration),
                    seconds_left: s.expires - now,
                })
            })
            .collect();
        out.sort_by(|a, b| a.profile.cmp(&b.profile));
        out
    }
}

fn still_valid(current: Option<Arc<Served>>, now: i64) -> Option<Arc<Served>> {
    current.filter(|s| s.expires - now > MIN_SECONDS_LEFT)
}

/// The configuration the agent serves, read again on each request so that edits apply at
/// once. The files are read every time; they are parsed again only when their text changed
/// (a digest of what was read against that of the last parse), so that a request does not
/// pay for TOML it has seen before. Clones share what was parsed.
#[derive(Debug, Clone)]
pub struct ConfigSource {
    path: PathBuf,
    last: Arc<Mutex<Option<Parsed>>>,
}

/// The configuration parsed last, under the digest of the files it was parsed from.
#[derive(Debug)]
struct Parsed {
    digest: [u8; 32],
    config: Arc<Config>,
}

impl ConfigSource {
    pub fn new(path: PathBuf) -> ConfigSource {
        ConfigSource {
            path,
            last: Arc::default(),
        }
    }

    pub fn load(&self) -> Result<Arc<Config>, ConfigError> {
        let files = ConfigFiles::read(Some(&self.path))?;
        let digest = files.digest();
        if let Some(last) = &*self.last.lock().expect("lock") {
            if last.digest == digest {
                return Ok(last.config.clone());
            }
        }
        // A file that does not parse is reported on every request, and keeps nothing.
        let config = Arc::new(files.parse()?);
        *self.last.lock().expect("lock") = Some(Parsed {
            digest,
            config: config.clone(),
        });
        Ok(config)
    }
}

/// A URI handed out by `exec --server` or to an open shell.
pub struct UriGrant {
    pub entry: Arc<Entry>,
    /// The `exec` process that asked for it.
    pub owner_pid: Option<u32>,
    pub reach: Reach,
}

/// Who a URI is for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reach {
    /// Served on the container listener only (else on the loopback one only).
    pub container: bool,
    /// An open shell's: it lives until that shell exits, and `clear` revokes it.
    pub shell: bool,
}

/// What the metadata endpoint serves.
pub struct MetadataTarget {
    pub profile: String,
    pub role_name: String,
    pub region: Option<String>,
    pub entry: Arc<Entry>,
}

/// The parameters of a credentials request, checked where they came in.
#[derive(Debug, Clone)]
pub struct Wanted {
    pub profile: ProfileName,
    pub duration: Option<SessionDuration>,
}

/// Builds the plan of a profile that must end in an STS session (URI and metadata endpoints:
/// a long-term key never sits behind an HTTP endpoint, docs/security.md).
pub fn session_plan(config: &Config, wanted: &Wanted) -> Result<Plan, Failure> {
    let plan = Plan::build(
        config,
        wanted.profile.as_str(),
        &PlanOptions {
            duration: wanted.duration.map(SessionDuration::get),
        },
    )?;
    if plan.is_long_term() {
        return Err(Failure::new(
            ErrorKind::Config,
            format!(
                "profile {} has no role_arn, so it has no STS session; a credentials endpoint never serves a long-term key. Give the profile a role_arn, or use plain `exec`",
                wanted.profile
            ),
        ));
    }
    Ok(plan)
}

/// Everything the control socket and both HTTP servers share.
pub struct AgentState {
    pub sessions: Arc<SessionTable>,
    pub config: ConfigSource,
    pub tokens: RwLock<HashMap<String, UriGrant>>,
    pub metadata: RwLock<Option<Arc<MetadataTarget>>>,
    pub audit: Option<Arc<super::audit::AuditLog>>,
    pub margin: Duration,
}

impl AgentState {
    pub fn new(
        resolver: Resolver,
        config: ConfigSource,
        margin: Duration,
        audit: Option<super::audit::AuditLog>,
    ) -> AgentState {
        AgentState {
            sessions: Arc::new(SessionTable::new(
                resolver,
                margin,
                Notices::new(config.clone()),
            )),
            config,
            tokens: RwLock::new(HashMap::new()),
            metadata: RwLock::new(None),
            audit: audit.map(Arc::new),
            margin,
        }
    }

    /// Credentials for `exec`/`export`: a session from memory, or the long-term key read from
    /// the keystore for this one use.
    pub async fn credentials(
        &self,
        wanted: &Wanted,
        no_session: bool,
    ) -> Result<(Issued, Option<String>), Failure> {
        let config = self.config.load()?;
        let plan = Plan::build(
            &config,
            wanted.profile.as_str(),
            &PlanOptions {
                duration: wanted.duration.map(SessionDuration::get),
            },
        )?;
        let region = plan.region.clone();
        if plan.is_long_term() || no_session {
            let issued = self.sessions.resolver.resolve(&plan, no_session).await?;
            return Ok((issued, region));
        }
        let entry = self.sessions.entry_for(&plan);
        let served = self.sessions.get_fresh(&entry).await?;
        Ok((Issued::Session(served.session.clone()), region))
    }

    /// `Forget`: the sessions in memory first (waiting for any mint in flight), then the
    /// keystore cache, so that neither serves them again. Returns how many distinct cached
    /// sessions were dropped.
    pub async fn forget(&self, selector: Selector) -> Result<usize, Failure> {
        let config = self.config.load().ok();
        let mut dropped = self.sessions.forget(config.as_deref(), &selector).await;
        let stored = self
            .sessions
            .keystore()
            .run(move |vault| forget::drop_cached(vault, config.as_deref(), &selector))
            .await?
            .map_err(|e| Failure::new(ErrorKind::Keystore, e.to_string()))?;
        dropped.extend(stored);
        dropped.sort();
        dropped.dedup();
        Ok(dropped.len())
    }

    /// Registers a new credentials URI token for a profile; the session is minted first, so
    /// that errors surface before the child starts.
    pub async fn grant_uri(
        &self,
        wanted: &Wanted,
        owner_pid: Option<u32>,
    ) -> Result<(String, Arc<Served>), Failure> {
        self.grant_uri_for(wanted, owner_pid, Reach::default())
            .await
    }

    /// [`AgentState::grant_uri`] for a container or an open shell.
    pub async fn grant_uri_for(
        &self,
        wanted: &Wanted,
        owner_pid: Option<u32>,
        reach: Reach,
    ) -> Result<(String, Arc<Served>), Failure> {
        let config = self.config.load()?;
        let plan = session_plan(&config, wanted)?;
        let entry = self.sessions.entry_for(&plan);
        let served = self.sessions.get(&entry).await?;
        let token = new_token();
        entry.pin();
        self.tokens.write().expect("lock").insert(
            token.clone(),
            UriGrant {
                entry,
                owner_pid,
                reach,
            },
        );
        Ok((token, served))
    }

    /// Revokes a token; false when it was not there.
    pub fn revoke_uri(&self, token: &str) -> bool {
        match self.tokens.write().expect("lock").remove(token) {
            Some(grant) => {
                grant.entry.unpin();
                true
            }
            None => false,
        }
    }

    /// `clear`: revokes the open shells' URIs whose profile `selector` names. Returns how
    /// many.
    pub fn revoke_shell_uris(&self, selector: &Selector) -> usize {
        let config = self.config.load().ok();
        let mut tokens = self.tokens.write().expect("lock");
        let before = tokens.len();
        tokens.retain(|_, g| {
            let keep = !(g.reach.shell && selector.matches(config.as_deref(), &g.entry.profile));
            if !keep {
                g.entry.unpin();
            }
            keep
        });
        before - tokens.len()
    }

    /// The entry behind a URI token, for the loopback listener (`container` false) or the
    /// container listener: each serves only its own URIs.
    pub fn uri_entry(&self, token: &str, container: bool) -> Option<Arc<Entry>> {
        self.tokens
            .read()
            .expect("lock")
            .get(token)
            .filter(|g| g.reach.container == container)
            .map(|g| g.entry.clone())
    }

    /// Makes the metadata endpoint serve `profile` (under `role_name`, default: the profile's name).
    pub async fn use_for_metadata(
        &self,
        profile: &str,
        role_name: Option<&str>,
    ) -> Result<Arc<MetadataTarget>, Failure> {
        let target = self.metadata_target_for(profile, role_name)?;
        // Mint now: a wrong profile should fail here, not in the first client.
        self.sessions.get(&target.entry).await?;
        self.serve_on_metadata(target.clone());
        Ok(target)
    }

    /// `[metadata] profile` at agent start: served even when its first session cannot be
    /// minted yet (STS down, keystore locked), so that the endpoint recovers by itself on the
    /// next request once the cause is gone. Returns the target and why its warm-up failed.
    pub async fn serve_metadata_profile(
        &self,
        profile: &str,
        role_name: Option<&str>,
    ) -> Result<(Arc<MetadataTarget>, Option<Failure>), Failure> {
        let target = self.metadata_target_for(profile, role_name)?;
        self.serve_on_metadata(target.clone());
        let warm = self.sessions.get(&target.entry).await.err();
        Ok((target, warm))
    }

    /// The metadata target for `profile`: fails only on configuration errors.
    fn metadata_target_for(
        &self,
        profile: &str,
        role_name: Option<&str>,
    ) -> Result<Arc<MetadataTarget>, Failure> {
        let config = self.config.load()?;
        let wanted = Wanted {
            profile: ProfileName::new(profile)?,
            duration: None,
        };
        let plan = session_plan(&config, &wanted)?;
        let entry = self.sessions.entry_for(&plan);
        Ok(Arc::new(MetadataTarget {
            profile: profile.to_string(),
            role_name: role_name.unwrap_or(profile).to_string(),
            region: plan.region.clone(),
            entry,
        }))
    }

    fn serve_on_metadata(&self, target: Arc<MetadataTarget>) {
        target.entry.pin();
        if let Some(old) = self.metadata.write().expect("lock").replace(target) {
            old.entry.unpin();
        }
    }

    pub fn metadata_target(&self) -> Option<Arc<MetadataTarget>> {
        self.metadata.read().expect("lock").clone()
    }
}

/// A random 256-bit token, hex.
pub fn new_token() -> String {
    let bytes: [u8; 32] = rand::random();
    hex::encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;

    fn session(lifetime: i64) -> Session {
        let now = time::OffsetDateTime::now_utc();
        Session {
            access_key_id: "STS.abc".into(),
            access_key_secret: Secret::new("s3cr3t"),
            security_token: Secret::new("t0k3n"),
            expiration: now + time::Duration::seconds(lifetime),
            issued_at: now,
        }
    }

    #[test]
    fn served_json_has_every_field_the_sdks_require() {
        let s = Served::new(session(3600), Duration::from_secs(900));
        let v: serde_json::Value = serde_json::from_slice(&s.json).unwrap();
        assert_eq!(v["Code"], "Success");
        assert_eq!(v["AccessKeyId"], "STS.abc");
        assert_eq!(v["AccessKeySecret"], "s3cr3t");
        assert_eq!(v["SecurityToken"], "t0k3n");
        assert_eq!(s.expires - s.fresh_until, 900);
    }

    #[test]
    fn an_expiring_session_is_not_served_during_backoff() {
        let s = Arc::new(Served::new(session(3), Duration::from_secs(900)));
        assert!(still_valid(Some(s), unix_now()).is_none());
        let s = Arc::new(Served::new(session(60), Duration::from_secs(900)));
        assert!(still_valid(Some(s), unix_now()).is_some());
    }

    #[test]
    fn tokens_are_256_bit_hex() {
        let t = new_token();
        assert_eq!(t.len(), 64);
        assert!(t.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(t, new_token());
    }
}
