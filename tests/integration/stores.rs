//! Real keystores of a test's own, so that tests which walk or empty a whole store (`migrate`)
//! see only their own items: a password store with a fresh gpg key, a GNOME Keyring on a
//! private D-Bus, a named kernel session keyring. Each is torn down when dropped, stopping
//! only the processes it started, by pid.

use crate::common::{unique, TestEnv};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// The e-mail of the test key (a reserved domain: it names nobody).
pub const GPG_ID: &str = "test@example.invalid";

fn run_ok(cmd: &mut Command, what: &str) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `GNUPGHOME` with an unprotected key and `PASSWORD_STORE_DIR` made with `pass init`.
pub struct PassStore {
    pub gnupg: PathBuf,
    pub store: PathBuf,
}

impl PassStore {
    /// Inside `env`'s directory, set as `env`'s `GNUPGHOME` and `PASSWORD_STORE_DIR`.
    pub fn new(env: &mut TestEnv) -> PassStore {
        let gnupg = env.path().join("gnupg");
        let store = env.path().join("password-store");
        std::fs::create_dir_all(&gnupg).unwrap();
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&gnupg, std::fs::Permissions::from_mode(0o700)).unwrap();
        }
        let with_home = |program: &str| {
            let mut c = Command::new(program);
            c.env("GNUPGHOME", &gnupg)
                .env("PASSWORD_STORE_DIR", &store)
                .stdin(Stdio::null());
            c
        };
        run_ok(
            with_home("gpg").args([
                "--batch",
                "--passphrase",
                "",
                "--quick-gen-key",
                GPG_ID,
                "future-default",
                "default",
                "never",
            ]),
            "gpg --quick-gen-key",
        );
        // Built now, so that the first encryption does not write the trust database.
        run_ok(
            with_home("gpg").args(["--batch", "--check-trustdb"]),
            "gpg --check-trustdb",
        );
        run_ok(with_home("pass").args(["init", GPG_ID]), "pass init");
        env.set_var("GNUPGHOME", &gnupg.to_string_lossy());
        env.set_var("PASSWORD_STORE_DIR", &store.to_string_lossy());
        PassStore { gnupg, store }
    }

    /// The item files of folder `folder`.
    pub fn files(&self, folder: &str) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.store.join(folder))
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

impl Drop for PassStore {
    fn drop(&mut self) {
        // The gpg-agent gpg started for this GNUPGHOME, and only that one.
        let _ = Command::new("gpgconf")
            .args(["--kill", "gpg-agent"])
            .env("GNUPGHOME", &self.gnupg)
            .status();
    }
}

/// A D-Bus session bus and an unlocked GNOME Keyring on it, both this test's own.
pub struct PrivateKeyring {
    dbus_pid: i32,
    keyring: Child,
}

impl PrivateKeyring {
    /// Started with data under `env`'s directory; `env` talks to it from now on.
    pub fn new(env: &mut TestEnv) -> PrivateKeyring {
        let out = Command::new("dbus-daemon")
            .args([
                "--session",
                "--fork",
                "--nopidfile",
                "--print-address=1",
                "--print-pid=1",
            ])
            .stdin(Stdio::null())
            .output()
            .expect("run dbus-daemon");
        assert!(out.status.success(), "{out:?}");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let mut lines = text.lines();
        let address = lines.next().expect("bus address").to_string();
        let dbus_pid: i32 = lines
            .next()
            .and_then(|p| p.trim().parse().ok())
            .expect("bus pid");
        let data = env.path().join("keyring-data");
        std::fs::create_dir_all(&data).unwrap();
        let mut keyring = Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .env("XDG_DATA_HOME", &data)
            .env("XDG_RUNTIME_DIR", env.path().join("runtime"))
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start gnome-keyring-daemon");
        {
            use std::io::Write;
            let mut stdin = keyring.stdin.take().unwrap();
            stdin.write_all(b"test-keyring-password").unwrap();
        }
        let me = PrivateKeyring { dbus_pid, keyring };
        let owned = || {
            Command::new("dbus-send")
                .args([
                    "--session",
                    "--print-reply",
                    "--dest=org.freedesktop.DBus",
                    "/org/freedesktop/DBus",
                    "org.freedesktop.DBus.NameHasOwner",
                    "string:org.freedesktop.secrets",
                ])
                .env("DBUS_SESSION_BUS_ADDRESS", &address)
                .output()
                .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("true"))
        };
        let start = std::time::Instant::now();
        while !owned() {
            assert!(
                start.elapsed() < std::time::Duration::from_secs(20),
                "the private GNOME Keyring did not appear on its bus"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        env.set_var("DBUS_SESSION_BUS_ADDRESS", &address);
        me
    }
}

impl Drop for PrivateKeyring {
    fn drop(&mut self) {
        let _ = self.keyring.kill();
        let _ = self.keyring.wait();
        let _ = nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(self.dbus_pid),
            nix::sys::signal::Signal::SIGTERM,
        );
    }
}

/// A named session keyring linked into the test's own session keyring (so it outlives each
/// command), which every command of `env` joins with `keyctl session NAME`.
pub struct PrivateSessionKeyring {
    id: String,
}

impl PrivateSessionKeyring {
    pub fn new(env: &mut TestEnv) -> PrivateSessionKeyring {
        let name = unique("migrate-ring");
        let out = Command::new("keyctl")
            .args(["newring", &name, "@s"])
            .output()
            .expect("run keyctl");
        assert!(out.status.success(), "{out:?}");
        let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
        // Searchable by its owner, so that `keyctl session NAME` joins it instead of making one.
        run_ok(
            Command::new("keyctl").args(["setperm", &id, "0x3f3f0000"]),
            "keyctl setperm",
        );
        // The backend links every key into the user's persistent keyring too, which every
        // session can search: an (empty) index of this keyring's own hides the index another
        // session left there, so that this keyring lists only its own items.
        let mut add = Command::new("keyctl")
            .args(["padd", "user", "keyring:index@alicloud-vault", &id])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("run keyctl");
        {
            use std::io::Write;
            add.stdin.take().unwrap().write_all(b"\n").unwrap();
        }
        assert!(add.wait().unwrap().success());
        env.set_wrapper(&["keyctl", "session", &name]);
        PrivateSessionKeyring { id }
    }
}

impl Drop for PrivateSessionKeyring {
    fn drop(&mut self) {
        let _ = Command::new("keyctl")
            .args(["clear", &self.id])
            .stdout(Stdio::null())
            .status();
        let _ = Command::new("keyctl")
            .args(["unlink", &self.id, "@s"])
            .stdout(Stdio::null())
            .status();
    }
}

/// True when no file under `dir` holds `needle`.
pub fn nowhere_under(dir: &Path, needle: &str) -> Result<(), PathBuf> {
    for f in crate::common::files_under(dir) {
        let Ok(bytes) = std::fs::read(&f) else {
            continue;
        };
        if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
            return Err(f);
        }
    }
    Ok(())
}
