//! An open shell that never goes stale (`export --format shell-uri|fish-uri`): real bash, zsh
//! and fish eval the documented line, then the real Python, Node and Go clients started from
//! that shell read the agent's credentials URI across a session expiry; no static credential
//! variable is left in the shell; the URI stops answering when the shell exits (also when the
//! export ran in a short-lived subshell) and on `clear`; the agent is started when none runs,
//! and a clear error says what to do when autostart is off.

use crate::agent::{http_get, split_uri, start_agent, world, World};
use crate::common::{node_modules, python, repo_root, BIN};
use alicloud_vault::environment;
use std::path::Path;
use std::time::{Duration, Instant};

/// Stops (SIGTERM) an agent the test caused to start, by its pid, whatever the outcome.
struct Started(Option<i32>);

impl Drop for Started {
    fn drop(&mut self) {
        if let Some(pid) = self.0 {
            let _ = nix::sys::signal::kill(
                nix::unistd::Pid::from_raw(pid),
                nix::sys::signal::Signal::SIGTERM,
            );
        }
    }
}

/// What every client started from the shell runs, twice, a session expiry apart: the
/// default credential chains of the Python and Node SDKs and of credentials-go (which find
/// ALIBABA_CLOUD_CREDENTIALS_URI by themselves), each printing the AccessKey id it got.
const CLIENTS: &str = r#"
set -e
out=$1
env > "$out/env"
printf '%s' "$ALIBABA_CLOUD_CREDENTIALS_URI" > "$out/uri"
for round in 1 2; do
  "$PY" -c "$PY_CHAIN" > "$out/py$round"
  node -e "$NODE_CHAIN" > "$out/node$round"
  if [ -x "$CREDGO" ]; then "$CREDGO" chain > "$out/go$round"; fi
  [ $round = 2 ] || sleep "$WAIT"
done
"#;

const PY_CHAIN: &str = r#"
from alibabacloud_credentials.client import Client
k = Client().get_credential()
assert k.security_token, 'no token'
print(k.access_key_id)
"#;

const NODE_CHAIN: &str = r#"
const Credential = require('@alicloud/credentials').default;
(async () => {
  const k = await new Credential().getCredential();
  if (!k.securityToken) throw new Error('no token');
  console.log(k.accessKeyId);
})().catch(e => { console.error(e.message); process.exit(1); });
"#;

/// Runs `shell -c script` with the world's environment, static credentials of a stale
/// session in it (which the line must remove), and the clients' settings.
fn run_shell(w: &World, shell: &str, script: &str) -> crate::common::Run {
    let base = w.env.cmd(&[]);
    let mut cmd = std::process::Command::new(shell);
    cmd.arg("-c").arg(script).env_clear();
    for (k, v) in base.get_envs() {
        if let Some(v) = v {
            cmd.env(k, v);
        }
    }
    let credgo = repo_root().join("tests/clients/.go/bin/credgo");
    cmd.env("PY", python())
        .env("PY_CHAIN", PY_CHAIN)
        .env("NODE_CHAIN", NODE_CHAIN)
        .env("NODE_PATH", node_modules())
        .env("CREDGO", credgo)
        .env("CLIENTS", CLIENTS)
        .env("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIstale")
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "stale-secret")
        .env("ALIBABA_CLOUD_SECURITY_TOKEN", "stale-token")
        .env("OSS_ACCESS_KEY_ID", "LTAIstale")
        .env("ALICLOUD_SESSION_EXPIRATION", "2020-01-01T00:00:00Z")
        .stdin(std::process::Stdio::null());
    crate::common::Run::from(cmd.output().expect("run the shell"))
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .trim()
        .to_string()
}

/// Waits until the URI stops answering with credentials (revocation is asynchronous).
fn assert_revoked(uri: &str, why: &str) {
    let (addr, path) = split_uri(uri);
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let (status, _) = http_get(&addr, &path, &[]);
        if status == 403 || status == 404 || status == 401 {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the URI still answers {status} after {why}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The shell line, then the clients, across an expiry; then the shell exits.
fn a_shell_gets_fresh_sessions_until_it_exits(shell: &str, line: &str) {
    let w = world();
    // Ten-second sessions: the agent replaces each with five seconds left.
    w.emu.set_session_expires_in(Some(10));
    let _agent = start_agent(&w.env);
    let out = tempfile::tempdir().unwrap();
    let wait = "7";
    let line = line.replace("BIN", BIN);
    let script = match shell {
        "fish" => format!(
            "{line}; or exit 3\nenv WAIT={wait} sh -c \"$CLIENTS\" clients {}",
            out.path().display()
        ),
        _ => format!(
            "{line} || exit 3\nWAIT={wait} sh -c \"$CLIENTS\" clients {}",
            out.path().display()
        ),
    };
    let r = run_shell(&w, shell, &script);
    assert_eq!(r.code, 0, "{shell}: {r:?}");
    let dir = out.path();

    // The shell had the URI, the profile, and none of the static variables.
    let env = read(dir, "env");
    let has = |name: &str| env.lines().any(|l| l.starts_with(&format!("{name}=")));
    for name in environment::ACCESS_KEY_ID_VARS
        .iter()
        .chain(&environment::ACCESS_KEY_SECRET_VARS)
        .chain(&environment::SECURITY_TOKEN_VARS)
        .chain(&[environment::EXPIRATION_VAR])
    {
        assert!(!has(name), "{shell}: {name} is still set");
    }
    assert!(env.lines().any(|l| l == "ALICLOUD_VAULT=admin"), "{env}");
    let uri = read(dir, "uri");
    assert!(uri.starts_with("http://127.0.0.1:"), "{uri}");
    assert!(
        env.lines()
            .any(|l| l == format!("ALICLOUD_CREDENTIALS_URI={uri}")),
        "{env}"
    );

    // Every client got a session the emulator minted, and a new one after the expiry.
    let mut clients = vec!["py", "node"];
    if dir.join("go1").exists() {
        clients.push("go");
    }
    for c in &clients {
        let first = read(dir, &format!("{c}1"));
        let second = read(dir, &format!("{c}2"));
        let id = |text: &str| -> String {
            if *c == "go" {
                let v: serde_json::Value = serde_json::from_str(text).unwrap();
                assert_eq!(v["ProviderName"], "default/credential_uri", "{text}");
                v["AccessKeyId"].as_str().unwrap().to_string()
            } else {
                text.to_string()
            }
        };
        let (a, b) = (id(&first), id(&second));
        assert!(w.emu.issued_sts_key(&a), "{shell} {c}: {a}");
        assert!(w.emu.issued_sts_key(&b), "{shell} {c}: {b}");
        assert_ne!(a, b, "{shell} {c}: the same session across an expiry");
    }
    assert_revoked(&uri, &format!("{shell} exited"));
}

#[test]
fn bash_gets_fresh_sessions_until_it_exits() {
    a_shell_gets_fresh_sessions_until_it_exits(
        "bash",
        r#"eval "$(BIN export admin --format shell-uri --shell-pid $$)""#,
    );
}

#[test]
fn zsh_gets_fresh_sessions_until_it_exits() {
    a_shell_gets_fresh_sessions_until_it_exits(
        "zsh",
        r#"eval "$(BIN export admin --format shell-uri --shell-pid $$)""#,
    );
}

#[test]
fn fish_gets_fresh_sessions_until_it_exits() {
    a_shell_gets_fresh_sessions_until_it_exits(
        "fish",
        "BIN export admin --format fish-uri --shell-pid $fish_pid | source; and set -q ALIBABA_CLOUD_CREDENTIALS_URI",
    );
}

/// `$(...; true)` makes bash fork a subshell that runs the export and exits at once: the URI
/// follows `$$`, the interactive shell, and outlives the subshell.
#[test]
fn the_uri_follows_the_shell_not_the_subshell_the_export_ran_in() {
    let w = world();
    let _agent = start_agent(&w.env);
    let out = tempfile::tempdir().unwrap();
    let script = format!(
        r#"eval "$('{BIN}' export admin --format shell-uri --shell-pid $$; true)" || exit 3
        printf '%s' "$ALIBABA_CLOUD_CREDENTIALS_URI" > {dir}/uri
        sleep 1
        "$PY" -c "$PY_CHAIN" > {dir}/py"#,
        dir = out.path().display()
    );
    let r = run_shell(&w, "bash", &script);
    assert_eq!(r.code, 0, "{r:?}");
    let id = read(out.path(), "py");
    assert!(w.emu.issued_sts_key(&id), "{id}");
    assert_revoked(&read(out.path(), "uri"), "bash exited");
}

#[test]
fn clear_revokes_an_open_shells_uri_while_the_shell_lives() {
    let w = world();
    let _agent = start_agent(&w.env);
    let script = format!(
        r#"eval "$('{BIN}' export admin --format shell-uri --shell-pid $$)" || exit 3
        code() {{ curl -s --noproxy '*' -o /dev/null -w '%{{http_code}}' "$ALIBABA_CLOUD_CREDENTIALS_URI"; }}
        echo "before $(code)"
        '{BIN}' clear 2>/dev/null
        echo "after $(code)""#
    );
    let r = run_shell(&w, "bash", &script);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("before 200"), "{r:?}");
    assert!(r.stdout.contains("after 403"), "{r:?}");
}

#[test]
fn a_pid_that_is_not_the_shell_or_an_ancestor_is_refused() {
    let w = world();
    let _agent = start_agent(&w.env);
    let mut other = std::process::Command::new("sleep")
        .arg("30")
        .spawn()
        .unwrap();
    let pid = other.id().to_string();
    let r = w.env.run(&[
        "export",
        "admin",
        "--format",
        "shell-uri",
        "--shell-pid",
        &pid,
    ]);
    let _ = other.kill();
    let _ = other.wait();
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stderr.contains(&format!(
            "process {pid} is not the shell this command runs in"
        )),
        "{r:?}"
    );
    assert!(r.stdout.is_empty(), "nothing for the shell to eval: {r:?}");
    let r = w.env.run(&["export", "admin", "--format", "shell-uri"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("add --shell-pid $$"), "{r:?}");
}

#[test]
fn the_line_starts_the_agent_when_none_runs_and_says_what_to_do_when_autostart_is_off() {
    let mut w = world();
    let script = format!(r#"'{BIN}' export admin --format shell-uri --shell-pid $$"#);
    let r = run_shell(&w, "bash", &script);
    assert_eq!(r.code, 4, "{r:?}");
    assert!(
        r.stderr.contains(
            "an open shell's credentials URI needs the agent, and none runs; autostart is off"
        ),
        "{r:?}"
    );
    assert!(r.stdout.is_empty(), "{r:?}");

    w.env.set_var("ALICLOUD_VAULT_AUTOSTART", "1");
    let out = tempfile::tempdir().unwrap();
    let script = format!(
        r#"eval "$('{BIN}' export admin --format shell-uri --shell-pid $$)" || exit 3
        printf '%s' "$ALIBABA_CLOUD_CREDENTIALS_URI" > {dir}/uri
        "$PY" -c "$PY_CHAIN" > {dir}/py"#,
        dir = out.path().display()
    );
    let r = run_shell(&w, "bash", &script);
    let status = w.env.run(&["agent", "status", "--json"]);
    let pid = serde_json::from_str::<serde_json::Value>(&status.stdout)
        .ok()
        .and_then(|v| v["pid"].as_i64())
        .map(|p| p as i32);
    let _started = Started(pid);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        pid.is_some(),
        "the export did not start the agent: {status:?}"
    );
    let id = read(out.path(), "py");
    assert!(w.emu.issued_sts_key(&id), "{id}");
    assert_revoked(&read(out.path(), "uri"), "bash exited");
}
