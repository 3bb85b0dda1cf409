//! OAuth profiles: the browser login through the `official-cli` application driven end to end
//! without a person (the test plays the browser), the refresh and rotation of tokens, logout,
//! the import from the aliyun CLI's file, chains, and every channel to a real client. The
//! tokens live in the keystore only.
//!
//! The login listens on the fixed ports 12345..12349 (the only redirect URIs the application
//! accepts, and the only ones the emulator accepts). Tests of one process run in parallel, so
//! the tests that log in take [`LOGIN`] first: five ports would do for five logins, but a
//! test's browser must reach its own binary, and serialising keeps that certain.

use crate::agent::{http_get, http_raw, split_uri};
use crate::common::{files_under, python, Run, TestEnv, ACCOUNT, BIN};
use emulator::state::Trusted;
use emulator::Emulator;
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::Mutex;

/// Held by every test that runs `oauth login`.
static LOGIN: Mutex<()> = Mutex::new(());

pub struct OAuthWorld {
    pub env: TestEnv,
    pub emu: Emulator,
}

/// Profile `me` (OAuth, China site) and `me-admin` (role `admin`, assumed with me's session),
/// the emulator's OAuth service signing in as RAM user `alice`. `more` goes into the config.
pub fn oauth_world_in(env: TestEnv, emu: Emulator, more: &str) -> OAuthWorld {
    emu.oauth_sign_in_as(ACCOUNT, "alice");
    let admin = emu.add_role(
        ACCOUNT,
        "admin",
        43200,
        vec![Trusted::RamUser {
            account_id: ACCOUNT.into(),
            user_name: "alice".into(),
        }],
    );
    env.write_config(&format!(
        "[defaults]\nregion = \"cn-hangzhou\"\nsts_endpoint = \"{url}\"\n\n\
         [profile.me]\noauth_site = \"cn\"\noauth_endpoint = \"{url}\"\noauth_signin_endpoint = \"{url}\"\n\n\
         [profile.me-admin]\nsource_profile = \"me\"\nrole_arn = \"{admin}\"\n{more}\n",
        url = emu.base_url(),
    ));
    OAuthWorld { env, emu }
}

fn world() -> OAuthWorld {
    oauth_world_in(TestEnv::new(), Emulator::start(), "")
}

/// A running `oauth login --no-browser` and the authorize URL it printed.
struct Login {
    child: Child,
    url: String,
}

impl Login {
    fn start(env: &TestEnv, profile: &str, extra: &[&str]) -> Login {
        let mut args = vec!["oauth", "login", profile, "--no-browser"];
        args.extend_from_slice(extra);
        let mut child = env
            .cmd(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn oauth login");
        let mut line = String::new();
        BufReader::new(child.stderr.as_mut().unwrap())
            .read_line(&mut line)
            .unwrap();
        Login {
            child,
            url: line.trim().to_string(),
        }
    }

    /// The URL's query parameter `name`.
    fn param(&self, name: &str) -> String {
        let (_, q) = self.url.split_once('?').expect("a query");
        q.split('&')
            .find_map(|p| p.strip_prefix(&format!("{name}=")))
            .unwrap_or_default()
            .to_string()
    }

    /// Plays the browser: GETs the authorize URL without following the redirect, returns the
    /// Location it was sent to.
    fn authorize(&self) -> String {
        let rest = self.url.strip_prefix("http://").expect("an http URL");
        let (addr, path) = rest.split_once('/').unwrap();
        let reply = http_raw("GET", addr, &format!("/{path}"), &[]);
        assert!(reply.starts_with("HTTP/1.1 302"), "{reply}");
        reply
            .lines()
            .find_map(|l| {
                l.strip_prefix("Location: ")
                    .or_else(|| l.strip_prefix("location: "))
            })
            .expect("a Location")
            .trim()
            .to_string()
    }

    /// Follows `location` on 127.0.0.1 as the browser would; returns (status, page).
    fn callback(location: &str) -> (u16, String) {
        let (addr, path) = split_uri(location);
        assert!(addr.starts_with("127.0.0.1:"), "{location}");
        http_get(&addr, &path, &[])
    }

    fn finish(mut self) -> Run {
        let out = std::mem::replace(
            &mut self.child,
            std::process::Command::new("true").spawn().unwrap(),
        )
        .wait_with_output()
        .unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

impl Drop for Login {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Logs `profile` in through the emulator as the browser would.
pub fn log_in(env: &TestEnv, profile: &str) {
    let _guard = LOGIN.lock().unwrap_or_else(|e| e.into_inner());
    let login = Login::start(env, profile, &[]);
    let location = login.authorize();
    assert_eq!(Login::callback(&location).0, 200, "{location}");
    let r = login.finish();
    assert_eq!(r.code, 0, "{r:?}");
}

/// No file under the world's folder but the keystore's holds any token the emulator issued.
fn assert_no_token_in_files(w: &OAuthWorld) {
    let tokens = w.emu.oauth_tokens_issued();
    assert!(!tokens.is_empty());
    let keys = w.env.keys_dir();
    for file in files_under(w.env.path()) {
        if file.starts_with(&keys) {
            continue;
        }
        let text = String::from_utf8_lossy(&std::fs::read(&file).unwrap_or_default()).into_owned();
        for t in &tokens {
            assert!(
                !text.contains(t.as_str()),
                "{} holds a token",
                file.display()
            );
        }
    }
    // The keystore's files are encrypted: no token there in the clear either.
    for file in files_under(&keys) {
        let text = String::from_utf8_lossy(&std::fs::read(&file).unwrap_or_default()).into_owned();
        for t in &tokens {
            assert!(
                !text.contains(t.as_str()),
                "{} holds a token in the clear",
                file.display()
            );
        }
    }
}

#[test]
fn a_login_driven_like_a_browser_stores_the_login_and_exec_gets_a_session() {
    let w = world();
    let _guard = LOGIN.lock().unwrap_or_else(|e| e.into_inner());
    let login = Login::start(&w.env, "me", &[]);
    // The exact authorize URL of the aliyun CLI, on our sign-in endpoint.
    let port = login.url.split("127.0.0.1%3A").nth(1).unwrap()[..5].to_string();
    assert!(
        (12345..=12349).contains(&port.parse::<u16>().unwrap()),
        "{}",
        login.url
    );
    assert_eq!(
        login.url,
        format!(
            "{}/oauth2/v1/auth?response_type=code&client_id=4038181954557748008&redirect_uri=http%3A%2F%2F127.0.0.1%3A{port}%2Fcli%2Fcallback&state={}&code_challenge={}&code_challenge_method=S256",
            w.emu.base_url(),
            login.param("state"),
            login.param("code_challenge"),
        )
    );
    assert_eq!(login.param("state").len(), 16);
    assert_eq!(login.param("code_challenge").len(), 43);
    let location = login.authorize();
    let (status, page) = Login::callback(&location);
    assert_eq!(status, 200, "{page}");
    let r = login.finish();
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stderr.contains("logged in with OAuth for profile me"),
        "{}",
        r.stderr
    );
    drop(_guard);
    // The listener is gone with the login.
    assert_eq!(Login::callback(&location).0, 0);
    assert_eq!(w.emu.oauth_grants(), ["authorization_code"]);

    let r = w.env.exec_key_id("me");
    assert_eq!(r.code, 0, "{r:?}");
    assert!(w.emu.issued_sts_key(r.stdout.trim()), "{r:?}");
    assert_eq!(w.emu.calls("OAuth:/v1/exchange"), 1);
    // Cached like every session.
    assert_eq!(w.env.exec_key_id("me").stdout, r.stdout);
    assert_eq!(w.emu.calls("OAuth:/v1/exchange"), 1);
    assert_no_token_in_files(&w);
}

#[test]
fn a_callback_with_a_wrong_state_is_refused_and_the_login_waits_for_the_right_one() {
    let w = world();
    let _guard = LOGIN.lock().unwrap_or_else(|e| e.into_inner());
    let login = Login::start(&w.env, "me", &[]);
    let location = login.authorize();
    let state = login.param("state");
    let forged = location.replace(&format!("state={state}"), "state=AAAAAAAAAAAAAAAA");
    assert_ne!(forged, location);
    let (status, page) = Login::callback(&forged);
    assert_eq!(status, 400, "{page}");
    assert!(page.contains("state mismatch"), "{page}");
    assert_eq!(
        w.emu.oauth_grants(),
        Vec::<String>::new(),
        "the code was not redeemed"
    );
    assert_eq!(Login::callback(&location).0, 200);
    let r = login.finish();
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(w.emu.oauth_grants(), ["authorization_code"]);
}

#[test]
fn a_login_without_a_browser_reply_times_out_and_stores_nothing() {
    let w = world();
    let _guard = LOGIN.lock().unwrap_or_else(|e| e.into_inner());
    let login = Login::start(&w.env, "me", &["--timeout", "1s"]);
    let r = login.finish();
    assert_eq!(r.code, 3, "{r:?}");
    assert!(
        r.stderr.contains("no reply from the browser within 1 s")
            && r.stderr.contains("alicloud-vault oauth login me"),
        "{}",
        r.stderr
    );
    let r = w.env.exec_key_id("me");
    assert_eq!(r.code, 3, "{r:?}");
    assert!(
        r.stderr.contains("no OAuth login is stored"),
        "{}",
        r.stderr
    );
}

#[test]
fn ctrl_c_closes_the_listener_and_stores_nothing() {
    let w = world();
    let _guard = LOGIN.lock().unwrap_or_else(|e| e.into_inner());
    let login = Login::start(&w.env, "me", &[]);
    let location = login.authorize();
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(login.child.id() as i32),
        nix::sys::signal::Signal::SIGINT,
    )
    .unwrap();
    let r = login.finish();
    assert_eq!(r.code, 130, "{r:?}");
    assert!(
        r.stderr.contains("login cancelled; nothing was stored"),
        "{}",
        r.stderr
    );
    assert_eq!(Login::callback(&location).0, 0, "the listener is closed");
    let r = w.env.exec_key_id("me");
    assert!(
        r.stderr.contains("no OAuth login is stored"),
        "{}",
        r.stderr
    );
    assert!(w.emu.oauth_grants().is_empty());
}

#[test]
fn the_access_token_is_refreshed_and_the_rotated_refresh_token_replaces_the_old_one() {
    let w = world();
    // 1200 s or less left: refreshed before the first exchange.
    w.emu.oauth_set_access_lifetime(1200);
    log_in(&w.env, "me");
    let first_refresh = w
        .emu
        .oauth_tokens_issued()
        .into_iter()
        .find(|t| w.emu.oauth_refresh_token_valid(t))
        .expect("the login's refresh token");
    let r = w.env.exec_key_id("me");
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        w.emu.oauth_grants(),
        ["authorization_code", "refresh_token"]
    );
    assert!(
        !w.emu.oauth_refresh_token_valid(&first_refresh),
        "rotated: the old refresh token is refused from now on"
    );
    // The next mint refreshes with the rotated token, which the vault stored.
    assert_eq!(w.env.run(&["clear"]).code, 0);
    let r = w.env.exec_key_id("me");
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        w.emu.oauth_grants(),
        ["authorization_code", "refresh_token", "refresh_token"]
    );
    // An access token with more than 1200 s left is used as it is.
    w.emu.oauth_set_access_lifetime(3600);
    log_in(&w.env, "me");
    assert_eq!(w.env.exec_key_id("me").code, 0);
    assert_eq!(w.emu.oauth_grants().len(), 4);
    assert_no_token_in_files(&w);
}

#[test]
fn a_revoked_login_names_the_command_to_run_and_is_forgotten() {
    let w = world();
    w.emu.oauth_set_access_lifetime(60);
    log_in(&w.env, "me");
    w.emu.oauth_revoke_refresh_tokens();
    let r = w.env.exec_key_id("me-admin");
    assert_eq!(r.code, 3, "{r:?}");
    assert!(
        r.stderr.contains("expired or was revoked")
            && r.stderr.contains("`alicloud-vault oauth login me`"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty());
    assert_eq!(
        w.emu.oauth_grants(),
        ["authorization_code", "refresh_token"]
    );
    // The refused login was deleted: the next attempt needs no round trip to say so.
    let r = w.env.exec_key_id("me");
    assert_eq!(r.code, 3, "{r:?}");
    assert!(
        r.stderr.contains("no OAuth login is stored")
            && r.stderr.contains("`alicloud-vault oauth login me`"),
        "{}",
        r.stderr
    );
    assert_eq!(w.emu.oauth_grants().len(), 2);
}

#[test]
fn a_chain_from_an_oauth_profile_signs_the_next_hop_with_the_oauth_session() {
    let w = world();
    log_in(&w.env, "me");
    let r = w.env.exec_key_id("me-admin");
    assert_eq!(r.code, 0, "{r:?}");
    assert!(w.emu.issued_sts_key(r.stdout.trim()));
    let hop = w
        .emu
        .requests()
        .into_iter()
        .rfind(|q| q.action.as_deref() == Some("AssumeRole"))
        .expect("an AssumeRole");
    assert!(hop.has_security_token, "signed by the OAuth session");
    assert_eq!(
        hop.role_arn.as_deref().map(|a| a.ends_with("role/admin")),
        Some(true)
    );
    assert_eq!(w.emu.calls("OAuth:/v1/exchange"), 1);
}

#[test]
fn logout_forgets_the_login_and_the_agent_stops_serving_its_sessions() {
    let w = world();
    log_in(&w.env, "me");
    let _agent = crate::agent::start_agent(&w.env);
    let held = crate::agent::held_exec(&w.env, &["--server", "me-admin"]);
    let (addr, path) = split_uri(&held.uri);
    let (status, body) = http_get(&addr, &path, &[]);
    assert_eq!(status, 200, "{body}");
    let r = w.env.run(&["oauth", "logout", "me"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stderr.contains("removed 1 OAuth login(s)") && !r.stderr.contains(" 0 session(s)"),
        "{}",
        r.stderr
    );
    let (status, body) = http_get(&addr, &path, &[]);
    assert_ne!(status, 200, "{body}");
    let r = w.env.exec_key_id("me-admin");
    assert_eq!(r.code, 3, "{r:?}");
    assert!(
        r.stderr.contains("alicloud-vault oauth login me"),
        "{}",
        r.stderr
    );
    held.finish();
    // Logging out again finds nothing, and says so.
    let r = w.env.run(&["oauth", "logout"]);
    assert!(
        r.stderr.contains("removed 0 OAuth login(s)"),
        "{}",
        r.stderr
    );
}

#[test]
fn an_aliyun_cli_oauth_profile_is_imported_and_its_plaintext_tokens_blanked() {
    let w = world();
    let refresh = w.emu.oauth_issue_refresh_token();
    let cli = w.env.path().join("aliyun.json");
    let original = serde_json::json!({
        "current": "me",
        "profiles": [{
            "name": "cli-me",
            "mode": "OAuth",
            "oauth_site_type": "CN",
            "oauth_refresh_token": refresh,
            "oauth_access_token": "stale-access-token-0123456789",
            "oauth_access_token_expire": 1700000000,
            "access_key_id": "STS.cached",
            "access_key_secret": "cached-secret-0123456789",
            "sts_token": "cached-token-0123456789",
            "sts_expiration": 1700000000,
            "region_id": "cn-beijing",
            "language": "en",
            "future_field": {"x": 1}
        }],
        "meta_path": ""
    });
    std::fs::write(&cli, serde_json::to_string_pretty(&original).unwrap()).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&cli, std::fs::Permissions::from_mode(0o640)).unwrap();
    }
    // The aliyun CLI profile is an OAuth source by name; its endpoints come from the environment.
    let url = w.emu.base_url();
    let run = |args: &[&str]| {
        w.env
            .run_with(args, &[("ALICLOUD_VAULT_OAUTH_ENDPOINT", &url)])
    };
    let before = run(&["exec", "cli-me", "--", "true"]);
    assert_eq!(before.code, 3, "{before:?}");
    assert!(
        before.stderr.contains("no OAuth login is stored"),
        "{}",
        before.stderr
    );

    let r = run(&["add", "cli-me", "--import-aliyun", "--yes"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stderr
            .contains("Blanked the OAuth tokens of profile cli-me"),
        "{}",
        r.stderr
    );
    let after: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&cli).unwrap()).unwrap();
    let mut expected = original.clone();
    for f in [
        "oauth_refresh_token",
        "oauth_access_token",
        "access_key_secret",
        "sts_token",
    ] {
        expected["profiles"][0][f] = serde_json::json!("");
    }
    for f in ["oauth_access_token_expire", "sts_expiration"] {
        expected["profiles"][0][f] = serde_json::json!(0);
    }
    assert_eq!(after, expected, "only the tokens changed");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&cli).unwrap().permissions().mode() & 0o777,
            0o640
        );
    }
    // The stale access token (expired in 2023) is not used: the first mint refreshes.
    let r = w.env.run_with(
        &[
            "exec",
            "cli-me",
            "--",
            "sh",
            "-c",
            "echo $ALIBABA_CLOUD_ACCESS_KEY_ID",
        ],
        &[("ALICLOUD_VAULT_OAUTH_ENDPOINT", &url)],
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert!(w.emu.issued_sts_key(r.stdout.trim()), "{r:?}");
    assert_eq!(w.emu.oauth_grants(), ["refresh_token"]);
    assert!(!w.emu.oauth_refresh_token_valid(&refresh), "rotated away");
    assert_no_token_in_files(&w);
    // Importing again finds nothing left to import.
    let r = run(&["add", "cli-me", "--import-aliyun", "--yes"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("holds no refresh token"), "{}", r.stderr);
}

#[test]
fn oauth_settings_are_checked_when_the_file_is_read() {
    let env = TestEnv::new();
    for (toml, expect) in [
        ("[profile.x]\noauth_site = \"us\"\n", "oauth_site `us` is unknown"),
        (
            "[profile.x]\noauth_site = \"cn\"\noauth_endpoint = \"http://oauth.example.com\"\n",
            "plain http:// for a host that is not loopback",
        ),
        (
            "[profile.x]\noauth_site = \"cn\"\nsource_profile = \"y\"\nrole_arn = \"acs:ram::1:role/r\"\n",
            "an OAuth profile is its own source",
        ),
    ] {
        env.assert_config_refused(toml, expect);
    }
    env.write_config("[profile.x]\noauth_site = \"cn\"\n");
    let r = env.run_with(
        &["oauth", "login", "x", "--no-browser"],
        &[(
            "ALICLOUD_VAULT_OAUTH_SIGNIN_ENDPOINT",
            "http://signin.example.com",
        )],
    );
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stderr.contains("$ALICLOUD_VAULT_OAUTH_SIGNIN_ENDPOINT")
            && r.stderr.contains("not loopback"),
        "{}",
        r.stderr
    );
    let r = env.run(&["oauth", "login", "nobody-here", "--no-browser"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("does not use OAuth"), "{}", r.stderr);
}

const PY_ENV: &str = r#"
from alibabacloud_credentials.client import Client
c = Client().get_credential()
assert c.security_token
print(c.access_key_id)
"#;

const PY_URI: &str = r#"
import os
from alibabacloud_credentials.client import Client
from alibabacloud_credentials.models import Config
c = Client(Config(type='credentials_uri', credentials_uri=os.environ['ALIBABA_CLOUD_CREDENTIALS_URI'])).get_credential()
assert c.security_token
print(c.access_key_id)
"#;

/// exec's environment, export's env lines and exec --server's credentials URI, each read by
/// the real Python client, for the OAuth profile and a chain from it.
#[test]
fn oauth_sessions_reach_the_real_python_client_through_env_export_and_the_uri() {
    let w = world();
    log_in(&w.env, "me");
    let py = python();
    let py = py.to_str().unwrap();
    for profile in ["me", "me-admin"] {
        let via_exec = w.env.run(&["exec", profile, "--", py, "-c", PY_ENV]);
        let id = via_exec.ok().trim().to_string();
        assert!(w.emu.issued_sts_key(&id), "{profile}: {id}");

        let file = w.env.path().join("client.py");
        std::fs::write(&file, PY_ENV).unwrap();
        let via_export = w.env.shell(&format!(
            "eval \"$('{BIN}' export {profile} --format env)\" && exec '{py}' '{}'",
            file.display()
        ));
        assert_eq!(
            via_export.ok().trim(),
            id,
            "{profile}: export hands out the same session"
        );

        let via_uri = w.env.run_with(
            &["exec", profile, "--server", "--", py, "-c", PY_URI],
            &[("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")],
        );
        assert_eq!(
            via_uri.ok().trim(),
            id,
            "{profile}: the URI serves the same session"
        );
    }
    assert_eq!(
        w.emu.calls("OAuth:/v1/exchange"),
        1,
        "one OAuth session behind all of it"
    );
}

/// The metadata emulation, inside a network namespace, serving a chain from an OAuth login
/// (imported, since the login's browser would have to live in the namespace too).
#[test]
fn an_oauth_chain_reaches_the_real_python_client_through_the_metadata_endpoint() {
    let Some(ns) = crate::metadata::Netns::new() else {
        return;
    };
    let emu = ns.emulator();
    let o = oauth_world_in(
        TestEnv::new(),
        emu,
        "\n[metadata]\nprofile = \"me-admin\"\nrole_name = \"laptop-role\"\n",
    );
    let refresh = o.emu.oauth_issue_refresh_token();
    std::fs::write(
        o.env.path().join("aliyun.json"),
        serde_json::json!({"profiles": [{"name": "me", "mode": "OAuth", "oauth_site_type": "CN", "oauth_refresh_token": refresh}]})
            .to_string(),
    )
    .unwrap();
    let r = o.env.run(&["add", "me", "--import-aliyun", "--yes"]);
    assert_eq!(r.code, 0, "{r:?}");
    let w = crate::metadata::World {
        env: o.env,
        emu: o.emu,
        ns,
    };
    let _agent = crate::metadata::start_agent(&w);
    let script = "from alibabacloud_credentials.client import Client\nfrom alibabacloud_credentials.models import Config\nk = Client(Config(type='ecs_ram_role', role_name='laptop-role')).get_credential()\nassert k.security_token\nprint(k.access_key_id)\n";
    let py = python();
    let id = crate::metadata::run_in_ns(&w, py.to_str().unwrap(), &["-c", script], &[]);
    assert!(w.emu.issued_sts_key(&id), "{id}");
    assert_eq!(w.emu.oauth_grants(), ["refresh_token"]);
    assert_eq!(
        w.emu.calls("AssumeRole"),
        1,
        "one hop after the OAuth source"
    );
}
