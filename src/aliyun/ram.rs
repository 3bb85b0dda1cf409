//! RAM (API version 2015-05-01): the AccessKey operations that `rotate` needs (docs/protocols.md, RAM AccessKey management).
//!
//! Same RPC envelope and signature as STS. The key being managed travels as `UserAccessKeyId`,
//! because `AccessKeyId` already names the signer. `UserName` omitted means the calling RAM user.

use crate::aliyun::rpc::{RemoteError, RpcClient};
use crate::secret::Secret;
use crate::session::{Issued, LongTermKey};
use serde_json::Value;
use std::fmt;

/// The RAM API version.
pub const RAM_VERSION: &str = "2015-05-01";
/// RAM has one global endpoint; the region does not matter.
pub const DEFAULT_RAM_ENDPOINT: &str = "https://ram.aliyuncs.com";
/// The error code for a key that RAM does not know (Update, Delete).
pub const NO_SUCH_KEY: &str = "EntityNotExist.User.AccessKey";
/// The error code for a user that already has the maximum number of keys (Create).
pub const KEY_LIMIT: &str = "LimitExceeded.User.AccessKey";
/// How many AccessKeys a RAM user may hold.
pub const MAX_KEYS_PER_USER: usize = 2;

/// Whether a key may sign requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyStatus {
    Active,
    Inactive,
}

impl KeyStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyStatus::Active => "Active",
            KeyStatus::Inactive => "Inactive",
        }
    }
}

impl fmt::Display for KeyStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One AccessKey as ListAccessKeys describes it (never with its secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessKeyInfo {
    pub access_key_id: String,
    pub status: KeyStatus,
    /// `YYYY-MM-DDTHH:MM:SSZ` as RAM wrote it, if it did.
    pub create_date: Option<String>,
}

/// A key CreateAccessKey just made; the only moment its secret is ever seen.
#[derive(Debug, Clone)]
pub struct CreatedAccessKey {
    pub key: LongTermKey,
    pub status: KeyStatus,
    pub create_date: Option<String>,
}

/// A client for RAM at one endpoint.
#[derive(Debug, Clone)]
pub struct RamClient {
    rpc: RpcClient,
}

impl RamClient {
    /// A client for the RAM endpoint `endpoint` (see [`crate::aliyun::rpc::validate_endpoint`]).
    pub fn new(endpoint: &str) -> Result<Self, RemoteError> {
        Ok(RamClient {
            rpc: RpcClient::new("RAM", endpoint, RAM_VERSION)?,
        })
    }

    /// As [`RamClient::new`], over the connections of `pool`.
    pub fn on(pool: &crate::aliyun::http::HttpPool, endpoint: &str) -> Result<Self, RemoteError> {
        Ok(RamClient {
            rpc: RpcClient::on(pool, "RAM", endpoint, RAM_VERSION)?,
        })
    }

    /// A client over a prepared RPC client (custom timeouts or retry policy).
    pub fn from_rpc(rpc: RpcClient) -> Self {
        RamClient { rpc }
    }

    /// The RPC client underneath.
    pub fn rpc(&self) -> &RpcClient {
        &self.rpc
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

    /// Creates a new AccessKey for `user_name` (the caller itself when `None`).
    pub async fn create_access_key(
        &self,
        caller: &Issued,
        user_name: Option<&str>,
    ) -> Result<CreatedAccessKey, RemoteError> {
        let doc = self
            .rpc
            .call("CreateAccessKey", &user_param(user_name), caller)
            .await?;
        self.created_from_reply(&doc)
    }

    fn created_from_reply(&self, doc: &Value) -> Result<CreatedAccessKey, RemoteError> {
        const ACTION: &str = "CreateAccessKey";
        let ak = doc
            .get("AccessKey")
            .filter(|v| v.is_object())
            .ok_or_else(|| self.malformed(ACTION, "the reply has no AccessKey object"))?;
        let field = |name: &str| {
            ak.get(name)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .ok_or_else(|| {
                    self.malformed(ACTION, &format!("AccessKey.{name} is missing or empty"))
                })
        };
        let access_key_id = field("AccessKeyId")?.to_string();
        let access_key_secret = Secret::new(field("AccessKeySecret")?);
        let status = match ak.get("Status").and_then(Value::as_str) {
            None => KeyStatus::Active,
            Some(s) => parse_status(s).ok_or_else(|| {
                self.malformed(
                    ACTION,
                    &format!(
                        "AccessKey.Status {} is unknown",
                        crate::display::describe_value(s)
                    ),
                )
            })?,
        };
        Ok(CreatedAccessKey {
            key: LongTermKey {
                access_key_id,
                access_key_secret,
            },
            status,
            create_date: ak
                .get("CreateDate")
                .and_then(Value::as_str)
                .map(str::to_string),
        })
    }

    /// The AccessKeys of `user_name` (the caller itself when `None`), in RAM's order.
    pub async fn list_access_keys(
        &self,
        caller: &Issued,
        user_name: Option<&str>,
    ) -> Result<Vec<AccessKeyInfo>, RemoteError> {
        let doc = self
            .rpc
            .call("ListAccessKeys", &user_param(user_name), caller)
            .await?;
        self.list_from_reply(&doc)
    }

    fn list_from_reply(&self, doc: &Value) -> Result<Vec<AccessKeyInfo>, RemoteError> {
        const ACTION: &str = "ListAccessKeys";
        // Wrapped twice (XML heritage); a user without keys may get a missing or null wrapper.
        let items = match doc.get("AccessKeys") {
            None | Some(Value::Null) => return Ok(Vec::new()),
            Some(Value::Object(o)) => match o.get("AccessKey") {
                None | Some(Value::Null) => return Ok(Vec::new()),
                Some(Value::Array(a)) => a.clone(),
                // Some XML-to-JSON gateways collapse a one-element list into the element.
                Some(v @ Value::Object(_)) => vec![v.clone()],
                Some(_) => return Err(self.malformed(ACTION, "AccessKeys.AccessKey is not a list")),
            },
            Some(_) => return Err(self.malformed(ACTION, "AccessKeys is not an object")),
        };
        items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let id = item
                    .get("AccessKeyId")
                    .and_then(Value::as_str)
                    .filter(|s| !s.is_empty())
                    .ok_or_else(|| {
                        self.malformed(
                            ACTION,
                            &format!("AccessKeys.AccessKey[{i}].AccessKeyId is missing or empty"),
                        )
                    })?;
                let status_text = item.get("Status").and_then(Value::as_str).unwrap_or("");
                let status = parse_status(status_text).ok_or_else(|| {
                    self.malformed(
                        ACTION,
                        &format!(
                            "AccessKeys.AccessKey[{i}].Status {} is unknown",
                            crate::display::describe_value(status_text)
                        ),
                    )
                })?;
                Ok(AccessKeyInfo {
                    access_key_id: id.to_string(),
                    status,
                    create_date: item
                        .get("CreateDate")
                        .and_then(Value::as_str)
                        .map(str::to_string),
                })
            })
            .collect()
    }

    /// Enables or disables `access_key_id` of `user_name`.
    pub async fn update_access_key(
        &self,
        caller: &Issued,
        user_name: Option<&str>,
        access_key_id: &str,
        status: KeyStatus,
    ) -> Result<(), RemoteError> {
        let mut params = user_param(user_name);
        params.push(("UserAccessKeyId".to_string(), access_key_id.to_string()));
        params.push(("Status".to_string(), status.as_str().to_string()));
        self.rpc.call("UpdateAccessKey", &params, caller).await?;
        Ok(())
    }

    /// Deletes `access_key_id` of `user_name`. A key RAM does not know is an error with code
    /// [`NO_SUCH_KEY`]; callers that only want it gone treat that as success.
    pub async fn delete_access_key(
        &self,
        caller: &Issued,
        user_name: Option<&str>,
        access_key_id: &str,
    ) -> Result<(), RemoteError> {
        let mut params = user_param(user_name);
        params.push(("UserAccessKeyId".to_string(), access_key_id.to_string()));
        self.rpc.call("DeleteAccessKey", &params, caller).await?;
        Ok(())
    }
}

fn user_param(user_name: Option<&str>) -> Vec<(String, String)> {
    match user_name {
        Some(u) => vec![("UserName".to_string(), u.to_string())],
        None => Vec::new(),
    }
}

fn parse_status(s: &str) -> Option<KeyStatus> {
    match s {
        "Active" => Some(KeyStatus::Active),
        "Inactive" => Some(KeyStatus::Inactive),
        _ => None,
    }
}

/// The RAM user name in an ARN `acs:ram::<account>:user/<name>`, if it is one.
pub fn user_name_from_arn(arn: &str) -> Option<&str> {
    let rest = arn.strip_prefix("acs:ram::")?;
    let (_, name) = rest.split_once(":user/")?;
    // A user path may precede the name; the name is the last segment.
    let name = name.rsplit('/').next()?;
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn client() -> RamClient {
        RamClient::new("http://127.0.0.1:1").unwrap()
    }

    #[test]
    fn the_list_reply_is_unwrapped_twice() {
        let doc = json!({"RequestId": "R", "AccessKeys": {"AccessKey": [
            {"AccessKeyId": "0wNEpMMlzy7s1234", "Status": "Active", "CreateDate": "2015-01-23T12:33:18Z"},
            {"AccessKeyId": "WnIWUruvfaDT5678", "Status": "Inactive", "CreateDate": "2015-03-24T21:12:21Z"}]}});
        let keys = client().list_from_reply(&doc).unwrap();
        assert_eq!(
            keys,
            [
                AccessKeyInfo {
                    access_key_id: "0wNEpMMlzy7s1234".into(),
                    status: KeyStatus::Active,
                    create_date: Some("2015-01-23T12:33:18Z".into()),
                },
                AccessKeyInfo {
                    access_key_id: "WnIWUruvfaDT5678".into(),
                    status: KeyStatus::Inactive,
                    create_date: Some("2015-03-24T21:12:21Z".into()),
                }
            ]
        );
    }

    #[test]
    fn a_missing_null_or_empty_list_is_zero_keys() {
        let c = client();
        for doc in [
            json!({"RequestId": "R"}),
            json!({"AccessKeys": null}),
            json!({"AccessKeys": {}}),
            json!({"AccessKeys": {"AccessKey": null}}),
            json!({"AccessKeys": {"AccessKey": []}}),
        ] {
            assert_eq!(c.list_from_reply(&doc).unwrap(), [], "{doc}");
        }
    }

    #[test]
    fn a_list_with_an_unknown_status_is_malformed() {
        let doc = json!({"AccessKeys": {"AccessKey": [{"AccessKeyId": "x", "Status": "Gone"}]}});
        let e = client().list_from_reply(&doc).unwrap_err().to_string();
        assert!(
            e.contains("AccessKeys.AccessKey[0].Status \"Gone\" is unknown"),
            "{e}"
        );
    }

    #[test]
    fn the_create_reply_yields_the_key_and_errors_never_quote_the_secret() {
        let doc = json!({"AccessKey": {"AccessKeyId": "LTAI5tNewKey0000000001",
            "AccessKeySecret": "PupkTg8jdmau1cXxYacgE736PJsecret", "Status": "Active",
            "CreateDate": "2015-01-23T12:33:18Z"}});
        let k = client().created_from_reply(&doc).unwrap();
        assert_eq!(k.key.access_key_id, "LTAI5tNewKey0000000001");
        assert_eq!(
            k.key.access_key_secret.expose(),
            "PupkTg8jdmau1cXxYacgE736PJsecret"
        );
        assert!(!format!("{k:?}").contains("PupkTg8"));
        let doc = json!({"AccessKey": {"AccessKeyId": "LTAI5tNewKey0000000001",
            "AccessKeySecret": "PupkTg8jdmau1cXxYacgE736PJsecret", "Status": "Weird"}});
        let e = client().created_from_reply(&doc).unwrap_err().to_string();
        assert!(!e.contains("PupkTg8"), "{e}");
        let doc = json!({"AccessKey": {"AccessKeyId": "LTAI5tNewKey0000000001"}});
        assert!(client()
            .created_from_reply(&doc)
            .unwrap_err()
            .to_string()
            .contains("AccessKey.AccessKeySecret is missing or empty"));
    }

    #[test]
    fn user_names_come_only_from_user_arns() {
        assert_eq!(
            user_name_from_arn("acs:ram::1968132000123456:user/admin"),
            Some("admin")
        );
        assert_eq!(
            user_name_from_arn("acs:ram::1:assumed-role/admin/session"),
            None
        );
        assert_eq!(user_name_from_arn("acs:ram::1:root"), None);
        assert_eq!(user_name_from_arn("acs:ram::1:user/"), None);
    }
}
