//! Fidelity proof: the real `aliyun-python-sdk-core` signer against the emulator.

use emulator::{Emulator, Trusted};
use std::path::PathBuf;
use std::process::Command;

fn python() -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/clients/.venv/bin/python");
    assert!(
        p.exists(),
        "{} is missing: run scripts/setup-test-clients (it installs tests/clients/requirements.txt into tests/clients/.venv)",
        p.display()
    );
    p
}

/// Runs the SDK script in `mode`; returns its JSON line.
fn run_sdk(
    emu: &Emulator,
    mode: &str,
    ak: &str,
    secret: &str,
    role_arn: &str,
) -> serde_json::Value {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/clients/sts_core_sdk.py");
    let out = Command::new(python())
        .arg(script)
        .args([
            mode,
            "127.0.0.1",
            &emu.addr().port().to_string(),
            ak,
            secret,
            role_arn,
        ])
        .env("NO_PROXY", "*")
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .output()
        .expect("run the Python SDK script");
    assert!(
        out.status.success(),
        "the SDK script failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("bad output {e}: {}", String::from_utf8_lossy(&out.stdout)))
}

fn setup() -> (Emulator, String, String, String) {
    let emu = Emulator::start();
    let (ak, secret) = emu.add_user("1234567890123456", "py");
    let arn = emu.add_role(
        "1234567890123456",
        "SdkRole",
        3600,
        vec![Trusted::Account("1234567890123456".into())],
    );
    (emu, ak, secret, arn)
}

#[test]
fn the_python_core_sdk_post_request_is_accepted() {
    let (emu, ak, secret, arn) = setup();
    let out = run_sdk(&emu, "post", &ak, &secret, &arn);
    let minted = out["AccessKeyId"]
        .as_str()
        .unwrap_or_else(|| panic!("{out}"));
    assert_eq!(emu.issued_sts_keys(), vec![minted.to_string()]);
    let r = &emu.requests()[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.role_session_name.as_deref(), Some("python-sdk-core"));
}

#[test]
fn the_python_core_sdk_get_request_is_accepted() {
    let (emu, ak, secret, arn) = setup();
    let out = run_sdk(&emu, "get", &ak, &secret, &arn);
    let minted = out["AccessKeyId"]
        .as_str()
        .unwrap_or_else(|| panic!("{out}"));
    assert_eq!(emu.issued_sts_keys(), vec![minted.to_string()]);
    assert_eq!(emu.requests()[0].method, "GET");
}

#[test]
fn the_python_sts_model_request_is_accepted() {
    let (emu, ak, secret, arn) = setup();
    let out = run_sdk(&emu, "model", &ak, &secret, &arn);
    let minted = out["AccessKeyId"]
        .as_str()
        .unwrap_or_else(|| panic!("{out}"));
    assert_eq!(emu.issued_sts_keys(), vec![minted.to_string()]);
}

#[test]
fn an_sdk_signature_with_one_changed_character_is_rejected() {
    let (emu, ak, secret, arn) = setup();
    let out = run_sdk(&emu, "tampered", &ak, &secret, &arn);
    assert_eq!(out["Code"], "SignatureDoesNotMatch", "{out}");
    assert_eq!(out["Status"], 400);
    assert!(out["Message"]
        .as_str()
        .unwrap()
        .starts_with("Specified signature is not matched with our calculation. server string to sign is:POST&%2F&AccessKeyId%3D"));
    assert!(emu.issued_sts_keys().is_empty());
}

#[test]
fn the_python_sdk_with_a_wrong_secret_gets_signature_does_not_match() {
    let (emu, ak, _secret, arn) = setup();
    let out = run_sdk(&emu, "post", &ak, "wrong-secret", &arn);
    assert_eq!(out["Code"], "SignatureDoesNotMatch", "{out}");
}
