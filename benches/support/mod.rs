//! What both benches do the same way.

use std::io::Write;
use std::process::{Command, Stdio};

/// Runs `alicloud-vault add PROFILE --stdin --no-verify` (`add`, a prepared command) with the
/// key on its standard input.
pub fn add_key(mut add: Command, id: &str, secret: &str) {
    add.stdin(Stdio::piped());
    let mut child = add.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{id}\n{secret}\n").as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success(), "add failed");
}

/// The binary measured: `ALICLOUD_VAULT_BENCH_BIN` when set (benches/run sets it to the static
/// build the release archives and the .deb ship, packaging/rustflags), else the one cargo
/// built for this bench.
pub fn binary() -> &'static str {
    static BIN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    BIN.get_or_init(|| {
        std::env::var("ALICLOUD_VAULT_BENCH_BIN")
            .unwrap_or_else(|_| env!("CARGO_BIN_EXE_alicloud-vault").to_string())
    })
}
