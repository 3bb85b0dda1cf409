//! Two promises about sessions, on every channel: nothing that STS (or the clock) makes
//! unusable is handed out, and a change of a session's source (`clear`, `remove`, `add`)
//! reaches the running agent, which owns the sessions while it runs.

use crate::agent::{held_exec, http_get, split_uri, start_agent, world, World};
use std::time::{Duration, Instant};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

fn json_field(body: &str, field: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"));
    v[field].as_str().unwrap_or_default().to_string()
}

fn expiration(text: &str) -> OffsetDateTime {
    OffsetDateTime::parse(text.trim(), &Rfc3339).unwrap_or_else(|e| panic!("{e}: {text:?}"))
}

fn export_json(w: &World, profile: &str) -> crate::common::Run {
    w.env.run(&["export", profile, "--format", "json"])
}

/// Every way a session reaches a program refuses one that STS hands out expired, with the
/// remote exit code and a message about the clock, and caches nothing.
fn expired_sessions_are_refused(w: &World) {
    for args in [
        &[
            "exec",
            "admin",
            "--",
            "sh",
            "-c",
            "echo $ALICLOUD_SESSION_EXPIRATION",
        ][..],
        &["export", "admin", "--format", "json"][..],
        &["export", "admin"][..],
        &["exec", "admin", "--server", "--", "true"][..],
    ] {
        let r = w.env.run(args);
        assert_eq!(r.code, 3, "{args:?} must fail as a remote error: {r:?}");
        assert!(
            r.stdout.is_empty(),
            "{args:?} printed something: {}",
            r.stdout
        );
        assert!(
            r.stderr.contains("expires at") && r.stderr.contains("clock"),
            "{args:?}: {}",
            r.stderr
        );
    }
}

#[test]
fn a_session_sts_returns_already_expired_is_never_handed_out_without_the_agent() {
    let w = world();
    w.emu.set_session_expires_in(Some(-60));
    expired_sessions_are_refused(&w);
    // Nothing was cached: a healthy STS is asked again, and its session is served.
    w.emu.set_session_expires_in(None);
    let before = w.emu.calls("AssumeRole");
    let r = export_json(&w, "admin");
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(w.emu.calls("AssumeRole"), before + 1);
    assert!(w.emu.issued_sts_key(&json_field(&r.stdout, "AccessKeyId")));
}

#[test]
fn the_agent_refuses_expired_sessions_and_does_not_call_sts_in_a_loop() {
    let w = world();
    let _agent = start_agent(&w.env);
    w.emu.set_session_expires_in(Some(0));
    expired_sessions_are_refused(&w);
    // No client is left: the agent must not keep asking STS on its own.
    let calls = w.emu.calls("AssumeRole");
    std::thread::sleep(Duration::from_secs(4));
    assert_eq!(
        w.emu.calls("AssumeRole"),
        calls,
        "the agent called STS with no client"
    );
}

#[test]
fn an_eight_second_session_is_never_handed_out_with_five_seconds_or_less_left() {
    let w = world();
    w.emu.set_session_expires_in(Some(8));
    let _agent = start_agent(&w.env);
    let held = held_exec(&w.env, &["--server", "admin"]);
    let (addr, path) = split_uri(&held.uri);
    let end = Instant::now() + Duration::from_secs(7);
    let mut ids = std::collections::HashSet::new();
    while Instant::now() < end {
        // Measured from before the request: the server's clock is at least this far on.
        let asked = OffsetDateTime::now_utc();
        let (status, body) = http_get(&addr, &path, &[]);
        assert_eq!(status, 200, "{body}");
        let left = expiration(&json_field(&body, "Expiration")) - asked;
        assert!(
            left > time::Duration::seconds(5),
            "the URI served a session with {left} left"
        );
        ids.insert(json_field(&body, "AccessKeyId"));
        let asked = OffsetDateTime::now_utc();
        let r = export_json(&w, "admin");
        assert_eq!(r.code, 0, "{r:?}");
        let left = expiration(&json_field(&r.stdout, "Expiration")) - asked;
        assert!(
            left > time::Duration::seconds(5),
            "export handed out a session with {left} left"
        );
        std::thread::sleep(Duration::from_millis(250));
    }
    assert!(ids.len() >= 2, "the session was never replaced: {ids:?}");
    assert_eq!(held.finish(), 0);
}

#[test]
fn without_the_agent_an_eight_second_session_is_replaced_before_five_seconds_are_left() {
    let w = world();
    w.emu.set_session_expires_in(Some(8));
    let end = Instant::now() + Duration::from_secs(6);
    while Instant::now() < end {
        let asked = OffsetDateTime::now_utc();
        let r = w.env.run(&[
            "exec",
            "admin",
            "--",
            "sh",
            "-c",
            "echo $ALICLOUD_SESSION_EXPIRATION",
        ]);
        assert_eq!(r.code, 0, "{r:?}");
        let left = expiration(&r.stdout) - asked;
        assert!(
            left > time::Duration::seconds(5),
            "exec handed out a session with {left} left"
        );
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// `remove` of the source key reaches the agent: export fails for want of the key, and the
/// URI that served a session of the removed key stops serving it.
#[test]
fn removing_a_key_drops_its_sessions_in_the_running_agent() {
    let w = world();
    let _agent = start_agent(&w.env);
    let held = held_exec(&w.env, &["--server", "admin"]);
    let (addr, path) = split_uri(&held.uri);
    let (status, body) = http_get(&addr, &path, &[]);
    assert_eq!(status, 200, "{body}");
    let old = json_field(&body, "AccessKeyId");
    assert_eq!(
        json_field(&export_json(&w, "admin").stdout, "AccessKeyId"),
        old
    );

    let r = w.env.run(&["remove", "base", "--force"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stderr.contains("1 cached session"), "{}", r.stderr);

    let r = export_json(&w, "admin");
    assert_eq!(r.code, 2, "no key is stored any more: {r:?}");
    assert!(!r.stdout.contains(&old));
    let (status, body) = http_get(&addr, &path, &[]);
    assert_ne!(status, 200, "the URI still serves: {body}");
    assert!(!body.contains(&old), "{body}");
    held.finish();
}

/// `add` replacing the key reaches the agent: every channel serves a session minted with the
/// new key, none of the old one.
#[test]
fn replacing_a_key_makes_the_agent_mint_with_the_new_key() {
    let w = world();
    let _agent = start_agent(&w.env);
    let held = held_exec(&w.env, &["--server", "admin"]);
    let (addr, path) = split_uri(&held.uri);
    let (_, body) = http_get(&addr, &path, &[]);
    let old = json_field(&body, "AccessKeyId");

    let (new_id, new_secret) = w.emu.add_user(crate::common::ACCOUNT, "bob");
    w.env.add_key("base", &new_id, &new_secret);

    let r = export_json(&w, "admin");
    assert_eq!(r.code, 0, "{r:?}");
    let exported = json_field(&r.stdout, "AccessKeyId");
    let (status, body) = http_get(&addr, &path, &[]);
    assert_eq!(status, 200, "{body}");
    let served = json_field(&body, "AccessKeyId");
    assert_ne!(exported, old);
    assert_eq!(served, exported, "the URI and export share the new session");
    let last = w
        .emu
        .requests()
        .into_iter()
        .rfind(|r| r.action.as_deref() == Some("AssumeRole"))
        .unwrap();
    assert_eq!(
        last.access_key_id.as_deref(),
        Some(new_id.as_str()),
        "the new session was signed with the new key"
    );
    held.finish();
}

/// `clear` (all) and `clear SOURCE` drop the agent's copies too: the next request mints anew.
#[test]
fn clear_reaches_the_agent_and_means_every_session_made_from_the_profile() {
    let w = world();
    let _agent = start_agent(&w.env);
    let first = json_field(&export_json(&w, "admin").stdout, "AccessKeyId");
    let calls = w.emu.calls("AssumeRole");

    let r = w.env.run(&["clear", "base"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stderr
            .contains("Cleared 1 cached session made from profile base"),
        "{}",
        r.stderr
    );
    let second = json_field(&export_json(&w, "admin").stdout, "AccessKeyId");
    assert_ne!(second, first);
    assert_eq!(w.emu.calls("AssumeRole"), calls + 1);

    let r = w.env.run(&["clear"]);
    assert_eq!(r.code, 0, "{r:?}");
    let third = json_field(&export_json(&w, "admin").stdout, "AccessKeyId");
    assert_ne!(third, second);
    assert_eq!(w.emu.calls("AssumeRole"), calls + 2);

    // `remove --sessions-only` is the same operation, said the same way.
    let r = w.env.run(&["remove", "base", "--sessions-only", "--force"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stderr
            .contains("Cleared 1 cached session made from profile base"),
        "{}",
        r.stderr
    );
}

#[test]
fn without_the_agent_clear_of_a_source_drops_the_sessions_chained_from_it() {
    let w = world();
    let first = json_field(&export_json(&w, "admin").stdout, "AccessKeyId");
    let r = w.env.run(&["clear", "base"]);
    assert!(
        r.stderr
            .contains("Cleared 1 cached session made from profile base"),
        "{}",
        r.stderr
    );
    let second = json_field(&export_json(&w, "admin").stdout, "AccessKeyId");
    assert_ne!(second, first);
}
