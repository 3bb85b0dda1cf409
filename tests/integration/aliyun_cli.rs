//! The aliyun CLI's config.json: its profiles usable by name, and `setup aliyun-cli`.

use crate::common::{admin_world, TestEnv, ACCOUNT};
use emulator::state::Trusted;
use emulator::Emulator;
use serde_json::{json, Value};

fn read_json(path: &std::path::Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn ram_role_arn_and_chainable_profiles_from_config_json_are_usable_by_name() {
    let env = TestEnv::new();
    let emu = Emulator::start();
    let (id, secret) = emu.add_user(ACCOUNT, "alice");
    let admin = emu.add_role(
        ACCOUNT,
        "admin",
        3600,
        vec![Trusted::Account(ACCOUNT.into())],
    );
    let ops = emu.add_role(ACCOUNT, "ops", 3600, vec![Trusted::Account(ACCOUNT.into())]);
    let aliyun = env.path().join("aliyun.json");
    std::fs::write(
        &aliyun,
        json!({
            "current": "plain",
            "profiles": [
                {"name": "plain", "mode": "AK", "access_key_id": id, "access_key_secret": secret, "region_id": "cn-beijing"},
                {"name": "role", "mode": "RamRoleArn", "access_key_id": id, "access_key_secret": secret,
                 "ram_role_arn": admin, "ram_session_name": "from-aliyun", "expired_seconds": 900,
                 "region_id": "cn-shanghai", "sts_endpoint": emu.base_url()},
                {"name": "chained", "mode": "ChainableRamRoleArn", "source_profile": "role",
                 "ram_role_arn": ops, "ram_session_name": "chained-session", "sts_endpoint": emu.base_url()}
            ]
        })
        .to_string(),
    )
    .unwrap();
    let r = env.run(&[
        "exec",
        "role",
        "--",
        "sh",
        "-c",
        "echo $ALIBABA_CLOUD_ACCESS_KEY_ID $ALIBABA_CLOUD_REGION_ID",
    ]);
    let out: Vec<String> = r.ok().split_whitespace().map(str::to_string).collect();
    assert!(emu.issued_sts_key(&out[0]), "{out:?}");
    assert_eq!(out[1], "cn-shanghai");
    let req = &emu.requests()[0];
    assert_eq!(req.role_session_name.as_deref(), Some("from-aliyun"));
    assert_eq!(req.duration_seconds.as_deref(), Some("900"));

    let r = env.exec_key_id("chained");
    assert!(emu.issued_sts_key(r.ok().trim()));
    let reqs = emu.requests();
    assert_eq!(reqs.last().unwrap().role_arn.as_deref(), Some(ops.as_str()));
    assert!(reqs.last().unwrap().has_security_token);
    // The plaintext key was used, never stored.
    assert_eq!(env.run(&["list", "--credentials"]).ok(), "");
    for e in std::fs::read_dir(env.keys_dir()).unwrap() {
        let bytes = std::fs::read(e.unwrap().path()).unwrap();
        assert!(!bytes.windows(id.len()).any(|w| w == id.as_bytes()));
    }
}

#[test]
fn setup_aliyun_cli_adds_an_external_profile_that_exec_selects() {
    let env = TestEnv::new();
    let emu = Emulator::start();
    admin_world(&env, &emu, "", "");
    let aliyun = env.path().join("aliyun.json");
    let original = json!({
        "current": "work",
        "profiles": [{"name": "work", "mode": "AK", "access_key_id": "LTAI5tSomeOtherKey0001",
                      "access_key_secret": "other-secret-value-01", "region_id": "cn-beijing",
                      "unknown_future_field": {"keep": true}}],
        "meta_path": "",
        "plugin_index": ["a", "b"]
    });
    std::fs::write(&aliyun, original.to_string()).unwrap();

    let r = env.run(&["setup", "aliyun-cli"]);
    r.ok();
    let v = read_json(&aliyun);
    assert_eq!(v["current"], "work", "the current profile is left alone");
    assert_eq!(v["plugin_index"], json!(["a", "b"]));
    assert_eq!(
        v["profiles"][0], original["profiles"][0],
        "other profiles are kept exactly"
    );
    let ours = &v["profiles"][1];
    assert_eq!(ours["name"], "alicloud-vault");
    assert_eq!(ours["mode"], "External");
    assert_eq!(ours["region_id"], "cn-hangzhou");
    let command = ours["process_command"].as_str().unwrap().to_string();
    assert!(
        command.ends_with(" export --format aliyun-external"),
        "{command}"
    );

    // Under exec, the aliyun CLI is pointed at that profile, and its command prints exactly
    // the session every other tool sees (run here as the CLI runs it: split on spaces).
    let script = format!("echo $ALIBABACLOUD_PROFILE $ALIBABA_CLOUD_ACCESS_KEY_ID; {command}");
    let r = env.run(&["exec", "admin", "--", "sh", "-c", &script]);
    let out = r.ok();
    let (first, json_line) = out.split_once('\n').unwrap();
    let (profile, id_seen) = first.split_once(' ').unwrap();
    assert_eq!(profile, "alicloud-vault");
    assert!(emu.issued_sts_key(id_seen));
    let ext: Value = serde_json::from_str(json_line).unwrap();
    assert_eq!(ext["mode"], "StsToken");
    assert_eq!(ext["access_key_id"], id_seen);
    assert_eq!(ext["region_id"], "cn-hangzhou");
    assert!(ext["sts_token"].as_str().unwrap().starts_with("CAIS"));
    assert_eq!(emu.calls("AssumeRole"), 1);

    // Outside exec the command says what to do.
    let r = env.run(&["export", "--format", "aliyun-external"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("name a profile"), "{}", r.stderr);

    // Running setup again replaces our profile, not adds another.
    env.run(&["setup", "aliyun-cli"]).ok();
    assert_eq!(read_json(&aliyun)["profiles"].as_array().unwrap().len(), 2);
}

#[test]
fn add_import_aliyun_moves_an_ak_profile_into_the_keystore() {
    let env = TestEnv::new();
    let emu = Emulator::start();
    let (id, secret) = emu.add_user(ACCOUNT, "alice");
    let aliyun = env.path().join("aliyun.json");
    let original = json!({
        "current": "work",
        "profiles": [
            {"name": "work", "mode": "AK", "access_key_id": id, "access_key_secret": secret,
             "region_id": "cn-beijing", "language": "zh"},
            {"name": "role", "mode": "RamRoleArn", "access_key_id": id, "access_key_secret": secret,
             "ram_role_arn": "acs:ram::1:role/x", "ram_session_name": "s"}
        ],
        "meta_path": ""
    });
    std::fs::write(&aliyun, original.to_string()).unwrap();
    let sts = [("ALICLOUD_VAULT_STS_ENDPOINT", emu.base_url())];
    let sts: Vec<(&str, &str)> = sts.iter().map(|(k, v)| (*k, v.as_str())).collect();

    // Without a terminal and without --yes, the plaintext stays, and the user is told.
    let r = env.run_with(&["add", "work", "--import-aliyun"], &sts);
    r.ok();
    assert!(
        r.stderr
            .contains("Verified: acs:ram::1234567890123456:user/alice"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("still in plaintext"), "{}", r.stderr);
    assert_eq!(read_json(&aliyun), original);

    let r = env.run_with(&["add", "work", "--import-aliyun", "--yes"], &sts);
    r.ok();
    let v = read_json(&aliyun);
    assert_eq!(v["profiles"][0]["access_key_id"], "");
    assert_eq!(v["profiles"][0]["access_key_secret"], "");
    assert_eq!(v["profiles"][0]["language"], "zh");
    assert_eq!(v["profiles"][1], original["profiles"][1]);
    assert_eq!(env.run(&["list", "--credentials"]).ok(), "work\n");
    let r = env.run(&[
        "exec",
        "work",
        "-n",
        "--",
        "sh",
        "-c",
        "echo $ALIBABA_CLOUD_ACCESS_KEY_ID:$ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    ]);
    assert_eq!(r.ok(), format!("{id}:{secret}\n"));

    // Only AK profiles, and only ones that still hold a key.
    let r = env.run_with(&["add", "role", "--import-aliyun", "--no-verify"], &sts);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("only an AK profile's key or an OAuth profile's login can be imported"),
        "{}",
        r.stderr
    );
    let r = env.run_with(&["add", "work", "--import-aliyun", "--no-verify"], &sts);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("holds no key"), "{}", r.stderr);
}
