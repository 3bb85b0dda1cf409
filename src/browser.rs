//! Opening the user's browser: which program does it on this platform, and whether there is a
//! display to open it on. Used by `login` (through a private redirect file, so that the
//! sign-in URL never reaches an argv) and by the CloudSSO login (a URL that is no secret).

use std::ffi::OsStr;
use std::process::{Command, ExitStatus, Stdio};

/// The program that opens a URL or a file in the default browser.
pub fn opener() -> &'static str {
    if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    }
}

/// False where a browser cannot be shown: on Linux and the BSDs, no X11 or Wayland display.
pub fn has_display() -> bool {
    if cfg!(any(target_os = "macos", windows)) {
        return true;
    }
    ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()))
}

/// Hands `target` (a URL, or a file the browser opens) to [`opener`] and waits for it to
/// hand over; it starts the browser and returns at once.
pub fn open(target: &OsStr) -> std::io::Result<ExitStatus> {
    Command::new(opener())
        .arg(target)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
}

/// Opens a URL that is no secret (a CloudSSO or OAuth sign-in page) where there is a desktop
/// to show it on; false when there is none or the opener failed (the caller prints the URL
/// either way).
pub fn show(url: &str) -> bool {
    has_display() && open(OsStr::new(url)).is_ok_and(|s| s.success())
}
