//! The keystore: one trait, one file per backend. Nothing outside this module talks to a backend.
//!
//! Every item is a small versioned JSON document (see [`items`]) stored under a name made of its
//! kind and a key: `key:PROFILE` for a long-term AccessKey, `session:HASH` for a cached STS
//! session, `sso:HASH` for a CloudSSO access token. All calls are blocking; async code must call
//! them from `spawn_blocking` or a dedicated thread.

pub mod access;
pub mod file;
pub mod items;
pub mod migrate;
pub mod native;
mod parts;
#[cfg(unix)]
pub mod pass;

#[cfg(target_os = "linux")]
pub mod keyutils;
#[cfg(target_os = "linux")]
pub mod secret_service;

#[cfg(test)]
mod test_support;

use crate::secret::Secret;
use std::fmt;
use std::str::FromStr;

/// The service name every backend files our items under.
pub const SERVICE: &str = "alicloud-vault";

/// Which backend holds the items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BackendKind {
    /// D-Bus Secret Service (GNOME Keyring, KWallet, KeePassXC).
    SecretService,
    /// The Linux kernel keyring: per session, nothing on disk.
    Keyutils,
    /// The macOS login keychain.
    Keychain,
    /// The Windows Credential Manager.
    Wincred,
    /// Encrypted files, for machines without a keystore.
    File,
    /// The standard Unix password store (`pass`): GnuPG-encrypted files.
    Pass,
}

impl BackendKind {
    pub const ALL: [BackendKind; 6] = [
        BackendKind::SecretService,
        BackendKind::Keyutils,
        BackendKind::Keychain,
        BackendKind::Wincred,
        BackendKind::File,
        BackendKind::Pass,
    ];

    pub fn name(self) -> &'static str {
        match self {
            BackendKind::SecretService => "secret-service",
            BackendKind::Keyutils => "keyutils",
            BackendKind::Keychain => "keychain",
            BackendKind::Wincred => "wincred",
            BackendKind::File => "file",
            BackendKind::Pass => "pass",
        }
    }
}

impl fmt::Display for BackendKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for BackendKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        BackendKind::ALL
            .into_iter()
            .find(|k| k.name() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = BackendKind::ALL.iter().map(|k| k.name()).collect();
                format!("unknown backend `{s}`; choose one of: {}", names.join(", "))
            })
    }
}

/// The kinds of item the vault keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ItemKind {
    /// A profile's long-term AccessKey.
    Key,
    /// A cached STS session.
    Session,
    /// A CloudSSO access token.
    SsoToken,
    /// An OAuth login's refresh and access tokens.
    OAuthToken,
    /// The record of a key rotation in progress.
    Rotation,
}

impl ItemKind {
    /// Every kind, in the order `migrate` copies them. A new kind goes here, and every walk
    /// over the keystore (listing, `migrate`) covers it.
    pub const ALL: [ItemKind; 5] = [
        ItemKind::Key,
        ItemKind::Session,
        ItemKind::SsoToken,
        ItemKind::OAuthToken,
        ItemKind::Rotation,
    ];

    fn prefix(self) -> &'static str {
        match self {
            ItemKind::Key => "key",
            ItemKind::Session => "session",
            ItemKind::SsoToken => "sso",
            ItemKind::OAuthToken => "oauth",
            ItemKind::Rotation => "rotation",
        }
    }
}

/// The name of one item: its kind and a key (a profile name or a hash).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ItemName {
    pub kind: ItemKind,
    pub key: String,
}

impl ItemName {
    pub fn new(kind: ItemKind, key: impl Into<String>) -> Self {
        ItemName {
            kind,
            key: key.into(),
        }
    }

    /// The account/user string backends store the item under, e.g. `key:jonsmith`.
    pub fn account(&self) -> String {
        format!("{}:{}", self.kind.prefix(), self.key)
    }

    /// Parses what [`ItemName::account`] wrote; `None` for names that are not ours.
    pub fn parse_account(account: &str) -> Option<ItemName> {
        let (prefix, key) = account.split_once(':')?;
        let kind = ItemKind::ALL.into_iter().find(|k| k.prefix() == prefix)?;
        if key.is_empty() {
            return None;
        }
        Some(ItemName::new(kind, key))
    }
}

/// What can go wrong in a keystore. Every message says what to do next.
#[derive(Debug, thiserror::Error)]
pub enum KeystoreError {
    #[error("the {backend} keystore is not reachable: {detail}. {hint}")]
    Unavailable {
        backend: BackendKind,
        detail: String,
        hint: &'static str,
    },
    #[error("the {backend} keystore is locked: {detail}. Unlock it (log in to your desktop session, or unlock the keyring) and try again")]
    Locked {
        backend: BackendKind,
        detail: String,
    },
    #[error("the file keystore could not be decrypted: wrong passphrase. Set ALICLOUD_VAULT_FILE_PASSPHRASE to the passphrase the vault was created with, or type it at the prompt")]
    WrongPassphrase,
    #[error("the item `{item}` in the {backend} keystore is damaged ({detail}). {advice}", advice = repair_advice(item))]
    Corrupt {
        backend: BackendKind,
        item: String,
        detail: String,
    },
    /// The file keystore's header is damaged: no item of that folder can be read.
    #[error("the file keystore in {dir} cannot be opened: its {file} is damaged ({detail}). Without it no item there can be decrypted: restore {file} from a backup, or move the folder away (`mv {dir} {dir}.damaged`) and add your keys again")]
    DamagedVault {
        dir: std::path::PathBuf,
        file: &'static str,
        detail: String,
    },
    #[error("the {backend} keystore failed: {detail}")]
    Backend {
        backend: BackendKind,
        detail: String,
    },
    #[error("the {0} backend is not available on this platform. Choose another with --backend")]
    NotSupported(BackendKind),
    /// The file keystore needs a passphrase and has no way to get one.
    #[error("the file keystore needs a passphrase: {0}. Set ALICLOUD_VAULT_FILE_PASSPHRASE, or run alicloud-vault in a terminal so it can ask")]
    PassphraseUnavailable(String),
    /// The passphrase given for a file keystore cannot be used.
    #[error("the passphrase for the file keystore was refused: {0}. Run the command again with a non-empty passphrase (typed the same way twice when the vault is new)")]
    PassphraseRejected(String),
}

/// How to get rid of a damaged item, by its kind: a command that deletes it without reading it.
fn repair_advice(account: &str) -> String {
    match ItemName::parse_account(account) {
        Some(ItemName {
            kind: ItemKind::Key,
            key,
        }) => format!("Remove it with `alicloud-vault remove {key} --force`, or replace it with `alicloud-vault add {key}`"),
        Some(ItemName {
            kind: ItemKind::Session,
            ..
        }) => "It is a cached session, so nothing is lost: `alicloud-vault clear` removes it".into(),
        Some(ItemName {
            kind: ItemKind::SsoToken,
            ..
        }) => "It is a CloudSSO login: `alicloud-vault sso logout` removes it; then log in again".into(),
        Some(ItemName {
            kind: ItemKind::OAuthToken,
            key,
        }) => format!("It is an OAuth login: `alicloud-vault oauth logout {key}` removes it; then `alicloud-vault oauth login {key}`"),
        Some(ItemName {
            kind: ItemKind::Rotation,
            key,
        }) => format!("It is the record of an unfinished key rotation: `alicloud-vault remove {key} --force` removes it with the key; check the RAM user's AccessKeys in the console afterwards"),
        None => "Delete it with the keystore's own tools".into(),
    }
}

/// One store of secret items. Implementations are blocking.
pub trait Keystore: Send + Sync {
    /// Which backend this is.
    fn kind(&self) -> BackendKind;
    /// The item's JSON document, or `None` when there is no such item.
    fn get(&self, item: &ItemName) -> Result<Option<Secret>, KeystoreError>;
    /// Creates or replaces the item.
    fn set(&self, item: &ItemName, document: &Secret) -> Result<(), KeystoreError>;
    /// Deletes the item; `Ok(false)` when it was not there.
    fn delete(&self, item: &ItemName) -> Result<bool, KeystoreError>;
    /// The names of every item of ours in this store.
    fn list(&self) -> Result<Vec<ItemName>, KeystoreError>;
    /// Forgets whatever this process holds to unlock the store (the file backend's derived
    /// key), so that the next use needs the passphrase again. Backends the OS unlocks hold
    /// nothing of the kind.
    fn lock(&self) {}
}

/// Opens the backend to use. An explicit `choice` is used as is (a backend of another platform
/// gives [`KeystoreError::NotSupported`]); with `None` the platform default is detected:
///
/// - Linux/BSD: `secret-service` when `DBUS_SESSION_BUS_ADDRESS` is set and a Secret Service
///   answers on that bus (the connection made to find out is the one kept), else `file`;
/// - macOS: `keychain`; Windows: `wincred`; anything else: `file`.
///
/// Opening never prompts: the file keystore asks for its passphrase on first use.
/// Like every keystore call, this must not run on an async runtime worker thread.
pub fn open(choice: Option<BackendKind>) -> Result<Box<dyn Keystore>, KeystoreError> {
    match choice {
        Some(kind) => open_kind(kind),
        None => match platform_default() {
            Some(store) => Ok(store),
            None => Ok(Box::new(file::FileKeystore::from_env()?)),
        },
    }
}

/// The backend `open(None)` would use here and now.
pub fn default_kind() -> BackendKind {
    platform_default().map_or(BackendKind::File, |store| store.kind())
}

/// The platform's own keystore when it answers; `None` means the file keystore.
fn platform_default() -> Option<Box<dyn Keystore>> {
    #[cfg(target_os = "linux")]
    if secret_service::SecretServiceKeystore::session_bus_configured() {
        if let Ok(store) = secret_service::SecretServiceKeystore::connect() {
            return Some(Box::new(store));
        }
    }
    #[cfg(target_os = "macos")]
    if let Ok(store) = native::keychain() {
        return Some(Box::new(store));
    }
    #[cfg(target_os = "windows")]
    if let Ok(store) = native::wincred() {
        return Some(Box::new(store));
    }
    None
}

fn open_kind(kind: BackendKind) -> Result<Box<dyn Keystore>, KeystoreError> {
    match kind {
        BackendKind::File => Ok(Box::new(file::FileKeystore::from_env()?)),
        #[cfg(target_os = "linux")]
        BackendKind::SecretService => Ok(Box::new(
            secret_service::SecretServiceKeystore::connect_lazily()?,
        )),
        #[cfg(target_os = "linux")]
        BackendKind::Keyutils => Ok(Box::new(keyutils::KeyutilsKeystore::open()?)),
        #[cfg(target_os = "macos")]
        BackendKind::Keychain => Ok(Box::new(native::keychain()?)),
        #[cfg(target_os = "windows")]
        BackendKind::Wincred => Ok(Box::new(native::wincred()?)),
        #[cfg(unix)]
        BackendKind::Pass => Ok(Box::new(pass::PassKeystore::from_env()?)),
        #[allow(unreachable_patterns)]
        other => Err(KeystoreError::NotSupported(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backends_of_other_platforms_are_not_supported() {
        #[cfg(not(target_os = "macos"))]
        assert!(matches!(
            open(Some(BackendKind::Keychain)).err(),
            Some(KeystoreError::NotSupported(BackendKind::Keychain))
        ));
        #[cfg(not(target_os = "windows"))]
        assert!(matches!(
            open(Some(BackendKind::Wincred)).err(),
            Some(KeystoreError::NotSupported(BackendKind::Wincred))
        ));
        assert_eq!(
            KeystoreError::NotSupported(BackendKind::Keychain).to_string(),
            "the keychain backend is not available on this platform. Choose another with --backend"
        );
    }

    #[test]
    fn an_explicit_file_choice_opens_the_file_backend_without_prompting() {
        assert_eq!(
            open(Some(BackendKind::File)).unwrap().kind(),
            BackendKind::File
        );
    }
}
