//! Faults around the agent and the keystore: STS down when a session is due for refresh, the
//! keystore gone mid-run, a full disk under the file backend, the agent killed mid-refresh.

use crate::agent::{held_exec, http_get, split_uri, start_agent, world};
use crate::common::{TestEnv, BIN};
use emulator::Fault;
use std::time::{Duration, Instant};

fn access_key_id(body: &str) -> String {
    let v: serde_json::Value =
        serde_json::from_str(body).unwrap_or_else(|_| panic!("not JSON: {body}"));
    v["AccessKeyId"].as_str().unwrap_or_default().to_string()
}

fn expiration(body: &str) -> time::OffsetDateTime {
    let v: serde_json::Value = serde_json::from_str(body).unwrap();
    time::OffsetDateTime::parse(
        v["Expiration"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap()
}

fn sleep_until(t: Instant) {
    std::thread::sleep(t.saturating_duration_since(Instant::now()));
}

#[test]
fn sts_down_at_refresh_time_keeps_the_valid_session_served_and_recovers() {
    let w = world();
    // 30 s sessions: due for refresh after 15 s (half the lifetime), expired after 30 s.
    w.emu.set_session_lifetime(Some(Duration::from_secs(30)));
    let agent = start_agent(&w.env);
    let held = held_exec(&w.env, &["--server", "admin"]);
    let minted = Instant::now();
    let (addr, path) = split_uri(&held.uri);
    let (status, body) = http_get(&addr, &path, &[]);
    assert_eq!(status, 200, "{body}");
    let first = access_key_id(&body);
    let calls = w.emu.calls("AssumeRole");

    // STS goes down before the refresh is due.
    w.emu.inject(Fault::Http5xx, 100_000);
    sleep_until(minted + Duration::from_secs(16));
    let outage_end = minted + Duration::from_secs(18);
    let mut served_during_outage = 0;
    while Instant::now() < outage_end {
        let (status, body) = http_get(&addr, &path, &[]);
        assert_eq!(
            status, 200,
            "the still-valid session must be served: {body}"
        );
        assert_eq!(access_key_id(&body), first);
        assert!(expiration(&body) > time::OffsetDateTime::now_utc());
        served_during_outage += 1;
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(served_during_outage > 10);
    assert!(
        w.emu.calls("AssumeRole") > calls,
        "the agent must have tried to refresh"
    );
    let log = agent.log_text();
    assert!(
        log.contains("profile admin:") && log.contains("ServiceUnavailable"),
        "the failed refresh is logged: {log}"
    );

    // STS comes back: a new session replaces the old one before the old one expires.
    w.emu.state().faults.clear();
    let deadline = minted + Duration::from_secs(28);
    let renewed = loop {
        let (status, body) = http_get(&addr, &path, &[]);
        assert_eq!(status, 200, "{body}");
        assert!(expiration(&body) > time::OffsetDateTime::now_utc());
        let id = access_key_id(&body);
        if id != first {
            break id;
        }
        assert!(
            Instant::now() < deadline,
            "no new session after STS came back\n{}",
            agent.log_text()
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(w.emu.issued_sts_key(&renewed));
    assert_eq!(held.finish(), 0);
}

#[test]
fn keystore_gone_mid_run_the_agent_keeps_serving_sessions_it_holds() {
    let w = crate::agent::world_with(
        "\n[profile.other]\nsource_profile = \"base\"\nrole_arn = \"acs:ram::1234567890123456:role/other\"\n",
    );
    w.emu.add_role(
        "1234567890123456",
        "other",
        43200,
        vec![emulator::state::Trusted::Account("1234567890123456".into())],
    );
    let _agent = start_agent(&w.env);
    let echo_id = ["--", "sh", "-c", "echo $ALIBABA_CLOUD_ACCESS_KEY_ID"];
    let mut args = vec!["exec", "admin"];
    args.extend_from_slice(&echo_id);
    let before = w.env.run(&args).ok().trim().to_string();

    // The keys directory disappears and a file takes its place: every read fails.
    let keys = w.env.keys_dir();
    let moved = w.env.path().join("keys.moved");
    std::fs::rename(&keys, &moved).unwrap();
    std::fs::write(&keys, "not a directory").unwrap();

    let held = w.env.run(&args);
    assert_eq!(
        held.ok().trim(),
        before,
        "the session in memory is still served"
    );
    let mut other = vec!["exec", "other"];
    other.extend_from_slice(&echo_id);
    let r = w.env.run(&other);
    assert_eq!(r.code, 2, "a keystore error: {}", r.stderr);
    assert!(r.stderr.contains("keystore"), "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    assert_eq!(w.emu.calls("AssumeRole"), 1);

    // Back in place, the next profile works again.
    std::fs::remove_file(&keys).unwrap();
    std::fs::rename(&moved, &keys).unwrap();
    let again = w.env.run(&other);
    assert!(w.emu.issued_sts_key(again.ok().trim()));
}

/// Root, or an explicit opt-out; otherwise the test fails and says why.
fn root_or_opt_out(test: &str) -> bool {
    crate::common::require_root(test)
}

#[test]
fn a_full_disk_under_the_file_backend_leaves_no_damaged_item() {
    if !root_or_opt_out("a_full_disk_under_the_file_backend_leaves_no_damaged_item") {
        return;
    }
    let env = TestEnv::new();
    let vault = env.path().join("vault");
    std::fs::create_dir_all(&vault).unwrap();
    let keys = vault.join("keys");
    let first = "LTAI5tFIRSTKEY00000000000";
    let second = "LTAI5tSECONDKEY0000000000";
    // In a private mount namespace: a 256 KiB tmpfs holds the vault; a filler file uses up the
    // space left, then a new key and a replaced key are written to the full disk.
    let script = format!(
        r#"set -u
mount -t tmpfs -o size=256k,mode=0700 alicloud-vault-test "{vault}" || exit 90
mkdir -m 0700 "{keys}"
printf '{first}\nfirstsecret0123456789abc\n' | "{bin}" add full-one --stdin --no-verify || exit 91
dd if=/dev/zero of="{vault}/filler" bs=4k count=1000 2>/dev/null
printf '{second}\nsecondsecret0123456789ab\n' | "{bin}" add full-two --stdin --no-verify
echo "add-new=$?"
printf '{second}\nsecondsecret0123456789ab\n' | "{bin}" add full-one --stdin --no-verify
echo "add-replace=$?"
echo "files:"; ls -A "{keys}"
"{bin}" export full-one --no-session --format json; echo "export-one=$?"
"{bin}" export full-two --no-session --format json; echo "export-two=$?"
rm -f "{vault}/filler"
printf '{second}\nsecondsecret0123456789ab\n' | "{bin}" add full-two --stdin --no-verify; echo "add-after=$?"
"#,
        vault = vault.display(),
        keys = keys.display(),
        bin = BIN,
    );
    let mut cmd = env.cmd(&[]);
    let cmd = cmd
        .env("ALICLOUD_VAULT_FILE_DIR", &keys)
        .env("ALICLOUD_VAULT_BACKEND", "file");
    let out = std::process::Command::new("unshare")
        .args(["-m", "--propagation", "private", "sh", "-c", &script])
        .env_clear()
        .envs(cmd.get_envs().filter_map(|(k, v)| Some((k, v?))))
        .output()
        .expect("run unshare (util-linux)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let all = format!("stdout:\n{stdout}\nstderr:\n{stderr}");
    assert_eq!(out.status.code(), Some(0), "{all}");
    let value = |name: &str| {
        stdout
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{name}=")))
            .unwrap_or_else(|| panic!("no {name} in {all}"))
            .to_string()
    };
    // Writing to the full disk fails with the keystore's exit code and a clear message.
    assert_eq!(value("add-new"), "2", "{all}");
    assert_eq!(value("add-replace"), "2", "{all}");
    assert!(
        stderr.contains("No space left on device"),
        "the error names the cause: {all}"
    );
    // Nothing half-written is left: no temporary files, the old key is intact, no new item.
    let files: Vec<&str> = stdout
        .split("files:\n")
        .nth(1)
        .unwrap()
        .lines()
        .take_while(|l| !l.starts_with('{') && !l.contains('='))
        .collect();
    assert!(
        files.iter().all(|f| !f.starts_with(".tmp-")),
        "temporary files left behind: {files:?}\n{all}"
    );
    assert_eq!(value("export-one"), "0", "{all}");
    assert!(stdout.contains(first), "the first key is unchanged: {all}");
    assert_ne!(value("export-two"), "0", "{all}");
    // With space again, writes work.
    assert_eq!(value("add-after"), "0", "{all}");
}

#[test]
fn an_agent_killed_during_a_refresh_leaves_exec_working() {
    let w = world();
    let mut agent = start_agent(&w.env);
    // The agent's AssumeRole hangs for a while: kill the agent in the middle of it.
    w.emu.inject(Fault::Delay(Duration::from_secs(3)), 1);
    let pending = w
        .env
        .cmd(&[
            "exec",
            "admin",
            "--",
            "sh",
            "-c",
            "echo $ALIBABA_CLOUD_ACCESS_KEY_ID",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let t = Instant::now();
    while w.emu.calls("AssumeRole") == 0 {
        assert!(t.elapsed() < Duration::from_secs(10), "no AssumeRole");
        std::thread::sleep(Duration::from_millis(20));
    }
    agent.kill9();
    // The exec that was waiting on the agent carries on without it.
    let out = pending.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("working without the agent"), "{stderr}");
    let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(w.emu.issued_sts_key(&id), "{id}");
    // The next exec works, with no agent, from the cached session.
    let calls = w.emu.calls("AssumeRole");
    let next = w.env.exec_key_id("admin");
    assert_eq!(next.ok().trim(), id);
    assert_eq!(w.emu.calls("AssumeRole"), calls);
    // And a new agent starts on the stale socket and serves.
    let _again = start_agent(&w.env);
    let r = w.env.exec_key_id("admin");
    assert!(w.emu.issued_sts_key(r.ok().trim()));
}

#[test]
fn sts_down_when_the_agent_starts_the_metadata_endpoint_recovers_by_itself() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let w = crate::agent::world_with(&format!(
        "\n[metadata]\nprofile = \"admin\"\naddress = \"127.0.0.1:{port}\"\n"
    ));
    w.emu.inject(Fault::Http5xx, 100_000);
    let agent = start_agent(&w.env);
    let addr = format!("127.0.0.1:{port}");
    let path = "/latest/meta-data/ram/security-credentials/admin";
    let (status, body) = http_get(&addr, path, &[]);
    assert_eq!(status, 500, "STS is down and no session exists: {body}");
    let log = agent.log_text();
    assert!(
        log.contains("metadata endpoint serves profile admin")
            && log.contains("tried again on the next request"),
        "{log}"
    );

    w.emu.state().faults.clear();
    let deadline = Instant::now() + Duration::from_secs(10);
    let body = loop {
        let (status, body) = http_get(&addr, path, &[]);
        if status == 200 {
            break body;
        }
        assert!(
            Instant::now() < deadline,
            "the endpoint did not recover: {status} {body}\n{}",
            agent.log_text()
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    assert!(w.emu.issued_sts_key(&access_key_id(&body)));
    assert!(expiration(&body) > time::OffsetDateTime::now_utc());
}
