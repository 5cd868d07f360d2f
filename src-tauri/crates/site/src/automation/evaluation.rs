//! Checks of a rule's evaluation schedule, field by field for the wizard. When a valid one
//! is next due is `crate::schedule`'s business, shared with synchronization.

use crate::schedule::{parse_hhmm, weekday_from_sunday, MAX_DAYS_AFTER_PATCH_TUESDAY};
use crate::wire::{EvaluationKind, EvaluationSchedule, FieldIssue};

fn issue(field: &str, message: impl Into<String>) -> FieldIssue {
    FieldIssue {
        field: format!("evaluation.{field}"),
        message: message.into(),
    }
}

/// Problems with a schedule (fields "evaluation.<name>"). Fields a kind does not use are
/// not checked, so switching kinds in the wizard never leaves a hidden error behind.
pub fn validate(s: &EvaluationSchedule) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    let timed = matches!(
        s.kind,
        EvaluationKind::Daily | EvaluationKind::Weekly | EvaluationKind::MonthlyAfterPatchTuesday
    );
    if timed && parse_hhmm(&s.time_utc).is_none() {
        issues.push(issue(
            "timeUtc",
            format!(
                "\"{}\" is not a time: enter the UTC time as HH:MM, from 00:00 to 23:59.",
                s.time_utc
            ),
        ));
    }
    if s.kind == EvaluationKind::Weekly && weekday_from_sunday(s.day_of_week).is_none() {
        issues.push(issue(
            "dayOfWeek",
            format!(
                "Day of week {} does not exist: choose 0 (Sunday) to 6 (Saturday).",
                s.day_of_week
            ),
        ));
    }
    if s.kind == EvaluationKind::MonthlyAfterPatchTuesday
        && !(0..=MAX_DAYS_AFTER_PATCH_TUESDAY).contains(&s.days_after_patch_tuesday)
    {
        issues.push(issue(
            "daysAfterPatchTuesday",
            format!(
                "{} days after Patch Tuesday is out of range: choose 0 to {MAX_DAYS_AFTER_PATCH_TUESDAY} days, \
                 so each month's run comes before the next Patch Tuesday.",
                s.days_after_patch_tuesday
            ),
        ));
    }
    issues
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sched(kind: EvaluationKind, time_utc: &str, day_of_week: i64, days: i64) -> EvaluationSchedule {
        EvaluationSchedule {
            kind,
            time_utc: time_utc.into(),
            day_of_week,
            days_after_patch_tuesday: days,
        }
    }

    fn monthly(days: i64, at: &str) -> EvaluationSchedule {
        sched(EvaluationKind::MonthlyAfterPatchTuesday, at, 0, days)
    }

    #[test]
    fn manual_and_after_sync_check_nothing() {
        assert!(validate(&sched(EvaluationKind::Manual, "", 9, 99)).is_empty());
        assert!(validate(&sched(EvaluationKind::AfterSync, "", 9, 99)).is_empty());
    }

    #[test]
    fn validation_names_the_field_and_the_range() {
        let fields = |s: &EvaluationSchedule| validate(s).into_iter().map(|i| i.field).collect::<Vec<_>>();
        assert_eq!(
            fields(&sched(EvaluationKind::Daily, "24:00", 0, 0)),
            ["evaluation.timeUtc"]
        );
        assert_eq!(
            fields(&sched(EvaluationKind::Daily, "7:00", 0, 0)),
            ["evaluation.timeUtc"]
        );
        assert_eq!(
            fields(&sched(EvaluationKind::Weekly, "07:00", 7, 0)),
            ["evaluation.dayOfWeek"]
        );
        assert_eq!(fields(&monthly(28, "07:00")), ["evaluation.daysAfterPatchTuesday"]);
        assert!(validate(&monthly(28, "07:00"))[0].message.contains("0 to 27"));
        assert!(validate(&sched(EvaluationKind::Weekly, "07:00", -1, 0))[0]
            .message
            .contains("0 (Sunday) to 6 (Saturday)"));
        assert!(validate(&monthly(27, "23:59")).is_empty());
    }
}
