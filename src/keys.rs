//! What `add` and `remove` do apart from reading the key and printing: store a long-term key
//! (and check that the keystore kept it), drop every session made from the key it replaced or
//! removed, and store an OAuth login imported from the aliyun CLI's file, dropping the
//! sessions of the earlier one.

use crate::broker::Broker;
use crate::config::aliyun_cli::CliOAuthLogin;
use crate::credentials::forget::Selector;
use crate::keystore::items::{StoredKey, Vault};
use crate::keystore::KeystoreError;
use crate::secret::key_id_hint;
use crate::session::LongTermKey;

/// What storing a key did.
#[derive(Debug)]
pub struct KeyStored {
    /// A hint of the stored key's id (`****` and its last four characters).
    pub id: String,
    /// The key it replaced: `Some(Some(hint))`, `Some(None)` for a damaged item (replaced
    /// without being read), `None` when the profile had no key.
    pub replaced: Option<Option<String>>,
    /// Sessions made from the replaced key, dropped everywhere (agent and cache).
    pub sessions_dropped: usize,
}

/// The keystore said it stored the key, and then had none.
#[derive(Debug, thiserror::Error)]
#[error("the {backend} keystore did not keep the key")]
pub struct NotKept {
    pub backend: String,
}

/// Stores `key` as `profile`'s, reads it back, and when it replaced another key drops every
/// session made from the old one (in the running agent too), so that no channel serves them.
pub fn store_key(
    vault: &Vault,
    broker: &Broker<'_>,
    profile: &str,
    key: LongTermKey,
) -> anyhow::Result<KeyStored> {
    let replaced = match vault.key(profile) {
        Ok(k) => k.map(|k| Some(key_id_hint(&k.key.access_key_id))),
        Err(KeystoreError::Corrupt { .. }) => Some(None),
        Err(e) => return Err(e.into()),
    };
    vault.put_key(
        profile,
        &StoredKey {
            key,
            added_at: time::OffsetDateTime::now_utc(),
        },
    )?;
    let id = vault
        .key(profile)?
        .map(|k| key_id_hint(&k.key.access_key_id))
        .ok_or_else(|| NotKept {
            backend: vault.store().kind().to_string(),
        })?;
    let sessions_dropped = match replaced {
        Some(_) => broker.forget(vault, &made_from(profile))?,
        None => 0,
    };
    Ok(KeyStored {
        id,
        replaced,
        sessions_dropped,
    })
}

/// Stores an OAuth login imported from the aliyun CLI as `profile`'s and drops the sessions
/// of an earlier login. Returns how many sessions were dropped.
pub fn store_imported_login(
    vault: &Vault,
    broker: &Broker<'_>,
    profile: &str,
    login: &CliOAuthLogin,
) -> anyhow::Result<usize> {
    crate::credentials::oauth::store_imported(
        vault,
        profile,
        login.site,
        login.refresh_token.clone(),
        login.access_token.clone(),
        login.access_expires_at,
    )?;
    broker.forget(
        vault,
        &Selector::OAuthLogin {
            profile: Some(profile.to_string()),
        },
    )
}

/// Deletes `profile`'s stored key, then every session made from it (in the running agent
/// too), so that no channel serves a session of a removed key. The key goes first: if that
/// fails, nothing has changed. Returns how many sessions were dropped.
pub fn remove_key(vault: &Vault, broker: &Broker<'_>, profile: &str) -> anyhow::Result<usize> {
    vault.delete(&crate::keystore::ItemName::new(
        crate::keystore::ItemKind::Key,
        profile,
    ))?;
    broker.forget(vault, &made_from(profile))
}

/// Every session made from `profile`: its own and every chain through it.
pub fn made_from(profile: &str) -> Selector {
    Selector::MadeFrom {
        profile: profile.to_string(),
    }
}
