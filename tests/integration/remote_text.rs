//! What a server sends reaches the terminal and the agent's log only filtered (docs/security.md,
//! "Text from servers"): no control character or escape sequence, one line, bounded, without
//! the string-to-sign the gateway echoes, key ids as their last four characters. Each case runs
//! through the real binary, without an agent and through a running one.

use crate::agent::{start_agent, world_with, World};
use crate::common::{Run, TestEnv, ACCOUNT};
use emulator::state::Trusted;
use emulator::Fault;

/// A forged line of our own output, as a server would plant it.
const FORGED: &str = "alicloud-vault: Stored key ****ABCD for profile prod";

/// Characters that must never reach a terminal from a server: every control character but
/// the newline that ends our own lines, and the format characters that reorder or hide text.
fn is_forbidden(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c,
            '\u{ad}' | '\u{61c}' | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}' | '\u{feff}' | '\u{fff9}'..='\u{fffb}' | '\u{e0000}'..='\u{e007f}')
}

#[track_caller]
fn assert_displayable(what: &str, text: &str) {
    if let Some(c) = text.chars().find(|c| is_forbidden(*c)) {
        panic!("{what} holds {c:?} (U+{:04X}):\n{text:?}", c as u32);
    }
    assert!(
        !text.lines().any(|l| l.starts_with(FORGED)),
        "{what} has a forged line:\n{text}"
    );
}

/// Every C0 and C1 control with a dot after it, then sequences that retitle the window, clear
/// the screen, move the cursor, open a hyperlink, and override the text direction.
fn hostile_code() -> String {
    let mut s = String::from("Denied");
    for cp in (0u32..0x20).chain(0x7f..0xa0) {
        s.push(char::from_u32(cp).unwrap());
        s.push('.');
    }
    s
}

fn hostile_message() -> String {
    format!(
        "Access denied\n{FORGED}\r\n\u{1b}]0;owned-title\u{7}\u{1b}[2J\u{1b}[1A\u{9b}31m\
         \u{1b}]8;;https://evil.example/\u{1b}\\click\u{1b}]8;;\u{1b}\\ \u{202e}txet desrever\u{202c} \
         \u{2066}iso\u{2069}\u{200b}\u{feff}\u{e0041}end"
    )
}

/// The world of the agent tests plus profile `second`, a role assumed with `admin`'s session
/// (a chained hop: the request is signed by an STS session and carries its SecurityToken).
fn chained_world() -> World {
    let w = world_with(
        "\n[profile.second]\nsource_profile = \"admin\"\nrole_arn = \"acs:ram::1234567890123456:role/second\"\n",
    );
    w.emu.add_role(
        ACCOUNT,
        "second",
        43200,
        vec![Trusted::Role {
            account_id: ACCOUNT.into(),
            role_name: "admin".into(),
        }],
    );
    w
}

/// A value as it stands in a string-to-sign: percent-encoded twice.
fn encoded_twice(v: &str) -> String {
    v.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                (b as char).to_string()
            } else {
                format!("%25{b:02X}")
            }
        })
        .collect()
}

fn exec_id(env: &TestEnv, profile: &str) -> Run {
    env.exec_key_id(profile)
}

/// The agent's stderr (its agent.log when started with `agent start`) after `run`.
fn with_agent<T>(w: &World, run: impl FnOnce() -> T) -> (T, String) {
    let agent = start_agent(&w.env);
    let out = run();
    // The failure is logged before the answer is sent; give the writer a moment to flush.
    std::thread::sleep(std::time::Duration::from_millis(100));
    let log = agent.log_text();
    drop(agent);
    (out, log)
}

#[test]
fn escape_sequences_and_forged_lines_in_code_message_and_request_id_are_filtered() {
    let w = world_with("");
    let fault = Fault::error(
        403,
        &hostile_code(),
        &hostile_message(),
        "REQ-1\r\u{1b}[1Aalicloud-vault: done\u{7}",
    );
    let check = |what: &str, text: &str| {
        assert_displayable(what, text);
        assert!(
            text.contains(&format!("Access denied {FORGED}")),
            "{what}: the message is kept on the error's own line:\n{text}"
        );
        assert!(!text.contains("owned-title"), "{what}: {text}");
        assert!(!text.contains("evil.example"), "{what}: {text}");
        assert!(text.contains("txet desrever iso"), "{what}: {text}");
        assert!(
            text.contains("RequestId: REQ-1 alicloud-vault: done"),
            "{what}: {text}"
        );
    };

    w.emu.inject(fault.clone(), 1);
    let r = w.env.run_with(
        &["exec", "admin", "--", "true"],
        &[("ALICLOUD_VAULT_NO_AGENT", "1")],
    );
    assert_eq!(r.code, 3, "{}", r.stderr);
    check("stderr without an agent", &r.stderr);

    w.emu.inject(fault, 1);
    let (r, log) = with_agent(&w, || exec_id(&w.env, "admin"));
    assert_eq!(r.code, 3, "{}", r.stderr);
    check("stderr through the agent", &r.stderr);
    assert!(
        log.contains("profile admin:"),
        "the failure is logged:\n{log}"
    );
    check("the agent's log", &log);
}

#[test]
fn a_five_megabyte_message_and_request_id_are_cut_to_a_few_hundred_characters() {
    let w = world_with("");
    let message = "spam ".repeat(1024 * 1024);
    let request_id = "r-".repeat(512 * 1024);
    let fault = Fault::error(400, "Spam", &message, &request_id);
    w.emu.inject(fault.clone(), 1);
    let r = w.env.run_with(
        &["exec", "admin", "--", "true"],
        &[("ALICLOUD_VAULT_NO_AGENT", "1")],
    );
    assert_eq!(r.code, 3, "{}", r.stderr);
    let check = |what: &str, text: &str| {
        let line = text
            .lines()
            .find(|l| l.contains("Spam"))
            .unwrap_or_else(|| panic!("{what}: no error line:\n{text}"));
        assert!(line.len() < 2048, "{what}: {} bytes", line.len());
        assert!(
            line.contains("… (cut; 5242880 bytes in all)"),
            "{what}: {line}"
        );
        assert!(
            line.contains("… (cut; 1048576 bytes in all)"),
            "{what}: {line}"
        );
    };
    check("stderr without an agent", &r.stderr);

    w.emu.inject(fault, 1);
    let (r, log) = with_agent(&w, || exec_id(&w.env, "admin"));
    assert_eq!(r.code, 3, "{}", r.stderr);
    check("stderr through the agent", &r.stderr);
    check("the agent's log", &log);
    assert!(
        log.len() < 16 * 1024,
        "the agent's log: {} bytes",
        log.len()
    );
}

#[test]
fn a_wrong_secret_on_add_shows_the_key_id_as_its_last_four_and_says_what_to_do() {
    let env = TestEnv::new();
    let emu = emulator::Emulator::start();
    let (id, secret) = emu.add_user(ACCOUNT, "bob");
    env.write_config(&format!(
        "[defaults]\nsts_endpoint = \"{}\"\n",
        emu.base_url()
    ));
    // One character off (never the same one: the secret is random).
    let last = if secret.ends_with('Q') { 'R' } else { 'Q' };
    let wrong = format!("{}{last}", &secret[..secret.len() - 1]);
    let r = env.run_stdin(&["add", "bob", "--stdin"], &format!("{id}\n{wrong}\n"));
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert_displayable("stderr", &r.stderr);
    assert!(r.stderr.contains("SignatureDoesNotMatch"), "{}", r.stderr);
    assert!(
        !r.stderr.contains(&id),
        "the full key id is shown:\n{}",
        r.stderr
    );
    assert!(!r.stderr.contains(&id[4..]), "{}", r.stderr);
    assert!(!r.stderr.contains(&wrong), "{}", r.stderr);
    assert!(
        !r.stderr.contains("POST&"),
        "the string-to-sign is shown:\n{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("[echoed string-to-sign removed]"),
        "{}",
        r.stderr
    );
    // During `add` itself, advice to run `alicloud-vault add` would be circular.
    assert!(r.stderr.contains("check the secret"), "{}", r.stderr);
    assert!(!r.stderr.contains("alicloud-vault add"), "{}", r.stderr);
    assert!(env.run(&["list", "--credentials"]).ok().is_empty());
}

#[test]
fn a_refused_chained_hop_never_shows_the_previous_hops_session() {
    let w = chained_world();
    // AssumeRole of `admin` passes; the hop to `second`, signed by admin's session, is refused
    // with the gateway's real echo of its string-to-sign.
    w.emu.inject(Fault::Pass, 1);
    w.emu.inject(Fault::SignatureMismatch, 1);
    let r = w.env.run_with(
        &["exec", "second", "--", "true"],
        &[("ALICLOUD_VAULT_NO_AGENT", "1")],
    );
    assert_eq!(r.code, 3, "{}", r.stderr);
    let sessions: Vec<(String, String)> = {
        let st = w.emu.state();
        st.keys
            .iter()
            .filter_map(|(id, e)| match e {
                emulator::KeyEntry::Sts { token, .. } => Some((id.clone(), token.clone())),
                _ => None,
            })
            .collect()
    };
    assert_eq!(sessions.len(), 1, "admin's session was minted");
    let check = |what: &str, text: &str| {
        assert_displayable(what, text);
        assert!(text.contains("SignatureDoesNotMatch"), "{what}: {text}");
        for (id, token) in &sessions {
            assert!(
                !text.contains(id.as_str()),
                "{what}: the session's key id:\n{text}"
            );
            assert!(!text.contains(&id[4..]), "{what}: {text}");
            assert!(!text.contains(&token[..16]), "{what}: the token:\n{text}");
            assert!(
                !text.contains(&encoded_twice(token)[..24]),
                "{what}: the encoded token:\n{text}"
            );
        }
        assert!(!text.contains("SecurityToken%3D"), "{what}: {text}");
        assert!(
            text.contains("the session of the previous hop")
                && text.contains("alicloud-vault clear"),
            "{what}: says what to do:\n{text}"
        );
    };
    check("stderr without an agent", &r.stderr);

    // The same through a running agent (the cache holds admin's session now: fault its hop).
    w.env.run(&["clear"]).ok();
    w.emu.inject(Fault::Pass, 1);
    w.emu.inject(Fault::SignatureMismatch, 1);
    let (r, log) = with_agent(&w, || exec_id(&w.env, "second"));
    assert_eq!(r.code, 3, "{}", r.stderr);
    let sessions: Vec<(String, String)> = {
        let st = w.emu.state();
        st.keys
            .iter()
            .filter_map(|(id, e)| match e {
                emulator::KeyEntry::Sts { token, .. } => Some((id.clone(), token.clone())),
                _ => None,
            })
            .collect()
    };
    assert_eq!(sessions.len(), 2);
    let check = |what: &str, text: &str| {
        assert_displayable(what, text);
        for (id, token) in &sessions {
            assert!(!text.contains(id.as_str()), "{what}: {text}");
            assert!(!text.contains(&token[..16]), "{what}: {text}");
        }
        assert!(
            text.contains("the session of the previous hop"),
            "{what}: {text}"
        );
    };
    check("stderr through the agent", &r.stderr);
    assert!(log.contains("profile second:"), "{log}");
    check("the agent's log", &log);
}

#[test]
fn a_malformed_expiration_is_described_not_echoed() {
    let w = world_with("");
    let hidden = |v: &str| format!("(a value of {} bytes, not shown)", v.len());
    let hostile = "notADate-QmFzZTY0U2VjcmV0\u{1b}[2J\nalicloud-vault: ok".to_string();
    let huge = "x".repeat(5 * 1024 * 1024);
    for (expiration, shown) in [
        (hostile.clone(), hidden(&hostile)),
        (huge.clone(), hidden(&huge)),
        (
            "2030-01-01T00:00:00.000Z".to_string(),
            "\"2030-01-01T00:00:00.000Z\"".to_string(),
        ),
    ] {
        w.emu.inject(Fault::credentials_expiring(&expiration), 1);
        let r = w.env.run_with(
            &["exec", "admin", "--", "true"],
            &[("ALICLOUD_VAULT_NO_AGENT", "1")],
        );
        assert_eq!(r.code, 3, "{}", r.stderr);
        assert_displayable("stderr", &r.stderr);
        assert!(
            r.stderr.contains(&format!(
                "Credentials.Expiration {shown} is not of the form YYYY-MM-DDTHH:MM:SSZ"
            )),
            "{}",
            r.stderr
        );
        assert!(!r.stderr.contains("QmFzZTY0U2VjcmV0"), "{}", r.stderr);
        assert!(r.stderr.len() < 2048, "{} bytes", r.stderr.len());
    }
}

#[test]
fn who_the_key_belongs_to_is_shown_filtered() {
    let env = TestEnv::new();
    let emu = emulator::Emulator::start();
    let (id, secret) = emu.add_user(ACCOUNT, "bob");
    env.write_config(&format!(
        "[defaults]\nsts_endpoint = \"{}\"\n",
        emu.base_url()
    ));
    emu.inject(
        Fault::Json {
            status: 200,
            body: serde_json::json!({
                "RequestId": "R",
                "AccountId": ACCOUNT,
                "Arn": format!("acs:ram::{ACCOUNT}:user/bob\n{FORGED}\u{1b}]0;t\u{7}"),
                "IdentityType": "RAMUser\u{202e}",
                "PrincipalId": "1",
            }),
        },
        1,
    );
    let r = env.run_stdin(&["add", "bob", "--stdin"], &format!("{id}\n{secret}\n"));
    r.ok();
    assert_displayable("stderr", &r.stderr);
    assert!(
        r.stderr.contains(&format!(
            "Verified: acs:ram::{ACCOUNT}:user/bob {FORGED} (RAMUser)"
        )),
        "{}",
        r.stderr
    );
}
