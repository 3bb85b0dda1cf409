//! The OSS emulator's checks of the security token (its signature checks are proven by the real
//! ossutil in tests/integration/go_clients.rs): a session's AccessKeyId signs only with its own,
//! unexpired token, and a refused request answers an OSS XML error.

use super::{client, fixture, request};
use emulator::oss::{self, HttpRequest};

/// A correctly signed V1 `GET /photos/` with these extra headers.
fn signed(id: &str, secret: &str, token: Option<&str>) -> Vec<(String, String)> {
    let date = time::OffsetDateTime::now_utc()
        .format(time::macros::format_description!(
            "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
        ))
        .unwrap();
    let mut headers = vec![
        ("host".to_string(), "127.0.0.1:1".to_string()),
        ("date".to_string(), date),
    ];
    if let Some(t) = token {
        headers.push(("x-oss-security-token".into(), t.into()));
    }
    let req = HttpRequest {
        method: "GET",
        path: "/photos/",
        query: "",
        headers: &headers,
    };
    let sig = oss::v1_signature(secret, &oss::v1_string_to_sign(&req, &[]));
    headers.push(("authorization".into(), format!("OSS {id}:{sig}")));
    headers
}

fn code(emu: &emulator::Emulator, headers: &[(String, String)]) -> (u16, String) {
    let req = HttpRequest {
        method: "GET",
        path: "/photos/",
        query: "",
        headers,
    };
    let reply = oss::handle(&mut emu.state(), &req);
    let code = reply
        .body
        .split_once("<Code>")
        .and_then(|(_, r)| r.split_once("</Code>"))
        .map_or(String::new(), |(c, _)| c.to_string());
    (reply.status, code)
}

#[tokio::test]
async fn a_session_signs_only_with_its_own_unexpired_token() {
    let f = fixture();
    f.emu.add_bucket("photos", &["a.txt"]);
    let s = client(&f.emu)
        .assume_role(&f.user, &request(&f.role_arn))
        .await
        .unwrap();
    let (id, secret) = (&s.access_key_id, s.access_key_secret.expose());
    let token = s.security_token.expose();
    assert_eq!(
        code(&f.emu, &signed(id, secret, Some(token))),
        (200, String::new())
    );
    assert_eq!(
        code(&f.emu, &signed(id, secret, None)).1,
        "InvalidAccessKeyId"
    );
    let other = format!("{token}x");
    assert_eq!(
        code(&f.emu, &signed(id, secret, Some(&other))).1,
        "InvalidSecurityToken"
    );
    assert_eq!(
        code(&f.emu, &signed("STS.NotIssuedByUs", secret, Some(token))).1,
        "InvalidAccessKeyId"
    );
    // An hour and a minute later (the request's Date moves with the clock).
    f.emu.set_clock_skew(3660);
    let mut late = signed(id, secret, Some(token));
    let when = time::OffsetDateTime::now_utc() + time::Duration::seconds(3660);
    let date = when
        .format(time::macros::format_description!(
            "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
        ))
        .unwrap();
    late.retain(|(n, _)| n != "date" && n != "authorization");
    late.push(("date".into(), date));
    let req = HttpRequest {
        method: "GET",
        path: "/photos/",
        query: "",
        headers: &late,
    };
    let sig = oss::v1_signature(secret, &oss::v1_string_to_sign(&req, &[]));
    late.push(("authorization".into(), format!("OSS {id}:{sig}")));
    assert_eq!(
        code(&f.emu, &late),
        (403, "SecurityTokenExpired".to_string())
    );
    // A stale Date is refused whatever the key.
    assert_eq!(
        code(&f.emu, &signed(id, secret, Some(token))).1,
        "RequestTimeTooSkewed"
    );
    let record = f.emu.oss_requests();
    assert_eq!(record.len(), 6);
    assert!(record.iter().all(|r| r.operation == "ListObjects"));
}
