//! The ECS metadata emulation, inside a network namespace this test creates (and deletes on
//! every exit path): real Python, Node, oss2 and aliyun-python-sdk-core clients in ECS RAM role
//! mode, hardened mode, refresh with short sessions, and rejections. 100.100.100.200 is only
//! ever addressed inside the namespace.

use crate::agent::{http_get, http_request, AgentProc};
use crate::common::{admin_world, node_modules, python, unique, TestEnv, ACCOUNT, BIN};
use emulator::state::Trusted;
use emulator::Emulator;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

pub const MD: &str = "100.100.100.200";

/// A network namespace with 100.100.100.200 on its `lo`; deleted on drop.
pub struct Netns {
    name: String,
}

impl Netns {
    /// A new namespace (`None` only when the run opted out of root-only tests).
    pub fn new() -> Option<Netns> {
        let ns = Netns::named("md")?;
        ns.ip(&["addr", "add", "100.100.100.200/32", "dev", "lo"]);
        Some(ns)
    }

    /// A new namespace with only `lo`, up; `tag` goes into its name.
    pub fn named(tag: &str) -> Option<Netns> {
        if !crate::common::require_root("a network namespace") {
            return None;
        }
        let name = format!("avt-{tag}-{}", unique("").trim_start_matches('-'));
        let created = Command::new("ip")
            .args(["netns", "add", &name])
            .status()
            .is_ok_and(|s| s.success());
        assert!(
            created,
            "cannot create the network namespace {name} (is iproute2 installed?)"
        );
        let ns = Netns { name };
        ns.ip(&["link", "set", "lo", "up"]);
        Some(ns)
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// `ip -n NAME ARGS...`, which must succeed.
    pub fn ip(&self, args: &[&str]) {
        let ok = Command::new("ip")
            .args(["-n", &self.name])
            .args(args)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "ip -n {} {}", self.name, args.join(" "));
    }

    /// A command run inside the namespace with the world's environment.
    pub fn cmd(
        &self,
        env: &TestEnv,
        program: &str,
        args: &[&str],
        extra: &[(&str, &str)],
    ) -> Command {
        let base = env.cmd(&[]);
        let mut c = Command::new("ip");
        c.args(["netns", "exec", &self.name, program])
            .args(args)
            .env_clear();
        for (k, v) in base.get_envs() {
            if let Some(v) = v {
                c.env(k, v);
            }
        }
        for (k, v) in extra {
            c.env(k, v);
        }
        c
    }

    /// Starts the STS emulator with its socket inside the namespace (setns on one thread).
    pub fn emulator(&self) -> Emulator {
        let path = format!("/var/run/netns/{}", self.name);
        std::thread::spawn(move || {
            let f = std::fs::File::open(path).unwrap();
            use std::os::fd::AsRawFd;
            // SAFETY: setns on this thread only, with a namespace file we hold open.
            assert_eq!(
                unsafe { libc::setns(f.as_raw_fd(), libc::CLONE_NEWNET) },
                0,
                "setns"
            );
            Emulator::start()
        })
        .join()
        .unwrap()
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        let _ = Command::new("ip")
            .args(["netns", "del", &self.name])
            .status();
    }
}

pub struct World {
    pub env: TestEnv,
    pub emu: Emulator,
    pub ns: Netns,
}

pub fn world(hardened: bool) -> Option<World> {
    let ns = Netns::new()?;
    let emu = ns.emulator();
    let env = TestEnv::new();
    let ops = emu.add_role(
        ACCOUNT,
        "ops",
        43200,
        vec![Trusted::Account(ACCOUNT.into())],
    );
    admin_world(
        &env,
        &emu,
        "",
        &format!(
            "\n[profile.ops]\nsource_profile = \"base\"\nrole_arn = \"{ops}\"\n\n\
             [metadata]\nprofile = \"admin\"\nrole_name = \"laptop-role\"\nhardened = {hardened}\n"
        ),
    );
    Some(World { env, emu, ns })
}

/// Runs the agent inside the namespace and waits until the metadata endpoint answers there.
pub fn start_agent(w: &World) -> AgentProc {
    let cmd = w.ns.cmd(&w.env, BIN, &["agent", "run"], &[]);
    let agent = crate::agent::start_agent_cmd(&w.env, cmd);
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let out = curl(
            w,
            &[
                "-sS",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code}",
                "-X",
                "PUT",
                "-H",
                "X-aliyun-ecs-metadata-token-ttl-seconds: 60",
                &format!("http://{MD}/latest/api/token"),
            ],
        );
        if String::from_utf8_lossy(&out.stdout) == "200" {
            return agent;
        }
        assert!(
            Instant::now() < deadline,
            "metadata endpoint did not answer\n{}",
            agent.log_text()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn curl(w: &World, args: &[&str]) -> Output {
    let mut all = vec!["--noproxy", "*", "--max-time", "5"];
    all.extend_from_slice(args);
    w.ns.cmd(&w.env, "curl", &all, &[]).output().unwrap()
}

pub fn run_in_ns(w: &World, program: &str, args: &[&str], extra: &[(&str, &str)]) -> String {
    let out = w.ns.cmd(&w.env, program, args, extra).output().unwrap();
    assert!(
        out.status.success(),
        "{program}: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

const PY_ECS: &str = r#"
import sys
from alibabacloud_credentials.client import Client
from alibabacloud_credentials.models import Config
c = Client(Config(type='ecs_ram_role', role_name=sys.argv[1] or None, disable_imds_v1=sys.argv[2] == '1'))
k = c.get_credential()
assert k.security_token
print(k.access_key_id)
"#;

const OSS2_ECS: &str = r#"
import oss2
p = oss2.credentials.EcsRamRoleCredentialsProvider('http://100.100.100.200/latest/meta-data/Ram/security-credentials/laptop-role')
k = p.get_credentials()
assert k.security_token
print(k.access_key_id)
"#;

const CORE_ECS: &str = r#"
from aliyunsdkcore.auth.credentials import EcsRamRoleCredential
from aliyunsdkcore.auth.signers.ecs_ram_role_signer import EcsRamRoleSigner
s = EcsRamRoleSigner(EcsRamRoleCredential('laptop-role'))
s._check_session_credential()
print(s._session_credential[0])
"#;

const NODE_ECS: &str = r#"
const Credential = require('@alicloud/credentials').default;
const { Config } = require('@alicloud/credentials');
(async () => {
  const c = new Credential(new Config({ type: 'ecs_ram_role', disableIMDSv1: process.argv[1] === '1' }));
  const k = await c.getCredential();
  if (!k.securityToken) throw new Error('no token');
  console.log(k.accessKeyId);
})().catch(e => { console.error(e.message); process.exit(1); });
"#;

fn check_real_clients(w: &World, hardened: bool) {
    let py = python();
    let py = py.to_str().unwrap();
    let v1 = if hardened { "1" } else { "0" };
    let node_path = node_modules();
    let node_env = [("NODE_PATH", node_path.to_str().unwrap())];
    let mut ids = vec![
        run_in_ns(w, py, &["-c", PY_ECS, "laptop-role", v1], &[]),
        run_in_ns(w, py, &["-c", PY_ECS, "", v1], &[]), // role name discovered from the listing
        run_in_ns(w, "node", &["-e", NODE_ECS, v1], &node_env),
    ];
    if !hardened {
        ids.push(run_in_ns(w, py, &["-c", OSS2_ECS], &[]));
        ids.push(run_in_ns(w, py, &["-c", CORE_ECS], &[]));
    }
    for id in &ids {
        assert!(w.emu.issued_sts_key(id), "{id}: {ids:?}");
    }
    assert!(
        ids.windows(2).all(|p| p[0] == p[1]),
        "one session for all: {ids:?}"
    );
    assert_eq!(w.emu.calls("AssumeRole"), 1);
}

#[test]
fn real_clients_get_the_profiles_session_from_the_metadata_endpoint() {
    let Some(w) = world(false) else { return };
    let agent = start_agent(&w);
    let listing = curl(
        &w,
        &[
            "-sS",
            &format!("http://{MD}/latest/meta-data/ram/security-credentials/"),
        ],
    );
    assert_eq!(
        String::from_utf8_lossy(&listing.stdout),
        "laptop-role",
        "no trailing newline"
    );
    let region = curl(
        &w,
        &["-sS", &format!("http://{MD}/latest/meta-data/region-id")],
    );
    assert_eq!(String::from_utf8_lossy(&region.stdout), "cn-hangzhou");
    let unknown = curl(
        &w,
        &[
            "-sS",
            "-w",
            "\n%{http_code}",
            &format!("http://{MD}/latest/meta-data/ram/security-credentials/other"),
        ],
    );
    let unknown = String::from_utf8_lossy(&unknown.stdout).to_string();
    assert!(
        unknown.ends_with("\n404") && unknown.contains("404 - Not Found"),
        "{unknown}"
    );
    check_real_clients(&w, false);
    let log = w.env.run(&["agent", "log", "--json"]);
    assert!(
        log.ok()
            .lines()
            .any(|l| l.contains("\"channel\":\"metadata\"")),
        "{}",
        log.stdout
    );
    drop(agent);
}

#[test]
fn hardened_mode_requires_a_token_and_real_clients_send_one() {
    let Some(w) = world(true) else { return };
    let _agent = start_agent(&w);
    let url = format!("http://{MD}/latest/meta-data/ram/security-credentials/laptop-role");
    let plain = curl(&w, &["-sS", "-o", "/dev/null", "-w", "%{http_code}", &url]);
    assert_eq!(String::from_utf8_lossy(&plain.stdout), "401");
    let bad = curl(
        &w,
        &[
            "-sS",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            "-H",
            "X-aliyun-ecs-metadata-token: 1.abc",
            &url,
        ],
    );
    assert_eq!(String::from_utf8_lossy(&bad.stdout), "401");
    let ttl = curl(
        &w,
        &[
            "-sS",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            "-X",
            "PUT",
            "-H",
            "X-aliyun-ecs-metadata-token-ttl-seconds: 21601",
            &format!("http://{MD}/latest/api/token"),
        ],
    );
    assert_eq!(String::from_utf8_lossy(&ttl.stdout), "400");
    check_real_clients(&w, true);
}

#[test]
fn the_metadata_endpoint_refuses_rebinding_forwarding_and_browsers() {
    let Some(w) = world(false) else { return };
    let _agent = start_agent(&w);
    let url = format!("http://{MD}/latest/meta-data/ram/security-credentials/laptop-role");
    let status = |extra: &[&str]| {
        let mut a = vec!["-sS", "-o", "/dev/null", "-w", "%{http_code}"];
        a.extend_from_slice(extra);
        a.push(&url);
        String::from_utf8_lossy(&curl(&w, &a).stdout).to_string()
    };
    assert_eq!(status(&[]), "200");
    assert_eq!(status(&["-H", "Host: attacker.example"]), "403");
    assert_eq!(status(&["-H", "X-Forwarded-For: 1.2.3.4"]), "403");
    assert_eq!(status(&["-H", "Origin: http://evil.example"]), "403");
    assert_eq!(status(&["-H", "Sec-Fetch-Site: cross-site"]), "403");
    // Another uid, inside the namespace.
    let out =
        w.ns.cmd(
            &w.env,
            "setpriv",
            &[
                "--reuid=nobody",
                "--regid=nogroup",
                "--clear-groups",
                "curl",
                "--noproxy",
                "*",
                "--max-time",
                "5",
                "-sS",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code}",
                &url,
            ],
            &[],
        )
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "000",
        "connection dropped"
    );
    let _ = (http_get, http_request);
}

#[test]
fn short_sessions_are_refreshed_and_clients_see_a_new_key_after_expiry() {
    let Some(w) = world(false) else { return };
    w.emu.set_session_lifetime(Some(Duration::from_secs(12)));
    let _agent = start_agent(&w);
    let py = python();
    let py = py.to_str().unwrap();
    let script = r#"
import time
from alibabacloud_credentials.client import Client
from alibabacloud_credentials.models import Config
c = Client(Config(type='ecs_ram_role', role_name='laptop-role'))
first = c.get_credential().access_key_id
deadline = time.time() + 30
while time.time() < deadline:
    time.sleep(0.5)
    k = c.get_credential().access_key_id
    if k != first:
        print(first, k)
        break
"#;
    let out = run_in_ns(&w, py, &["-c", script], &[]);
    let ids: Vec<&str> = out.split_whitespace().collect();
    assert_eq!(
        ids.len(),
        2,
        "a new AccessKeyId after the first session: {out}"
    );
    assert!(ids.iter().all(|id| w.emu.issued_sts_key(id)));
}

/// The role ARN of the newest AssumeRole the emulator received.
fn last_assumed_role(w: &World) -> String {
    w.emu
        .requests()
        .iter()
        .rev()
        .find_map(|r| r.role_arn.clone())
        .unwrap_or_default()
}

#[test]
fn metadata_use_switches_the_served_profile_at_run_time() {
    let Some(w) = world(false) else { return };
    let _agent = start_agent(&w);
    let py = python();
    let py = py.to_str().unwrap();
    let first = run_in_ns(&w, py, &["-c", PY_ECS, "laptop-role", "0"], &[]);
    assert!(w.emu.issued_sts_key(&first));
    assert!(
        last_assumed_role(&w).ends_with(":role/admin"),
        "{}",
        last_assumed_role(&w)
    );
    let r = w.env.run(&["metadata", "use", "ops"]);
    r.ok();
    let second = run_in_ns(&w, py, &["-c", PY_ECS, "", "0"], &[]);
    assert_ne!(second, first);
    assert!(w.emu.issued_sts_key(&second));
    assert!(
        last_assumed_role(&w).ends_with(":role/ops"),
        "{}",
        last_assumed_role(&w)
    );
    let r = w.env.run(&["metadata", "use", "no-such-profile"]);
    assert_ne!(r.code, 0);
}

#[test]
fn exec_ecs_server_serves_the_endpoint_for_the_life_of_the_child() {
    let Some(w) = world(false) else { return };
    let py = python();
    let py = py.to_str().unwrap();
    // No agent: the exec serves the endpoint itself; the client finds the role name in
    // ALIBABA_CLOUD_ECS_METADATA and gets no key variables.
    let script = format!("{PY_ECS}\nimport os\nassert 'ALIBABA_CLOUD_ACCESS_KEY_ID' not in os.environ\nprint(os.environ['ALIBABA_CLOUD_ECS_METADATA'])\n");
    let out = run_in_ns(
        &w,
        BIN,
        &[
            "exec",
            "admin",
            "--ecs-server",
            "--",
            py,
            "-c",
            &script,
            "",
            "0",
        ],
        &[],
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(w.emu.issued_sts_key(lines[0]), "{out}");
    assert_eq!(lines[1], "laptop-role");
    // Gone with the child.
    let after = curl(
        &w,
        &[
            "-sS",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            &format!("http://{MD}/latest/meta-data/ram/security-credentials/"),
        ],
    );
    assert_eq!(String::from_utf8_lossy(&after.stdout), "000");
}

/// An OIDC profile (no stored key) chained into a role, served on the metadata endpoint to the
/// real Python client inside the namespace.
#[test]
fn an_oidc_chain_reaches_a_real_client_through_the_metadata_endpoint() {
    let Some(ns) = Netns::new() else { return };
    let emu = ns.emulator();
    let o = crate::oidc::oidc_world_in(
        TestEnv::new(),
        emu,
        "\n[metadata]\nprofile = \"ci-deploy\"\nrole_name = \"laptop-role\"\n",
    );
    let w = World {
        env: o.env,
        emu: o.emu,
        ns,
    };
    let _agent = start_agent(&w);
    let py = python();
    let id = run_in_ns(
        &w,
        py.to_str().unwrap(),
        &["-c", PY_ECS, "laptop-role", "0"],
        &[],
    );
    assert!(w.emu.issued_sts_key(&id), "{id}");
    assert_eq!(w.emu.oidc_tokens_presented().len(), 1);
    assert_eq!(
        w.emu.calls("AssumeRole"),
        1,
        "one hop after the OIDC source"
    );
}
