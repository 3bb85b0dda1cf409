//! The Windows named pipe's name and security descriptor, as plain strings (compiled and
//! tested on every platform; only `windows.rs` hands them to the OS).

pub use crate::dirs::{pipe_name, MAX_PIPE_NAME, PIPE_PREFIX};

/// Why a SID string was not used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a security identifier (S-1-…)")]
pub struct NotASid(pub String);

/// The security descriptor of the agent's pipe in SDDL: owner and group the user, and a
/// protected DACL (no inherited entries) with one entry that gives the user full access.
/// Nobody else, not SYSTEM nor Administrators nor other users, may open it. The SID is checked
/// first, so that nothing but a SID can reach the descriptor's text.
pub fn pipe_sddl(user_sid: &str) -> Result<String, NotASid> {
    if !is_sid(user_sid) {
        return Err(NotASid(user_sid.to_string()));
    }
    Ok(format!("O:{user_sid}G:{user_sid}D:P(A;;GA;;;{user_sid})"))
}

/// `S-1-` then numbers separated by single dashes (the string form of a SID).
fn is_sid(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("S-1-") else {
        return false;
    };
    !rest.is_empty()
        && rest.split('-').all(|part| {
            !part.is_empty() && part.len() <= 10 && part.bytes().all(|b| b.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pipe_is_named_after_the_user() {
        assert_eq!(pipe_name("alice"), r"\\.\pipe\alicloud-vault-alice");
        assert_eq!(pipe_name("Jon.Smith"), r"\\.\pipe\alicloud-vault-Jon.Smith");
    }

    #[test]
    fn a_user_name_cannot_add_a_path_or_be_empty() {
        assert_eq!(pipe_name(r"CORP\bob"), r"\\.\pipe\alicloud-vault-CORP_bob");
        assert_eq!(pipe_name("a b/c\n"), r"\\.\pipe\alicloud-vault-a_b_c");
        assert_eq!(pipe_name("  "), r"\\.\pipe\alicloud-vault-user");
        let long = pipe_name(&"x".repeat(400));
        assert_eq!(long.chars().count(), MAX_PIPE_NAME);
        assert!(long.starts_with(r"\\.\pipe\alicloud-vault-xxx"));
    }

    #[test]
    fn the_descriptor_names_the_user_alone() {
        let sid = "S-1-5-21-3623811015-3361044348-30300820-1013";
        assert_eq!(
            pipe_sddl(sid).unwrap(),
            format!("O:{sid}G:{sid}D:P(A;;GA;;;{sid})")
        );
    }

    #[test]
    fn anything_but_a_sid_is_refused_before_it_reaches_the_descriptor() {
        for bad in [
            "",
            "S-1-",
            "S-1-5-",
            "S-1-5--1",
            "WD",
            "S-1-5-21)(A;;GA;;;WD",
            "s-1-5-18",
            "S-1-5-99999999999",
        ] {
            assert_eq!(pipe_sddl(bad), Err(NotASid(bad.to_string())), "{bad}");
        }
        assert!(pipe_sddl("S-1-5-18").is_ok());
    }
}
