//! RAM 2015-05-01: the AccessKey operations (docs/protocols.md, RAM AccessKey management).
//!
//! Keys live in the shared key table (`State::keys`), so a key made here signs STS requests
//! at once, or after `State::ram.new_key_delay`. At most two keys per user; `UserName`
//! defaults to the signing RAM user; the secret appears only in the Create reply.

use super::rpc::{format_time, unknown_action, Caller, ErrorReply, RpcRequest};
use super::state::{KeyEntry, Principal, State};
use serde_json::{json, Value};
use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};
use time::OffsetDateTime;

pub const VERSION: &str = "2015-05-01";
/// Keys a user may hold.
pub const MAX_KEYS: usize = 2;

/// RAM's own state, beside the shared key table.
#[derive(Debug, Default)]
pub struct RamState {
    /// How long a key made by CreateAccessKey is refused (as unknown) before it authenticates.
    pub new_key_delay: Duration,
    /// Key id -> the moment it starts to authenticate.
    pub valid_after: HashMap<String, Instant>,
    /// Key id -> when it was made (for ListAccessKeys order and CreateDate).
    pub created: HashMap<String, OffsetDateTime>,
    /// Action -> errors to answer instead of the next calls of that action.
    pub fail_next: HashMap<String, VecDeque<ErrorReply>>,
}

impl RamState {
    /// True while a new key is still "propagating".
    pub fn not_yet_valid(&self, access_key_id: &str) -> bool {
        self.valid_after
            .get(access_key_id)
            .is_some_and(|t| Instant::now() < *t)
    }
}

pub fn handle(
    state: &mut State,
    caller: &Caller,
    action: &str,
    req: &RpcRequest,
) -> Result<Value, ErrorReply> {
    if let Some(e) = state
        .ram
        .fail_next
        .get_mut(action)
        .and_then(VecDeque::pop_front)
    {
        return Err(e);
    }
    match action {
        "CreateAccessKey" => create(state, caller, req),
        "ListAccessKeys" => list(state, caller, req),
        "UpdateAccessKey" => update(state, caller, req),
        "DeleteAccessKey" => delete(state, caller, req),
        _ => Err(unknown_action()),
    }
}

/// The user the request is about: `UserName`, else the signing RAM user.
fn target_user(
    state: &State,
    caller: &Caller,
    req: &RpcRequest,
) -> Result<(String, String), ErrorReply> {
    let account = caller.principal.account_id().to_string();
    let name = match req.get("UserName").filter(|s| !s.is_empty()) {
        Some(n) => {
            if n.chars().count() > 64 {
                return Err(ErrorReply::new(
                    400,
                    "InvalidParameter.UserName.Length",
                    "The parameter - \"UserName\" beyond the length limit.",
                ));
            }
            if !n
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
            {
                return Err(ErrorReply::new(
                    400,
                    "InvalidParameter.UserName.InvalidChars",
                    "The parameter - \"UserName\" contains invalid chars.",
                ));
            }
            n.to_string()
        }
        None => match &caller.principal {
            Principal::RamUser { user_name, .. } => user_name.clone(),
            // Undocumented on the real service; a role session has no user to default to.
            Principal::AssumedRole { .. } => return Err(ErrorReply::missing("UserName")),
        },
    };
    if !state.users.contains_key(&(account.clone(), name.clone())) {
        return Err(ErrorReply::new(
            404,
            "EntityNotExist.User",
            "The user does not exist.",
        ));
    }
    Ok((account, name))
}

/// The ids and states of a user's keys, oldest first.
pub fn keys_of(state: &State, account: &str, user: &str) -> Vec<(String, bool)> {
    let mut keys: Vec<(OffsetDateTime, String, bool)> = state
        .keys
        .iter()
        .filter_map(|(id, e)| match e {
            KeyEntry::LongTerm {
                owner:
                    Principal::RamUser {
                        account_id,
                        user_name,
                        ..
                    },
                active,
                ..
            } if account_id == account && user_name == user => Some((
                state
                    .ram
                    .created
                    .get(id)
                    .copied()
                    .unwrap_or(OffsetDateTime::UNIX_EPOCH),
                id.clone(),
                *active,
            )),
            _ => None,
        })
        .collect();
    keys.sort();
    keys.into_iter().map(|(_, id, a)| (id, a)).collect()
}

fn create(state: &mut State, caller: &Caller, req: &RpcRequest) -> Result<Value, ErrorReply> {
    let (account, name) = target_user(state, caller, req)?;
    if keys_of(state, &account, &name).len() >= MAX_KEYS {
        return Err(ErrorReply::new(
            409,
            "LimitExceeded.User.AccessKey",
            "The access key count of the user access keys beyond the current limits.",
        ));
    }
    let user = state.users[&(account.clone(), name.clone())].clone();
    let (id, secret) = state.mint_user_key(&user);
    let now = state.now().replace_nanosecond(0).expect("zero nanoseconds");
    state.ram.created.insert(id.clone(), now);
    let delay = state.ram.new_key_delay;
    if !delay.is_zero() {
        state
            .ram
            .valid_after
            .insert(id.clone(), Instant::now() + delay);
    }
    Ok(json!({"AccessKey": {
        "AccessKeyId": id,
        "AccessKeySecret": secret,
        "Status": "Active",
        "CreateDate": format_time(now),
    }}))
}

fn list(state: &mut State, caller: &Caller, req: &RpcRequest) -> Result<Value, ErrorReply> {
    let (account, name) = target_user(state, caller, req)?;
    let items: Vec<Value> = keys_of(state, &account, &name)
        .into_iter()
        .map(|(id, active)| {
            let created = state
                .ram
                .created
                .get(&id)
                .copied()
                .unwrap_or(OffsetDateTime::UNIX_EPOCH);
            json!({
                "AccessKeyId": id,
                "Status": if active { "Active" } else { "Inactive" },
                "CreateDate": format_time(created),
            })
        })
        .collect();
    Ok(json!({"AccessKeys": {"AccessKey": items}}))
}

/// The user's key named by `UserAccessKeyId`.
fn user_key(state: &State, caller: &Caller, req: &RpcRequest) -> Result<String, ErrorReply> {
    let (account, name) = target_user(state, caller, req)?;
    let id = req
        .get("UserAccessKeyId")
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ErrorReply::missing("UserAccessKeyId"))?;
    if !keys_of(state, &account, &name).iter().any(|(k, _)| k == id) {
        return Err(ErrorReply::new(
            404,
            "EntityNotExist.User.AccessKey",
            "The user access key does not exist.",
        ));
    }
    Ok(id.to_string())
}

fn update(state: &mut State, caller: &Caller, req: &RpcRequest) -> Result<Value, ErrorReply> {
    let status = req
        .get("Status")
        .ok_or_else(|| ErrorReply::missing("Status"))?;
    let active = match status {
        "Active" => true,
        "Inactive" => false,
        _ => {
            return Err(ErrorReply::new(
                400,
                "InvalidParameter.Status",
                "The parameter - \"Status\" is invalid.",
            ))
        }
    };
    let id = user_key(state, caller, req)?;
    if let Some(KeyEntry::LongTerm { active: a, .. }) = state.keys.get_mut(&id) {
        *a = active;
    }
    Ok(json!({}))
}

fn delete(state: &mut State, caller: &Caller, req: &RpcRequest) -> Result<Value, ErrorReply> {
    let id = user_key(state, caller, req)?;
    state.keys.remove(&id);
    state.ram.created.remove(&id);
    state.ram.valid_after.remove(&id);
    Ok(json!({}))
}
