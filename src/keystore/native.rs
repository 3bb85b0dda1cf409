//! One adapter from a keyring-core credential store to [`Keystore`], shared by the
//! `secret-service`, `keyutils`, `keychain` and `wincred` backends.
//!
//! Every item is a keyring entry with service [`SERVICE`] and user [`ItemName::account`].
//! Stores that can search (Secret Service, macOS Keychain) list our items with a search on the
//! service; stores that cannot (kernel keyring, Windows Credential Manager) keep an index: one
//! more entry, user [`INDEX_ACCOUNT`], holding the accounts one per line.

use super::{parts, BackendKind, ItemName, Keystore, KeystoreError, SERVICE};
use crate::secret::Secret;
use keyring_core::api::CredentialStore;
use keyring_core::{Entry, Error as KeyringError};
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

/// The user name of the index entry in stores that cannot search. It has no `:`, so
/// [`ItemName::parse_account`] never takes it for an item.
pub const INDEX_ACCOUNT: &str = "index";

/// How a store enumerates our items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Listing {
    /// The store searches by attribute: entries whose `attribute` equals [`SERVICE`].
    #[cfg_attr(windows, allow(dead_code))] // only the Windows store cannot search
    Search { attribute: &'static str },
    /// The store cannot search: an index entry lists the accounts.
    Index,
}

/// A [`Keystore`] over a keyring-core credential store.
pub struct KeyringKeystore {
    kind: BackendKind,
    store: Arc<CredentialStore>,
    listing: Listing,
    /// Shown when the store refuses access for a reason other than a lock.
    unavailable_hint: &'static str,
    /// Serialises this process's read-modify-write of the index entry.
    index_lock: Mutex<()>,
    /// The most UTF-16 units one entry holds, where the store has a small limit (Windows):
    /// larger documents go into parts (`parts.rs`).
    max_units: Option<usize>,
}

impl KeyringKeystore {
    pub(crate) fn new(
        kind: BackendKind,
        store: Arc<CredentialStore>,
        listing: Listing,
        unavailable_hint: &'static str,
    ) -> Self {
        KeyringKeystore {
            kind,
            store,
            listing,
            unavailable_hint,
            index_lock: Mutex::new(()),
            max_units: None,
        }
    }

    /// Stores documents longer than `units` UTF-16 units in parts.
    #[cfg_attr(not(windows), allow(dead_code))] // only the Windows store has a small limit
    pub(crate) fn with_value_limit(mut self, units: usize) -> Self {
        self.max_units = Some(units);
        self
    }

    /// Where the document of `account` is in parts, the header that says so.
    fn parts_header(&self, account: &str) -> Result<Option<parts::Header>, KeystoreError> {
        if self.max_units.is_none() {
            return Ok(None);
        }
        match self.entry(account)?.get_password() {
            Ok(mut v) => {
                let h = parts::Header::parse(&v);
                zeroize::Zeroize::zeroize(&mut v);
                Ok(h)
            }
            Err(KeyringError::NoEntry) => Ok(None),
            Err(e) => Err(self.map_error(e, account)),
        }
    }

    fn delete_parts(&self, account: &str, header: &parts::Header) -> Result<(), KeystoreError> {
        for i in 1..=header.count {
            let part = header.part_account(account, i);
            match self.entry(&part)?.delete_credential() {
                Ok(()) | Err(KeyringError::NoEntry) => {}
                Err(e) => return Err(self.map_error(e, &part)),
            }
        }
        Ok(())
    }

    /// Reads a document stored in parts.
    fn get_parts(&self, account: &str, header: &parts::Header) -> Result<Secret, KeystoreError> {
        let mut values = Vec::with_capacity(header.count);
        for i in 1..=header.count {
            let part = header.part_account(account, i);
            match self.entry(&part)?.get_password() {
                Ok(v) => values.push(zeroize::Zeroizing::new(v)),
                Err(KeyringError::NoEntry) => {
                    return Err(KeystoreError::Corrupt {
                        backend: self.kind,
                        item: account.to_string(),
                        detail: format!("its part {part} is missing; store the item again"),
                    })
                }
                Err(e) => return Err(self.map_error(e, &part)),
            }
        }
        let values: Vec<&str> = values.iter().map(|v| v.as_str()).collect();
        parts::join(header, &values)
            .map(Secret::from)
            .map_err(|detail| KeystoreError::Corrupt {
                backend: self.kind,
                item: account.to_string(),
                detail,
            })
    }

    fn entry(&self, account: &str) -> Result<Entry, KeystoreError> {
        self.store
            .build(SERVICE, account, None)
            .map_err(|e| self.map_error(e, account))
    }

    /// Turns a keyring-core error into ours. Never formats the error with `{:?}`: some
    /// variants carry the bytes of a secret.
    pub(crate) fn map_error(&self, err: KeyringError, account: &str) -> KeystoreError {
        let backend = self.kind;
        match err {
            KeyringError::NoStorageAccess(e) => {
                if backend == BackendKind::SecretService {
                    KeystoreError::Locked {
                        backend,
                        detail: e.to_string(),
                    }
                } else {
                    KeystoreError::Unavailable {
                        backend,
                        detail: e.to_string(),
                        hint: self.unavailable_hint,
                    }
                }
            }
            KeyringError::PlatformFailure(e) => {
                let detail = e.to_string();
                if is_service_gone(&detail) {
                    KeystoreError::Unavailable {
                        backend,
                        detail,
                        hint: self.unavailable_hint,
                    }
                } else {
                    KeystoreError::Backend { backend, detail }
                }
            }
            KeyringError::BadEncoding(_) => KeystoreError::Corrupt {
                backend,
                item: account.to_string(),
                detail: "the stored value is not valid UTF-8".to_string(),
            },
            KeyringError::BadDataFormat(_, e) => KeystoreError::Corrupt {
                backend,
                item: account.to_string(),
                detail: e.to_string(),
            },
            KeyringError::Ambiguous(entries) => KeystoreError::Backend {
                backend,
                detail: format!(
                    "{} entries match service `{SERVICE}` and user `{account}`; delete the extra ones with your keyring's manager (e.g. seahorse or secret-tool)",
                    entries.len()
                ),
            },
            other => KeystoreError::Backend {
                backend,
                detail: format!("{account}: {other}"),
            },
        }
    }

    fn read_index(&self) -> Result<BTreeSet<String>, KeystoreError> {
        let entry = self.entry(INDEX_ACCOUNT)?;
        match entry.get_password() {
            Ok(text) => Ok(text
                .lines()
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect()),
            Err(KeyringError::NoEntry) => Ok(BTreeSet::new()),
            Err(e) => Err(self.map_error(e, INDEX_ACCOUNT)),
        }
    }

    fn update_index(
        &self,
        change: impl FnOnce(&mut BTreeSet<String>),
    ) -> Result<(), KeystoreError> {
        // A poisoned lock only means another thread panicked mid-update; the index entry
        // itself is always whole, so carry on.
        let _guard = self.index_lock.lock().unwrap_or_else(|p| p.into_inner());
        let before = self.read_index()?;
        let mut after = before.clone();
        change(&mut after);
        if after == before {
            return Ok(());
        }
        let entry = self.entry(INDEX_ACCOUNT)?;
        if after.is_empty() {
            return match entry.delete_credential() {
                Ok(()) | Err(KeyringError::NoEntry) => Ok(()),
                Err(e) => Err(self.map_error(e, INDEX_ACCOUNT)),
            };
        }
        let text: Vec<&str> = after.iter().map(String::as_str).collect();
        entry
            .set_password(&text.join("\n"))
            .map_err(|e| self.map_error(e, INDEX_ACCOUNT))
    }

    fn exists(&self, account: &str) -> Result<bool, KeystoreError> {
        match self.entry(account)?.get_credential() {
            Ok(_) => Ok(true),
            Err(KeyringError::NoEntry) => Ok(false),
            Err(e) => Err(self.map_error(e, account)),
        }
    }
}

/// D-Bus errors that mean the keystore process is not there (any more).
pub(crate) fn is_service_gone(detail: &str) -> bool {
    [
        "org.freedesktop.DBus.Error.ServiceUnknown",
        "org.freedesktop.DBus.Error.NameHasNoOwner",
        "org.freedesktop.DBus.Error.NoReply",
        "org.freedesktop.DBus.Error.Disconnected",
    ]
    .iter()
    .any(|name| detail.contains(name))
}

impl Keystore for KeyringKeystore {
    fn kind(&self) -> BackendKind {
        self.kind
    }

    fn get(&self, item: &ItemName) -> Result<Option<Secret>, KeystoreError> {
        let account = item.account();
        match self.entry(&account)?.get_password() {
            Ok(mut text) if self.max_units.is_some() && text.starts_with(parts::HEADER) => {
                let header = parts::Header::parse(&text);
                zeroize::Zeroize::zeroize(&mut text);
                match header {
                    Some(h) => self.get_parts(&account, &h).map(Some),
                    None => Err(KeystoreError::Corrupt {
                        backend: self.kind,
                        item: account,
                        detail: "its header of parts cannot be read; store the item again".into(),
                    }),
                }
            }
            Ok(text) => Ok(Some(Secret::from(text))),
            Err(KeyringError::NoEntry) => Ok(None),
            Err(e) => Err(self.map_error(e, &account)),
        }
    }

    fn set(&self, item: &ItemName, document: &Secret) -> Result<(), KeystoreError> {
        let account = item.account();
        let entry = self.entry(&account)?;
        // Index first: a crash between the two leaves a stale index line, which `list`
        // filters out, never an item that `list` cannot see.
        if self.listing == Listing::Index {
            self.update_index(|ix| {
                ix.insert(account.clone());
            })?;
        }
        let Some(max_units) = self.max_units else {
            return entry
                .set_password(document.expose())
                .map_err(|e| self.map_error(e, &account));
        };
        let old = self.parts_header(&account)?;
        let generation = format!("{:08x}", rand::random::<u32>());
        let layout = parts::layout(document.expose(), max_units, &generation).map_err(|e| {
            KeystoreError::Backend {
                backend: self.kind,
                detail: format!("{account}: {e}"),
            }
        })?;
        match layout {
            parts::Layout::Whole => entry
                .set_password(document.expose())
                .map_err(|e| self.map_error(e, &account))?,
            parts::Layout::Parts(header, values) => {
                for (i, value) in values.iter().enumerate() {
                    let part = header.part_account(&account, i + 1);
                    self.entry(&part)?
                        .set_password(value)
                        .map_err(|e| self.map_error(e, &part))?;
                }
                entry
                    .set_password(&header.text())
                    .map_err(|e| self.map_error(e, &account))?;
            }
        }
        match old {
            Some(h) => self.delete_parts(&account, &h),
            None => Ok(()),
        }
    }

    fn delete(&self, item: &ItemName) -> Result<bool, KeystoreError> {
        let account = item.account();
        if let Some(h) = self.parts_header(&account)? {
            self.delete_parts(&account, &h)?;
        }
        let existed = match self.entry(&account)?.delete_credential() {
            Ok(()) => true,
            Err(KeyringError::NoEntry) => false,
            Err(e) => return Err(self.map_error(e, &account)),
        };
        if self.listing == Listing::Index {
            self.update_index(|ix| {
                ix.remove(&account);
            })?;
        }
        Ok(existed)
    }

    fn list(&self) -> Result<Vec<ItemName>, KeystoreError> {
        let mut names = Vec::new();
        match self.listing {
            Listing::Search { attribute } => {
                let spec = HashMap::from([(attribute, SERVICE)]);
                let entries = self
                    .store
                    .search(&spec)
                    .map_err(|e| self.map_error(e, SERVICE))?;
                for entry in entries {
                    if let Some((service, account)) = entry.get_specifiers() {
                        if service == SERVICE {
                            names.extend(ItemName::parse_account(&account));
                        }
                    }
                }
            }
            Listing::Index => {
                for account in self.read_index()? {
                    if let Some(name) = ItemName::parse_account(&account) {
                        if self.exists(&account)? {
                            names.push(name);
                        }
                    }
                }
            }
        }
        names.sort();
        names.dedup();
        Ok(names)
    }
}

/// The macOS login keychain (generic passwords, service `alicloud-vault`).
#[cfg(target_os = "macos")]
pub fn keychain() -> Result<KeyringKeystore, KeystoreError> {
    const HINT: &str =
        "Unlock the login keychain (Keychain Access) or choose another backend with --backend file";
    let store = apple_native_keyring_store::keychain::Store::new().map_err(|e| {
        KeystoreError::Unavailable {
            backend: BackendKind::Keychain,
            detail: e.to_string(),
            hint: HINT,
        }
    })?;
    Ok(KeyringKeystore::new(
        BackendKind::Keychain,
        store,
        Listing::Search {
            attribute: "service",
        },
        HINT,
    ))
}

/// The Windows Credential Manager (generic credentials `ACCOUNT.alicloud-vault`).
#[cfg(target_os = "windows")]
pub fn wincred() -> Result<KeyringKeystore, KeystoreError> {
    const HINT: &str =
        "Check that the Credential Manager service runs, or choose another backend with --backend file";
    let store =
        windows_native_keyring_store::Store::new().map_err(|e| KeystoreError::Unavailable {
            backend: BackendKind::Wincred,
            detail: e.to_string(),
            hint: HINT,
        })?;
    Ok(
        KeyringKeystore::new(BackendKind::Wincred, store, Listing::Index, HINT)
            .with_value_limit(parts::WINCRED_MAX_UNITS),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keystore::test_support::{check_missing, check_overwrite, check_round_trip};

    fn mock(kind: BackendKind, listing: Listing) -> KeyringKeystore {
        KeyringKeystore::new(
            kind,
            keyring_core::mock::Store::new().unwrap(),
            listing,
            "the hint",
        )
    }

    #[test]
    fn index_listing_round_trips_over_a_store_that_cannot_search() {
        let store = mock(BackendKind::Keyutils, Listing::Index);
        check_round_trip(&store);
        check_overwrite(&store);
        check_missing(&store);
    }

    #[test]
    fn documents_over_the_entry_limit_are_stored_in_parts_and_cleaned_up() {
        let store = mock(BackendKind::Wincred, Listing::Index).with_value_limit(16);
        check_round_trip(&store);
        check_overwrite(&store);
        check_missing(&store);
        let item = ItemName::new(crate::keystore::ItemKind::Session, "big");
        let account = item.account();
        let long = Secret::new(format!("{{\"SecurityToken\":\"{}\"}}", "t".repeat(100)));
        store.set(&item, &long).unwrap();
        assert_eq!(store.get(&item).unwrap().as_ref(), Some(&long));
        let raw = store.entry(&account).unwrap().get_password().unwrap();
        let first = parts::Header::parse(&raw).expect("a header in the item's entry");
        assert_eq!(first.count, long.len().div_ceil(16));
        // A new write replaces every part of the old one; a short document is whole again.
        store.set(&item, &Secret::new("{\"short\":1}")).unwrap();
        assert_eq!(store.get(&item).unwrap().unwrap().expose(), "{\"short\":1}");
        let part = |h: &parts::Header, i| store.entry(&h.part_account(&account, i)).unwrap();
        assert!(matches!(
            part(&first, 1).get_password(),
            Err(KeyringError::NoEntry)
        ));
        store.set(&item, &long).unwrap();
        let second =
            parts::Header::parse(&store.entry(&account).unwrap().get_password().unwrap()).unwrap();
        assert!(store.delete(&item).unwrap());
        for i in 1..=second.count {
            assert!(matches!(
                part(&second, i).get_password(),
                Err(KeyringError::NoEntry)
            ));
        }
        assert_eq!(store.get(&item).unwrap(), None);
        assert_eq!(store.list().unwrap(), Vec::<ItemName>::new());
    }

    #[test]
    fn a_missing_part_is_a_corrupt_item_and_a_huge_one_is_refused() {
        let store = mock(BackendKind::Wincred, Listing::Index).with_value_limit(4);
        let item = ItemName::new(crate::keystore::ItemKind::Session, "p");
        store.set(&item, &Secret::new("0123456789")).unwrap();
        let h = parts::Header::parse(
            &store
                .entry(&item.account())
                .unwrap()
                .get_password()
                .unwrap(),
        )
        .unwrap();
        store
            .entry(&h.part_account(&item.account(), 2))
            .unwrap()
            .delete_credential()
            .unwrap();
        assert!(matches!(
            store.get(&item),
            Err(KeystoreError::Corrupt { .. })
        ));
        let err = store
            .set(&item, &Secret::new("x".repeat(4 * 33)))
            .unwrap_err();
        assert!(err.to_string().contains("--backend file"), "{err}");
    }

    #[test]
    fn no_storage_access_is_locked_for_secret_service_and_unavailable_elsewhere() {
        let denied = || KeyringError::NoStorageAccess("denied".into());
        let ss = mock(BackendKind::SecretService, Listing::Index);
        assert!(matches!(
            ss.map_error(denied(), "key:a"),
            KeystoreError::Locked { backend: BackendKind::SecretService, ref detail } if detail == "denied"
        ));
        let ku = mock(BackendKind::Keyutils, Listing::Index);
        assert!(matches!(
            ku.map_error(denied(), "key:a"),
            KeystoreError::Unavailable {
                backend: BackendKind::Keyutils,
                hint: "the hint",
                ..
            }
        ));
    }

    #[test]
    fn bad_encoding_names_the_item_but_not_the_bytes() {
        let store = mock(BackendKind::SecretService, Listing::Index);
        let err = store.map_error(
            KeyringError::BadEncoding(b"SECRETBYTES\xff".to_vec()),
            "key:a",
        );
        let shown = format!("{err} {err:?}");
        assert!(shown.contains("key:a"), "{shown}");
        assert!(!shown.contains("SECRETBYTES"), "{shown}");
    }
}
