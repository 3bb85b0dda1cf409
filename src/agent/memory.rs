//! Keeping a long-running agent small: the allocator's tuning at start, and handing freed heap
//! back to the system after keystore work and bursts of connections (docs/performance.md:
//! resident memory).

/// Keystore work runs on short-lived threads, and the file backend's Argon2id needs 64 MiB for
/// a moment: by default glibc would raise its mmap threshold to that size and keep such buffers
/// in per-thread arenas, so the agent would stay as large as its largest past allocation. A
/// fixed threshold maps large buffers and unmaps them on free; two arenas bound the rest.
pub(super) fn bound_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator parameters; called before the agent's threads start.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// Returns freed heap memory to the system (after keystore work and bursts of connections).
pub(crate) fn trim_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory; it is thread-safe.
    unsafe {
        libc::malloc_trim(0);
    }
}
