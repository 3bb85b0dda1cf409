//! Desktop notices: the agent's `org.freedesktop.Notifications.Notify` calls, watched with
//! `dbus-monitor` on the test run's private session bus (no notification daemon owns the name,
//! so nobody answers: the agent must not wait for one). Tests run in parallel on that bus, so
//! each looks only at notices naming its own, unique, profiles.

use crate::agent::{held_exec, http_get, split_uri, start_agent, AgentProc, HeldExec};
use crate::common::{unique, TestEnv, ACCOUNT};
use emulator::state::Trusted;
use emulator::{Emulator, Fault};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// `dbus-monitor` printing every Notify call on the session bus.
struct Monitor {
    child: Child,
    out: Arc<Mutex<String>>,
}

impl Monitor {
    fn start() -> Monitor {
        let mut child = Command::new("dbus-monitor")
            .args([
                "--session",
                "interface='org.freedesktop.Notifications',member='Notify'",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-monitor (Debian package dbus-bin; scripts/setup-test-deps)");
        let out = Arc::new(Mutex::new(String::new()));
        let stdout = child.stdout.take().unwrap();
        let sink = out.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let mut s = sink.lock().unwrap();
                s.push_str(&line);
                s.push('\n');
            }
        });
        // It says NameLost once it has become a monitor.
        let deadline = Instant::now() + Duration::from_secs(10);
        while !out.lock().unwrap().contains("member=NameLost") {
            assert!(Instant::now() < deadline, "dbus-monitor did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        Monitor { child, out }
    }

    /// The Notify calls that name `profile` (as a whole word): their string arguments, joined.
    fn notices(&self, profile: &str) -> Vec<String> {
        let out = self.out.lock().unwrap().clone();
        out.split("method call ")
            .filter(|call| call.contains("member=Notify"))
            .filter(|call| {
                call.split(|c: char| !(c.is_ascii_alphanumeric() || "._-".contains(c)))
                    .any(|word| word == profile)
            })
            .map(|call| {
                call.lines()
                    .filter_map(|l| l.trim().strip_prefix("string \""))
                    .map(|s| s.trim_end_matches('"'))
                    .collect::<Vec<_>>()
                    .join(" | ")
            })
            .collect()
    }
}

impl Drop for Monitor {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// GETs `uri` every 100 ms for `how_long`; returns the slowest answer's time.
fn keep_asking(uri: &str, how_long: Duration) -> Duration {
    let (addr, path) = split_uri(uri);
    let end = Instant::now() + how_long;
    let mut slowest = Duration::ZERO;
    while Instant::now() < end {
        let t = Instant::now();
        http_get(&addr, &path, &[]);
        slowest = slowest.max(t.elapsed());
        std::thread::sleep(Duration::from_millis(100));
    }
    slowest
}

/// Waits up to 5 s until `monitor` saw `n` notices naming `profile`, then returns them all.
fn notices_after(monitor: &Monitor, profile: &str, n: usize) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(5);
    while monitor.notices(profile).len() < n && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    monitor.notices(profile)
}

/// Starts the agent and a credentials-URI client of `served`, asks for half a second, and
/// returns what `monitor` saw naming `named` (waiting for one notice).
fn serve_and_watch(
    env: &TestEnv,
    monitor: &Monitor,
    served: &str,
    named: &str,
) -> (AgentProc, HeldExec, Vec<String>) {
    let agent = start_agent(env);
    let held = held_exec(env, &["--server", served]);
    keep_asking(&held.uri, Duration::from_millis(500));
    let shown = notices_after(monitor, named, 1);
    (agent, held, shown)
}

/// Two CloudSSO profiles on one sign-in URL (so one login serves both), with unique names.
struct SsoWorld {
    env: TestEnv,
    emu: Emulator,
    first: String,
    second: String,
}

fn sso_world(agent_section: &str) -> SsoWorld {
    let mut env = TestEnv::new();
    env.set_var("ALICLOUD_VAULT_SSO_POLL_UNIT_MS", "20");
    let emu = Emulator::start();
    emu.sso_add_user_assignment(ACCOUNT, "Production", "ac-admin", "Admin");
    emu.sso_add_user_assignment(ACCOUNT, "Production", "ac-readonly", "ReadOnly");
    let first = unique("nsso");
    let second = unique("nsso");
    let w = SsoWorld {
        env,
        emu,
        first,
        second,
    };
    write_sso_config(&w, agent_section);
    w
}

fn write_sso_config(w: &SsoWorld, agent_section: &str) {
    w.env.write_config(&format!(
        r#"
[defaults]
region = "cn-shanghai"
sts_endpoint = "{url}"

[agent]
{agent_section}

[profile.{first}]
sso_sign_in_url = "{url}/device/login"
sso_account_id = "{ACCOUNT}"
sso_access_configuration = "ac-admin"

[profile.{second}]
sso_sign_in_url = "{url}/device/login"
sso_account_id = "{ACCOUNT}"
sso_access_configuration = "ac-readonly"
"#,
        url = w.emu.base_url(),
        first = w.first,
        second = w.second,
    ));
}

fn sso_login(w: &SsoWorld) {
    w.emu.sso_approve_after_polls(2);
    w.env.run(&["sso", "login", &w.first, "--no-browser"]).ok();
}

/// The agent, and a credentials-URI client of each profile served (8 s CloudSSO sessions).
fn serve_sso(w: &SsoWorld) -> (AgentProc, HeldExec, HeldExec) {
    w.emu.sso_set_session_lifetime(8);
    sso_login(w);
    let agent = start_agent(&w.env);
    let a = held_exec(&w.env, &["--server", &w.first]);
    let b = held_exec(&w.env, &["--server", &w.second]);
    for held in [&a, &b] {
        let (addr, path) = split_uri(&held.uri);
        let (status, body) = http_get(&addr, &path, &[]);
        assert_eq!(status, 200, "{body}\n{}", agent.log_text());
    }
    (agent, a, b)
}

/// While both URIs are asked, for 8 s: the slowest answer.
fn ask_both(a: &HeldExec, b: &HeldExec) -> Duration {
    let uri_b = b.uri.clone();
    let other = std::thread::spawn(move || keep_asking(&uri_b, Duration::from_secs(8)));
    let slowest = keep_asking(&a.uri, Duration::from_secs(8));
    slowest.max(other.join().unwrap())
}

#[test]
fn an_expired_sso_login_shows_one_notice_per_profile_naming_the_login_command() {
    let w = sso_world("");
    let monitor = Monitor::start();
    let (agent, a, b) = serve_sso(&w);
    assert_eq!(monitor.notices(&w.first), Vec::<String>::new());

    // CloudSSO refuses the token from now on: each profile's next refresh needs a login.
    w.emu.sso_expire_tokens();
    let slowest = ask_both(&a, &b);

    let first = notices_after(&monitor, &w.first, 1);
    assert_eq!(first.len(), 1, "{first:#?}");
    assert!(
        first[0].contains(&format!("Run: alicloud-vault sso login {}", w.first))
            && first[0].contains(&format!("log in for profile {}", w.first)),
        "{}",
        first[0]
    );
    let second = notices_after(&monitor, &w.second, 1);
    assert_eq!(second.len(), 1, "{second:#?}");
    assert!(
        second[0].contains(&format!("alicloud-vault sso login {}", w.second)),
        "{}",
        second[0]
    );
    // The refresh was tried again and again (one notice is the hourly limit, not one try).
    let log = agent.log_text();
    let tries = log.matches(&format!("profile {}: ", w.first)).count();
    assert!(tries >= 2, "{log}");
    assert!(!log.contains("cannot show desktop notices"), "{log}");
    // Nobody answers the Notify calls: requests were never held up by them.
    assert!(slowest < Duration::from_secs(3), "{slowest:?}");
    drop((a, b));
}

#[test]
fn notify_false_shows_no_notice_and_an_edit_turning_them_on_applies_at_once() {
    let w = sso_world("notify = false");
    let monitor = Monitor::start();
    let (agent, a, b) = serve_sso(&w);
    w.emu.sso_expire_tokens();
    ask_both(&a, &b);
    let log = agent.log_text();
    assert!(
        log.contains(&format!("alicloud-vault sso login {}", w.first)),
        "the refresh failed for want of a login: {log}"
    );
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(monitor.notices(&w.first), Vec::<String>::new());
    assert_eq!(monitor.notices(&w.second), Vec::<String>::new());

    // The agent reads the key when a notice is due: turned on, the next failure shows one.
    write_sso_config(&w, "notify = true");
    keep_asking(&a.uri, Duration::from_secs(5));
    let shown = notices_after(&monitor, &w.first, 1);
    assert_eq!(shown.len(), 1, "{shown:#?}\n{}", agent.log_text());
}

#[test]
fn an_sso_login_that_ends_before_the_next_refresh_is_announced_once() {
    let w = sso_world("");
    // The login lasts 10 minutes, its sessions an hour: the next refresh would find it gone.
    w.emu.sso_set_token_lifetime(600);
    sso_login(&w);
    let monitor = Monitor::start();
    let (agent, _held, shown) = serve_and_watch(&w.env, &monitor, &w.first, &w.first);
    assert_eq!(shown.len(), 1, "{shown:#?}\n{}", agent.log_text());
    assert!(
        shown[0].contains(&format!("log in for profile {} soon", w.first))
            && shown[0].contains(" ends at ")
            && shown[0].contains(&format!("Run: alicloud-vault sso login {}", w.first)),
        "{}",
        shown[0]
    );
    // A login with hours left is no news.
    assert_eq!(monitor.notices(&w.second), Vec::<String>::new());
}

/// A stored key (profile `key`) and a role profile (`role`) assuming a role with it, with
/// unique names; RAM at the emulator too.
struct KeyWorld {
    env: TestEnv,
    emu: Emulator,
    key: String,
    role: String,
}

fn key_world() -> KeyWorld {
    let env = TestEnv::new();
    let emu = Emulator::start();
    let (key_id, secret) = emu.add_user(ACCOUNT, "alice");
    let arn = emu.add_role(
        ACCOUNT,
        "admin",
        3600,
        vec![Trusted::Account(ACCOUNT.into())],
    );
    let key = unique("nkey");
    let role = unique("nrole");
    env.write_config(&format!(
        "[defaults]\nregion = \"cn-hangzhou\"\nsts_endpoint = \"{url}\"\nram_endpoint = \"{url}\"\n\n\
         [profile.{key}]\n\n[profile.{role}]\nsource_profile = \"{key}\"\nrole_arn = \"{arn}\"\n",
        url = emu.base_url()
    ));
    env.add_key(&key, &key_id, &secret);
    KeyWorld {
        env,
        emu,
        key,
        role,
    }
}

#[test]
fn refreshes_failing_for_a_profile_in_use_show_one_notice() {
    let w = key_world();
    // 8 s sessions: due for refresh after 3 s.
    w.emu.set_session_lifetime(Some(Duration::from_secs(8)));
    let monitor = Monitor::start();
    let agent = start_agent(&w.env);
    let held = held_exec(&w.env, &["--server", &w.role]);
    keep_asking(&held.uri, Duration::from_millis(300));
    w.emu.inject(Fault::Http5xx, 100_000);
    let slowest = keep_asking(&held.uri, Duration::from_secs(14));

    let shown = notices_after(&monitor, &w.role, 1);
    let log = agent.log_text();
    assert_eq!(shown.len(), 1, "{shown:#?}\n{log}");
    assert!(
        shown[0].contains(&format!("profile {} cannot be refreshed", w.role))
            && shown[0].contains(&format!("run: alicloud-vault exec {} -- true", w.role)),
        "{}",
        shown[0]
    );
    assert!(
        log.matches("ServiceUnavailable").count() >= 4,
        "more failures than notices: {log}"
    );
    assert!(slowest < Duration::from_secs(3), "{slowest:?}");
}

#[test]
fn an_unfinished_rotation_of_a_source_key_in_use_is_announced() {
    let mut w = key_world();
    let r = w.env.run_with(
        &["rotate", &w.key],
        &[("ALICLOUD_VAULT_TEST_CRASH_AFTER", "created")],
    );
    assert_ne!(r.code, 0, "{}", r.stderr);
    // Any record counts as left behind here (the agent waits 10 minutes otherwise).
    w.env
        .set_var("ALICLOUD_VAULT_ROTATION_UNFINISHED_AFTER_MS", "0");
    let monitor = Monitor::start();
    let (agent, held, shown) = serve_and_watch(&w.env, &monitor, &w.role, &w.key);
    assert_eq!(shown.len(), 1, "{shown:#?}\n{}", agent.log_text());
    assert!(
        shown[0].contains(&format!("Run: alicloud-vault rotate {}", w.key)),
        "{}",
        shown[0]
    );
    // Finished, the rotation leaves nothing to announce to the next agent.
    drop((held, agent));
    w.env.run(&["rotate", &w.key]).ok();
    // (The one notice seen so far is the first agent's.)
    let (agent, _held, _) = serve_and_watch(&w.env, &monitor, &w.role, &w.key);
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(monitor.notices(&w.key).len(), 1, "{}", agent.log_text());
}

#[test]
fn without_a_session_bus_the_agent_serves_on_and_says_so_once() {
    let mut w = sso_world("");
    w.env.set_var(
        "DBUS_SESSION_BUS_ADDRESS",
        "unix:path=/nonexistent/alicloud-vault-test-bus",
    );
    let (agent, a, b) = serve_sso(&w);
    w.emu.sso_expire_tokens();
    let slowest = ask_both(&a, &b);
    let log = agent.log_text();
    assert_eq!(
        log.matches("cannot show desktop notices").count(),
        1,
        "two notices were due, one failure is logged: {log}"
    );
    assert!(slowest < Duration::from_secs(3), "{slowest:?}");
    let (addr, path) = split_uri(&a.uri);
    assert_ne!(http_get(&addr, &path, &[]).0, 0, "the agent still answers");
}
