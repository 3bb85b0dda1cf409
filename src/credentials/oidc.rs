//! OIDC sources: the token file a CI system or Kubernetes (RRSA) writes, and what to tell the
//! user when STS refuses the token (docs/oauth-oidc.md).

use super::error::CredentialsError;
use crate::aliyun::rpc::RemoteError;
use crate::secret::Secret;
use std::path::Path;

/// The longest token STS takes (AssumeRoleWithOIDC's OIDCToken is 4 to 20000 characters).
pub const MAX_TOKEN_LEN: usize = 20_000;

/// Reads the token file as it is now. Surrounding white space (a trailing newline) goes; an
/// empty, oversized or non-text file is an error naming the file, never quoting it.
pub fn read_token(profile: &str, file: &Path) -> Result<Secret, CredentialsError> {
    let unreadable = |detail: String| CredentialsError::OidcTokenUnreadable {
        profile: profile.to_string(),
        file: file.display().to_string(),
        detail,
    };
    let meta = std::fs::metadata(file).map_err(|e| unreadable(e.to_string()))?;
    if meta.len() > 2 * MAX_TOKEN_LEN as u64 {
        return Err(unreadable(format!(
            "{} bytes; a token has at most {MAX_TOKEN_LEN}",
            meta.len()
        )));
    }
    let bytes =
        zeroize::Zeroizing::new(std::fs::read(file).map_err(|e| unreadable(e.to_string()))?);
    let text = std::str::from_utf8(&bytes).map_err(|_| unreadable("not text".into()))?;
    let token = text.trim();
    if token.len() < 4 || token.len() > MAX_TOKEN_LEN {
        return Err(unreadable(format!(
            "{} characters; a token has 4 to {MAX_TOKEN_LEN}",
            token.len()
        )));
    }
    if !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(unreadable(
            "it holds characters a JWT never has (spaces or controls)".into(),
        ));
    }
    Ok(Secret::new(token))
}

/// STS's refusal of an OIDC token, with what to do about its Code.
pub fn explain(profile: &str, e: RemoteError) -> CredentialsError {
    let advice = match e.code() {
        Some("AuthenticationFail.OIDCToken.Expired") => {
            "the OIDC token has expired: the CI system or Kubernetes writes a new one to the token file; run the job step again, or check that the token is refreshed"
        }
        Some("AuthenticationFail.OIDCToken.AudienceNotMatch") => {
            "the token's audience is not a client id of the OIDC provider: add it to the provider in RAM, or have the CI system request the provider's audience"
        }
        Some(c) if c.starts_with("AuthenticationFail.OIDCToken") => {
            "STS does not accept the OIDC token: check that oidc_provider_arn names the provider that issued it (issuer and fingerprint in RAM)"
        }
        Some("AuthenticationFail.NoPermission") | Some("NoPermission") => {
            "the role's trust policy does not admit this token: allow the OIDC provider (and the token's subject) in the role's trust policy"
        }
        _ => "",
    };
    let message = if advice.is_empty() {
        format!("profile {profile}: AssumeRoleWithOIDC failed: {e}")
    } else {
        format!("profile {profile}: AssumeRoleWithOIDC failed: {e}. {advice}")
    };
    CredentialsError::OidcRefused { message, source: e }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_read_trimmed_and_bad_files_are_named_not_quoted() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("token");
        std::fs::write(&f, "eyJhbGciOi.payload.sig\n").unwrap();
        assert_eq!(
            read_token("ci", &f).unwrap().expose(),
            "eyJhbGciOi.payload.sig"
        );
        for bad in ["", "ab", "has space in it", "\u{1b}[31mx.y.z"] {
            std::fs::write(&f, bad).unwrap();
            let e = read_token("ci", &f).unwrap_err().to_string();
            assert!(e.contains(&f.display().to_string()), "{e}");
            if bad.len() > 3 {
                assert!(!e.contains(bad), "{e}");
            }
        }
        let e = read_token("ci", &dir.path().join("missing")).unwrap_err();
        assert!(e.to_string().contains("oidc_token_file"), "{e}");
    }
}
