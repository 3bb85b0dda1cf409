//! Console sign-in through the federation endpoint (docs/protocols.md, Console sign-in): swap an STS triple for a
//! one-time SigninToken (`Action=GetSigninToken`), then build the `Action=Login` URL that opens
//! the console.
//!
//! The request is unsigned: the STS secret and token travel as form fields, so it is always a
//! POST with a form body (never a query string) and only over HTTPS (plain HTTP for loopback
//! test endpoints only). The token and the Login URL are bearer credentials for 30 seconds:
//! they are kept in [`Secret`]s and never appear in errors or debug output.

use crate::aliyun::http::HttpPool;
use crate::aliyun::rpc::{RemoteError, RetryPolicy, ENV_HTTP_TIMEOUT_MS};
use crate::aliyun::signer::percent_encode;
use crate::secret::Secret;
use crate::session::Session;
use serde_json::Value;
use std::time::Duration;
use zeroize::Zeroizing;

/// The federation endpoint of the China site (documented on the GetSigninToken API page).
pub const CHINA_FEDERATION: &str = "https://signin.aliyun.com/federation";
/// The federation endpoint of the international site (from an older international guide;
/// unverified, hence overridable with `signin_endpoint`).
pub const INTERNATIONAL_FEDERATION: &str = "https://signin-intl.aliyun.com/federation";
/// Which Alibaba Cloud site an account lives on (for console sign-in).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Site {
    China,
    International,
}

/// Where the browser goes after signing in, unless `--destination` says otherwise.
pub const DEFAULT_DESTINATION: &str = "https://home.console.aliyun.com/";
/// The only documented ticket type.
pub const TICKET_TYPE: &str = "mini";

const SERVICE: &str = "Sign-in";
const TOTAL_TIMEOUT: Duration = Duration::from_secs(15);

/// The default federation endpoint of a site.
pub fn default_federation(site: Site) -> &'static str {
    match site {
        Site::China => CHINA_FEDERATION,
        Site::International => INTERNATIONAL_FEDERATION,
    }
}

/// The `LoginUrl` of a site: where the console sends the user when the session ends.
pub fn default_login_url(site: Site) -> &'static str {
    match site {
        Site::China => "https://signin.aliyun.com/",
        Site::International => "https://signin.alibabacloud.com/",
    }
}

/// Checks a federation endpoint and returns it normalised. `https://` for any host, `http://`
/// only for loopback hosts; a URL without a path gets `/federation`; queries, fragments and
/// user information are refused.
pub fn federation_url(endpoint: &str) -> Result<String, RemoteError> {
    let invalid = |message: String| RemoteError::InvalidEndpoint {
        service: SERVICE.into(),
        message,
    };
    let hint = "write a URL such as https://signin.aliyun.com/federation \
                (http:// is allowed only for 127.0.0.1, ::1 or localhost)";
    let trimmed = endpoint.trim();
    let mut url = reqwest::Url::parse(trimmed)
        .map_err(|e| invalid(format!("{trimmed:?} is not a valid URL ({e}); {hint}")))?;
    let host = url.host_str().unwrap_or("").to_string();
    if host.is_empty() {
        return Err(invalid(format!("{trimmed:?} has no host; {hint}")));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(format!(
            "{trimmed:?} must not contain user information; {hint}"
        )));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid(format!(
            "{trimmed:?} must not have a query or fragment; {hint}"
        )));
    }
    match url.scheme() {
        "https" => {}
        "http" => {
            let bare = host.trim_start_matches('[').trim_end_matches(']');
            let loopback = bare.eq_ignore_ascii_case("localhost")
                || bare
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback());
            if !loopback {
                return Err(invalid(format!(
                    "{trimmed:?} uses plain http:// for a host that is not loopback, and the STS secret \
                     would cross the network in the clear; use https://: {hint}"
                )));
            }
        }
        other => {
            return Err(invalid(format!(
                "{trimmed:?} has the unsupported scheme {other:?}; {hint}"
            )))
        }
    }
    if url.path().is_empty() || url.path() == "/" {
        url.set_path("/federation");
    }
    Ok(url.to_string())
}

/// Checks a `--destination`: an absolute `https://` (or `http://`) URL.
pub fn check_destination(destination: &str) -> Result<(), String> {
    match reqwest::Url::parse(destination) {
        Ok(u) if matches!(u.scheme(), "https" | "http") && u.host_str().is_some() => Ok(()),
        _ => Err(format!(
            "--destination {destination:?} is not an absolute http(s) URL; write one like {DEFAULT_DESTINATION}"
        )),
    }
}

/// Builds the Login URL:
/// `<federation>?Action=Login&LoginUrl=<enc>&Destination=<enc>&SigninToken=<enc>`.
/// It is a bearer credential until the token is redeemed or expires (30 s).
pub fn login_url(federation: &str, login_url: &str, destination: &str, token: &Secret) -> Secret {
    Secret::new(format!(
        "{federation}?Action=Login&LoginUrl={}&Destination={}&SigninToken={}",
        percent_encode(login_url),
        percent_encode(destination),
        percent_encode(token.expose())
    ))
}

/// A client for one federation endpoint.
#[derive(Debug, Clone)]
pub struct SigninClient {
    http: HttpPool,
    federation: String,
    retry: RetryPolicy,
    total_timeout: Duration,
}

impl SigninClient {
    /// A client for `endpoint` (see [`federation_url`]). Timeouts and retries as for RPC calls.
    pub fn new(endpoint: &str) -> Result<Self, RemoteError> {
        let federation = federation_url(endpoint)?;
        let total = crate::knobs::knob(ENV_HTTP_TIMEOUT_MS).unwrap_or(TOTAL_TIMEOUT);
        Ok(SigninClient {
            http: HttpPool::new()?,
            federation,
            retry: RetryPolicy::from_env(),
            total_timeout: total,
        })
    }

    /// The normalised federation URL.
    pub fn federation(&self) -> &str {
        &self.federation
    }

    /// Swaps an STS session for a one-time SigninToken, retrying transient failures.
    pub async fn get_signin_token(&self, session: &Session) -> Result<Secret, RemoteError> {
        let mut retry = 0;
        loop {
            match self.attempt(session).await {
                Ok(t) => return Ok(t),
                Err(e) if e.is_retryable() && retry + 1 < self.retry.attempts => {
                    tokio::time::sleep(self.retry.delay(retry)).await;
                    retry += 1;
                }
                Err(e) => return Err(e),
            }
        }
    }

    async fn attempt(&self, session: &Session) -> Result<Secret, RemoteError> {
        const ACTION: &str = "GetSigninToken";
        let fields = [
            ("Action", ACTION),
            ("AccessKeyId", session.access_key_id.as_str()),
            ("AccessKeySecret", session.access_key_secret.expose()),
            ("SecurityToken", session.security_token.expose()),
            ("TicketType", TICKET_TYPE),
        ];
        let body = Zeroizing::new(
            fields
                .iter()
                .map(|(k, v)| format!("{k}={}", percent_encode(v)))
                .collect::<Vec<_>>()
                .join("&"),
        );
        let network = |detail: String| RemoteError::Network {
            service: SERVICE.into(),
            action: ACTION.into(),
            endpoint: self.federation.as_str().into(),
            attempts: 1,
            detail: detail.into(),
        };
        let timeout = || RemoteError::Timeout {
            service: SERVICE.into(),
            action: ACTION.into(),
            endpoint: self.federation.as_str().into(),
            attempts: 1,
            timeout_ms: self.total_timeout.as_millis(),
        };
        let describe = |e: &reqwest::Error| {
            // The URL holds nothing secret here, but the error text is kept to its kind.
            if e.is_connect() {
                "connection failed".to_string()
            } else {
                "HTTP error".to_string()
            }
        };
        let response = self
            .http
            .client()
            .post(&self.federation)
            .timeout(self.total_timeout)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .body(body.as_str().to_string())
            .send()
            .await
            .map_err(|e| {
                if e.is_timeout() {
                    timeout()
                } else {
                    network(describe(&e))
                }
            })?;
        let status = response.status().as_u16();
        let bytes = response.bytes().await.map_err(|e| {
            if e.is_timeout() {
                timeout()
            } else {
                network(format!("the reply was cut off ({})", describe(&e)))
            }
        })?;
        let bytes = Zeroizing::new(bytes.to_vec());
        let sent = crate::display::Sent {
            key_ids: [Some(session.access_key_id.as_str()), None],
            secrets: [
                Some(session.access_key_secret.expose()),
                Some(session.security_token.expose()),
                None,
                None,
            ],
        };
        parse_reply(&self.federation, status, &bytes, &sent)
    }
}

fn parse_reply(
    federation: &str,
    status: u16,
    bytes: &[u8],
    sent: &crate::display::Sent<'_>,
) -> Result<Secret, RemoteError> {
    use crate::display::{RemoteText, MAX_FIELD, MAX_MESSAGE};
    const ACTION: &str = "GetSigninToken";
    let malformed = |detail: String| RemoteError::Malformed {
        service: SERVICE.into(),
        action: ACTION.into(),
        endpoint: federation.into(),
        http_status: status,
        detail: detail.into(),
    };
    // The reply holds the token: describe parse errors by position only.
    let doc: Value = serde_json::from_slice(bytes).map_err(|e| {
        malformed(format!(
            "not JSON (error at line {} column {}, {} bytes)",
            e.line(),
            e.column(),
            bytes.len()
        ))
    })?;
    let field = |k: &str| doc.get(k).and_then(Value::as_str);
    if !(200..300).contains(&status) {
        return match field("Code") {
            Some(code) => Err(RemoteError::Service {
                service: SERVICE.into(),
                action: ACTION.into(),
                http_status: status,
                code: RemoteText::new(code, MAX_FIELD, sent),
                message: RemoteText::new(field("Message").unwrap_or_default(), MAX_MESSAGE, sent),
                request_id: RemoteText::new(field("RequestId").unwrap_or("-"), MAX_FIELD, sent),
                // The session is sent as fields, not as a signer.
                signed_by_session: false,
            }),
            None => Err(malformed("an error reply without a Code field".into())),
        };
    }
    match doc.get("SigninToken").and_then(Value::as_str) {
        Some(t) if !t.is_empty() => Ok(Secret::new(t)),
        _ => Err(malformed("SigninToken is missing or empty".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn federation_urls_get_a_default_path_and_refuse_plain_http_elsewhere() {
        assert_eq!(
            federation_url("https://signin.aliyun.com/federation").unwrap(),
            "https://signin.aliyun.com/federation"
        );
        assert_eq!(
            federation_url("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080/federation"
        );
        assert!(federation_url("http://signin.aliyun.com/federation")
            .unwrap_err()
            .to_string()
            .contains("use https://"));
        assert!(federation_url("https://signin.aliyun.com/federation?x=1")
            .unwrap_err()
            .to_string()
            .contains("must not have a query"));
    }

    #[test]
    fn the_login_url_encodes_every_value() {
        let url = login_url(
            "https://signin.aliyun.com/federation",
            "https://signin.aliyun.com/",
            "https://sls.console.aliyun.com/lognext/project?a=1&b=2",
            &Secret::new("ab+/c=="),
        );
        assert_eq!(
            url.expose(),
            "https://signin.aliyun.com/federation?Action=Login\
             &LoginUrl=https%3A%2F%2Fsignin.aliyun.com%2F\
             &Destination=https%3A%2F%2Fsls.console.aliyun.com%2Flognext%2Fproject%3Fa%3D1%26b%3D2\
             &SigninToken=ab%2B%2Fc%3D%3D"
        );
    }

    #[test]
    fn replies_yield_the_token_or_a_coded_error_without_the_body() {
        let ok = parse_reply(
            "u",
            200,
            br#"{"RequestId":"R","SigninToken":"tok+en="}"#,
            &Default::default(),
        )
        .unwrap();
        assert_eq!(ok.expose(), "tok+en=");
        let e = parse_reply(
            "u",
            400,
            br#"{"RequestId":"R","Code":"MissingParameter.SecurityToken","Message":"m"}"#,
            &Default::default(),
        )
        .unwrap_err();
        assert_eq!(e.code(), Some("MissingParameter.SecurityToken"));
        let e = parse_reply("u", 200, br#"{"SigninToken":""}"#, &Default::default()).unwrap_err();
        assert!(e.to_string().contains("SigninToken is missing"), "{e}");
    }

    #[test]
    fn destinations_must_be_absolute_web_urls() {
        assert!(check_destination("https://ecs.console.aliyun.com/").is_ok());
        assert!(check_destination("ecs.console.aliyun.com").is_err());
        assert!(check_destination("javascript:alert(1)").is_err());
    }
}
