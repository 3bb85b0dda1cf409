//! Types that hold secrets: zeroized on drop, redacted in `Debug` and never `Display`ed.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Mutex, OnceLock};
use zeroize::{Zeroize, Zeroizing};

/// A secret string (an AccessKey secret, an STS token, an SSO access token, a passphrase).
///
/// The bytes are wiped when the value is dropped, and their pages are kept out of swap
/// ([`LockedPages`]) where the OS allows it. `Debug` prints `Secret(***)`, so a secret that
/// ends up in a log line, an error or a panic message shows nothing.
#[derive(Default)]
pub struct Secret {
    value: Zeroizing<String>,
    _locked: Option<LockedPages>,
}

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        let value = Zeroizing::new(value.into());
        let locked = LockedPages::lock(value.as_ptr(), value.capacity());
        Secret {
            value,
            _locked: locked,
        }
    }

    /// The plain value. Call it only where the secret must leave the process
    /// (a signature, a child's environment, a keystore write).
    pub fn expose(&self) -> &str {
        &self.value
    }

    pub fn is_empty(&self) -> bool {
        self.value.is_empty()
    }

    pub fn len(&self) -> usize {
        self.value.len()
    }
}

impl Clone for Secret {
    fn clone(&self) -> Self {
        Secret::new(self.expose())
    }
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.expose() == other.expose()
    }
}

impl Eq for Secret {}

impl From<String> for Secret {
    fn from(mut value: String) -> Self {
        let s = Secret::new(value.as_str());
        value.zeroize();
        s
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// The pages under a secret buffer, locked in memory (`mlock`) so that they are never
/// written to swap, and unlocked when the buffer is gone (fields drop in order: the
/// buffer is wiped and freed first). The kernel does not count locks, and small buffers
/// share pages, so each page is locked by its first user and unlocked by its last. Where
/// locking is not allowed (RLIMIT_MEMLOCK reached, no such call), the secret simply stays
/// unlocked: it is still wiped on drop.
pub struct LockedPages {
    first: usize,
    count: usize,
}

/// Page address -> how many live secret buffers lie (partly) on it.
static LOCKED: Mutex<BTreeMap<usize, u32>> = Mutex::new(BTreeMap::new());

fn page_size() -> usize {
    static SIZE: OnceLock<usize> = OnceLock::new();
    #[cfg(unix)]
    let size = || {
        nix::unistd::sysconf(nix::unistd::SysconfVar::PAGE_SIZE)
            .ok()
            .flatten()
            .map_or(4096, |n| n as usize)
    };
    #[cfg(windows)]
    let size = || {
        // SAFETY: GetSystemInfo fills the struct we hand it.
        let info = unsafe {
            let mut info =
                std::mem::zeroed::<windows_sys::Win32::System::SystemInformation::SYSTEM_INFO>();
            windows_sys::Win32::System::SystemInformation::GetSystemInfo(&mut info);
            info
        };
        (info.dwPageSize as usize).max(4096)
    };
    *SIZE.get_or_init(size)
}

impl LockedPages {
    /// Locks the pages under `len` bytes at `ptr`; `None` for an empty buffer or when the
    /// OS refuses (then nothing stays locked on its behalf).
    pub fn lock(ptr: *const u8, len: usize) -> Option<LockedPages> {
        if len == 0 || ptr.is_null() {
            return None;
        }
        let page = page_size();
        let first = ptr as usize / page * page;
        let count = (ptr as usize + len - first).div_ceil(page);
        let mut locked = LOCKED.lock().unwrap_or_else(|e| e.into_inner());
        for i in 0..count {
            let addr = first + i * page;
            let users = locked.entry(addr).or_insert(0);
            if *users == 0 && !mlock_page(addr, page) {
                locked.remove(&addr);
                release(&mut locked, first, i, page);
                return None;
            }
            *users += 1;
        }
        Some(LockedPages { first, count })
    }
}

impl Drop for LockedPages {
    fn drop(&mut self) {
        let mut locked = LOCKED.lock().unwrap_or_else(|e| e.into_inner());
        release(&mut locked, self.first, self.count, page_size());
    }
}

/// One user fewer for `count` pages from `first`; a page nobody uses any more is unlocked.
fn release(locked: &mut BTreeMap<usize, u32>, first: usize, count: usize, page: usize) {
    for i in 0..count {
        let addr = first + i * page;
        if let Some(users) = locked.get_mut(&addr) {
            *users -= 1;
            if *users == 0 {
                locked.remove(&addr);
                munlock_page(addr, page);
            }
        }
    }
}

fn mlock_page(addr: usize, len: usize) -> bool {
    #[cfg(unix)]
    {
        let Some(p) = std::ptr::NonNull::new(addr as *mut std::ffi::c_void) else {
            return false;
        };
        // SAFETY: the page is mapped (it holds part of a live allocation of ours); mlock only
        // pins it in memory and changes no byte.
        unsafe { nix::sys::mman::mlock(p, len).is_ok() }
    }
    // Windows: VirtualLock keeps the pages in the working set, so they are never paged out
    // (within the process's minimum working set, which small secrets fit).
    #[cfg(windows)]
    {
        // SAFETY: as above; VirtualLock changes no byte.
        unsafe { windows_sys::Win32::System::Memory::VirtualLock(addr as *const _, len) != 0 }
    }
}

fn munlock_page(addr: usize, len: usize) {
    #[cfg(unix)]
    if let Some(p) = std::ptr::NonNull::new(addr as *mut std::ffi::c_void) {
        // SAFETY: munlock changes no byte; on a page that is no longer mapped it fails
        // harmlessly with ENOMEM.
        let _ = unsafe { nix::sys::mman::munlock(p, len) };
    }
    #[cfg(windows)]
    // SAFETY: VirtualUnlock changes no byte; it fails harmlessly on a page no longer locked.
    unsafe {
        windows_sys::Win32::System::Memory::VirtualUnlock(addr as *const _, len);
    }
}

impl serde::Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.expose())
    }
}

impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Secret::from)
    }
}

/// An AccessKey id is not a secret, but logs show only its last four characters
/// (as aws-vault does) so that a log does not map identities to keys.
pub fn key_id_hint(access_key_id: &str) -> String {
    let n = access_key_id.chars().count();
    if n <= 4 {
        return "****".to_string();
    }
    let tail: String = access_key_id.chars().skip(n - 4).collect();
    format!("****{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_hides_the_value() {
        let s = Secret::new("hunter2-very-secret");
        assert_eq!(format!("{s:?}"), "Secret(***)");
        assert_eq!(format!("{:?}", Some(s)), "Some(Secret(***))");
    }

    /// Kilobytes the kernel reports locked in the mapping that starts at `addr`.
    #[cfg(target_os = "linux")]
    fn locked_kib_at(addr: usize) -> u64 {
        let smaps = std::fs::read_to_string("/proc/self/smaps").unwrap();
        let mut in_it = false;
        for line in smaps.lines() {
            if let Some((range, _)) = line.split_once(' ') {
                if let Some((start, _)) = range.split_once('-') {
                    if let Ok(start) = usize::from_str_radix(start, 16) {
                        in_it = start == addr;
                        continue;
                    }
                }
            }
            if in_it {
                if let Some(v) = line.strip_prefix("Locked:") {
                    return v.trim().trim_end_matches("kB").trim().parse().unwrap();
                }
            }
        }
        0
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn a_page_stays_locked_until_its_last_secret_is_gone() {
        let page = page_size();
        let len = std::num::NonZeroUsize::new(2 * page).unwrap();
        // SAFETY: a fresh private anonymous mapping, unmapped at the end of the test.
        let map = unsafe {
            nix::sys::mman::mmap_anonymous(
                None,
                len,
                nix::sys::mman::ProtFlags::PROT_READ | nix::sys::mman::ProtFlags::PROT_WRITE,
                nix::sys::mman::MapFlags::MAP_PRIVATE,
            )
        }
        .unwrap();
        let base = map.as_ptr() as usize;
        // Two "secrets" on the first page, one across both pages.
        let a = LockedPages::lock((base + 10) as *const u8, 100);
        let b = LockedPages::lock((base + 200) as *const u8, 100);
        assert!(
            a.is_some() && b.is_some(),
            "mlock refused (RLIMIT_MEMLOCK?)"
        );
        assert_eq!(locked_kib_at(base) as usize * 1024, page);
        let c = LockedPages::lock((base + page - 8) as *const u8, 16);
        assert_eq!(locked_kib_at(base) as usize * 1024, 2 * page);
        drop(c);
        assert_eq!(
            locked_kib_at(base) as usize * 1024,
            page,
            "page 2 had one user"
        );
        drop(a);
        assert_eq!(
            locked_kib_at(base) as usize * 1024,
            page,
            "b still uses page 1"
        );
        drop(b);
        assert_eq!(locked_kib_at(base), 0);
        assert!(LockedPages::lock(std::ptr::null(), 10).is_none());
        assert!(LockedPages::lock(base as *const u8, 0).is_none());
        // SAFETY: the mapping made above; nothing refers to it any more.
        unsafe { nix::sys::mman::munmap(map, len.get()).unwrap() };
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn a_secret_and_its_clone_are_locked_while_they_live() {
        let s = Secret::new("x".repeat(3 * page_size()));
        let t = s.clone();
        assert_eq!(s, t);
        for secret in [&s, &t] {
            let p = secret.expose().as_ptr() as usize;
            let pages = LOCKED.lock().unwrap();
            let first = p / page_size() * page_size();
            assert!(pages.get(&first).is_some_and(|n| *n > 0));
            assert!(pages
                .get(&(first + 2 * page_size()))
                .is_some_and(|n| *n > 0));
        }
    }

    #[test]
    fn key_id_hint_keeps_only_the_last_four_characters() {
        assert_eq!(key_id_hint("LTAI5tExampleKeyId9876"), "****9876");
        assert_eq!(key_id_hint("abc"), "****");
    }
}
