//! The checked values a command line, the configuration file and the agent's control socket
//! share: a profile's name, a region id and a session's length. Each is checked once, where it
//! enters (`cli.rs` turns arguments into them with clap value parsers), and every layer below
//! takes the type instead of checking a string again.

use super::ConfigError;
use std::fmt;
use std::ops::Deref;
use std::time::Duration;

/// The shortest and longest session STS grants (docs/protocols.md, AssumeRole parameters).
pub const MIN_SESSION: Duration = Duration::from_secs(900);
pub const MAX_SESSION: Duration = Duration::from_secs(43200);

/// A profile's name: 1 to 64 of `A-Z a-z 0-9 . _ -`. It dereferences to `str`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProfileName(String);

impl ProfileName {
    /// What a profile name may hold, for messages.
    pub const ALLOWED: &'static str = "1 to 64 letters, digits, `.`, `_` or `-`";

    /// Checks `name` (untrimmed: a space is not part of any name).
    pub fn new(name: &str) -> Result<ProfileName, ConfigError> {
        if is_profile_name(name) {
            Ok(ProfileName(name.to_string()))
        } else {
            Err(ConfigError::BadProfileName(name.to_string()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A start of generated profile names (`sso configure --prefix`): empty, or what a name may
    /// hold.
    pub fn check_prefix(prefix: &str) -> Result<String, String> {
        if prefix.is_empty() || is_profile_name(prefix) {
            Ok(prefix.to_string())
        } else {
            Err(format!(
                "{prefix:?} may hold only A-Z a-z 0-9 . _ - (it starts profile names)"
            ))
        }
    }
}

fn is_profile_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

impl Deref for ProfileName {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for ProfileName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ProfileName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for ProfileName {
    type Err = ConfigError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ProfileName::new(s)
    }
}

impl From<ProfileName> for String {
    fn from(p: ProfileName) -> String {
        p.0
    }
}

/// A region id: 1 to 64 of `a-z 0-9 -` (`cn-hangzhou`), trimmed. It dereferences to `str`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RegionId(String);

impl RegionId {
    /// Trims and checks `text`. The message does not echo a long or multi-line value.
    pub fn new(text: &str) -> Result<RegionId, String> {
        let r = text.trim();
        let ok = !r.is_empty()
            && r.len() <= 64
            && r.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if ok {
            return Ok(RegionId(r.to_string()));
        }
        let shown = if r.len() <= 64 && !r.chars().any(char::is_control) {
            format!("`{r}`")
        } else {
            format!("({} bytes)", r.len())
        };
        Err(format!(
            "region {shown} is not a region id; write it like `cn-hangzhou` or `eu-central-1`"
        ))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for RegionId {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RegionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<RegionId> for String {
    fn from(r: RegionId) -> String {
        r.0
    }
}

/// The length of an STS session: from [`MIN_SESSION`] to [`MAX_SESSION`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SessionDuration(Duration);

impl SessionDuration {
    /// What STS grants, for messages.
    pub const ALLOWED: &'static str = "from 15m (900s) to 12h (43200s)";

    /// Checks a length given as a duration; `shown` is how the user wrote it.
    fn checked(d: Duration, shown: &str) -> Result<SessionDuration, String> {
        if (MIN_SESSION..=MAX_SESSION).contains(&d) {
            Ok(SessionDuration(d))
        } else {
            Err(format!(
                "duration `{shown}` is outside what STS grants; use a value {}",
                Self::ALLOWED
            ))
        }
    }

    /// Parses a humane duration (`15m`, `1h`, `3600`) and checks it.
    pub fn parse(text: &str) -> Result<SessionDuration, String> {
        Self::checked(super::parse_duration(text)?, text.trim())
    }

    /// Checks a number of seconds (the control socket's `duration_secs`).
    pub fn from_secs(secs: u64) -> Result<SessionDuration, String> {
        Self::checked(Duration::from_secs(secs), &format!("{secs}s"))
    }

    pub fn get(self) -> Duration {
        self.0
    }

    pub fn as_secs(self) -> u64 {
        self.0.as_secs()
    }
}

impl From<SessionDuration> for Duration {
    fn from(d: SessionDuration) -> Duration {
        d.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_names_hold_only_the_allowed_characters() {
        assert_eq!(
            ProfileName::new("dev.ops_1-a").unwrap().as_str(),
            "dev.ops_1-a"
        );
        for bad in ["", "bad name", "a/b", "é", &"a".repeat(65)] {
            assert!(ProfileName::new(bad).is_err(), "{bad:?}");
        }
        assert!(ProfileName::new(&"a".repeat(64)).is_ok());
        assert_eq!(
            ProfileName::new("bad name").unwrap_err().to_string(),
            "invalid profile name `bad name`: use 1 to 64 letters, digits, `.`, `_` or `-`"
        );
    }

    #[test]
    fn a_prefix_may_be_empty() {
        assert_eq!(ProfileName::check_prefix(""), Ok(String::new()));
        assert_eq!(ProfileName::check_prefix("corp-"), Ok("corp-".into()));
        assert!(ProfileName::check_prefix("a b").is_err());
    }

    #[test]
    fn regions_are_trimmed_and_long_values_are_not_echoed() {
        assert_eq!(
            RegionId::new(" eu-central-1 ").unwrap().as_str(),
            "eu-central-1"
        );
        assert_eq!(
            RegionId::new("CN-Hangzhou").unwrap_err(),
            "region `CN-Hangzhou` is not a region id; write it like `cn-hangzhou` or `eu-central-1`"
        );
        let long = RegionId::new(&"a".repeat(5000)).unwrap_err();
        assert!(long.starts_with("region (5000 bytes) is not"), "{long}");
        assert!(RegionId::new("a\nb")
            .unwrap_err()
            .starts_with("region (3 bytes)"));
    }

    #[test]
    fn session_durations_are_what_sts_grants() {
        assert_eq!(SessionDuration::parse("15m").unwrap().as_secs(), 900);
        assert_eq!(SessionDuration::parse("12h").unwrap().as_secs(), 43200);
        assert_eq!(
            SessionDuration::parse("5m").unwrap_err(),
            "duration `5m` is outside what STS grants; use a value from 15m (900s) to 12h (43200s)"
        );
        assert!(SessionDuration::parse("13h").is_err());
        assert!(SessionDuration::parse("soon")
            .unwrap_err()
            .contains("is not a duration"));
        assert_eq!(SessionDuration::from_secs(3600).unwrap().as_secs(), 3600);
        assert!(SessionDuration::from_secs(899).is_err());
    }
}
