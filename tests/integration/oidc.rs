//! OIDC profiles (CI systems, Kubernetes RRSA): sessions minted by anonymous
//! AssumeRoleWithOIDC from a token file read again at every mint, chained and served like any
//! session, with STS's refusals explained. No key is stored at all.

use crate::common::{TestEnv, ACCOUNT};
use emulator::state::Trusted;
use emulator::Emulator;

pub struct OidcWorld {
    pub env: TestEnv,
    pub emu: Emulator,
    pub provider: String,
    pub token_file: std::path::PathBuf,
}

/// Profile `ci` (OIDC, role `ci-role`) and `ci-deploy` (role `deploy`, assumed with ci's
/// session); a valid token in the token file. `more` is appended to the configuration.
pub fn oidc_world_in(env: TestEnv, emu: Emulator, more: &str) -> OidcWorld {
    let provider = emu.add_oidc_provider(ACCOUNT, "github");
    let ci_role = emu.add_role(
        ACCOUNT,
        "ci-role",
        43200,
        vec![Trusted::OidcProvider(provider.clone())],
    );
    let deploy = emu.add_role(
        ACCOUNT,
        "deploy",
        43200,
        vec![Trusted::Role {
            account_id: ACCOUNT.into(),
            role_name: "ci-role".into(),
        }],
    );
    let token_file = env.path().join("oidc-token");
    std::fs::write(
        &token_file,
        emu.issue_oidc_token(&provider, "repo:acme/app", 600),
    )
    .unwrap();
    env.write_config(&format!(
        "[defaults]\nregion = \"cn-hangzhou\"\nsts_endpoint = \"{url}\"\n\n\
         [profile.ci]\noidc_provider_arn = \"{provider}\"\noidc_token_file = \"{file}\"\nrole_arn = \"{ci_role}\"\n\n\
         [profile.ci-deploy]\nsource_profile = \"ci\"\nrole_arn = \"{deploy}\"\n{more}\n",
        url = emu.base_url(),
        file = token_file.display(),
    ));
    OidcWorld {
        env,
        emu,
        provider,
        token_file,
    }
}

fn oidc_world() -> OidcWorld {
    oidc_world_in(TestEnv::new(), Emulator::start(), "")
}

fn key_id(w: &OidcWorld, profile: &str) -> crate::common::Run {
    w.env.exec_key_id(profile)
}

#[test]
fn an_oidc_profile_gets_a_session_with_the_token_in_its_file_and_no_stored_key() {
    let w = oidc_world();
    let token = std::fs::read_to_string(&w.token_file).unwrap();
    let r = key_id(&w, "ci");
    assert_eq!(r.code, 0, "{r:?}");
    assert!(w.emu.issued_sts_key(r.stdout.trim()), "{r:?}");
    assert_eq!(w.emu.oidc_tokens_presented(), vec![token.clone()]);
    assert_eq!(
        w.env.run(&["list", "--credentials"]).ok(),
        "",
        "nothing stored"
    );
    // Cached like every session: the next exec makes no call.
    assert_eq!(key_id(&w, "ci").stdout, r.stdout);
    assert_eq!(w.emu.oidc_tokens_presented().len(), 1);
    // No token text in any file but the keystore's (the session cache holds no token).
    for entry in crate::common::files_under(w.env.path()) {
        if entry == w.token_file {
            continue;
        }
        let bytes = std::fs::read(&entry).unwrap_or_default();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(token.trim()),
            "{} holds the OIDC token",
            entry.display()
        );
    }
}

#[test]
fn the_token_file_is_read_again_at_every_mint() {
    let w = oidc_world();
    assert_eq!(key_id(&w, "ci").code, 0);
    let rotated = w.emu.issue_oidc_token(&w.provider, "repo:acme/app", 600);
    std::fs::write(&w.token_file, format!("{rotated}\n")).unwrap();
    assert_eq!(w.env.run(&["clear"]).code, 0);
    let r = key_id(&w, "ci");
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(w.emu.oidc_tokens_presented().last(), Some(&rotated));
}

#[test]
fn a_chain_from_an_oidc_profile_signs_the_next_hop_with_the_oidc_session() {
    let w = oidc_world();
    let r = key_id(&w, "ci-deploy");
    assert_eq!(r.code, 0, "{r:?}");
    assert!(w.emu.issued_sts_key(r.stdout.trim()));
    let hop = w
        .emu
        .requests()
        .into_iter()
        .rfind(|q| q.action.as_deref() == Some("AssumeRole"))
        .expect("the second hop is an AssumeRole");
    assert!(hop.has_security_token, "signed by the OIDC session");
    assert!(hop
        .access_key_id
        .as_deref()
        .is_some_and(|id| id.starts_with("STS.")));
    assert_eq!(
        hop.role_arn.as_deref().map(|a| a.ends_with("role/deploy")),
        Some(true)
    );
}

#[test]
fn an_expired_token_is_a_remote_error_with_its_code_and_advice_and_never_echoed() {
    let w = oidc_world();
    let expired = w.emu.issue_oidc_token(&w.provider, "repo:acme/app", -10);
    std::fs::write(&w.token_file, &expired).unwrap();
    for profile in ["ci", "ci-deploy"] {
        let r = key_id(&w, profile);
        assert_eq!(r.code, 3, "{r:?}");
        assert!(
            r.stderr.contains("AuthenticationFail.OIDCToken.Expired")
                && r.stderr.contains("writes a new one to the token file"),
            "{}",
            r.stderr
        );
        assert!(!r.stderr.contains(&expired[20..60]), "{}", r.stderr);
        assert!(r.stdout.is_empty());
    }
}

#[test]
fn a_missing_token_file_and_bad_oidc_settings_are_configuration_errors() {
    let w = oidc_world();
    std::fs::remove_file(&w.token_file).unwrap();
    let r = key_id(&w, "ci");
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stderr.contains(&w.token_file.display().to_string())
            && r.stderr.contains("oidc_token_file"),
        "{}",
        r.stderr
    );
    let env = TestEnv::new();
    for (toml, expect) in [
        (
            "[profile.x]\noidc_provider_arn = \"acs:ram::1:oidc-provider/p\"\noidc_token_file = \"/t\"\n",
            "no role_arn",
        ),
        (
            "[profile.x]\noidc_provider_arn = \"acs:ram::1:oidc-provider/p\"\nrole_arn = \"acs:ram::1:role/r\"\n",
            "needs both",
        ),
        (
            "[profile.x]\noidc_provider_arn = \"github\"\noidc_token_file = \"/t\"\nrole_arn = \"acs:ram::1:role/r\"\n",
            "is not an OIDC provider ARN",
        ),
    ] {
        env.assert_config_refused(toml, expect);
    }
}

#[test]
fn the_agent_serves_and_refreshes_oidc_sessions_on_the_credentials_uri() {
    let w = oidc_world();
    w.emu
        .set_session_lifetime(Some(std::time::Duration::from_secs(12)));
    let _agent = crate::agent::start_agent(&w.env);
    let held = crate::agent::held_exec(&w.env, &["--server", "ci-deploy"]);
    let (addr, path) = crate::agent::split_uri(&held.uri);
    let (status, body) = crate::agent::http_get(&addr, &path, &[]);
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let first = v["AccessKeyId"].as_str().unwrap().to_string();
    assert!(w.emu.issued_sts_key(&first));
    // Past half the 12 s lifetime the agent mints again, through the OIDC source.
    std::thread::sleep(std::time::Duration::from_secs(7));
    let (status, body) = crate::agent::http_get(&addr, &path, &[]);
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_ne!(v["AccessKeyId"].as_str().unwrap(), first);
    assert!(w.emu.oidc_tokens_presented().len() >= 2);
    held.finish();
}
