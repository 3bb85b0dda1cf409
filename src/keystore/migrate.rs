//! `migrate`: every item of one keystore copied to another, each read back and compared before
//! anything is deleted from the first.
//!
//! The walk covers every kind [`ItemKind::ALL`] declares, and copies documents as they are
//! stored (no decoding), so a kind added later is migrated without a change here. The order:
//!
//! 1. list the source and read every item; read the target at the same names. An item the
//!    target holds with other contents is a conflict: all conflicts are reported and nothing is
//!    written, unless `force` (then the target's document is replaced, and restored on failure);
//! 2. write each item to the target and read it back; the first failure or difference undoes
//!    every write of this run (items new to the target deleted, replaced ones restored) and
//!    leaves the source untouched;
//! 3. only then, with `delete_source`, delete the items from the source.

use super::{BackendKind, ItemKind, ItemName, Keystore, KeystoreError};
use crate::exit_codes::ErrorKind;
use crate::secret::Secret;

/// What `migrate` was asked to do.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Plan only: read both stores, write and delete nothing.
    pub dry_run: bool,
    /// After every item was copied and read back, delete the items from the source.
    pub delete_source: bool,
    /// Replace items the target holds with other contents instead of refusing.
    pub force: bool,
}

/// What happens to one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Not in the target: copied.
    Copy,
    /// Already in the target with the same contents: nothing to write.
    Same,
    /// In the target with other contents: replaced (only with `force`).
    Replace,
}

/// One item and its step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub name: ItemName,
    pub step: Step,
}

/// What a migration did (or, with `dry_run`, would do).
#[derive(Debug, Clone)]
pub struct Report {
    pub from: BackendKind,
    pub to: BackendKind,
    /// Every item of the source, in the order they were copied.
    pub items: Vec<Planned>,
    pub dry_run: bool,
    /// How many items were deleted from the source.
    pub deleted_from_source: usize,
}

impl Report {
    /// How many items have the step `step`.
    pub fn count(&self, step: Step) -> usize {
        self.items.iter().filter(|p| p.step == step).count()
    }
}

/// Why a migration stopped. Every message says what state both stores are in.
#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error("--from and --to are both {0}: name two different backends")]
    SameBackend(BackendKind),
    #[error("nothing was migrated: the {store} keystore ({role}) could not be read: {source}")]
    Read {
        store: BackendKind,
        role: &'static str,
        #[source]
        source: KeystoreError,
    },
    #[error("nothing was migrated: the {to} keystore already holds {} with other contents: {}. Remove {them} from {to}, or run again with --force to replace {them} with the items of {from}", count(.items.len()), .items.join(", "), them = if .items.len() == 1 { "it" } else { "them" })]
    Conflicts {
        from: BackendKind,
        to: BackendKind,
        items: Vec<String>,
    },
    #[error("nothing was migrated: writing {item} to the {to} keystore failed: {detail}. {undo} The {from} keystore is untouched")]
    Copy {
        from: BackendKind,
        to: BackendKind,
        item: String,
        detail: String,
        /// What became of the writes made before the failure.
        undo: Undo,
    },
    #[error("every item was copied to the {to} keystore and read back, but deleting {item} from the {from} keystore failed: {source}. {left} item(s) are still in {from} (and safe in {to}): run the same command again to finish")]
    DeleteSource {
        from: BackendKind,
        to: BackendKind,
        item: String,
        left: usize,
        #[source]
        source: KeystoreError,
    },
}

impl MigrateError {
    /// The class of the error (docs/usage.md, Exit codes).
    pub fn kind(&self) -> ErrorKind {
        match self {
            MigrateError::SameBackend(_) => ErrorKind::Usage,
            _ => ErrorKind::Keystore,
        }
    }
}

/// What the undo of a failed copy achieved.
#[derive(Debug)]
pub struct Undo {
    /// Items written before the failure.
    pub written: usize,
    /// Items whose undo failed, with why.
    pub failed: Vec<(String, String)>,
}

impl std::fmt::Display for Undo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if !self.failed.is_empty() {
            let list: Vec<String> = self
                .failed
                .iter()
                .map(|(item, why)| format!("{item} ({why})"))
                .collect();
            return write!(
                f,
                "Undoing the writes failed too, so the target may still hold: {}; delete or fix them there with the keystore's own tools.",
                list.join(", ")
            );
        }
        match self.written {
            0 => f.write_str("Nothing had been written to the target."),
            1 => f.write_str("The item written before was removed from the target again."),
            n => write!(
                f,
                "The {n} items written before were removed from the target again."
            ),
        }
    }
}

fn count(n: usize) -> String {
    if n == 1 {
        "1 item".into()
    } else {
        format!("{n} items")
    }
}

/// One item's documents in both stores, read before anything is written.
struct Read {
    name: ItemName,
    document: Secret,
    /// What the target held before (for `Replace`, restored on failure).
    before: Option<Secret>,
    step: Step,
}

/// Every item of ours in `store`, of the kinds [`ItemKind::ALL`] declares, in that order.
fn items_of(store: &dyn Keystore) -> Result<Vec<ItemName>, KeystoreError> {
    let mut names: Vec<ItemName> = store
        .list()?
        .into_iter()
        .filter(|n| ItemKind::ALL.contains(&n.kind))
        .collect();
    names.sort();
    names.dedup();
    Ok(names)
}

/// Migrates every item of `from` to `to` as `options` say (see the module's documentation).
pub fn migrate(
    from: &dyn Keystore,
    to: &dyn Keystore,
    options: Options,
) -> Result<Report, MigrateError> {
    if from.kind() == to.kind() {
        return Err(MigrateError::SameBackend(from.kind()));
    }
    let read_from = |source| MigrateError::Read {
        store: from.kind(),
        role: "--from",
        source,
    };
    let read_to = |source| MigrateError::Read {
        store: to.kind(),
        role: "--to",
        source,
    };

    // 1. Read everything first: a damaged item or a conflict stops the run before any write.
    let mut plan = Vec::new();
    for name in items_of(from).map_err(read_from)? {
        // Listed but gone since (another process deleted it): nothing to copy.
        let Some(document) = from.get(&name).map_err(read_from)? else {
            continue;
        };
        let before = to.get(&name).map_err(read_to)?;
        let step = match &before {
            None => Step::Copy,
            Some(b) if b.expose() == document.expose() => Step::Same,
            Some(_) => Step::Replace,
        };
        plan.push(Read {
            name,
            document,
            before,
            step,
        });
    }
    let conflicts: Vec<String> = plan
        .iter()
        .filter(|r| r.step == Step::Replace)
        .map(|r| r.name.account())
        .collect();
    if !conflicts.is_empty() && !options.force {
        return Err(MigrateError::Conflicts {
            from: from.kind(),
            to: to.kind(),
            items: conflicts,
        });
    }
    let mut report = Report {
        from: from.kind(),
        to: to.kind(),
        items: plan
            .iter()
            .map(|r| Planned {
                name: r.name.clone(),
                step: r.step,
            })
            .collect(),
        dry_run: options.dry_run,
        deleted_from_source: 0,
    };
    if options.dry_run {
        return Ok(report);
    }

    // 2. Write and read back, undoing everything on the first failure.
    let mut written: Vec<&Read> = Vec::new();
    for r in &plan {
        if r.step == Step::Same {
            continue;
        }
        // Counted before the write: a write that failed half-way may have left something.
        written.push(r);
        let result = to.set(&r.name, &r.document).and_then(|()| to.get(&r.name));
        let detail = match result {
            Ok(Some(back)) if back.expose() == r.document.expose() => continue,
            Ok(Some(_)) => "the item read back differs from the one written".to_string(),
            Ok(None) => "the item was not there when read back".to_string(),
            Err(e) => e.to_string(),
        };
        return Err(MigrateError::Copy {
            from: from.kind(),
            to: to.kind(),
            item: r.name.account(),
            detail,
            undo: undo(to, &written),
        });
    }

    // 3. Only now: the source's items, every one of which the target holds as it was read.
    if options.delete_source {
        for (i, r) in plan.iter().enumerate() {
            if let Err(source) = from.delete(&r.name) {
                return Err(MigrateError::DeleteSource {
                    from: from.kind(),
                    to: to.kind(),
                    item: r.name.account(),
                    left: plan.len() - i,
                    source,
                });
            }
            report.deleted_from_source += 1;
        }
    }
    Ok(report)
}

/// Puts the target back as it was before this run: items it did not hold deleted, replaced
/// ones written back. Keeps going after a failure and reports each one.
fn undo(to: &dyn Keystore, written: &[&Read]) -> Undo {
    let mut failed = Vec::new();
    for r in written.iter().rev() {
        let result = match &r.before {
            None => to.delete(&r.name).map(|_| ()),
            Some(before) => to.set(&r.name, before),
        };
        if let Err(e) = result {
            failed.push((r.name.account(), e.to_string()));
        }
    }
    // The item whose write failed may have left nothing to undo: count only the others.
    Undo {
        written: written.len().saturating_sub(1),
        failed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keystore::file::{FileKeystore, KdfParams, PassphraseSource};
    #[cfg(target_os = "linux")]
    use crate::keystore::test_support::unique;

    fn file_store(dir: &std::path::Path) -> FileKeystore {
        FileKeystore::new(
            dir,
            PassphraseSource::Fixed(Secret::new("unit passphrase")),
            KdfParams::TEST,
        )
    }

    #[test]
    fn the_undo_says_what_became_of_the_writes() {
        let undo = |written, failed: Vec<(&str, &str)>| {
            Undo {
                written,
                failed: failed
                    .into_iter()
                    .map(|(a, b)| (a.to_string(), b.to_string()))
                    .collect(),
            }
            .to_string()
        };
        assert_eq!(undo(0, vec![]), "Nothing had been written to the target.");
        assert_eq!(
            undo(2, vec![]),
            "The 2 items written before were removed from the target again."
        );
        let failed = undo(2, vec![("key:a", "the keystore is gone")]);
        assert!(
            failed.contains("Undoing the writes failed too")
                && failed.contains("key:a (the keystore is gone)"),
            "{failed}"
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn file_to_kernel_keyring_copies_every_kind_verified_and_deletes_only_the_source() {
        use crate::keystore::keyutils::KeyutilsKeystore;
        if !crate::keystore::test_support::require_session_keyring(
            "file_to_kernel_keyring_copies_every_kind_verified_and_deletes_only_the_source",
        ) {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let from = file_store(dir.path());
        let to = KeyutilsKeystore::open().unwrap();
        let items: Vec<(ItemName, String)> = ItemKind::ALL
            .into_iter()
            .map(|k| {
                let name = ItemName::new(k, unique("migrate"));
                let doc = format!("{{\"v\":1,\"kind\":\"{k:?}\"}}");
                (name, doc)
            })
            .collect();
        for (name, doc) in &items {
            from.set(name, &Secret::new(doc.as_str())).unwrap();
        }
        let dry = migrate(
            &from,
            &to,
            Options {
                dry_run: true,
                delete_source: true,
                force: false,
            },
        )
        .unwrap();
        assert_eq!(dry.count(Step::Copy), items.len());
        assert!(items.iter().all(|(n, _)| to.get(n).unwrap().is_none()));
        assert_eq!(from.list().unwrap().len(), items.len());

        let done = migrate(
            &from,
            &to,
            Options {
                dry_run: false,
                delete_source: true,
                force: false,
            },
        )
        .unwrap();
        assert_eq!(done.deleted_from_source, items.len());
        assert_eq!(from.list().unwrap(), vec![]);
        for (name, doc) in &items {
            assert_eq!(to.get(name).unwrap().unwrap().expose(), doc.as_str());
            to.delete(name).unwrap();
        }
    }

    #[test]
    fn the_same_backend_twice_is_refused_before_anything_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let a = file_store(dir.path());
        let b = file_store(dir.path());
        let e = migrate(&a, &b, Options::default()).unwrap_err();
        assert!(matches!(e, MigrateError::SameBackend(BackendKind::File)));
        assert_eq!(e.kind(), ErrorKind::Usage);
    }
}
