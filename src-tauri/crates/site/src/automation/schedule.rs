//! When a rule evaluates by itself. Everything is UTC: "02:00" means 02:00 UTC whatever
//! the console's time zone, so a daylight-saving change never skips or repeats a run.

use time::{Date, Duration, Month, OffsetDateTime, Time, UtcOffset, Weekday};

use crate::api::{EvaluationKind, EvaluationSchedule, FieldIssue, SpanUnit, TimeSpan};
use crate::sync::schedule::next_at;
use crate::sync::settings::parse_hhmm;

/// The largest day offset after Patch Tuesday: 27 days keeps every month's occurrence
/// before the next month's Patch Tuesday, so runs never swap order.
pub const MAX_DAYS_AFTER_PATCH_TUESDAY: i64 = 27;

/// The first evaluation strictly after `after`; None for Manual and AfterSync (and for a
/// schedule that [`validate`] refuses).
pub fn next_evaluation(s: &EvaluationSchedule, after: OffsetDateTime) -> Option<OffsetDateTime> {
    let after = after.to_offset(UtcOffset::UTC);
    match s.kind {
        EvaluationKind::Manual | EvaluationKind::AfterSync => None,
        EvaluationKind::Daily => next_at(after, &s.time_utc, None),
        EvaluationKind::Weekly => next_at(after, &s.time_utc, Some(s.day_of_week)),
        EvaluationKind::MonthlyAfterPatchTuesday => {
            if !(0..=MAX_DAYS_AFTER_PATCH_TUESDAY).contains(&s.days_after_patch_tuesday) {
                return None;
            }
            let (h, m) = parse_hhmm(&s.time_utc)?;
            let at = Time::from_hms(h, m, 0).ok()?;
            // The previous month's occurrence can fall in this month (PT + 27 reaches into
            // the next month), so the search starts one month back.
            let (mut year, mut month) = previous_month(after.year(), after.month());
            for _ in 0..4 {
                let day = patch_tuesday(year, month)? + Duration::days(s.days_after_patch_tuesday);
                let due = day.with_time(at).assume_utc();
                if due > after {
                    return Some(due);
                }
                (year, month) = (if month == Month::December { year + 1 } else { year }, month.next());
            }
            None
        }
    }
}

/// The second Tuesday of a month (Microsoft's monthly release day); None only for years
/// `time` cannot represent.
pub fn patch_tuesday(year: i32, month: Month) -> Option<Date> {
    let first = Date::from_calendar_date(year, month, 1).ok()?;
    let to_tuesday = (Weekday::Tuesday.number_days_from_sunday() as i64
        - first.weekday().number_days_from_sunday() as i64)
        .rem_euclid(7);
    Some(first + Duration::days(to_tuesday + 7))
}

fn previous_month(year: i32, month: Month) -> (i32, Month) {
    if month == Month::January {
        (year - 1, Month::December)
    } else {
        (year, month.previous())
    }
}

fn weekday_from_sunday(n: i64) -> Option<Weekday> {
    use Weekday::*;
    [Sunday, Monday, Tuesday, Wednesday, Thursday, Friday, Saturday]
        .get(usize::try_from(n).ok()?)
        .copied()
}

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

/// The longest span a rule may name, per unit (10 years): a longer one is a typing
/// mistake, and the arithmetic stays far from `time`'s limits.
pub fn max_span(unit: SpanUnit) -> i64 {
    match unit {
        SpanUnit::Hours => 24 * 3653,
        SpanUnit::Days => 3653,
        SpanUnit::Weeks => 522,
        SpanUnit::Months => 120,
    }
}

/// `t` plus a span; months are calendar months, clamped to the month's last day
/// (Jan 31 + 1 month = Feb 28 or 29). Saturates instead of overflowing.
pub fn add_span(t: OffsetDateTime, span: TimeSpan) -> OffsetDateTime {
    shift(t, span.unit, span.value)
}

/// `t` minus a span, with the same calendar-month rule (Mar 31 - 1 month = Feb 28 or 29).
pub fn sub_span(t: OffsetDateTime, span: TimeSpan) -> OffsetDateTime {
    shift(t, span.unit, span.value.saturating_neg())
}

fn shift(t: OffsetDateTime, unit: SpanUnit, value: i64) -> OffsetDateTime {
    // Far beyond any valid span; keeps Duration and month arithmetic in range.
    let value = value.clamp(-1_000_000, 1_000_000);
    match unit {
        SpanUnit::Hours => t.saturating_add(Duration::hours(value)),
        SpanUnit::Days => t.saturating_add(Duration::days(value)),
        SpanUnit::Weeks => t.saturating_add(Duration::weeks(value)),
        SpanUnit::Months => add_months(t, value),
    }
}

fn add_months(t: OffsetDateTime, months: i64) -> OffsetDateTime {
    let index = t.year() as i64 * 12 + (t.month() as i64 - 1) + months;
    let year = index.div_euclid(12);
    let month = Month::try_from((index.rem_euclid(12) + 1) as u8).unwrap_or(Month::January);
    let Ok(year) = i32::try_from(year) else {
        return if months < 0 { OffsetDateTime::UNIX_EPOCH } else { t };
    };
    let last = month.length(year);
    match Date::from_calendar_date(year, month, t.day().min(last)) {
        Ok(date) => t.replace_date(date),
        // Outside the years `time` holds: stay at the nearest representable end.
        Err(_) if months < 0 => Date::MIN.midnight().assume_offset(t.offset()),
        Err(_) => Date::MAX
            .with_hms(23, 59, 59)
            .map_or(t, |d| d.assume_offset(t.offset())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

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
    fn patch_tuesday_is_the_second_tuesday() {
        assert_eq!(patch_tuesday(2026, Month::November), Some(date!(2026 - 11 - 10)));
        assert_eq!(patch_tuesday(2026, Month::December), Some(date!(2026 - 12 - 08)));
        assert_eq!(patch_tuesday(2027, Month::January), Some(date!(2027 - 01 - 12)));
        // The 1st is a Tuesday: the second Tuesday is the 8th, not the 1st or 15th.
        assert_eq!(patch_tuesday(2026, Month::September), Some(date!(2026 - 09 - 08)));
        // The 1st is a Wednesday: the latest possible Patch Tuesday, the 14th.
        assert_eq!(patch_tuesday(2026, Month::July), Some(date!(2026 - 07 - 14)));
        // Leap February 2028 starts on a Tuesday.
        assert_eq!(patch_tuesday(2028, Month::February), Some(date!(2028 - 02 - 08)));
    }

    #[test]
    fn days_after_patch_tuesday_at_a_utc_time() {
        let s = monthly(3, "02:00");
        assert_eq!(
            next_evaluation(&s, datetime!(2026-11-01 00:00 UTC)),
            Some(datetime!(2026-11-13 02:00 UTC))
        );
        // Exactly at the due time: the next one is next month's.
        assert_eq!(
            next_evaluation(&s, datetime!(2026-11-13 02:00 UTC)),
            Some(datetime!(2026-12-11 02:00 UTC))
        );
        // One minute before it: still this month's.
        assert_eq!(
            next_evaluation(&s, datetime!(2026-11-13 01:59 UTC)),
            Some(datetime!(2026-11-13 02:00 UTC))
        );
        // Day 0 is Patch Tuesday itself.
        assert_eq!(
            next_evaluation(&monthly(0, "18:30"), datetime!(2026-09-01 00:00 UTC)),
            Some(datetime!(2026-09-08 18:30 UTC))
        );
    }

    #[test]
    fn a_month_occurrence_that_falls_in_the_next_month() {
        let s = monthly(27, "00:00");
        // December's Patch Tuesday (Dec 8) + 27 days is January 4.
        assert_eq!(
            next_evaluation(&s, datetime!(2026-12-20 00:00 UTC)),
            Some(datetime!(2027-01-04 00:00 UTC))
        );
        // Asked in early January, December's occurrence is still ahead.
        assert_eq!(
            next_evaluation(&s, datetime!(2027-01-02 12:00 UTC)),
            Some(datetime!(2027-01-04 00:00 UTC))
        );
        // Then January's: Jan 12 + 27 = Feb 8.
        assert_eq!(
            next_evaluation(&s, datetime!(2027-01-04 00:00 UTC)),
            Some(datetime!(2027-02-08 00:00 UTC))
        );
    }

    #[test]
    fn leap_february_counts_its_29th() {
        // Feb 2028: Patch Tuesday Feb 8, + 21 days = Feb 29 (a leap day).
        assert_eq!(
            next_evaluation(&monthly(21, "06:00"), datetime!(2028-02-09 00:00 UTC)),
            Some(datetime!(2028-02-29 06:00 UTC))
        );
        // Feb 2027 (not leap): Patch Tuesday Feb 9, + 20 days = Mar 1.
        assert_eq!(
            next_evaluation(&monthly(20, "06:00"), datetime!(2027-02-10 00:00 UTC)),
            Some(datetime!(2027-03-01 06:00 UTC))
        );
    }

    #[test]
    fn local_offsets_and_dst_nights_do_not_move_the_utc_result() {
        let s = monthly(3, "02:00");
        let utc = next_evaluation(&s, datetime!(2026-03-29 00:30 UTC));
        // Paris, the night clocks go from +01:00 to +02:00 (2026-03-29 01:00 UTC): the same
        // instant written in either offset gives the same UTC due time.
        assert_eq!(next_evaluation(&s, datetime!(2026-03-29 01:30 +01:00)), utc);
        assert_eq!(
            next_evaluation(&s, datetime!(2026-03-29 03:30 +02:00)),
            next_evaluation(&s, datetime!(2026-03-29 01:30 UTC))
        );
        assert_eq!(utc, Some(datetime!(2026-04-17 02:00 UTC)));
        // US Eastern, 2026-03-08: -05:00 becomes -04:00 at 07:00 UTC.
        let daily = sched(EvaluationKind::Daily, "06:30", 0, 0);
        let before = next_evaluation(&daily, datetime!(2026-03-08 01:00 -05:00));
        assert_eq!(before, Some(datetime!(2026-03-08 06:30 UTC)));
        let after = next_evaluation(&daily, datetime!(2026-03-08 03:00 -04:00));
        assert_eq!(after, Some(datetime!(2026-03-09 06:30 UTC)));
        let result = after.map(|t| t.offset());
        assert_eq!(result, Some(UtcOffset::UTC));
    }

    #[test]
    fn daily_runs_today_or_tomorrow() {
        let s = sched(EvaluationKind::Daily, "23:59", 0, 0);
        assert_eq!(
            next_evaluation(&s, datetime!(2026-12-31 23:00 UTC)),
            Some(datetime!(2026-12-31 23:59 UTC))
        );
        assert_eq!(
            next_evaluation(&s, datetime!(2026-12-31 23:59 UTC)),
            Some(datetime!(2027-01-01 23:59 UTC))
        );
    }

    #[test]
    fn weekly_on_its_day_across_the_year_end() {
        // 2026-12-31 is a Thursday; Saturday (6) 03:00 is Jan 2.
        let s = sched(EvaluationKind::Weekly, "03:00", 6, 0);
        assert_eq!(
            next_evaluation(&s, datetime!(2026-12-31 12:00 UTC)),
            Some(datetime!(2027-01-02 03:00 UTC))
        );
        // On the day, after the time: a week later.
        assert_eq!(
            next_evaluation(&s, datetime!(2027-01-02 03:00 UTC)),
            Some(datetime!(2027-01-09 03:00 UTC))
        );
        // Sunday is 0.
        let sunday = sched(EvaluationKind::Weekly, "00:00", 0, 0);
        assert_eq!(
            next_evaluation(&sunday, datetime!(2026-12-31 12:00 UTC)),
            Some(datetime!(2027-01-03 00:00 UTC))
        );
    }

    #[test]
    fn after_sync_and_manual_have_no_time() {
        let now = datetime!(2026-11-29 08:00 UTC);
        assert_eq!(
            next_evaluation(&sched(EvaluationKind::AfterSync, "02:00", 0, 0), now),
            None
        );
        assert_eq!(next_evaluation(&sched(EvaluationKind::Manual, "", 0, 0), now), None);
        assert!(validate(&sched(EvaluationKind::Manual, "", 9, 99)).is_empty());
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
        assert_eq!(
            next_evaluation(&monthly(28, "07:00"), datetime!(2026-11-01 00:00 UTC)),
            None
        );
    }

    #[test]
    fn calendar_months_clamp_to_the_month_end() {
        let span = |value, unit| TimeSpan { value, unit };
        assert_eq!(
            add_span(datetime!(2027-01-31 10:00 UTC), span(1, SpanUnit::Months)),
            datetime!(2027-02-28 10:00 UTC)
        );
        assert_eq!(
            add_span(datetime!(2028-01-31 10:00 UTC), span(1, SpanUnit::Months)),
            datetime!(2028-02-29 10:00 UTC)
        );
        assert_eq!(
            add_span(datetime!(2026-11-30 00:00 UTC), span(14, SpanUnit::Months)),
            datetime!(2028-01-30 00:00 UTC)
        );
        assert_eq!(
            sub_span(datetime!(2026-03-31 00:00 UTC), span(1, SpanUnit::Months)),
            datetime!(2026-02-28 00:00 UTC)
        );
        assert_eq!(
            sub_span(datetime!(2027-01-15 00:00 UTC), span(13, SpanUnit::Months)),
            datetime!(2025-12-15 00:00 UTC)
        );
        assert_eq!(
            sub_span(datetime!(2026-11-29 08:00 UTC), span(2, SpanUnit::Weeks)),
            datetime!(2026-11-15 08:00 UTC)
        );
        assert_eq!(
            add_span(datetime!(2026-03-28 12:00 UTC), span(36, SpanUnit::Hours)),
            datetime!(2026-03-30 00:00 UTC)
        );
        // Absurd values saturate rather than panic.
        let _ = add_span(datetime!(2026-01-01 00:00 UTC), span(i64::MAX, SpanUnit::Months));
        let _ = sub_span(datetime!(2026-01-01 00:00 UTC), span(i64::MAX, SpanUnit::Days));
    }
}
