//! `migrate` on the real binary between real backends: the file backend, a GNOME Keyring, the
//! kernel keyring and a password store with a real gpg key, each of the test's own
//! (tests/integration/stores.rs), so that walking and emptying a whole store touches nothing
//! of other tests.

use crate::common::{unique, Run, TestEnv};
use crate::stores::{nowhere_under, PassStore, PrivateKeyring, PrivateSessionKeyring};
use alicloud_vault::keystore::file::{FileKeystore, KdfParams, PassphraseSource};
use alicloud_vault::keystore::{ItemKind, ItemName, Keystore};
use alicloud_vault::secret::Secret;

const KEY_ID: &str = "LTAI5tMigrateKey0000042";
const KEY_SECRET: &str = "MigrateSecretValue0123456789ab";

/// The world's file keystore, opened in this process as the binary opens it.
fn file_store(env: &TestEnv) -> FileKeystore {
    FileKeystore::new(
        env.keys_dir(),
        PassphraseSource::Fixed(Secret::new("test passphrase")),
        KdfParams::TEST,
    )
}

/// One item of every kind the keystore declares, written into the file keystore as documents
/// nobody else would write (so each is recognisable wherever it travels), plus a real key
/// stored with `add`. Returns every item with its document.
fn seed(env: &TestEnv, profile: &str) -> Vec<(ItemName, String)> {
    env.add_key(profile, KEY_ID, KEY_SECRET);
    let store = file_store(env);
    let mut items = vec![(
        ItemName::new(ItemKind::Key, profile),
        store
            .get(&ItemName::new(ItemKind::Key, profile))
            .unwrap()
            .unwrap()
            .expose()
            .to_string(),
    )];
    for (i, kind) in ItemKind::ALL.into_iter().enumerate() {
        let name = ItemName::new(kind, unique(&format!("seeded{i}")));
        let doc = format!("{{\"v\":1,\"marker\":\"SeededSecret{i}x{kind:?}0123456789\"}}");
        store.set(&name, &Secret::new(doc.as_str())).unwrap();
        items.push((name, doc));
    }
    items.sort();
    items
}

/// `migrate --from FROM --to TO FLAGS...` in `env`.
fn migrate(env: &TestEnv, from: &str, to: &str, flags: &[&str]) -> Run {
    let mut args = vec!["migrate", "--from", from, "--to", to];
    args.extend_from_slice(flags);
    env.run(&args)
}

/// The AccessKey id `exec PROFILE --no-session` hands a child from `backend`.
fn key_id_from(env: &TestEnv, profile: &str, backend: &str) -> Run {
    env.run_with(
        &[
            "exec",
            profile,
            "-n",
            "--",
            "sh",
            "-c",
            "echo $ALIBABA_CLOUD_ACCESS_KEY_ID",
        ],
        &[("ALICLOUD_VAULT_BACKEND", backend)],
    )
}

/// What `migrate` printed for each item, as `(verb, account)`.
fn lines(stdout: &str) -> Vec<(String, String)> {
    stdout
        .lines()
        .map(|l| {
            let (verb, account) = l.split_once('\t').expect("VERB<TAB>ITEM");
            (verb.to_string(), account.to_string())
        })
        .collect()
}

fn accounts(items: &[(ItemName, String)]) -> Vec<String> {
    items.iter().map(|(n, _)| n.account()).collect()
}

fn with_verb(verb: &str, items: &[(ItemName, String)]) -> Vec<(String, String)> {
    accounts(items)
        .into_iter()
        .map(|a| (verb.to_string(), a))
        .collect()
}

/// Every kind, from the file backend through the kernel keyring, the Secret Service and pass
/// back into the file backend, each hop with `--delete-source`: at the end every document is
/// byte for byte what was seeded, every store on the way is empty again, and no secret is in
/// any file outside the backends' encrypted ones.
#[test]
fn every_kind_travels_through_every_backend_and_back_verified() {
    let mut env = TestEnv::new();
    let _ring = PrivateSessionKeyring::new(&mut env);
    let _keyring = PrivateKeyring::new(&mut env);
    let pass = PassStore::new(&mut env);
    // Unique names: the kernel keyring's keys are also linked into the user's persistent
    // keyring, where other tests' keys are.
    let profile = unique("mig");
    let seeded = seed(&env, &profile);
    let hops = [
        ("file", "keyutils"),
        ("keyutils", "secret-service"),
        ("secret-service", "pass"),
        ("pass", "file"),
    ];
    for (from, to) in hops {
        // A dry run names every item and changes nothing: the target still lacks them all
        // (a second dry run says "would copy" again) and the source still has them.
        for _ in 0..2 {
            let r = migrate(&env, from, to, &["--dry-run"]);
            assert_eq!(
                lines(r.ok()),
                with_verb("would copy", &seeded),
                "{from}->{to}"
            );
            assert!(r.stderr.contains("nothing was changed"), "{}", r.stderr);
        }
        let back = migrate(&env, to, from, &["--dry-run"]);
        assert_eq!(back.ok(), "", "{to} holds nothing yet");

        let r = migrate(&env, from, to, &["--delete-source"]);
        assert_eq!(lines(r.ok()), with_verb("copied", &seeded), "{from}->{to}");
        assert!(r.stderr.contains("read back"), "{}", r.stderr);
        assert!(
            r.stderr
                .contains(&format!("Deleted {} item(s) from {from}", seeded.len())),
            "{}",
            r.stderr
        );
        // The source is empty, the target serves the key.
        let left = migrate(&env, from, to, &["--dry-run"]);
        assert_eq!(left.ok(), "", "{from} after --delete-source");
        let exec = key_id_from(&env, &profile, to);
        assert_eq!(exec.ok(), format!("{KEY_ID}\n"), "from {to}");
        if to == "pass" {
            // One encrypted file per item, named after it, holding no secret in the clear.
            let mut expected: Vec<String> = accounts(&seeded)
                .iter()
                .map(|a| format!("{a}.gpg"))
                .collect();
            expected.sort();
            assert_eq!(pass.files("alicloud-vault"), expected);
            for (_, doc) in &seeded {
                let marker = marker_of(doc);
                assert_eq!(nowhere_under(&pass.store, marker), Ok(()), "{marker}");
            }
        }
    }
    let store = file_store(&env);
    for (name, doc) in &seeded {
        assert_eq!(
            store
                .get(name)
                .unwrap()
                .map(|s| s.expose().to_string())
                .as_deref(),
            Some(doc.as_str()),
            "{}",
            name.account()
        );
    }
    assert_eq!(pass.files("alicloud-vault"), Vec::<String>::new());
    for (_, doc) in &seeded {
        let marker = marker_of(doc);
        assert_eq!(nowhere_under(env.path(), marker), Ok(()), "{marker}");
    }
    assert_eq!(nowhere_under(env.path(), KEY_SECRET), Ok(()));
}

/// The secret-looking part of a seeded document (the whole document for the real key).
fn marker_of(doc: &str) -> &str {
    doc.split("\"marker\":\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or(KEY_SECRET)
}

/// An item the target holds with other contents stops the migration before anything is
/// written; `--force` replaces it.
#[test]
fn a_conflict_is_reported_before_anything_is_written_and_force_replaces_it() {
    let mut env = TestEnv::new();
    let pass = PassStore::new(&mut env);
    env.add_key("shared", KEY_ID, KEY_SECRET);
    env.add_key("only-in-file", "LTAI5tMigrateKey0000043", KEY_SECRET);
    let r = env.run_stdin_with(
        &["add", "shared", "--stdin", "--no-verify"],
        "LTAI5tMigrateKeyInPass01\nAnotherSecretValue0123456789\n",
        &[("ALICLOUD_VAULT_BACKEND", "pass")],
    );
    r.ok();
    assert_eq!(pass.files("alicloud-vault"), ["key:shared.gpg"]);

    let r = migrate(&env, "file", "pass", &[]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr.contains("nothing was migrated")
            && r.stderr.contains("key:shared")
            && r.stderr.contains("--force"),
        "{}",
        r.stderr
    );
    assert_eq!(r.stdout, "");
    assert_eq!(pass.files("alicloud-vault"), ["key:shared.gpg"]);
    // The dry run says the same, before anything.
    let r = migrate(&env, "file", "pass", &["--dry-run"]);
    assert_eq!(r.code, 2, "{r:?}");

    let r = migrate(&env, "file", "pass", &["--force"]);
    assert_eq!(
        lines(r.ok()),
        [
            ("copied".to_string(), "key:only-in-file".to_string()),
            ("replaced".to_string(), "key:shared".to_string()),
        ]
    );
    let exec = key_id_from(&env, "shared", "pass");
    assert_eq!(exec.ok(), format!("{KEY_ID}\n"));
    // Without --delete-source the source keeps everything.
    assert_eq!(
        env.run(&["list", "--credentials"]).ok(),
        "only-in-file\nshared\n"
    );
    // Run again: everything is already there, nothing to do.
    let r = migrate(&env, "file", "pass", &["--delete-source"]);
    assert_eq!(
        lines(r.ok()),
        [
            ("already there".to_string(), "key:only-in-file".to_string()),
            ("already there".to_string(), "key:shared".to_string()),
        ]
    );
    assert_eq!(env.run(&["list", "--credentials"]).ok(), "");
}

/// A target that refuses a write half-way (here gpg, inside pass, cannot write a file larger
/// than the process's file-size limit: a limit that holds for root too) leaves the target
/// without any item of this run and the source untouched; without the limit the same command
/// then succeeds.
#[test]
fn a_target_that_refuses_a_write_half_way_keeps_no_partial_items_and_the_source_untouched() {
    let mut env = TestEnv::new();
    let pass = PassStore::new(&mut env);
    env.add_key("small", KEY_ID, KEY_SECRET);
    // A session larger than the limit (random hex: gpg's compression cannot shrink it enough).
    let big: String = (0..4000)
        .map(|_| format!("{:x}", rand::random::<u8>() & 0xf))
        .collect();
    let big = format!("{{\"v\":1,\"token\":\"{big}\"}}");
    let big_name = ItemName::new(ItemKind::Session, "big");
    file_store(&env)
        .set(&big_name, &Secret::new(big.as_str()))
        .unwrap();

    // `ulimit -f 2` is 1 KiB in sh: the key (a few hundred bytes encrypted) fits, the session
    // does not. SIGXFSZ is ignored so that the write fails with EFBIG instead of killing gpg.
    let script = format!(
        "trap '' XFSZ; ulimit -f 2; exec {} migrate --from file --to pass",
        crate::common::BIN
    );
    let r = env.shell(&script);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr.contains("nothing was migrated")
            && r.stderr.contains("session:big")
            && r.stderr
                .contains("The item written before was removed from the target again")
            && r.stderr.contains("The file keystore is untouched"),
        "{}",
        r.stderr
    );
    assert_eq!(r.stdout, "");
    // No partial items in the target: the key copied first was removed again.
    assert_eq!(pass.files("alicloud-vault"), Vec::<String>::new());
    // The source holds both, as they were.
    let store = file_store(&env);
    assert_eq!(
        store.get(&big_name).unwrap().unwrap().expose(),
        big.as_str()
    );
    assert_eq!(env.run(&["list", "--credentials"]).ok(), "small\n");

    let r = migrate(&env, "file", "pass", &[]);
    assert_eq!(
        lines(r.ok()),
        [
            ("copied".to_string(), "key:small".to_string()),
            ("copied".to_string(), "session:big".to_string()),
        ]
    );
}

/// The agent serves the backend it was started with: after a migration away from it,
/// `migrate` says so; with `--delete-source` the agent drops the sessions it held, so that it
/// serves nothing made from keys no longer in its backend, until it is restarted.
#[test]
fn the_agent_of_the_old_backend_is_told_and_drops_its_sessions_when_the_source_is_emptied() {
    let mut w = crate::agent::world();
    let _pass = PassStore::new(&mut w.env);
    let agent = crate::agent::start_agent(&w.env);
    w.env.run(&["exec", "admin", "--", "true"]).ok();
    let r = migrate(&w.env, "file", "pass", &[]);
    r.ok();
    assert!(
        r.stderr.contains(&format!(
            "The agent (pid {}) serves the file keystore until it is restarted",
            agent.pid()
        )) && r.stderr.contains("alicloud-vault agent stop"),
        "{}",
        r.stderr
    );
    // The agent still serves its session: nothing was deleted.
    w.env.run(&["exec", "admin", "--", "true"]).ok();

    let r = migrate(&w.env, "file", "pass", &["--delete-source", "--force"]);
    r.ok();
    assert!(
        r.stderr
            .contains("has dropped what it held (1 cached session)"),
        "{}",
        r.stderr
    );
    // It cannot mint again from the emptied file backend; the new backend serves the key.
    let again = w.env.run(&["exec", "admin", "--", "true"]);
    assert_ne!(again.code, 0, "{again:?}");
    w.env
        .run_with(
            &["exec", "admin", "--no-agent", "--", "true"],
            &[("ALICLOUD_VAULT_BACKEND", "pass")],
        )
        .ok();
}
