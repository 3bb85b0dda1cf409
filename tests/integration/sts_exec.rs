//! STS sessions through `exec` and `export`, against the STS emulator, checked by real clients.

use crate::common::{admin_world, node_modules, python, TestEnv, ACCOUNT, BIN};
use emulator::state::{Fault, Trusted};
use emulator::Emulator;
use std::time::Duration;

const OTHER_ACCOUNT: &str = "6543210987654321";

/// A world with user alice's key stored as `base`, a role `admin` in her account and
/// `deploy` in another account that trusts `admin` sessions.
struct World {
    env: TestEnv,
    emu: Emulator,
    admin: String,
    deploy: String,
}

fn world() -> World {
    let env = TestEnv::new();
    let emu = Emulator::start();
    let deploy = emu.add_role(
        OTHER_ACCOUNT,
        "deploy",
        3600,
        vec![Trusted::Role {
            account_id: ACCOUNT.into(),
            role_name: "admin".into(),
        }],
    );
    let made = admin_world(
        &env,
        &emu,
        "",
        &format!("\n[profile.deploy]\nsource_profile = \"admin\"\nrole_arn = \"{deploy}\"\nduration = \"15m\"\n"),
    );
    World {
        env,
        emu,
        admin: made.admin_arn,
        deploy,
    }
}

/// Runs `sh -c 'echo $ALIBABA_CLOUD_ACCESS_KEY_ID ...'` under exec and splits the words.
fn child_credentials(env: &TestEnv, profile: &str) -> Vec<String> {
    let r = env.run(&[
        "exec",
        profile,
        "--",
        "sh",
        "-c",
        "echo $ALIBABA_CLOUD_ACCESS_KEY_ID $ALIBABA_CLOUD_ACCESS_KEY_SECRET $ALIBABA_CLOUD_SECURITY_TOKEN $ALICLOUD_SESSION_EXPIRATION",
    ]);
    r.ok().split_whitespace().map(str::to_string).collect()
}

#[test]
fn exec_hands_out_an_assumed_role_session_and_caches_it() {
    let w = world();
    let first = child_credentials(&w.env, "admin");
    assert_eq!(first.len(), 4, "{first:?}");
    assert!(first[0].starts_with("STS."), "{first:?}");
    assert!(w.emu.issued_sts_key(&first[0]));
    assert!(first[2].starts_with("CAIS"));
    assert_eq!(w.emu.calls("AssumeRole"), 1);
    let req = &w.emu.requests()[0];
    assert_eq!(req.role_arn.as_deref(), Some(w.admin.as_str()));
    assert_eq!(req.role_session_name.as_deref(), Some("base"));
    assert_eq!(req.duration_seconds.as_deref(), Some("3600"));
    assert!(!req.has_security_token);

    let second = child_credentials(&w.env, "admin");
    assert_eq!(
        second, first,
        "a second exec within the margin reuses the session"
    );
    assert_eq!(w.emu.calls("AssumeRole"), 1);

    let sessions = w.env.run(&["list", "--sessions"]).ok().to_string();
    assert!(
        sessions.starts_with("admin\t59m") || sessions.starts_with("admin\t1h"),
        "{sessions}"
    );
    w.env.run(&["clear", "admin"]).ok();
    assert_eq!(w.env.run(&["list", "--sessions"]).ok(), "");
    let third = child_credentials(&w.env, "admin");
    assert_ne!(third[0], first[0]);
    assert_eq!(w.emu.calls("AssumeRole"), 2);
}

#[test]
fn a_two_hop_chain_signs_the_second_hop_with_the_first_session() {
    let w = world();
    let before = w.emu.connections();
    let creds = child_credentials(&w.env, "deploy");
    assert_eq!(
        w.emu.connections() - before,
        1,
        "both hops go over one kept-alive connection"
    );
    assert!(w.emu.issued_sts_key(&creds[0]));
    let reqs = w.emu.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0].role_arn.as_deref(), Some(w.admin.as_str()));
    assert!(!reqs[0].has_security_token);
    assert_eq!(reqs[1].role_arn.as_deref(), Some(w.deploy.as_str()));
    assert!(
        reqs[1].has_security_token,
        "the second hop must send the first session's token"
    );
    assert!(reqs[1]
        .access_key_id
        .as_deref()
        .unwrap()
        .starts_with("STS."));
    assert_eq!(reqs[1].role_session_name.as_deref(), Some("admin"));
    assert_eq!(reqs[1].duration_seconds.as_deref(), Some("900"));
    // Both hops are cached: a second run makes no call.
    assert_eq!(child_credentials(&w.env, "deploy"), creds);
    assert_eq!(w.emu.calls("AssumeRole"), 2);
}

#[test]
fn a_session_inside_the_refresh_margin_is_replaced() {
    let w = world();
    // 20-second sessions: fresh for their first half only.
    w.emu.set_session_lifetime(Some(Duration::from_secs(20)));
    let first = child_credentials(&w.env, "admin");
    assert_eq!(child_credentials(&w.env, "admin")[0], first[0]);
    assert_eq!(w.emu.calls("AssumeRole"), 1);
    std::thread::sleep(Duration::from_secs(11));
    let later = child_credentials(&w.env, "admin");
    assert_ne!(later[0], first[0]);
    assert_eq!(w.emu.calls("AssumeRole"), 2);
}

#[test]
fn transient_faults_are_retried_and_succeed() {
    for fault in [
        Fault::Throttle,
        Fault::Http5xx,
        Fault::MalformedJson,
        Fault::DropConnection,
    ] {
        let w = world();
        w.emu.inject(fault.clone(), 2);
        let creds = child_credentials(&w.env, "admin");
        assert!(w.emu.issued_sts_key(&creds[0]), "{fault:?}");
        assert_eq!(
            w.emu.calls("AssumeRole"),
            3,
            "{fault:?}: two faults, then success"
        );
    }
}

#[test]
fn a_refused_assume_role_exits_3_with_code_and_request_id_and_caches_nothing() {
    let w = world();
    w.env.write_config(&format!(
        "[defaults]\nsts_endpoint = \"{}\"\n[profile.base]\n[profile.bad]\nsource_profile = \"base\"\nrole_arn = \"{}\"\n",
        w.emu.base_url(),
        w.deploy // alice's own key is not trusted by deploy
    ));
    let r = w.env.run(&["exec", "bad", "--", "true"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(
        r.stderr.contains("STS AssumeRole failed: NoPermission"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("RequestId: "), "{}", r.stderr);
    assert_eq!(w.emu.calls("AssumeRole"), 1, "4xx errors are not retried");
    assert_eq!(w.env.run(&["list", "--sessions"]).ok(), "");
}

#[test]
fn persistent_outage_is_a_clear_error_after_bounded_retries() {
    let w = world();
    w.emu.inject(Fault::Http5xx, 100);
    let r = w.env.run(&["exec", "admin", "--", "true"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("ServiceUnavailable"), "{}", r.stderr);
    let calls = w.emu.calls("AssumeRole");
    assert!((2..=6).contains(&calls), "bounded retries, got {calls}");
    assert_eq!(w.env.run(&["list", "--sessions"]).ok(), "");
}

#[test]
fn stale_credential_variables_never_reach_the_child() {
    let w = world();
    let stale = [
        "ALIBABA_CLOUD_ACCESS_KEY_ID",
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
        "ALIBABA_CLOUD_SECURITY_TOKEN",
        "ALIBABACLOUD_ACCESS_KEY_ID",
        "ALIBABACLOUD_ACCESS_KEY_SECRET",
        "ALIBABACLOUD_SECURITY_TOKEN",
        "ALICLOUD_ACCESS_KEY_ID",
        "ALICLOUD_ACCESS_KEY_SECRET",
        "ALICLOUD_SECURITY_TOKEN",
        "ACCESS_KEY_ID",
        "ACCESS_KEY_SECRET",
        "SECURITY_TOKEN",
        "ALICLOUD_ACCESS_KEY",
        "ALICLOUD_SECRET_KEY",
        "OSS_ACCESS_KEY_ID",
        "OSS_ACCESS_KEY_SECRET",
        "OSS_SESSION_TOKEN",
        "ALIBABA_CLOUD_PROFILE",
        "ALIBABACLOUD_PROFILE",
        "ALICLOUD_PROFILE",
        "ALIBABA_CLOUD_CREDENTIALS_URI",
        "ALICLOUD_CREDENTIALS_URI",
        "ALIBABA_CLOUD_ECS_METADATA",
        "ALIBABA_CLOUD_ROLE_ARN",
        "ALIYUN_ACCESS_KEY_ID",
        "ALIYUN_ACCESS_KEY_SECRET",
        "ALICLOUD_STS_TOKEN",
        "ALIBABA_CLOUD_CREDENTIALS_FILE",
        "ALIBABA_CLOUD_IGNORE_PROFILE",
    ];
    let extra: Vec<(&str, &str)> = stale.iter().map(|n| (*n, "STALE-VALUE")).collect();
    let r = w.env.run_with(&["exec", "admin", "--", "env"], &extra);
    let out = r.ok();
    assert!(
        !out.contains("STALE-VALUE"),
        "a stale value reached the child:\n{out}"
    );
    let id = out
        .lines()
        .find_map(|l| l.strip_prefix("ALIBABA_CLOUD_ACCESS_KEY_ID="))
        .unwrap();
    for tier in [
        "ALIBABACLOUD_ACCESS_KEY_ID",
        "ALICLOUD_ACCESS_KEY_ID",
        "ACCESS_KEY_ID",
        "ALICLOUD_ACCESS_KEY",
        "OSS_ACCESS_KEY_ID",
    ] {
        assert!(
            out.lines().any(|l| l == format!("{tier}={id}")),
            "{tier} differs:\n{out}"
        );
    }
    for region in [
        "ALIBABA_CLOUD_REGION_ID",
        "ALIBABACLOUD_REGION_ID",
        "ALICLOUD_REGION_ID",
        "ALICLOUD_REGION",
    ] {
        assert!(
            out.lines().any(|l| l == format!("{region}=cn-hangzhou")),
            "{region}:\n{out}"
        );
    }
    assert!(out.lines().any(|l| l == "ALICLOUD_VAULT=admin"));
}

#[test]
fn real_sdks_under_exec_see_the_minted_session() {
    let w = world();
    let py = python();
    let script = r#"
from alibabacloud_credentials.client import Client
import oss2
m = Client().get_credential()
print(m.access_key_id, m.access_key_secret, m.security_token)
c = oss2.credentials.EnvironmentVariableCredentialsProvider().get_credentials()
print(c.get_access_key_id(), c.get_access_key_secret(), c.get_security_token())
"#;
    let r = w
        .env
        .run(&["exec", "admin", "--", py.to_str().unwrap(), "-c", script]);
    let lines: Vec<&str> = r.ok().lines().collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(
        lines[0], lines[1],
        "alibabacloud-credentials and oss2 disagree"
    );
    let id = lines[0].split(' ').next().unwrap();
    assert!(
        w.emu.issued_sts_key(id),
        "{id} was not minted by the emulator"
    );

    let js = r#"
const Credential = require('@alicloud/credentials').default;
new Credential().getCredential().then(m => console.log([m.accessKeyId, m.accessKeySecret, m.securityToken].join(' ')),
  e => { console.error(String(e)); process.exit(1); });
"#;
    let r = w.env.run_with(
        &["exec", "admin", "--", "node", "-e", js],
        &[("NODE_PATH", node_modules().to_str().unwrap())],
    );
    assert_eq!(r.ok().trim(), lines[0], "the Node SDK sees another session");
    assert_eq!(w.emu.calls("AssumeRole"), 1);
}

#[test]
fn export_formats_carry_the_same_session() {
    let w = world();
    let json: serde_json::Value =
        serde_json::from_str(w.env.run(&["export", "admin", "--format", "json"]).ok()).unwrap();
    let id = json["AccessKeyId"].as_str().unwrap().to_string();
    assert!(w.emu.issued_sts_key(&id));
    assert_eq!(json["RegionId"], "cn-hangzhou");

    let ext: serde_json::Value = serde_json::from_str(
        w.env
            .run(&["export", "admin", "--format", "aliyun-external"])
            .ok(),
    )
    .unwrap();
    assert_eq!(ext["mode"], "StsToken");
    assert_eq!(ext["access_key_id"], id.as_str());
    assert_eq!(ext["sts_token"], json["SecurityToken"]);

    let uri: serde_json::Value = serde_json::from_str(
        w.env
            .run(&["export", "admin", "--format", "credentials-uri-json"])
            .ok(),
    )
    .unwrap();
    assert_eq!(uri["Code"], "Success");
    assert_eq!(uri["AccessKeyId"], id.as_str());
    let exp = uri["Expiration"].as_str().unwrap();
    assert_eq!(exp.len(), 20, "{exp}");
    assert!(exp.ends_with('Z'));

    let ini = w
        .env
        .run(&["export", "admin", "--format", "ini"])
        .ok()
        .to_string();
    assert!(
        ini.starts_with(&format!("[admin]\ntype = sts\naccess_key_id = {id}\n")),
        "{ini}"
    );

    // The env format evaluates in a shell to the same values.
    let r = w.env.shell(&format!("eval \"$({BIN} export admin)\"; echo $ALIBABA_CLOUD_ACCESS_KEY_ID $ALIBABA_CLOUD_SECURITY_TOKEN"));
    assert_eq!(
        r.ok().trim(),
        format!("{id} {}", json["SecurityToken"].as_str().unwrap())
    );
    assert_eq!(
        w.emu.calls("AssumeRole"),
        1,
        "every export reused one session"
    );

    let r = w
        .env
        .run(&["export", "base", "--format", "credentials-uri-json", "-n"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("never serves a long-term key"),
        "{}",
        r.stderr
    );
}

#[test]
fn add_verifies_the_key_with_get_caller_identity() {
    let w = world();
    let (id, secret) = w.emu.add_user(ACCOUNT, "bob");
    let r = w
        .env
        .run_stdin(&["add", "bob", "--stdin"], &format!("{id}\n{secret}\n"));
    r.ok();
    assert!(
        r.stderr
            .contains(&format!("Verified: acs:ram::{ACCOUNT}:user/bob (RAMUser)")),
        "{}",
        r.stderr
    );
    let last = if secret.ends_with('x') { 'y' } else { 'x' };
    let wrong = format!("{}{last}", &secret[..secret.len() - 1]);
    let r = w
        .env
        .run_stdin(&["add", "carol", "--stdin"], &format!("{id}\n{wrong}\n"));
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("SignatureDoesNotMatch"), "{}", r.stderr);
    assert!(r.stderr.contains("the key was not stored"), "{}", r.stderr);
    assert!(!r.stderr.contains(&wrong));
    let listed = w.env.run(&["list", "--credentials"]).ok().to_string();
    assert_eq!(listed, "base\nbob\n");
}

/// An endpoint given by host name is resolved (through /etc/hosts for `localhost`): glibc's
/// resolver in a dynamically linked build, hickory-dns in the static one of the release
/// archives (docs/performance.md). `ALICLOUD_VAULT_STATIC_BIN` names a static build to check
/// the same way (packaging/rustflags; `bash packaging/deb-smoke` builds one).
#[test]
fn an_sts_endpoint_given_by_host_name_is_resolved() {
    let env = TestEnv::new();
    let emu = Emulator::start();
    let (key_id, secret) = emu.add_user(ACCOUNT, "alice");
    let admin = emu.add_role(
        ACCOUNT,
        "admin",
        3600,
        vec![Trusted::Account(ACCOUNT.into())],
    );
    env.write_config(&format!(
        "[defaults]\nsts_endpoint = \"http://localhost:{}\"\n\n[profile.base]\n\n\
         [profile.admin]\nsource_profile = \"base\"\nrole_arn = \"{admin}\"\n",
        emu.addr().port()
    ));
    env.add_key("base", &key_id, &secret);
    let mut binaries = vec![BIN.to_string()];
    binaries.extend(std::env::var("ALICLOUD_VAULT_STATIC_BIN").ok());
    for (n, bin) in binaries.iter().enumerate() {
        let cleared = env.cmd_of(bin, &[], &["clear", "admin"]).status().unwrap();
        assert!(cleared.success(), "{bin}: clear admin");
        let key_id = env.exec_key_id_by(bin, "admin").ok().trim().to_string();
        assert!(emu.issued_sts_key(&key_id), "{bin}: {key_id:?}");
        assert_eq!(emu.calls("AssumeRole"), n + 1, "{bin}");
    }
}
