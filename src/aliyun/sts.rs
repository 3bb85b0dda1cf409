//! STS (API version 2015-04-01): AssumeRole and GetCallerIdentity (docs/protocols.md, STS over RPC).

use crate::aliyun::rpc::{RemoteError, RpcClient};
use crate::secret::Secret;
use crate::session::{parse_alibaba_time, Issued, Session};
use serde_json::Value;
use time::OffsetDateTime;

/// The STS API version.
pub const STS_VERSION: &str = "2015-04-01";

/// A client for STS at one endpoint.
#[derive(Debug, Clone)]
pub struct StsClient {
    rpc: RpcClient,
}

/// The inputs of one AssumeRole call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssumeRoleRequest {
    /// `acs:ram::<account-id>:role/<role-name>`.
    pub role_arn: String,
    /// 2-64 characters of `[A-Za-z0-9.@_-]` (see [`sanitize_session_name`]).
    pub role_session_name: String,
    /// 900 up to the role's MaxSessionDuration.
    pub duration_seconds: u32,
    /// A session policy (JSON, at most 2048 characters).
    pub policy: Option<String>,
    /// The external id the role's trust policy asks for.
    pub external_id: Option<String>,
}

/// The inputs of one AssumeRoleWithOIDC call (anonymous: the OIDC token is the credential).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcRequest {
    /// `acs:ram::<account-id>:oidc-provider/<name>`.
    pub provider_arn: String,
    pub role_arn: String,
    pub role_session_name: String,
    pub duration_seconds: u32,
    pub policy: Option<String>,
}

/// Who signed a request, per GetCallerIdentity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallerIdentity {
    pub account_id: String,
    /// `acs:ram::<acct>:user/<name>` or `acs:ram::<acct>:assumed-role/<role>/<session>`.
    pub arn: String,
    /// `RAMUser`, `AssumedRoleUser` or `Account`.
    pub identity_type: String,
    pub principal_id: String,
    pub user_id: Option<String>,
    pub role_id: Option<String>,
    pub request_id: String,
}

impl StsClient {
    /// A client for the STS endpoint `endpoint` (see [`crate::aliyun::rpc::validate_endpoint`]).
    pub fn new(endpoint: &str) -> Result<Self, RemoteError> {
        Ok(StsClient {
            rpc: RpcClient::new("STS", endpoint, STS_VERSION)?,
        })
    }

    /// As [`StsClient::new`], over the connections of `pool`.
    pub fn on(pool: &crate::aliyun::http::HttpPool, endpoint: &str) -> Result<Self, RemoteError> {
        Ok(StsClient {
            rpc: RpcClient::on(pool, "STS", endpoint, STS_VERSION)?,
        })
    }

    /// A client over a prepared RPC client (custom timeouts or retry policy).
    pub fn from_rpc(rpc: RpcClient) -> Self {
        StsClient { rpc }
    }

    /// The RPC client underneath.
    pub fn rpc(&self) -> &RpcClient {
        &self.rpc
    }

    /// `https://sts.<region>.aliyuncs.com`, or the global `https://sts.aliyuncs.com` without a region.
    pub fn default_endpoint(region: Option<&str>) -> String {
        match region.map(str::trim).filter(|r| !r.is_empty()) {
            Some(r) => format!("https://sts.{r}.aliyuncs.com"),
            None => "https://sts.aliyuncs.com".to_string(),
        }
    }

    /// Assumes a role with the caller's credentials and returns the new session.
    /// `issued_at` is the local time the reply arrived.
    pub async fn assume_role(
        &self,
        caller: &Issued,
        req: &AssumeRoleRequest,
    ) -> Result<Session, RemoteError> {
        let mut params = vec![
            ("RoleArn".to_string(), req.role_arn.clone()),
            ("RoleSessionName".to_string(), req.role_session_name.clone()),
            (
                "DurationSeconds".to_string(),
                req.duration_seconds.to_string(),
            ),
        ];
        if let Some(p) = &req.policy {
            params.push(("Policy".to_string(), p.clone()));
        }
        if let Some(e) = &req.external_id {
            params.push(("ExternalId".to_string(), e.clone()));
        }
        let doc = self.rpc.call("AssumeRole", &params, caller).await?;
        let issued_at = OffsetDateTime::now_utc();
        self.session_from_reply(&doc, issued_at)
    }

    /// Exchanges an OIDC token (a JWT the CI system or Kubernetes issued) for a session of
    /// the role, without any stored key.
    pub async fn assume_role_with_oidc(
        &self,
        req: &OidcRequest,
        token: &Secret,
    ) -> Result<Session, RemoteError> {
        let mut params = vec![
            ("OIDCProviderArn".to_string(), req.provider_arn.clone()),
            ("RoleArn".to_string(), req.role_arn.clone()),
            ("OIDCToken".to_string(), token.expose().to_string()),
            ("RoleSessionName".to_string(), req.role_session_name.clone()),
            (
                "DurationSeconds".to_string(),
                req.duration_seconds.to_string(),
            ),
        ];
        if let Some(p) = &req.policy {
            params.push(("Policy".to_string(), p.clone()));
        }
        let reply = self
            .rpc
            .call_anonymous("AssumeRoleWithOIDC", &params, token.expose())
            .await;
        // The parameters held the token: wipe them.
        for (_, v) in params.iter_mut() {
            zeroize::Zeroize::zeroize(v);
        }
        let doc = reply?;
        self.session_from_reply(&doc, OffsetDateTime::now_utc())
    }

    fn malformed(&self, action: &str, detail: &str) -> RemoteError {
        RemoteError::Malformed {
            service: self.rpc.service().into(),
            action: action.into(),
            endpoint: self.rpc.endpoint().into(),
            http_status: 200,
            detail: detail.into(),
        }
    }

    /// The session in an AssumeRole reply. Public for the fuzz target of the response parsers.
    pub fn session_from_reply(
        &self,
        doc: &Value,
        issued_at: OffsetDateTime,
    ) -> Result<Session, RemoteError> {
        let creds = doc
            .get("Credentials")
            .filter(|c| c.is_object())
            .ok_or_else(|| self.malformed("AssumeRole", "the reply has no Credentials object"))?;
        let field = |name: &str| -> Result<&str, RemoteError> {
            creds
                .get(name)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .ok_or_else(|| {
                    self.malformed(
                        "AssumeRole",
                        &format!("Credentials.{name} is missing or empty"),
                    )
                })
        };
        let access_key_id = field("AccessKeyId")?.to_string();
        let access_key_secret = Secret::new(field("AccessKeySecret")?);
        let security_token = Secret::new(field("SecurityToken")?);
        let expiration_text = field("Expiration")?;
        let expiration = parse_strict_time(expiration_text).ok_or_else(|| {
            self.malformed(
                "AssumeRole",
                &format!(
                    "Credentials.Expiration {} is not of the form YYYY-MM-DDTHH:MM:SSZ",
                    crate::display::describe_value(expiration_text)
                ),
            )
        })?;
        Ok(Session {
            access_key_id,
            access_key_secret,
            security_token,
            expiration,
            issued_at,
        })
    }

    /// Asks STS who the caller is.
    pub async fn get_caller_identity(
        &self,
        caller: &Issued,
    ) -> Result<CallerIdentity, RemoteError> {
        let doc = self.rpc.call("GetCallerIdentity", &[], caller).await?;
        // Shown to the user (`add` prints who the key belongs to): filtered like any server text.
        let opt = |k: &str| {
            doc.get(k)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(crate::display::field)
        };
        let req = |k: &str| {
            opt(k).ok_or_else(|| {
                self.malformed("GetCallerIdentity", &format!("{k} is missing or empty"))
            })
        };
        Ok(CallerIdentity {
            account_id: req("AccountId")?,
            arn: req("Arn")?,
            identity_type: req("IdentityType")?,
            principal_id: req("PrincipalId")?,
            user_id: opt("UserId"),
            role_id: opt("RoleId"),
            request_id: opt("RequestId").unwrap_or_default(),
        })
    }
}

/// Parses exactly `YYYY-MM-DDTHH:MM:SSZ` (what every Alibaba client insists on).
pub fn parse_strict_time(s: &str) -> Option<OffsetDateTime> {
    let b = s.as_bytes();
    let shape_ok = b.len() == 20
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'Z',
            _ => c.is_ascii_digit(),
        });
    if !shape_ok {
        return None;
    }
    parse_alibaba_time(s)
}

/// Turns any text into a valid RoleSessionName: characters outside `[A-Za-z0-9.@_-]` become `-`,
/// the result is cut to 64 characters, and padded with `-` to the minimum of 2 (an empty input
/// becomes `alicloud-vault`).
pub fn sanitize_session_name(s: &str) -> String {
    if s.is_empty() {
        return "alicloud-vault".to_string();
    }
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '@' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .take(64)
        .collect();
    while out.len() < 2 {
        out.push('-');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn default_endpoint_is_regional_or_global() {
        assert_eq!(
            StsClient::default_endpoint(Some("cn-hangzhou")),
            "https://sts.cn-hangzhou.aliyuncs.com"
        );
        assert_eq!(
            StsClient::default_endpoint(None),
            "https://sts.aliyuncs.com"
        );
        assert_eq!(
            StsClient::default_endpoint(Some("")),
            "https://sts.aliyuncs.com"
        );
    }

    #[test]
    fn session_names_keep_allowed_characters() {
        assert_eq!(
            sanitize_session_name("alice@corp.example_1-x"),
            "alice@corp.example_1-x"
        );
    }

    #[test]
    fn session_names_replace_other_characters_with_dashes() {
        assert_eq!(sanitize_session_name("bob smith/ops"), "bob-smith-ops");
        assert_eq!(sanitize_session_name("jörg"), "j-rg");
    }

    #[test]
    fn session_names_are_cut_to_64_and_padded_to_2() {
        let long = "a".repeat(100);
        assert_eq!(sanitize_session_name(&long), "a".repeat(64));
        assert_eq!(sanitize_session_name("x"), "x-");
        assert_eq!(sanitize_session_name(""), "alicloud-vault");
    }

    #[test]
    fn strict_time_accepts_only_the_alibaba_shape() {
        assert_eq!(
            parse_strict_time("2015-04-09T11:52:19Z"),
            Some(datetime!(2015-04-09 11:52:19 UTC))
        );
        assert_eq!(parse_strict_time("2015-04-09T11:52:19.5Z"), None);
        assert_eq!(parse_strict_time("2015-04-09T11:52:19+00:00"), None);
        assert_eq!(parse_strict_time("2015-04-09 11:52:19Z"), None);
        assert_eq!(parse_strict_time("2015-13-09T11:52:19Z"), None);
    }

    #[test]
    fn replies_without_complete_credentials_are_malformed() {
        let client = StsClient::new("http://127.0.0.1:1").unwrap();
        let now = datetime!(2024-01-01 00:00:00 UTC);
        let doc = serde_json::json!({"Credentials": {"AccessKeyId": "STS.x", "AccessKeySecret": "s",
            "SecurityToken": "", "Expiration": "2024-01-01T01:00:00Z"}});
        let err = client.session_from_reply(&doc, now).unwrap_err();
        assert_eq!(
            err.to_string(),
            "STS AssumeRole failed: malformed reply (HTTP 200) from http://127.0.0.1:1: \
             Credentials.SecurityToken is missing or empty; check that the endpoint points at the STS API"
        );
        let doc = serde_json::json!({"Credentials": {"AccessKeyId": "STS.x", "AccessKeySecret": "s",
            "SecurityToken": "t", "Expiration": "2024-01-01T01:00:00.000Z"}});
        assert!(client
            .session_from_reply(&doc, now)
            .unwrap_err()
            .to_string()
            .contains("is not of the form YYYY-MM-DDTHH:MM:SSZ"));
        let doc = serde_json::json!({"Credentials": {"AccessKeyId": "STS.x", "AccessKeySecret": "s",
            "SecurityToken": "t", "Expiration": "2024-01-01T01:00:00Z"}});
        let s = client.session_from_reply(&doc, now).unwrap();
        assert_eq!(s.access_key_id, "STS.x");
        assert_eq!(s.expiration, datetime!(2024-01-01 01:00:00 UTC));
        assert_eq!(s.issued_at, now);
        assert_eq!(s.security_token.expose(), "t");
    }
}
