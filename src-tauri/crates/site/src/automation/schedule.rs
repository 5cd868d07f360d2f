//! When a rule evaluates by itself. Everything is UTC.

use time::OffsetDateTime;

use crate::api::{EvaluationSchedule, FieldIssue, TimeSpan};

/// The first evaluation strictly after `after`; None for Manual and AfterSync.
/// (Interim: the schedule engine replaces it.)
pub fn next_evaluation(_s: &EvaluationSchedule, _after: OffsetDateTime) -> Option<OffsetDateTime> {
    None
}

/// Problems with a schedule (fields "evaluation.<name>").
pub fn validate(_s: &EvaluationSchedule) -> Vec<FieldIssue> {
    Vec::new()
}

/// `t` plus a span; months are calendar months, clamped to the month's last day.
/// (Interim: months count as 30 days.)
pub fn add_span(t: OffsetDateTime, span: TimeSpan) -> OffsetDateTime {
    use crate::api::SpanUnit::*;
    let d = match span.unit {
        Hours => time::Duration::hours(span.value),
        Days => time::Duration::days(span.value),
        Weeks => time::Duration::weeks(span.value),
        Months => time::Duration::days(30 * span.value),
    };
    t.saturating_add(d)
}
