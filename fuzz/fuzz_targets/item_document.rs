//! The keystore item documents (`keystore/items.rs`): whatever a backend returns for an item
//! (a tampered or damaged secret-service entry, kernel key or decrypted file) decodes as a key,
//! a session, an SSO token, an OAuth login or a rotation record, or is a `KeystoreError`, never a panic.
//! Input: the document as the backend would return it.
#![no_main]

use alicloud_vault::keystore::items::{
    StoredKey, StoredOAuthToken, StoredSession, StoredSsoToken, Vault,
};
use alicloud_vault::keystore::{BackendKind, ItemKind, ItemName, Keystore, KeystoreError};
use alicloud_vault::secret::Secret;
use libfuzzer_sys::fuzz_target;
use std::sync::Mutex;

/// A backend that holds one document and answers it for every item.
struct OneDocument(Mutex<Option<String>>);

impl Keystore for OneDocument {
    fn kind(&self) -> BackendKind {
        BackendKind::File
    }
    fn get(&self, _: &ItemName) -> Result<Option<Secret>, KeystoreError> {
        Ok(self.0.lock().unwrap().clone().map(Secret::from))
    }
    fn set(&self, _: &ItemName, _: &Secret) -> Result<(), KeystoreError> {
        Ok(())
    }
    fn delete(&self, _: &ItemName) -> Result<bool, KeystoreError> {
        Ok(true)
    }
    fn list(&self) -> Result<Vec<ItemName>, KeystoreError> {
        Ok(vec![
            ItemName::new(ItemKind::Key, "base"),
            ItemName::new(ItemKind::Session, "0123456789abcdef"),
        ])
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let vault = Vault::new(Box::new(OneDocument(Mutex::new(Some(text.to_string())))));
    let _ = vault.key("base");
    let _ = vault.has_key("base");
    let _ = vault.sessions();
    let _ = vault.read::<StoredKey>(&ItemName::new(ItemKind::Key, "base"));
    let _ = vault.read::<StoredSession>(&ItemName::new(ItemKind::Session, "x"));
    let _ = vault.read::<StoredSsoToken>(&ItemName::new(ItemKind::SsoToken, "x"));
    let _ = vault.read::<StoredOAuthToken>(&ItemName::new(ItemKind::OAuthToken, "me"));
    let _ = vault.read::<serde_json::Value>(&ItemName::new(ItemKind::Rotation, "base"));
    if let Err(e) = vault.key("base") {
        // The message names the item and its position, never the document's content.
        let shown = e.to_string();
        if text.len() >= 24 && !text.contains("key:base") {
            assert!(!shown.contains(text), "the document is echoed: {shown}");
        }
    }
});
