//! The emulator's own check of the RPC signature (docs/protocols.md, RPC signature), written independently
//! of `alicloud_vault::aliyun::signer` so that the emulator really checks the crate's signer.
//! It follows the SDK recipe: form-encode, then fix up `+`, `*` and `%7E`.

use base64::Engine as _;
use hmac::Mac as _;
use std::collections::BTreeMap;

/// `application/x-www-form-urlencoded` encoding (space as `+`, `*` kept), as Java's URLEncoder does.
fn form_encode(s: &str) -> String {
    let mut out = String::new();
    for ch in s.chars() {
        match ch {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '.' | '-' | '*' | '_' => out.push(ch),
            ' ' => out.push('+'),
            _ => {
                let mut buf = [0u8; 4];
                for b in ch.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
        }
    }
    out
}

/// The SDK rule: form-encode, then `+`→`%20`, `*`→`%2A`, `%7E`→`~`.
pub fn sdk_encode(s: &str) -> String {
    form_encode(s)
        .replace('+', "%20")
        .replace('*', "%2A")
        .replace("%7E", "~")
}

/// Decodes one `application/x-www-form-urlencoded` component (`+` is a space).
pub fn form_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Parses `a=1&b=2` into decoded pairs (a name without `=` has an empty value).
pub fn parse_form(s: &str) -> Vec<(String, String)> {
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (form_decode(k), form_decode(v)),
            None => (form_decode(p), String::new()),
        })
        .collect()
}

/// The server's string to sign for these (decoded) parameters and the request's method.
pub fn server_string_to_sign(method: &str, params: &BTreeMap<String, String>) -> String {
    // BTreeMap orders by raw name; sort again by encoded name to be exact.
    let mut encoded: Vec<(String, String)> = params
        .iter()
        .filter(|(k, _)| k.as_str() != "Signature")
        .map(|(k, v)| (sdk_encode(k), sdk_encode(v)))
        .collect();
    encoded.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let canonical: Vec<String> = encoded.into_iter().map(|(k, v)| k + "=" + &v).collect();
    format!(
        "{}&{}&{}",
        method,
        sdk_encode("/"),
        sdk_encode(&canonical.join("&"))
    )
}

/// Base64(HMAC-SHA1(secret + "&", string_to_sign)).
pub fn expected_signature(string_to_sign: &str, secret: &str) -> String {
    let mut mac = hmac::Hmac::<sha1::Sha1>::new_from_slice(format!("{secret}&").as_bytes())
        .expect("any key length");
    mac.update(string_to_sign.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}
