//! The agent under load, against baselines from the same run (docs/performance.md):
//!
//! - the credentials URI and the metadata endpoint (on a loopback port) against nginx serving
//!   the same JSON as a static file: wrk at 64 and 256 connections, requests per second ratio
//!   at saturation (target >= 1.2), no errors; p99 latency at 64 connections (target < 0.6 ms),
//!   measured at a paced load (each connection waits 2 ms between requests), because at
//!   saturation on two cores shared with wrk, p99 is queueing (nginx's own is several ms);
//!   the median over up to three rounds (the servers in turn) in which nginx itself stays
//!   under 1 ms: a round where the baseline misses says the machine stalled, nothing more;
//! - 1000 concurrent requests across a refresh: exactly one STS call;
//! - the agent's resident memory with 100 sessions cached (target < 10 MiB).
//!
//! Exits non-zero when a target is missed. Run through `benches/run`, which installs wrk and
//! nginx-light.

mod support;

use emulator::state::Trusted;
use emulator::{Emulator, Fault};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

const ACCOUNT: &str = "1234567890123456";
const PROFILES: usize = 100;
const WRK_SECONDS: u32 = 5;
const BURST: usize = 1000;
const MIN_RATIO: f64 = 1.2;
const MAX_P99_MS: f64 = 0.6;
/// A paced round counts when nginx itself stays under this p99: above it the machine stalled.
const QUIET_NGINX_P99_MS: f64 = 1.0;
const PACED_ROUNDS: usize = 3;
const MAX_RSS_MIB: f64 = 10.0;

/// The least an HTTP server can do per request, for the paced rounds: on one thread, one read
/// of whatever the client sent and one write of `body` under fixed headers, without parsing
/// anything. Its p99 is the load generator's and the kernel's; returns its address.
fn floor_server(body: &str) -> SocketAddr {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    let reply: Arc<[u8]> = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
    .into();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            while let Ok((mut stream, _)) = listener.accept().await {
                let _ = stream.set_nodelay(true);
                let reply = reply.clone();
                tokio::spawn(async move {
                    let mut buf = [0u8; 4096];
                    while let Ok(1..) = stream.read(&mut buf).await {
                        if stream.write_all(&reply).await.is_err() {
                            break;
                        }
                    }
                });
            }
        });
    });
    addr
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

struct World {
    dir: tempfile::TempDir,
}

impl World {
    fn new() -> World {
        let dir = tempfile::tempdir().expect("temp dir");
        for d in ["home", "runtime", "keys", "state"] {
            std::fs::create_dir_all(dir.path().join(d)).unwrap();
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(
                dir.path().join("runtime"),
                std::fs::Permissions::from_mode(0o700),
            )
            .unwrap();
        }
        World { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let p = self.path();
        let mut c = Command::new(support::binary());
        c.args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", p.join("home"))
            .env("XDG_RUNTIME_DIR", p.join("runtime"))
            .env("XDG_STATE_HOME", p.join("state"))
            .env("ALICLOUD_VAULT_CONFIG", p.join("config.toml"))
            .env("ALIBABA_CLOUD_CONFIG_FILE", p.join("aliyun.json"))
            .env("ALICLOUD_VAULT_FILE_DIR", p.join("keys"))
            .env("ALICLOUD_VAULT_FILE_PASSPHRASE", "bench passphrase")
            .env("ALICLOUD_VAULT_BACKEND", "file")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        c
    }

    fn run(&self, args: &[&str]) {
        let status = self.cmd(args).status().expect("run alicloud-vault");
        assert!(status.success(), "alicloud-vault {args:?} failed");
    }
}

/// One HTTP/1.1 GET on a fresh connection: status and body.
fn get(addr: SocketAddr, path: &str) -> std::io::Result<(u16, String)> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(30)))?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )?;
    read_response(s)
}

fn read_response(mut s: TcpStream) -> std::io::Result<(u16, String)> {
    let mut raw = String::new();
    s.read_to_string(&mut raw)?;
    let status = raw
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = raw
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Ok((status, body))
}

/// The `Expiration` of a credentials JSON, in Unix seconds.
fn expiration_of(body: &str) -> i64 {
    let v: serde_json::Value = serde_json::from_str(body).expect("credentials JSON");
    let e = v["Expiration"].as_str().expect("Expiration");
    time::OffsetDateTime::parse(e, &time::format_description::well_known::Rfc3339)
        .expect("an RFC 3339 Expiration")
        .unix_timestamp()
}

fn wait_for(what: &str, timeout: Duration, mut ok: impl FnMut() -> bool) {
    let t = Instant::now();
    while !ok() {
        assert!(t.elapsed() < timeout, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Stops a child that serves until signalled: SIGTERM, then SIGKILL after a grace period.
fn stop(mut child: Child) {
    #[cfg(unix)]
    {
        let pid = nix::unistd::Pid::from_raw(child.id() as i32);
        let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM);
    }
    #[cfg(not(unix))]
    let _ = child.kill();
    let t = Instant::now();
    while t.elapsed() < Duration::from_secs(5) {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
}

struct Wrk {
    rps: f64,
    p99_ms: f64,
    errors: u64,
}

fn duration_ms(text: &str) -> Option<f64> {
    let (num, unit) = text.split_at(text.find(|c: char| c.is_ascii_alphabetic())?);
    let n: f64 = num.parse().ok()?;
    Some(match unit {
        "us" => n / 1000.0,
        "ms" => n,
        "s" => n * 1000.0,
        "m" => n * 60_000.0,
        _ => return None,
    })
}

/// wrk with two threads; `script`: a Lua file (the pacing of the latency runs).
fn wrk(url: &str, connections: usize, script: Option<&Path>) -> Wrk {
    let mut c = Command::new("wrk");
    c.args([
        "-t2",
        &format!("-c{connections}"),
        &format!("-d{WRK_SECONDS}s"),
        "--latency",
    ]);
    if let Some(s) = script {
        c.arg("-s").arg(s);
    }
    let out = c.arg(url).output().expect("run wrk (apt-get install wrk)");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut w = Wrk {
        rps: 0.0,
        p99_ms: f64::INFINITY,
        errors: 0,
    };
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["Requests/sec:", n] => w.rps = n.parse().unwrap_or(0.0),
            ["99%", d] => w.p99_ms = duration_ms(d).unwrap_or(f64::INFINITY),
            ["Non-2xx", "or", "3xx", "responses:", n] => w.errors += n.parse().unwrap_or(1),
            ["Socket", "errors:", rest @ ..] => {
                w.errors += rest
                    .iter()
                    .filter_map(|x| x.trim_end_matches(',').parse::<u64>().ok())
                    .sum::<u64>()
            }
            _ => {}
        }
    }
    if !out.status.success() || w.rps == 0.0 {
        eprintln!(
            "wrk {url} failed:\n{text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        w.errors += 1;
    }
    w
}

/// nginx serving `json` as a static file on a loopback port.
struct Nginx {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Nginx {
    fn start(json: &str) -> Nginx {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        std::fs::create_dir_all(d.join("www")).unwrap();
        std::fs::create_dir_all(d.join("tmp")).unwrap();
        std::fs::write(d.join("www/credentials.json"), json).unwrap();
        let port = free_port();
        let conf = format!(
            "worker_processes 2;\ndaemon off;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\n\
             events {{ worker_connections 4096; }}\n\
             http {{\n access_log off;\n client_body_temp_path {d}/tmp;\n\
             server {{ listen 127.0.0.1:{port}; root {d}/www; default_type application/json; }}\n}}\n",
            d = d.display()
        );
        std::fs::write(d.join("nginx.conf"), conf).unwrap();
        let child = Command::new("nginx")
            .args(["-c", &d.join("nginx.conf").to_string_lossy(), "-p"])
            .arg(d)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("run nginx (apt-get install nginx-light)");
        let addr: SocketAddr = ([127, 0, 0, 1], port).into();
        wait_for("nginx", Duration::from_secs(10), || {
            matches!(get(addr, "/credentials.json"), Ok((200, _)))
        });
        Nginx {
            child,
            port,
            _dir: dir,
        }
    }
}

fn vm_rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .expect("VmRSS of the agent")
}

/// `exec --server PROFILE` with a child that writes the URI to a file and waits for stdin to
/// close; the URI lives while the returned child does.
fn serve_uri(world: &World, profile: &str) -> (Child, String) {
    let file: PathBuf = world.path().join(format!("uri-{profile}"));
    let script = format!(
        "printf %s \"$ALIBABA_CLOUD_CREDENTIALS_URI\" > {}.tmp && mv {0}.tmp {0}; read x",
        file.display()
    );
    let mut c = world.cmd(&["exec", "--server", profile, "--", "sh", "-c", &script]);
    c.stdin(Stdio::piped());
    let child = c.spawn().expect("exec --server");
    wait_for("the credentials URI", Duration::from_secs(30), || {
        file.exists()
    });
    (child, std::fs::read_to_string(&file).unwrap())
}

fn end_uri(mut child: Child) {
    drop(child.stdin.take());
    let _ = child.wait();
}

fn url_parts(url: &str) -> (SocketAddr, String) {
    let rest = url.strip_prefix("http://").expect("http URL");
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    (host.parse().expect("ip:port"), path.to_string())
}

fn main() {
    let mut missed = false;
    let mut check = |ok: bool| {
        missed |= !ok;
        if ok {
            "ok"
        } else {
            "MISSED"
        }
    };

    let emu = Emulator::start();
    let (id, secret) = emu.add_user(ACCOUNT, "bench");
    let trusted = || vec![Trusted::Account(ACCOUNT.into())];
    let admin = emu.add_role(ACCOUNT, "admin", 43200, trusted());
    let flight = emu.add_role(ACCOUNT, "flight", 43200, trusted());
    let mut config = format!(
        "[defaults]\nregion = \"cn-hangzhou\"\nsts_endpoint = \"{}\"\n\n[profile.src]\n\n\
         [profile.admin]\nsource_profile = \"src\"\nrole_arn = \"{admin}\"\n\n\
         [profile.flight]\nsource_profile = \"src\"\nrole_arn = \"{flight}\"\n",
        emu.base_url()
    );
    for i in 0..PROFILES {
        let arn = emu.add_role(ACCOUNT, &format!("role{i}"), 43200, trusted());
        config.push_str(&format!(
            "\n[profile.p{i}]\nsource_profile = \"src\"\nrole_arn = \"{arn}\"\n"
        ));
    }
    let metadata_port = free_port();
    config.push_str(&format!(
        "\n[metadata]\nprofile = \"admin\"\naddress = \"127.0.0.1:{metadata_port}\"\n"
    ));
    let world = World::new();
    std::fs::write(world.path().join("config.toml"), config).unwrap();
    support::add_key(
        world.cmd(&["add", "src", "--stdin", "--no-verify"]),
        &id,
        &secret,
    );

    let agent = world
        .cmd(&["agent", "run"])
        .stderr(Stdio::from(
            std::fs::File::create(world.path().join("agent.log")).unwrap(),
        ))
        .spawn()
        .expect("agent run");
    let agent_pid = agent.id();
    let metadata: SocketAddr = ([127, 0, 0, 1], metadata_port).into();
    let md_path = "/latest/meta-data/ram/security-credentials/admin";
    wait_for("the metadata endpoint", Duration::from_secs(60), || {
        matches!(get(metadata, md_path), Ok((200, _)))
    });
    let (uri_child, uri) = serve_uri(&world, "admin");
    let (_, json) = get(metadata, md_path).unwrap();
    // BENCH_SKIP_WRK=1 skips the endpoint runs (to iterate on the figures after them).
    if std::env::var_os("BENCH_SKIP_WRK").is_none() {
        let nginx = Nginx::start(&json);

        println!(
            "endpoints against nginx serving the same JSON ({WRK_SECONDS} s per run, wrk -t2)"
        );
        let targets = [
            (
                "nginx static file",
                format!("http://127.0.0.1:{}/credentials.json", nginx.port),
            ),
            ("credentials URI", uri.clone()),
            ("metadata", format!("http://{metadata}{md_path}")),
        ];
        for connections in [64, 256] {
            let base = wrk(&targets[0].1, connections, None);
            println!(
                "  {connections:>3} conn, saturated  {:18} {:>9.0} req/s   (p99 {:>6.2} ms)   errors {}",
                targets[0].0, base.rps, base.p99_ms, base.errors
            );
            for (name, url) in &targets[1..] {
                let w = wrk(url, connections, None);
                let ratio = w.rps / base.rps.max(1.0);
                println!(
                    "  {connections:>3} conn, saturated  {name:18} {:>9.0} req/s   (p99 {:>6.2} ms)   errors {}   {ratio:.2}x nginx   target >= {MIN_RATIO}x, no errors   {}",
                    w.rps,
                    w.p99_ms,
                    w.errors,
                    check(ratio >= MIN_RATIO && w.errors == 0)
                );
            }
        }
        let pacing = world.path().join("paced.lua");
        std::fs::write(&pacing, "function delay()\n  return 2\nend\n").unwrap();
        // Rounds of the three servers in turn. A round counts when nginx itself stays under
        // the target in it: on a shared virtual machine one stall moves a run's p99 by
        // milliseconds for every server alike, and then the figure says nothing about ours.
        // The median over the counted rounds (up to PACED_ROUNDS of them) is the verdict.
        // The floor server is in the rounds too: what the load generator and the kernel cost
        // here, below which no server's p99 can go.
        let floor = floor_server(&json);
        let mut targets = targets.to_vec();
        targets.push(("floor: read, write", format!("http://{floor}/")));
        let mut counted: Vec<Vec<Wrk>> = targets.iter().map(|_| Vec::new()).collect();
        let mut seen: Vec<Vec<String>> = targets.iter().map(|_| Vec::new()).collect();
        for _ in 0..2 * PACED_ROUNDS {
            if counted[0].len() == PACED_ROUNDS {
                break;
            }
            let round: Vec<Wrk> = targets
                .iter()
                .map(|(_, url)| wrk(url, 64, Some(&pacing)))
                .collect();
            let quiet = round[0].p99_ms < QUIET_NGINX_P99_MS;
            for (i, w) in round.into_iter().enumerate() {
                seen[i].push(format!("{:.2}{}", w.p99_ms, if quiet { "" } else { "*" }));
                if quiet {
                    counted[i].push(w);
                }
            }
        }
        for (((name, _), mut rs), seen) in targets.iter().zip(counted).zip(seen) {
            rs.sort_by(|a, b| a.p99_ms.total_cmp(&b.p99_ms));
            let errors: u64 = rs.iter().map(|w| w.errors).sum();
            let (rps, p99) = rs
                .get(rs.len() / 2)
                .map_or((0.0, f64::INFINITY), |w| (w.rps, w.p99_ms));
            let verdict = if name.starts_with("nginx") {
                "baseline"
            } else if name.starts_with("floor") {
                "no target: the machine's own"
            } else {
                check(p99 < MAX_P99_MS && errors == 0)
            };
            println!(
                "   64 conn, paced 2 ms  {name:18} {rps:>9.0} req/s   p99 {p99:>6.3} ms   errors {errors}   target < {MAX_P99_MS} ms   {verdict}   (rounds: {})",
                seen.join(" ")
            );
        }
        println!(
            "   (* a round in which nginx itself was over {QUIET_NGINX_P99_MS} ms: not counted; floor: one read and one write of a fixed reply per request, on one thread)"
        );
        stop(nginx.child);
    }
    end_uri(uri_child);

    // 1000 requests in flight while the session is being refreshed: one STS call.
    emu.set_session_lifetime(Some(Duration::from_secs(12)));
    let (flight_child, flight_uri) = serve_uri(&world, "flight");
    let before = emu.calls("AssumeRole");
    let (addr, path) = url_parts(&flight_uri);
    // The agent refreshes when half the lifetime (whole seconds, so 5 or 6 s) is left: from
    // `due` on, every request sees a session due for refresh. A slow STS answer (delayed from
    // a moment before the earliest refresh) keeps the refresh in flight while the burst lands.
    let expires = match get(addr, &path) {
        Ok((200, body)) => expiration_of(&body),
        other => panic!("the flight URI did not answer: {other:?}"),
    };
    let at = |seconds_before_expiry: f64| {
        let unix = time::OffsetDateTime::now_utc().unix_timestamp_nanos() as f64 / 1e9;
        Instant::now()
            + Duration::from_secs_f64((expires as f64 - seconds_before_expiry - unix).max(0.0))
    };
    let (delay_from, due) = (at(6.5), at(4.7));
    let minted = Instant::now();
    let barrier = Arc::new(Barrier::new(BURST + 1));
    let threads: Vec<_> = (0..BURST)
        .map(|_| {
            let barrier = barrier.clone();
            let path = path.clone();
            std::thread::Builder::new()
                .stack_size(64 * 1024)
                .spawn(move || {
                    let s = TcpStream::connect(addr);
                    barrier.wait();
                    let mut s = s?;
                    s.set_read_timeout(Some(Duration::from_secs(60)))?;
                    write!(
                        s,
                        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
                    )?;
                    read_response(s)
                })
                .expect("thread")
        })
        .collect();
    std::thread::sleep(delay_from.saturating_duration_since(Instant::now()));
    emu.inject(Fault::Delay(Duration::from_millis(2500)), 1);
    std::thread::sleep(due.saturating_duration_since(Instant::now()));
    barrier.wait();
    let burst_at = Instant::now();
    let now = time::OffsetDateTime::now_utc();
    let mut ok_answers = 0;
    let mut stale = 0;
    let mut keys = std::collections::BTreeSet::new();
    for t in threads {
        if let Ok(Ok((200, body))) = t.join() {
            ok_answers += 1;
            let v: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
            let expires = v["Expiration"]
                .as_str()
                .and_then(|e| {
                    time::OffsetDateTime::parse(e, &time::format_description::well_known::Rfc3339)
                        .ok()
                })
                .unwrap_or(now);
            if expires <= now {
                stale += 1;
            }
            keys.insert(format!(
                "{} until {}",
                v["AccessKeyId"].as_str().unwrap_or(""),
                v["Expiration"].as_str().unwrap_or("")
            ));
        }
    }
    let calls = emu.calls("AssumeRole") - before;
    end_uri(flight_child);
    emu.set_session_lifetime(None);
    println!(
        "{BURST} concurrent requests across a refresh: {calls} STS call(s), {ok_answers} answered 200, {stale} expired, {} distinct key(s)   target: exactly 1 call, all 200   {}",
        keys.len(),
        check(calls == 1 && ok_answers == BURST && stale == 0)
    );
    if calls != 1 {
        eprintln!(
            "burst at {now}, keys {keys:?}; AssumeRole calls in all {}, before the burst {before}; {} s from the URI to the burst",
            emu.calls("AssumeRole"),
            burst_at.duration_since(minted).as_secs_f64()
        );
        let log = std::fs::read_to_string(world.path().join("agent.log")).unwrap_or_default();
        let tail: Vec<&str> = log.lines().rev().take(15).collect();
        eprintln!(
            "agent log (last lines, newest first):\n  {}",
            tail.join("\n  ")
        );
    }

    // Resident memory with 100 sessions cached (after the load above).
    for i in 0..PROFILES {
        world.run(&["exec", &format!("p{i}"), "--", "true"]);
    }
    let rss_mib = vm_rss_kib(agent_pid) as f64 / 1024.0;
    println!(
        "agent resident memory with {} sessions cached: {rss_mib:.1} MiB   target < {MAX_RSS_MIB} MiB   {}",
        PROFILES + 2,
        check(rss_mib < MAX_RSS_MIB)
    );

    world.run(&["agent", "stop"]);
    stop(agent);
    if missed {
        std::process::exit(1);
    }
}
