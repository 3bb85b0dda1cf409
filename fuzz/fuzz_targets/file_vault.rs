//! The file backend's files as they lie on disk (`keystore/file.rs`): any `vault.json` header
//! and any item file give an item or a `KeystoreError`, never a panic, and a tampered header
//! cannot make the backend allocate without bound (the Argon2 costs are checked first; a run
//! over libFuzzer's memory limit is a crash). Input: the header, a 0xFF byte, the item file.
#![no_main]

use alicloud_vault::keystore::file::{FileKeystore, KdfParams, PassphraseSource, HEADER_FILE};
use alicloud_vault::keystore::{ItemKind, ItemName, Keystore};
use alicloud_vault::secret::Secret;
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;

/// A real vault with one item, made once: its directory and the item file's name.
struct World {
    _dir: tempfile::TempDir,
    dir: PathBuf,
    item_file: PathBuf,
}

static WORLD: OnceLock<World> = OnceLock::new();

fn store(dir: &std::path::Path) -> FileKeystore {
    FileKeystore::new(
        dir,
        PassphraseSource::Fixed(Secret::from("fuzz".to_string())),
        KdfParams::TEST,
    )
}

fn item() -> ItemName {
    ItemName::new(ItemKind::Key, "base")
}

fn world() -> &'static World {
    WORLD.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("vault");
        store(&dir)
            .set(&item(), &Secret::from("{\"v\":1}".to_string()))
            .unwrap();
        let item_file = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|p| p.file_name().is_some_and(|n| n != HEADER_FILE))
            .expect("the item file");
        World {
            _dir: tmp,
            dir,
            item_file,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let w = world();
    let (header, item_bytes) = match data.iter().position(|b| *b == 0xff) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &b""[..]),
    };
    std::fs::write(w.dir.join(HEADER_FILE), header).unwrap();
    std::fs::write(&w.item_file, item_bytes).unwrap();
    // A new store each time: nothing derived is cached from a previous input.
    let s = store(&w.dir);
    let _ = s.get(&item());
    let _ = s.list();
});
