//! The agent: control socket, `exec`/`export` through it, the credentials URI of
//! `exec --server` (with and without a running agent), refresh, single flight, rejections,
//! the audit log, and recovery after SIGKILL. Real Python and Node clients read the URI.

use crate::common::{admin_world, node_modules, python, TestEnv, BIN};
use emulator::Emulator;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct World {
    pub env: TestEnv,
    pub emu: Emulator,
}

/// A key stored as `base`, a role profile `admin` assumed from it.
pub fn world() -> World {
    world_with("")
}

pub fn world_with(extra_config: &str) -> World {
    world_on("file", extra_config)
}

/// Like [`world_with`], on the given keystore backend.
pub fn world_on(backend: &str, extra_config: &str) -> World {
    let env = TestEnv::with_backend(backend);
    let emu = Emulator::start();
    admin_world(&env, &emu, "", extra_config);
    World { env, emu }
}

/// A running `agent run`; stopped (SIGTERM, then SIGKILL) on drop.
pub struct AgentProc {
    pub child: Child,
    pub log: PathBuf,
}

impl AgentProc {
    pub fn pid(&self) -> i32 {
        self.child.id() as i32
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub fn kill9(&mut self) {
        let _ = nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(self.pid()),
            nix::sys::signal::Signal::SIGKILL,
        );
        let _ = self.child.wait();
    }
}

impl Drop for AgentProc {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = nix::sys::signal::kill(
                nix::unistd::Pid::from_raw(self.pid()),
                nix::sys::signal::Signal::SIGTERM,
            );
            let deadline = Instant::now() + Duration::from_secs(5);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = self.child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            self.kill9();
        }
    }
}

pub fn socket_path(env: &TestEnv) -> PathBuf {
    env.path().join("runtime/alicloud-vault/agent.sock")
}

/// Starts `agent run` in the world and waits until `agent status` answers.
pub fn start_agent(env: &TestEnv) -> AgentProc {
    start_agent_cmd(env, env.cmd(&["agent", "run"]))
}

pub fn start_agent_cmd(env: &TestEnv, mut cmd: Command) -> AgentProc {
    let log = env
        .path()
        .join(format!("agent-{}.log", crate::common::unique("run")));
    let f = std::fs::File::create(&log).unwrap();
    cmd.stdout(f.try_clone().unwrap()).stderr(f);
    let child = cmd.spawn().expect("spawn agent run");
    let mut a = AgentProc { child, log };
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if env.run(&["agent", "status"]).code == 0 {
            return a;
        }
        if let Ok(Some(s)) = a.child.try_wait() {
            panic!("agent exited: {s}\n{}", a.log_text());
        }
        assert!(
            Instant::now() < deadline,
            "agent did not answer\n{}",
            a.log_text()
        );
        std::thread::sleep(Duration::from_millis(30));
    }
}

/// An agent whose log (stderr and stdout) is a pipe nobody reads any more, as after
/// `agent run | grep ...` ended, keeps serving: a log line it cannot write is dropped. (It
/// aborted at its first line.)
#[test]
fn an_agent_whose_log_pipe_was_closed_keeps_serving() {
    let w = world();
    let (read, write) = nix::unistd::pipe().unwrap();
    drop(read);
    let mut cmd = w.env.cmd(&["agent", "run"]);
    cmd.stdout(Stdio::from(write.try_clone().unwrap()))
        .stderr(Stdio::from(write));
    let mut child = cmd.spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    while w.env.run(&["agent", "status"]).code != 0 {
        assert_eq!(child.try_wait().unwrap(), None, "the agent exited");
        assert!(Instant::now() < deadline, "the agent did not answer");
        std::thread::sleep(Duration::from_millis(30));
    }
    let agent = AgentProc {
        child,
        log: w.env.path().join("no-log"),
    };
    // A session minted, dropped (both logged), and minted again, by the same agent.
    for args in [
        &["exec", "admin", "--", "true"][..],
        &["clear", "admin"],
        &["exec", "admin", "--", "true"],
    ] {
        let r = w.env.run(args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    }
    let mut agent = agent;
    assert_eq!(agent.child.try_wait().unwrap(), None, "the agent exited");
    assert_eq!(w.emu.calls("AssumeRole"), 2);
}

/// A raw HTTP/1.1 GET; returns (status, body).
pub fn http_get(addr: &str, path: &str, headers: &[(&str, &str)]) -> (u16, String) {
    http_request("GET", addr, path, headers)
}

pub fn http_request(
    method: &str,
    addr: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> (u16, String) {
    let out = http_raw(method, addr, path, headers);
    let status = out
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = out
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// A raw HTTP/1.1 request; returns the whole reply as text (empty when the connection fails).
pub fn http_raw(method: &str, addr: &str, path: &str, headers: &[(&str, &str)]) -> String {
    let mut s = match TcpStream::connect(addr) {
        Ok(s) => s,
        Err(_) => return String::new(),
    };
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("host")) {
        req.push_str(&format!("Host: {addr}\r\n"));
    }
    for (n, v) in headers {
        req.push_str(&format!("{n}: {v}\r\n"));
    }
    req.push_str("\r\n");
    if s.write_all(req.as_bytes()).is_err() {
        return String::new();
    }
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    out
}

/// Splits `http://127.0.0.1:PORT/TOKEN/credentials` into (`127.0.0.1:PORT`, `/TOKEN/credentials`).
pub fn split_uri(uri: &str) -> (String, String) {
    let rest = uri.strip_prefix("http://").expect("http URI");
    let (host, path) = rest.split_once('/').unwrap();
    (host.to_string(), format!("/{path}"))
}

/// An `exec --server` whose child writes its environment's URI to a file and waits until the
/// test creates `release`.
pub struct HeldExec {
    pub child: Child,
    pub uri: String,
    pub release: PathBuf,
    pub env_dump: String,
}

impl HeldExec {
    pub fn finish(mut self) -> i32 {
        std::fs::write(&self.release, "").unwrap();
        self.child.wait().unwrap().code().unwrap_or(-1)
    }
}

impl Drop for HeldExec {
    /// A test that failed before `finish` must not leave the exec and its child behind:
    /// SIGTERM the exec (it forwards the signal to its child) and reap it.
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = std::fs::write(&self.release, "");
            let _ = nix::sys::signal::kill(
                nix::unistd::Pid::from_raw(self.child.id() as i32),
                nix::sys::signal::Signal::SIGTERM,
            );
            let _ = self.child.wait();
        }
    }
}

pub fn held_exec(env: &TestEnv, args: &[&str]) -> HeldExec {
    let tag = crate::common::unique("held");
    let out = env.path().join(format!("{tag}.env"));
    let release = env.path().join(format!("{tag}.release"));
    let script = format!(
        "env > '{o}.tmp' && mv '{o}.tmp' '{o}'; while [ ! -e '{r}' ]; do sleep 0.05; done",
        o = out.display(),
        r = release.display()
    );
    let mut all: Vec<&str> = vec!["exec"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--", "sh", "-c", &script]);
    let child = env
        .cmd(&all)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut held = HeldExec {
        child,
        uri: String::new(),
        release,
        env_dump: String::new(),
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while !out.exists() {
        if let Ok(Some(s)) = held.child.try_wait() {
            let mut e = String::new();
            held.child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut e)
                .unwrap();
            panic!("exec ended early ({s}): {e}");
        }
        assert!(Instant::now() < deadline, "the child did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    held.env_dump = std::fs::read_to_string(&out).unwrap();
    held.uri = held
        .env_dump
        .lines()
        .find_map(|l| l.strip_prefix("ALIBABA_CLOUD_CREDENTIALS_URI="))
        .unwrap_or_default()
        .to_string();
    held
}

fn access_key_id(body: &str) -> String {
    let v: serde_json::Value =
        serde_json::from_str(body).unwrap_or_else(|_| panic!("not JSON: {body}"));
    v["AccessKeyId"].as_str().unwrap().to_string()
}

#[test]
fn agent_status_without_an_agent_exits_with_code_4() {
    let w = world();
    let r = w.env.run(&["agent", "status"]);
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(r.stderr.contains("agent start"), "{}", r.stderr);
}

#[test]
fn exec_and_export_use_the_agents_session_and_each_handout_is_audited() {
    let w = world();
    let _agent = start_agent(&w.env);
    let a = w.env.exec_key_id("admin");
    let b = w.env.run(&["export", "admin", "--format", "json"]);
    let id = a.ok().trim().to_string();
    assert!(w.emu.issued_sts_key(&id), "{id}");
    let v: serde_json::Value = serde_json::from_str(b.ok()).unwrap();
    assert_eq!(v["AccessKeyId"], id.as_str());
    assert_eq!(w.emu.calls("AssumeRole"), 1);
    let status = w.env.run(&["agent", "status"]);
    assert!(status.ok().contains("admin"), "{}", status.stdout);
    let log = w.env.run(&["agent", "log", "--json"]);
    let lines: Vec<serde_json::Value> = log
        .ok()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{}", log.stdout);
    assert!(lines
        .iter()
        .all(|l| l["channel"] == "exec" && l["profile"] == "admin"));
    assert_eq!(
        lines[0]["access_key_id"],
        format!("****{}", &id[id.len() - 4..])
    );
    assert!(
        !log.stdout.contains(&id),
        "the audit log holds only a hint of the key id"
    );
}

/// The agent parses the configuration again only when its text changed: an edit of the same
/// length right after a request (the same size and, often, the same modification time) still
/// applies to the next one, a broken edit is refused, and the fixed file serves again.
#[test]
fn the_agent_applies_each_configuration_edit_to_the_next_request() {
    let w = world();
    let _agent = start_agent(&w.env);
    let region = |env: &TestEnv| {
        env.run(&[
            "exec",
            "admin",
            "--",
            "sh",
            "-c",
            "echo $ALIBABA_CLOUD_REGION_ID",
        ])
    };
    assert_eq!(region(&w.env).ok().trim(), "cn-hangzhou");
    let path = w.env.config_path();
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = text.replace("cn-hangzhou", "cn-shanghai");
    assert_eq!(edited.len(), text.len());
    std::fs::write(&path, &edited).unwrap();
    assert_eq!(region(&w.env).ok().trim(), "cn-shanghai");
    std::fs::write(&path, edited.replace("[profile.admin]", "[profile.admin")).unwrap();
    let broken = region(&w.env);
    assert_eq!(broken.code, 1, "{}", broken.stderr);
    assert!(
        broken.stderr.contains(&format!("{}:8:", path.display())),
        "{}",
        broken.stderr
    );
    // The CLI refuses the file before it asks the agent; asked directly, the agent refuses it
    // too, instead of serving the configuration it parsed before.
    let lines = control_lines(
        &w.env,
        &serde_json::json!({"type": "credentials", "profile": "admin", "duration_secs": null, "no_session": false}),
    );
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["type"], "error", "{}", lines[0]);
    assert_eq!(lines[0]["kind"], "config", "{}", lines[0]);
    let message = lines[0]["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("{}:8:", path.display())),
        "{message}"
    );
    std::fs::write(&path, &text).unwrap();
    assert_eq!(region(&w.env).ok().trim(), "cn-hangzhou");
    // A session per region (the region is part of its cache key); back on the first, the
    // agent serves the session it minted first.
    assert_eq!(w.emu.calls("AssumeRole"), 2);
}

#[test]
fn the_agents_sessions_are_minted_over_one_kept_alive_connection() {
    let w = world();
    let _agent = start_agent(&w.env);
    let before = w.emu.connections();
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(w.env.exec_key_id("admin").ok().trim().to_string());
        // Dropping the session makes the agent mint the next one.
        w.env.run(&["clear", "admin"]).ok();
    }
    assert_eq!(w.emu.calls("AssumeRole"), 3);
    let distinct: std::collections::HashSet<&String> = ids.iter().collect();
    assert_eq!(distinct.len(), 3, "three different sessions: {ids:?}");
    assert_eq!(
        w.emu.connections() - before,
        1,
        "the agent's three AssumeRole calls share one connection"
    );
}

/// Sends `request` (one JSON line) on a new control connection; returns every line the agent
/// answers within half a second.
fn control_lines(env: &TestEnv, request: &serde_json::Value) -> Vec<serde_json::Value> {
    use std::io::BufRead;
    let s = std::os::unix::net::UnixStream::connect(socket_path(env)).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    let mut w = s.try_clone().unwrap();
    w.write_all(format!("{request}\n").as_bytes()).unwrap();
    let mut lines = Vec::new();
    for line in std::io::BufReader::new(s).lines() {
        match line {
            Ok(l) => lines.push(serde_json::from_str(&l).unwrap()),
            Err(_) => break, // the read timed out: nothing more was sent
        }
    }
    lines
}

#[test]
fn credentials_sent_with_the_hello_are_answered_only_when_the_hello_matched() {
    let w = world();
    let _agent = start_agent(&w.env);
    let hello = |config: &Path| {
        serde_json::json!({
            "type": "hello", "version": 2, "config": config, "backend": null,
            "then": {"type": "credentials", "profile": "admin", "duration_secs": null, "no_session": false},
        })
    };
    // Another configuration file: the agent says who it is, and hands out nothing.
    let other = w.env.path().join("other.toml");
    std::fs::write(&other, "").unwrap();
    let lines = control_lines(&w.env, &hello(&other));
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["type"], "hello");
    assert_eq!(lines[0]["compatible"], false);
    assert!(lines[0].get("answer").is_none(), "{}", lines[0]);
    assert_eq!(w.emu.calls("AssumeRole"), 0);

    // The agent's own configuration: one line, the hello with the credentials inside.
    let lines = control_lines(&w.env, &hello(&w.env.config_path()));
    assert_eq!(lines.len(), 1, "one response to one request: {lines:?}");
    assert_eq!(lines[0]["compatible"], true);
    let answer = &lines[0]["answer"];
    assert_eq!(answer["type"], "credentials", "{answer}");
    let id = answer["access_key_id"].as_str().unwrap();
    assert!(w.emu.issued_sts_key(id), "{id}");
    assert_eq!(w.emu.calls("AssumeRole"), 1);
    // Only the matched hello's hand-out is audited.
    let log = w.env.run(&["agent", "log", "--json"]);
    assert_eq!(log.ok().lines().count(), 1, "{}", log.stdout);

    // exec takes the same path, and gets the same session.
    assert_eq!(w.env.exec_key_id("admin").ok().trim(), id);
    assert_eq!(
        w.env.run(&["agent", "log", "--json"]).ok().lines().count(),
        2
    );
}

#[test]
fn the_agent_reads_keys_and_caches_sessions_in_the_secret_service() {
    if !crate::keystores::require_dbus() {
        return;
    }
    let w = world_on("secret-service", "");
    let agent = start_agent(&w.env);
    let id = w.env.exec_key_id("admin");
    let id = id.ok().trim().to_string();
    assert!(w.emu.issued_sts_key(&id), "{id}");
    drop(agent);
    // The session the agent minted is in the keyring: without the agent, exec reuses it.
    let again = w.env.exec_key_id("admin");
    assert_eq!(again.ok().trim(), id);
    assert_eq!(w.emu.calls("AssumeRole"), 1);
    w.env.run(&["clear", "admin"]).ok();
    w.env.run(&["remove", "base", "--force"]).ok();
}

#[test]
fn a_profile_without_a_role_is_refused_by_exec_server() {
    let w = world();
    let r = w.env.run(&["exec", "base", "--server", "--", "true"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("never serves a long-term key"),
        "{}",
        r.stderr
    );
    let _agent = start_agent(&w.env);
    let r = w.env.run(&["exec", "base", "--server", "--", "true"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("never serves a long-term key"),
        "{}",
        r.stderr
    );
}

fn check_uri_child_environment(held: &HeldExec) {
    assert!(held.uri.starts_with("http://127.0.0.1:"), "{}", held.uri);
    let (_, path) = split_uri(&held.uri);
    let token = path.trim_start_matches('/').split('/').next().unwrap();
    assert_eq!(token.len(), 64, "a 256-bit token in hex");
    assert!(held
        .env_dump
        .contains(&format!("ALICLOUD_CREDENTIALS_URI={}", held.uri)));
    for var in [
        "ALIBABA_CLOUD_ACCESS_KEY_ID=",
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET=",
        "ALIBABA_CLOUD_SECURITY_TOKEN=",
        "ALICLOUD_ACCESS_KEY=",
        "OSS_ACCESS_KEY_ID=",
    ] {
        assert!(
            !held.env_dump.lines().any(|l| l.starts_with(var)),
            "{var} must not be set"
        );
    }
}

fn exec_server_serves_a_uri_that_dies_with_the_exec(with_agent: bool) {
    let w = world();
    let _agent = with_agent.then(|| start_agent(&w.env));
    let held = held_exec(&w.env, &["admin", "--server"]);
    check_uri_child_environment(&held);
    let (addr, path) = split_uri(&held.uri);
    let (status, body) = http_get(&addr, &path, &[]);
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["Code"], "Success");
    for f in [
        "AccessKeySecret",
        "SecurityToken",
        "Expiration",
        "LastUpdated",
    ] {
        assert!(v[f].as_str().is_some_and(|s| !s.is_empty()), "{f}");
    }
    assert!(w.emu.issued_sts_key(v["AccessKeyId"].as_str().unwrap()));
    assert_eq!(held.finish(), 0);
    let (status, _) = http_get(&addr, &path, &[]);
    if with_agent {
        assert_eq!(status, 403, "the token is revoked when the exec ends");
    } else {
        assert_eq!(status, 0, "the in-process server is gone with the exec");
    }
}

#[test]
fn exec_server_with_an_agent_serves_a_uri_that_is_revoked_when_the_exec_ends() {
    exec_server_serves_a_uri_that_dies_with_the_exec(true);
}

#[test]
fn exec_server_without_an_agent_serves_the_uri_from_the_exec_itself() {
    exec_server_serves_a_uri_that_dies_with_the_exec(false);
}

pub const PY_URI: &str = r#"
import os
from alibabacloud_credentials.client import Client
from alibabacloud_credentials.models import Config
c = Client(Config(type='credentials_uri', credentials_uri=os.environ['ALIBABA_CLOUD_CREDENTIALS_URI']))
cred = c.get_credential()
assert cred.security_token, 'no token'
print(cred.access_key_id)
"#;

const OSS2_URI: &str = r#"
import os, oss2
p = oss2.credentials.EcsRamRoleCredentialsProvider(os.environ['ALIBABA_CLOUD_CREDENTIALS_URI'])
cred = p.get_credentials()
assert cred.security_token, 'no token'
print(cred.access_key_id)
"#;

const NODE_URI: &str = r#"
const Credential = require('@alicloud/credentials').default;
const { Config } = require('@alicloud/credentials');
(async () => {
  const c = new Credential(new Config({ type: 'credentials_uri', credentialsURI: process.env.ALIBABA_CLOUD_CREDENTIALS_URI }));
  const k = await c.getCredential();
  if (!k.securityToken) throw new Error('no token');
  console.log(k.accessKeyId);
})().catch(e => { console.error(e.message); process.exit(1); });
"#;

fn run_client_under_server(w: &World, program: &str, args: &[&str]) -> String {
    let mut all = vec!["exec", "admin", "--server", "--", program];
    all.extend_from_slice(args);
    let node_path = node_modules();
    let r = w.env.run_with(
        &all,
        &[
            ("NODE_PATH", node_path.to_str().unwrap()),
            ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"),
        ],
    );
    let id = r.ok().trim().to_string();
    assert!(w.emu.issued_sts_key(&id), "{program}: {id} {}", r.stderr);
    id
}

#[test]
fn real_python_node_and_oss2_clients_read_the_credentials_uri() {
    let w = world();
    let _agent = start_agent(&w.env);
    let py = python();
    let py = py.to_str().unwrap();
    let a = run_client_under_server(&w, py, &["-c", PY_URI]);
    let b = run_client_under_server(&w, py, &["-c", OSS2_URI]);
    let c = run_client_under_server(&w, "node", &["-e", NODE_URI]);
    assert_eq!(a, b);
    assert_eq!(b, c);
    assert_eq!(
        w.emu.calls("AssumeRole"),
        1,
        "one session, served to all three"
    );
}

#[test]
fn the_uri_server_refuses_rebinding_forwarding_browsers_and_bad_tokens() {
    let w = world();
    let _agent = start_agent(&w.env);
    let held = held_exec(&w.env, &["admin", "--server"]);
    let (addr, path) = split_uri(&held.uri);
    assert_eq!(http_get(&addr, &path, &[]).0, 200);
    assert_eq!(
        http_get(&addr, &path, &[("Host", "attacker.example:80")]).0,
        403
    );
    assert_eq!(
        http_get(
            &addr,
            &path,
            &[(
                "Host",
                &format!("localhost:{}", addr.split(':').nth(1).unwrap())
            )]
        )
        .0,
        403
    );
    assert_eq!(
        http_get(&addr, &path, &[("X-Forwarded-For", "10.1.2.3")]).0,
        403
    );
    assert_eq!(
        http_get(&addr, &path, &[("Origin", "http://evil.example")]).0,
        403
    );
    assert_eq!(
        http_get(&addr, &path, &[("Sec-Fetch-Mode", "no-cors")]).0,
        403
    );
    assert_eq!(http_get(&addr, "/credentials", &[]).0, 403);
    let wrong = format!("/{}/credentials", "0".repeat(64));
    assert_eq!(http_get(&addr, &wrong, &[]).0, 403);
    let (status, body) = http_get(&addr, &path, &[]);
    assert_eq!(status, 200, "{body}");
    assert_eq!(held.finish(), 0);
}

/// Runs a Python HTTP GET as `nobody` and returns its status line (or the error).
fn get_as_nobody(url: &str) -> String {
    let out = Command::new("setpriv")
        .args(["--reuid=nobody", "--regid=nogroup", "--clear-groups", "/usr/bin/python3", "-c"])
        .arg("import sys, urllib.request\ntry:\n  r = urllib.request.urlopen(sys.argv[1], timeout=5); print(r.status)\nexcept Exception as e:\n  print('refused', type(e).__name__)")
        .arg(url)
        .output()
        .expect("setpriv");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn a_client_of_another_uid_gets_nothing_from_the_uri() {
    if !crate::common::require_root("running a client as nobody") {
        return;
    }
    let w = world();
    let agent = start_agent(&w.env);
    let held = held_exec(&w.env, &["admin", "--server"]);
    let answer = get_as_nobody(&held.uri);
    assert!(answer.starts_with("refused"), "{answer}");
    assert!(
        agent.log_text().contains("belongs to uid 65534"),
        "{}",
        agent.log_text()
    );
    assert!(
        !agent.log_text().contains(&split_uri(&held.uri).1),
        "the token is not logged"
    );
    assert_eq!(held.finish(), 0);
}

#[test]
fn a_control_connection_from_another_uid_is_refused_and_logged() {
    if !crate::common::require_root("connecting as nobody") {
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let w = world();
    let agent = start_agent(&w.env);
    let sock = socket_path(&w.env);
    // Open the way (normally 0700/0600 stop nobody at the door) to reach the uid check.
    for d in [
        w.env.path().to_path_buf(),
        w.env.path().join("runtime"),
        sock.parent().unwrap().to_path_buf(),
    ] {
        std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o711)).unwrap();
    }
    std::fs::set_permissions(&sock, std::fs::Permissions::from_mode(0o666)).unwrap();
    let out = Command::new("setpriv")
        .args(["--reuid=nobody", "--regid=nogroup", "--clear-groups", "/usr/bin/python3", "-c"])
        .arg("import socket, sys\ns = socket.socket(socket.AF_UNIX)\ns.connect(sys.argv[1])\ntry:\n  s.sendall(b'{\"type\":\"status\"}\\n'); s.settimeout(5); print(repr(s.recv(4096)))\nexcept OSError:\n  print(\"b''\")")
        .arg(&sock)
        .output()
        .unwrap();
    let answer = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        answer.trim(),
        "b''",
        "closed without an answer; stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        agent
            .log_text()
            .contains("refused a control connection from uid 65534"),
        "{}",
        agent.log_text()
    );
}

#[test]
fn a_long_running_child_gets_a_new_session_after_the_first_expires() {
    let w = world();
    w.emu.set_session_lifetime(Some(Duration::from_secs(12)));
    let _agent = start_agent(&w.env);
    let held = held_exec(&w.env, &["admin", "--server"]);
    let (addr, path) = split_uri(&held.uri);
    let (_, first) = http_get(&addr, &path, &[]);
    let first = access_key_id(&first);
    let mut ids = vec![first.clone()];
    let deadline = Instant::now() + Duration::from_secs(30);
    while ids.len() < 3 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(500));
        let (status, body) = http_get(&addr, &path, &[]);
        assert_eq!(status, 200, "{body}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        let exp = time::OffsetDateTime::parse(
            v["Expiration"].as_str().unwrap(),
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap();
        assert!(
            (exp - time::OffsetDateTime::now_utc()).whole_seconds() >= 5,
            "never an (almost) expired session"
        );
        let id = access_key_id(&body);
        if ids.last() != Some(&id) {
            ids.push(id);
        }
    }
    assert!(ids.len() >= 3, "sessions served: {ids:?}");
    assert_eq!(held.finish(), 0);
}

#[test]
fn a_thousand_concurrent_requests_across_a_refresh_cause_one_assume_role() {
    let w = world();
    w.emu.set_session_lifetime(Some(Duration::from_secs(16)));
    let _agent = start_agent(&w.env);
    let held = held_exec(&w.env, &["admin", "--server"]);
    let (addr, path) = split_uri(&held.uri);
    let (_, body) = http_get(&addr, &path, &[]);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let first = v["AccessKeyId"].as_str().unwrap().to_string();
    let exp = time::OffsetDateTime::parse(
        v["Expiration"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    assert_eq!(w.emu.calls("AssumeRole"), 1);
    // A 16 s session is fresh for half its lifetime as the vault measures it (from the local
    // arrival time, so 7 or 8 s): fire just after it is stale by either measure.
    let stale_at = exp - time::Duration::seconds(6);
    let wait = (stale_at - time::OffsetDateTime::now_utc())
        .whole_milliseconds()
        .max(0) as u64;
    std::thread::sleep(Duration::from_millis(wait + 50));
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(1000));
    let handles: Vec<_> = (0..1000)
        .map(|_| {
            let (addr, path, barrier) = (addr.clone(), path.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                http_get(&addr, &path, &[])
            })
        })
        .collect();
    let results: Vec<(u16, String)> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    for (status, body) in &results {
        assert_eq!(*status, 200, "{body}");
    }
    let ids: std::collections::BTreeSet<String> =
        results.iter().map(|(_, b)| access_key_id(b)).collect();
    assert_eq!(w.emu.calls("AssumeRole"), 2, "exactly one refresh");
    // The old session was stale for every request: each got the one new session.
    assert!(!ids.contains(&first), "a stale session was served: {ids:?}");
    assert_eq!(ids.len(), 1, "{ids:?}");
    assert!(ids.iter().all(|id| w.emu.issued_sts_key(id)), "{ids:?}");
    assert_eq!(held.finish(), 0);
}

#[test]
fn after_sigkill_nothing_secret_is_left_and_a_restarted_agent_serves_exec() {
    let w = world();
    let mut agent = start_agent(&w.env);
    let first = w.env.exec_key_id("admin");
    let first = first.ok().trim().to_string();
    agent.kill9();
    let dir = socket_path(&w.env).parent().unwrap().to_path_buf();
    for e in std::fs::read_dir(&dir).unwrap() {
        let e = e.unwrap();
        if e.file_name() == "agent.lock" {
            // The one-agent lock: the pid of the agent, nothing secret.
            let text = std::fs::read_to_string(e.path()).unwrap();
            assert_eq!(text, agent.pid().to_string());
            continue;
        }
        use std::os::unix::fs::FileTypeExt;
        assert!(
            e.file_type().unwrap().is_socket(),
            "only the socket and the lock may remain: {:?}",
            e.path()
        );
    }
    // A stale socket: the CLI works without the agent.
    let direct = w.env.exec_key_id("admin");
    assert_eq!(
        direct.ok().trim(),
        first,
        "the keystore cache is shared with the CLI"
    );
    let _agent = start_agent(&w.env);
    let again = w.env.exec_key_id("admin");
    assert_eq!(
        again.ok().trim(),
        first,
        "the restarted agent reuses the cached session"
    );
    assert_eq!(w.emu.calls("AssumeRole"), 1);
}

#[test]
fn agent_start_detaches_and_agent_stop_ends_it() {
    let w = world();
    let r = w.env.run(&["agent", "start"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let st = w.env.run(&["agent", "status", "--json"]);
    let v: serde_json::Value = serde_json::from_str(st.ok()).unwrap();
    let pid = v["pid"].as_i64().unwrap() as i32;
    let r = w.env.run(&["agent", "stop"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(w.env.run(&["agent", "status"]).code, 4);
    assert!(
        !socket_path(&w.env).exists(),
        "the socket is removed on stop"
    );
    // Gone, or a zombie waiting for init (we started it; checked by pid).
    let deadline = Instant::now() + Duration::from_secs(5);
    let alive = || {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .map(|s| {
                s.rsplit_once(')')
                    .map(|(_, r)| !r.trim_start().starts_with('Z'))
                    .unwrap_or(false)
            })
            .unwrap_or(false)
    };
    while alive() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!alive(), "agent pid {pid} still alive");
}

#[test]
fn sigterm_and_sigint_stop_the_agent_cleanly_and_say_why() {
    for (signal, name) in [
        (nix::sys::signal::Signal::SIGTERM, "SIGTERM"),
        (nix::sys::signal::Signal::SIGINT, "SIGINT"),
    ] {
        let w = world();
        let mut agent = start_agent(&w.env);
        assert!(socket_path(&w.env).exists());
        nix::sys::signal::kill(nix::unistd::Pid::from_raw(agent.pid()), signal).unwrap();
        let deadline = Instant::now() + Duration::from_secs(5);
        let status = loop {
            if let Some(s) = agent.child.try_wait().unwrap() {
                break s;
            }
            assert!(
                Instant::now() < deadline,
                "the agent did not stop on {name}"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        assert_eq!(status.code(), Some(0), "{name}: {}", agent.log_text());
        assert!(
            agent.log_text().contains(&format!("stopping ({name})")),
            "{}",
            agent.log_text()
        );
        assert!(
            !socket_path(&w.env).exists(),
            "the socket is removed on {name}"
        );
    }
}

#[test]
fn exec_server_passes_the_childs_exit_code_and_signal() {
    let w = world();
    let r = w
        .env
        .run(&["exec", "admin", "--server", "--", "sh", "-c", "exit 7"]);
    assert_eq!(r.code, 7, "{}", r.stderr);
    let r = w.env.run(&[
        "exec",
        "admin",
        "--server",
        "--",
        "sh",
        "-c",
        "kill -TERM $$",
    ]);
    assert_eq!(r.code, 128 + 15, "{}", r.stderr);
}

#[test]
fn exec_server_forwards_sigterm_to_the_child() {
    let w = world();
    let marker = w.env.path().join("got-term");
    let script = format!(
        "trap 'echo term > {}; exit 3' TERM; echo ready; while :; do sleep 0.05; done",
        marker.display()
    );
    let mut child = w
        .env
        .cmd(&["exec", "admin", "--server", "--", "sh", "-c", &script])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut buf = [0u8; 6];
    child.stdout.as_mut().unwrap().read_exact(&mut buf).unwrap();
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(3));
    assert!(marker.exists());
}

#[allow(dead_code)]
fn bin() -> &'static Path {
    Path::new(BIN)
}

#[test]
fn a_credentials_uri_client_is_audited_with_its_pid_and_executable() {
    let w = world();
    let _agent = start_agent(&w.env);
    let held = held_exec(&w.env, &["--server", "admin"]);
    let (addr, path) = split_uri(&held.uri);
    // This test process is the client: its socket leads the agent to its pid.
    let (status, body) = http_get(&addr, &path, &[]);
    assert_eq!(status, 200, "{body}");
    let log = w.env.run(&["agent", "log", "--json"]);
    let uri_lines: Vec<serde_json::Value> = log
        .ok()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|l: &serde_json::Value| l["channel"] == "uri")
        .collect();
    assert_eq!(uri_lines.len(), 1, "{}", log.stdout);
    assert_eq!(uri_lines[0]["pid"], std::process::id(), "{}", log.stdout);
    assert_eq!(
        uri_lines[0]["exe"],
        std::env::current_exe().unwrap().to_str().unwrap(),
        "{}",
        log.stdout
    );
    assert!(uri_lines[0]["peer"]
        .as_str()
        .is_some_and(|p| p.starts_with("127.0.0.1:")));

    // Three requests on one keep-alive connection: one more line, not three.
    let mut s = TcpStream::connect(&addr).unwrap();
    let req = |close: bool| {
        format!(
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\n{}\r\n",
            if close { "Connection: close\r\n" } else { "" }
        )
    };
    s.write_all(format!("{}{}{}", req(false), req(false), req(true)).as_bytes())
        .unwrap();
    let mut answers = String::new();
    s.read_to_string(&mut answers).unwrap();
    assert_eq!(answers.matches("HTTP/1.1 200 OK").count(), 3, "{answers}");
    let log = w.env.run(&["agent", "log", "--json"]);
    let uri_lines = log.ok().lines().filter(|l| l.contains("\"uri\"")).count();
    assert_eq!(
        uri_lines, 2,
        "one line per connection and session: {}",
        log.stdout
    );
    assert_eq!(held.finish(), 0);
}

/// systemd socket activation: the agent takes the control socket it is handed
/// (`LISTEN_PID` = its own pid, `LISTEN_FDS` = 1), serves on it, and does not bind its own.
/// `systemd-socket-activate` (from systemd) plays the service manager: it listens, and on the
/// first connection executes the agent with the socket as fd 3.
#[test]
fn a_socket_activated_agent_serves_on_the_socket_it_was_handed() {
    let w = world();
    let sock = socket_path(&w.env);
    let dir = sock.parent().unwrap();
    std::fs::create_dir_all(dir).unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    let listen = format!("--listen={}", sock.display());
    let mut agent = start_agent_cmd(
        &w.env,
        w.env
            .cmd_under(&["systemd-socket-activate", &listen], &["agent", "run"]),
    );
    let st = w.env.run(&["agent", "status", "--json"]);
    let v: serde_json::Value = serde_json::from_str(st.ok()).unwrap();
    assert_eq!(
        v["pid"].as_i64().unwrap() as u32,
        agent.pid() as u32,
        "the process systemd-socket-activate became answers on the socket"
    );
    let r = w.env.run(&["agent", "stop"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let deadline = Instant::now() + Duration::from_secs(10);
    while agent.child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "the agent did not exit");
        std::thread::sleep(Duration::from_millis(20));
    }
    // An agent that bound its own socket removes it on stop; the handed-over one belongs to
    // the service manager and stays.
    assert!(
        sock.exists(),
        "the agent unlinked a socket it did not make:\n{}",
        agent.log_text()
    );
}
