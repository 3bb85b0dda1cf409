//! CloudSSO: `sso login|list|logout`, SSO sessions through `exec` and `export`, and role chains
//! from an SSO session, against the CloudSSO emulator (tests/emulator/sso.rs).

use crate::common::{python, TestEnv};
use alicloud_vault::aliyun::sso::{Pkce, SsoClient, SsoError, TokenPoll, DEFAULT_CLIENT_ID};
use emulator::state::Trusted;
use emulator::Emulator;
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::Duration;

const ACCOUNT: &str = "1234567890123456";
const OTHER_ACCOUNT: &str = "6543210987654321";

struct World {
    env: TestEnv,
    emu: Emulator,
    deploy: String,
}

/// Two SSO profiles on one sign-in URL (two access configurations in one account), a third
/// account assignment, and `corp-deploy`: a role in another account that trusts the SSO
/// role of the `Admin` access configuration, chained from `corp-sso`.
fn world() -> World {
    world_on("file")
}

fn world_on(backend: &str) -> World {
    let mut env = TestEnv::with_backend(backend);
    // One second of the server's Interval lasts 20 ms here.
    env.set_var("ALICLOUD_VAULT_SSO_POLL_UNIT_MS", "20");
    let emu = Emulator::start();
    emu.sso_add_user_assignment(ACCOUNT, "Production", "ac-admin", "Admin");
    emu.sso_add_user_assignment(ACCOUNT, "Production", "ac-readonly", "ReadOnly");
    emu.sso_add_user_assignment(OTHER_ACCOUNT, "Staging", "ac-dev", "Developer");
    let deploy = emu.add_role(
        OTHER_ACCOUNT,
        "deploy",
        3600,
        vec![Trusted::Role {
            account_id: ACCOUNT.into(),
            role_name: "AliyunReservedSSO-Admin".into(),
        }],
    );
    env.write_config(&format!(
        r#"
[defaults]
region = "cn-shanghai"
sts_endpoint = "{url}"

[profile.corp-sso]
sso_sign_in_url = "{url}/device/login"
sso_account_id = "{ACCOUNT}"
sso_access_configuration = "ac-admin"

[profile.corp-ro]
sso_sign_in_url = "{url}/device/login"
sso_account_id = "{ACCOUNT}"
sso_access_configuration = "ac-readonly"

[profile.corp-deploy]
source_profile = "corp-sso"
role_arn = "{deploy}"
"#,
        url = emu.base_url()
    ));
    World { env, emu, deploy }
}

fn login(w: &World, profile: &str) {
    w.emu.sso_approve_after_polls(2);
    w.env.run(&["sso", "login", profile, "--no-browser"]).ok();
}

/// `exec PROFILE -- sh -c 'echo id secret token'`, split into words.
fn child_credentials(env: &TestEnv, profile: &str) -> Vec<String> {
    let r = env.run(&[
        "exec",
        profile,
        "--",
        "sh",
        "-c",
        "echo $ALIBABA_CLOUD_ACCESS_KEY_ID $ALIBABA_CLOUD_ACCESS_KEY_SECRET $ALIBABA_CLOUD_SECURITY_TOKEN",
    ]);
    r.ok().split_whitespace().map(str::to_string).collect()
}

#[test]
fn login_polls_until_approved_then_exec_hands_out_the_sso_session() {
    let w = world();
    w.emu.sso_approve_after_polls(3);
    let r = w.env.run(&["sso", "login", "corp-sso", "--no-browser"]);
    r.ok();
    assert!(r.stderr.contains("  Code: "), "{}", r.stderr);
    assert!(r.stderr.contains("/device/code"), "{}", r.stderr);
    assert!(r.stderr.contains("logged in to CloudSSO"), "{}", r.stderr);
    assert_eq!(w.emu.calls("CloudSSO:/device-authorization"), 1);
    assert_eq!(w.emu.calls("CloudSSO:/token"), 3);
    {
        let st = w.emu.state();
        assert_eq!(st.sso.client_ids, [DEFAULT_CLIENT_ID]);
        assert_eq!(
            st.sso.portal_urls,
            [format!("{}/device/login", w.emu.base_url())]
        );
    }

    let creds = child_credentials(&w.env, "corp-sso");
    assert_eq!(creds.len(), 3, "{creds:?}");
    assert!(creds[0].starts_with("STS."));
    assert!(w.emu.issued_sts_key(&creds[0]));
    assert!(creds[2].starts_with("CAIS"));
    assert_eq!(w.emu.calls("CloudSSO:/cloud-credentials"), 1);
    // Cached like any session: the second exec makes no call.
    assert_eq!(child_credentials(&w.env, "corp-sso"), creds);
    assert_eq!(w.emu.calls("CloudSSO:/cloud-credentials"), 1);
    let sessions = w.env.run(&["list", "--sessions"]).ok().to_string();
    assert!(sessions.starts_with("corp-sso\t"), "{sessions}");
}

#[test]
fn login_is_approved_with_the_user_code_it_prints() {
    let w = world();
    let mut child = w
        .env
        .cmd(&["sso", "login", "corp-sso", "--no-browser"])
        .stderr(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let code = loop {
        let line = lines.next().expect("the code is printed").unwrap();
        if let Some(c) = line.strip_prefix("  Code: ") {
            break c.trim().to_string();
        }
    };
    std::thread::sleep(Duration::from_millis(100));
    assert!(w.emu.sso_approve(&code), "no pending login with {code}");
    let rest: Vec<String> = lines.map(Result::unwrap).collect();
    let status = child.wait().unwrap();
    assert!(status.success(), "{rest:?}");
    assert!(w.emu.calls("CloudSSO:/token") >= 2);
    assert_eq!(w.emu.sso_live_tokens(), 1);
}

#[test]
fn slow_down_makes_the_login_poll_less_often_and_still_succeed() {
    let w = world();
    w.emu.sso_slow_down(2);
    w.emu.sso_approve_after_polls(1);
    let started = std::time::Instant::now();
    w.env
        .run(&["sso", "login", "corp-sso", "--no-browser"])
        .ok();
    // Intervals of 1, then 6 and 11 seconds (20 ms each here): at least 18 units.
    assert!(started.elapsed() >= Duration::from_millis(18 * 20));
    assert_eq!(w.emu.calls("CloudSSO:/token"), 3);
}

#[test]
fn the_client_id_can_be_overridden_from_the_environment() {
    let w = world();
    w.emu.sso_approve_after_polls(1);
    w.env
        .run_with(
            &["sso", "login", "corp-sso", "--no-browser"],
            &[
                ("ALIBABA_CLOUD_SSO_CLIENT_ID", "app-second"),
                ("ALIBABACLOUD_SSO_CLIENT_ID", "app-first"),
            ],
        )
        .ok();
    assert_eq!(w.emu.state().sso.client_ids, ["app-first"]);
}

#[test]
fn the_emulator_rejects_a_token_poll_with_the_wrong_verifier() {
    let emu = Emulator::start();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let client = SsoClient::new(&emu.base_url()).unwrap();
    let pkce = Pkce::new();
    let auth = rt
        .block_on(client.device_authorization(
            &format!("{}/device/login", emu.base_url()),
            DEFAULT_CLIENT_ID,
            &pkce,
        ))
        .unwrap();
    let other = Pkce::new();
    match rt.block_on(client.poll_token(DEFAULT_CLIENT_ID, &auth.device_code, &other.verifier)) {
        Err(SsoError::Service {
            code, http_status, ..
        }) => {
            assert_eq!(&*code, "InvalidCodeVerifier");
            assert_eq!(http_status, 400);
        }
        other => panic!("expected InvalidCodeVerifier, got {other:?}"),
    }
    assert!(matches!(
        rt.block_on(client.poll_token(DEFAULT_CLIENT_ID, &auth.device_code, &pkce.verifier)),
        Ok(TokenPoll::Pending)
    ));
    assert!(emu.sso_approve(&auth.user_code));
    assert!(matches!(
        rt.block_on(client.poll_token(DEFAULT_CLIENT_ID, &auth.device_code, &pkce.verifier)),
        Ok(TokenPoll::Granted(_))
    ));
}

#[test]
fn an_expired_device_code_ends_the_login_with_a_clear_error() {
    let w = world();
    w.emu.sso_set_device_code_lifetime(0);
    let r = w.env.run(&["sso", "login", "corp-sso", "--no-browser"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("run `alicloud-vault sso login corp-sso` to try again"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("expired before it was approved"),
        "{}",
        r.stderr
    );
    assert_eq!(w.emu.calls("CloudSSO:/token"), 1);
    let r = w.env.run(&["exec", "corp-sso", "--", "true"]);
    assert_eq!(r.code, 3, "nothing was stored: {}", r.stderr);
}

#[test]
fn one_login_serves_every_profile_with_the_same_sign_in_url() {
    let w = world();
    login(&w, "corp-sso");
    let admin = child_credentials(&w.env, "corp-sso");
    let readonly = child_credentials(&w.env, "corp-ro");
    assert_ne!(admin[0], readonly[0]);
    assert!(w.emu.issued_sts_key(&readonly[0]));
    assert_eq!(w.emu.calls("CloudSSO:/device-authorization"), 1);
    assert_eq!(w.emu.calls("CloudSSO:/cloud-credentials"), 2);

    // The token is in the keystore only, and encrypted there.
    let token = w.emu.state().sso.tokens.keys().next().unwrap().clone();
    for entry in crate::common::files_under(w.env.path()) {
        let bytes = std::fs::read(&entry).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(&token),
            "{} holds the access token in plain text",
            entry.display()
        );
    }
}

#[test]
fn sso_list_follows_every_page_of_accounts_and_access_configurations() {
    let w = world();
    login(&w, "corp-sso");
    w.emu.sso_set_page_size(1);
    let out = w.env.run(&["sso", "list", "corp-sso", "--json"]);
    let v: serde_json::Value = serde_json::from_str(out.ok()).unwrap();
    assert_eq!(
        v,
        serde_json::json!([
            {
                "account_id": ACCOUNT,
                "display_name": "Production",
                "access_configurations": [
                    {"id": "ac-admin", "name": "Admin", "description": "Admin in Production"},
                    {"id": "ac-readonly", "name": "ReadOnly", "description": "ReadOnly in Production"},
                ]
            },
            {
                "account_id": OTHER_ACCOUNT,
                "display_name": "Staging",
                "access_configurations": [
                    {"id": "ac-dev", "name": "Developer", "description": "Developer in Staging"},
                ]
            }
        ])
    );
    assert_eq!(w.emu.calls("CloudSSO:/access-assignments/accounts"), 2);
    assert_eq!(
        w.emu
            .calls("CloudSSO:/access-assignments/access-configurations"),
        3
    );
    let table = w.env.run(&["sso", "list", "corp-sso"]);
    let lines: Vec<&str> = table.ok().lines().collect();
    assert_eq!(lines.len(), 4, "{lines:?}");
    assert!(lines[0].starts_with("ACCOUNT ID"));
    assert!(lines[3].starts_with(OTHER_ACCOUNT) && lines[3].contains("ac-dev"));
}

#[test]
fn a_role_chain_from_an_sso_session_reaches_a_real_client() {
    let w = world();
    login(&w, "corp-sso");
    let py = python();
    let script = r#"
from alibabacloud_credentials.client import Client
m = Client().get_credential()
print(m.access_key_id, m.security_token is not None and m.security_token.startswith("CAIS"))
"#;
    let r = w.env.run(&[
        "exec",
        "corp-deploy",
        "--",
        py.to_str().unwrap(),
        "-c",
        script,
    ]);
    let out = r.ok().trim().to_string();
    let (id, has_token) = out.split_once(' ').unwrap();
    assert_eq!(has_token, "True");
    assert!(
        w.emu.issued_sts_key(id),
        "{id} was not issued by the emulator"
    );

    let reqs = w.emu.requests();
    let assume: Vec<_> = reqs
        .iter()
        .filter(|r| r.action.as_deref() == Some("AssumeRole"))
        .collect();
    assert_eq!(assume.len(), 1);
    assert_eq!(assume[0].role_arn.as_deref(), Some(w.deploy.as_str()));
    assert!(
        assume[0].has_security_token,
        "the hop must be signed with the SSO session and its token"
    );
    assert_eq!(assume[0].role_session_name.as_deref(), Some("corp-sso"));
    // The client got the chained session, not the SSO session that signed the hop.
    let sso_key = assume[0].access_key_id.clone().unwrap();
    assert_ne!(id, sso_key);
    let sso_export: serde_json::Value =
        serde_json::from_str(w.env.run(&["export", "corp-sso", "--format", "json"]).ok()).unwrap();
    assert_eq!(
        sso_export["AccessKeyId"],
        sso_key.as_str(),
        "the SSO session is cached and reused"
    );
    assert_eq!(w.emu.calls("CloudSSO:/cloud-credentials"), 1);
}

#[test]
fn an_expired_sso_token_names_the_login_command_and_hands_out_nothing() {
    let w = world();
    // A token with seconds left is as good as expired.
    w.emu.sso_set_token_lifetime(5);
    login(&w, "corp-sso");
    for profile in ["corp-sso", "corp-deploy"] {
        let r = w.env.run(&["exec", profile, "--", "echo", "ran"]);
        assert_eq!(r.code, 3, "{}", r.stderr);
        assert_eq!(r.stdout, "");
        assert!(
            r.stderr.contains("`alicloud-vault sso login corp-sso`"),
            "{}",
            r.stderr
        );
    }
    assert_eq!(w.emu.calls("CloudSSO:/cloud-credentials"), 0);
}

#[test]
fn a_token_the_server_refuses_means_login_again_and_no_stale_session() {
    let w = world();
    w.emu.sso_set_session_lifetime(8);
    login(&w, "corp-sso");
    child_credentials(&w.env, "corp-sso");
    w.emu.sso_expire_tokens();
    // The 8 s session is handed out while more than 5 s are left; after that never.
    std::thread::sleep(Duration::from_millis(3500));
    let r = w.env.run(&["export", "corp-sso", "--format", "json"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr.contains("`alicloud-vault sso login corp-sso`"),
        "{}",
        r.stderr
    );
    assert_eq!(w.emu.calls("CloudSSO:/cloud-credentials"), 2);
    // The refused token was forgotten: the next try asks for a login without calling CloudSSO.
    let r = w.env.run(&["exec", "corp-ro", "--", "true"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert_eq!(w.emu.calls("CloudSSO:/cloud-credentials"), 2);
}

#[test]
fn logout_forgets_the_token_and_the_sessions_made_from_it() {
    let w = world();
    login(&w, "corp-sso");
    child_credentials(&w.env, "corp-deploy");
    let r = w.env.run(&["sso", "logout"]);
    r.ok();
    assert!(
        r.stderr
            .contains("removed 1 CloudSSO token(s) and 2 session(s)"),
        "{}",
        r.stderr
    );
    assert_eq!(w.env.run(&["list", "--sessions"]).ok(), "");
    for profile in ["corp-sso", "corp-deploy", "corp-ro"] {
        let r = w.env.run(&["exec", profile, "--", "true"]);
        assert_eq!(r.code, 3, "{}", r.stderr);
        assert!(
            r.stderr.contains("alicloud-vault sso login corp-"),
            "{}",
            r.stderr
        );
    }
}

#[test]
fn logout_of_one_profile_forgets_only_its_sign_in_url() {
    let w = world();
    login(&w, "corp-sso");
    child_credentials(&w.env, "corp-ro");
    let r = w.env.run(&["sso", "logout", "corp-deploy"]);
    r.ok();
    assert!(
        r.stderr
            .contains("removed 1 CloudSSO token(s) and 1 session(s)"),
        "{}",
        r.stderr
    );
    let r = w.env.run(&["sso", "logout", "corp-sso"]);
    assert!(r.ok().is_empty());
    assert!(
        r.stderr.contains("removed 0 CloudSSO token(s)"),
        "{}",
        r.stderr
    );
}

#[test]
fn ctrl_c_cancels_the_login_and_stores_nothing() {
    let w = world();
    let mut child = w
        .env
        .cmd(&["sso", "login", "corp-sso", "--no-browser"])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    while !lines.next().unwrap().unwrap().starts_with("  Code: ") {}
    std::thread::sleep(Duration::from_millis(100));
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
    let rest: Vec<String> = lines.map(Result::unwrap).collect();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "{rest:?}");
    assert!(
        rest.iter().any(|l| l.contains("login cancelled")),
        "{rest:?}"
    );
    let r = w.env.run(&["exec", "corp-sso", "--", "true"]);
    assert_eq!(r.code, 3);
}

#[test]
fn sso_commands_refuse_profiles_without_sso() {
    let w = world();
    w.env
        .write_config("[profile.plain]\nregion = \"cn-hangzhou\"\n");
    let r = w.env.run(&["sso", "login", "plain", "--no-browser"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("does not use CloudSSO"), "{}", r.stderr);
}

#[test]
fn aliyun_cli_cloudsso_profiles_log_in_and_resolve() {
    let w = world();
    std::fs::write(
        w.env.path().join("aliyun.json"),
        serde_json::json!({
            "current": "cli-sso",
            "profiles": [{
                "name": "cli-sso",
                "mode": "CloudSSO",
                "cloud_sso_sign_in_url": format!("{}/device/login", w.emu.base_url()),
                "cloud_sso_account_id": OTHER_ACCOUNT,
                "cloud_sso_access_config": "ac-dev",
                "region_id": "cn-hangzhou"
            }]
        })
        .to_string(),
    )
    .unwrap();
    login(&w, "cli-sso");
    let creds = child_credentials(&w.env, "cli-sso");
    assert!(w.emu.issued_sts_key(&creds[0]));
    // The same sign-in URL as the TOML profiles: their login is the same one.
    assert!(w
        .emu
        .issued_sts_key(&child_credentials(&w.env, "corp-sso")[0]));
    assert_eq!(w.emu.calls("CloudSSO:/device-authorization"), 1);
}

#[test]
fn the_login_lives_in_the_secret_service_keystore_too() {
    if !crate::keystores::require_dbus() {
        return;
    }
    // The keyring is shared by the whole test session: only this sign-in URL's login is removed.
    let w = world_on("secret-service");
    login(&w, "corp-sso");
    let creds = child_credentials(&w.env, "corp-deploy");
    assert!(w.emu.issued_sts_key(&creds[0]));
    w.env.run(&["sso", "logout", "corp-sso"]).ok();
    let r = w.env.run(&["exec", "corp-deploy", "--", "true"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(
        r.stderr.contains("`alicloud-vault sso login corp-sso`"),
        "{}",
        r.stderr
    );
}

#[test]
fn exec_on_a_terminal_offers_the_login_and_then_runs_the_command() {
    let w = world();
    w.emu.sso_approve_after_polls(2);
    // `script` gives the binary a pseudo-terminal; the answer `y` arrives through it.
    let r = w.env.shell(&format!(
        "(printf 'y\\n'; sleep 3) | script -qefc \"{} exec corp-deploy -- sh -c 'echo ID=\\$ALIBABA_CLOUD_ACCESS_KEY_ID'\" /dev/null",
        crate::common::BIN
    ));
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .contains("profile corp-sso needs a CloudSSO login. Log in now? [y/N]"),
        "{}",
        r.stdout
    );
    let id = r
        .stdout
        .lines()
        .find_map(|l| l.trim().strip_prefix("ID="))
        .unwrap_or_else(|| panic!("no ID line in {}", r.stdout));
    assert!(w.emu.issued_sts_key(id), "{id}");
    assert_eq!(w.emu.calls("CloudSSO:/device-authorization"), 1);
    assert_eq!(w.emu.calls("AssumeRole"), 1);
}

#[test]
fn declining_the_offered_login_fails_with_the_login_command() {
    let w = world();
    let r = w.env.shell(&format!(
        "(printf 'n\\n'; sleep 2) | script -qefc \"{} exec corp-sso -- echo ran\" /dev/null",
        crate::common::BIN
    ));
    assert_eq!(r.code, 3, "{}\n{}", r.stdout, r.stderr);
    assert!(!r.stdout.contains("ran"), "{}", r.stdout);
    assert!(
        r.stdout.contains("`alicloud-vault sso login corp-sso`"),
        "{}",
        r.stdout
    );
    assert_eq!(w.emu.calls("CloudSSO:/device-authorization"), 0);
}

#[test]
fn the_agent_serves_sso_and_chained_sessions_through_a_credentials_uri() {
    let w = world();
    let _agent = crate::agent::start_agent(&w.env);
    let r = w.env.run(&["exec", "corp-deploy", "--", "true"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(
        r.stderr.contains("`alicloud-vault sso login corp-sso`"),
        "{}",
        r.stderr
    );
    login(&w, "corp-sso");
    // The agent backs off for about a second after a failed refresh.
    std::thread::sleep(Duration::from_millis(2100));
    let py = python();
    let script = r#"
from alibabacloud_credentials.client import Client
m = Client().get_credential()
print(m.access_key_id)
"#;
    for profile in ["corp-sso", "corp-deploy"] {
        let r = w.env.run_with(
            &[
                "exec",
                profile,
                "--server",
                "--",
                py.to_str().unwrap(),
                "-c",
                script,
            ],
            &[("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")],
        );
        let id = r.ok().trim().to_string();
        assert!(w.emu.issued_sts_key(&id), "{profile}: {id} {}", r.stderr);
    }
    assert_eq!(w.emu.calls("CloudSSO:/cloud-credentials"), 1);
    assert_eq!(w.emu.calls("AssumeRole"), 1);
}

#[test]
fn sso_configure_prints_then_writes_a_profile_for_each_unconfigured_assignment() {
    let w = world();
    login(&w, "corp-sso");
    let config_path = w.env.config_path();
    let before = std::fs::read(&config_path).unwrap();

    // Printed only: the Staging account's Developer access; the two configured ones are named.
    let r = w.env.run(&["sso", "configure", "corp-sso"]);
    let printed = r.ok().to_string();
    assert!(printed.contains("[profile.staging-developer]"), "{printed}");
    assert!(
        printed.contains(&format!("sso_account_id = \"{OTHER_ACCOUNT}\"")),
        "{printed}"
    );
    assert!(
        printed.contains("sso_access_configuration = \"ac-dev\""),
        "{printed}"
    );
    assert!(
        !printed.contains("ac-admin") && !printed.contains("ac-readonly"),
        "{printed}"
    );
    assert!(
        r.stderr.contains("already configured: corp-sso, corp-ro"),
        "{}",
        r.stderr
    );
    assert_eq!(std::fs::read(&config_path).unwrap(), before);

    // A bad prefix changes nothing.
    let bad = w
        .env
        .run(&["sso", "configure", "corp-sso", "--write", "--prefix", "a b"]);
    assert_eq!(bad.code, 1, "{}", bad.stderr);
    assert!(bad.stderr.contains("--prefix"), "{}", bad.stderr);
    assert_eq!(std::fs::read(&config_path).unwrap(), before);

    // Written: the old text stays as it was, the new profile works.
    let r = w.env.run(&["sso", "configure", "corp-sso", "--write"]);
    assert_eq!(r.ok(), "");
    assert!(r.stderr.contains("1 new profile(s) added"), "{}", r.stderr);
    let after = std::fs::read(&config_path).unwrap();
    assert!(after.starts_with(&before));
    let creds = child_credentials(&w.env, "staging-developer");
    assert!(w.emu.issued_sts_key(&creds[0]), "{creds:?}");

    // Again: nothing new, nothing changed.
    let r = w.env.run(&["sso", "configure", "corp-sso", "--write"]);
    assert!(r.stderr.contains("0 new profile(s)"), "{}", r.stderr);
    assert_eq!(std::fs::read(&config_path).unwrap(), after);
}
