//! Writing a file so that a reader finds the old contents or the new ones, never a part, and a
//! crash leaves no half-written file in place: a temporary file in the same directory (made by
//! `tempfile`, with the mode given from the start), written and fsynced, then renamed over the
//! target (or linked beside it only if the target does not exist), then the directory fsynced.

use std::io::{self, Write};
use std::path::Path;

/// How the new contents take the target's place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Replace whatever is there.
    Replace,
    /// Only if nothing is there yet; an existing target is left alone.
    IfAbsent,
}

/// Writes `bytes` to `target` with permission bits `mode` (Unix; ignored elsewhere). Returns
/// whether `target` now holds `bytes` (false only for [`Place::IfAbsent`] when it existed).
pub fn write(target: &Path, bytes: &[u8], mode: u32, place: Place) -> io::Result<bool> {
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(".tmp-alicloud-vault-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    #[cfg(not(unix))]
    let _ = mode;
    let mut file = builder.tempfile_in(dir)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    let placed = match place {
        Place::Replace => file.persist(target).map(|_| true),
        Place::IfAbsent => match file.persist_noclobber(target) {
            Ok(_) => Ok(true),
            Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => Ok(false),
            Err(e) => Err(e),
        },
    }
    .map_err(|e| e.error)?;
    sync_dir(dir)?;
    Ok(placed)
}

/// Makes a rename or removal in `dir` durable (a no-op where directories cannot be synced).
#[cfg(unix)]
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
pub fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replace_puts_the_new_bytes_in_place_with_the_mode_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("f");
        std::fs::write(&target, b"old").unwrap();
        assert!(write(&target, b"new", 0o600, Place::Replace).unwrap());
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "only the target is left: {names:?}");
    }

    #[test]
    fn if_absent_leaves_an_existing_target_alone_and_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("f");
        assert!(write(&target, b"first", 0o600, Place::IfAbsent).unwrap());
        assert!(!write(&target, b"second", 0o600, Place::IfAbsent).unwrap());
        assert_eq!(std::fs::read(&target).unwrap(), b"first");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(
            names.len(),
            1,
            "the refused temporary file is gone: {names:?}"
        );
    }

    #[test]
    fn a_missing_directory_is_an_error_not_a_silent_success() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("no-such-dir").join("f");
        assert!(write(&target, b"x", 0o600, Place::Replace).is_err());
    }
}
