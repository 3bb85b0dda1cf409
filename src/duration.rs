//! Humane durations: `900s`, `15m`, `1h`, `12h`, `1h30m`, or a bare number of seconds.

use std::time::Duration;

/// Parses a humane duration. The error says what a valid value looks like.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let s = text.trim();
    let hint =
        || format!("`{text}` is not a duration; write it like `900s`, `15m`, `1h` or `1h30m`");
    if s.is_empty() {
        return Err(hint());
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return s
            .parse::<u64>()
            .map(Duration::from_secs)
            .map_err(|_| hint());
    }
    let mut total: u64 = 0;
    let mut number = String::new();
    let mut seen_unit = false;
    for c in s.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86400,
            _ => return Err(hint()),
        };
        let n: u64 = number.parse().map_err(|_| hint())?;
        total = n
            .checked_mul(unit)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(hint)?;
        number.clear();
        seen_unit = true;
    }
    if !number.is_empty() || !seen_unit {
        return Err(hint());
    }
    Ok(Duration::from_secs(total))
}

/// Formats seconds the way a person reads them: `59m 12s`, `11h 2m`, `45s`.
pub fn format_seconds(secs: i64) -> String {
    if secs <= 0 {
        return "expired".to_string();
    }
    let (h, m, s) = (secs / 3600, (secs % 3600) / 60, secs % 60);
    match (h, m) {
        (0, 0) => format!("{s}s"),
        (0, _) => format!("{m}m {s}s"),
        _ => format!("{h}h {m}m"),
    }
}

/// Writes a duration the way [`parse_duration`] reads it: `1h30m`, `15m`, `45s`, `0s`.
pub fn format_duration(d: Duration) -> String {
    let mut s = d.as_secs();
    let mut out = String::new();
    for (unit, size) in [("d", 86400), ("h", 3600), ("m", 60), ("s", 1)] {
        if s >= size {
            out.push_str(&format!("{}{unit}", s / size));
            s %= size;
        }
    }
    if out.is_empty() {
        out.push_str("0s");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_forms_of_the_spec() {
        assert_eq!(parse_duration("900s"), Ok(Duration::from_secs(900)));
        assert_eq!(parse_duration("15m"), Ok(Duration::from_secs(900)));
        assert_eq!(parse_duration("1h"), Ok(Duration::from_secs(3600)));
        assert_eq!(parse_duration("12h"), Ok(Duration::from_secs(43200)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("3600"), Ok(Duration::from_secs(3600)));
    }

    #[test]
    fn rejects_garbage_with_an_example() {
        for bad in ["", "h", "1x", "1h30", "-5m", "1.5h"] {
            let err = parse_duration(bad).unwrap_err();
            assert!(err.contains("write it like `900s`"), "{bad}: {err}");
        }
    }

    #[test]
    fn formats_time_left() {
        assert_eq!(format_seconds(45), "45s");
        assert_eq!(format_seconds(3552), "59m 12s");
        assert_eq!(format_seconds(39720), "11h 2m");
        assert_eq!(format_seconds(0), "expired");
    }
}
