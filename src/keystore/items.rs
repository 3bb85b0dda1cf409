//! The documents stored in the keystore, each a small JSON object with a version number,
//! and [`Vault`], the typed view of a [`Keystore`] that the rest of the program uses.

use super::{ItemKind, ItemName, Keystore, KeystoreError};
use crate::secret::Secret;
use crate::session::{LongTermKey, Session};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// The version written into every document; readers refuse newer ones.
pub const DOCUMENT_VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
struct Document<T> {
    v: u32,
    #[serde(flatten)]
    body: T,
}

/// A profile's long-term key, as stored.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredKey {
    #[serde(flatten)]
    pub key: LongTermKey,
    #[serde(with = "time::serde::rfc3339")]
    pub added_at: OffsetDateTime,
}

/// A cached session, with the profile it belongs to (for `list --sessions` and `clear PROFILE`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredSession {
    pub profile: String,
    #[serde(flatten)]
    pub session: Session,
}

/// A CloudSSO access token, shared by every profile with the same sign-in URL.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredSsoToken {
    pub sign_in_url: String,
    pub access_token: Secret,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

/// An OAuth login of one profile: the refresh token that keeps it alive and the access token
/// of the moment.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredOAuthToken {
    /// `cn` or `intl`.
    pub site: String,
    pub refresh_token: Secret,
    pub access_token: Option<Secret>,
    #[serde(with = "time::serde::rfc3339::option", default)]
    pub access_expires_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    pub logged_in_at: OffsetDateTime,
}

/// The typed view of a keystore.
pub struct Vault {
    store: Box<dyn Keystore>,
}

impl Vault {
    pub fn new(store: Box<dyn Keystore>) -> Self {
        Vault { store }
    }

    pub fn store(&self) -> &dyn Keystore {
        self.store.as_ref()
    }

    /// Reads and decodes one document; a damaged or newer document is an error naming the item.
    pub fn read<T: DeserializeOwned>(&self, name: &ItemName) -> Result<Option<T>, KeystoreError> {
        let Some(text) = self.store.get(name)? else {
            return Ok(None);
        };
        let corrupt = |detail: String| KeystoreError::Corrupt {
            backend: self.store.kind(),
            item: name.account(),
            detail,
        };
        let doc: Document<T> = serde_json::from_str(text.expose())
            // serde_json's message can quote the input: keep only its position.
            .map_err(|e| {
                corrupt(format!(
                    "not a valid document at line {} column {}",
                    e.line(),
                    e.column()
                ))
            })?;
        if doc.v > DOCUMENT_VERSION {
            return Err(corrupt(format!(
                "written by a newer alicloud-vault (document version {}); upgrade alicloud-vault",
                doc.v
            )));
        }
        Ok(Some(doc.body))
    }

    /// Encodes and writes one document.
    pub fn write<T: Serialize>(&self, name: &ItemName, body: &T) -> Result<(), KeystoreError> {
        let doc = Document {
            v: DOCUMENT_VERSION,
            body,
        };
        let text =
            Secret::from(
                serde_json::to_string(&doc).map_err(|e| KeystoreError::Backend {
                    backend: self.store.kind(),
                    detail: format!("could not encode {}: {e}", name.account()),
                })?,
            );
        self.store.set(name, &text)
    }

    pub fn delete(&self, name: &ItemName) -> Result<bool, KeystoreError> {
        self.store.delete(name)
    }

    pub fn list(&self, kind: ItemKind) -> Result<Vec<ItemName>, KeystoreError> {
        let mut names: Vec<ItemName> = self
            .store
            .list()?
            .into_iter()
            .filter(|n| n.kind == kind)
            .collect();
        names.sort();
        names.dedup();
        Ok(names)
    }

    pub fn key(&self, profile: &str) -> Result<Option<StoredKey>, KeystoreError> {
        self.read(&ItemName::new(ItemKind::Key, profile))
    }

    /// Whether a key is stored for `profile`, counting a damaged item as stored: `remove`
    /// deletes and `add` replaces it without reading it.
    pub fn has_key(&self, profile: &str) -> Result<bool, KeystoreError> {
        match self.key(profile) {
            Ok(k) => Ok(k.is_some()),
            Err(KeystoreError::Corrupt { .. }) => Ok(true),
            Err(e) => Err(e),
        }
    }

    /// When the rotation whose record `rotation:PROFILE` holds began, if there is one (the
    /// record is `rotation`'s; this reads only its start, never the new key into a type).
    pub fn rotation_started_at(
        &self,
        profile: &str,
    ) -> Result<Option<OffsetDateTime>, KeystoreError> {
        #[derive(Deserialize)]
        struct Started {
            #[serde(with = "time::serde::rfc3339")]
            started_at: OffsetDateTime,
        }
        let started: Option<Started> = self.read(&ItemName::new(ItemKind::Rotation, profile))?;
        Ok(started.map(|s| s.started_at))
    }

    pub fn put_key(&self, profile: &str, key: &StoredKey) -> Result<(), KeystoreError> {
        self.write(&ItemName::new(ItemKind::Key, profile), key)
    }

    /// Profiles that have a stored long-term key, sorted.
    /// Whether a key (maybe a damaged one) is stored for `profile`, without a passphrase: a
    /// listed name, or an item that is there but damaged (listings leave those out; remove and
    /// add act on them). Asking for a missing or damaged item needs no passphrase on any
    /// backend, and a well-formed item is always listed.
    pub fn key_is_stored(&self, profile: &str) -> Result<bool, KeystoreError> {
        if self.profiles_with_keys()?.iter().any(|k| k == profile) {
            return Ok(true);
        }
        match self.store().get(&ItemName::new(ItemKind::Key, profile)) {
            Ok(found) => Ok(found.is_some()),
            Err(KeystoreError::Corrupt { .. }) => Ok(true),
            Err(e) => Err(e),
        }
    }

    pub fn profiles_with_keys(&self) -> Result<Vec<String>, KeystoreError> {
        Ok(self
            .list(ItemKind::Key)?
            .into_iter()
            .map(|n| n.key)
            .collect())
    }

    /// Every cached session with its item name.
    pub fn sessions(&self) -> Result<Vec<(ItemName, StoredSession)>, KeystoreError> {
        let mut out = Vec::new();
        for name in self.list(ItemKind::Session)? {
            if let Some(s) = self.read::<StoredSession>(&name)? {
                out.push((name, s));
            }
        }
        Ok(out)
    }
}
