//! UTC time as the site stores it: RFC 3339 text, sortable as text; and the one place that
//! reads the clock or turns text into a time.

use chrono::{DateTime, NaiveDateTime, SecondsFormat, TimeDelta, Utc};

/// A moment, always in UTC: the site never computes in a local time zone.
pub type UtcTime = DateTime<Utc>;

pub fn now() -> UtcTime {
    Utc::now()
}

pub fn now_utc() -> String {
    format_utc(now())
}

/// Always the same width (milliseconds, `Z`, as JavaScript parses it), so that comparing and sorting the text
/// compares the times: RFC 3339's optional fraction would put `…:23.5Z` after `…:23.537Z`.
pub fn format_utc(t: UtcTime) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// An RFC 3339 time in any offset (`2027-01-31T18:00:00Z`, `…+02:00`), as UTC.
pub fn parse_rfc3339(text: &str) -> Option<UtcTime> {
    DateTime::parse_from_rfc3339(text.trim())
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// `t` moved by `delta`, held at the representable ends instead of overflowing: the
/// deltas come from settings an administrator typed.
pub fn shifted(t: UtcTime, delta: TimeDelta) -> UtcTime {
    t.checked_add_signed(delta).unwrap_or(if delta < TimeDelta::zero() {
        DateTime::<Utc>::MIN_UTC
    } else {
        DateTime::<Utc>::MAX_UTC
    })
}

/// `days` as a span, held at the longest span chrono holds.
pub fn days(days: i64) -> TimeDelta {
    TimeDelta::try_days(days).unwrap_or(if days < 0 { TimeDelta::MIN } else { TimeDelta::MAX })
}

/// Seconds since 1970 as a time; None outside the representable range.
pub fn from_unix(seconds: i64) -> Option<UtcTime> {
    DateTime::from_timestamp(seconds, 0)
}

/// Normalises a date from update XML (e.g. `2026-10-04T12:00:58.287Z`) to UTC RFC 3339;
/// text that is not a date is kept as it came so nothing is lost.
pub fn normalize(text: &str) -> String {
    if let Some(t) = parse_rfc3339(text) {
        return format_utc(t);
    }
    // Update XML also carries times without an offset; they are UTC.
    match NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f") {
        Ok(t) => format_utc(t.and_utc()),
        Err(_) => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_xml_dates_to_utc() {
        assert_eq!(normalize("2026-10-04T12:00:58.287Z"), "2026-10-04T12:00:58.287Z");
        assert_eq!(normalize("2024-01-01T00:00:00.000"), "2024-01-01T00:00:00.000Z");
        assert_eq!(normalize("2024-01-01T00:00:00"), "2024-01-01T00:00:00.000Z");
        assert_eq!(normalize("2026-10-04T14:00:00+02:00"), "2026-10-04T12:00:00.000Z");
        // Fixed width: text order is time order.
        assert!(normalize("2026-10-04T12:00:58.5Z") < normalize("2026-10-04T12:00:58.537Z"));
        assert_eq!(normalize("garbage"), "garbage");
    }
}
