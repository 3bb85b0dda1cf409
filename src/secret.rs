//! Types that hold secrets: zeroized on drop, redacted in `Debug` and never `Display`ed.

use std::fmt;
use zeroize::{Zeroize, Zeroizing};

/// A secret string (an AccessKey secret, an STS token, an SSO access token, a passphrase).
///
/// The bytes are wiped when the value is dropped. `Debug` prints `Secret(***)`, so a secret
/// that ends up in a log line, an error or a panic message shows nothing.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(Zeroizing::new(value.into()))
    }

    /// The plain value. Call it only where the secret must leave the process
    /// (a signature, a child's environment, a keystore write).
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }
}

impl From<String> for Secret {
    fn from(mut value: String) -> Self {
        let s = Secret::new(value.as_str());
        value.zeroize();
        s
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl serde::Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.expose())
    }
}

impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Secret::from)
    }
}

/// An AccessKey id is not a secret, but logs show only its last four characters
/// (as aws-vault does) so that a log does not map identities to keys.
pub fn key_id_hint(access_key_id: &str) -> String {
    let n = access_key_id.chars().count();
    if n <= 4 {
        return "****".to_string();
    }
    let tail: String = access_key_id.chars().skip(n - 4).collect();
    format!("****{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_hides_the_value() {
        let s = Secret::new("hunter2-very-secret");
        assert_eq!(format!("{s:?}"), "Secret(***)");
        assert_eq!(format!("{:?}", Some(s)), "Some(Secret(***))");
    }

    #[test]
    fn key_id_hint_keeps_only_the_last_four_characters() {
        assert_eq!(key_id_hint("LTAI5tExampleKeyId9876"), "****9876");
        assert_eq!(key_id_hint("abc"), "****");
    }
}
