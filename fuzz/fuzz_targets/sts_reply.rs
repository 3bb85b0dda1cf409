//! The STS reply parser: any HTTP status and body give a session or a `RemoteError`.
//! Input: two bytes of status, then the body.
#![no_main]

use alicloud_vault::aliyun::sts::StsClient;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static STS: OnceLock<StsClient> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let sts = STS.get_or_init(|| StsClient::new("http://127.0.0.1:9").expect("a client"));
    let status = 100 + u16::from_le_bytes([data[0], data[1]]) % 500;
    if let Ok(doc) = sts.rpc().parse_reply("AssumeRole", status, &data[2..]) {
        let _ = sts.session_from_reply(&doc, time::OffsetDateTime::UNIX_EPOCH);
    }
});
