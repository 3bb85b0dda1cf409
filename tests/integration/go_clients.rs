//! The Go clients the tool is for, as real binaries built by `bash scripts/setup-test-clients`
//! into tests/clients/.go/bin: `credgo` (credentials-go v1.4.14's default chain and its URI,
//! ECS and aliyun-config.json providers, tests/clients/go/credgo) and ossutil v1.7.19 against
//! the OSS emulator, which checks their signatures and security tokens against the sessions the
//! STS emulator minted. Every cell asserts that what the client resolved, or what reached OSS,
//! is exactly one of those sessions. The aliyun CLI's own credential package cannot be built on
//! these machines (docs/aliyun-cli.md says why and what is tested instead). Clients that may
//! reach for 100.100.100.200 run inside a network namespace of the test's own.

use crate::common::{admin_world, repo_root, TestEnv, ACCOUNT, BIN};
use crate::metadata::{self, run_in_ns, start_agent};
use emulator::oss::SignVersion;
use emulator::Emulator;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// A Go client of tests/clients/.go/bin; fails with what to run when it is missing.
fn go_bin(name: &str) -> String {
    let p = repo_root().join("tests/clients/.go/bin").join(name);
    assert!(
        p.exists(),
        "{} is missing: run `bash scripts/setup-test-clients` (needs Go 1.26)",
        p.display()
    );
    p.to_string_lossy().into_owned()
}

/// A client command with only the world's environment (HOME, config paths...).
fn client(env: &TestEnv, program: &str, args: &[&str]) -> Command {
    let base = env.cmd(&[]);
    let mut c = Command::new(program);
    c.args(args).env_clear().current_dir(env.path());
    for (k, v) in base.get_envs() {
        if let Some(v) = v {
            c.env(k, v);
        }
    }
    c
}

/// What credgo printed: one JSON object per resolution.
fn resolutions(out: &str) -> Vec<Value> {
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// Asserts `r` is exactly a session the emulator minted (id, secret and token); returns the id.
#[track_caller]
fn assert_minted(emu: &Emulator, r: &Value) -> String {
    let id = r["AccessKeyId"].as_str().unwrap_or_default();
    assert!(
        emu.is_minted_session(
            id,
            r["AccessKeySecret"].as_str().unwrap_or_default(),
            r["SecurityToken"].as_str().unwrap_or_default()
        ),
        "not a session the STS emulator minted: {id} ({})",
        r["ProviderName"]
    );
    id.to_string()
}

/// The AccessKeyIds of the OSS requests the emulator accepted, oldest first.
fn accepted_oss_keys(emu: &Emulator) -> Vec<String> {
    emu.oss_requests()
        .into_iter()
        .filter(|r| r.error_code.is_none())
        .filter_map(|r| r.access_key_id)
        .collect()
}

/// An ossutil config file with an endpoint and these `[Credentials]` and `[AkService]` lines.
fn ossutil_config(dir: &Path, name: &str, endpoint: &str, lines: &[(&str, &str)]) -> PathBuf {
    let mut text = format!("[Credentials]\nlanguage=EN\nendpoint={endpoint}\n");
    for (k, v) in lines.iter().filter(|(k, _)| *k != "ecsAk") {
        text.push_str(&format!("{k}={v}\n"));
    }
    if let Some((_, url)) = lines.iter().find(|(k, _)| *k == "ecsAk") {
        text.push_str(&format!("[AkService]\necsAk={url}\n"));
    }
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn output_text(out: &std::process::Output) -> (bool, String, String) {
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_oss_emulator_checks_ossutil_v1_and_v4_signatures_and_refuses_a_wrong_secret() {
    let ossutil = go_bin("ossutil");
    let env = TestEnv::new();
    let emu = Emulator::start();
    let (id, secret) = emu.add_user(ACCOUNT, "alice");
    emu.add_bucket("photos", &["2026/a.jpg", "2026/b.jpg", "readme.txt"]);
    emu.add_bucket("logs", &[]);
    let cfg = ossutil_config(
        env.path(),
        "good.cfg",
        &emu.base_url(),
        &[("accessKeyID", &id), ("accessKeySecret", &secret)],
    );
    let cfg = cfg.to_str().unwrap();
    let run = |args: &[&str]| output_text(&client(&env, &ossutil, args).output().unwrap());

    let (ok, out, err) = run(&["ls", "-c", cfg]);
    assert!(ok, "{out}{err}");
    assert!(
        out.contains("oss://photos") && out.contains("oss://logs"),
        "{out}"
    );
    let (ok, out, err) = run(&["ls", "oss://photos", "-c", cfg]);
    assert!(ok, "{out}{err}");
    assert!(
        out.contains("oss://photos/2026/a.jpg") && out.contains("oss://photos/readme.txt"),
        "{out}"
    );
    let (ok, out, err) = run(&[
        "ls",
        "oss://photos/2026/",
        "-c",
        cfg,
        "--sign-version",
        "v4",
        "--region",
        "cn-hangzhou",
    ]);
    assert!(ok, "{out}{err}");
    assert!(
        out.contains("oss://photos/2026/b.jpg") && !out.contains("readme"),
        "{out}"
    );
    let reqs = emu.oss_requests();
    let seen: Vec<(SignVersion, &str, Option<&str>)> = reqs
        .iter()
        .map(|r| {
            assert_eq!(r.access_key_id.as_deref(), Some(id.as_str()), "{r:?}");
            (
                r.sign_version,
                r.operation.as_str(),
                r.error_code.as_deref(),
            )
        })
        .collect();
    assert!(
        seen.contains(&(SignVersion::V1, "ListBuckets", None)),
        "{seen:?}"
    );
    assert!(
        seen.contains(&(SignVersion::V1, "ListObjects", None)),
        "{seen:?}"
    );
    assert!(
        seen.contains(&(SignVersion::V4, "ListObjects", None)),
        "{seen:?}"
    );

    // One character off in the secret: both signatures are refused.
    let bad = ossutil_config(
        env.path(),
        "bad.cfg",
        &emu.base_url(),
        &[
            ("accessKeyID", &id),
            ("accessKeySecret", &format!("{secret}x")),
        ],
    );
    let bad = bad.to_str().unwrap();
    for extra in [
        &[][..],
        &["--sign-version", "v4", "--region", "cn-hangzhou"][..],
    ] {
        let mut args = vec!["ls", "oss://photos", "-c", bad];
        args.extend_from_slice(extra);
        let (ok, out, err) = run(&args);
        assert!(!ok, "{out}{err}");
        assert!(
            format!("{out}{err}").contains("SignatureDoesNotMatch"),
            "{out}{err}"
        );
    }
    let refused = emu.oss_requests();
    assert!(refused[reqs.len()..]
        .iter()
        .all(|r| r.error_code.as_deref() == Some("SignatureDoesNotMatch")));
}

#[test]
fn credentials_go_default_chain_under_exec_gets_the_session_even_with_a_stale_aliyun_profile() {
    let credgo = go_bin("credgo");
    let env = TestEnv::new();
    let emu = Emulator::start();
    admin_world(&env, &emu, "", "");
    // A stale AK profile is `current` in the aliyun CLI's config.json, which credentials-go's
    // chain reads too, after the environment.
    std::fs::write(
        env.path().join("aliyun.json"),
        json!({"current": "old", "profiles": [{"name": "old", "mode": "AK",
            "access_key_id": "LTAI5tStaleKey0000000001", "access_key_secret": "stale-secret",
            "region_id": "cn-beijing"}]})
        .to_string(),
    )
    .unwrap();
    let r = env.run(&["exec", "admin", "--", &credgo, "chain"]);
    let got = resolutions(r.ok());
    assert_eq!(got.len(), 1);
    assert_minted(&emu, &got[0]);
    assert_eq!(got[0]["ProviderName"], "default/env");
    assert_eq!(emu.calls("AssumeRole"), 1);

    // Outside exec the same program signs with the stale key: the chain itself is not wrong,
    // the environment is what exec adds.
    let out = client(&env, &credgo, &["chain"]).output().unwrap();
    let (ok, out, err) = output_text(&out);
    assert!(ok, "{err}");
    assert_eq!(
        resolutions(&out)[0]["AccessKeyId"],
        "LTAI5tStaleKey0000000001"
    );
}

#[test]
fn credentials_go_reads_the_exec_server_uri_and_gets_a_fresh_session_after_expiry() {
    let credgo = go_bin("credgo");
    // In a namespace of its own: the default chain tries 100.100.100.200 before the URI.
    let Some(w) = metadata::world(false) else {
        return;
    };
    w.emu.set_session_lifetime(Some(Duration::from_secs(12)));
    let out = run_in_ns(
        &w,
        BIN,
        &["exec", "admin", "--server", "--", &credgo, "chain"],
        &[("CREDGO_UNTIL_NEW", "40")],
    );
    let got = resolutions(&out);
    assert_eq!(
        got.len(),
        2,
        "a second session after the first expired: {out}"
    );
    let first = assert_minted(&w.emu, &got[0]);
    let second = assert_minted(&w.emu, &got[1]);
    assert_ne!(first, second);
    assert_eq!(got[0]["ProviderName"], "default/credential_uri");

    // The URI provider on its own.
    let out = run_in_ns(
        &w,
        BIN,
        &[
            "exec",
            "admin",
            "--server",
            "--",
            "sh",
            "-c",
            &format!("exec '{credgo}' uri \"$ALIBABA_CLOUD_CREDENTIALS_URI\""),
        ],
        &[],
    );
    let got = resolutions(&out);
    assert_minted(&w.emu, &got[0]);
    assert_eq!(got[0]["ProviderName"], "credential_uri");
}

/// Extra variables for one client run.
type Env<'a> = &'a [(&'a str, &'a str)];

fn credentials_go_in_the_metadata_world(hardened: bool) {
    let credgo = go_bin("credgo");
    let Some(w) = metadata::world(hardened) else {
        return;
    };
    let _agent = start_agent(&w);
    let v1_off = [("ALIBABA_CLOUD_IMDSV1_DISABLED", "true")];
    let runs: [(&[&str], Env); 5] = [
        (&["ecs", "laptop-role"], &[]),
        (&["ecs"], &[]),
        (&["chain"], &[]),
        (&["ecs"], &v1_off),
        (&["chain"], &v1_off),
    ];
    let mut ids = Vec::new();
    for (args, extra) in runs {
        let got = resolutions(&run_in_ns(&w, &credgo, args, extra));
        let id = assert_minted(&w.emu, &got[0]);
        let name = got[0]["ProviderName"].as_str().unwrap();
        assert!(name.ends_with("ecs_ram_role"), "{args:?} {name}");
        ids.push(id);
    }
    assert!(ids.windows(2).all(|p| p[0] == p[1]), "one session: {ids:?}");
    assert_eq!(w.emu.calls("AssumeRole"), 1);
}

#[test]
fn credentials_go_ecs_provider_and_chain_use_the_metadata_emulation() {
    credentials_go_in_the_metadata_world(false);
}

#[test]
fn credentials_go_sends_the_metadata_token_the_hardened_emulation_requires() {
    credentials_go_in_the_metadata_world(true);
}

#[test]
fn credentials_go_ecs_provider_gets_a_fresh_session_after_expiry() {
    let credgo = go_bin("credgo");
    let Some(w) = metadata::world(false) else {
        return;
    };
    w.emu.set_session_lifetime(Some(Duration::from_secs(12)));
    let _agent = start_agent(&w);
    let out = run_in_ns(&w, &credgo, &["ecs"], &[("CREDGO_UNTIL_NEW", "40")]);
    let got = resolutions(&out);
    assert_eq!(got.len(), 2, "{out}");
    assert_ne!(
        assert_minted(&w.emu, &got[0]),
        assert_minted(&w.emu, &got[1])
    );
}

#[test]
fn ossutil_reads_no_environment_so_under_exec_it_finds_no_credentials() {
    let ossutil = go_bin("ossutil");
    let env = TestEnv::new();
    let emu = Emulator::start();
    admin_world(&env, &emu, "", "");
    emu.add_bucket("photos", &["a.txt"]);
    let cfg = ossutil_config(env.path(), "plain.cfg", &emu.base_url(), &[]);
    let r = env.run(&[
        "exec",
        "admin",
        "--",
        &ossutil,
        "ls",
        "oss://photos",
        "-c",
        cfg.to_str().unwrap(),
    ]);
    assert_ne!(r.code, 0, "{}", r.stdout);
    assert!(
        format!("{}{}", r.stdout, r.stderr).contains("accessKeyID and ecsUrl are both empty"),
        "{}{}",
        r.stdout,
        r.stderr
    );
    assert!(accepted_oss_keys(&emu).is_empty());
}

#[test]
fn ossutil_ecs_ak_service_reads_the_exec_server_uri_and_a_later_run_gets_a_fresh_session() {
    let ossutil = go_bin("ossutil");
    let env = TestEnv::new();
    let emu = Emulator::start();
    admin_world(&env, &emu, "", "");
    emu.set_session_lifetime(Some(Duration::from_secs(12)));
    emu.add_bucket("photos", &["a.txt", "b.txt"]);
    // The URI exists only inside the exec: the child writes ossutil's config for the URI, lists
    // the bucket, waits past the first session's expiry and lists it again.
    let cfg = env.path().join("uri.cfg");
    let script = format!(
        "printf '[Credentials]\\nendpoint={ep}\\n[AkService]\\necsAk=%s\\n' \"$ALIBABA_CLOUD_CREDENTIALS_URI\" > '{cfg}' && \
         '{ossutil}' ls oss://photos -c '{cfg}' && sleep 14 && \
         '{ossutil}' ls oss://photos -c '{cfg}' --sign-version v4 --region cn-hangzhou",
        ep = emu.base_url(),
        cfg = cfg.display(),
    );
    let r = env.run(&["exec", "admin", "--server", "--", "sh", "-c", &script]);
    let out = r.ok();
    assert_eq!(out.matches("oss://photos/a.txt").count(), 2, "{out}");
    let keys = accepted_oss_keys(&emu);
    assert_eq!(keys.len(), 2, "{:?}", emu.oss_requests());
    assert!(keys.iter().all(|k| emu.issued_sts_key(k)), "{keys:?}");
    assert_ne!(
        keys[0], keys[1],
        "the second run signs with a fresh session"
    );
    let versions: Vec<SignVersion> = emu.oss_requests().iter().map(|r| r.sign_version).collect();
    assert_eq!(versions, [SignVersion::V1, SignVersion::V4]);
    assert!(emu.oss_requests().iter().all(|r| r.had_security_token));
}

fn ossutil_in_the_metadata_world(hardened: bool) -> (metadata::World, (bool, String, String)) {
    let ossutil = go_bin("ossutil");
    let w = metadata::world(hardened).expect("root");
    w.emu.add_bucket("photos", &["a.txt"]);
    let agent = start_agent(&w);
    let cfg = ossutil_config(w.env.path(), "ecs.cfg", &w.emu.base_url(), &[]);
    let out =
        w.ns.cmd(
            &w.env,
            &ossutil,
            &[
                "ls",
                "oss://photos",
                "-c",
                cfg.to_str().unwrap(),
                "--mode",
                "EcsRamRole",
                "--ecs-role-name",
                "laptop-role",
            ],
            &[],
        )
        .output()
        .unwrap();
    drop(agent);
    (w, output_text(&out))
}

#[test]
fn ossutil_ecs_ram_role_mode_uses_the_metadata_emulation() {
    if !crate::common::require_root("a network namespace") {
        return;
    }
    let (w, (ok, out, err)) = ossutil_in_the_metadata_world(false);
    assert!(ok, "{out}{err}");
    assert!(out.contains("oss://photos/a.txt"), "{out}");
    let keys = accepted_oss_keys(&w.emu);
    assert_eq!(keys.len(), 1);
    assert!(w.emu.issued_sts_key(&keys[0]));
}

#[test]
fn ossutil_sends_no_metadata_token_so_hardened_mode_refuses_it() {
    if !crate::common::require_root("a network namespace") {
        return;
    }
    let (w, (ok, out, err)) = ossutil_in_the_metadata_world(true);
    assert!(
        !ok,
        "hardened mode must refuse a client without a token: {out}"
    );
    assert!(accepted_oss_keys(&w.emu).is_empty(), "{err}");
}

/// The aliyun CLI's config.json as `setup aliyun-cli` leaves it, over a stale `current` profile.
fn aliyun_world() -> (TestEnv, Emulator, PathBuf) {
    let env = TestEnv::new();
    let emu = Emulator::start();
    admin_world(&env, &emu, "", "");
    let aliyun = env.path().join("aliyun.json");
    std::fs::write(
        &aliyun,
        json!({"current": "old", "profiles": [{"name": "old", "mode": "AK",
            "access_key_id": "LTAI5tStaleKey0000000001", "access_key_secret": "stale-secret",
            "region_id": "cn-beijing"}], "meta_path": "", "plugin_settings": {"keep": true}})
        .to_string(),
    )
    .unwrap();
    env.run(&["setup", "aliyun-cli"]).ok();
    (env, emu, aliyun)
}

#[test]
fn the_external_profile_of_setup_aliyun_cli_resolves_to_the_exec_session_in_credentials_go() {
    let credgo = go_bin("credgo");
    let (env, emu, aliyun) = aliyun_world();
    let before = std::fs::read_to_string(&aliyun).unwrap();
    let r = env.run(&[
        "exec",
        "admin",
        "--",
        &credgo,
        "cli-profile",
        "alicloud-vault",
    ]);
    let got = resolutions(r.ok());
    let id = assert_minted(&emu, &got[0]);
    assert_eq!(got[0]["ProviderName"], "cli_profile/external");
    assert_eq!(
        emu.calls("AssumeRole"),
        1,
        "the command reused the exec's session"
    );

    // credentials-go (unlike the aliyun CLI) writes what the External command printed back
    // into config.json, and rewrites the file with only the fields it knows.
    let after = std::fs::read_to_string(&aliyun).unwrap();
    assert_ne!(before, after);
    assert!(after.contains(&id), "{after}");
    assert!(!after.contains("plugin_settings"), "{after}");

    // Outside exec the command says what to do, and credentials-go passes that on.
    let out = client(&env, &credgo, &["cli-profile", "alicloud-vault"])
        .output()
        .unwrap();
    let (ok, _, err) = output_text(&out);
    assert!(!ok);
    assert!(err.contains("name a profile"), "{err}");
}

#[test]
fn an_ecs_ram_role_profile_in_config_json_uses_the_metadata_emulation() {
    let credgo = go_bin("credgo");
    let Some(w) = metadata::world(false) else {
        return;
    };
    let _agent = start_agent(&w);
    std::fs::write(
        w.env.path().join("aliyun.json"),
        json!({"current": "ecs", "profiles": [{"name": "ecs", "mode": "EcsRamRole",
            "ram_role_name": "laptop-role", "region_id": "cn-hangzhou"}]})
        .to_string(),
    )
    .unwrap();
    let got = resolutions(&run_in_ns(&w, &credgo, &["cli-profile"], &[]));
    assert_minted(&w.emu, &got[0]);
    assert_eq!(got[0]["ProviderName"], "cli_profile/ecs_ram_role");
}
