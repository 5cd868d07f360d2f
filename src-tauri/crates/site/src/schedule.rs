//! The one schedule computation of the site: when a recurring time is next due (daily,
//! weekly, N days after Patch Tuesday, every N hours), and calendar spans (hours to
//! months). Synchronization schedules and rule evaluations both map onto [`Recurrence`],
//! so "Daily 02:00" means the same instant everywhere.
//!
//! Everything is UTC: "02:00" means 02:00 UTC whatever the console's time zone, so a
//! daylight-saving change never skips or repeats a run.
//!
//! **Architecture invariant:** pure computation over times; no database, no thread.

use time::{Date, Duration, Month, OffsetDateTime, Time, UtcOffset, Weekday};

use crate::wire::{EvaluationKind, EvaluationSchedule, ScheduleKind, SpanUnit, SyncSchedule, TimeSpan};

/// The largest day offset after Patch Tuesday: 27 days keeps every month's occurrence
/// before the next month's Patch Tuesday, so runs never swap order.
pub const MAX_DAYS_AFTER_PATCH_TUESDAY: i64 = 27;

/// A recurring time. `time_utc` is "HH:MM" in UTC; `day_of_week` is 0 (Sunday) to 6.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recurrence<'a> {
    /// Never by itself (manual, or driven by another event such as a sync's end).
    Never,
    EveryHours(i64),
    Daily {
        time_utc: &'a str,
    },
    Weekly {
        time_utc: &'a str,
        day_of_week: i64,
    },
    /// `days` (0 to [`MAX_DAYS_AFTER_PATCH_TUESDAY`]) after each month's second Tuesday.
    AfterPatchTuesday {
        time_utc: &'a str,
        days: i64,
    },
}

impl<'a> From<&'a SyncSchedule> for Recurrence<'a> {
    fn from(s: &'a SyncSchedule) -> Self {
        match s.kind {
            ScheduleKind::Manual => Recurrence::Never,
            ScheduleKind::EveryHours => Recurrence::EveryHours(s.every_hours),
            ScheduleKind::Daily => Recurrence::Daily { time_utc: &s.time_utc },
            ScheduleKind::Weekly => Recurrence::Weekly {
                time_utc: &s.time_utc,
                day_of_week: s.day_of_week,
            },
        }
    }
}

impl<'a> From<&'a EvaluationSchedule> for Recurrence<'a> {
    fn from(s: &'a EvaluationSchedule) -> Self {
        match s.kind {
            EvaluationKind::Manual | EvaluationKind::AfterSync => Recurrence::Never,
            EvaluationKind::Daily => Recurrence::Daily { time_utc: &s.time_utc },
            EvaluationKind::Weekly => Recurrence::Weekly {
                time_utc: &s.time_utc,
                day_of_week: s.day_of_week,
            },
            EvaluationKind::MonthlyAfterPatchTuesday => Recurrence::AfterPatchTuesday {
                time_utc: &s.time_utc,
                days: s.days_after_patch_tuesday,
            },
        }
    }
}

impl Recurrence<'_> {
    /// The first due time strictly after `after` (given in any offset; the answer is in
    /// UTC). None when it never falls due by itself, or names a time, weekday or day
    /// offset that does not exist. Every N hours is clamped to 1..=168.
    pub fn next_after(self, after: OffsetDateTime) -> Option<OffsetDateTime> {
        let after = after.to_offset(UtcOffset::UTC);
        match self {
            Recurrence::Never => None,
            Recurrence::EveryHours(hours) => after.checked_add(Duration::hours(hours.clamp(1, 168))),
            Recurrence::Daily { time_utc } => next_at(after, time_utc, None),
            Recurrence::Weekly { time_utc, day_of_week } => next_at(after, time_utc, Some(day_of_week)),
            Recurrence::AfterPatchTuesday { time_utc, days } => {
                if !(0..=MAX_DAYS_AFTER_PATCH_TUESDAY).contains(&days) {
                    return None;
                }
                let at = time_of_day(time_utc)?;
                // The previous month's occurrence can fall in this month (PT + 27 reaches
                // into the next month), so the search starts one month back.
                let (mut year, mut month) = previous_month(after.year(), after.month());
                for _ in 0..4 {
                    let due = (patch_tuesday(year, month)? + Duration::days(days))
                        .with_time(at)
                        .assume_utc();
                    if due > after {
                        return Some(due);
                    }
                    (year, month) = (if month == Month::December { year + 1 } else { year }, month.next());
                }
                None
            }
        }
    }
}

/// The first `time_utc` strictly after `after`, on any day or only on `weekday`.
fn next_at(after: OffsetDateTime, time_utc: &str, weekday: Option<i64>) -> Option<OffsetDateTime> {
    let at = time_of_day(time_utc)?;
    let today = after.weekday().number_days_from_sunday() as i64;
    let (ahead, period) = match weekday {
        None => (0, 1),
        Some(day) => (
            (weekday_from_sunday(day)?.number_days_from_sunday() as i64 - today).rem_euclid(7),
            7,
        ),
    };
    let first = after
        .date()
        .checked_add(Duration::days(ahead))?
        .with_time(at)
        .assume_utc();
    if first > after {
        Some(first)
    } else {
        first.checked_add(Duration::days(period))
    }
}

/// "HH:MM" (two digits each, 00:00 to 23:59) as hours and minutes.
pub fn parse_hhmm(t: &str) -> Option<(u8, u8)> {
    let (h, m) = t.split_once(':')?;
    if h.len() != 2 || m.len() != 2 || !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m): (u8, u8) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some((h, m))
}

fn time_of_day(t: &str) -> Option<Time> {
    let (h, m) = parse_hhmm(t)?;
    Time::from_hms(h, m, 0).ok()
}

/// 0 = Sunday to 6 = Saturday, as the consoles number them.
pub fn weekday_from_sunday(n: i64) -> Option<Weekday> {
    use Weekday::*;
    [Sunday, Monday, Tuesday, Wednesday, Thursday, Friday, Saturday]
        .get(usize::try_from(n).ok()?)
        .copied()
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

    fn daily(time_utc: &str) -> Recurrence<'_> {
        Recurrence::Daily { time_utc }
    }

    fn weekly(time_utc: &str, day_of_week: i64) -> Recurrence<'_> {
        Recurrence::Weekly { time_utc, day_of_week }
    }

    fn monthly(days: i64, time_utc: &str) -> Recurrence<'_> {
        Recurrence::AfterPatchTuesday { time_utc, days }
    }

    /// Each case: the recurrence, asked after this instant, is next due at that one.
    fn due(cases: &[(Recurrence<'_>, OffsetDateTime, Option<OffsetDateTime>)]) {
        for (i, (r, after, expected)) in cases.iter().enumerate() {
            assert_eq!(r.next_after(*after), *expected, "case {i}: {r:?} after {after}");
        }
    }

    #[test]
    fn sync_and_rule_schedules_map_onto_one_recurrence() {
        let sync = |kind, every_hours, day_of_week, time_utc: &str| SyncSchedule {
            kind,
            every_hours,
            day_of_week,
            time_utc: time_utc.into(),
        };
        let rule = |kind, time_utc: &str, day_of_week, days_after_patch_tuesday| EvaluationSchedule {
            kind,
            time_utc: time_utc.into(),
            day_of_week,
            days_after_patch_tuesday,
        };
        let s = sync(ScheduleKind::Weekly, 0, 6, "02:00");
        assert_eq!(Recurrence::from(&s), weekly("02:00", 6));
        let s = sync(ScheduleKind::EveryHours, 6, 0, "");
        assert_eq!(Recurrence::from(&s), Recurrence::EveryHours(6));
        let s = sync(ScheduleKind::Manual, 0, 0, "02:00");
        assert_eq!(Recurrence::from(&s), Recurrence::Never);
        let r = rule(EvaluationKind::Daily, "02:00", 3, 5);
        assert_eq!(
            Recurrence::from(&r),
            daily("02:00"),
            "a daily rule at 02:00 is a daily sync at 02:00"
        );
        let r = rule(EvaluationKind::MonthlyAfterPatchTuesday, "07:00", 0, 3);
        assert_eq!(Recurrence::from(&r), monthly(3, "07:00"));
        for kind in [EvaluationKind::Manual, EvaluationKind::AfterSync] {
            let r = rule(kind, "02:00", 0, 0);
            assert_eq!(Recurrence::from(&r), Recurrence::Never);
            assert_eq!(Recurrence::from(&r).next_after(datetime!(2026-11-29 08:00 UTC)), None);
        }
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
        due(&[
            (
                monthly(3, "02:00"),
                datetime!(2026-11-01 00:00 UTC),
                Some(datetime!(2026-11-13 02:00 UTC)),
            ),
            // Exactly at the due time: the next one is next month's.
            (
                monthly(3, "02:00"),
                datetime!(2026-11-13 02:00 UTC),
                Some(datetime!(2026-12-11 02:00 UTC)),
            ),
            // One minute before it: still this month's.
            (
                monthly(3, "02:00"),
                datetime!(2026-11-13 01:59 UTC),
                Some(datetime!(2026-11-13 02:00 UTC)),
            ),
            // Day 0 is Patch Tuesday itself.
            (
                monthly(0, "18:30"),
                datetime!(2026-09-01 00:00 UTC),
                Some(datetime!(2026-09-08 18:30 UTC)),
            ),
            // December's Patch Tuesday (Dec 8) + 27 days is January 4 ...
            (
                monthly(27, "00:00"),
                datetime!(2026-12-20 00:00 UTC),
                Some(datetime!(2027-01-04 00:00 UTC)),
            ),
            // ... still ahead when asked in early January ...
            (
                monthly(27, "00:00"),
                datetime!(2027-01-02 12:00 UTC),
                Some(datetime!(2027-01-04 00:00 UTC)),
            ),
            // ... then January's: Jan 12 + 27 = Feb 8.
            (
                monthly(27, "00:00"),
                datetime!(2027-01-04 00:00 UTC),
                Some(datetime!(2027-02-08 00:00 UTC)),
            ),
            // Feb 2028: Patch Tuesday Feb 8, + 21 days = Feb 29 (a leap day).
            (
                monthly(21, "06:00"),
                datetime!(2028-02-09 00:00 UTC),
                Some(datetime!(2028-02-29 06:00 UTC)),
            ),
            // Feb 2027 (not leap): Patch Tuesday Feb 9, + 20 days = Mar 1.
            (
                monthly(20, "06:00"),
                datetime!(2027-02-10 00:00 UTC),
                Some(datetime!(2027-03-01 06:00 UTC)),
            ),
            // Out of range: never due rather than out of order.
            (monthly(28, "07:00"), datetime!(2026-11-01 00:00 UTC), None),
        ]);
    }

    #[test]
    fn daily_weekly_and_every_hours_across_month_and_year_ends() {
        due(&[
            // Monday 2026-11-23 10:00 UTC → Saturday 2026-11-28 02:00 UTC.
            (
                weekly("02:00", 6),
                datetime!(2026-11-23 10:00 UTC),
                Some(datetime!(2026-11-28 02:00 UTC)),
            ),
            // Exactly at the due time: the next one is a week later.
            (
                weekly("02:00", 6),
                datetime!(2026-11-28 02:00 UTC),
                Some(datetime!(2026-12-05 02:00 UTC)),
            ),
            // Saturday before 02:00: the same day.
            (
                weekly("02:00", 6),
                datetime!(2026-11-28 01:59 UTC),
                Some(datetime!(2026-11-28 02:00 UTC)),
            ),
            // Across a month and a year end (2026-12-31 is a Thursday).
            (
                weekly("02:00", 6),
                datetime!(2026-12-27 00:00 UTC),
                Some(datetime!(2027-01-02 02:00 UTC)),
            ),
            (
                weekly("03:00", 6),
                datetime!(2026-12-31 12:00 UTC),
                Some(datetime!(2027-01-02 03:00 UTC)),
            ),
            (
                weekly("03:00", 6),
                datetime!(2027-01-02 03:00 UTC),
                Some(datetime!(2027-01-09 03:00 UTC)),
            ),
            // Sunday is 0; 7 does not exist.
            (
                weekly("00:00", 0),
                datetime!(2026-12-31 12:00 UTC),
                Some(datetime!(2027-01-03 00:00 UTC)),
            ),
            (weekly("00:00", 7), datetime!(2026-12-31 12:00 UTC), None),
            // Daily: today or tomorrow, across month ends and a leap day.
            (
                daily("23:59"),
                datetime!(2026-12-31 23:00 UTC),
                Some(datetime!(2026-12-31 23:59 UTC)),
            ),
            (
                daily("23:59"),
                datetime!(2026-12-31 23:59 UTC),
                Some(datetime!(2027-01-01 23:59 UTC)),
            ),
            (
                daily("23:30"),
                datetime!(2026-02-28 23:45 UTC),
                Some(datetime!(2026-03-01 23:30 UTC)),
            ),
            (
                daily("23:30"),
                datetime!(2028-02-28 23:45 UTC),
                Some(datetime!(2028-02-29 23:30 UTC)),
            ),
            (daily("24:00"), datetime!(2026-02-28 23:45 UTC), None),
            (
                Recurrence::EveryHours(6),
                datetime!(2026-03-29 00:30 UTC),
                Some(datetime!(2026-03-29 06:30 UTC)),
            ),
            (Recurrence::Never, datetime!(2026-01-01 00:00 UTC), None),
        ]);
    }

    #[test]
    fn local_offsets_and_dst_nights_do_not_move_the_utc_result() {
        let utc = monthly(3, "02:00").next_after(datetime!(2026-03-29 00:30 UTC));
        // Paris, the night clocks go from +01:00 to +02:00 (2026-03-29 01:00 UTC): the same
        // instant written in either offset gives the same UTC due time.
        assert_eq!(monthly(3, "02:00").next_after(datetime!(2026-03-29 01:30 +01:00)), utc);
        assert_eq!(
            monthly(3, "02:00").next_after(datetime!(2026-03-29 03:30 +02:00)),
            monthly(3, "02:00").next_after(datetime!(2026-03-29 01:30 UTC))
        );
        assert_eq!(utc, Some(datetime!(2026-04-17 02:00 UTC)));
        due(&[
            (
                daily("02:00"),
                datetime!(2026-03-29 01:30 +01:00),
                Some(datetime!(2026-03-29 02:00 UTC)),
            ),
            (
                daily("02:00"),
                datetime!(2026-03-29 04:30 +02:00),
                Some(datetime!(2026-03-30 02:00 UTC)),
            ),
            // US Eastern, 2026-03-08: -05:00 becomes -04:00 at 07:00 UTC.
            (
                daily("06:30"),
                datetime!(2026-03-08 01:00 -05:00),
                Some(datetime!(2026-03-08 06:30 UTC)),
            ),
            (
                daily("06:30"),
                datetime!(2026-03-08 03:00 -04:00),
                Some(datetime!(2026-03-09 06:30 UTC)),
            ),
        ]);
        let after = daily("06:30").next_after(datetime!(2026-03-08 03:00 -04:00));
        assert_eq!(after.map(|t| t.offset()), Some(UtcOffset::UTC));
    }

    #[test]
    fn times_of_day_are_two_digit_utc() {
        assert_eq!(parse_hhmm("00:00"), Some((0, 0)));
        assert_eq!(parse_hhmm("23:59"), Some((23, 59)));
        for bad in ["24:00", "7:00", "07:60", "0700", "", "ab:cd", "+1:00", "07:+5"] {
            assert_eq!(parse_hhmm(bad), None, "{bad}");
        }
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
