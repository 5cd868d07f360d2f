//! When the next scheduled synchronization is due (SYNC-3), and the loop that starts it.
//!
//! Everything is computed in UTC: a schedule of "Saturday 02:00" means 02:00 UTC, and the
//! console shows the local equivalent. Daylight-saving changes therefore never skip or
//! repeat a run.

use std::time::Duration;

use time::{OffsetDateTime, Time};

use crate::api::{ScheduleKind, SyncSchedule};
use crate::{Actor, Site};

/// The first due time strictly after `after` (the last run's start, or the moment the
/// schedule was set), or None for a manual schedule.
pub fn next_after(s: &SyncSchedule, after: OffsetDateTime) -> Option<OffsetDateTime> {
    let after = after.to_offset(time::UtcOffset::UTC);
    match s.kind {
        ScheduleKind::Manual => None,
        ScheduleKind::EveryHours => Some(after + time::Duration::hours(s.every_hours.clamp(1, 168))),
        ScheduleKind::Daily => next_at(after, &s.time_utc, None),
        ScheduleKind::Weekly => next_at(after, &s.time_utc, Some(s.day_of_week)),
    }
}

/// The first `time_utc` ("HH:MM", UTC) strictly after `after`, on any day or only on the
/// `weekday` given (0 = Sunday to 6 = Saturday). Synchronization and rule-evaluation
/// schedules share it so "Daily 02:00" means the same instant in both. None for a time or
/// weekday that does not exist.
pub(crate) fn next_at(after: OffsetDateTime, time_utc: &str, weekday: Option<i64>) -> Option<OffsetDateTime> {
    let after = after.to_offset(time::UtcOffset::UTC);
    let (h, m) = super::settings::parse_hhmm(time_utc)?;
    let at = Time::from_hms(h, m, 0).ok()?;
    let today = after.weekday().number_days_from_sunday() as i64;
    let (ahead, period) = match weekday {
        None => (0, 1),
        Some(day) if (0..7).contains(&day) => ((day - today).rem_euclid(7), 7),
        Some(_) => return None,
    };
    let first = after
        .date()
        .checked_add(time::Duration::days(ahead))?
        .with_time(at)
        .assume_utc();
    if first > after {
        Some(first)
    } else {
        first.checked_add(time::Duration::days(period))
    }
}

/// When this site's next scheduled run is due, from its settings and its last run.
pub fn next_due(site: &Site) -> Option<OffsetDateTime> {
    let settings = super::settings::load(site).ok()?;
    let since = last_start(site).unwrap_or_else(OffsetDateTime::now_utc);
    next_after(&settings.schedule, since)
}

fn last_start(site: &Site) -> Option<OffsetDateTime> {
    let c = site.store().reader();
    let text: String = c
        .query_row("SELECT max(started_utc) FROM sync_runs", [], |r| r.get(0))
        .ok()?;
    OffsetDateTime::parse(&text, &time::format_description::well_known::Rfc3339).ok()
}

/// Starts scheduled synchronizations for as long as the process lives (`patchdeck serve`
/// and the desktop app run it). A first run with no history waits for the first due time.
pub fn spawn_scheduler(site: Site) {
    let started = OffsetDateTime::now_utc();
    let spawned = std::thread::Builder::new()
        .name("patchdeck-scheduler".into())
        .spawn(move || loop {
            std::thread::sleep(Duration::from_secs(30));
            crate::automation::tick(&site);
            let settings = match super::settings::load(&site) {
                Ok(s) => s,
                Err(_) => continue,
            };
            let since = last_start(&site).unwrap_or(started);
            if let Some(due) = next_after(&settings.schedule, since) {
                if OffsetDateTime::now_utc() >= due {
                    match super::start(&site, &Actor::new("scheduler"), crate::api::NoArgs {}) {
                        Ok(run) => tracing::info!(run_id = run.run_id, "scheduled synchronization started"),
                        Err(e) => tracing::info!(reason = %e.message, "scheduled synchronization not started"),
                    }
                }
            }
        });
    if let Err(e) = spawned {
        tracing::error!(error = %e, "cannot start the synchronization scheduler");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn sched(kind: ScheduleKind, every_hours: i64, day_of_week: i64, time_utc: &str) -> SyncSchedule {
        SyncSchedule {
            kind,
            every_hours,
            day_of_week,
            time_utc: time_utc.into(),
        }
    }

    #[test]
    fn weekly_saturday_0200_utc() {
        let s = sched(ScheduleKind::Weekly, 0, 6, "02:00");
        // Monday 2026-11-23 10:00 UTC → Saturday 2026-11-28 02:00 UTC.
        assert_eq!(
            next_after(&s, datetime!(2026-11-23 10:00 UTC)),
            Some(datetime!(2026-11-28 02:00 UTC))
        );
        // Exactly at the due time: the next one is a week later.
        assert_eq!(
            next_after(&s, datetime!(2026-11-28 02:00 UTC)),
            Some(datetime!(2026-12-05 02:00 UTC))
        );
        // Saturday before 02:00: the same day.
        assert_eq!(
            next_after(&s, datetime!(2026-11-28 01:59 UTC)),
            Some(datetime!(2026-11-28 02:00 UTC))
        );
        // Across a month and a year end.
        assert_eq!(
            next_after(&s, datetime!(2026-12-27 00:00 UTC)),
            Some(datetime!(2027-01-02 02:00 UTC))
        );
    }

    #[test]
    fn daily_and_every_hours() {
        let d = sched(ScheduleKind::Daily, 0, 0, "23:30");
        assert_eq!(
            next_after(&d, datetime!(2026-02-28 23:45 UTC)),
            Some(datetime!(2026-03-01 23:30 UTC))
        );
        assert_eq!(
            next_after(&d, datetime!(2028-02-28 23:45 UTC)),
            Some(datetime!(2028-02-29 23:30 UTC)),
            "leap day"
        );
        let h = sched(ScheduleKind::EveryHours, 6, 0, "");
        assert_eq!(
            next_after(&h, datetime!(2026-03-29 00:30 UTC)),
            Some(datetime!(2026-03-29 06:30 UTC))
        );
        assert_eq!(
            next_after(&sched(ScheduleKind::Manual, 0, 0, ""), datetime!(2026-01-01 00:00 UTC)),
            None
        );
    }

    #[test]
    fn local_offsets_and_dst_do_not_move_utc_schedules() {
        // The last run is known in a local offset (Paris, the night summer time starts);
        // the schedule stays in UTC.
        let s = sched(ScheduleKind::Daily, 0, 0, "02:00");
        let paris_before = datetime!(2026-03-29 01:30 +01:00);
        assert_eq!(next_after(&s, paris_before), Some(datetime!(2026-03-29 02:00 UTC)));
        let paris_after = datetime!(2026-03-29 04:30 +02:00);
        assert_eq!(next_after(&s, paris_after), Some(datetime!(2026-03-30 02:00 UTC)));
    }
}
