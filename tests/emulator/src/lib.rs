//! An Alibaba Cloud emulator for tests: STS 2015-04-01 (AssumeRole, GetCallerIdentity) behind
//! an RPC gateway that checks signatures, timestamps, nonces and security tokens the way the
//! real service does (docs/protocols.md, What the emulator checks), with fault injection, call counters and a record of
//! the (non-secret) parameters of every request.
//!
//! A crate of the workspace (`alicloud-vault-emulator`, imported as `emulator`), used by the
//! integration tests, the emulator self-tests, the benchmarks and `examples/emulator.rs`.
//! It runs a hyper server on its own thread and tokio runtime, so it works from both sync and
//! async tests, and from a test that drives an external client (Python, the binary).
//!
//! Layout: `signature` (an independent signer), `state` (accounts, users, roles, keys),
//! `rpc` (the gateway and dispatch on Version/Action), `sts` (STS actions), `server` (HTTP and
//! faults). A RAM module plugs into `rpc::dispatch`; path-routed services (CloudSSO, OAuth)
//! into `server::handle`; OSS (`oss`) is routed there by its signature and `x-oss-` headers.

pub mod oauth;
pub mod oss;
pub mod ram;
pub mod rpc;
pub mod server;
pub mod signature;
pub mod signin;
pub mod sso;
pub mod state;
pub mod sts;

pub use state::{Fault, KeyEntry, Principal, RecordedRequest, Role, State, Trusted, User};

use state::{random_from, ALNUM, DIGITS};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// A running emulator. Dropping it stops the server.
pub struct Emulator {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    /// TCP connections accepted so far (a client that reuses connections opens few).
    connections: Arc<AtomicUsize>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Emulator {
    /// Starts on `127.0.0.1` with a free port.
    pub fn start() -> Emulator {
        Emulator::spawn_on("127.0.0.1:0".parse().expect("address"))
            .expect("start the emulator on 127.0.0.1")
    }

    /// Starts on `addr` (e.g. a fixed port for a script that talks to it).
    pub fn spawn_on(addr: SocketAddr) -> std::io::Result<Emulator> {
        let listener = std::net::TcpListener::bind(addr)?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let state = Arc::new(Mutex::new(State::default()));
        let (tx, mut rx) = tokio::sync::oneshot::channel::<()>();
        let server_state = state.clone();
        let connections = Arc::new(AtomicUsize::new(0));
        let accepted_count = connections.clone();
        let thread = std::thread::Builder::new()
            .name(format!("emulator-{}", addr.port()))
            .spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("emulator runtime");
                rt.block_on(async move {
                    let listener =
                        tokio::net::TcpListener::from_std(listener).expect("emulator listener");
                    loop {
                        tokio::select! {
                            _ = &mut rx => break,
                            accepted = listener.accept() => {
                                let Ok((stream, _)) = accepted else { continue };
                                accepted_count.fetch_add(1, Ordering::SeqCst);
                                let st = server_state.clone();
                                tokio::spawn(async move {
                                    let svc = hyper::service::service_fn(move |req| {
                                        server::handle(st.clone(), req)
                                    });
                                    let _ = hyper::server::conn::http1::Builder::new()
                                        .serve_connection(hyper_util::rt::TokioIo::new(stream), svc)
                                        .await;
                                });
                            }
                        }
                    }
                });
            })?;
        Ok(Emulator {
            addr,
            state,
            connections,
            shutdown: Some(tx),
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:<port>` (no trailing slash).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// How many TCP connections the emulator has accepted since it started.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// Direct access to the state, for checks and set-ups the helpers below do not cover.
    pub fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap()
    }

    /// Creates a RAM user (and its account) with one active long-term key;
    /// returns `(access_key_id, secret)`.
    pub fn add_user(&self, account_id: &str, user_name: &str) -> (String, String) {
        let mut st = self.state();
        let user = st
            .users
            .entry((account_id.to_string(), user_name.to_string()))
            .or_insert_with(|| User {
                account_id: account_id.to_string(),
                name: user_name.to_string(),
                user_id: random_from(DIGITS, 16),
            })
            .clone();
        let (id, secret) = st.mint_user_key(&user);
        (id, secret)
    }

    /// Enables or disables a long-term key (`InvalidAccessKeyId.Inactive` when disabled).
    pub fn set_key_active(&self, access_key_id: &str, active: bool) {
        if let Some(KeyEntry::LongTerm { active: a, .. }) = self.state().keys.get_mut(access_key_id)
        {
            *a = active;
        }
    }

    /// Creates a role; returns its ARN `acs:ram::<account>:role/<name in lower case>`.
    pub fn add_role(
        &self,
        account_id: &str,
        role_name: &str,
        max_session_duration_s: u32,
        trusted: Vec<Trusted>,
    ) -> String {
        let role = Role {
            account_id: account_id.to_string(),
            name: role_name.to_string(),
            role_id: random_from(DIGITS, 19),
            max_session_duration_s,
            trusted,
            external_id: None,
        };
        let arn = role.arn();
        self.state()
            .roles
            .insert((account_id.to_string(), role_name.to_lowercase()), role);
        arn
    }

    /// Makes the role's trust policy require this ExternalId (`None`: no condition).
    pub fn set_role_external_id(&self, role_arn: &str, external_id: Option<&str>) {
        let mut st = self.state();
        let key = st
            .role_by_arn(role_arn)
            .map(|r| (r.account_id.clone(), r.name.to_lowercase()))
            .expect("role exists");
        st.roles.get_mut(&key).unwrap().external_id = external_id.map(str::to_string);
    }

    /// Overrides the lifetime of issued STS credentials (`None`: DurationSeconds).
    pub fn set_session_lifetime(&self, lifetime: Option<Duration>) {
        self.state().session_lifetime = lifetime;
    }

    /// Makes issued STS sessions expire this many seconds after they are issued, whatever the
    /// request asked for; zero or negative issues sessions that are expired already.
    pub fn set_session_expires_in(&self, seconds: Option<i64>) {
        self.state().session_expires_in_s = seconds;
    }

    /// Registers an OIDC provider of `account_id`; returns its ARN. Trust it in a role with
    /// `Trusted::OidcProvider(arn)`.
    pub fn add_oidc_provider(&self, account_id: &str, name: &str) -> String {
        format!("acs:ram::{account_id}:oidc-provider/{name}")
    }

    /// Issues an OIDC token of `provider_arn` for `subject`, valid for `lifetime_s` seconds
    /// (zero or less: expired already). Returns its text, shaped like a JWT.
    pub fn issue_oidc_token(&self, provider_arn: &str, subject: &str, lifetime_s: i64) -> String {
        let token = format!(
            "eyJhbGciOiJSUzI1NiJ9.{}.{}",
            random_from(ALNUM, 120),
            random_from(ALNUM, 80)
        );
        let mut st = self.state();
        let expires_at = st.now() + time::Duration::seconds(lifetime_s);
        st.oidc_tokens.insert(
            token.clone(),
            state::OidcToken {
                provider_arn: provider_arn.to_string(),
                subject: subject.to_string(),
                expires_at,
            },
        );
        token
    }

    /// The OIDC tokens AssumeRoleWithOIDC was called with, in order.
    pub fn oidc_tokens_presented(&self) -> Vec<String> {
        self.state().oidc_tokens_presented.clone()
    }

    /// Moves the emulator's clock (seconds; negative = behind real time).
    pub fn set_clock_skew(&self, seconds: i64) {
        self.state().clock_skew_s = seconds;
    }

    /// Applies `fault` to each of the next `count` requests.
    pub fn inject(&self, fault: Fault, count: usize) {
        let mut st = self.state();
        for _ in 0..count {
            st.faults.push_back(fault.clone());
        }
    }

    /// Fails about `rate` of the requests (those with no queued fault), with `faults` in turn.
    pub fn set_fault_rate(&self, rate: f64, faults: Vec<Fault>) {
        self.state().random_faults = Some((rate, faults));
    }

    /// Requests received with this `Action` (faulted ones included).
    pub fn calls(&self, action: &str) -> usize {
        self.state().calls.get(action).copied().unwrap_or(0)
    }

    /// Every request received so far, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state().requests.clone()
    }

    /// Whether `access_key_id` was issued by this emulator's AssumeRole.
    pub fn issued_sts_key(&self, access_key_id: &str) -> bool {
        matches!(
            self.state().keys.get(access_key_id),
            Some(KeyEntry::Sts { .. })
        )
    }

    /// Whether these are exactly the AccessKeyId, secret and SecurityToken of one session
    /// this emulator's AssumeRole issued.
    pub fn is_minted_session(&self, access_key_id: &str, secret: &str, token: &str) -> bool {
        matches!(
            self.state().keys.get(access_key_id),
            Some(KeyEntry::Sts { secret: s, token: t, .. }) if s == secret && t == token
        )
    }

    /// The STS AccessKeyIds issued so far.
    pub fn issued_sts_keys(&self) -> Vec<String> {
        let st = self.state();
        let mut ids: Vec<String> = st
            .keys
            .iter()
            .filter(|(_, e)| matches!(e, KeyEntry::Sts { .. }))
            .map(|(k, _)| k.clone())
            .collect();
        ids.sort();
        ids
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// RAM AccessKeys and console sign-in.
impl Emulator {
    /// A user's AccessKeys, oldest first: `(id, active)`.
    pub fn user_keys(&self, account_id: &str, user_name: &str) -> Vec<(String, bool)> {
        ram::keys_of(&self.state(), account_id, user_name)
    }

    /// Keys made by CreateAccessKey from now on authenticate only after `delay`
    /// (before that they are `InvalidAccessKeyId.NotFound`).
    pub fn set_new_key_delay(&self, delay: Duration) {
        self.state().ram.new_key_delay = delay;
    }

    /// The next `count` calls of RAM `action` fail with HTTP `status` and `code`.
    pub fn ram_fail_next(&self, action: &str, count: usize, status: u16, code: &str) {
        let mut st = self.state();
        let queue = st.ram.fail_next.entry(action.to_string()).or_default();
        for _ in 0..count {
            queue.push_back(rpc::ErrorReply::new(
                status,
                code,
                format!("injected {code} failure"),
            ));
        }
    }

    /// SigninTokens issued by GetSigninToken, oldest first.
    pub fn signin_tokens_issued(&self) -> Vec<String> {
        self.state().signin.issued.clone()
    }

    /// The Destinations of successful Login redemptions, oldest first.
    pub fn signin_redeemed(&self) -> Vec<String> {
        self.state().signin.redeemed.clone()
    }
}

/// OSS: buckets for ListObjects and the record of what reached OSS.
impl Emulator {
    /// Creates (or replaces) a bucket holding these object keys.
    pub fn add_bucket(&self, name: &str, objects: &[&str]) {
        self.state().oss.buckets.insert(
            name.to_string(),
            objects.iter().map(|o| o.to_string()).collect(),
        );
    }

    /// Every OSS request received so far, oldest first.
    pub fn oss_requests(&self) -> Vec<oss::OssRequest> {
        self.state().oss.requests.clone()
    }
}
