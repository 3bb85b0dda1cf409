//! The promises of the agent's endpoints on the paths an attacker walks (docs/security.md):
//! proxy-forwarding headers and duplicate `Host`s refused in every spelling, peers whose socket
//! owner is unknown refused, refusal lines rate-limited, slow and idle connections closed, one
//! agent per runtime directory, and control requests that act only on their own connection.
//! Every address is 127.0.0.1.

use crate::agent::{held_exec, socket_path, split_uri, start_agent, world, world_with, AgentProc};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::net::UnixStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Sends `request` as is and returns the status code of the answer (0: none, the connection
/// was closed) and the whole answer.
fn raw(addr: &str, request: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    if s.write_all(request.as_bytes()).is_err() {
        return (0, String::new());
    }
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let out = String::from_utf8_lossy(&out).into_owned();
    let status = out
        .strip_prefix("HTTP/1.")
        .and_then(|r| r.get(2..5))
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, out)
}

/// A free port on 127.0.0.1 (bound and released; the agent binds it next).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Every way we know of to say "this request was forwarded for someone else", or to name two
/// hosts, in assorted cases and spacings. `{host}` is the server's own address and `{path}` a
/// path that serves credentials.
const REFUSED: &[&str] = &[
    "GET {path} HTTP/1.1\r\nHost: {host}\r\nForwarded: for=10.1.2.3\r\nConnection: close\r\n\r\n",
    "GET {path} HTTP/1.1\r\nHost: {host}\r\nforwarded: for=\"[2001:db8::1]\";proto=http\r\nConnection: close\r\n\r\n",
    "GET {path} HTTP/1.1\r\nHost: {host}\r\nVia: 1.1 proxy\r\nConnection: close\r\n\r\n",
    "GET {path} HTTP/1.1\r\nHost: {host}\r\nvIA:1.0 squid\r\nConnection: close\r\n\r\n",
    "GET {path} HTTP/1.1\r\nHost: {host}\r\nX-Real-IP: 10.1.2.3\r\nConnection: close\r\n\r\n",
    "GET {path} HTTP/1.1\r\nHost: {host}\r\nx-real-ip:10.1.2.3\r\nConnection: close\r\n\r\n",
    "GET {path} HTTP/1.1\r\nHost: {host}\r\nX-Forwarded-For: 10.1.2.3\r\nConnection: close\r\n\r\n",
    "GET {path} HTTP/1.1\r\nHost: {host}\r\nX-FORWARDED-FOR:\t10.1.2.3\r\nConnection: close\r\n\r\n",
    "GET {path} HTTP/1.1\r\nHost: {host}\r\nX-Forwarded-Host: {host}\r\nConnection: close\r\n\r\n",
    "GET {path} HTTP/1.1\r\nHost: {host}\r\nx-forwarded-proto: http\r\nConnection: close\r\n\r\n",
    "GET {path} HTTP/1.1\r\nHost: {host}\r\nX-Forwarded-Port: 80\r\nConnection: close\r\n\r\n",
    "GET {path} HTTP/1.1\r\nHost: {host}\r\nX-Forwarded-Server: proxy\r\nConnection: close\r\n\r\n",
    "GET {path} HTTP/1.1\r\nHost: {host}\r\nX-Forwarded: for=10.1.2.3\r\nConnection: close\r\n\r\n",
    "GET {path} HTTP/1.1\r\nHost: {host}\r\nX-Forwarded-For:\r\nConnection: close\r\n\r\n",
    "GET {path} HTTP/1.1\r\nHost: {host}\r\nHost: {host}\r\nConnection: close\r\n\r\n",
    "GET {path} HTTP/1.1\r\nHost: {host}\r\nhost: attacker.example\r\nConnection: close\r\n\r\n",
    "GET {path} HTTP/1.1\r\nHOST: attacker.example\r\nHost: {host}\r\nConnection: close\r\n\r\n",
    "GET {path} HTTP/1.1\r\nHost: {host}, attacker.example\r\nConnection: close\r\n\r\n",
    "GET {path} HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n",
    "GET {path} HTTP/1.1\r\nConnection: close\r\n\r\n",
    "GET {path} HTTP/1.0\r\n\r\n",
    "GET http://attacker.example{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n",
    "GET http://attacker.example{path} HTTP/1.0\r\n\r\n",
    "GET {path} HTTP/1.1\r\nHost: {host}\r\nOrigin: http://evil.example\r\nConnection: close\r\n\r\n",
    "GET {path} HTTP/1.1\r\nHost: {host}\r\nsec-fetch-site: cross-site\r\nConnection: close\r\n\r\n",
];

/// Sends every request of [`REFUSED`] to `host` and asserts that none gets a 200 or a key,
/// while the same request without the offending part does.
fn assert_refused_everywhere(host: &str, path: &str) {
    let good = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    let (status, answer) = raw(host, &good);
    assert_eq!(status, 200, "the plain request is served: {answer}");
    for template in REFUSED {
        let req = template.replace("{host}", host).replace("{path}", path);
        let (status, answer) = raw(host, &req);
        assert!(
            status != 200 && status != 0 && !answer.contains("AccessKeySecret"),
            "{req:?} got {status}: {answer}"
        );
    }
}

#[test]
fn forwarding_headers_and_duplicate_hosts_are_refused_in_every_spelling() {
    let port = free_port();
    let w = world_with(&format!(
        "\n[metadata]\nprofile = \"admin\"\naddress = \"127.0.0.1:{port}\"\n"
    ));
    let agent = start_agent(&w.env);
    let held = held_exec(&w.env, &["admin", "--server"]);
    let (addr, path) = split_uri(&held.uri);
    assert_refused_everywhere(&addr, &path);
    assert_refused_everywhere(
        &format!("127.0.0.1:{port}"),
        "/latest/meta-data/ram/security-credentials/admin",
    );
    assert!(
        !agent.log_text().contains(&path[1..20]),
        "the token is not logged"
    );
    assert_eq!(held.finish(), 0);
}

/// Waits until the agent process ends (at most `limit`); its exit status, or `None`.
fn wait_exit(agent: &mut AgentProc, limit: Duration) -> Option<std::process::ExitStatus> {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if let Ok(Some(s)) = agent.child.try_wait() {
            return Some(s);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

#[test]
fn a_stop_whose_reply_is_never_read_stops_the_agent_and_nothing_carries_over() {
    let w = world();
    let mut agent = start_agent(&w.env);
    {
        let mut s = UnixStream::connect(socket_path(&w.env)).unwrap();
        // This client will never read: the agent's reply cannot be delivered.
        s.shutdown(std::net::Shutdown::Read).unwrap();
        s.write_all(b"{\"type\":\"stop\"}\n").unwrap();
    }
    let status = wait_exit(&mut agent, Duration::from_secs(10));
    assert!(
        status.is_some_and(|s| s.success()),
        "the agent must stop ({status:?}):\n{}",
        agent.log_text()
    );
    assert!(agent.log_text().contains("stopping (agent stop)"));

    // A new agent: requests on other connections (status, log, an unanswered stop's
    // neighbours) do not stop it.
    let mut agent = start_agent(&w.env);
    for args in [
        &["agent", "log"][..],
        &["agent", "status"],
        &["agent", "log"],
    ] {
        w.env.run(args);
    }
    assert!(
        wait_exit(&mut agent, Duration::from_millis(500)).is_none(),
        "the agent stopped on a request that was not `stop`:\n{}",
        agent.log_text()
    );
    assert_eq!(w.env.run(&["agent", "status"]).code, 0);
}

#[test]
fn a_second_agent_refuses_to_start_even_when_the_first_ones_socket_is_gone() {
    let w = world();
    let first = start_agent(&w.env);
    // A cleaner of the runtime directory (or a careless user) removed the socket.
    std::fs::remove_file(socket_path(&w.env)).unwrap();
    let log = w.env.path().join("second.log");
    let child = w
        .env
        .cmd(&["agent", "run"])
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let mut second = AgentProc { child, log };
    let status = wait_exit(&mut second, Duration::from_secs(10));
    assert_eq!(
        status.and_then(|s| s.code()),
        Some(1),
        "a second agent ran: {}",
        second.log_text()
    );
    assert!(
        second.log_text().contains("already running")
            && second.log_text().contains(&format!("pid {}", first.pid())),
        "{}",
        second.log_text()
    );
    drop(first);
    // Once the first has ended, the lock is free again.
    let _again = start_agent(&w.env);
}

#[test]
fn agents_started_at_once_leave_exactly_one_serving_and_the_others_say_why() {
    let w = world();
    for round in 0..4 {
        let mut procs: Vec<AgentProc> = (0..6)
            .map(|n| {
                let log = w.env.path().join(format!("race-{round}-{n}.log"));
                let f = std::fs::File::create(&log).unwrap();
                let child = w
                    .env
                    .cmd(&["agent", "run"])
                    .stdout(Stdio::null())
                    .stderr(f)
                    .spawn()
                    .unwrap();
                AgentProc { child, log }
            })
            .collect();
        // All but one end by themselves; the survivor is the one the socket leads to.
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut ended: Vec<(usize, std::process::ExitStatus)> = Vec::new();
        while Instant::now() < deadline && ended.len() < procs.len() - 1 {
            for (i, p) in procs.iter_mut().enumerate() {
                if ended.iter().any(|(j, _)| *j == i) {
                    continue;
                }
                if let Ok(Some(s)) = p.child.try_wait() {
                    ended.push((i, s));
                }
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let alive: Vec<usize> = (0..procs.len())
            .filter(|i| !ended.iter().any(|(j, _)| j == i))
            .collect();
        assert_eq!(
            alive.len(),
            1,
            "round {round}: agents alive: {alive:?}; logs:\n{}",
            procs
                .iter()
                .map(|p| p.log_text())
                .collect::<Vec<_>>()
                .join("\n--\n")
        );
        for (i, s) in &ended {
            assert_eq!(s.code(), Some(1), "{}", procs[*i].log_text());
            assert!(
                procs[*i].log_text().contains("already running"),
                "{}",
                procs[*i].log_text()
            );
        }
        let st = w.env.run(&["agent", "status", "--json"]);
        let v: serde_json::Value = serde_json::from_str(st.ok()).unwrap();
        assert_eq!(
            v["pid"].as_u64(),
            Some(procs[alive[0]].child.id() as u64),
            "the socket leads to the survivor"
        );
        drop(procs);
    }
}

/// Runs `script` (Python) as `nobody` with `args`; returns its stdout.
fn python_as_nobody(script: &str, args: &[&str]) -> String {
    let out = Command::new("setpriv")
        .args([
            "--reuid=nobody",
            "--regid=nogroup",
            "--clear-groups",
            "/usr/bin/python3",
            "-c",
            script,
        ])
        .args(args)
        .output()
        .expect("setpriv");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_client_that_closes_at_once_is_refused_and_never_looked_up_as_root() {
    if !crate::common::require_root("running a client as nobody") {
        return;
    }
    // The agent runs as root here: a lookup that mistakes a closed socket for one of uid 0
    // would serve another user's request.
    let w = world();
    let agent = start_agent(&w.env);
    let held = held_exec(&w.env, &["admin", "--server"]);
    let (addr, path) = split_uri(&held.uri);
    let (host, port) = addr.split_once(':').unwrap();
    let script = "import socket, sys\n\
        host, port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]\n\
        req = ('GET %s HTTP/1.1\\r\\nHost: %s:%d\\r\\n\\r\\n' % (path, host, port)).encode()\n\
        for _ in range(50):\n\
        \x20   s = socket.create_connection((host, port)); s.sendall(req); s.close()\n";
    // Stopped, the agent accepts these connections only after their clients have closed
    // them, as a busy agent would: the kernel then keeps no owner for their sockets.
    let pid = nix::unistd::Pid::from_raw(agent.pid());
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGSTOP).unwrap();
    python_as_nobody(script, &[host, port, &path]);
    std::thread::sleep(Duration::from_millis(300));
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGCONT).unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let log = w.env.run(&["agent", "log", "--json"]);
    let served: Vec<&str> = log.ok().lines().filter(|l| l.contains("\"uri\"")).collect();
    assert!(
        served.is_empty(),
        "credentials were handed to {} connections of another uid",
        served.len()
    );
    assert!(
        !agent.log_text().contains("belongs to uid 0,"),
        "a closed socket is not root's: {}",
        agent.log_text()
    );
    // Our own client still gets its answer.
    let (status, _) = crate::agent::http_get(&addr, &path, &[]);
    assert_eq!(status, 200);
    assert_eq!(held.finish(), 0);
}

/// Lines of the agent's log that report a refusal, and the numbers of refusals that its
/// summaries say were not logged.
fn refusal_lines(log: &str) -> (usize, u64) {
    let mut lines = 0;
    let mut suppressed = 0;
    for l in log.lines() {
        if let Some(rest) = l.split("not logged: ").nth(1) {
            suppressed += rest
                .split_whitespace()
                .next()
                .and_then(|n| n.parse::<u64>().ok())
                .unwrap_or(0);
        } else if l.contains("refused") {
            lines += 1;
        }
    }
    (lines, suppressed)
}

#[test]
fn refusal_lines_are_rate_limited_and_every_refusal_is_counted() {
    let w = world();
    let agent = start_agent(&w.env);
    let held = held_exec(&w.env, &["admin", "--server"]);
    let (addr, path) = split_uri(&held.uri);
    let total = 400;
    let started = Instant::now();
    for n in 0..total {
        let req = if n % 2 == 0 {
            format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nX-Real-IP: 10.0.0.{n}\r\nConnection: close\r\n\r\n")
        } else {
            format!(
                "GET /{}/credentials HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n",
                "0".repeat(64)
            )
        };
        assert_eq!(raw(&addr, &req).0, 403);
    }
    let elapsed = started.elapsed().as_secs();
    // At most 10 lines per 10 s window, one summary per window.
    let windows = elapsed / 10 + 2;
    let (lines, _) = refusal_lines(&agent.log_text());
    assert!(
        lines as u64 <= 10 * windows,
        "{lines} refusal lines for {total} refusals in {elapsed} s:\n{}",
        agent.log_text()
    );
    // Each refusal is either logged or counted in a summary, once its window has ended.
    let deadline = Instant::now() + Duration::from_secs(25);
    loop {
        let (lines, suppressed) = refusal_lines(&agent.log_text());
        if lines as u64 + suppressed == total {
            break;
        }
        assert!(
            Instant::now() < deadline && (lines as u64 + suppressed) < total,
            "{lines} lines + {suppressed} counted != {total}:\n{}",
            agent.log_text()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(held.finish(), 0);
}

/// True once the server has closed `s` (EOF or reset) within `limit`.
fn closed_within(s: &mut TcpStream, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    s.set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let mut buf = [0u8; 4096];
    while Instant::now() < deadline {
        match s.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => return true,
        }
    }
    false
}

#[test]
fn slow_silent_and_idle_connections_are_closed_and_do_not_starve_the_agent() {
    let w = world();
    let _agent = start_agent(&w.env);
    let held = held_exec(&w.env, &["admin", "--server"]);
    let (addr, path) = split_uri(&held.uri);
    // 200 connections that never finish their headers or their body, sent a byte at a time
    // (slowloris); one that sends nothing; one that sent a whole request and then idles on
    // keep-alive.
    let mut slow: Vec<TcpStream> = (0..200)
        .map(|n| {
            let mut s = TcpStream::connect(&addr).unwrap();
            let start = if n % 2 == 0 {
                "GET / HTTP/1.1\r\nHost: ".to_string()
            } else {
                format!("PUT {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 1000000\r\n\r\n")
            };
            s.write_all(start.as_bytes()).unwrap();
            s
        })
        .collect();
    let mut silent = TcpStream::connect(&addr).unwrap();
    let mut idle = TcpStream::connect(&addr).unwrap();
    idle.write_all(format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes())
        .unwrap();
    // While they are open, the agent serves others.
    assert_eq!(w.env.run(&["agent", "status"]).code, 0);
    assert_eq!(crate::agent::http_get(&addr, &path, &[]).0, 200);
    let trickle = std::thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(40);
        let mut open = slow.len();
        while open > 0 && Instant::now() < deadline {
            open = 0;
            for s in slow.iter_mut() {
                if s.write_all(b"a").is_ok() {
                    open += 1;
                }
            }
            std::thread::sleep(Duration::from_millis(500));
        }
        open
    });
    assert!(
        closed_within(&mut silent, Duration::from_secs(40)),
        "a connection that never sent a byte stays open"
    );
    assert!(
        closed_within(&mut idle, Duration::from_secs(40)),
        "an idle keep-alive connection stays open"
    );
    let still_open = trickle.join().unwrap();
    assert_eq!(still_open, 0, "slowloris connections stay open");
    assert_eq!(crate::agent::http_get(&addr, &path, &[]).0, 200);
    assert_eq!(held.finish(), 0);
}
