//! What the emulated cloud knows: accounts, RAM users and their keys, roles, issued STS
//! credentials, used nonces, counters, injected faults and the record of requests.

use std::collections::{HashMap, HashSet, VecDeque};
use std::time::Duration;
use time::OffsetDateTime;

/// Who a key belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// A RAM user with a long-term AccessKey.
    RamUser {
        account_id: String,
        user_name: String,
        user_id: String,
    },
    /// The holder of STS credentials minted by AssumeRole.
    AssumedRole {
        account_id: String,
        role_name: String,
        role_id: String,
        session_name: String,
    },
}

impl Principal {
    pub fn account_id(&self) -> &str {
        match self {
            Principal::RamUser { account_id, .. } | Principal::AssumedRole { account_id, .. } => {
                account_id
            }
        }
    }
}

/// Who a role's trust policy lets in (as in Alibaba's `Principal.RAM` list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trusted {
    /// `acs:ram::<account>:root`: any RAM user or role session of that account.
    Account(String),
    /// `acs:ram::<account>:user/<name>`.
    RamUser {
        account_id: String,
        user_name: String,
    },
    /// `acs:ram::<account>:role/<name>`: sessions of that role (role chaining).
    Role {
        account_id: String,
        role_name: String,
    },
    /// An OIDC provider's ARN: tokens it issued may assume the role (AssumeRoleWithOIDC).
    OidcProvider(String),
}

/// An OIDC token the emulated identity provider issued.
#[derive(Debug, Clone)]
pub struct OidcToken {
    pub provider_arn: String,
    pub subject: String,
    pub expires_at: OffsetDateTime,
}

impl Trusted {
    pub fn admits(&self, p: &Principal) -> bool {
        match (self, p) {
            (Trusted::Account(a), p) => p.account_id() == a,
            (
                Trusted::RamUser {
                    account_id,
                    user_name,
                },
                Principal::RamUser {
                    account_id: a,
                    user_name: u,
                    ..
                },
            ) => account_id == a && user_name == u,
            (
                Trusted::Role {
                    account_id,
                    role_name,
                },
                Principal::AssumedRole {
                    account_id: a,
                    role_name: r,
                    ..
                },
            ) => account_id == a && role_name.eq_ignore_ascii_case(r),
            _ => false,
        }
    }
}

/// One entry of the key table shared by every emulated service.
#[derive(Debug, Clone)]
pub enum KeyEntry {
    LongTerm {
        secret: String,
        owner: Principal,
        active: bool,
    },
    Sts {
        secret: String,
        token: String,
        expiration: OffsetDateTime,
        owner: Principal,
    },
}

impl KeyEntry {
    pub fn secret(&self) -> &str {
        match self {
            KeyEntry::LongTerm { secret, .. } | KeyEntry::Sts { secret, .. } => secret,
        }
    }
    pub fn owner(&self) -> &Principal {
        match self {
            KeyEntry::LongTerm { owner, .. } | KeyEntry::Sts { owner, .. } => owner,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Role {
    pub account_id: String,
    pub name: String,
    pub role_id: String,
    pub max_session_duration_s: u32,
    pub trusted: Vec<Trusted>,
    /// When set, AssumeRole must send exactly this ExternalId (trust policy condition).
    pub external_id: Option<String>,
}

impl Role {
    pub fn arn(&self) -> String {
        format!(
            "acs:ram::{}:role/{}",
            self.account_id,
            self.name.to_lowercase()
        )
    }
}

#[derive(Debug, Clone)]
pub struct User {
    pub account_id: String,
    pub name: String,
    pub user_id: String,
}

/// A fault applied to one request instead of (or before) the normal answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Wait this long, then answer normally.
    Delay(Duration),
    /// 503 `ServiceUnavailable`.
    Http5xx,
    /// 400 `Throttling.User`.
    Throttle,
    /// 200 with a body cut off in the middle of the JSON.
    MalformedJson,
    /// Headers with a Content-Length, half the body, then the connection is closed.
    DropConnection,
    /// This status and JSON document instead of the answer (a hostile or broken server:
    /// escape sequences in a Message, a 5 MB RequestId, a garbage `Expiration`).
    Json {
        status: u16,
        body: serde_json::Value,
    },
    /// 400 `SignatureDoesNotMatch` whatever the signature, echoing the request's real
    /// string-to-sign as the gateway does (it holds the AccessKeyId and any SecurityToken).
    SignatureMismatch,
    /// No fault: answer normally (to fault a later request of a sequence).
    Pass,
}

impl Fault {
    pub fn name(&self) -> &'static str {
        match self {
            Fault::Delay(_) => "Delay",
            Fault::Http5xx => "Http5xx",
            Fault::Throttle => "Throttle",
            Fault::MalformedJson => "MalformedJson",
            Fault::DropConnection => "DropConnection",
            Fault::Json { .. } => "Json",
            Fault::SignatureMismatch => "SignatureMismatch",
            Fault::Pass => "Pass",
        }
    }

    /// An error document with exactly these Code, Message and RequestId.
    pub fn error(status: u16, code: &str, message: &str, request_id: &str) -> Fault {
        Fault::Json {
            status,
            body: serde_json::json!({
                "RequestId": request_id,
                "HostId": "sts.aliyuncs.com",
                "Code": code,
                "Message": message,
            }),
        }
    }

    /// A successful AssumeRole answer whose credentials expire at `expiration` (any text).
    pub fn credentials_expiring(expiration: &str) -> Fault {
        Fault::Json {
            status: 200,
            body: serde_json::json!({
                "RequestId": request_id(),
                "Credentials": {
                    "AccessKeyId": format!("STS.{}", random_from(ALNUM, 24)),
                    "AccessKeySecret": random_from(ALNUM, 30),
                    "SecurityToken": random_from(TOKEN, 120),
                    "Expiration": expiration,
                },
            }),
        }
    }
}

/// The non-secret facts of one received request, for assertions.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RecordedRequest {
    pub method: String,
    pub version: Option<String>,
    pub action: Option<String>,
    pub access_key_id: Option<String>,
    pub role_arn: Option<String>,
    pub role_session_name: Option<String>,
    pub duration_seconds: Option<String>,
    pub external_id: Option<String>,
    pub policy: Option<String>,
    pub has_security_token: bool,
    /// Which parameters came in the form body (names only).
    pub form_param_names: Vec<String>,
    /// The fault applied, if any.
    pub fault: Option<String>,
    /// The error Code answered, or `None` for a success.
    pub error_code: Option<String>,
}

#[derive(Debug, Default)]
pub struct State {
    pub users: HashMap<(String, String), User>,
    pub roles: HashMap<(String, String), Role>,
    /// AccessKeyId -> entry; long-term and STS keys of all services.
    pub keys: HashMap<String, KeyEntry>,
    pub nonces: HashSet<String>,
    pub session_lifetime: Option<Duration>,
    /// Seconds from now to the `Expiration` of issued sessions, when set; may be zero or
    /// negative (an STS, or a clock, that hands out sessions already expired).
    pub session_expires_in_s: Option<i64>,
    pub faults: VecDeque<Fault>,
    /// With this probability, a request with no queued fault gets one of these (in turn).
    pub random_faults: Option<(f64, Vec<Fault>)>,
    pub random_fault_turn: usize,
    pub calls: HashMap<String, usize>,
    pub requests: Vec<RecordedRequest>,
    /// Extra seconds added to the emulator's clock (negative: behind).
    pub clock_skew_s: i64,
    /// OIDC tokens by their text.
    pub oidc_tokens: HashMap<String, OidcToken>,
    /// The OIDC tokens AssumeRoleWithOIDC was called with, in order.
    pub oidc_tokens_presented: Vec<String>,
    /// CloudSSO: assignments, device logins, tokens, knobs.
    pub sso: super::sso::SsoState,
    /// OAuth: who signs in, codes, access and refresh tokens.
    pub oauth: super::oauth::OAuthState,
    /// RAM: key propagation delay, creation times, per-action faults.
    pub ram: super::ram::RamState,
    /// The console sign-in federation endpoint.
    pub signin: super::signin::SigninState,
    /// OSS: buckets, objects and the record of OSS requests.
    pub oss: super::oss::OssState,
}

/// A key the emulator minted: its id and secret, and for STS keys the security token.
pub struct MintedKey {
    pub access_key_id: String,
    pub secret: String,
    pub token: String,
}

impl State {
    /// Mints an STS key of `owner` valid until `expiration` and records it.
    pub fn mint_sts_key(&mut self, owner: Principal, expiration: OffsetDateTime) -> MintedKey {
        let access_key_id = format!("STS.{}", random_from(ALNUM, 25));
        let secret = random_from(ALNUM, 44);
        let token = format!("CAIS{}", random_from(TOKEN, 300));
        self.keys.insert(
            access_key_id.clone(),
            KeyEntry::Sts {
                secret: secret.clone(),
                token: token.clone(),
                expiration,
                owner,
            },
        );
        MintedKey {
            access_key_id,
            secret,
            token,
        }
    }

    /// Mints an active long-term key of the RAM user and records it; returns (id, secret).
    pub fn mint_user_key(&mut self, user: &User) -> (String, String) {
        let id = format!("LTAI5t{}", random_from(ALNUM, 18));
        let secret = random_from(ALNUM, 30);
        self.keys.insert(
            id.clone(),
            KeyEntry::LongTerm {
                secret: secret.clone(),
                owner: Principal::RamUser {
                    account_id: user.account_id.clone(),
                    user_name: user.name.clone(),
                    user_id: user.user_id.clone(),
                },
                active: true,
            },
        );
        (id, secret)
    }
    /// A fault for this request under the random fault rate, if it draws one.
    pub fn random_fault(&mut self) -> Option<Fault> {
        let (rate, faults) = self.random_faults.as_ref()?;
        if faults.is_empty() || rand::random::<f64>() >= *rate {
            return None;
        }
        let fault = faults[self.random_fault_turn % faults.len()].clone();
        self.random_fault_turn += 1;
        Some(fault)
    }

    pub fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc() + time::Duration::seconds(self.clock_skew_s)
    }

    pub fn role_by_arn(&self, arn: &str) -> Option<&Role> {
        let rest = arn.strip_prefix("acs:ram::")?;
        let (account, role) = rest.split_once(":role/")?;
        self.roles.get(&(account.to_string(), role.to_lowercase()))
    }
}

/// Random characters from `alphabet`.
pub fn random_from(alphabet: &[u8], n: usize) -> String {
    use rand::Rng as _;
    let mut rng = rand::rng();
    (0..n)
        .map(|_| alphabet[rng.random_range(0..alphabet.len())] as char)
        .collect()
}

pub const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
pub const DIGITS: &[u8] = b"0123456789";
/// Token characters include `+`, `/` and `=` so that clients must encode them.
pub const TOKEN: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";

/// A RequestId in Alibaba's shape (uppercase UUID).
pub fn request_id() -> String {
    let h = random_from(b"0123456789ABCDEF", 32);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}
