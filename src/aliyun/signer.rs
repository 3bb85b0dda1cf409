//! The RPC signature used by STS and RAM (`SignatureMethod=HMAC-SHA1`, `SignatureVersion=1.0`).
//!
//! docs/protocols.md, RPC signature: every parameter except `Signature` (empty values included) is
//! percent-encoded, sorted by encoded name, joined into a canonical query string, and signed as
//! `METHOD&%2F&encode(canonical)` with HMAC-SHA1 keyed by `secret + "&"`.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha1::Sha1;

/// Percent-encodes per RFC 3986 the way Alibaba's RPC signer does: `A-Z a-z 0-9 - _ . ~`
/// stay as they are, every other UTF-8 byte becomes `%XY` with uppercase hex
/// (so a space is `%20`, `*` is `%2A`, `~` stays `~`).
pub fn percent_encode(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len() * 3);
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 0x0f) as usize] as char);
        }
    }
    out
}

/// The canonicalized query string: `name=value` pairs, both percent-encoded, sorted by encoded
/// name (then value), joined with `&`. A parameter named `Signature` is left out.
pub fn canonical_query(params: &[(String, String)]) -> String {
    let mut pairs: Vec<(String, String)> = params
        .iter()
        .filter(|(k, _)| k != "Signature")
        .map(|(k, v)| (percent_encode(k), percent_encode(v)))
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// `method + "&%2F&" + percent_encode(canonical query)`; the method is used exactly as given
/// (the signature covers the request's real HTTP method).
pub fn string_to_sign(method: &str, params: &[(String, String)]) -> String {
    format!(
        "{method}&{}&{}",
        percent_encode("/"),
        percent_encode(&canonical_query(params))
    )
}

/// Base64 of HMAC-SHA1 over `data` with `key`: the primitive under [`signature`].
pub fn hmac_sha1_base64(key: &[u8], data: &[u8]) -> String {
    let mut mac = Hmac::<Sha1>::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(data);
    STANDARD.encode(mac.finalize().into_bytes())
}

/// The value of the `Signature` parameter for a request with these parameters, signed with
/// the AccessKey secret (the HMAC key is `secret + "&"`).
pub fn signature(method: &str, params: &[(String, String)], secret: &str) -> String {
    let key = zeroize::Zeroizing::new(format!("{secret}&"));
    hmac_sha1_base64(key.as_bytes(), string_to_sign(method, params).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_display_filter_encodes_values_as_the_signer_does() {
        // src/display.rs redacts values in their encoded forms with its own copy of this encoding.
        for v in ["CAIS+tok/en==", "a b~c-d_e.f*g", "ключ", "%25"] {
            assert_eq!(crate::display::percent_encode(v), percent_encode(v), "{v}");
        }
    }

    fn p(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn doc_example() -> Vec<(String, String)> {
        p(&[
            ("AccessKeyId", "testid"),
            ("Action", "DescribeRegions"),
            ("Format", "XML"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
            ("SignatureVersion", "1.0"),
            ("Timestamp", "2016-02-23T12:46:24Z"),
            ("Version", "2014-05-26"),
        ])
    }

    #[test]
    fn percent_encoding_follows_rfc3986_with_uppercase_hex() {
        assert_eq!(percent_encode("a b*c~d+e/f=g"), "a%20b%2Ac~d%2Be%2Ff%3Dg");
        assert_eq!(percent_encode("AZaz09-_.~"), "AZaz09-_.~");
        assert_eq!(percent_encode("中"), "%E4%B8%AD");
        assert_eq!(percent_encode(":"), "%3A");
    }

    #[test]
    fn vector_a_official_doc_example_get() {
        let params = doc_example();
        assert_eq!(
            string_to_sign("GET", &params),
            "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
        );
        assert_eq!(
            signature("GET", &params, "testsecret"),
            "OLeaidS1JvxuMvnyHOwuJ+uX5qY="
        );
    }

    #[test]
    fn vector_a_official_doc_example_post() {
        assert_eq!(
            signature("POST", &doc_example(), "testsecret"),
            "MxbnVAM4w6sft9xjVpe/GCKueuk="
        );
    }

    #[test]
    fn vector_a_ignores_a_signature_parameter() {
        let mut params = doc_example();
        params.push(("Signature".into(), "whatever".into()));
        assert_eq!(
            signature("GET", &params, "testsecret"),
            "OLeaidS1JvxuMvnyHOwuJ+uX5qY="
        );
    }

    #[test]
    fn vector_b_hmac_primitive() {
        assert_eq!(
            hmac_sha1_base64(b"secret", b"source"),
            "Jv4yi8SobFhg5t1C7nWLbhBSFZQ="
        );
        assert_eq!(
            hmac_sha1_base64(b"secret", "中文".as_bytes()),
            "CqCYIa39h9SSWuXnTz8F5hh9UPA="
        );
        assert_eq!(
            hmac_sha1_base64(b"secret", "中文unicode".as_bytes()),
            "szlfHs3WVaO/HgY3Cg7/uyXDaRw="
        );
    }

    fn composer_params() -> Vec<(String, String)> {
        p(&[
            ("AccessKeyId", "accessKeyId"),
            ("Action", ""),
            ("Format", "JSON"),
            ("RegionId", "regionId"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "MOCK_UUID"),
            ("SignatureType", ""),
            ("SignatureVersion", "1.0"),
            ("Timestamp", "mock date"),
            ("Version", ""),
        ])
    }

    #[test]
    fn vector_c_composer_with_empty_params() {
        let params = composer_params();
        assert_eq!(
            string_to_sign("GET", &params),
            "GET&%2F&AccessKeyId%3DaccessKeyId%26Action%3D%26Format%3DJSON%26RegionId%3DregionId%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3DMOCK_UUID%26SignatureType%3D%26SignatureVersion%3D1.0%26Timestamp%3Dmock%2520date%26Version%3D"
        );
        assert_eq!(
            signature("GET", &params, "accessKeySecret"),
            "7loPmFjvDnzOVnQeQNj85S6nFGY="
        );
    }

    #[test]
    fn vector_c_composer_with_security_token() {
        let mut params = composer_params();
        params.push(("SecurityToken".into(), "accessKeyStsToken".into()));
        assert_eq!(
            signature("GET", &params, "accessKeySecret"),
            "5Nxdcler+ihqWqv0Hr2On4PsBf4="
        );
    }

    #[test]
    fn vector_d_string_to_sign_units() {
        assert_eq!(string_to_sign("GET", &[]), "GET&%2F&");
        assert_eq!(
            string_to_sign("GET", &p(&[("key", "value")])),
            "GET&%2F&key%3Dvalue"
        );
        assert_eq!(
            string_to_sign("GET", &p(&[("q", "value"), ("key", "value")])),
            "GET&%2F&key%3Dvalue%26q%3Dvalue"
        );
        assert_eq!(
            string_to_sign(
                "GET",
                &p(&[("key", "value"), ("q", "http://domain/?q=value&q2=value2")])
            ),
            "GET&%2F&key%3Dvalue%26q%3Dhttp%253A%252F%252Fdomain%252F%253Fq%253Dvalue%2526q2%253Dvalue2"
        );
    }

    #[test]
    fn vector_e_empty_method() {
        let params = p(&[("test", "ok")]);
        assert_eq!(string_to_sign("", &params), "&%2F&test%3Dok");
        assert_eq!(
            signature("", &params, "accessKeySecret"),
            "jHx/oHoHNrbVfhncHEvPdHXZwHU="
        );
    }

    fn assume_role_params() -> Vec<(String, String)> {
        p(&[
            ("AccessKeyId", "testid"),
            ("Action", "AssumeRole"),
            ("DurationSeconds", "3600"),
            ("Format", "JSON"),
            ("RoleArn", "acs:ram::1234567890123456:role/adminrole"),
            ("RoleSessionName", "alice"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
            ("SignatureVersion", "1.0"),
            ("Timestamp", "2016-02-23T12:46:24Z"),
            ("Version", "2015-04-01"),
        ])
    }

    #[test]
    fn vector_f_assume_role_post_and_get() {
        let params = assume_role_params();
        assert_eq!(
            signature("POST", &params, "testsecret"),
            "hwAuu+SiRYy8kNE/9jIBtJayiOo="
        );
        assert_eq!(
            signature("GET", &params, "testsecret"),
            "/Snyrr9Vz5atwt+7P41WzwxMNgc="
        );
    }

    #[test]
    fn vector_f_assume_role_with_token_external_id_and_policy() {
        let mut params = assume_role_params();
        params.push(("SecurityToken".into(), "CAIS+tok/en==".into()));
        params.push(("ExternalId".into(), "abc~123".into()));
        params.push((
            "Policy".into(),
            r#"{"Statement": [{"Action": ["*"],"Effect": "Allow","Resource": ["*"]}],"Version":"1"}"#
                .into(),
        ));
        let canonical = canonical_query(&params);
        assert!(canonical.contains("ExternalId=abc~123"));
        assert!(canonical.contains("SecurityToken=CAIS%2Btok%2Fen%3D%3D"));
        assert!(canonical
            .contains("Policy=%7B%22Statement%22%3A%20%5B%7B%22Action%22%3A%20%5B%22%2A%22%5D"));
        assert_eq!(
            signature("POST", &params, "testsecret"),
            "lj/zmGiJLbwkOrBzxQfIIttjDh0="
        );
    }
}
