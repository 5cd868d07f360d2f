// Schedules in words, and their UTC time shown in the viewer's time zone.
import { describe, expect, it } from "vitest";
import type { SyncSchedule } from "../../api";
import { describeSchedule, localEquivalent, nextOccurrenceUtc, parseTime, zonedClock } from "./schedule";

const weekly = (day: number, time: string): SyncSchedule => ({ kind: "Weekly", everyHours: 24, dayOfWeek: day, timeUtc: time });
const daily = (time: string): SyncSchedule => ({ kind: "Daily", everyHours: 24, dayOfWeek: 0, timeUtc: time });

describe("schedule text", () => {
  it("describes each kind", () => {
    expect(describeSchedule(weekly(6, "02:00"))).toBe("Every Saturday at 02:00 UTC");
    expect(describeSchedule(daily("23:30"))).toBe("Daily at 23:30 UTC");
    expect(describeSchedule({ kind: "EveryHours", everyHours: 1, dayOfWeek: 0, timeUtc: "" })).toBe("Every 1 hour");
    expect(describeSchedule({ kind: "EveryHours", everyHours: 8, dayOfWeek: 0, timeUtc: "" })).toBe("Every 8 hours");
    expect(describeSchedule({ kind: "Manual", everyHours: 8, dayOfWeek: 0, timeUtc: "" })).toMatch(/Manual/);
  });

  it("reads HH:MM strictly", () => {
    expect(parseTime("02:05")).toEqual({ h: 2, m: 5 });
    expect(parseTime("2:05")).toBeNull();
    expect(parseTime("24:00")).toBeNull();
    expect(parseTime("23:60")).toBeNull();
  });
});

describe("next occurrence", () => {
  // Monday 2026-11-23 10:00 UTC.
  const now = new Date("2026-11-23T10:00:00Z");

  it("weekly: the next matching weekday at that time, today included when still ahead", () => {
    expect(nextOccurrenceUtc(weekly(6, "02:00"), now)?.toISOString()).toBe("2026-11-28T02:00:00.000Z");
    expect(nextOccurrenceUtc(weekly(1, "12:00"), now)?.toISOString()).toBe("2026-11-23T12:00:00.000Z");
    expect(nextOccurrenceUtc(weekly(1, "09:00"), now)?.toISOString()).toBe("2026-11-30T09:00:00.000Z");
  });

  it("daily: today or tomorrow; other kinds have none", () => {
    expect(nextOccurrenceUtc(daily("11:00"), now)?.toISOString()).toBe("2026-11-23T11:00:00.000Z");
    expect(nextOccurrenceUtc(daily("09:59"), now)?.toISOString()).toBe("2026-11-24T09:59:00.000Z");
    expect(nextOccurrenceUtc({ kind: "EveryHours", everyHours: 3, dayOfWeek: 0, timeUtc: "" }, now)).toBeNull();
    expect(nextOccurrenceUtc(daily("bad"), now)).toBeNull();
  });
});

describe("local equivalent", () => {
  const winter = new Date("2026-11-23T10:00:00Z");
  const summer = new Date("2026-07-06T10:00:00Z");

  it("shows the time in the given zone, with the offset of the date it falls on", () => {
    expect(localEquivalent(daily("02:00"), winter, "Europe/Paris")).toBe("03:00 local time");
    expect(localEquivalent(daily("02:00"), summer, "Europe/Paris")).toBe("04:00 local time");
    expect(localEquivalent(daily("02:00"), winter, "UTC")).toBe("02:00 local time");
  });

  it("names the local weekday when the zone moves the time to another day", () => {
    expect(localEquivalent(weekly(6, "02:00"), winter, "Europe/Paris")).toBe("Saturday 03:00 local time");
    expect(localEquivalent(weekly(6, "02:00"), winter, "America/New_York")).toBe("Friday 21:00 local time");
    expect(localEquivalent(weekly(0, "23:30"), winter, "Asia/Tokyo")).toBe("Monday 08:30 local time");
    expect(localEquivalent(weekly(3, "12:00"), winter, "Asia/Kolkata")).toBe("Wednesday 17:30 local time");
  });

  it("has nothing to say for schedules without a time of day", () => {
    expect(localEquivalent({ kind: "Manual", everyHours: 24, dayOfWeek: 0, timeUtc: "02:00" }, winter, "UTC")).toBeNull();
    expect(localEquivalent({ kind: "EveryHours", everyHours: 24, dayOfWeek: 0, timeUtc: "02:00" }, winter, "UTC")).toBeNull();
  });

  it("reads the clock of a zone as 24-hour HH:MM", () => {
    expect(zonedClock(new Date("2026-11-23T00:05:00Z"), "UTC")).toEqual({ weekday: 1, time: "00:05" });
  });
});
