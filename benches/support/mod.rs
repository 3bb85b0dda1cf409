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
