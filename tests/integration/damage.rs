//! Damaged and tampered files of the `file` backend: the advice in every error can be
//! followed, and parameters read from disk are bounded before they are used.

use crate::common::TestEnv;
use std::collections::BTreeSet;
use std::path::PathBuf;

const ID: &str = "LTAI5tDamagedItemKey01";
const SECRET: &str = "secret-of-the-damaged-item-0001";

fn item_files(env: &TestEnv) -> BTreeSet<PathBuf> {
    std::fs::read_dir(env.keys_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().is_some_and(|n| n != "vault.json"))
        .collect()
}

/// Adds `profile` and returns the one file its key went to.
fn add_and_find(env: &TestEnv, profile: &str) -> PathBuf {
    let before = item_files(env);
    env.add_key(profile, ID, SECRET);
    let new: Vec<PathBuf> = item_files(env).difference(&before).cloned().collect();
    assert_eq!(new.len(), 1, "{new:?}");
    new[0].clone()
}

fn truncate_half(path: &PathBuf) {
    let bytes = std::fs::read(path).unwrap();
    std::fs::write(path, &bytes[..bytes.len() / 2]).unwrap();
}

#[test]
fn a_damaged_key_is_removable_with_the_command_the_error_names() {
    let env = TestEnv::new();
    let file = add_and_find(&env, "p1");
    truncate_half(&file);
    let r = env.run(&["exec", "p1", "--", "true"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr.contains("damaged") && r.stderr.contains("`alicloud-vault remove p1 --force`"),
        "{}",
        r.stderr
    );
    let r = env.run(&["remove", "p1", "--force"]);
    assert_eq!(r.code, 0, "the advice must work: {r:?}");
    assert!(!file.exists());
    let r = env.run(&["exec", "p1", "--", "true"]);
    assert!(r.stderr.contains("no key is stored"), "{}", r.stderr);
}

#[test]
fn a_damaged_key_is_replaced_by_add() {
    let env = TestEnv::new();
    let file = add_and_find(&env, "p1");
    truncate_half(&file);
    let r = env.run_stdin(
        &["add", "p1", "--stdin", "--no-verify"],
        "LTAI5tTheReplacementKey9\nsecret-of-the-replacement-0002\n",
    );
    assert_eq!(r.code, 0, "{r:?}");
    let r = env.run(&[
        "exec",
        "p1",
        "--no-session",
        "--",
        "sh",
        "-c",
        "echo $ALIBABA_CLOUD_ACCESS_KEY_ID",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.stdout.trim(), "LTAI5tTheReplacementKey9");
}

#[test]
fn a_damaged_vault_header_names_the_folder_and_a_way_out_not_remove() {
    let env = TestEnv::new();
    env.add_key("p1", ID, SECRET);
    let header = env.keys_dir().join("vault.json");
    let text = std::fs::read_to_string(&header).unwrap();
    std::fs::write(&header, &text[..text.len() / 2]).unwrap();
    let r = env.run(&["exec", "p1", "--", "true"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr.contains("vault.json is damaged")
            && r.stderr.contains(&env.keys_dir().display().to_string())
            && r.stderr.contains("mv "),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("alicloud-vault remove"), "{}", r.stderr);
}

/// A header asking Argon2 for 4 GiB is refused before anything is allocated: under a 1 GiB
/// address-space limit the command still ends with a clear error, not an abort.
#[test]
fn a_tampered_kdf_cost_is_refused_before_it_is_used() {
    let env = TestEnv::new();
    env.add_key("p1", ID, SECRET);
    let header = env.keys_dir().join("vault.json");
    for (field, value) in [
        ("m_cost_kib", 4_194_304u64),
        ("t_cost", 1_000_000),
        ("p_cost", 255),
    ] {
        let mut h: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&header).unwrap()).unwrap();
        let saved = h["kdf"][field].clone();
        h["kdf"][field] = value.into();
        std::fs::write(&header, serde_json::to_vec(&h).unwrap()).unwrap();
        let r = env.run_stdin_under(
            &["prlimit", "--as=1073741824"],
            &["exec", "p1", "--no-session", "--", "true"],
            "",
        );
        assert_eq!(r.code, 2, "{field}={value}: {r:?}");
        assert!(
            r.stderr.contains("out of range") && r.stderr.contains("vault.json is damaged"),
            "{field}={value}: {}",
            r.stderr
        );
        h["kdf"][field] = saved;
        std::fs::write(&header, serde_json::to_vec(&h).unwrap()).unwrap();
    }
    // Put back, the vault opens again: the refusal changed nothing.
    let r = env.run(&["exec", "p1", "--no-session", "--", "true"]);
    assert_eq!(r.code, 0, "{r:?}");
}
