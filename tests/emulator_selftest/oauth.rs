//! Self-tests of the OAuth emulator (authorize page, token endpoint, `/v1/exchange`) against
//! the crate's OAuth client and raw requests, and of the anonymous AssumeRoleWithOIDC in the
//! three request shapes the SDKs use.

use super::ACCOUNT;
use alicloud_vault::aliyun::oauth::{
    redirect_uri, AuthorizationRequest, OAuthClient, OAuthError, OAuthSite,
};
use alicloud_vault::aliyun::sts::{AssumeRoleRequest, StsClient};
use alicloud_vault::secret::Secret;
use alicloud_vault::session::Issued;
use emulator::{Emulator, Trusted};

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

const CN: &str = "4038181954557748008";

/// GETs the authorize page; returns (status, Location).
fn authorize(emu: &Emulator, url: &str) -> (u16, Option<String>) {
    let _ = emu;
    rt().block_on(async {
        let r = no_redirects().get(url).send().await.unwrap();
        let loc = r
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_string());
        (r.status().as_u16(), loc)
    })
}

fn query_param(url: &str, name: &str) -> Option<String> {
    let (_, q) = url.split_once('?')?;
    url::form_urlencoded::parse(q.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// A login as the browser would do it: the code the redirect carries.
fn code_for(emu: &Emulator, req: &AuthorizationRequest, port: u16) -> Secret {
    let url = req.url(&emu.base_url(), CN, &redirect_uri(port));
    let (status, location) = authorize(emu, &url);
    assert_eq!(status, 302);
    let location = location.unwrap();
    assert!(location.starts_with(&redirect_uri(port)), "{location}");
    assert_eq!(
        query_param(&location, "state").as_deref(),
        Some(req.state.expose())
    );
    Secret::from(query_param(&location, "code").unwrap())
}

fn signed_in() -> Emulator {
    let emu = Emulator::start();
    emu.oauth_sign_in_as(ACCOUNT, "alice");
    emu
}

#[test]
fn the_authorize_page_refuses_unknown_clients_foreign_redirects_and_plain_challenges() {
    let emu = signed_in();
    let req = AuthorizationRequest::new();
    let base = emu.base_url();
    for (url, error) in [
        (
            req.url(&base, "123", &redirect_uri(12345)),
            "invalid_client",
        ),
        (req.url(&base, CN, &redirect_uri(8080)), "invalid_request"),
        (
            req.url(&base, CN, "http://evil.example/cli/callback"),
            "invalid_request",
        ),
        (
            req.url(&base, CN, &redirect_uri(12345))
                .replace("code_challenge_method=S256", "code_challenge_method=plain"),
            "invalid_request",
        ),
    ] {
        let body = rt().block_on(async {
            let r = no_redirects().get(&url).send().await.unwrap();
            assert_eq!(r.status().as_u16(), 400, "{url}");
            r.json::<serde_json::Value>().await.unwrap()
        });
        assert_eq!(body["error"], error, "{url}");
        assert!(body["requestId"].is_string() && body["error_description"].is_string());
    }
    // Nobody assigned: the browser is sent back with access_denied and the state.
    let emu = Emulator::start();
    let (status, location) = authorize(&emu, &req.url(&emu.base_url(), CN, &redirect_uri(12349)));
    assert_eq!(status, 302);
    let location = location.unwrap();
    assert_eq!(
        query_param(&location, "error").as_deref(),
        Some("access_denied")
    );
    assert!(query_param(&location, "code").is_none());
}

#[test]
fn codes_need_the_pkce_verifier_and_are_single_use() {
    let emu = signed_in();
    let client = OAuthClient::new(&emu.base_url()).unwrap();
    let req = AuthorizationRequest::new();
    let code = code_for(&emu, &req, 12346);
    let redirect = redirect_uri(12346);
    let wrong = Secret::new("x".repeat(128));
    let e = rt()
        .block_on(client.exchange_code(CN, &code, &redirect, &wrong))
        .unwrap_err();
    assert!(matches!(e, OAuthError::GrantRefused { .. }), "{e:?}");
    // Used up by the failed attempt as well.
    let e = rt()
        .block_on(client.exchange_code(CN, &code, &redirect, &req.verifier))
        .unwrap_err();
    assert!(e.to_string().contains("invalid_grant"), "{e}");

    let req = AuthorizationRequest::new();
    let code = code_for(&emu, &req, 12346);
    let e = rt()
        .block_on(client.exchange_code(CN, &code, &redirect_uri(12347), &req.verifier))
        .unwrap_err();
    assert!(e.to_string().contains("redirect_uri does not match"), "{e}");

    let req = AuthorizationRequest::new();
    let code = code_for(&emu, &req, 12346);
    let tokens = rt()
        .block_on(client.exchange_code(CN, &code, &redirect, &req.verifier))
        .unwrap();
    assert!(tokens.refresh_token.is_some());
    let e = rt()
        .block_on(client.exchange_code(CN, &code, &redirect, &req.verifier))
        .unwrap_err();
    assert!(e.needs_login(), "a code redeems once: {e:?}");
}

#[test]
fn a_refresh_rotates_the_refresh_token_and_refuses_the_old_one() {
    let emu = signed_in();
    let client = OAuthClient::new(&emu.base_url()).unwrap();
    let old = Secret::from(emu.oauth_issue_refresh_token());
    let t = rt().block_on(client.refresh(CN, &old)).unwrap();
    let new = t.refresh_token.expect("rotated");
    assert_ne!(new, old);
    assert!(!emu.oauth_refresh_token_valid(old.expose()));
    assert!(emu.oauth_refresh_token_valid(new.expose()));
    let e = rt().block_on(client.refresh(CN, &old)).unwrap_err();
    assert!(e.needs_login(), "{e:?}");
    // Another site's client id does not fit this token.
    let e = rt()
        .block_on(client.refresh(OAuthSite::Intl.client_id(), &new))
        .unwrap_err();
    assert!(e.to_string().contains("invalid_client"), "{e}");
    emu.oauth_revoke_refresh_tokens();
    let e = rt().block_on(client.refresh(CN, &new)).unwrap_err();
    assert!(e.needs_login(), "{e:?}");
}

#[test]
fn the_exchange_checks_the_bearer_and_mints_keys_sts_accepts_for_a_chain() {
    let emu = signed_in();
    let role = emu.add_role(
        ACCOUNT,
        "admin",
        3600,
        vec![Trusted::RamUser {
            account_id: ACCOUNT.into(),
            user_name: "alice".into(),
        }],
    );
    let client = OAuthClient::new(&emu.base_url()).unwrap();
    let refresh = Secret::from(emu.oauth_issue_refresh_token());
    let t = rt().block_on(client.refresh(CN, &refresh)).unwrap();
    let session = rt()
        .block_on(client.sts_credentials(&t.access_token))
        .unwrap();
    assert!(emu.is_minted_session(
        &session.access_key_id,
        session.access_key_secret.expose(),
        session.security_token.expose()
    ));
    let sts = StsClient::new(&emu.base_url()).unwrap();
    let hop = rt()
        .block_on(sts.assume_role(
            &Issued::Session(session),
            &AssumeRoleRequest {
                role_arn: role,
                role_session_name: "me".into(),
                duration_seconds: 900,
                policy: None,
                external_id: None,
            },
        ))
        .unwrap();
    assert!(emu.issued_sts_key(&hop.access_key_id));

    let e = rt()
        .block_on(client.sts_credentials(&Secret::new("not-a-token")))
        .unwrap_err();
    assert!(matches!(e, OAuthError::TokenRefused { .. }), "{e:?}");
    emu.oauth_set_access_lifetime(1);
    let refresh = Secret::from(emu.oauth_issue_refresh_token());
    let t = rt().block_on(client.refresh(CN, &refresh)).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let e = rt()
        .block_on(client.sts_credentials(&t.access_token))
        .unwrap_err();
    assert!(
        matches!(&e, OAuthError::TokenRefused { error, .. } if &**error == "expired_token"),
        "{e:?}"
    );
}

/// AssumeRoleWithOIDC as credentials-go (common parameters in the query, the rest in a form
/// body), as credentials-python (one GET, everything in the query) and as the generated SDK
/// (a POST with everything in the query) sends it; an expired token is refused with its Code.
#[test]
fn assume_role_with_oidc_takes_the_three_request_shapes_and_refuses_expired_tokens() {
    let emu = Emulator::start();
    let provider = emu.add_oidc_provider(ACCOUNT, "github");
    let role = emu.add_role(
        ACCOUNT,
        "ci",
        3600,
        vec![Trusted::OidcProvider(provider.clone())],
    );
    let common = |ts: &str| {
        vec![
            ("Action", "AssumeRoleWithOIDC".to_string()),
            ("Version", "2015-04-01".to_string()),
            ("Format", "JSON".to_string()),
            ("Timestamp", ts.to_string()),
        ]
    };
    let ts = alicloud_vault::session::format_alibaba_time(time::OffsetDateTime::now_utc());
    let call = |method: &str, query: Vec<(&str, String)>, form: Vec<(&str, String)>| {
        let url = format!(
            "{}/?{}",
            emu.base_url(),
            url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(query.iter())
                .finish()
        );
        rt().block_on(async {
            let c = reqwest::Client::new();
            let mut r = c.request(method.parse().unwrap(), url);
            if !form.is_empty() {
                r = r
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Accept-Encoding", "identity")
                    .body(
                        url::form_urlencoded::Serializer::new(String::new())
                            .extend_pairs(form.iter())
                            .finish(),
                    );
            }
            let r = r.send().await.unwrap();
            (
                r.status().as_u16(),
                r.json::<serde_json::Value>().await.unwrap(),
            )
        })
    };
    let action = |token: &str| {
        vec![
            ("OIDCProviderArn", provider.clone()),
            ("RoleArn", role.clone()),
            ("OIDCToken", token.to_string()),
            ("RoleSessionName", "ci-run".to_string()),
        ]
    };
    let all = |token: &str| {
        let mut v = common(&ts);
        v.extend(action(token));
        v
    };
    let token = emu.issue_oidc_token(&provider, "repo:acme/app", 600);
    for (shape, (status, body)) in [
        ("credentials-go", call("POST", common(&ts), action(&token))),
        ("credentials-python", call("GET", all(&token), vec![])),
        ("generated SDK", call("POST", all(&token), vec![])),
    ] {
        assert_eq!(status, 200, "{shape}: {body}");
        let id = body["Credentials"]["AccessKeyId"].as_str().unwrap();
        assert!(emu.issued_sts_key(id), "{shape}");
        assert_eq!(body["OIDCTokenInfo"]["Subject"], "repo:acme/app");
    }
    let expired = emu.issue_oidc_token(&provider, "repo:acme/app", -1);
    let (status, body) = call("POST", common(&ts), action(&expired));
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["Code"], "AuthenticationFail.OIDCToken.Expired");
    assert!(
        body["RequestId"].is_string() && body["HostId"].is_string() && body["Message"].is_string()
    );
}
