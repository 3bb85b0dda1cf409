//! Showing one desktop notification, the platform's way (docs/platforms.md):
//!
//! - Linux: `org.freedesktop.Notifications.Notify` on the session bus, sent without waiting
//!   for a reply (no notification daemon, no wait), over zbus, the D-Bus crate the Secret
//!   Service backend already uses;
//! - macOS: Notification Center through `osascript`, the text passed as arguments of a fixed
//!   script (`on run argv`), never spliced into AppleScript source;
//! - Windows: a toast through PowerShell's WinRT bridge, the text passed in environment
//!   variables read by a fixed script and put in the toast's XML as text nodes.
//!
//! Each call blocks its thread (the agent's notice worker) for at most [`TIMEOUT`].

use std::time::Duration;

/// The longest a notification may take to hand over.
pub const TIMEOUT: Duration = Duration::from_secs(5);

/// Shows `title` and `body`; the error says why not, in a few words.
#[cfg(target_os = "linux")]
pub fn show(title: &str, body: &str) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("no runtime: {e}"))?;
    runtime.block_on(async {
        match tokio::time::timeout(TIMEOUT, notify(title, body)).await {
            Ok(sent) => sent.map_err(|e| format!("D-Bus session bus: {e}")),
            Err(_) => Err(format!(
                "the D-Bus session bus did not take the notification within {} s",
                TIMEOUT.as_secs()
            )),
        }
    })
}

#[cfg(target_os = "linux")]
async fn notify(title: &str, body: &str) -> zbus::Result<()> {
    use std::collections::HashMap;
    let connection = zbus::Connection::session().await?;
    let hints: HashMap<&str, zbus::zvariant::Value<'_>> = HashMap::new();
    // The Desktop Notifications Specification's Notify(app_name, replaces_id, app_icon,
    // summary, body, actions, hints, expire_timeout); -1: the server's default timeout.
    let message = zbus::Message::method_call("/org/freedesktop/Notifications", "Notify")?
        .destination("org.freedesktop.Notifications")?
        .interface("org.freedesktop.Notifications")?
        .with_flags(zbus::message::Flags::NoReplyExpected)?
        .build(&(
            "alicloud-vault",
            0u32,
            "dialog-password",
            title,
            body,
            Vec::<&str>::new(),
            hints,
            -1i32,
        ))?;
    connection.send(&message).await
}

/// Shows `title` and `body`; the error says why not, in a few words.
#[cfg(target_os = "macos")]
pub fn show(title: &str, body: &str) -> Result<(), String> {
    let mut command = std::process::Command::new("/usr/bin/osascript");
    command
        .args([
            "-e",
            "on run argv",
            "-e",
            "display notification (item 2 of argv) with title (item 1 of argv)",
            "-e",
            "end run",
            title,
            body,
        ])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    run(&mut command, "osascript")
}

/// Shows `title` and `body`; the error says why not, in a few words.
#[cfg(windows)]
pub fn show(title: &str, body: &str) -> Result<(), String> {
    use std::os::windows::process::CommandExt;
    /// No console window flashes up for the PowerShell process.
    const CREATE_NO_WINDOW: u32 = 0x0800_0000;
    // The AppUserModelID of Windows PowerShell itself: a toast needs a registered one.
    const SCRIPT: &str = r#"$ErrorActionPreference = 'Stop'
$m = [Windows.UI.Notifications.ToastNotificationManager, Windows.UI.Notifications, ContentType = WindowsRuntime]
$x = $m::GetTemplateContent([Windows.UI.Notifications.ToastTemplateType]::ToastText02)
$t = $x.GetElementsByTagName('text')
[void]$t.Item(0).AppendChild($x.CreateTextNode($env:ALICLOUD_VAULT_NOTICE_TITLE))
[void]$t.Item(1).AppendChild($x.CreateTextNode($env:ALICLOUD_VAULT_NOTICE_BODY))
$id = '{1AC14E77-02E7-4E5D-B744-2EB1AE5198B7}\WindowsPowerShell\v1.0\powershell.exe'
$m::CreateToastNotifier($id).Show([Windows.UI.Notifications.ToastNotification]::new($x))"#;
    // By its full path: never a powershell.exe that happens to come first on PATH.
    let root = std::env::var_os("SystemRoot").unwrap_or_else(|| r"C:\Windows".into());
    let exe = std::path::Path::new(&root).join(r"System32\WindowsPowerShell\v1.0\powershell.exe");
    let mut command = std::process::Command::new(exe);
    command
        .args([
            "-NoProfile",
            "-NonInteractive",
            "-ExecutionPolicy",
            "Bypass",
            "-Command",
            SCRIPT,
        ])
        .env("ALICLOUD_VAULT_NOTICE_TITLE", title)
        .env("ALICLOUD_VAULT_NOTICE_BODY", body)
        .creation_flags(CREATE_NO_WINDOW)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    run(&mut command, "powershell.exe")
}

/// Runs the helper program and waits at most [`TIMEOUT`] for it (then ends it).
#[cfg(any(target_os = "macos", windows))]
fn run(command: &mut std::process::Command, name: &str) -> Result<(), String> {
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot run {name}: {e}"))?;
    let deadline = std::time::Instant::now() + TIMEOUT;
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return Ok(()),
            Ok(Some(status)) => return Err(format!("{name} failed ({status})")),
            Ok(None) if std::time::Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(50))
            }
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "{name} did not finish within {} s",
                    TIMEOUT.as_secs()
                ));
            }
            Err(e) => return Err(format!("{name}: {e}")),
        }
    }
}

/// Other systems have no notifications here.
#[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
pub fn show(_title: &str, _body: &str) -> Result<(), String> {
    Err("desktop notices are not supported on this system".into())
}
