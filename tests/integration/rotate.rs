//! `rotate` against the RAM and STS emulator: success, a fault at every step, and recovery
//! from a process killed between steps. After each, the keystore holds a key that works.

use crate::common::{admin_world, TestEnv, ACCOUNT};
use emulator::Emulator;
use std::time::Duration;

/// alice's key stored as `base`; `admin` assumes a role with it.
struct World {
    env: TestEnv,
    emu: Emulator,
    old_id: String,
}

fn world() -> World {
    let env = TestEnv::new();
    let emu = Emulator::start();
    let made = admin_world(&env, &emu, "ram_endpoint = \"{emu}\"", "");
    World {
        env,
        emu,
        old_id: made.key_id,
    }
}

fn hint(id: &str) -> String {
    format!("****{}", &id[id.len() - 4..])
}

fn stored_id(w: &World) -> String {
    let r = w.env.exec_key_id("base");
    r.ok().trim().to_string()
}

fn alice_keys(w: &World) -> Vec<String> {
    w.emu
        .user_keys(ACCOUNT, "alice")
        .into_iter()
        .map(|(id, _)| id)
        .collect()
}

/// The keystore's key works: an AssumeRole through `exec admin` succeeds with it.
#[track_caller]
fn assert_stored_key_works(w: &World) {
    w.env.run(&["clear"]).ok();
    let r = w.env.exec_key_id("admin");
    assert!(r.ok().trim().starts_with("STS."), "{}", r.stdout);
}

#[test]
fn rotate_replaces_the_key_deletes_the_old_one_and_drops_sessions() {
    let w = world();
    w.env.exec_key_id("admin").ok();
    assert_eq!(w.env.run(&["list", "--sessions"]).ok().lines().count(), 1);

    let r = w.env.run(&["rotate", "base"]);
    r.ok();
    let keys = alice_keys(&w);
    assert_eq!(keys.len(), 1, "{keys:?}");
    let new_id = &keys[0];
    assert_ne!(new_id, &w.old_id);
    assert!(
        r.stderr.contains(&format!(
            "Rotated profile base: {} -> {} (RAM user alice)",
            hint(&w.old_id),
            hint(new_id)
        )),
        "{}",
        r.stderr
    );
    assert_eq!(&stored_id(&w), new_id, "the keystore holds the new key");
    assert_eq!(
        w.env.run(&["list", "--sessions"]).ok(),
        "",
        "sessions made from the old key are dropped"
    );
    assert_stored_key_works(&w);

    // The order of docs/protocols.md, Rotate order, and who signed what.
    let calls: Vec<(String, String)> = w
        .emu
        .requests()
        .into_iter()
        .filter(|q| q.version.as_deref() == Some("2015-05-01"))
        .map(|q| (q.action.unwrap(), q.access_key_id.unwrap()))
        .collect();
    assert_eq!(
        calls,
        [
            ("ListAccessKeys".to_string(), w.old_id.clone()),
            ("CreateAccessKey".to_string(), w.old_id.clone()),
            ("DeleteAccessKey".to_string(), new_id.clone()),
        ]
    );
    assert!(!r.stderr.contains(&w.old_id) && !r.stderr.contains(new_id.as_str()));
}

#[test]
fn rotating_a_role_profile_rotates_its_source_key() {
    let w = world();
    let r = w.env.run(&["rotate", "admin"]);
    r.ok();
    assert!(r.stderr.contains("rotating that key"), "{}", r.stderr);
    assert_ne!(stored_id(&w), w.old_id);
    assert_stored_key_works(&w);
}

#[test]
fn rotate_waits_until_sts_accepts_the_new_key() {
    let w = world();
    w.emu.set_new_key_delay(Duration::from_millis(700));
    w.env.run(&["rotate", "base"]).ok();
    assert!(w.emu.calls("GetCallerIdentity") >= 3, "it retried");
    assert_eq!(alice_keys(&w), [stored_id(&w)]);
}

#[test]
fn a_user_with_two_keys_is_told_which_key_to_remove() {
    let w = world();
    // A second key of alice, made through RAM like any other.
    let second = {
        let (id, _) = w.emu.add_user(ACCOUNT, "alice");
        id
    };
    w.emu.set_key_active(&second, false);
    let r = w.env.run(&["rotate", "base"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!(
            "RAM user alice has 2 AccessKey(s) and RAM allows no more ({} (Active, this profile's key), {} (Inactive); at most 2 per user). Delete (or first disable, then delete) the other key {} in the RAM console",
            hint(&w.old_id), hint(&second), hint(&second)
        )) || r.stderr.contains(&format!(
            "({} (Inactive), {} (Active, this profile's key); at most 2 per user). Delete (or first disable, then delete) the other key {} in the RAM console",
            hint(&second), hint(&w.old_id), hint(&second)
        )),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("Nothing was changed"), "{}", r.stderr);
    assert_eq!(w.emu.calls("CreateAccessKey"), 0);
    assert_eq!(stored_id(&w), w.old_id);
}

#[test]
fn a_limit_error_from_create_names_the_other_key() {
    let w = world();
    w.emu
        .ram_fail_next("CreateAccessKey", 1, 409, "LimitExceeded.User.AccessKey");
    let r = w.env.run(&["rotate", "base"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!(
            "RAM user alice has 1 AccessKey(s) and RAM allows no more ({} (Active, this profile's key); at most 2 per user). Delete (or first disable, then delete) a key other than this profile's {} in the RAM console",
            hint(&w.old_id), hint(&w.old_id)
        )) && r.stderr.contains("LimitExceeded.User.AccessKey"),
        "{}",
        r.stderr
    );
    assert_eq!(alice_keys(&w), [w.old_id.as_str()]);
    assert_stored_key_works(&w);
}

#[test]
fn a_failed_create_changes_nothing() {
    let w = world();
    w.emu
        .ram_fail_next("CreateAccessKey", 1, 403, "NoPermission");
    let r = w.env.run(&["rotate", "base"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("cannot create a new AccessKey for RAM user alice; nothing was changed")
            && r.stderr.contains("NoPermission")
            && r.stderr.contains(
                "grant it ram:ListAccessKeys, ram:CreateAccessKey and ram:DeleteAccessKey"
            ),
        "{}",
        r.stderr
    );
    assert_eq!(alice_keys(&w), [w.old_id.as_str()]);
    assert_eq!(stored_id(&w), w.old_id);
}

#[test]
fn a_new_key_sts_never_accepts_is_deleted_and_the_old_key_kept() {
    let w = world();
    w.emu.set_new_key_delay(Duration::from_secs(3600));
    let r = w.env.run(&["rotate", "base", "--verify-timeout", "2s"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(
        r.stderr.contains("STS did not accept the new key")
            && r.stderr.contains("deleted the new key")
            && r.stderr.contains(&format!(
                "The keystore still holds the old key {} for profile base",
                hint(&w.old_id)
            )),
        "{}",
        r.stderr
    );
    assert_eq!(alice_keys(&w), [w.old_id.as_str()]);
    assert_stored_key_works(&w);
    // Nothing is left to resume.
    w.emu.set_new_key_delay(Duration::ZERO);
    w.env.run(&["rotate", "base"]).ok();
    assert_ne!(stored_id(&w), w.old_id);
}

#[test]
fn a_failed_delete_of_the_old_key_says_what_is_left_and_how_to_finish() {
    let w = world();
    w.emu
        .ram_fail_next("DeleteAccessKey", 1, 403, "NoPermission");
    let r = w.env.run(&["rotate", "base"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    let keys = alice_keys(&w);
    assert_eq!(keys.len(), 2);
    let new_id = stored_id(&w);
    assert_ne!(new_id, w.old_id, "the new key is stored");
    assert!(
        r.stderr.contains(&format!(
            "the new key {} is stored for profile base and works, but the old key {} of RAM user alice could not be deleted",
            hint(&new_id),
            hint(&w.old_id)
        )) && r.stderr.contains("Run `alicloud-vault rotate base` again to finish"),
        "{}",
        r.stderr
    );
    assert_stored_key_works(&w);

    // Running it again finishes the job instead of making a third key.
    let r = w.env.run(&["rotate", "base"]);
    r.ok();
    assert!(
        r.stderr.contains("Finishing an interrupted rotation"),
        "{}",
        r.stderr
    );
    assert_eq!(alice_keys(&w), [new_id.as_str()]);
    assert_eq!(stored_id(&w), new_id);
    assert_eq!(w.emu.calls("CreateAccessKey"), 1);
}

#[test]
fn a_rotation_killed_after_create_is_rolled_back_and_redone() {
    let w = world();
    let r = w.env.run_with(
        &["rotate", "base"],
        &[("ALICLOUD_VAULT_TEST_CRASH_AFTER", "created")],
    );
    assert_ne!(r.code, 0);
    assert_eq!(alice_keys(&w).len(), 2, "the new key exists in RAM");
    assert_eq!(
        stored_id(&w),
        w.old_id,
        "the keystore still holds the old key"
    );
    assert_stored_key_works(&w);

    let r = w.env.run(&["rotate", "base"]);
    r.ok();
    assert!(
        r.stderr
            .contains("Rolling back an interrupted rotation of profile base"),
        "{}",
        r.stderr
    );
    let keys = alice_keys(&w);
    assert_eq!(keys.len(), 1, "{keys:?}");
    assert_eq!(stored_id(&w), keys[0]);
    assert_ne!(keys[0], w.old_id);
    assert_stored_key_works(&w);
}

#[test]
fn a_rotation_killed_after_store_is_finished() {
    let w = world();
    w.env.exec_key_id("admin").ok();
    let r = w.env.run_with(
        &["rotate", "base"],
        &[("ALICLOUD_VAULT_TEST_CRASH_AFTER", "stored")],
    );
    assert_ne!(r.code, 0);
    let new_id = stored_id(&w);
    assert_ne!(new_id, w.old_id, "the keystore holds the new key");
    assert_eq!(alice_keys(&w).len(), 2, "the old key still exists");

    let r = w.env.run(&["rotate", "base"]);
    r.ok();
    assert!(
        r.stderr
            .contains("Finishing an interrupted rotation of profile base"),
        "{}",
        r.stderr
    );
    assert_eq!(alice_keys(&w), [new_id.as_str()]);
    assert_eq!(stored_id(&w), new_id);
    assert_eq!(w.env.run(&["list", "--sessions"]).ok(), "");
    assert_eq!(w.emu.calls("CreateAccessKey"), 1);
    assert_stored_key_works(&w);
}

#[test]
fn a_key_from_the_aliyun_cli_file_is_not_rotated() {
    let w = world();
    std::fs::write(
        w.env.path().join("aliyun.json"),
        r#"{"current":"cli","profiles":[{"name":"cli","mode":"AK","access_key_id":"LTAI5tExampleExample1234","access_key_secret":"abcdefghijklmnopqrstuvwxyz0123","region_id":"cn-hangzhou"}]}"#,
    )
    .unwrap();
    let r = w.env.run(&["rotate", "cli"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("which alicloud-vault does not manage")
            && r.stderr.contains("alicloud-vault add cli"),
        "{}",
        r.stderr
    );
    assert_eq!(w.emu.requests().len(), 0);
}

#[test]
fn a_profile_without_a_stored_key_is_refused() {
    let w = world();
    let r = w.env.run(&["rotate", "nobody"]);
    assert_eq!(r.code, 1, "an unknown profile: {}", r.stderr);
    assert!(
        r.stderr.contains("unknown profile `nobody`"),
        "{}",
        r.stderr
    );
    let config = std::fs::read_to_string(w.env.config_path()).unwrap();
    w.env.write_config(&format!("{config}\n[profile.nobody]\n"));
    let r = w.env.run(&["rotate", "nobody"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("no key is stored for profile nobody"),
        "{}",
        r.stderr
    );
}
