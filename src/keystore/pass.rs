//! The `pass` backend: the standard Unix password store (GnuPG-encrypted files, one per item).
//!
//! Items are entries `FOLDER/ACCOUNT` of the store (`alicloud-vault/key:jonsmith`), each a file
//! `FOLDER/ACCOUNT.gpg` encrypted to the recipients of the nearest `.gpg-id`. The backend calls
//! the `pass` program, never gpg itself: `pass insert --multiline --force` with the document on
//! stdin, `pass show` with the document on stdout, `pass rm --force`. Secrets therefore never
//! appear in an argument list, and whatever the user configured for pass (recipients per folder,
//! `PASSWORD_STORE_GPG_OPTS`, a git-tracked store) applies. Listing reads file names only, so it
//! needs neither gpg nor the key. The store is `PASSWORD_STORE_DIR`, else `~/.password-store`;
//! gpg finds its keys in `GNUPGHOME`, else `~/.gnupg`. See docs/keystore.md.

use super::{BackendKind, ItemName, Keystore, KeystoreError};
use crate::display::RemoteText;
use crate::secret::Secret;
use std::ffi::OsString;
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The folder of the store that holds our items; default [`DEFAULT_FOLDER`].
pub const FOLDER_ENV: &str = "ALICLOUD_VAULT_PASS_FOLDER";
/// The store's folder for our items unless [`FOLDER_ENV`] names another.
pub const DEFAULT_FOLDER: &str = "alicloud-vault";
/// Where pass keeps the store (pass's own variable).
pub const STORE_DIR_ENV: &str = "PASSWORD_STORE_DIR";

/// What to do when pass or gpg is missing, or the folder cannot be used.
pub const UNAVAILABLE_HINT: &str = "Install pass and GnuPG (Debian/Ubuntu: `apt install pass`, macOS: `brew install pass`), or choose another backend with --backend";

/// What to do when the folder setting cannot be used.
pub const FOLDER_HINT: &str = "Unset ALICLOUD_VAULT_PASS_FOLDER to use the folder alicloud-vault";

/// What to do when the store has no recipients.
pub const NOT_INITIALISED_HINT: &str = "Create the store with `pass init YOUR-GPG-KEY-ID` (set PASSWORD_STORE_DIR for a store elsewhere), or choose another backend with --backend";

/// Characters kept as they are in an entry's file name; every other byte is `%XX`.
fn plain_char(c: u8, first: bool) -> bool {
    c.is_ascii_alphanumeric() || b"_:@+=,-".contains(&c) || (c == b'.' && !first)
}

/// The file name (without `.gpg`) of an account: `/`, `\`, `%`, a leading `.`, controls and
/// non-ASCII bytes are percent-encoded, so no account can name a path outside the folder.
pub fn encode_account(account: &str) -> String {
    let mut out = String::with_capacity(account.len());
    for (i, b) in account.bytes().enumerate() {
        if plain_char(b, i == 0) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The account a file name stands for; `None` unless `name` is exactly what
/// [`encode_account`] writes for it (so each item has one file).
pub fn decode_account(name: &str) -> Option<String> {
    let bytes = name.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let account = String::from_utf8(out).ok()?;
    (encode_account(&account) == name).then_some(account)
}

/// Checks the folder named by [`FOLDER_ENV`]: relative, `/`-separated names, none empty, `.` or
/// `..`, so that it stays inside the store.
pub fn check_folder(folder: &str) -> Result<(), String> {
    let bad = |why: &str| {
        Err(format!(
            "{FOLDER_ENV}={folder:?} {why}; name a folder inside the store such as `{DEFAULT_FOLDER}` or `work/alicloud`"
        ))
    };
    if folder.is_empty() {
        return bad("is empty");
    }
    if folder.starts_with('/') {
        return bad("is an absolute path");
    }
    for part in folder.split('/') {
        if part.is_empty() || part == "." || part == ".." {
            return bad("has an empty, `.` or `..` part");
        }
        if part.starts_with('.') || part.chars().any(|c| c.is_control() || c == '\\') {
            return bad("has a part that starts with `.` or holds a control character or `\\`");
        }
    }
    Ok(())
}

/// Finds `program` on PATH.
fn on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|p| {
            fs::metadata(p).is_ok_and(|m| {
                use std::os::unix::fs::PermissionsExt;
                m.is_file() && m.permissions().mode() & 0o111 != 0
            })
        })
}

/// The password store keystore. Each call runs `pass` (gpg decrypts or encrypts in it); a
/// listing only reads the folder.
pub struct PassKeystore {
    /// The store's root (`PASSWORD_STORE_DIR`).
    store: PathBuf,
    /// Our folder inside it, checked by [`check_folder`].
    folder: String,
    /// The `pass` program.
    program: PathBuf,
}

fn unavailable(detail: String) -> KeystoreError {
    KeystoreError::Unavailable {
        backend: BackendKind::Pass,
        detail,
        hint: UNAVAILABLE_HINT,
    }
}

fn failed(detail: String) -> KeystoreError {
    KeystoreError::Backend {
        backend: BackendKind::Pass,
        detail,
    }
}

impl PassKeystore {
    /// The store the environment describes: `PASSWORD_STORE_DIR` (else `~/.password-store`),
    /// folder `ALICLOUD_VAULT_PASS_FOLDER` (else `alicloud-vault`).
    pub fn from_env() -> Result<Self, KeystoreError> {
        let store = match std::env::var_os(STORE_DIR_ENV).filter(|v| !v.is_empty()) {
            Some(dir) => PathBuf::from(dir),
            None => directories::BaseDirs::new()
                .map(|b| b.home_dir().join(".password-store"))
                .ok_or_else(|| {
                    unavailable(format!(
                        "no home directory to find ~/.password-store in, and {STORE_DIR_ENV} is not set"
                    ))
                })?,
        };
        let folder = match std::env::var(FOLDER_ENV) {
            Ok(f) if !f.is_empty() => f,
            Ok(_) | Err(std::env::VarError::NotPresent) => DEFAULT_FOLDER.to_string(),
            Err(std::env::VarError::NotUnicode(_)) => {
                return Err(KeystoreError::Unavailable {
                    backend: BackendKind::Pass,
                    detail: format!("{FOLDER_ENV} is not valid UTF-8"),
                    hint: FOLDER_HINT,
                })
            }
        };
        Self::open(store, folder)
    }

    /// Opens the store at `store`, items under `folder`. Refused, with what to do, when `pass`
    /// or gpg is not installed or the store has no `.gpg-id` for the folder (not initialised).
    pub fn open(store: PathBuf, folder: String) -> Result<Self, KeystoreError> {
        check_folder(&folder).map_err(|detail| KeystoreError::Unavailable {
            backend: BackendKind::Pass,
            detail,
            hint: FOLDER_HINT,
        })?;
        let program = on_path("pass").ok_or_else(|| {
            unavailable("the `pass` program is not installed (not on PATH)".into())
        })?;
        // pass runs gpg2 when there is one, else gpg.
        if on_path("gpg2").is_none() && on_path("gpg").is_none() {
            return Err(unavailable(
                "GnuPG is not installed (neither gpg2 nor gpg is on PATH)".into(),
            ));
        }
        let store = PassKeystore {
            store,
            folder,
            program,
        };
        if store.recipients_file().is_none() {
            return Err(KeystoreError::Unavailable {
                backend: BackendKind::Pass,
                detail: format!(
                    "the password store {} is not initialised (no .gpg-id in it or in {})",
                    store.store.display(),
                    store.folder
                ),
                hint: NOT_INITIALISED_HINT,
            });
        }
        Ok(store)
    }

    /// The folder holding our item files.
    pub fn dir(&self) -> PathBuf {
        self.store.join(&self.folder)
    }

    /// The nearest `.gpg-id` from our folder up to the store's root, as pass looks for it.
    fn recipients_file(&self) -> Option<PathBuf> {
        let mut dir = self.dir();
        loop {
            let id = dir.join(".gpg-id");
            if id.is_file() {
                return Some(id);
            }
            if dir == self.store || !dir.pop() {
                return None;
            }
        }
    }

    /// The entry name pass knows the item by.
    fn entry(&self, item: &ItemName) -> String {
        format!("{}/{}", self.folder, encode_account(&item.account()))
    }

    fn item_path(&self, item: &ItemName) -> PathBuf {
        self.dir()
            .join(format!("{}.gpg", encode_account(&item.account())))
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(&self.program);
        cmd.args(args)
            .env(STORE_DIR_ENV, &self.store)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd
    }

    /// What pass (or gpg in it) said on stderr, filtered like text from a server.
    fn complaint(
        what: &str,
        entry: &str,
        status: std::process::ExitStatus,
        stderr: &[u8],
    ) -> KeystoreError {
        let said = String::from_utf8_lossy(stderr);
        let said: Vec<&str> = said
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        failed(format!(
            "`pass {what} {entry}` failed ({status}): {}",
            RemoteText::from(said.join(" / "))
        ))
    }

    fn spawn_error(&self, e: io::Error) -> KeystoreError {
        unavailable(format!("could not run {}: {e}", self.program.display()))
    }

    /// Flushes the item file and the folders that name it to the disk, so that a write pass
    /// reported is still there after a crash.
    fn sync(&self, file: Option<&Path>) -> Result<(), KeystoreError> {
        let io = |what: &str, p: &Path, e: io::Error| {
            failed(format!("could not {what} {}: {e}", p.display()))
        };
        if let Some(file) = file {
            fs::File::open(file)
                .and_then(|f| f.sync_all())
                .map_err(|e| io("sync", file, e))?;
        }
        let mut dir = self.dir();
        loop {
            match fs::File::open(&dir) {
                Ok(f) => f.sync_all().map_err(|e| io("sync", &dir, e))?,
                // `pass rm` removes folders it left empty.
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(io("open", &dir, e)),
            }
            if dir == self.store || !dir.pop() {
                return Ok(());
            }
        }
    }
}

impl Keystore for PassKeystore {
    fn kind(&self) -> BackendKind {
        BackendKind::Pass
    }

    fn get(&self, item: &ItemName) -> Result<Option<Secret>, KeystoreError> {
        // No file, no item: pass (and gpg) run only for items that exist.
        if !self.item_path(item).is_file() {
            return Ok(None);
        }
        let entry = self.entry(item);
        let mut child = self
            .command(&["show", &entry])
            .spawn()
            .map_err(|e| self.spawn_error(e))?;
        let mut out = zeroize::Zeroizing::new(Vec::new());
        let read = child
            .stdout
            .take()
            .map(|mut s| s.read_to_end(&mut out))
            .transpose();
        let output = child.wait_with_output().map_err(|e| self.spawn_error(e))?;
        read.map_err(|e| {
            failed(format!(
                "could not read what `pass show {entry}` printed: {e}"
            ))
        })?;
        if !output.status.success() {
            return Err(Self::complaint(
                "show",
                &entry,
                output.status,
                &output.stderr,
            ));
        }
        // A document edited by hand (`pass edit`) gains a final newline; ours have none.
        if out.last() == Some(&b'\n') {
            out.pop();
        }
        match std::str::from_utf8(&out) {
            Ok(text) => Ok(Some(Secret::new(text))),
            Err(_) => Err(KeystoreError::Corrupt {
                backend: BackendKind::Pass,
                item: item.account(),
                detail: "the decrypted value is not valid UTF-8".into(),
            }),
        }
    }

    fn set(&self, item: &ItemName, document: &Secret) -> Result<(), KeystoreError> {
        let entry = self.entry(item);
        let mut child = self
            .command(&["insert", "--multiline", "--force", &entry])
            .stdin(Stdio::piped())
            .spawn()
            .map_err(|e| self.spawn_error(e))?;
        // The document goes through the pipe only; pass hands it to gpg on stdin.
        let wrote = child
            .stdin
            .take()
            .map(|mut stdin| stdin.write_all(document.expose().as_bytes()))
            .transpose();
        let output = child.wait_with_output().map_err(|e| self.spawn_error(e))?;
        if !output.status.success() {
            return Err(Self::complaint(
                "insert",
                &entry,
                output.status,
                &output.stderr,
            ));
        }
        wrote.map_err(|e| {
            failed(format!(
                "could not give `pass insert {entry}` the item: {e}"
            ))
        })?;
        let path = self.item_path(item);
        if !path.is_file() {
            return Err(failed(format!(
                "`pass insert {entry}` succeeded but {} is not there",
                path.display()
            )));
        }
        self.sync(Some(&path))
    }

    fn delete(&self, item: &ItemName) -> Result<bool, KeystoreError> {
        if !self.item_path(item).is_file() {
            return Ok(false);
        }
        let entry = self.entry(item);
        let output = self
            .command(&["rm", "--force", &entry])
            .output()
            .map_err(|e| self.spawn_error(e))?;
        if !output.status.success() {
            return Err(Self::complaint("rm", &entry, output.status, &output.stderr));
        }
        self.sync(None)?;
        Ok(true)
    }

    /// The file names in our folder: nothing is decrypted.
    fn list(&self) -> Result<Vec<ItemName>, KeystoreError> {
        let dir = self.dir();
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(failed(format!("could not read {}: {e}", dir.display()))),
        };
        let mut names = Vec::new();
        for entry in entries {
            let entry =
                entry.map_err(|e| failed(format!("could not read {}: {e}", dir.display())))?;
            let file_name: OsString = entry.file_name();
            let Some(stem) = file_name.to_str().and_then(|n| n.strip_suffix(".gpg")) else {
                continue;
            };
            if !entry.path().is_file() {
                continue;
            }
            names.extend(decode_account(stem).and_then(|a| ItemName::parse_account(&a)));
        }
        names.sort();
        Ok(names)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_become_file_names_that_stay_in_the_folder_and_decode_back() {
        for (account, file) in [
            ("key:jonsmith", "key:jonsmith"),
            ("key:prod.eu", "key:prod.eu"),
            ("key:../../etc/passwd", "key:..%2F..%2Fetc%2Fpasswd"),
            ("key:a/b", "key:a%2Fb"),
            ("..", "%2E."),
            ("key:100%", "key:100%25"),
            ("key:a\\b\n", "key:a%5Cb%0A"),
            ("key:é", "key:%C3%A9"),
        ] {
            assert_eq!(encode_account(account), file, "{account:?}");
            assert!(!file.contains('/'), "{file}");
            assert_eq!(decode_account(file).as_deref(), Some(account), "{file}");
        }
        // A name that is not how we would write it stands for no item of ours.
        for stranger in [
            "key:a%2fb",
            "key:a/b",
            "key:%zz",
            "key:%2",
            ".hidden",
            "key:a b",
        ] {
            assert_eq!(decode_account(stranger), None, "{stranger}");
        }
    }

    #[test]
    fn the_folder_must_stay_inside_the_store() {
        assert!(check_folder("alicloud-vault").is_ok());
        assert!(check_folder("work/alicloud").is_ok());
        for bad in [
            "", "/etc", "..", "a/../b", "a//b", "a/", "./a", ".git", "a\\b",
        ] {
            let e = check_folder(bad).unwrap_err();
            assert!(e.contains(FOLDER_ENV), "{bad}: {e}");
        }
    }
}
