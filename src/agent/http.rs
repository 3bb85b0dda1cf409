//! The two local HTTP endpoints, on one server implementation (hyper, HTTP/1.1, keep-alive):
//!
//! - the credentials URI of `exec --server`: `GET /<token>/credentials`;
//! - the ECS metadata emulation (docs/protocols.md, ECS metadata): role listing, role credentials, the
//!   hardening token (`PUT /latest/api/token`) and `region-id`.
//!
//! Both refuse peers that are not local, sockets of another uid or of no known owner (Linux),
//! a `Host` that is not the server's own address or comes more than once (DNS rebinding), and
//! requests a browser or proxy makes for someone else (`Forwarded`, `Via`, `X-Forwarded-*`,
//! `X-Real-IP` and the like, `Origin`, `Sec-Fetch-*`). Every connection has a header timeout
//! (which also bounds the idle time between keep-alive requests) and an inactivity timeout;
//! lines about refusals are rate-limited ([`super::audit::refused`]). Credentials JSON is built
//! once per session, so a request costs a table lookup and a copy of a reference.

use super::audit::{refused, Channel};
use super::peer;
use super::state::{AgentState, Entry};
use crate::message::AGENT_PREFIX;
use http_body_util::Full;
use hyper::body::Bytes;
use hyper::header::{HeaderValue, CONTENT_TYPE, HOST};
use hyper::{Method, Request, Response, StatusCode};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

/// Which endpoint a server is.
pub enum Endpoint {
    /// `GET /<token>/credentials`.
    CredentialsUri,
    /// The ECS metadata paths; `hardened` requires a token on every GET.
    Metadata { hardened: bool, token_key: [u8; 32] },
}

/// One listening endpoint.
pub struct HttpServer {
    state: Arc<AgentState>,
    endpoint: Endpoint,
    local: SocketAddr,
    /// The `Host` values that name this server.
    hosts: Vec<String>,
    /// The container listener's subnets: peers from them are served without a uid to check
    /// (the URI token is their check). Empty on every other server: local peers only.
    remote: Vec<ipnet::IpNet>,
    #[cfg(target_os = "linux")]
    uid: u32,
}

/// What a connection learned about its client at accept time.
struct Client {
    peer: SocketAddr,
    inode: Option<u64>,
    /// The serial of the session last handed out on this connection (one audit line per
    /// credential; 0: none yet). A number, so that a refresh allocates nothing per connection.
    last_served: AtomicU64,
}

const NOT_FOUND_HTML: &str = "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>\n<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n<html xmlns=\"http://www.w3.org/1999/xhtml\" xml:lang=\"en\" lang=\"en\">\n <head>\n  <title>404 - Not Found</title>\n </head>\n <body>\n  <h1>404 - Not Found</h1>\n </body>\n</html>\n";

/// Open connections of both servers, and their most since the last [`burst_ended`].
static OPEN: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

/// Counts one open connection while it lives.
struct OpenConnection;

impl OpenConnection {
    fn new() -> OpenConnection {
        let open = OPEN.fetch_add(1, Ordering::Relaxed) + 1;
        PEAK.fetch_max(open, Ordering::Relaxed);
        OpenConnection
    }
}

impl Drop for OpenConnection {
    fn drop(&mut self) {
        OPEN.fetch_sub(1, Ordering::Relaxed);
    }
}

/// True once per burst: when at least 32 of the connections open at the peak have closed.
/// Their buffers are free then, and the agent hands the memory back (`trim_heap`).
pub fn burst_ended() -> bool {
    let open = OPEN.load(Ordering::Relaxed);
    let peak = PEAK.load(Ordering::Relaxed);
    peak >= open + 32
        && PEAK
            .compare_exchange(peak, open, Ordering::Relaxed, Ordering::Relaxed)
            .is_ok()
}

/// The longest a client may take to send a request's headers, counted from the moment the
/// server waits for them: from the connection's start, and after each answer on a keep-alive
/// connection, so it is also the longest a connection may idle between requests. Local
/// clients send their headers in one write.
pub const HEADER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// The longest a connection may go without a byte read or written while no request is being
/// answered (a body sent a byte at a time, a client that stops reading).
pub const INACTIVITY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// The most connections both servers keep open at once; more are closed at once. Far above
/// what local clients open (the tests open 1000 at once), and below the descriptor limit, so
/// that a flood of connections cannot take the descriptors the control socket and the
/// keystore need. See [`connection_limit`].
const MAX_CONNECTIONS: usize = 4096;

/// [`MAX_CONNECTIONS`], or less when the descriptor limit is low: half of it, leaving the rest
/// to everything else.
fn connection_limit() -> usize {
    static LIMIT: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *LIMIT.get_or_init(|| {
        #[cfg(unix)]
        let soft = nix::sys::resource::getrlimit(nix::sys::resource::Resource::RLIMIT_NOFILE)
            .map(|(soft, _)| soft as usize)
            .unwrap_or(1024);
        // Windows has no per-process descriptor limit of this kind.
        #[cfg(not(unix))]
        let soft = 2 * MAX_CONNECTIONS;
        MAX_CONNECTIONS.min(soft / 2).max(16)
    })
}

/// Header names that mean a proxy forwarded the request for someone else (lower case, as
/// hyper gives them); names starting with `x-forwarded` are refused too.
const FORWARDING_HEADERS: &[&str] = &[
    "forwarded",
    "via",
    "x-real-ip",
    "x-client-ip",
    "client-ip",
    "true-client-ip",
    "x-cluster-client-ip",
    "cf-connecting-ip",
    "fastly-client-ip",
    "x-original-forwarded-for",
];

/// The longest a request waits for its audit line (written once per client and session).
const AUDIT_WAIT: std::time::Duration = std::time::Duration::from_millis(500);

/// The longest hardening-token lifetime ECS accepts.
pub const MAX_TOKEN_TTL: u64 = 21600;

/// A token TTL header: 1 to 5 ASCII digits without a leading zero, 1..=21600. One spelling per
/// value (no sign, spaces or padding, which `u64::from_str` would take), as SDKs send it.
pub fn parse_token_ttl(v: &str) -> Option<u64> {
    let canonical = !v.is_empty()
        && v.len() <= 5
        && !v.starts_with('0')
        && v.bytes().all(|b| b.is_ascii_digit());
    canonical
        .then(|| v.parse().ok())
        .flatten()
        .filter(|t| (1..=MAX_TOKEN_TTL).contains(t))
}

type Body = Full<Bytes>;

fn reply(status: StatusCode, content_type: &'static str, body: impl Into<Bytes>) -> Response<Body> {
    let mut r = Response::new(Full::new(body.into()));
    *r.status_mut() = status;
    r.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}

fn text(status: StatusCode, body: impl Into<Bytes>) -> Response<Body> {
    reply(status, "text/plain", body)
}

fn not_found() -> Response<Body> {
    reply(StatusCode::NOT_FOUND, "text/html", NOT_FOUND_HTML)
}

/// The `Host` header values that name `local`: `ip:port`, and plain `ip` (what the Python
/// credentials SDK sends, whatever the port). A rebinding attack shows up as a host *name*, so
/// the port adds nothing to the check.
pub fn host_names(local: &SocketAddr) -> Vec<String> {
    let bare = match local {
        SocketAddr::V4(a) => a.ip().to_string(),
        SocketAddr::V6(a) => format!("[{}]", a.ip()),
    };
    vec![local.to_string(), bare]
}

impl HttpServer {
    pub fn new(state: Arc<AgentState>, endpoint: Endpoint, local: SocketAddr) -> HttpServer {
        HttpServer {
            state,
            endpoint,
            hosts: host_names(&local),
            remote: Vec::new(),
            local,
            #[cfg(target_os = "linux")]
            uid: nix::unistd::getuid().as_raw(),
        }
    }

    /// The credentials URI server of the container listener: it also serves peers from
    /// `subnets`, and only URIs granted for containers.
    pub fn for_containers(mut self, subnets: Vec<ipnet::IpNet>) -> HttpServer {
        self.remote = subnets;
        self
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.local
    }

    fn name(&self) -> &'static str {
        match self.endpoint {
            Endpoint::CredentialsUri => "credentials URI",
            Endpoint::Metadata { .. } => "metadata",
        }
    }

    /// Accepts connections until the task is dropped.
    pub async fn serve(self: Arc<Self>, listener: tokio::net::TcpListener) {
        loop {
            let (stream, peer) = match listener.accept().await {
                Ok(c) => c,
                Err(e) => {
                    // Out of file descriptors and the like: wait a moment instead of spinning.
                    let name = self.name();
                    refused(|| format!("{AGENT_PREFIX} {name} server: accept failed: {e}"));
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            };
            if OPEN.load(Ordering::Relaxed) >= connection_limit() {
                drop(stream);
                let name = self.name();
                refused(|| {
                    format!("{AGENT_PREFIX} {name} server: refused a connection from {peer}: {} connections are open already", connection_limit())
                });
                continue;
            }
            let this = self.clone();
            tokio::spawn(async move { this.connection(stream, peer).await });
        }
    }

    async fn connection(self: Arc<Self>, stream: tokio::net::TcpStream, peer: SocketAddr) {
        let _open = OpenConnection::new();
        let name = self.name();
        // A peer from a container subnet has no uid on this machine to check: its URI
        // token is the check. Local peers are checked as always.
        let remote = !peer::is_local_peer(&peer, &self.local);
        if remote && !peer::in_subnets(&peer, &self.remote) {
            let what = if self.remote.is_empty() {
                "not a local address"
            } else {
                "neither local nor in [agent] container_subnets"
            };
            refused(|| {
                format!("{AGENT_PREFIX} {name} server: refused a connection from {peer}: {what}")
            });
            return;
        }
        #[cfg(not(target_os = "linux"))]
        let inode = None;
        #[cfg(target_os = "linux")]
        let inode = if remote {
            None
        } else {
            // Before a byte of the request is read: the answer depends on who asks.
            match peer::socket_owner(&peer, &self.local) {
                Some(owner) if owner.uid == self.uid => Some(owner.inode),
                Some(owner) => {
                    let me = self.uid;
                    refused(|| {
                        format!(
                        "{AGENT_PREFIX} {name} server: refused a connection from {peer}: its socket belongs to uid {}, not to uid {me}",
                        owner.uid
                    )
                    });
                    return;
                }
                None => {
                    refused(|| {
                        format!(
                        "{AGENT_PREFIX} {name} server: refused a connection from {peer}: its owner is unknown (the client closed it already, or it is not in the kernel's socket table)"
                    )
                    });
                    return;
                }
            }
        };
        let _ = stream.set_nodelay(true);
        let client = Arc::new(Client {
            peer,
            inode,
            last_served: AtomicU64::new(0),
        });
        let activity = Arc::new(Activity::default());
        let answering = activity.answering.clone();
        let svc = hyper::service::service_fn(move |req| {
            let this = self.clone();
            let client = client.clone();
            let answering = answering.clone();
            async move {
                answering.fetch_add(1, Ordering::Relaxed);
                let answer = this.handle(&req, &client).await;
                answering.fetch_sub(1, Ordering::Relaxed);
                Ok::<_, Infallible>(answer)
            }
        });
        let io = ActiveIo {
            inner: hyper_util::rt::TokioIo::new(stream),
            activity: activity.clone(),
        };
        let conn = hyper::server::conn::http1::Builder::new()
            .keep_alive(true)
            .timer(hyper_util::rt::TokioTimer::new())
            .header_read_timeout(HEADER_TIMEOUT)
            .serve_connection(io, svc);
        tokio::select! {
            _ = conn => {}
            _ = activity.inactive(INACTIVITY_TIMEOUT) => {}
        }
    }

    /// Why a request is refused, if it is.
    fn refusal<B>(&self, req: &Request<B>) -> Option<&'static str> {
        for name in req.headers().keys() {
            let n = name.as_str(); // hyper lower-cases header names
            if FORWARDING_HEADERS.contains(&n) || n.starts_with("x-forwarded") {
                return Some("the request was forwarded by a proxy (Forwarded, Via, X-Forwarded-*, X-Real-IP or a similar header)");
            }
            if n == "origin" || n.starts_with("sec-fetch-") {
                return Some("the request was made by a browser (Origin or Sec-Fetch-* header)");
            }
        }
        let host_ok = |h: &str| self.hosts.iter().any(|n| n.eq_ignore_ascii_case(h));
        let mut hosts = req.headers().get_all(HOST).iter();
        match (hosts.next().map(|h| h.to_str()), hosts.next()) {
            (Some(Ok(h)), None) if host_ok(h) => {}
            (_, Some(_)) => return Some("the request has more than one Host header"),
            _ => return Some("the Host header does not name this server"),
        }
        if let Some(a) = req.uri().authority() {
            if !host_ok(a.as_str()) {
                return Some("the request target names another server");
            }
        }
        None
    }

    /// The answer to one request from `peer`, exactly as a connection would get it (the peer
    /// checks of [`HttpServer::serve`] are made at accept time, before this). Public for the
    /// fuzz target of the request handling (fuzz/fuzz_targets/http_request.rs).
    pub async fn respond<B>(&self, req: &Request<B>, peer: SocketAddr) -> Response<Body> {
        let client = Client {
            peer,
            inode: None,
            last_served: AtomicU64::new(0),
        };
        self.handle(req, &client).await
    }

    async fn handle<B>(&self, req: &Request<B>, client: &Client) -> Response<Body> {
        if let Some(why) = self.refusal(req) {
            refused(|| {
                format!(
                    "{AGENT_PREFIX} {} server: refused {} {} from {}: {why}",
                    self.name(),
                    req.method(),
                    redact_path(req.uri().path()),
                    client.peer
                )
            });
            return text(StatusCode::FORBIDDEN, "Forbidden\n");
        }
        match &self.endpoint {
            Endpoint::CredentialsUri => self.credentials_uri(req, client).await,
            Endpoint::Metadata {
                hardened,
                token_key,
            } => self.metadata(req, client, *hardened, token_key).await,
        }
    }

    async fn credentials_uri<B>(&self, req: &Request<B>, client: &Client) -> Response<Body> {
        if req.method() != Method::GET {
            return text(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed\n");
        }
        let path = req.uri().path();
        let token = path
            .strip_prefix('/')
            .and_then(|p| p.strip_suffix("/credentials"))
            .filter(|t| !t.contains('/'));
        let entry = token.and_then(|t| self.state.uri_entry(t, !self.remote.is_empty()));
        match entry {
            Some(entry) => self.credentials(&entry, client, Channel::Uri).await,
            None => {
                refused(|| {
                    format!("{AGENT_PREFIX} credentials URI server: refused GET from {}: unknown or revoked token", client.peer)
                });
                text(
                    StatusCode::FORBIDDEN,
                    "Forbidden: unknown or revoked token\n",
                )
            }
        }
    }

    async fn metadata<B>(
        &self,
        req: &Request<B>,
        client: &Client,
        hardened: bool,
        key: &[u8; 32],
    ) -> Response<Body> {
        let path = req.uri().path();
        if path == "/latest/api/token" {
            if req.method() != Method::PUT {
                return text(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed\n");
            }
            let ttl = req
                .headers()
                .get("x-aliyun-ecs-metadata-token-ttl-seconds")
                .and_then(|v| v.to_str().ok())
                .and_then(parse_token_ttl);
            return match ttl {
                Some(ttl) => text(
                    StatusCode::OK,
                    metadata_token(key, super::state::unix_now() + ttl as i64),
                ),
                None => text(
                    StatusCode::BAD_REQUEST,
                    "X-aliyun-ecs-metadata-token-ttl-seconds must be 1 to 21600\n",
                ),
            };
        }
        if req.method() != Method::GET {
            return text(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed\n");
        }
        match req.headers().get("x-aliyun-ecs-metadata-token") {
            Some(t)
                if !t
                    .to_str()
                    .is_ok_and(|t| token_valid(key, t, super::state::unix_now())) =>
            {
                return text(
                    StatusCode::UNAUTHORIZED,
                    "Unauthorized: invalid or expired metadata token\n",
                );
            }
            None if hardened => {
                return text(
                    StatusCode::UNAUTHORIZED,
                    "Unauthorized: this endpoint is hardened; PUT /latest/api/token first\n",
                );
            }
            _ => {}
        }
        let Some(target) = self.state.metadata_target() else {
            return not_found();
        };
        let segs: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        match segs.as_slice() {
            ["latest", "meta-data", "region-id"] => match &target.region {
                Some(r) => text(StatusCode::OK, r.clone()),
                None => not_found(),
            },
            ["latest", "meta-data", ram, "security-credentials"]
            | ["latest", "meta-data", ram, "security-credentials", ""]
                if ram.eq_ignore_ascii_case("ram") =>
            {
                text(StatusCode::OK, target.role_name.clone())
            }
            ["latest", "meta-data", ram, "security-credentials", role]
                if ram.eq_ignore_ascii_case("ram") =>
            {
                if *role == target.role_name {
                    self.credentials(&target.entry, client, Channel::Metadata)
                        .await
                } else {
                    not_found()
                }
            }
            _ => not_found(),
        }
    }

    async fn credentials(
        &self,
        entry: &Arc<Entry>,
        client: &Client,
        channel: Channel,
    ) -> Response<Body> {
        match self.state.sessions.get(entry).await {
            Ok(served) => {
                let is_new =
                    client.last_served.swap(served.serial, Ordering::Relaxed) != served.serial;
                if is_new {
                    self.audit(entry, client, channel, &served.session.access_key_id)
                        .await;
                }
                reply(StatusCode::OK, "application/json", served.json.clone())
            }
            Err(f) => {
                let body =
                    serde_json::json!({"Code": "AgentError", "Message": f.message}).to_string();
                reply(StatusCode::INTERNAL_SERVER_ERROR, "application/json", body)
            }
        }
    }

    async fn audit(&self, entry: &Entry, client: &Client, channel: Channel, key_id: &str) {
        if let Some(log) = &self.state.audit {
            let who = super::audit::Client {
                pid: None,
                socket_inode: client.inode,
                peer: Some(client.peer.to_string()),
            };
            let written = log.record_written(&entry.profile, channel, key_id, who);
            // Bounded: a stalled disk must not stall the client.
            let _ = tokio::time::timeout(AUDIT_WAIT, written).await;
        }
    }
}

/// When a connection last moved a byte, for its inactivity timeout.
struct Activity {
    since: std::time::Instant,
    /// Milliseconds after `since`.
    last: AtomicU64,
    /// Requests being answered: no inactivity timeout while one waits for STS.
    answering: Arc<AtomicUsize>,
}

impl Default for Activity {
    fn default() -> Self {
        Activity {
            since: std::time::Instant::now(),
            last: AtomicU64::new(0),
            answering: Arc::new(AtomicUsize::new(0)),
        }
    }
}

impl Activity {
    fn touch(&self) {
        self.last
            .store(self.since.elapsed().as_millis() as u64, Ordering::Relaxed);
    }

    /// Completes once the connection has moved no byte for `limit` while no request was being
    /// answered.
    async fn inactive(&self, limit: std::time::Duration) {
        loop {
            let last =
                self.since + std::time::Duration::from_millis(self.last.load(Ordering::Relaxed));
            let due = last + limit;
            if std::time::Instant::now() >= due && self.answering.load(Ordering::Relaxed) == 0 {
                return;
            }
            let next = due.max(std::time::Instant::now() + std::time::Duration::from_secs(1));
            tokio::time::sleep_until(next.into()).await;
        }
    }
}

/// The connection's socket, noting every byte moved in its [`Activity`].
struct ActiveIo<T> {
    inner: T,
    activity: Arc<Activity>,
}

impl<T: hyper::rt::Read + Unpin> hyper::rt::Read for ActiveIo<T> {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: hyper::rt::ReadBufCursor<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        // A read that completes, with data or at the end of the stream, is activity.
        let r = std::pin::Pin::new(&mut self.inner).poll_read(cx, buf);
        if r.is_ready() {
            self.activity.touch();
        }
        r
    }
}

impl<T: hyper::rt::Write + Unpin> hyper::rt::Write for ActiveIo<T> {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        let r = std::pin::Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(r, std::task::Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        r
    }

    fn poll_flush(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// A path for a log line: URI tokens are secrets, so only their first characters show.
fn redact_path(path: &str) -> String {
    match path.strip_prefix('/').and_then(|p| p.split_once('/')) {
        Some((first, rest)) if first.len() > 16 => format!("/{}.../{rest}", &first[..4]),
        _ => path.chars().take(200).collect(),
    }
}

fn hmac_hex(key: &[u8; 32], msg: &[u8]) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(key).expect("any key length");
    mac.update(msg);
    hex::encode(mac.finalize().into_bytes())
}

/// A hardening token that is valid until `expires` (unix seconds): the expiry and its MAC, so
/// the server keeps no table of tokens.
pub fn metadata_token(key: &[u8; 32], expires: i64) -> String {
    let e = format!("{expires:x}");
    format!("{e}.{}", hmac_hex(key, e.as_bytes()))
}

/// Checks a hardening token's MAC (in constant time) and expiry.
pub fn token_valid(key: &[u8; 32], token: &str, now: i64) -> bool {
    let Some((e, mac)) = token.split_once('.') else {
        return false;
    };
    let Ok(expires) = i64::from_str_radix(e, 16) else {
        return false;
    };
    let want = hmac_hex(key, e.as_bytes());
    let same = want.len() == mac.len()
        && want
            .bytes()
            .zip(mac.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    same && now < expires
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_tokens_expire_and_cannot_be_forged() {
        let key = [7u8; 32];
        let t = metadata_token(&key, 1000);
        assert!(token_valid(&key, &t, 999));
        assert!(!token_valid(&key, &t, 1000));
        assert!(!token_valid(&[8u8; 32], &t, 999));
        let forged = metadata_token(&key, 1000).replace("3e8.", "3e9.");
        assert!(!token_valid(&key, &forged, 999));
    }

    #[test]
    fn token_ttls_are_plain_digits_from_1_to_21600() {
        assert_eq!(parse_token_ttl("21600"), Some(21600));
        assert_eq!(parse_token_ttl("1"), Some(1));
        for bad in [
            "", "0", "+5", "-5", " 5", "5 ", "05", "21601", "99999", "123456", "1e3", "５",
        ] {
            assert_eq!(parse_token_ttl(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_server_is_named_by_its_address_with_and_without_the_port() {
        assert_eq!(
            host_names(&"100.100.100.200:80".parse().unwrap()),
            ["100.100.100.200:80", "100.100.100.200"]
        );
        assert_eq!(
            host_names(&"127.0.0.1:8080".parse().unwrap()),
            ["127.0.0.1:8080", "127.0.0.1"]
        );
    }

    #[test]
    fn tokens_in_paths_are_not_logged() {
        let t = "a".repeat(64);
        assert_eq!(
            redact_path(&format!("/{t}/credentials")),
            "/aaaa.../credentials"
        );
    }
}
