use super::*;

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::parse(Path::new("/cfg/config.toml"), text)
}

fn err(text: &str) -> String {
    parse(text).unwrap_err().to_string()
}

const SAMPLE: &str = r#"
[defaults]
region = "eu-central-1"
duration = "1h"
backend = "file"

[profile.jonsmith]
region = "us-east-1"

[profile.prod-admin]
source_profile = "jonsmith"
role_arn = "acs:ram::1234567890123456:role/admin"
role_session_name = "jonsmith"
external_id = "abc-123"
policy = '{"Version":"1","Statement":[]}'
duration = "15m"

[profile.corp-sso]
sso_sign_in_url = "https://signin-cn-shanghai.alibabacloudsso.com/device/login"
sso_account_id = "1234567890123456"
sso_access_configuration = "ac-xxxx"

[profile.corp-deploy]
source_profile = "corp-sso"
role_arn = "acs:ram::6543210987654321:role/deploy"
"#;

#[test]
fn the_spec_example_parses_into_profiles_with_their_values() {
    let c = parse(SAMPLE).unwrap();
    assert_eq!(c.defaults.region.as_deref(), Some("eu-central-1"));
    assert_eq!(c.defaults.backend, Some(BackendKind::File));
    let p = c.profile("prod-admin").unwrap();
    assert_eq!(
        p.role_arn.as_deref(),
        Some("acs:ram::1234567890123456:role/admin")
    );
    assert_eq!(p.duration, Some(Duration::from_secs(900)));
    assert_eq!(p.external_id.as_deref(), Some("abc-123"));
    assert_eq!(
        p.origin,
        Origin::Toml {
            file: PathBuf::from("/cfg/config.toml"),
            line: 10
        }
    );
    assert_eq!(c.region(p).as_deref(), Some("eu-central-1"));
    assert_eq!(
        c.region(c.profile("jonsmith").unwrap()).as_deref(),
        Some("us-east-1")
    );
    assert_eq!(
        c.duration(c.profile("jonsmith").unwrap()),
        Duration::from_secs(3600)
    );
    let sso = c.profile("corp-sso").unwrap().sso.clone().unwrap();
    assert_eq!(sso.access_configuration, "ac-xxxx");
    let chain: Vec<String> = c
        .chain("corp-deploy")
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(chain, ["corp-deploy", "corp-sso"]);
}

#[test]
fn an_empty_file_has_no_profiles() {
    let c = parse("").unwrap();
    assert!(c.profile_names().is_empty());
}

#[test]
fn an_unknown_key_names_the_line_and_the_nearest_key() {
    let e = err("[profile.a]\nregion = \"cn-hangzhou\"\nregoin = \"x\"\n");
    assert_eq!(
        e,
        "/cfg/config.toml:3: unknown key `regoin`; did you mean `region`?"
    );
}

#[test]
fn an_unknown_table_is_an_error() {
    let e = err("[defualts]\nregion = \"cn-hangzhou\"\n");
    assert_eq!(
        e,
        "/cfg/config.toml:1: unknown key `defualts`; did you mean `defaults`?"
    );
}

#[test]
fn malformed_toml_names_the_line() {
    let e = err("[profile.a]\nregion = \n");
    assert!(e.starts_with("/cfg/config.toml:2: "), "{e}");
}

#[test]
fn a_bad_duration_names_the_line_and_the_form() {
    let e = err("[profile.a]\n\nduration = \"1 hour\"\n");
    assert_eq!(e, "/cfg/config.toml:3: duration: `1 hour` is not a duration; write it like `900s`, `15m`, `1h` or `1h30m`");
    let e = err("[profile.a]\nduration = \"5m\"\n");
    assert!(e.contains("from 15m (900s) to 12h (43200s)"), "{e}");
}

#[test]
fn a_cycle_is_named() {
    let e = err(r#"
[profile.a]
source_profile = "b"
role_arn = "acs:ram::1:role/x"
[profile.b]
source_profile = "a"
role_arn = "acs:ram::1:role/y"
"#);
    assert_eq!(e, "source_profile forms a cycle: a -> b -> a. Make one of these profiles use a stored key or SSO instead");
}

#[test]
fn a_bad_profile_name_is_refused() {
    let e = err("[profile.\"bad name\"]\n");
    assert!(e.contains("invalid profile name `bad name`"), "{e}");
    assert!(validate_profile_name("ok.name_-1").is_ok());
    assert!(validate_profile_name(&"x".repeat(65)).is_err());
    assert!(validate_profile_name("").is_err());
}

#[test]
fn bad_values_say_what_to_write() {
    assert!(err("[profile.a]\nrole_arn = \"arn:aws:iam::1:role/x\"\n")
        .contains("acs:ram::1234567890123456:role/admin"));
    assert!(err("[defaults]\nbackend = \"vault\"\n")
        .contains("choose one of: secret-service, keyutils, keychain, wincred, file"));
    assert!(
        err("[profile.a]\nsts_endpoint = \"http://sts.example.com\"\n")
            .contains("use https:// instead")
    );
    assert!(err("[profile.a]\nsso_account_id = \"1\"\n").contains("needs all three"));
    assert!(err("[profile.a]\nsource_profile = \"b\"\n").contains("no role_arn"));
}

#[test]
fn endpoints_accept_https_and_loopback_http_only() {
    assert!(validate_endpoint("https://sts.cn-hangzhou.aliyuncs.com").is_ok());
    assert!(validate_endpoint("http://127.0.0.1:8080").is_ok());
    assert!(validate_endpoint("http://[::1]:8080/").is_ok());
    assert!(validate_endpoint("https://sts.aliyuncs.com/some/path").is_err());
    assert!(validate_endpoint("http://localhost:1").is_ok());
    assert!(validate_endpoint("http://10.0.0.1").is_err());
    assert!(validate_endpoint("http://127.0.0.1.evil.com").is_err());
    assert!(validate_endpoint("ftp://x").is_err());
    // A bare host, as the aliyun CLI's sts_endpoint holds it, means https.
    assert!(validate_endpoint("sts.aliyuncs.com").is_ok());
    assert!(validate_endpoint("http://sts.aliyuncs.com").is_err());
}

#[test]
fn agent_notices_are_on_unless_notify_is_false() {
    assert!(parse("").unwrap().agent.notify);
    assert!(parse("[agent]\nautostart = false\n").unwrap().agent.notify);
    assert!(!parse("[agent]\nnotify = false\n").unwrap().agent.notify);
    let e = err("[agent]\n\nnotify = \"no\"\n");
    assert!(e.starts_with("/cfg/config.toml:3: "), "{e}");
    assert!(e.contains("bool"), "{e}");
}
