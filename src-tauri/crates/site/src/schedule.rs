//! The one schedule computation of the site: when a recurring time is next due (daily,
//! weekly, N days after Patch Tuesday, every N hours), and calendar spans (hours to
//! months). Synchronization schedules and rule evaluations both map onto [`Recurrence`],
//! so "Daily 02:00" means the same instant everywhere.
//!
//! Everything is UTC: "02:00" means 02:00 UTC whatever the console's time zone, so a
//! daylight-saving change never skips or repeats a run.
//!
//! **Architecture invariant:** pure computation over times; no database, no thread.

use chrono::{Datelike, Days, Months, NaiveDate, NaiveTime, TimeDelta, Weekday};

use crate::clock::UtcTime;

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
    /// The first due time strictly after `after`. None when it never falls due by itself,
    /// or names a time, weekday or day offset that does not exist. Every N hours is clamped
    /// to 1..=168.
    pub fn next_after(self, after: UtcTime) -> Option<UtcTime> {
        match self {
            Recurrence::Never => None,
            Recurrence::EveryHours(hours) => after.checked_add_signed(TimeDelta::hours(hours.clamp(1, 168))),
            Recurrence::Daily { time_utc } => next_at(after, time_utc, None),
            Recurrence::Weekly { time_utc, day_of_week } => next_at(after, time_utc, Some(day_of_week)),
            Recurrence::AfterPatchTuesday { time_utc, days } => {
                let offset = u64::try_from(days)
                    .ok()
                    .filter(|d| *d <= MAX_DAYS_AFTER_PATCH_TUESDAY as u64)?;
                let at = time_of_day(time_utc)?;
                // The previous month's occurrence can fall in this month (PT + 27 reaches
                // into the next month), so the search starts one month back.
                let mut month = after.date_naive().with_day(1)?.checked_sub_months(Months::new(1))?;
                for _ in 0..4 {
                    let due = patch_tuesday(month.year(), month.month())?
                        .checked_add_days(Days::new(offset))?
                        .and_time(at)
                        .and_utc();
                    if due > after {
                        return Some(due);
                    }
                    month = month.checked_add_months(Months::new(1))?;
                }
                None
            }
        }
    }
}

/// The first `time_utc` strictly after `after`, on any day or only on `weekday`.
fn next_at(after: UtcTime, time_utc: &str, weekday: Option<i64>) -> Option<UtcTime> {
    let at = time_of_day(time_utc)?;
    let today = i64::from(after.weekday().num_days_from_sunday());
    let (ahead, period) = match weekday {
        None => (0, 1),
        Some(day) => (
            (i64::from(weekday_from_sunday(day)?.num_days_from_sunday()) - today).rem_euclid(7),
            7,
        ),
    };
    let first = after
        .date_naive()
        .checked_add_days(Days::new(u64::try_from(ahead).ok()?))?
        .and_time(at)
        .and_utc();
    if first > after {
        Some(first)
    } else {
        first.checked_add_days(Days::new(period))
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

fn time_of_day(t: &str) -> Option<NaiveTime> {
    let (h, m) = parse_hhmm(t)?;
    NaiveTime::from_hms_opt(h.into(), m.into(), 0)
}

/// 0 = Sunday to 6 = Saturday, as the consoles number them.
pub fn weekday_from_sunday(n: i64) -> Option<Weekday> {
    use Weekday::*;
    [Sun, Mon, Tue, Wed, Thu, Fri, Sat]
        .get(usize::try_from(n).ok()?)
        .copied()
}

/// The second Tuesday of a month (Microsoft's monthly release day), `month` 1 to 12; None
/// for a month that does not exist or a year chrono cannot represent.
pub fn patch_tuesday(year: i32, month: u32) -> Option<NaiveDate> {
    NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Tue, 2)
}

/// The longest span a rule may name, per unit (10 years): a longer one is a typing
/// mistake, and the arithmetic stays far from chrono's limits.
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
pub fn add_span(t: UtcTime, span: TimeSpan) -> UtcTime {
    shift(t, span.unit, span.value)
}

/// `t` minus a span, with the same calendar-month rule (Mar 31 - 1 month = Feb 28 or 29).
pub fn sub_span(t: UtcTime, span: TimeSpan) -> UtcTime {
    shift(t, span.unit, span.value.saturating_neg())
}

fn shift(t: UtcTime, unit: SpanUnit, value: i64) -> UtcTime {
    // Far beyond any valid span; keeps the arithmetic in range.
    let value = value.clamp(-1_000_000, 1_000_000);
    let end = if value < 0 { UtcTime::MIN_UTC } else { UtcTime::MAX_UTC };
    let moved = match unit {
        SpanUnit::Hours => t.checked_add_signed(TimeDelta::hours(value)),
        SpanUnit::Days => t.checked_add_signed(TimeDelta::days(value)),
        SpanUnit::Weeks => t.checked_add_signed(TimeDelta::weeks(value)),
        // chrono clamps to the month's last day, the rule above.
        SpanUnit::Months => {
            let months = Months::new(u32::try_from(value.unsigned_abs()).unwrap_or(u32::MAX));
            if value < 0 {
                t.checked_sub_months(months)
            } else {
                t.checked_add_months(months)
            }
        }
    };
    moved.unwrap_or(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// "2026-03-29 01:30 +01:00" or "… UTC", seconds optional: an instant, as UTC.
    fn dt(text: &str) -> UtcTime {
        let text = text.replace(" UTC", " +00:00");
        let format = if text.matches(':').count() > 2 {
            "%Y-%m-%d %H:%M:%S %:z"
        } else {
            "%Y-%m-%d %H:%M %:z"
        };
        chrono::DateTime::parse_from_str(&text, format)
            .map(|t| t.to_utc())
            .unwrap_or_else(|e| panic!("{text}: {e}"))
    }

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
    fn due(cases: &[(Recurrence<'_>, UtcTime, Option<UtcTime>)]) {
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
            assert_eq!(Recurrence::from(&r).next_after(dt("2026-11-29 08:00 UTC")), None);
        }
    }

    #[test]
    fn patch_tuesday_is_the_second_tuesday() {
        assert_eq!(patch_tuesday(2026, 11), NaiveDate::from_ymd_opt(2026, 11, 10));
        assert_eq!(patch_tuesday(2026, 12), NaiveDate::from_ymd_opt(2026, 12, 8));
        assert_eq!(patch_tuesday(2027, 1), NaiveDate::from_ymd_opt(2027, 1, 12));
        // The 1st is a Tuesday: the second Tuesday is the 8th, not the 1st or 15th.
        assert_eq!(patch_tuesday(2026, 9), NaiveDate::from_ymd_opt(2026, 9, 8));
        // The 1st is a Wednesday: the latest possible Patch Tuesday, the 14th.
        assert_eq!(patch_tuesday(2026, 7), NaiveDate::from_ymd_opt(2026, 7, 14));
        // Leap February 2028 starts on a Tuesday.
        assert_eq!(patch_tuesday(2028, 2), NaiveDate::from_ymd_opt(2028, 2, 8));
    }

    #[test]
    fn days_after_patch_tuesday_at_a_utc_time() {
        due(&[
            (
                monthly(3, "02:00"),
                dt("2026-11-01 00:00 UTC"),
                Some(dt("2026-11-13 02:00 UTC")),
            ),
            // Exactly at the due time: the next one is next month's.
            (
                monthly(3, "02:00"),
                dt("2026-11-13 02:00 UTC"),
                Some(dt("2026-12-11 02:00 UTC")),
            ),
            // One minute before it: still this month's.
            (
                monthly(3, "02:00"),
                dt("2026-11-13 01:59 UTC"),
                Some(dt("2026-11-13 02:00 UTC")),
            ),
            // Day 0 is Patch Tuesday itself.
            (
                monthly(0, "18:30"),
                dt("2026-09-01 00:00 UTC"),
                Some(dt("2026-09-08 18:30 UTC")),
            ),
            // December's Patch Tuesday (Dec 8) + 27 days is January 4 ...
            (
                monthly(27, "00:00"),
                dt("2026-12-20 00:00 UTC"),
                Some(dt("2027-01-04 00:00 UTC")),
            ),
            // ... still ahead when asked in early January ...
            (
                monthly(27, "00:00"),
                dt("2027-01-02 12:00 UTC"),
                Some(dt("2027-01-04 00:00 UTC")),
            ),
            // ... then January's: Jan 12 + 27 = Feb 8.
            (
                monthly(27, "00:00"),
                dt("2027-01-04 00:00 UTC"),
                Some(dt("2027-02-08 00:00 UTC")),
            ),
            // Feb 2028: Patch Tuesday Feb 8, + 21 days = Feb 29 (a leap day).
            (
                monthly(21, "06:00"),
                dt("2028-02-09 00:00 UTC"),
                Some(dt("2028-02-29 06:00 UTC")),
            ),
            // Feb 2027 (not leap): Patch Tuesday Feb 9, + 20 days = Mar 1.
            (
                monthly(20, "06:00"),
                dt("2027-02-10 00:00 UTC"),
                Some(dt("2027-03-01 06:00 UTC")),
            ),
            // Out of range: never due rather than out of order.
            (monthly(28, "07:00"), dt("2026-11-01 00:00 UTC"), None),
        ]);
    }

    #[test]
    fn daily_weekly_and_every_hours_across_month_and_year_ends() {
        due(&[
            // Monday 2026-11-23 10:00 UTC → Saturday 2026-11-28 02:00 UTC.
            (
                weekly("02:00", 6),
                dt("2026-11-23 10:00 UTC"),
                Some(dt("2026-11-28 02:00 UTC")),
            ),
            // Exactly at the due time: the next one is a week later.
            (
                weekly("02:00", 6),
                dt("2026-11-28 02:00 UTC"),
                Some(dt("2026-12-05 02:00 UTC")),
            ),
            // Saturday before 02:00: the same day.
            (
                weekly("02:00", 6),
                dt("2026-11-28 01:59 UTC"),
                Some(dt("2026-11-28 02:00 UTC")),
            ),
            // Across a month and a year end (2026-12-31 is a Thursday).
            (
                weekly("02:00", 6),
                dt("2026-12-27 00:00 UTC"),
                Some(dt("2027-01-02 02:00 UTC")),
            ),
            (
                weekly("03:00", 6),
                dt("2026-12-31 12:00 UTC"),
                Some(dt("2027-01-02 03:00 UTC")),
            ),
            (
                weekly("03:00", 6),
                dt("2027-01-02 03:00 UTC"),
                Some(dt("2027-01-09 03:00 UTC")),
            ),
            // Sunday is 0; 7 does not exist.
            (
                weekly("00:00", 0),
                dt("2026-12-31 12:00 UTC"),
                Some(dt("2027-01-03 00:00 UTC")),
            ),
            (weekly("00:00", 7), dt("2026-12-31 12:00 UTC"), None),
            // Daily: today or tomorrow, across month ends and a leap day.
            (
                daily("23:59"),
                dt("2026-12-31 23:00 UTC"),
                Some(dt("2026-12-31 23:59 UTC")),
            ),
            (
                daily("23:59"),
                dt("2026-12-31 23:59 UTC"),
                Some(dt("2027-01-01 23:59 UTC")),
            ),
            (
                daily("23:30"),
                dt("2026-02-28 23:45 UTC"),
                Some(dt("2026-03-01 23:30 UTC")),
            ),
            (
                daily("23:30"),
                dt("2028-02-28 23:45 UTC"),
                Some(dt("2028-02-29 23:30 UTC")),
            ),
            (daily("24:00"), dt("2026-02-28 23:45 UTC"), None),
            (
                Recurrence::EveryHours(6),
                dt("2026-03-29 00:30 UTC"),
                Some(dt("2026-03-29 06:30 UTC")),
            ),
            (Recurrence::Never, dt("2026-01-01 00:00 UTC"), None),
        ]);
    }

    #[test]
    fn local_offsets_and_dst_nights_do_not_move_the_utc_result() {
        let utc = monthly(3, "02:00").next_after(dt("2026-03-29 00:30 UTC"));
        // Paris, the night clocks go from +01:00 to +02:00 (2026-03-29 01:00 UTC): the same
        // instant written in either offset gives the same UTC due time.
        assert_eq!(monthly(3, "02:00").next_after(dt("2026-03-29 01:30 +01:00")), utc);
        assert_eq!(
            monthly(3, "02:00").next_after(dt("2026-03-29 03:30 +02:00")),
            monthly(3, "02:00").next_after(dt("2026-03-29 01:30 UTC"))
        );
        assert_eq!(utc, Some(dt("2026-04-17 02:00 UTC")));
        due(&[
            (
                daily("02:00"),
                dt("2026-03-29 01:30 +01:00"),
                Some(dt("2026-03-29 02:00 UTC")),
            ),
            (
                daily("02:00"),
                dt("2026-03-29 04:30 +02:00"),
                Some(dt("2026-03-30 02:00 UTC")),
            ),
            // US Eastern, 2026-03-08: -05:00 becomes -04:00 at 07:00 UTC.
            (
                daily("06:30"),
                dt("2026-03-08 01:00 -05:00"),
                Some(dt("2026-03-08 06:30 UTC")),
            ),
            (
                daily("06:30"),
                dt("2026-03-08 03:00 -04:00"),
                Some(dt("2026-03-09 06:30 UTC")),
            ),
        ]);
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
            add_span(dt("2027-01-31 10:00 UTC"), span(1, SpanUnit::Months)),
            dt("2027-02-28 10:00 UTC")
        );
        assert_eq!(
            add_span(dt("2028-01-31 10:00 UTC"), span(1, SpanUnit::Months)),
            dt("2028-02-29 10:00 UTC")
        );
        assert_eq!(
            add_span(dt("2026-11-30 00:00 UTC"), span(14, SpanUnit::Months)),
            dt("2028-01-30 00:00 UTC")
        );
        assert_eq!(
            sub_span(dt("2026-03-31 00:00 UTC"), span(1, SpanUnit::Months)),
            dt("2026-02-28 00:00 UTC")
        );
        assert_eq!(
            sub_span(dt("2027-01-15 00:00 UTC"), span(13, SpanUnit::Months)),
            dt("2025-12-15 00:00 UTC")
        );
        assert_eq!(
            sub_span(dt("2026-11-29 08:00 UTC"), span(2, SpanUnit::Weeks)),
            dt("2026-11-15 08:00 UTC")
        );
        assert_eq!(
            add_span(dt("2026-03-28 12:00 UTC"), span(36, SpanUnit::Hours)),
            dt("2026-03-30 00:00 UTC")
        );
        // Absurd values saturate rather than panic.
        let _ = add_span(dt("2026-01-01 00:00 UTC"), span(i64::MAX, SpanUnit::Months));
        let _ = sub_span(dt("2026-01-01 00:00 UTC"), span(i64::MAX, SpanUnit::Days));
    }
}
