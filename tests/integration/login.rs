//! `login` against the STS and sign-in emulators: the URL's exact shape, a token the emulator
//! issued, redemption with a 302 to the destination, and the refusals.

use crate::common::{admin_world, TestEnv};
use emulator::signature::parse_form;
use emulator::Emulator;
use std::collections::BTreeMap;
use std::io::{Read, Write};

struct World {
    env: TestEnv,
    emu: Emulator,
}

fn world(extra: &str) -> World {
    let env = TestEnv::new();
    let emu = Emulator::start();
    admin_world(&env, &emu, "signin_endpoint = \"{emu}\"", extra);
    World { env, emu }
}

/// Splits a printed URL into (scheme://host:port/path, raw query, decoded parameters).
fn parse_url(url: &str) -> (String, String, BTreeMap<String, String>) {
    let (base, query) = url.trim().split_once('?').expect("a query");
    let params = parse_form(query).into_iter().collect();
    (base.to_string(), query.to_string(), params)
}

/// A plain HTTP/1.1 GET of `url` (an emulator URL); returns (status, Location header).
fn http_get(url: &str) -> (u16, Option<String>) {
    let rest = url.strip_prefix("http://").expect("http URL");
    let (authority, path) = rest.split_at(rest.find('/').unwrap());
    let mut s = std::net::TcpStream::connect(authority).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut reply = String::new();
    s.read_to_string(&mut reply).unwrap();
    let status = reply.split(' ').nth(1).unwrap().parse().unwrap();
    let location = reply
        .lines()
        .find_map(|l| {
            l.strip_prefix("location: ")
                .or_else(|| l.strip_prefix("Location: "))
        })
        .map(str::to_string);
    (status, location)
}

#[test]
fn login_prints_a_login_url_with_a_token_the_emulator_issued() {
    let w = world("");
    let r = w.env.run(&["login", "admin", "--stdout"]);
    let (base, query, params) = parse_url(r.ok());
    assert_eq!(base, format!("{}/federation", w.emu.base_url()));
    assert_eq!(
        params.keys().collect::<Vec<_>>(),
        ["Action", "Destination", "LoginUrl", "SigninToken"]
    );
    assert!(query.starts_with("Action=Login&LoginUrl="), "{query}");
    assert_eq!(params["Action"], "Login");
    assert_eq!(params["LoginUrl"], "https://signin.aliyun.com/");
    assert_eq!(params["Destination"], "https://home.console.aliyun.com/");
    assert!(query.contains("&Destination=https%3A%2F%2Fhome.console.aliyun.com%2F&"));
    assert_eq!(
        w.emu.signin_tokens_issued(),
        [params["SigninToken"].clone()]
    );
    // The token has +, / and = characters: all of them are encoded.
    let raw_token = query.split("SigninToken=").nth(1).unwrap();
    assert!(!raw_token.contains(['+', '/', '=']), "{raw_token}");
    assert!(r.stderr.is_empty(), "nothing else is printed: {}", r.stderr);
    assert_eq!(w.emu.calls("AssumeRole"), 1);
}

#[test]
fn the_destination_is_encoded_and_the_url_redeems_once_with_a_redirect_there() {
    let w = world("");
    let dest =
        "https://sls.console.aliyun.com/lognext/project/p1/logsearch/l1?hideTopbar=true&a=b c";
    let r = w
        .env
        .run(&["login", "admin", "--stdout", "--destination", dest]);
    let url = r.ok().trim().to_string();
    let (_, query, params) = parse_url(&url);
    assert_eq!(params["Destination"], dest);
    assert!(
        query.contains("&Destination=https%3A%2F%2Fsls.console.aliyun.com%2Flognext%2Fproject%2Fp1%2Flogsearch%2Fl1%3FhideTopbar%3Dtrue%26a%3Db%20c&"),
        "{query}"
    );
    assert_eq!(http_get(&url), (302, Some(dest.to_string())));
    assert_eq!(w.emu.signin_redeemed(), [dest]);
    assert_eq!(http_get(&url).0, 401, "a token works once");
}

#[test]
fn the_international_site_gets_its_login_url() {
    let w = world("site = \"international\"");
    let r = w.env.run(&["login", "admin", "--stdout"]);
    let (_, _, params) = parse_url(r.ok());
    assert_eq!(params["LoginUrl"], "https://signin.alibabacloud.com/");
}

#[test]
fn without_a_display_the_url_is_printed_with_a_warning() {
    let w = world("");
    let r = w.env.run(&["login", "admin"]);
    let (_, _, params) = parse_url(r.ok());
    assert_eq!(params["Action"], "Login");
    assert!(
        r.stderr.contains("no display to open a browser on"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_profile_without_a_role_is_refused() {
    let w = world("");
    let r = w.env.run(&["login", "base", "--stdout"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("profile base has no role_arn")
            && r.stderr.contains("STS has no GetFederationToken"),
        "{}",
        r.stderr
    );
    assert_eq!(r.stdout, "");
    assert!(w.emu.requests().is_empty());
    assert!(w.emu.signin_tokens_issued().is_empty());
}

#[test]
fn a_relative_destination_is_refused() {
    let w = world("");
    let r = w.env.run(&[
        "login",
        "admin",
        "--stdout",
        "--destination",
        "ecs.console.aliyun.com",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("is not an absolute http(s) URL"),
        "{}",
        r.stderr
    );
    assert!(w.emu.requests().is_empty());
}

#[test]
fn a_session_the_sign_in_service_refuses_is_a_remote_error() {
    let w = world("");
    // Mint and cache a session, then make the emulator forget it.
    w.env.run(&["exec", "admin", "--", "true"]).ok();
    w.emu.state().keys.retain(|id, _| !id.starts_with("STS."));
    let r = w.env.run(&["login", "admin", "--stdout"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(
        r.stderr.contains("InvalidCredential.AuthenticateFail")
            && r.stderr
                .contains("did not accept the session of profile admin"),
        "{}",
        r.stderr
    );
    assert_eq!(r.stdout, "");
}
