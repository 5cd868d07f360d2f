//! UTC time as the site stores it: RFC 3339 text, sortable as text.

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

pub fn now_utc() -> String {
    format_utc(OffsetDateTime::now_utc())
}

/// Always the same width (milliseconds, `Z`, as JavaScript parses it), so that comparing and sorting the text
/// compares the times: RFC 3339's optional fraction would put `…:23.5Z` after `…:23.537Z`.
pub fn format_utc(t: OffsetDateTime) -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    t.to_offset(time::UtcOffset::UTC)
        .format(&fmt)
        .unwrap_or_else(|_| String::from("1970-01-01T00:00:00.000Z"))
}

/// Normalises a date from update XML (e.g. `2026-10-04T12:00:58.287Z`) to UTC RFC 3339;
/// text that is not a date is kept as it came so nothing is lost.
pub fn normalize(text: &str) -> String {
    match OffsetDateTime::parse(text, &Rfc3339) {
        Ok(t) => format_utc(t),
        Err(_) => match time::PrimitiveDateTime::parse(
            text,
            &time::macros::format_description!(
                "[year]-[month]-[day]T[hour]:[minute]:[second][optional [.[subsecond]]]"
            ),
        ) {
            Ok(t) => format_utc(t.assume_utc()),
            Err(_) => text.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_xml_dates_to_utc() {
        assert_eq!(normalize("2026-10-04T12:00:58.287Z"), "2026-10-04T12:00:58.287Z");
        assert_eq!(normalize("2024-01-01T00:00:00.000"), "2024-01-01T00:00:00.000Z");
        assert_eq!(normalize("2026-10-04T14:00:00+02:00"), "2026-10-04T12:00:00.000Z");
        // Fixed width: text order is time order.
        assert!(normalize("2026-10-04T12:00:58.5Z") < normalize("2026-10-04T12:00:58.537Z"));
        assert_eq!(normalize("garbage"), "garbage");
    }
}
