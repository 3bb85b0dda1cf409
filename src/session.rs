//! The credentials the vault hands out: a long-term AccessKey or an STS session.

use crate::secret::Secret;
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};

/// A long-term AccessKey of a RAM user, as stored in the keystore.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LongTermKey {
    pub access_key_id: String,
    pub access_key_secret: Secret,
}

/// Short-lived STS credentials (from AssumeRole or CloudSSO).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub access_key_id: String,
    pub access_key_secret: Secret,
    pub security_token: Secret,
    /// When STS says the session ends.
    #[serde(with = "time::serde::rfc3339")]
    pub expiration: OffsetDateTime,
    /// When the vault obtained it (the `LastUpdated` field of the endpoints).
    #[serde(with = "time::serde::rfc3339")]
    pub issued_at: OffsetDateTime,
}

impl Session {
    /// Seconds left until expiry (negative once expired).
    pub fn seconds_left(&self, now: OffsetDateTime) -> i64 {
        (self.expiration - now).whole_seconds()
    }

    pub fn is_expired(&self, now: OffsetDateTime) -> bool {
        self.expiration <= now
    }

    /// The lifetime STS gave this session.
    pub fn lifetime_seconds(&self) -> i64 {
        (self.expiration - self.issued_at).whole_seconds()
    }
}

/// The credentials-URI / ECS metadata JSON of a session, serialized straight from borrowed
/// strings (no copy of a secret in an intermediate value that would be freed unwiped).
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct EndpointJson<'a> {
    code: &'static str,
    access_key_id: &'a str,
    access_key_secret: &'a str,
    security_token: &'a str,
    expiration: String,
    last_updated: String,
}

impl Session {
    /// The JSON the credentials URI and the metadata endpoint serve (and `export --format
    /// credentials-uri-json` prints), in a buffer sized in advance so that it never moves and
    /// leaves no unwiped copy of the secret behind. The caller wipes it.
    pub fn endpoint_json(&self) -> Vec<u8> {
        let doc = EndpointJson {
            code: "Success",
            access_key_id: &self.access_key_id,
            access_key_secret: self.access_key_secret.expose(),
            security_token: self.security_token.expose(),
            expiration: format_alibaba_time(self.expiration),
            last_updated: format_alibaba_time(self.issued_at),
        };
        // JSON escaping at most doubles a string here, where secrets are base64-like.
        let mut json = Vec::with_capacity(
            256 + 2
                * (doc.access_key_id.len()
                    + doc.access_key_secret.len()
                    + doc.security_token.len()),
        );
        serde_json::to_writer(&mut json, &doc).expect("a JSON object of strings serializes");
        json
    }
}

/// What a caller gets: a session, or (for a profile without a role) the long-term key itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Issued {
    LongTerm(LongTermKey),
    Session(Session),
}

impl Issued {
    pub fn access_key_id(&self) -> &str {
        match self {
            Issued::LongTerm(k) => &k.access_key_id,
            Issued::Session(s) => &s.access_key_id,
        }
    }

    pub fn access_key_secret(&self) -> &Secret {
        match self {
            Issued::LongTerm(k) => &k.access_key_secret,
            Issued::Session(s) => &s.access_key_secret,
        }
    }

    pub fn security_token(&self) -> Option<&Secret> {
        match self {
            Issued::LongTerm(_) => None,
            Issued::Session(s) => Some(&s.security_token),
        }
    }

    pub fn expiration(&self) -> Option<OffsetDateTime> {
        match self {
            Issued::LongTerm(_) => None,
            Issued::Session(s) => Some(s.expiration),
        }
    }
}

/// Formats a time the way every Alibaba client parses it: `YYYY-MM-DDTHH:MM:SSZ`, UTC, no fraction.
pub fn format_alibaba_time(t: OffsetDateTime) -> String {
    let t = t.to_offset(UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Parses an Alibaba timestamp (`2015-04-09T11:52:19Z`; any RFC 3339 time is accepted).
pub fn parse_alibaba_time(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn alibaba_time_has_no_fraction_and_ends_in_z() {
        let t = datetime!(2015-04-09 11:52:19.987 +02:00);
        assert_eq!(format_alibaba_time(t), "2015-04-09T09:52:19Z");
    }

    #[test]
    fn alibaba_time_round_trips() {
        let t = parse_alibaba_time("2015-04-09T11:52:19Z").unwrap();
        assert_eq!(t, datetime!(2015-04-09 11:52:19 UTC));
        assert!(parse_alibaba_time("2015-04-09 11:52:19").is_none());
    }
}

/// Checks that an AccessKey looks like a long-term RAM key before it is stored.
/// The message says what was expected, never what was typed.
pub fn check_key_shape(access_key_id: &str, secret: &str) -> Result<(), String> {
    if access_key_id.is_empty() {
        return Err("the AccessKey ID is empty".into());
    }
    if access_key_id.starts_with("STS.") {
        return Err("this is a temporary STS AccessKey ID (it starts with `STS.`); store a long-term AccessKey of a RAM user (it usually starts with `LTAI`)".into());
    }
    if !(16..=64).contains(&access_key_id.len())
        || !access_key_id.bytes().all(|b| b.is_ascii_alphanumeric())
    {
        // An id is not secret: naming the first character that does not belong is safe.
        let odd = match access_key_id.chars().find(|c| !c.is_ascii_alphanumeric()) {
            None => String::new(),
            Some(c) if c.is_whitespace() => ", including white space inside it".to_string(),
            Some(c) if c.is_ascii_graphic() => format!(", including `{c}`"),
            Some(c) => format!(", including the character U+{:04X}", c as u32),
        };
        return Err(format!(
            "the AccessKey ID must be 16 to 64 letters and digits (like `LTAI5tExampleExample1234`); got {} characters{odd}",
            access_key_id.chars().count(),
        ));
    }
    if secret.is_empty() {
        return Err("the AccessKey secret is empty".into());
    }
    if !(16..=128).contains(&secret.len()) || !secret.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(format!(
            "the AccessKey secret must be 16 to 128 printable characters without spaces; got {} characters",
            secret.chars().count()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod shape_tests {
    use super::check_key_shape;

    #[test]
    fn a_usual_ram_key_passes() {
        assert_eq!(
            check_key_shape("LTAI5tExampleExample1234", "abcdefghijklmnopqrstuvwxyz0123"),
            Ok(())
        );
    }

    #[test]
    fn wrong_shapes_are_refused_without_echoing_the_secret() {
        assert!(
            check_key_shape("STS.abcdefghijklmnop", "abcdefghijklmnopqrstuvwxyz0123")
                .unwrap_err()
                .contains("temporary STS")
        );
        assert!(check_key_shape("short", "abcdefghijklmnopqrstuvwxyz0123")
            .unwrap_err()
            .contains("16 to 64"));
        assert!(check_key_shape("LTAI5tExampleExample1234", "")
            .unwrap_err()
            .contains("empty"));
        let e =
            check_key_shape("LTAI5tExampleExample1234", "has a space in it 1234567").unwrap_err();
        assert!(!e.contains("space in it"), "{e}");
    }
}
