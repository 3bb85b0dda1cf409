//! Configuration errors and precedence, through the real binary.

use crate::common::TestEnv;
use emulator::Emulator;

#[test]
fn malformed_toml_names_the_file_and_line() {
    let env = TestEnv::new();
    env.write_config("[profile.a]\nregion = \"cn-hangzhou\"\nrole_arn = \n");
    let r = env.run(&["list", "--profiles"]);
    assert_eq!(r.code, 1);
    let expected = format!("alicloud-vault: {}:3: ", env.config_path().display());
    assert!(r.stderr.starts_with(&expected), "{}", r.stderr);
}

#[test]
fn unknown_key_suggests_the_nearest() {
    let env = TestEnv::new();
    env.write_config("[profile.a]\nrole_arm = \"acs:ram::1:role/x\"\n");
    let r = env.run(&["exec", "a", "--", "true"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        format!(
            "alicloud-vault: {}:2: unknown key `role_arm`; did you mean `role_arn`?\n",
            env.config_path().display()
        )
    );
}

#[test]
fn a_source_profile_cycle_is_named() {
    let env = TestEnv::new();
    env.write_config(
        "[profile.a]\nsource_profile = \"b\"\nrole_arn = \"acs:ram::1:role/x\"\n[profile.b]\nsource_profile = \"a\"\nrole_arn = \"acs:ram::1:role/y\"\n",
    );
    let r = env.run(&["list", "--profiles"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("source_profile forms a cycle: a -> b -> a"),
        "{}",
        r.stderr
    );
}

#[test]
fn backend_precedence_is_flag_then_environment_then_file() {
    let mut env = TestEnv::new();
    env.remove_var("ALICLOUD_VAULT_BACKEND");
    env.write_config("[defaults]\nbackend = \"file\"\n");
    let input = "LTAI5tPrecedenceKey0001\nsecretsecretsecret000001\n";
    // File says file.
    let r = env.run_stdin(&["add", "p1", "--stdin", "--no-verify"], input);
    assert!(r.stderr.contains("in the file keystore"), "{}", r.stderr);
    // Environment beats the file: an unknown name in the environment is reported as such.
    let r = env.run_with(&["list"], &[("ALICLOUD_VAULT_BACKEND", "nonsense")]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("unknown backend `nonsense`"),
        "{}",
        r.stderr
    );
    // The flag beats the environment.
    let r = env.run_with(
        &["--backend", "file", "list", "--credentials"],
        &[("ALICLOUD_VAULT_BACKEND", "nonsense")],
    );
    assert_eq!(r.ok(), "p1\n");
    // File beats the default: a broken file setting is an error, not a fallback.
    env.write_config("[defaults]\nbackend = \"wallet\"\n");
    let r = env.run(&["list"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains(":2: unknown backend `wallet`"),
        "{}",
        r.stderr
    );
}

#[test]
fn with_no_dbus_the_default_backend_is_file() {
    let mut env = TestEnv::new();
    env.remove_var("ALICLOUD_VAULT_BACKEND");
    let r = env.run_stdin_without_dbus(
        &["add", "p", "--stdin", "--no-verify"],
        "LTAI5tDefaultBackend001\nsecretsecretsecret000001\n",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("in the file keystore"), "{}", r.stderr);
}

#[test]
fn sts_endpoint_precedence_is_environment_then_profile_then_defaults() {
    let env = TestEnv::new();
    let (winner, loser) = (Emulator::start(), Emulator::start());
    let (id, secret) = winner.add_user("1000000000000001", "alice");
    let (id2, secret2) = loser.add_user("1000000000000001", "alice");
    assert_ne!(id, id2);
    let check = |config: String, extra: &[(&str, &str)], expect_winner: bool| {
        env.write_config(&config);
        let r = env.run_stdin_with(
            &["add", "p", "--stdin"],
            &format!("{id}\n{secret}\n"),
            extra,
        );
        assert_eq!(
            r.code == 0,
            expect_winner,
            "{config} {extra:?}: {}",
            r.stderr
        );
        let _ = (&id2, &secret2);
    };
    let w = winner.base_url();
    let l = loser.base_url();
    check(format!("[defaults]\nsts_endpoint = \"{w}\"\n"), &[], true);
    check(
        format!("[defaults]\nsts_endpoint = \"{l}\"\n[profile.p]\nsts_endpoint = \"{w}\"\n"),
        &[],
        true,
    );
    check(
        format!("[defaults]\nsts_endpoint = \"{w}\"\n[profile.p]\nsts_endpoint = \"{l}\"\n"),
        &[],
        false,
    );
    check(
        format!("[profile.p]\nsts_endpoint = \"{l}\"\n"),
        &[("ALICLOUD_VAULT_STS_ENDPOINT", &w)],
        true,
    );
    check(
        format!("[profile.p]\nsts_endpoint = \"{w}\"\n"),
        &[("ALICLOUD_VAULT_STS_ENDPOINT", &l)],
        false,
    );
    assert_eq!(winner.calls("GetCallerIdentity"), 3);
    assert_eq!(loser.calls("GetCallerIdentity"), 2);
}
