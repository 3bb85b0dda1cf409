//! The `keyutils` backend: the Linux kernel keyring, through `linux-keyutils-keyring-store`.
//!
//! Each item is a `user` key described `keyring:ACCOUNT@alicloud-vault`, linked into the session
//! keyring (and the user's persistent keyring when the kernel allows it). Nothing touches the
//! disk; the keys live until the session ends or the machine reboots. The kernel keyring cannot
//! be searched by prefix through the store, so an index key (`keyring:index@alicloud-vault`)
//! lists our accounts.

use super::native::{KeyringKeystore, Listing};
use super::{BackendKind, ItemName, Keystore, KeystoreError};
use crate::secret::Secret;

/// What to do when the kernel refuses the keyring.
pub const UNAVAILABLE_HINT: &str = "The kernel keyring needs a session keyring of your own: log in through PAM with pam_keyinit, or run the command under `keyctl session -`; or choose another backend with --backend";

/// The kernel keyring keystore. Calls are plain system calls; any thread may make them.
pub struct KeyutilsKeystore {
    inner: KeyringKeystore,
}

impl KeyutilsKeystore {
    /// Opens the session keyring of this process. A process without a session keyring of its
    /// own (it falls back to the user-session keyring) is refused: the store would create a
    /// session keyring for this process alone, and every key written there would be gone when
    /// it exits, although the write succeeded.
    pub fn open() -> Result<Self, KeystoreError> {
        if !has_own_session_keyring() {
            return Err(KeystoreError::Unavailable {
                backend: BackendKind::Keyutils,
                detail: "this process has no session keyring of its own, so keys stored now would be lost when it exits".into(),
                hint: UNAVAILABLE_HINT,
            });
        }
        let store =
            linux_keyutils_keyring_store::Store::new().map_err(|e| KeystoreError::Unavailable {
                backend: BackendKind::Keyutils,
                detail: e.to_string(),
                hint: UNAVAILABLE_HINT,
            })?;
        Ok(KeyutilsKeystore {
            inner: KeyringKeystore::new(
                BackendKind::Keyutils,
                store,
                Listing::Index,
                UNAVAILABLE_HINT,
            ),
        })
    }
}

/// True when the session keyring is the process's own, not the user-session keyring that the
/// kernel falls back to (asked without creating anything).
fn has_own_session_keyring() -> bool {
    use linux_keyutils::{KeyRing, KeyRingIdentifier};
    match (
        KeyRing::from_special_id(KeyRingIdentifier::Session, false),
        KeyRing::from_special_id(KeyRingIdentifier::UserSession, false),
    ) {
        (Ok(session), Ok(user_session)) => session != user_session,
        // Whatever the kernel refuses here, the store's own calls report.
        _ => true,
    }
}

impl Keystore for KeyutilsKeystore {
    fn kind(&self) -> BackendKind {
        BackendKind::Keyutils
    }

    fn get(&self, item: &ItemName) -> Result<Option<Secret>, KeystoreError> {
        self.inner.get(item)
    }

    fn set(&self, item: &ItemName, document: &Secret) -> Result<(), KeystoreError> {
        self.inner.set(item, document)
    }

    fn delete(&self, item: &ItemName) -> Result<bool, KeystoreError> {
        self.inner.delete(item)
    }

    fn list(&self) -> Result<Vec<ItemName>, KeystoreError> {
        self.inner.list()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keystore::native::INDEX_ACCOUNT;
    use crate::keystore::test_support::{
        check_missing, check_overwrite, check_round_trip, require_session_keyring, unique,
    };
    use crate::keystore::{ItemKind, SERVICE};
    use std::process::Command;

    fn open(test: &str) -> Option<KeyutilsKeystore> {
        if !require_session_keyring(test) {
            return None;
        }
        Some(KeyutilsKeystore::open().expect("open the kernel keyring"))
    }

    #[test]
    fn round_trip_in_the_kernel_keyring() {
        if let Some(store) = open("round_trip_in_the_kernel_keyring") {
            check_round_trip(&store);
        }
    }

    #[test]
    fn overwrite_in_the_kernel_keyring() {
        if let Some(store) = open("overwrite_in_the_kernel_keyring") {
            check_overwrite(&store);
        }
    }

    #[test]
    fn missing_item_in_the_kernel_keyring() {
        if let Some(store) = open("missing_item_in_the_kernel_keyring") {
            check_missing(&store);
        }
    }

    #[test]
    fn items_are_user_keys_in_the_session_keyring() {
        let Some(store) = open("items_are_user_keys_in_the_session_keyring") else {
            return;
        };
        let name = ItemName::new(ItemKind::Key, unique("layout"));
        store.set(&name, &Secret::new("kernel document")).unwrap();
        let description = format!("keyring:{}@{SERVICE}", name.account());
        let out = Command::new("keyctl")
            .args(["search", "@s", "user", &description])
            .output()
            .expect("run keyctl");
        let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
        let payload = Command::new("keyctl")
            .args(["print", &id])
            .output()
            .expect("run keyctl");
        store.delete(&name).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&payload.stdout).trim(),
            "kernel document"
        );
    }

    #[test]
    fn list_skips_index_lines_whose_key_is_gone() {
        let Some(store) = open("list_skips_index_lines_whose_key_is_gone") else {
            return;
        };
        let name = ItemName::new(ItemKind::Session, unique("stale"));
        store.set(&name, &Secret::new("doc")).unwrap();
        assert!(store.list().unwrap().contains(&name));
        // Remove the key behind the index's back, as another process or a reboot would.
        let description = format!("keyring:{}@{SERVICE}", name.account());
        // keyctl says "purged 1 keys" on stdout: keep it out of the test output.
        let status = Command::new("keyctl")
            .args(["purge", "-s", "user", &description])
            .stdout(std::process::Stdio::null())
            .status()
            .expect("run keyctl");
        assert!(status.success());
        assert!(!store.list().unwrap().contains(&name));
        assert_eq!(store.get(&name).unwrap(), None);
        // The index entry itself is never listed as an item.
        assert!(store
            .list()
            .unwrap()
            .iter()
            .all(|n| n.account() != INDEX_ACCOUNT));
        assert!(!store.delete(&name).unwrap());
    }
}
