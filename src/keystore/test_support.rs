//! Helpers for the keystore tests: unique names, environment checks that fail instead of
//! skipping, and running one test in a child process with its own environment.

use std::process::{Command, Output};
use std::time::{SystemTime, UNIX_EPOCH};

#[cfg(target_os = "linux")]
/// Secret Service tests take it shared; the test that locks the collection takes it exclusively.
pub static SECRET_SERVICE: std::sync::RwLock<()> = std::sync::RwLock::new(());

const CHILD_ENV: &str = "ALICLOUD_VAULT_TEST_CHILD";

/// A name no other test or run uses.
pub fn unique(tag: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("{tag}-{}-{nanos}", std::process::id())
}

#[cfg(target_os = "linux")]
/// True when a D-Bus session is configured. Panics when it is not, unless
/// `ALICLOUD_VAULT_TEST_NO_DBUS=1` says this machine has none (then the caller skips, loudly).
pub fn require_dbus(test: &str) -> bool {
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some() {
        return true;
    }
    if std::env::var("ALICLOUD_VAULT_TEST_NO_DBUS").as_deref() == Ok("1") {
        eprintln!("SKIPPED {test}: ALICLOUD_VAULT_TEST_NO_DBUS=1");
        return false;
    }
    panic!(
        "{test} needs a D-Bus session with an unlocked GNOME Keyring: run the tests under \
         dbus-run-session as docs/keystore.md shows, or set ALICLOUD_VAULT_TEST_NO_DBUS=1 to skip"
    );
}

#[cfg(target_os = "linux")]
/// True when this process has a session keyring of its own (`keyctl session -`). Panics when
/// not, unless `ALICLOUD_VAULT_TEST_NO_KEYUTILS=1`.
pub fn require_session_keyring(test: &str) -> bool {
    let own = Command::new("keyctl")
        .args(["rdescribe", "@s"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned());
    // The default session keyring is `_uid_ses.UID`; `keyctl session -` makes `_ses`.
    if own
        .as_deref()
        .is_some_and(|d| d.trim_end().ends_with(";_ses"))
    {
        return true;
    }
    if std::env::var("ALICLOUD_VAULT_TEST_NO_KEYUTILS").as_deref() == Ok("1") {
        eprintln!("SKIPPED {test}: ALICLOUD_VAULT_TEST_NO_KEYUTILS=1");
        return false;
    }
    panic!(
        "{test} needs its own session keyring: run the tests under `keyctl session -` as \
         docs/keystore.md shows, or set ALICLOUD_VAULT_TEST_NO_KEYUTILS=1 to skip"
    );
}

/// In a child test: true when run by [`run_child`] (and says so on stdout); false when the
/// test was run directly, which it is not meant to be.
pub fn in_child(test: &str) -> bool {
    if std::env::var(CHILD_ENV).as_deref() != Ok("1") {
        return false;
    }
    println!("CHILD-RAN {test}");
    true
}

/// Runs the ignored test `test` (its full path) of this test binary in a child process with
/// `env` changes (`None` removes a variable) and, with `no_tty`, without a controlling
/// terminal. Panics unless the child ran it and it passed.
pub fn run_child(test: &str, env: &[(&str, Option<&str>)], no_tty: bool) -> Output {
    let exe = std::env::current_exe().expect("the test binary's path");
    let mut cmd = Command::new(exe);
    cmd.args([
        test,
        "--exact",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ])
    .env(CHILD_ENV, "1");
    for (name, value) in env {
        match value {
            Some(v) => cmd.env(name, v),
            None => cmd.env_remove(name),
        };
    }
    // Without a terminal elsewhere too, where the OS has sessions (Windows tests run without
    // a console of their own in CI anyway).
    #[cfg(not(unix))]
    let _ = no_tty;
    #[cfg(unix)]
    if no_tty {
        use std::os::unix::process::CommandExt;
        // SAFETY: setsid is async-signal-safe and touches no memory of the parent.
        unsafe {
            cmd.pre_exec(|| {
                if libc::setsid() < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
    let out = cmd.output().expect("run the child test");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.contains(&format!("CHILD-RAN {test}")),
        "child test {test} failed or did not run:\n{stdout}\n{stderr}"
    );
    out
}

use super::{ItemKind, ItemName, Keystore};
use crate::secret::Secret;

fn text(store: &dyn Keystore, name: &ItemName) -> Option<String> {
    store
        .get(name)
        .expect("get")
        .map(|s| s.expose().to_string())
}

fn ours(store: &dyn Keystore, names: &[&ItemName]) -> Vec<ItemName> {
    store
        .list()
        .expect("list")
        .into_iter()
        .filter(|n| names.contains(&n))
        .collect()
}

/// set, get, list and delete of two items of different kinds.
pub fn check_round_trip(store: &dyn Keystore) {
    let key = ItemName::new(ItemKind::Key, unique("round-trip"));
    let session = ItemName::new(ItemKind::Session, unique("round-trip"));
    store
        .set(&key, &Secret::new(r#"{"v":1,"secret":"first"}"#))
        .expect("set key");
    store
        .set(&session, &Secret::new(r#"{"v":1,"token":"second"}"#))
        .expect("set session");
    assert_eq!(
        text(store, &key).as_deref(),
        Some(r#"{"v":1,"secret":"first"}"#)
    );
    assert_eq!(
        text(store, &session).as_deref(),
        Some(r#"{"v":1,"token":"second"}"#)
    );
    assert_eq!(
        ours(store, &[&key, &session]),
        vec![key.clone(), session.clone()]
    );
    assert!(store.delete(&key).expect("delete key"));
    assert_eq!(text(store, &key), None);
    assert_eq!(ours(store, &[&key, &session]), vec![session.clone()]);
    assert!(store.delete(&session).expect("delete session"));
    assert_eq!(ours(store, &[&key, &session]), Vec::<ItemName>::new());
}

/// A second set replaces the document and leaves one item.
pub fn check_overwrite(store: &dyn Keystore) {
    let key = ItemName::new(ItemKind::Key, unique("overwrite"));
    store.set(&key, &Secret::new("old document")).expect("set");
    store
        .set(&key, &Secret::new("new document"))
        .expect("set again");
    assert_eq!(text(store, &key).as_deref(), Some("new document"));
    assert_eq!(ours(store, &[&key]), vec![key.clone()]);
    assert!(store.delete(&key).expect("delete"));
}

/// A missing item reads as `None` and deletes as `false`.
pub fn check_missing(store: &dyn Keystore) {
    let key = ItemName::new(ItemKind::SsoToken, unique("missing"));
    assert_eq!(text(store, &key), None);
    assert!(!store.delete(&key).expect("delete"));
    assert_eq!(ours(store, &[&key]), Vec::<ItemName>::new());
}
