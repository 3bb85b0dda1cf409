//! The keystore as async code reaches it: every call runs on tokio's blocking pool
//! (`spawn_blocking`), never on a thread that drives tasks. Keystore backends block (a D-Bus
//! round trip, a `pass` child, Argon2id for the file backend's first unlock), and some run a
//! small tokio runtime of their own, which would panic on a runtime's worker thread.
//!
//! Also the idle clock behind `[agent] lock_after`: the time of the last call, and the lock.

use super::items::Vault;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// A keystore call that ended without an answer: it panicked, or the runtime was shutting
/// down.
#[derive(Debug, Clone, thiserror::Error)]
#[error("the keystore call ended without an answer ({0})")]
pub struct JobLost(&'static str);

/// The vault, shared by the tasks that use it, and when it was last used. Clones share both.
#[derive(Clone)]
pub struct KeystoreAccess {
    vault: Arc<Vault>,
    /// Unix time of the last keystore call (0: none since the last lock).
    last_used: Arc<AtomicI64>,
    /// Run on the blocking thread after each call (the agent hands freed heap back).
    after_each: Option<fn()>,
}

impl KeystoreAccess {
    pub fn new(vault: Arc<Vault>) -> KeystoreAccess {
        KeystoreAccess {
            vault,
            last_used: Arc::new(AtomicI64::new(0)),
            after_each: None,
        }
    }

    /// Runs `f` on the blocking thread after each call.
    pub fn after_each(mut self, f: fn()) -> KeystoreAccess {
        self.after_each = Some(f);
        self
    }

    /// The vault itself, for code that is not async (a CLI command before its runtime).
    pub fn vault(&self) -> &Vault {
        &self.vault
    }

    /// The backend's name (`file`, `secret-service`, ...).
    pub fn backend(&self) -> String {
        self.vault.store().kind().to_string()
    }

    /// Forgets what unlocks the keystore once it has not been used for `idle`: the file
    /// backend's derived key (`[agent] lock_after`). Returns true when it locked it now.
    pub fn lock_if_idle(&self, idle: Duration, now: i64) -> bool {
        let last = self.last_used.load(Ordering::Relaxed);
        if last == 0 || now - last < idle.as_secs() as i64 {
            return false;
        }
        self.last_used.store(0, Ordering::Relaxed);
        self.vault.store().lock();
        true
    }

    /// Runs one keystore call on the blocking pool and waits for it without blocking the
    /// runtime.
    pub async fn run<T, F>(&self, f: F) -> Result<T, JobLost>
    where
        F: FnOnce(&Vault) -> T + Send + 'static,
        T: Send + 'static,
    {
        let vault = self.vault.clone();
        let last_used = self.last_used.clone();
        let after_each = self.after_each;
        tokio::task::spawn_blocking(move || {
            let result = f(&vault);
            last_used.store(
                time::OffsetDateTime::now_utc().unix_timestamp(),
                Ordering::Relaxed,
            );
            drop(vault);
            if let Some(after) = after_each {
                after();
            }
            result
        })
        .await
        // A panic's message is not repeated: it could quote what the call was handling.
        .map_err(|e| {
            JobLost(if e.is_panic() {
                "it panicked"
            } else {
                "the agent is stopping"
            })
        })
    }
}
