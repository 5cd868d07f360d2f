// The Software Update Point Properties form: round trip, dirty state, client-side checks.
import { describe, expect, it } from "vitest";
import type { SyncSettings } from "../../api";
import { siteDefaultSyncSettings } from "../../test/site";
import { formFromSettings, isDirty, settingsFromForm, toggled, toggledAll, validateForm } from "./settingsForm";

const DEFENDER = "869c4406-4dc2-468f-83b9-2f8d0663cab4";
const SECURITY = "0fa1201d-4330-4fa8-8ae9-b877473b6441";

const stored = siteDefaultSyncSettings;

describe("form from and to settings", () => {
  it("round-trips stored settings unchanged, so an untouched form is not dirty", () => {
    for (const s of [
      stored(),
      stored({ schedule: { kind: "Manual", everyHours: 7, dayOfWeek: 2, timeUtc: "13:45" } }),
      stored({ source: "UpstreamServer", upstreamUrl: "https://up:8531", productIds: [DEFENDER], classificationIds: [SECURITY] }),
      stored({ schedule: { kind: "EveryHours", everyHours: 6, dayOfWeek: 0, timeUtc: "00:00" } }),
      stored({ proxyUrl: "http://proxy.example.org:3128", caCertificateFile: "/etc/patchdeck/upstream-ca.pem" }),
    ]) {
      const form = formFromSettings(s);
      expect(settingsFromForm(form, s)).toEqual(s);
      expect(isDirty(form, s)).toBe(false);
    }
  });

  it("a Manual schedule shows as not enabled and keeps its other fields for re-enabling", () => {
    const form = formFromSettings(stored({ schedule: { kind: "Manual", everyHours: 7, dayOfWeek: 2, timeUtc: "13:45" } }));
    expect(form.scheduleEnabled).toBe(false);
    expect(form.recurrence).toBe("Weekly");
    const enabled = settingsFromForm({ ...form, scheduleEnabled: true }, stored());
    expect(enabled.schedule).toEqual({ kind: "Weekly", everyHours: 7, dayOfWeek: 2, timeUtc: "13:45" });
  });

  it("ids are compared without regard to case or order", () => {
    const s = stored({ productIds: [DEFENDER.toUpperCase(), "38d43a9c-ad04-4187-b9e7-0a1839eb0b01"] });
    const form = formFromSettings(s);
    expect(form.productIds).toEqual([DEFENDER, "38d43a9c-ad04-4187-b9e7-0a1839eb0b01"]);
    expect(isDirty({ ...form, productIds: [...form.productIds].reverse() }, s)).toBe(false);
  });
});

describe("settings the form does not edit", () => {
  // A field the site has and this dialog does not show (yet) goes back unchanged, and an
  // untouched form is still clean.
  const withMore = { ...stored(), cleanupSupersededDays: 90 } as SyncSettings;

  it("are sent back as stored", () => {
    const form = formFromSettings(withMore);
    expect(settingsFromForm({ ...form, languages: ["fr"] }, withMore)).toMatchObject({ cleanupSupersededDays: 90, languages: ["fr"] });
    expect(isDirty(form, withMore)).toBe(false);
    expect(isDirty({ ...form, languages: ["fr"] }, withMore)).toBe(true);
  });
});

describe("dirty state", () => {
  const s = stored();
  const form = formFromSettings(s);

  it("any real change makes the form dirty; undoing it makes it clean again", () => {
    expect(isDirty({ ...form, source: "UpstreamServer" }, s)).toBe(true);
    expect(isDirty({ ...form, allowPlainHttp: true }, s)).toBe(true);
    expect(isDirty({ ...form, productIds: [DEFENDER] }, s)).toBe(true);
    expect(isDirty({ ...form, classificationIds: [SECURITY] }, s)).toBe(true);
    expect(isDirty({ ...form, languages: ["en", "fr"] }, s)).toBe(true);
    expect(isDirty({ ...form, scheduleEnabled: false }, s)).toBe(true);
    expect(isDirty({ ...form, timeUtc: "03:00" }, s)).toBe(true);
    const changed = { ...form, productIds: toggled(form.productIds, DEFENDER, true) };
    expect(isDirty({ ...changed, productIds: toggled(changed.productIds, DEFENDER, false) }, s)).toBe(false);
  });

  it("typing the same number of hours differently is not a change", () => {
    const hourly = stored({ schedule: { kind: "EveryHours", everyHours: 24, dayOfWeek: 6, timeUtc: "02:00" } });
    expect(isDirty({ ...formFromSettings(hourly), everyHours: " 24 " }, hourly)).toBe(false);
    expect(isDirty({ ...formFromSettings(hourly), everyHours: "12" }, hourly)).toBe(true);
  });

  it("white space around the upstream address is not a change", () => {
    const up = stored({ source: "UpstreamServer", upstreamUrl: "https://up" });
    expect(isDirty({ ...formFromSettings(up), upstreamUrl: "  https://up " }, up)).toBe(false);
  });
});

describe("validation", () => {
  const form = formFromSettings(stored());

  it("a valid form has no errors", () => {
    expect(validateForm(form)).toEqual({});
  });

  it("an upstream source needs an address; Microsoft Update does not", () => {
    expect(validateForm({ ...form, source: "UpstreamServer", upstreamUrl: " " }).upstreamUrl).toMatch(/address/);
    expect(validateForm({ ...form, source: "ParentSite", upstreamUrl: "" }).upstreamUrl).toBeDefined();
    expect(validateForm({ ...form, source: "MicrosoftUpdate", upstreamUrl: "" }).upstreamUrl).toBeUndefined();
  });

  it("plain HTTP is left to the site to refuse (its message is the one shown)", () => {
    expect(validateForm({ ...form, source: "UpstreamServer", upstreamUrl: "http://up:8530" })).toEqual({});
  });

  it("at least one language is required", () => {
    expect(validateForm({ ...form, languages: [] }).languages).toBe("Choose at least one language.");
  });

  it("every N hours takes 1 to 168, and only when that recurrence is chosen", () => {
    const hourly = { ...form, recurrence: "EveryHours" as const };
    for (const bad of ["0", "169", "", "1.5", "abc", "-3"]) {
      expect(validateForm({ ...hourly, everyHours: bad }).everyHours).toBeDefined();
    }
    for (const good of ["1", "168", " 12 "]) expect(validateForm({ ...hourly, everyHours: good })).toEqual({});
    expect(validateForm({ ...form, everyHours: "0" })).toEqual({}); // weekly: hours unused
    expect(validateForm({ ...hourly, everyHours: "0", scheduleEnabled: false })).toEqual({});
  });

  it("daily and weekly need a time of day HH:MM", () => {
    for (const bad of ["24:00", "2:00", "", "12:60", "noon"]) {
      expect(validateForm({ ...form, timeUtc: bad }).timeUtc).toBeDefined();
      expect(validateForm({ ...form, recurrence: "Daily", timeUtc: bad }).timeUtc).toBeDefined();
    }
    expect(validateForm({ ...form, timeUtc: "23:59" })).toEqual({});
    expect(validateForm({ ...form, recurrence: "EveryHours", timeUtc: "" })).toEqual({});
  });
});

describe("toggling ids", () => {
  it("adds and removes, lower-cased, without duplicates", () => {
    expect(toggled([], DEFENDER.toUpperCase(), true)).toEqual([DEFENDER]);
    expect(toggled([DEFENDER], DEFENDER, true)).toEqual([DEFENDER]);
    expect(toggled([DEFENDER, SECURITY], DEFENDER, false)).toEqual([SECURITY]);
    expect(toggledAll([SECURITY], [DEFENDER, SECURITY], true).sort()).toEqual([DEFENDER, SECURITY].sort());
    expect(toggledAll([SECURITY, DEFENDER, "x"], [DEFENDER, SECURITY], false)).toEqual(["x"]);
  });
});
