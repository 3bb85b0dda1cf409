//! `exec PROFILE -- true` with a warm cached session, against `true` itself, in the same run.
//!
//! Prints the difference of the medians per backend, without the agent (docs/performance.md: at most 10 ms
//! with the secret-service backend) and through a running agent (at most 3 ms, any backend).
//! The file backend has no target without the agent: it derives its key with Argon2id in every
//! process, by design (docs/performance.md). Exits non-zero when a target is missed, so it can
//! gate a release. Run through `benches/run`.

use emulator::state::Trusted;
use emulator::Emulator;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_alicloud-vault");
const ROUNDS: usize = 300;
const TARGET_WITHOUT_AGENT: Duration = Duration::from_millis(10);
const TARGET_WITH_AGENT: Duration = Duration::from_millis(3);

struct World {
    dir: tempfile::TempDir,
    backend: &'static str,
}

impl World {
    fn cmd(&self, args: &[&str]) -> Command {
        let p = self.dir.path();
        let mut c = Command::new(BIN);
        c.args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", p)
            .env("XDG_RUNTIME_DIR", p.join("runtime"))
            .env("ALICLOUD_VAULT_CONFIG", p.join("config.toml"))
            .env("ALIBABA_CLOUD_CONFIG_FILE", p.join("aliyun.json"))
            .env("ALICLOUD_VAULT_FILE_DIR", p.join("keys"))
            .env("ALICLOUD_VAULT_FILE_PASSPHRASE", "bench passphrase")
            .env("ALICLOUD_VAULT_BACKEND", self.backend)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(bus) = std::env::var_os("DBUS_SESSION_BUS_ADDRESS") {
            c.env("DBUS_SESSION_BUS_ADDRESS", bus);
        }
        c
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time_once(mut c: Command) -> Duration {
    let t = Instant::now();
    let status = c.status().expect("run");
    let d = t.elapsed();
    assert!(status.success(), "benchmark command failed: {c:?}");
    d
}

/// Median `exec -- true` minus median `true`, alternating so both see the same machine load.
fn measure(world: &World) -> (Duration, Duration) {
    let mut base = Vec::with_capacity(ROUNDS);
    let mut vault = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let mut t = Command::new("true");
        t.stdin(Stdio::null());
        base.push(time_once(t));
        vault.push(time_once(world.cmd(&["exec", "admin", "--", "true"])));
    }
    (median(base), median(vault))
}

/// Prints one line; false when the target is missed.
fn report(
    backend: &str,
    how: &str,
    base: Duration,
    vault: Duration,
    target: Option<Duration>,
) -> bool {
    let extra = vault.saturating_sub(base);
    let ok = target.is_none_or(|t| extra <= t);
    println!(
        "  {backend:15} {how:9} true {:>6.2} ms   exec {:>7.2} ms   +{:>6.2} ms   {}",
        base.as_secs_f64() * 1e3,
        vault.as_secs_f64() * 1e3,
        extra.as_secs_f64() * 1e3,
        match target {
            Some(t) => format!(
                "target <= {} ms   {}",
                t.as_millis(),
                if ok { "ok" } else { "MISSED" }
            ),
            None => "no target (Argon2id per process; use the agent)".to_string(),
        }
    );
    ok
}

fn main() {
    let emu = Emulator::start();
    let account = "1234567890123456";
    let (id, secret) = emu.add_user(account, "bench");
    let admin = emu.add_role(
        account,
        "admin",
        43200,
        vec![Trusted::Account(account.into())],
    );
    let mut backends = vec!["file"];
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some() {
        backends.insert(0, "secret-service");
    } else {
        eprintln!("no D-Bus session: skipping secret-service (run through benches/run)");
    }
    let mut missed = false;
    println!("exec -- true with a warm cached session ({ROUNDS} rounds, medians)");
    for backend in backends {
        let world = World {
            dir: tempfile::tempdir().unwrap(),
            backend,
        };
        let runtime = world.dir.path().join("runtime");
        std::fs::create_dir_all(&runtime).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700)).unwrap();
        }
        std::fs::write(
            world.dir.path().join("config.toml"),
            format!(
                "[defaults]\nregion = \"cn-hangzhou\"\nsts_endpoint = \"{}\"\n[profile.bench-{backend}]\n[profile.admin]\nsource_profile = \"bench-{backend}\"\nrole_arn = \"{admin}\"\n",
                emu.base_url()
            ),
        )
        .unwrap();
        let mut add = world.cmd(&["add", &format!("bench-{backend}"), "--stdin", "--no-verify"]);
        add.stdin(Stdio::piped());
        let mut child = add.spawn().unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(format!("{id}\n{secret}\n").as_bytes())
            .unwrap();
        assert!(child.wait().unwrap().success(), "add failed");
        // Warm the cache.
        assert!(world
            .cmd(&["exec", "admin", "--", "true"])
            .status()
            .unwrap()
            .success());
        let calls = emu.calls("AssumeRole");
        let (base, vault) = measure(&world);
        assert_eq!(
            emu.calls("AssumeRole"),
            calls,
            "the warm runs must not call STS"
        );
        // A memory-hard KDF per process is the file backend's design: no target without agent.
        let target = (backend != "file").then_some(TARGET_WITHOUT_AGENT);
        missed |= !report(backend, "no agent", base, vault, target);

        let started = world
            .cmd(&["agent", "start"])
            .stderr(Stdio::inherit())
            .status();
        assert!(started.unwrap().success(), "agent start failed");
        assert!(world
            .cmd(&["exec", "admin", "--", "true"])
            .status()
            .unwrap()
            .success());
        let (base, vault) = measure(&world);
        missed |= !report(backend, "agent", base, vault, Some(TARGET_WITH_AGENT));
        assert!(world.cmd(&["agent", "stop"]).status().unwrap().success());
        let _ = world
            .cmd(&["remove", &format!("bench-{backend}"), "--force"])
            .status();
    }
    if missed {
        std::process::exit(1);
    }
}
