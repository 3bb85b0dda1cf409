//! Self-tests of the STS emulator: the crate's STS client against it (success, chaining, faults,
//! errors), raw requests for replay and clock checks, and the real Python SDK signer as proof
//! that the emulator checks signatures like the real service.

mod oauth;
mod oss;
mod python_sdk;

use alicloud_vault::aliyun::rpc::{RemoteError, RetryPolicy, RpcClient};
use alicloud_vault::aliyun::signer;
use alicloud_vault::aliyun::sts::{AssumeRoleRequest, StsClient};
use alicloud_vault::secret::Secret;
use alicloud_vault::session::{format_alibaba_time, Issued, LongTermKey, Session};
use emulator::{Emulator, Fault, Trusted};
use std::time::Duration;
use time::OffsetDateTime;

const ACCOUNT: &str = "1234567890123456";

struct Fixture {
    emu: Emulator,
    user: Issued,
    role_arn: String,
}

fn fixture() -> Fixture {
    let emu = Emulator::start();
    let (id, secret) = emu.add_user(ACCOUNT, "alice");
    let role_arn = emu.add_role(
        ACCOUNT,
        "AdminRole",
        7200,
        vec![Trusted::RamUser {
            account_id: ACCOUNT.into(),
            user_name: "alice".into(),
        }],
    );
    Fixture {
        emu,
        user: long_term(&id, &secret),
        role_arn,
    }
}

fn long_term(id: &str, secret: &str) -> Issued {
    Issued::LongTerm(LongTermKey {
        access_key_id: id.to_string(),
        access_key_secret: Secret::new(secret),
    })
}

fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        attempts: 4,
        base: Duration::from_millis(5),
        cap: Duration::from_millis(20),
    }
}

fn client(emu: &Emulator) -> StsClient {
    StsClient::from_rpc(
        RpcClient::new("STS", &emu.base_url(), "2015-04-01")
            .unwrap()
            .with_retry(fast_retry()),
    )
}

fn request(role_arn: &str) -> AssumeRoleRequest {
    AssumeRoleRequest {
        role_arn: role_arn.to_string(),
        role_session_name: "alice-session".into(),
        duration_seconds: 3600,
        policy: None,
        external_id: None,
    }
}

fn service_code(e: &RemoteError) -> &str {
    e.code()
        .unwrap_or_else(|| panic!("expected a service error, got {e}"))
}

#[tokio::test]
async fn assume_role_returns_a_session_the_emulator_issued() {
    let f = fixture();
    let before = OffsetDateTime::now_utc();
    let s = client(&f.emu)
        .assume_role(&f.user, &request(&f.role_arn))
        .await
        .unwrap();
    assert!(s.access_key_id.starts_with("STS."), "{}", s.access_key_id);
    assert!(f.emu.issued_sts_key(&s.access_key_id));
    assert!(s.security_token.expose().starts_with("CAIS"));
    assert_eq!(s.access_key_secret.len(), 44);
    let lifetime = (s.expiration - before).whole_seconds();
    assert!((3598..=3601).contains(&lifetime), "{lifetime}");
    assert!(s.issued_at >= before);
    assert_eq!(f.emu.calls("AssumeRole"), 1);

    let r = &f.emu.requests()[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.role_arn.as_deref(), Some(f.role_arn.as_str()));
    assert_eq!(r.role_session_name.as_deref(), Some("alice-session"));
    assert_eq!(r.duration_seconds.as_deref(), Some("3600"));
    assert!(!r.has_security_token);
    assert_eq!(r.error_code, None);
    assert_eq!(
        r.form_param_names,
        vec!["RoleArn", "RoleSessionName", "DurationSeconds"]
    );
}

#[tokio::test]
async fn policy_and_external_id_are_sent_and_checked() {
    let f = fixture();
    f.emu.set_role_external_id(&f.role_arn, Some("ext-123"));
    let mut req = request(&f.role_arn);
    let policy =
        r#"{"Statement": [{"Action": ["*"],"Effect": "Allow","Resource": ["*"]}],"Version":"1"}"#;
    req.policy = Some(policy.into());
    req.external_id = Some("ext-123".into());
    client(&f.emu).assume_role(&f.user, &req).await.unwrap();
    let r = &f.emu.requests()[0];
    assert_eq!(r.policy.as_deref(), Some(policy));
    assert_eq!(r.external_id.as_deref(), Some("ext-123"));

    req.external_id = Some("other".into());
    let e = client(&f.emu).assume_role(&f.user, &req).await.unwrap_err();
    assert_eq!(service_code(&e), "NoPermission");
    assert_eq!(e.http_status(), Some(403));
}

#[tokio::test]
async fn a_two_hop_chain_signs_the_second_hop_with_the_security_token() {
    let f = fixture();
    let second = f.emu.add_role(
        "9999888877776666",
        "Deploy",
        3600,
        vec![Trusted::Role {
            account_id: ACCOUNT.into(),
            role_name: "AdminRole".into(),
        }],
    );
    let c = client(&f.emu);
    let hop1 = c.assume_role(&f.user, &request(&f.role_arn)).await.unwrap();
    let hop2 = c
        .assume_role(&Issued::Session(hop1.clone()), &request(&second))
        .await
        .unwrap();
    assert_ne!(hop1.access_key_id, hop2.access_key_id);
    let recorded = f.emu.requests();
    assert!(!recorded[0].has_security_token);
    assert!(recorded[1].has_security_token);
    assert_eq!(
        recorded[1].access_key_id.as_deref(),
        Some(hop1.access_key_id.as_str())
    );

    let who = c.get_caller_identity(&Issued::Session(hop2)).await.unwrap();
    assert_eq!(who.account_id, "9999888877776666");
    assert_eq!(
        who.arn,
        "acs:ram::9999888877776666:assumed-role/Deploy/alice-session"
    );
    assert_eq!(who.identity_type, "AssumedRoleUser");
    assert!(who.principal_id.ends_with(":alice-session"));
    assert!(who.role_id.is_some());
}

#[tokio::test]
async fn get_caller_identity_names_the_ram_user() {
    let f = fixture();
    let who = client(&f.emu).get_caller_identity(&f.user).await.unwrap();
    assert_eq!(who.account_id, ACCOUNT);
    assert_eq!(who.arn, format!("acs:ram::{ACCOUNT}:user/alice"));
    assert_eq!(who.identity_type, "RAMUser");
    assert_eq!(who.user_id.as_deref(), Some(who.principal_id.as_str()));
    assert_eq!(who.role_id, None);
    assert_eq!(who.request_id.len(), 36);
}

#[tokio::test]
async fn an_untrusted_caller_gets_no_permission_at_once() {
    let f = fixture();
    let (id, secret) = f.emu.add_user(ACCOUNT, "mallory");
    let e = client(&f.emu)
        .assume_role(&long_term(&id, &secret), &request(&f.role_arn))
        .await
        .unwrap_err();
    assert_eq!(service_code(&e), "NoPermission");
    assert_eq!(f.emu.calls("AssumeRole"), 1);
}

async fn assert_recovers(fault: Fault, times: usize) {
    let f = fixture();
    f.emu.inject(fault.clone(), times);
    let c = StsClient::from_rpc(
        RpcClient::new("STS", &f.emu.base_url(), "2015-04-01")
            .unwrap()
            .with_retry(fast_retry())
            .with_timeouts(Duration::from_secs(1), Duration::from_millis(300))
            .unwrap(),
    );
    let s = c.assume_role(&f.user, &request(&f.role_arn)).await;
    assert!(s.is_ok(), "{fault:?}: {:?}", s.err().map(|e| e.to_string()));
    assert_eq!(f.emu.calls("AssumeRole"), times + 1, "{fault:?}");
}

#[tokio::test]
async fn http_5xx_is_retried_until_success() {
    assert_recovers(Fault::Http5xx, 3).await;
}

#[tokio::test]
async fn throttling_is_retried_until_success() {
    assert_recovers(Fault::Throttle, 2).await;
}

#[tokio::test]
async fn malformed_json_is_retried_until_success() {
    assert_recovers(Fault::MalformedJson, 1).await;
}

#[tokio::test]
async fn a_dropped_connection_is_retried_until_success() {
    assert_recovers(Fault::DropConnection, 2).await;
}

#[tokio::test]
async fn a_timeout_is_retried_until_success() {
    assert_recovers(Fault::Delay(Duration::from_millis(800)), 1).await;
}

#[tokio::test]
async fn a_fault_rate_fails_that_share_of_requests_with_each_fault_in_turn() {
    let f = fixture();
    let c = client(&f.emu);
    f.emu
        .set_fault_rate(1.0, vec![Fault::Http5xx, Fault::Throttle]);
    let e = c
        .assume_role(&f.user, &request(&f.role_arn))
        .await
        .unwrap_err();
    let seen: Vec<_> = f.emu.requests().iter().map(|r| r.fault.clone()).collect();
    assert_eq!(seen.len(), 4, "{e}");
    assert_eq!(seen[0].as_deref(), Some("Http5xx"));
    assert_eq!(seen[1].as_deref(), Some("Throttle"));
    assert_eq!(seen[2].as_deref(), Some("Http5xx"));
    f.emu.set_fault_rate(0.0, vec![Fault::Http5xx]);
    c.assume_role(&f.user, &request(&f.role_arn)).await.unwrap();
    assert_eq!(f.emu.requests().last().unwrap().fault, None);
}

async fn exhausted(fault: Fault) -> RemoteError {
    let f = fixture();
    f.emu.inject(fault, 4);
    let c = StsClient::from_rpc(
        RpcClient::new("STS", &f.emu.base_url(), "2015-04-01")
            .unwrap()
            .with_retry(fast_retry())
            .with_timeouts(Duration::from_secs(1), Duration::from_millis(300))
            .unwrap(),
    );
    let e = c
        .assume_role(&f.user, &request(&f.role_arn))
        .await
        .unwrap_err();
    assert_eq!(f.emu.calls("AssumeRole"), 4);
    e
}

#[tokio::test]
async fn persistent_5xx_surfaces_service_unavailable_after_four_attempts() {
    let e = exhausted(Fault::Http5xx).await;
    assert_eq!(service_code(&e), "ServiceUnavailable");
    assert_eq!(e.http_status(), Some(503));
}

#[tokio::test]
async fn persistent_throttling_surfaces_throttling_user() {
    let e = exhausted(Fault::Throttle).await;
    assert_eq!(service_code(&e), "Throttling.User");
    assert!(e
        .to_string()
        .ends_with("; too many requests: wait a moment and retry"));
}

#[tokio::test]
async fn persistent_malformed_json_surfaces_a_malformed_error() {
    let e = exhausted(Fault::MalformedJson).await;
    assert!(
        matches!(
            e,
            RemoteError::Malformed {
                http_status: 200,
                ..
            }
        ),
        "{e}"
    );
    assert!(!e.to_string().contains("STS.trunc"), "{e}");
}

#[tokio::test]
async fn persistent_dropped_connections_surface_a_network_error() {
    let e = exhausted(Fault::DropConnection).await;
    assert!(matches!(e, RemoteError::Network { attempts: 4, .. }), "{e}");
}

#[tokio::test]
async fn persistent_slowness_surfaces_a_timeout() {
    let e = exhausted(Fault::Delay(Duration::from_millis(800))).await;
    assert!(
        matches!(
            e,
            RemoteError::Timeout {
                attempts: 4,
                timeout_ms: 300,
                ..
            }
        ),
        "{e}"
    );
}

#[tokio::test]
async fn a_wrong_secret_gets_signature_does_not_match_without_the_echoed_string_to_sign() {
    let f = fixture();
    let bad = long_term(f.user.access_key_id(), "not-the-secret");
    let e = client(&f.emu)
        .assume_role(&bad, &request(&f.role_arn))
        .await
        .unwrap_err();
    assert_eq!(service_code(&e), "SignatureDoesNotMatch");
    assert_eq!(e.http_status(), Some(400));
    // The emulator echoes its string-to-sign as the gateway does (python_sdk.rs reads it raw);
    // the client cuts it out, with the key id it holds.
    let RemoteError::Service { message, .. } = &e else {
        unreachable!()
    };
    assert_eq!(
        message.as_str(),
        "Specified signature is not matched with our calculation. [echoed string-to-sign removed]"
    );
    assert!(!e.to_string().contains(f.user.access_key_id()), "{e}");
    assert!(!e.to_string().contains("not-the-secret"));
    assert!(e
        .to_string()
        .ends_with("; the AccessKey secret does not belong to this key id: check the secret"));
    assert_eq!(f.emu.calls("AssumeRole"), 1, "4xx must not be retried");
}

#[tokio::test]
async fn an_unknown_key_gets_invalid_access_key_id_not_found() {
    let f = fixture();
    let e = client(&f.emu)
        .assume_role(&long_term("LTAI5tUnknown", "x"), &request(&f.role_arn))
        .await
        .unwrap_err();
    assert_eq!(service_code(&e), "InvalidAccessKeyId.NotFound");
    assert_eq!(e.http_status(), Some(404));
    assert!(e.to_string().starts_with(
        "STS AssumeRole failed: InvalidAccessKeyId.NotFound: Specified access key is not found. (RequestId: "
    ));
}

#[tokio::test]
async fn a_disabled_key_gets_invalid_access_key_id_inactive() {
    let f = fixture();
    f.emu.set_key_active(f.user.access_key_id(), false);
    let e = client(&f.emu)
        .get_caller_identity(&f.user)
        .await
        .unwrap_err();
    assert_eq!(service_code(&e), "InvalidAccessKeyId.Inactive");
}

#[tokio::test]
async fn a_wrong_security_token_gets_mismatch_with_access_key() {
    let f = fixture();
    let mut s = client(&f.emu)
        .assume_role(&f.user, &request(&f.role_arn))
        .await
        .unwrap();
    s.security_token = Secret::new("CAISforged");
    let e = client(&f.emu)
        .get_caller_identity(&Issued::Session(s))
        .await
        .unwrap_err();
    assert_eq!(
        service_code(&e),
        "InvalidSecurityToken.MismatchWithAccessKey"
    );
}

#[tokio::test]
async fn expired_sts_credentials_get_invalid_security_token_expired() {
    let f = fixture();
    f.emu.set_session_lifetime(Some(Duration::from_secs(1)));
    let s = client(&f.emu)
        .assume_role(&f.user, &request(&f.role_arn))
        .await
        .unwrap();
    assert!((0..=1).contains(&s.lifetime_seconds()));
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let e = client(&f.emu)
        .get_caller_identity(&Issued::Session(s))
        .await
        .unwrap_err();
    assert_eq!(service_code(&e), "InvalidSecurityToken.Expired");
}

#[tokio::test]
async fn the_session_lifetime_knob_overrides_the_expiration() {
    let f = fixture();
    f.emu.set_session_lifetime(Some(Duration::from_secs(20)));
    let s = client(&f.emu)
        .assume_role(&f.user, &request(&f.role_arn))
        .await
        .unwrap();
    assert!(
        (19..=21).contains(&s.lifetime_seconds()),
        "{}",
        s.lifetime_seconds()
    );
}

#[tokio::test]
async fn parameters_are_validated_like_sts() {
    let f = fixture();
    let c = client(&f.emu);
    type Change = Box<dyn Fn(&mut AssumeRoleRequest)>;
    let cases: Vec<(Change, &str)> = vec![
        (
            Box::new(|r| r.duration_seconds = 899),
            "InvalidParameter.DurationSeconds",
        ),
        (
            Box::new(|r| r.duration_seconds = 7201),
            "InvalidParameter.DurationSeconds",
        ),
        (
            Box::new(|r| r.role_session_name = "a".into()),
            "InvalidParameter.RoleSessionName",
        ),
        (
            Box::new(|r| r.role_session_name = "has space".into()),
            "InvalidParameter.RoleSessionName",
        ),
        (
            Box::new(|r| r.role_session_name = "x".repeat(65)),
            "InvalidParameter.RoleSessionName",
        ),
        (
            Box::new(|r| r.policy = Some("{not json".into())),
            "InvalidParameter.PolicyGrammar",
        ),
        (
            Box::new(|r| r.policy = Some(format!("{{\"a\":\"{}\"}}", "x".repeat(2048)))),
            "InvalidParameter.PolicySize",
        ),
        (
            Box::new(|r| r.external_id = Some("x".into())),
            "InvalidParameter.ExternalId",
        ),
        (
            Box::new(|r| r.role_arn = "arn:aws:iam::1:role/x".into()),
            "InvalidParameter.RoleArn",
        ),
        (
            Box::new(|r| r.role_arn = format!("acs:ram::{ACCOUNT}:role/nope")),
            "EntityNotExist.Role",
        ),
    ];
    for (change, code) in cases {
        let mut req = request(&f.role_arn);
        change(&mut req);
        let e = c.assume_role(&f.user, &req).await.unwrap_err();
        assert_eq!(service_code(&e), code, "{req:?}");
    }
    let mut ok = request(&f.role_arn);
    ok.duration_seconds = 7200;
    ok.role_session_name = "a.b@c_d-e".into();
    c.assume_role(&f.user, &ok).await.unwrap();
}

// ---- raw requests (to control the nonce, the timestamp and the method) ----

struct Raw {
    method: &'static str,
    params: Vec<(String, String)>,
}

fn raw_params(f: &Fixture, nonce: &str, timestamp: &str) -> Vec<(String, String)> {
    [
        ("AccessKeyId", f.user.access_key_id()),
        ("Action", "GetCallerIdentity"),
        ("Format", "JSON"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureNonce", nonce),
        ("SignatureVersion", "1.0"),
        ("Timestamp", timestamp),
        ("Version", "2015-04-01"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

async fn send_raw(f: &Fixture, raw: Raw) -> (u16, serde_json::Value) {
    let secret = f.user.access_key_secret().expose();
    let mut params = raw.params;
    let sig = signer::signature(raw.method, &params, secret);
    params.push(("Signature".into(), sig));
    let query: Vec<String> = params
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                signer::percent_encode(k),
                signer::percent_encode(v)
            )
        })
        .collect();
    let url = format!("{}/?{}", f.emu.base_url(), query.join("&"));
    let http = reqwest::Client::new();
    let resp = match raw.method {
        "GET" => http.get(url),
        _ => http.post(url),
    }
    .send()
    .await
    .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap())
}

fn now_text(offset_s: i64) -> String {
    format_alibaba_time(OffsetDateTime::now_utc() + time::Duration::seconds(offset_s))
}

#[tokio::test]
async fn a_reused_nonce_gets_signature_nonce_used() {
    let f = fixture();
    let ts = now_text(0);
    let first = send_raw(
        &f,
        Raw {
            method: "POST",
            params: raw_params(&f, "nonce-1", &ts),
        },
    )
    .await;
    assert_eq!(first.0, 200, "{}", first.1);
    let again = send_raw(
        &f,
        Raw {
            method: "POST",
            params: raw_params(&f, "nonce-1", &ts),
        },
    )
    .await;
    assert_eq!(again.0, 400);
    assert_eq!(again.1["Code"], "SignatureNonceUsed");
    assert_eq!(
        again.1["Message"],
        "Specified signature nonce was used already."
    );
}

#[tokio::test]
async fn a_stale_or_future_timestamp_gets_invalid_timestamp_expired() {
    let f = fixture();
    for (nonce, offset) in [("n-old", -16 * 60), ("n-new", 16 * 60)] {
        let (status, body) = send_raw(
            &f,
            Raw {
                method: "POST",
                params: raw_params(&f, nonce, &now_text(offset)),
            },
        )
        .await;
        assert_eq!(status, 400);
        assert_eq!(body["Code"], "InvalidTimeStamp.Expired");
    }
    let (status, _) = send_raw(
        &f,
        Raw {
            method: "POST",
            params: raw_params(&f, "n-ok", &now_text(-14 * 60)),
        },
    )
    .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn get_requests_are_verified_with_their_own_method() {
    let f = fixture();
    let (status, body) = send_raw(
        &f,
        Raw {
            method: "GET",
            params: raw_params(&f, "n-get", &now_text(0)),
        },
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["IdentityType"], "RAMUser");
}

#[tokio::test]
async fn empty_valued_parameters_are_signed() {
    let f = fixture();
    let mut params = raw_params(&f, "n-empty", &now_text(0));
    params.push(("SignatureType".into(), String::new()));
    let (status, body) = send_raw(
        &f,
        Raw {
            method: "POST",
            params,
        },
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn an_sts_key_without_its_token_gets_missing_security_token() {
    let f = fixture();
    let s: Session = client(&f.emu)
        .assume_role(&f.user, &request(&f.role_arn))
        .await
        .unwrap();
    let caller = long_term(&s.access_key_id, s.access_key_secret.expose());
    let e = client(&f.emu)
        .get_caller_identity(&caller)
        .await
        .unwrap_err();
    assert_eq!(service_code(&e), "MissingSecurityToken");
}

#[tokio::test]
async fn error_documents_have_the_gateway_shape() {
    let f = fixture();
    let mut params = raw_params(&f, "n-shape", &now_text(0));
    params[0].1 = "LTAI5tNobody".into();
    let (status, body) = send_raw(
        &f,
        Raw {
            method: "POST",
            params,
        },
    )
    .await;
    assert_eq!(status, 404);
    let mut keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        ["Code", "HostId", "Message", "Recommend", "RequestId"]
    );
    assert_eq!(body["HostId"], "sts.aliyuncs.com");
    let rid = body["RequestId"].as_str().unwrap();
    assert_eq!(
        body["Recommend"],
        format!("https://api.aliyun.com/troubleshoot?q=InvalidAccessKeyId.NotFound&product=Sts&requestId={rid}")
    );
}
