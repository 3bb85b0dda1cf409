//! Settings that cannot be used are refused before anything is done: a knob variable that is
//! not a number, a `--region` the configuration file would refuse, a plain-http endpoint in
//! the aliyun CLI's file. Each is a usage or configuration error (exit 1) naming what to fix.

use crate::agent::world_with;
use crate::common::{TestEnv, ACCOUNT};
use emulator::state::Trusted;
use serde_json::json;

#[test]
fn a_knob_variable_that_is_not_a_number_is_a_usage_error_naming_it() {
    let w = world_with("");
    for (name, value) in [
        ("ALICLOUD_VAULT_HTTP_TIMEOUT_MS", "abc"),
        ("ALICLOUD_VAULT_HTTP_TIMEOUT_MS", "0"),
        ("ALICLOUD_VAULT_RETRY_BASE_MS", "+5"),
        ("ALICLOUD_VAULT_SSO_POLL_UNIT_MS", "1.5"),
    ] {
        let r = w
            .env
            .run_with(&["exec", "admin", "--", "true"], &[(name, value)]);
        assert_eq!(r.code, 1, "{name}={value}: {}", r.stderr);
        assert!(
            r.stderr
                .contains(&format!("{name}: must be a whole number of milliseconds"))
                && r.stderr.contains("unset it to use the default"),
            "{name}={value}: {}",
            r.stderr
        );
    }
    assert_eq!(w.emu.calls("AssumeRole"), 0, "nothing was sent");
    let ok = w.env.run_with(
        &["exec", "admin", "--", "true"],
        &[("ALICLOUD_VAULT_HTTP_TIMEOUT_MS", "5000")],
    );
    ok.ok();
}

#[test]
fn a_region_on_the_command_line_follows_the_configuration_files_rule() {
    let w = world_with("");
    let marker = w.env.path().join("child-ran");
    let script = format!("touch '{}'", marker.display());
    let long = "a".repeat(5000);
    for region in [
        "cn-hangzhou\nALIBABA_CLOUD_ACCESS_KEY_ID=x",
        long.as_str(),
        "CN-Hangzhou",
        "",
    ] {
        let r = w.env.run(&[
            "exec", "admin", "--region", region, "--", "sh", "-c", &script,
        ]);
        assert_eq!(r.code, 1, "{region:?}: {}", r.stderr);
        assert!(
            r.stderr.contains("--region: region")
                && r.stderr
                    .contains("is not a region id; write it like `cn-hangzhou`"),
            "{}",
            r.stderr
        );
        assert!(
            r.stderr.len() < 400,
            "the value is not echoed: {}",
            r.stderr
        );
        assert!(!marker.exists(), "the child must not run");
        let r = w.env.run(&["export", "admin", "--region", region]);
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert!(r.stdout.is_empty());
    }
    // The configuration file refuses the same value with the same words.
    let cfg = std::fs::read_to_string(w.env.config_path()).unwrap();
    w.env
        .write_config(&cfg.replace("region = \"cn-hangzhou\"", "region = \"CN-Hangzhou\""));
    let r = w.env.run(&["exec", "admin", "--", "true"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("region `CN-Hangzhou` is not a region id"),
        "{}",
        r.stderr
    );
    w.env.write_config(&cfg);
    let r = w.env.run(&[
        "exec",
        "admin",
        "--region",
        " eu-central-1 ",
        "--",
        "sh",
        "-c",
        "echo $ALIBABA_CLOUD_REGION_ID",
    ]);
    assert_eq!(r.ok().trim(), "eu-central-1");
}

#[test]
fn a_plain_http_endpoint_in_the_aliyun_cli_file_is_a_configuration_error_naming_the_file() {
    let env = TestEnv::new();
    let emu = emulator::Emulator::start();
    let (id, secret) = emu.add_user(ACCOUNT, "alice");
    let admin = emu.add_role(
        ACCOUNT,
        "admin",
        3600,
        vec![Trusted::Account(ACCOUNT.into())],
    );
    let aliyun = env.path().join("aliyun.json");
    std::fs::write(
        &aliyun,
        json!({"current": "role", "profiles": [
            {"name": "role", "mode": "RamRoleArn", "access_key_id": id, "access_key_secret": secret,
             "ram_role_arn": admin, "sts_endpoint": "http://sts.example.com"},
            {"name": "fine", "mode": "RamRoleArn", "access_key_id": id, "access_key_secret": secret,
             "ram_role_arn": admin, "sts_endpoint": emu.base_url()}
        ]})
        .to_string(),
    )
    .unwrap();
    let r = env.exec_key_id("role");
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains(&aliyun.display().to_string())
            && r.stderr.contains("profile role: sts_endpoint:")
            && r.stderr.contains("use https:// instead"),
        "{}",
        r.stderr
    );
    assert_eq!(emu.calls("AssumeRole"), 0);
    // The other profiles of the file still work.
    let r = env.exec_key_id("fine");
    assert!(emu.issued_sts_key(r.ok().trim()));
}
