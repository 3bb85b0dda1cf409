//! The CloudSSO reply parser: any HTTP status and body give a JSON object or an `SsoError`.
//! Input: two bytes of status, then the body.
#![no_main]

use alicloud_vault::aliyun::sso::SsoClient;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static SSO: OnceLock<SsoClient> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let sso = SSO.get_or_init(|| SsoClient::new("http://127.0.0.1:9").expect("a client"));
    let status = 100 + u16::from_le_bytes([data[0], data[1]]) % 500;
    let _ = sso.parse_reply("CreateDeviceCode", status, &data[2..]);
});
