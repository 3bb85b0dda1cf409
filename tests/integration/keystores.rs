//! The same round trip on every real backend of this machine, and their failure modes.

use crate::common::{unique, TestEnv};

/// The D-Bus session the test script provides; a missing one fails the test unless the run
/// says on purpose that there is none.
pub fn require_dbus() -> bool {
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some() {
        return true;
    }
    assert!(
        std::env::var_os("ALICLOUD_VAULT_TEST_NO_DBUS").is_some(),
        "no D-Bus session: run the suite with `bash scripts/test` (or set ALICLOUD_VAULT_TEST_NO_DBUS=1 to skip the secret-service tests on purpose)"
    );
    false
}

fn round_trip(env: &TestEnv) {
    let profile = unique("rt");
    let id = "LTAI5tRoundTripKey0042";
    let secret = format!("secret-{profile}-0123456789");
    let r = env.run_stdin(
        &["add", &profile, "--stdin", "--no-verify"],
        &format!("{id}\n{secret}\n"),
    );
    r.ok();
    assert!(
        r.stderr
            .contains(&format!("in the {} keystore", env.backend)),
        "{}",
        r.stderr
    );
    let listed = env.run(&["list", "--credentials"]).ok().to_string();
    assert!(listed.lines().any(|l| l == profile), "{listed}");
    let out = env.run(&[
        "exec",
        &profile,
        "-n",
        "--",
        "sh",
        "-c",
        "echo $ALIBABA_CLOUD_ACCESS_KEY_ID:$ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    ]);
    assert_eq!(out.ok(), format!("{id}:{secret}\n"));
    env.run(&["remove", &profile, "--force"]).ok();
    let listed = env.run(&["list", "--credentials"]).ok().to_string();
    assert!(!listed.lines().any(|l| l == profile), "{listed}");
    // Configured nowhere and stored no more: an unknown profile.
    let r = env.run(&["exec", &profile, "-n", "--", "true"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("unknown profile"), "{}", r.stderr);
}

#[test]
fn file_backend_round_trip() {
    round_trip(&TestEnv::new());
}

#[test]
fn secret_service_backend_round_trip() {
    if require_dbus() {
        round_trip(&TestEnv::with_backend("secret-service"));
    }
}

#[test]
fn keyutils_backend_round_trip() {
    round_trip(&TestEnv::with_backend("keyutils"));
}

#[test]
fn file_backend_keeps_no_plaintext_and_strict_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let env = TestEnv::new();
    let secret = "PlaintextMustNotAppear0123456789";
    env.add_key("disk", "LTAI5tDiskCheckKey00001", secret);
    let mut files = 0;
    for e in std::fs::read_dir(env.keys_dir()).unwrap() {
        let e = e.unwrap();
        let bytes = std::fs::read(e.path()).unwrap();
        assert!(
            !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "{} holds the secret",
            e.path().display()
        );
        assert_eq!(
            e.metadata().unwrap().permissions().mode() & 0o777,
            0o600,
            "{}",
            e.path().display()
        );
        files += 1;
    }
    assert!(files >= 2, "expected a header and an item");
    let mode = std::fs::metadata(env.keys_dir())
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o700);
}

#[test]
fn file_backend_wrong_passphrase_is_a_clear_error_and_changes_nothing() {
    let mut env = TestEnv::new();
    env.add_key("pp", "LTAI5tPassphraseKey0001", "secretsecretsecret000001");
    env.set_var("ALICLOUD_VAULT_FILE_PASSPHRASE", "not the passphrase");
    let r = env.run_stdin(
        &["add", "other", "--stdin", "--no-verify"],
        "LTAI5tPassphraseKey0002\nsecretsecretsecret000002\n",
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("wrong passphrase"), "{}", r.stderr);
    env.set_var("ALICLOUD_VAULT_FILE_PASSPHRASE", "test passphrase");
    assert_eq!(env.run(&["list", "--credentials"]).ok(), "pp\n");
}

#[test]
fn secret_service_without_a_bus_is_a_clear_error() {
    let env = TestEnv::with_backend("secret-service");
    let r = env.run_with(
        &["list", "--credentials"],
        &[("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("secret-service keystore is not reachable"),
        "{}",
        r.stderr
    );
}

/// A process without a session keyring of its own (here: joined to the user-session keyring,
/// as a plain login without pam_keyinit is) would store keys in a keyring that dies with it:
/// `add` must refuse, with the way out, instead of reporting a key stored that the next
/// command cannot find.
#[test]
fn keyutils_refuses_to_store_where_keys_would_not_outlive_the_process() {
    let env = TestEnv::with_backend("keyutils");
    let user_session = format!("_uid_ses.{}", nix::unistd::getuid().as_raw());
    let wrapper = ["keyctl", "session", user_session.as_str()];
    let profile = unique("ku");
    let r = env.run_stdin_under(
        &wrapper,
        &["add", &profile, "--stdin", "--no-verify"],
        "LTAI5tRoundTripKey0042\nsecret-0123456789abcdef\n",
    );
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr.contains("no session keyring of its own") && r.stderr.contains("keyctl session -"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("Stored"), "{}", r.stderr);
    // Nothing was stored anywhere a later process could find it.
    let listed = env.run(&["list", "--credentials"]).ok().to_string();
    assert!(!listed.lines().any(|l| l == profile), "{listed}");
}

/// On a terminal, a mistyped passphrase is asked for again (three tries in all), and three
/// wrong ones end in the wrong-passphrase error. `script` gives the binary a pseudo-terminal;
/// the typed lines arrive through it.
#[test]
fn a_mistyped_passphrase_is_asked_for_again_on_a_terminal() {
    let mut env = TestEnv::new();
    env.add_key(
        "p",
        "LTAI5tPassphraseRetry01",
        "secret-of-the-retry-test-0001",
    );
    env.remove_var("ALICLOUD_VAULT_FILE_PASSPHRASE");
    let run = |typed: &str| {
        let inner = format!(
            "{} exec p --no-session -- sh -c 'echo KEY=\\$ALIBABA_CLOUD_ACCESS_KEY_ID'",
            crate::common::BIN
        );
        let outer = format!("(printf '{typed}'; sleep 3) | script -qefc \"{inner}\" /dev/null");
        env.shell(&outer)
    };
    let r = run("wrong one\\ntest passphrase\\n");
    assert!(r.stdout.contains("try again (2 of 3)"), "{r:?}");
    assert!(r.stdout.contains("KEY=LTAI5tPassphraseRetry01"), "{r:?}");
    let r = run("one\\ntwo\\nthree\\n");
    assert!(r.stdout.contains("try again (3 of 3)"), "{r:?}");
    assert!(r.stdout.contains("wrong passphrase"), "{r:?}");
    assert!(!r.stdout.contains("KEY="), "{r:?}");
}

#[test]
fn pass_backend_round_trip() {
    let mut env = TestEnv::with_backend("pass");
    let pass = crate::stores::PassStore::new(&mut env);
    round_trip(&env);
    // Removed again: no file of ours is left in the store's folder.
    assert_eq!(pass.files("alicloud-vault"), Vec::<String>::new());
}

/// Listing reads file names only: with a GNUPGHOME that holds no key (nothing can be
/// decrypted) the names are still listed, and reading one is a clear error from gpg.
#[test]
fn pass_lists_without_decrypting_and_keeps_items_in_its_folder_encrypted() {
    let mut env = TestEnv::with_backend("pass");
    let pass = crate::stores::PassStore::new(&mut env);
    env.set_var("ALICLOUD_VAULT_PASS_FOLDER", "work/alicloud");
    let secret = "PassSecretMustNotAppear0123456789";
    env.add_key("one", "LTAI5tPassListKey000001", secret);
    env.add_key("two", "LTAI5tPassListKey000002", secret);
    assert_eq!(pass.files("work/alicloud"), ["key:one.gpg", "key:two.gpg"]);
    assert_eq!(
        crate::stores::nowhere_under(&pass.store, secret),
        Ok(()),
        "the store holds the secret in the clear"
    );
    // `pass show` (the program itself) reads what we wrote.
    let out = std::process::Command::new("pass")
        .args(["show", "work/alicloud/key:one"])
        .env("GNUPGHOME", &pass.gnupg)
        .env("PASSWORD_STORE_DIR", &pass.store)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("LTAI5tPassListKey000001"));

    let empty = env.path().join("empty-gnupg");
    std::fs::create_dir_all(&empty).unwrap();
    let no_key = [("GNUPGHOME", empty.to_str().unwrap())];
    assert_eq!(
        env.run_with(&["list", "--credentials"], &no_key).ok(),
        "one\ntwo\n"
    );
    let r = env.run_with(&["exec", "one", "-n", "--", "true"], &no_key);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr.contains("the pass keystore failed")
            && r.stderr.contains("pass show work/alicloud/key:one"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains(secret), "{}", r.stderr);
    let _ = std::process::Command::new("gpgconf")
        .args(["--kill", "gpg-agent"])
        .env("GNUPGHOME", &empty)
        .status();
}

/// The secret reaches pass on stdin only: a `pass` in front of the real one records every
/// argument list it is given, and none holds the secret.
#[test]
fn pass_gets_secrets_on_stdin_never_in_arguments() {
    let mut env = TestEnv::with_backend("pass");
    let _pass = crate::stores::PassStore::new(&mut env);
    let bin = env.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let log = env.path().join("argv.log");
    let real = String::from_utf8(
        std::process::Command::new("sh")
            .args(["-c", "command -v pass"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let wrapper = bin.join("pass");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{}'\nexec '{}' \"$@\"\n",
            log.display(),
            real.trim()
        ),
    )
    .unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    env.set_var("PATH", &path);
    let secret = "ArgvMustNotHoldThis0123456789ab";
    env.add_key("argv", "LTAI5tPassArgvKey000001", secret);
    let out = env.run(&[
        "exec",
        "argv",
        "-n",
        "--",
        "sh",
        "-c",
        "echo $ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    ]);
    assert_eq!(out.ok(), format!("{secret}\n"));
    env.run(&["remove", "argv", "--force"]).ok();
    let calls = std::fs::read_to_string(&log).unwrap();
    let calls: Vec<&str> = calls.lines().collect();
    assert!(
        calls.contains(&"insert --multiline --force alicloud-vault/key:argv")
            && calls.contains(&"show alicloud-vault/key:argv")
            && calls.contains(&"rm --force alicloud-vault/key:argv"),
        "{calls:?}"
    );
    assert!(calls.iter().all(|c| !c.contains(secret)), "{calls:?}");
}

#[test]
fn pass_without_a_store_without_pass_or_with_a_folder_outside_is_a_clear_error() {
    let env = TestEnv::with_backend("pass");
    let no_store = env.path().join("no-store");
    let r = env.run_with(
        &["list", "--credentials"],
        &[("PASSWORD_STORE_DIR", no_store.to_str().unwrap())],
    );
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr.contains("is not initialised") && r.stderr.contains("pass init"),
        "{}",
        r.stderr
    );
    // No pass on PATH (the binary itself needs nothing from PATH).
    let empty = env.path().join("empty-bin");
    std::fs::create_dir_all(&empty).unwrap();
    let r = env.run_with(
        &["list", "--credentials"],
        &[("PATH", empty.to_str().unwrap())],
    );
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr.contains("`pass` program is not installed")
            && r.stderr.contains("apt install pass"),
        "{}",
        r.stderr
    );
    for folder in ["../outside", "/etc", "a/../../b"] {
        let r = env.run_with(
            &["list", "--credentials"],
            &[("ALICLOUD_VAULT_PASS_FOLDER", folder)],
        );
        assert_eq!(r.code, 2, "{folder}: {r:?}");
        assert!(
            r.stderr.contains("ALICLOUD_VAULT_PASS_FOLDER")
                && r.stderr.contains("inside the store"),
            "{}",
            r.stderr
        );
    }
}
