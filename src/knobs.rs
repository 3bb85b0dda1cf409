//! Numeric settings read from the environment: the knobs of the HTTP clients (timeouts and
//! backoff that tests shorten). A value that is set must be usable: a typo is a usage error
//! that names the variable, never silently the default. A bottom layer: the HTTP clients
//! (`aliyun`) read their knobs here, and the configuration (`config::env`) checks them.

use std::time::Duration;

/// Test knob: the base delay of the retry backoff, in milliseconds (default 200).
pub const ENV_RETRY_BASE_MS: &str = "ALICLOUD_VAULT_RETRY_BASE_MS";
/// Test knob: the total timeout of one HTTP attempt, in milliseconds (default 15000).
pub const ENV_HTTP_TIMEOUT_MS: &str = "ALICLOUD_VAULT_HTTP_TIMEOUT_MS";
/// Test knob: how many milliseconds one second of the server's `Interval` lasts (default 1000),
/// so that tests do not wait whole seconds between polls.
pub const ENV_POLL_UNIT_MS: &str = "ALICLOUD_VAULT_SSO_POLL_UNIT_MS";

/// A knob that is set to something it cannot be.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{name}: {message}")]
pub struct BadKnob {
    pub name: String,
    pub message: String,
}

/// How old a rotation record must be before the agent calls the rotation unfinished (a test
/// shortens it; docs/agent.md, "Desktop notices").
pub const ENV_ROTATION_UNFINISHED_AFTER_MS: &str = "ALICLOUD_VAULT_ROTATION_UNFINISHED_AFTER_MS";

/// One hour: no knob needs more.
const MAX_MS: u64 = 3_600_000;

/// Every millisecond knob and the smallest value it takes.
const KNOBS: [(&str, u64); 4] = [
    (ENV_HTTP_TIMEOUT_MS, 1),
    (ENV_RETRY_BASE_MS, 0),
    (ENV_POLL_UNIT_MS, 0),
    (ENV_ROTATION_UNFINISHED_AFTER_MS, 0),
];

/// The knob `name` in milliseconds: `None` when unset or empty, an error when it is not
/// plain digits within its range.
pub fn millis(name: &str) -> Result<Option<Duration>, BadKnob> {
    parse_millis(name, std::env::var_os(name).as_deref())
}

fn parse_millis(name: &str, raw: Option<&std::ffi::OsStr>) -> Result<Option<Duration>, BadKnob> {
    let Some(raw) = raw else {
        return Ok(None);
    };
    let min = KNOBS
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(0, |(_, m)| *m);
    let bad = || {
        BadKnob {
        name: name.to_string(),
        message: format!(
            "must be a whole number of milliseconds from {min} to {MAX_MS}; unset it to use the default"
        ),
    }
    };
    let text = raw.to_str().ok_or_else(bad)?;
    if text.is_empty() {
        return Ok(None);
    }
    if !text.bytes().all(|b| b.is_ascii_digit()) || text.len() > 7 {
        return Err(bad());
    }
    let ms: u64 = text.parse().map_err(|_| bad())?;
    if !(min..=MAX_MS).contains(&ms) {
        return Err(bad());
    }
    Ok(Some(Duration::from_millis(ms)))
}

/// Checks every knob once, at start, so that a bad value stops the command before it does
/// anything (the clients then read them with [`knob`]).
pub fn check_knobs() -> Result<(), BadKnob> {
    for (name, _) in KNOBS {
        millis(name)?;
    }
    Ok(())
}

/// A knob for a client, after [`check_knobs`] passed (an invalid value reads as unset).
pub fn knob(name: &str) -> Option<Duration> {
    millis(name).ok().flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knobs_take_plain_milliseconds_in_range_and_name_themselves_otherwise() {
        let parse =
            |v: Option<&str>| parse_millis(ENV_HTTP_TIMEOUT_MS, v.map(std::ffi::OsStr::new));
        assert_eq!(parse(None).unwrap(), None);
        assert_eq!(parse(Some("")).unwrap(), None);
        assert_eq!(
            parse(Some("250")).unwrap(),
            Some(Duration::from_millis(250))
        );
        for bad in [
            "abc",
            "0",
            "-5",
            "+5",
            " 5",
            "5 ",
            "1e3",
            "3600001",
            "99999999999999999999",
        ] {
            let e = parse(Some(bad)).unwrap_err().to_string();
            assert_eq!(
                e,
                "ALICLOUD_VAULT_HTTP_TIMEOUT_MS: must be a whole number of milliseconds from 1 to 3600000; unset it to use the default",
                "{bad:?}"
            );
        }
        // The backoff base may be 0 (tests retry at once).
        let zero = parse_millis(ENV_RETRY_BASE_MS, Some(std::ffi::OsStr::new("0"))).unwrap();
        assert_eq!(zero, Some(Duration::ZERO));
    }
}
