//! Key rotation: replace a stored long-term AccessKey with a new one made through RAM
//! (`alicloud-vault rotate PROFILE`; the command only parses and prints).
//!
//! Order (docs/protocols.md, Rotate order), chosen so that at every moment the keystore holds a key that works:
//! 1. GetCallerIdentity with the old key (who it is; the user name for RAM);
//! 2. ListAccessKeys: with two keys already, stop and name the other one;
//! 3. CreateAccessKey signed by the old key;
//! 4. write a rotation record (`rotation:PROFILE`: the new key and the step reached);
//! 5. GetCallerIdentity signed by the new key, retried until it is accepted or the bound runs
//!    out; same AccountId and Arn as the old key. On failure DeleteAccessKey(new), signed by old;
//! 6. store the new key (one item write); 7. drop sessions made from the old key;
//! 8. DeleteAccessKey(old) signed by the new key (unknown key = already gone);
//! 9. GetCallerIdentity with the new key again; delete the record.
//!
//! A rotation cut short (crash, Ctrl-C, lost network) leaves the record behind. The next
//! `rotate` finishes it when the keystore already holds the new key (steps 7-9) and rolls it
//! back (deletes the unused new key) when it still holds the old one, then rotates afresh.

use crate::aliyun::ram::{self, AccessKeyInfo, RamClient};
use crate::aliyun::rpc::{RemoteError, RetryPolicy};
use crate::aliyun::sts::{CallerIdentity, StsClient};
use crate::broker::Broker;
use crate::config::Config;
use crate::config::{ProfileName, Service};
use crate::credentials::forget::Selector;
use crate::credentials::plan::{Plan, PlanOptions, SourceCredentials};
use crate::credentials::resolve::CredentialsError;
use crate::exit_codes;
use crate::keystore::items::{StoredKey, Vault};
use crate::keystore::{ItemKind, ItemName};
use crate::secret::key_id_hint;
use crate::session::{Issued, LongTermKey};
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};
use time::OffsetDateTime;

/// Test-only: abort the process right after a step (`created` or `stored`), to test recovery.
pub const CRASH_AFTER_VAR: &str = "ALICLOUD_VAULT_TEST_CRASH_AFTER";
/// How long to wait for STS to accept a new key, unless `--verify-timeout` says otherwise.
pub const DEFAULT_VERIFY_TIMEOUT: Duration = Duration::from_secs(60);

/// Why a rotation stopped. Every message says what is left and what to do.
#[derive(Debug, thiserror::Error)]
pub enum RotateError {
    #[error("profile {profile} uses the key of aliyun CLI profile {owner} from {file} (the aliyun CLI's own file), which alicloud-vault does not manage. Rotate it with the aliyun CLI, or store it in the keystore with `alicloud-vault add {owner}` and rotate then")]
    InlineKey {
        profile: String,
        owner: String,
        file: String,
    },
    #[error("profile {profile} gets its credentials from CloudSSO, OIDC or OAuth ({owner}); there is no long-term key to rotate")]
    Sso { profile: String, owner: String },
    #[error("the key {key} of profile {profile} belongs to the Alibaba Cloud account itself ({arn}), not to a RAM user; RAM cannot rotate it. Rotate it in the console, or set ram_user_name if it is a RAM user's key")]
    AccountKey {
        profile: String,
        key: String,
        arn: String,
    },
    #[error("the stored key {key} of profile {profile} is not among the AccessKeys of RAM user {user} ({listed}); check ram_user_name in the profile. Nothing was changed")]
    NotUsersKey {
        profile: String,
        key: String,
        user: String,
        listed: String,
    },
    #[error("RAM user {user} has {count} AccessKey(s) and RAM allows no more ({listed}; at most 2 per user). Delete (or first disable, then delete) {other} in the RAM console, then run `alicloud-vault rotate {profile}` again. Nothing was changed")]
    KeyLimit {
        profile: String,
        user: String,
        count: usize,
        listed: String,
        other: String,
    },
    #[error("STS did not accept the new key {new} as the same identity within {waited_s} s ({reason}); {cleanup}. The keystore still holds the old key {old} for profile {profile}. Retry later, or with a longer --verify-timeout")]
    NotAccepted {
        profile: String,
        new: String,
        old: String,
        waited_s: u64,
        reason: String,
        cleanup: String,
    },
    #[error("the new key {new} is stored for profile {profile} and works, but the old key {old} of {user} could not be deleted. Run `alicloud-vault rotate {profile}` again to finish (it deletes {old}), or delete {old} in the RAM console")]
    OldKeyLeft {
        profile: String,
        new: String,
        old: String,
        user: String,
        #[source]
        source: RemoteError,
    },
}

impl RotateError {
    /// The exit code: 1 for profiles that cannot be rotated, 3 for what RAM or STS said.
    pub fn exit_code(&self) -> i32 {
        match self {
            RotateError::InlineKey { .. }
            | RotateError::Sso { .. }
            | RotateError::AccountKey { .. }
            | RotateError::NotUsersKey { .. } => exit_codes::USAGE_OR_CONFIG,
            RotateError::KeyLimit { .. }
            | RotateError::NotAccepted { .. }
            | RotateError::OldKeyLeft { .. } => exit_codes::REMOTE,
        }
    }
}

/// The step a rotation had reached when its record was last written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Step {
    /// The new key exists in RAM; the keystore still holds the old one.
    Created,
    /// The keystore holds the new key; the old one may still exist in RAM.
    Stored,
}

/// `rotation:PROFILE`: what a rotation in progress needs to be finished or rolled back.
/// The new secret lives only here (inside the keystore) until the new key is stored.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct RotationRecord {
    profile: String,
    old_access_key_id: String,
    new_key: LongTermKey,
    user_name: Option<String>,
    step: Step,
    #[serde(with = "time::serde::rfc3339")]
    started_at: OffsetDateTime,
}

/// A rotation of one profile's stored key, ready to run.
pub struct Rotation<'a> {
    broker: &'a Broker<'a>,
    /// Where progress lines go (the command prints them on stderr).
    report: &'a dyn Fn(&str),
    vault: Vault,
    /// The profile whose stored key is rotated.
    profile: String,
    ram: RamClient,
    sts: StsClient,
    rt: tokio::runtime::Runtime,
    verify_timeout: Duration,
    /// `ram_user_name` of the profile that owns the key.
    owner_user: Option<String>,
}

fn crash_point(step: &str) {
    if std::env::var(CRASH_AFTER_VAR).is_ok_and(|v| v == step) {
        crate::note!("{CRASH_AFTER_VAR}={step}: aborting on purpose (test knob)");
        std::process::abort();
    }
}

fn describe_keys(keys: &[AccessKeyInfo], current: &str) -> String {
    keys.iter()
        .map(|k| {
            let mine = if k.access_key_id == current {
                ", this profile's key"
            } else {
                ""
            };
            format!("{} ({}{mine})", key_id_hint(&k.access_key_id), k.status)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn user_label(user: Option<&str>) -> String {
    match user {
        Some(u) => format!("RAM user {u}"),
        None => "the calling RAM user".to_string(),
    }
}

impl<'a> Rotation<'a> {
    /// Prepares the rotation of the key behind `profile` (the stored key its chain starts
    /// from). Profiles whose key the vault does not manage are refused here.
    pub fn prepare(
        config: &Config,
        broker: &'a Broker<'a>,
        vault: Vault,
        asked: &ProfileName,
        verify_timeout: Duration,
        report: &'a dyn Fn(&str),
    ) -> anyhow::Result<Rotation<'a>> {
        let plan = Plan::build(config, asked, &PlanOptions::default())?;
        let owner = match &plan.source {
            SourceCredentials::StoredKey { profile } => profile.clone(),
            SourceCredentials::InlineKey { profile, .. } => {
                let file = match config.profile(profile).map(|p| &p.origin) {
                    Some(crate::config::Origin::AliyunCli { file }) => file.display().to_string(),
                    _ => "~/.aliyun/config.json".to_string(),
                };
                return Err(RotateError::InlineKey {
                    profile: asked.to_string(),
                    owner: profile.clone(),
                    file,
                }
                .into());
            }
            SourceCredentials::Sso { profile, .. }
            | SourceCredentials::Oidc { profile, .. }
            | SourceCredentials::OAuth { profile, .. } => {
                return Err(RotateError::Sso {
                    profile: asked.to_string(),
                    owner: profile.clone(),
                }
                .into())
            }
        };
        if owner != asked.as_str() {
            report(&format!(
                "Profile {asked} gets its credentials from the key of profile {owner}: rotating that key"
            ));
        }
        let owner_profile = config.profile_or_key_only(&owner)?;
        let ram_endpoint = config
            .endpoint(&owner_profile, Service::Ram)?
            .unwrap_or_else(|| ram::DEFAULT_RAM_ENDPOINT.to_string());
        let sts_endpoint = match config.endpoint(&owner_profile, Service::Sts)? {
            Some(e) => e,
            None => StsClient::default_endpoint(config.region(&owner_profile).as_deref()),
        };
        let pool = crate::aliyun::http::HttpPool::new()?;
        Ok(Rotation {
            broker,
            report,
            vault,
            profile: owner.clone(),
            // One connection pool for the rotation's RAM and STS calls.
            ram: RamClient::on(&pool, &ram_endpoint)?,
            sts: StsClient::on(&pool, &sts_endpoint)?,
            rt: crate::runtime::for_command()?,
            verify_timeout,
            owner_user: owner_profile.ram_user_name.clone(),
        })
    }

    /// Finishes or rolls back a rotation cut short, then rotates (unless finishing it was all
    /// there was to do).
    pub fn run(&self) -> anyhow::Result<()> {
        let record_name = ItemName::new(ItemKind::Rotation, &self.profile);
        if let Some(record) = self.vault.read::<RotationRecord>(&record_name)? {
            if self.resume(record)? {
                return Ok(());
            }
        }
        self.rotate(self.owner_user.as_deref())
    }
}

impl Rotation<'_> {
    fn record_name(&self) -> ItemName {
        ItemName::new(ItemKind::Rotation, &self.profile)
    }

    fn stored_key(&self) -> anyhow::Result<LongTermKey> {
        match self.vault.key(&self.profile)? {
            Some(k) => Ok(k.key),
            None => Err(CredentialsError::NoStoredKey {
                profile: self.profile.clone(),
                backend: self.vault.store().kind().to_string(),
            }
            .into()),
        }
    }

    /// Deletes `key_id` of `user` signed by `signer`; a key RAM does not know is already gone.
    fn delete_key(
        &self,
        signer: &LongTermKey,
        user: Option<&str>,
        key_id: &str,
    ) -> Result<(), RemoteError> {
        let signer = Issued::LongTerm(signer.clone());
        match self
            .rt
            .block_on(self.ram.delete_access_key(&signer, user, key_id))
        {
            Err(e) if e.code() == Some(ram::NO_SUCH_KEY) => Ok(()),
            other => other,
        }
    }

    /// Like [`Self::delete_key`], retrying for the verify bound while the signer is not yet
    /// accepted (a new key that is still propagating) or the failure is transient.
    fn delete_key_patiently(
        &self,
        signer: &LongTermKey,
        user: Option<&str>,
        key_id: &str,
    ) -> Result<(), RemoteError> {
        let deadline = Instant::now() + self.verify_timeout;
        let mut retry = 0;
        loop {
            match self.delete_key(signer, user, key_id) {
                Err(e) if is_propagation(&e) || e.is_retryable() => {
                    let wait = backoff().delay(retry);
                    if Instant::now() + wait >= deadline {
                        return Err(e);
                    }
                    std::thread::sleep(wait);
                    retry += 1;
                }
                other => return other,
            }
        }
    }

    /// Waits until STS accepts `key` as the identity `expected`.
    fn wait_accepted(&self, key: &LongTermKey, expected: &CallerIdentity) -> Result<(), String> {
        let started = Instant::now();
        let deadline = started + self.verify_timeout;
        let caller = Issued::LongTerm(key.clone());
        let mut retry = 0;
        loop {
            match self.rt.block_on(self.sts.get_caller_identity(&caller)) {
                Ok(id) if id.account_id == expected.account_id && id.arn == expected.arn => {
                    crate::debug!(
                        "new key {} accepted after {} ms",
                        key_id_hint(&key.access_key_id),
                        started.elapsed().as_millis()
                    );
                    return Ok(());
                }
                Ok(id) => {
                    return Err(format!(
                        "it signs as {} in account {}, not as {} in account {}",
                        id.arn, id.account_id, expected.arn, expected.account_id
                    ))
                }
                Err(e) if is_propagation(&e) || e.is_retryable() => {
                    let wait = backoff().delay(retry);
                    if Instant::now() + wait >= deadline {
                        return Err(format!("last answer: {e}"));
                    }
                    std::thread::sleep(wait);
                    retry += 1;
                }
                Err(e) => return Err(e.to_string()),
            }
        }
    }

    /// Finishes or rolls back an interrupted rotation. Returns true when it finished it (the
    /// profile's key is then rotated and nothing more is to be done).
    fn resume(&self, record: RotationRecord) -> anyhow::Result<bool> {
        let current = self.vault.key(&self.profile)?.map(|k| k.key);
        let new = key_id_hint(&record.new_key.access_key_id);
        let old = key_id_hint(&record.old_access_key_id);
        let user = record.user_name.as_deref();
        match current {
            Some(k) if k.access_key_id == record.new_key.access_key_id => {
                (self.report)(&format!(
                    "Finishing an interrupted rotation of profile {}: the new key {new} is stored; deleting the old key {old}",
                    self.profile
                ));
                self.finish(&record.new_key, &record.old_access_key_id, user)?;
                self.vault.delete(&self.record_name())?;
                (self.report)(&format!(
                    "Rotated profile {}: {old} -> {new} ({})",
                    self.profile,
                    user_label(user)
                ));
                Ok(true)
            }
            Some(k) if k.access_key_id == record.old_access_key_id => {
                (self.report)(&format!(
                    "Rolling back an interrupted rotation of profile {}: the keystore still holds the old key {old}; deleting the unused new key {new}",
                    self.profile
                ));
                self.delete_key(&k, user, &record.new_key.access_key_id)
                    .map_err(|e| {
                        anyhow::Error::new(e).context(format!(
                            "could not delete the unused new key {new}; the keystore still holds the working old key {old}. Run `alicloud-vault rotate {}` again, or delete {new} in the RAM console",
                            self.profile
                        ))
                    })?;
                self.vault.delete(&self.record_name())?;
                Ok(false)
            }
            _ => {
                (self.report)(&format!(
                    "Found the record of an earlier rotation of profile {} (old key {old}, new key {new}), but the keystore now holds neither key; forgetting it. If {new} still exists in RAM and is not in use, delete it in the RAM console",
                    self.profile
                ));
                self.vault.delete(&self.record_name())?;
                Ok(false)
            }
        }
    }

    /// Steps 7-9: drop old sessions, delete the old key signed by the new one, verify again.
    fn finish(&self, new: &LongTermKey, old_id: &str, user: Option<&str>) -> anyhow::Result<()> {
        let dropped = self.broker.forget(
            &self.vault,
            &Selector::MadeFrom {
                profile: self.profile.clone(),
            },
        )?;
        crate::debug!("dropped {dropped} cached session(s)");
        self.delete_key_patiently(new, user, old_id)
            .map_err(|source| RotateError::OldKeyLeft {
                profile: self.profile.clone(),
                new: key_id_hint(&new.access_key_id),
                old: key_id_hint(old_id),
                user: user_label(user),
                source,
            })?;
        let caller = Issued::LongTerm(new.clone());
        self.rt
            .block_on(self.sts.get_caller_identity(&caller))
            .map_err(|e| {
                anyhow::Error::new(e).context(format!(
                    "the old key was deleted and the new key {} is stored for profile {}, but STS refused it on the final check",
                    key_id_hint(&new.access_key_id),
                    self.profile
                ))
            })?;
        Ok(())
    }

    fn rotate(&self, configured_user: Option<&str>) -> anyhow::Result<()> {
        let old = self.stored_key()?;
        let old_hint = key_id_hint(&old.access_key_id);
        let old_caller = Issued::LongTerm(old.clone());
        let identity = self
            .rt
            .block_on(self.sts.get_caller_identity(&old_caller))
            .map_err(|e| {
                anyhow::Error::new(e).context(format!(
                    "STS did not accept the stored key {old_hint} of profile {}; nothing was changed",
                    self.profile
                ))
            })?;
        let user: Option<String> = match configured_user {
            Some(u) => Some(u.to_string()),
            None if identity.identity_type == "RAMUser" => {
                ram::user_name_from_arn(&identity.arn).map(str::to_string)
            }
            None if identity.identity_type == "Account" => {
                return Err(RotateError::AccountKey {
                    profile: self.profile.clone(),
                    key: old_hint,
                    arn: identity.arn,
                }
                .into())
            }
            None => None,
        };
        let user = user.as_deref();
        let who = user_label(user);

        let keys = self
            .rt
            .block_on(self.ram.list_access_keys(&old_caller, user))
            .map_err(|e| {
                anyhow::Error::new(e).context(format!(
                    "cannot list the AccessKeys of {who}; nothing was changed"
                ))
            })?;
        if !keys.iter().any(|k| k.access_key_id == old.access_key_id) {
            return Err(RotateError::NotUsersKey {
                profile: self.profile.clone(),
                key: old_hint,
                user: user.unwrap_or("(the caller)").to_string(),
                listed: if keys.is_empty() {
                    "it has none".to_string()
                } else {
                    describe_keys(&keys, &old.access_key_id)
                },
            }
            .into());
        }
        let limit = |keys: &[AccessKeyInfo]| RotateError::KeyLimit {
            profile: self.profile.clone(),
            user: user.unwrap_or("(the caller)").to_string(),
            count: keys.len(),
            listed: describe_keys(keys, &old.access_key_id),
            other: {
                let others: Vec<String> = keys
                    .iter()
                    .filter(|k| k.access_key_id != old.access_key_id)
                    .map(|k| key_id_hint(&k.access_key_id))
                    .collect();
                match others.len() {
                    0 => format!("a key other than this profile's {old_hint}"),
                    1 => format!("the other key {}", others[0]),
                    _ => format!("one of the other keys {}", others.join(", ")),
                }
            },
        };
        if keys.len() >= ram::MAX_KEYS_PER_USER {
            return Err(limit(&keys).into());
        }

        let created = match self
            .rt
            .block_on(self.ram.create_access_key(&old_caller, user))
        {
            Ok(c) => c,
            Err(e) if e.code() == Some(ram::KEY_LIMIT) => {
                // Someone made a key since the listing: name it.
                let keys = self
                    .rt
                    .block_on(self.ram.list_access_keys(&old_caller, user))
                    .unwrap_or(keys);
                return Err(anyhow::Error::new(e).context(limit(&keys).to_string()));
            }
            Err(e) => {
                return Err(anyhow::Error::new(e).context(format!(
                    "cannot create a new AccessKey for {who}; nothing was changed"
                )))
            }
        };
        let new = created.key;
        let new_hint = key_id_hint(&new.access_key_id);
        (self.report)(&format!(
            "Created the new key {new_hint} for {who}; waiting until STS accepts it"
        ));

        let mut record = RotationRecord {
            profile: self.profile.clone(),
            old_access_key_id: old.access_key_id.clone(),
            new_key: new.clone(),
            user_name: user.map(str::to_string),
            step: Step::Created,
            started_at: OffsetDateTime::now_utc(),
        };
        // Undo the creation when a later step fails before the new key is stored.
        let roll_back = |why: anyhow::Error| -> anyhow::Error {
            let cleanup = match self.delete_key(&old, user, &new.access_key_id) {
                Ok(()) => format!("deleted the new key {new_hint} again"),
                Err(e) => format!(
                    "could not delete the new key {new_hint} either ({e}); run `alicloud-vault rotate {}` again to clean up, or delete {new_hint} in the RAM console",
                    self.profile
                ),
            };
            why.context(format!(
                "{cleanup}; the keystore still holds the old key {old_hint} for profile {}",
                self.profile
            ))
        };
        if let Err(e) = self.vault.write(&self.record_name(), &record) {
            return Err(roll_back(anyhow::Error::new(e).context(
                "cannot write the rotation record into the keystore, so the rotation was stopped",
            )));
        }
        crash_point("created");

        if let Err(reason) = self.wait_accepted(&new, &identity) {
            let cleanup = match self.delete_key(&old, user, &new.access_key_id) {
                Ok(()) => {
                    let _ = self.vault.delete(&self.record_name());
                    format!("deleted the new key {new_hint} again")
                }
                // The record stays: the next `rotate` deletes the new key.
                Err(e) => format!(
                    "could not delete the new key {new_hint} either ({e}); run `alicloud-vault rotate {}` again to clean up",
                    self.profile
                ),
            };
            return Err(RotateError::NotAccepted {
                profile: self.profile.clone(),
                new: new_hint,
                old: old_hint,
                waited_s: self.verify_timeout.as_secs(),
                reason,
                cleanup,
            }
            .into());
        }

        let stored = StoredKey {
            key: new.clone(),
            added_at: OffsetDateTime::now_utc(),
        };
        let written = self
            .vault
            .put_key(&self.profile, &stored)
            .map_err(anyhow::Error::new)
            .and_then(|()| match self.vault.key(&self.profile)? {
                Some(k) if k.key.access_key_id == new.access_key_id => Ok(()),
                _ => Err(anyhow::anyhow!(
                    "the {} keystore did not keep the new key",
                    self.vault.store().kind()
                )),
            });
        if let Err(e) = written {
            // The old key may or may not be in place: put it back before deleting the new one.
            let _ = self.vault.put_key(
                &self.profile,
                &StoredKey {
                    key: old.clone(),
                    added_at: OffsetDateTime::now_utc(),
                },
            );
            let e = roll_back(e.context("cannot store the new key"));
            let _ = self.vault.delete(&self.record_name());
            return Err(e);
        }
        record.step = Step::Stored;
        if let Err(e) = self.vault.write(&self.record_name(), &record) {
            // Not fatal: on a later run the stored key id alone shows the step.
            crate::debug!("could not update the rotation record: {e}");
        }
        crash_point("stored");

        self.finish(&new, &old.access_key_id, user)?;
        self.vault.delete(&self.record_name())?;
        (self.report)(&format!(
            "Rotated profile {}: {old_hint} -> {new_hint} ({who}); the old key is deleted and cached sessions were dropped",
            self.profile
        ));
        Ok(())
    }
}

/// A new key that STS or RAM does not know yet (docs/protocols.md, Propagation).
fn is_propagation(e: &RemoteError) -> bool {
    e.code() == Some("InvalidAccessKeyId.NotFound")
}

/// Waits between acceptance checks: 5x the RPC base (1 s by default), doubling up to 5 s.
fn backoff() -> RetryPolicy {
    let base = RetryPolicy::from_env().base * 5;
    RetryPolicy {
        attempts: u32::MAX,
        base,
        cap: Duration::from_secs(5).max(base),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aliyun::ram::KeyStatus;
    use crate::secret::Secret;

    fn key(id: &str, status: KeyStatus) -> AccessKeyInfo {
        AccessKeyInfo {
            access_key_id: id.into(),
            status,
            create_date: None,
        }
    }

    #[test]
    fn keys_are_described_by_their_last_four_and_the_profiles_own_is_marked() {
        let keys = [
            key("LTAI5tOldKeyOfAlice0001", KeyStatus::Active),
            key("LTAI5tOtherKeyOfAlice02", KeyStatus::Inactive),
        ];
        let text = describe_keys(&keys, "LTAI5tOldKeyOfAlice0001");
        assert!(
            text.contains("****0001 (Active, this profile's key)"),
            "{text}"
        );
        assert!(text.contains("****ce02 (Inactive)"), "{text}");
        assert!(!text.contains("LTAI5t"), "full ids must not appear: {text}");
    }

    #[test]
    fn the_record_keeps_the_step_and_the_new_key_through_the_keystore_format() {
        let record = RotationRecord {
            profile: "base".into(),
            old_access_key_id: "LTAI5tOldKeyOfAlice0001".into(),
            new_key: LongTermKey {
                access_key_id: "LTAI5tNewKeyOfAlice0002".into(),
                access_key_secret: Secret::new("new-secret"),
            },
            user_name: Some("alice".into()),
            step: Step::Stored,
            started_at: OffsetDateTime::UNIX_EPOCH,
        };
        let json = serde_json::to_string(&record).unwrap();
        assert!(json.contains("\"step\":\"stored\""), "{json}");
        let back: RotationRecord = serde_json::from_str(&json).unwrap();
        assert_eq!(back.step, Step::Stored);
        assert_eq!(back.new_key, record.new_key);
        assert_eq!(back.old_access_key_id, record.old_access_key_id);
    }

    #[test]
    fn refusals_before_any_change_are_usage_errors_and_remote_failures_remote() {
        let inline = RotateError::InlineKey {
            profile: "p".into(),
            owner: "o".into(),
            file: "f".into(),
        };
        assert_eq!(inline.exit_code(), exit_codes::USAGE_OR_CONFIG);
        let limit = RotateError::KeyLimit {
            profile: "p".into(),
            user: "alice".into(),
            count: 2,
            listed: String::new(),
            other: "****0002".into(),
        };
        assert_eq!(limit.exit_code(), exit_codes::REMOTE);
    }
}
