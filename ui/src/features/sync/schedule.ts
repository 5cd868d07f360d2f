// Synchronization schedules as people read them (SYNC-3). The backend keeps times in UTC;
// the console shows them in UTC and, next to them, the equivalent in the viewer's time zone.
import type { SyncSchedule } from "../../api";
import { strings } from "./strings";

const s = strings.schedule;
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** "HH:MM" (00:00..23:59) as hours and minutes, or null. */
export function parseTime(text: string): { h: number; m: number } | null {
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  if (!match) return null;
  const h = Number(match[1]);
  const m = Number(match[2]);
  return h < 24 && m < 60 ? { h, m } : null;
}

/** One line for a grid cell: "Every Saturday at 02:00 UTC", "Every 6 hours", "Manual only…". */
export function describeSchedule(schedule: SyncSchedule): string {
  switch (schedule.kind) {
    case "Manual":
      return s.manual;
    case "EveryHours":
      return s.everyHours(schedule.everyHours);
    case "Daily":
      return s.daily(schedule.timeUtc);
    case "Weekly":
      return s.weekly(strings.days[schedule.dayOfWeek] ?? String(schedule.dayOfWeek), schedule.timeUtc);
  }
}

/**
 * The next instant (at or after `now`) a Daily or Weekly schedule falls on, or null for the
 * other kinds and for an unreadable time. Used to pick the right UTC offset: the local
 * equivalent of "02:00 UTC" differs in summer and winter.
 */
export function nextOccurrenceUtc(schedule: SyncSchedule, now: Date): Date | null {
  if (schedule.kind !== "Daily" && schedule.kind !== "Weekly") return null;
  const t = parseTime(schedule.timeUtc);
  if (!t) return null;
  const candidate = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), t.h, t.m));
  for (let i = 0; i < 8; i++) {
    const weekdayOk = schedule.kind === "Daily" || candidate.getUTCDay() === schedule.dayOfWeek;
    if (weekdayOk && candidate.getTime() >= now.getTime()) return candidate;
    candidate.setUTCDate(candidate.getUTCDate() + 1);
  }
  return null;
}

/** Weekday (0 = Sunday) and "HH:MM" of `instant` in `timeZone` (default: the viewer's). */
export function zonedClock(instant: Date, timeZone?: string): { weekday: number; time: string } {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return { weekday: WEEKDAYS.indexOf(part("weekday")), time: `${part("hour")}:${part("minute")}` };
}

/**
 * The local equivalent of a Daily or Weekly schedule's UTC time, e.g. "03:00 local time" or
 * "Sunday 01:00 local time" when the time zone moves it to another day; null when the
 * schedule has no time of day.
 */
export function localEquivalent(schedule: SyncSchedule, now: Date, timeZone?: string): string | null {
  const next = nextOccurrenceUtc(schedule, now);
  if (!next) return null;
  const local = zonedClock(next, timeZone);
  if (schedule.kind === "Daily") return s.localDaily(local.time);
  return s.localWeekly(strings.days[local.weekday] ?? "", local.time);
}

/** The viewer's IANA time zone name, for the note under the schedule. */
export function viewerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
