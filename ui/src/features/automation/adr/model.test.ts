// The wizard's rules without a browser: which page holds a field the site names, the spec
// the form stands for, and when a schedule evaluates next.
import { describe, expect, it } from "vitest";
import { buildSpec, criteriaLines, defaultForm, fieldKey, nextEvaluation, pageOfIssue, patchTuesday } from "./model";

const NOW = new Date("2026-11-29T05:42:17Z");
const issue = (field: string) => ({ field, message: "m" });

describe("automatic deployment rule model", () => {
  it("puts each field the site names on the page that holds it", () => {
    const pages = ["name", "deployments[0].targetGroupId", "criteria.releasedWithin", "evaluation.timeUtc", "deployments[0].deadlineAfter",
      "deployments[0].settings.verbosity", "deployments[0].settings.alertBelowPercent", "package.name", "downloadSource.path", "languages",
      "deployments[0].settings.slowNetwork", "deployments[1].targetGroupId", "deployments", "criteria.languages"].map((f) => pageOfIssue(issue(f)));
    expect(pages).toEqual(["general", "general", "softwareUpdates", "evaluation", "deploymentSchedule", "deploymentSettings", "alerts", "package",
      "download", "download", "download", "general", "general", "softwareUpdates"]);
    expect(["deployments[0].targetGroupId", "criteria.releasedWithin", "deployments[0].settings.verbosity", "package.packageId", "criteria.languages[2]"].map((f) => fieldKey(issue(f))))
      .toEqual(["targetGroupId", "releasedWithin", "verbosity", "package", "languages"]);
  });

  it("builds the spec: spans as numbers, lists split, unset criteria null", () => {
    const form = defaultForm(NOW);
    form.name = "  Defs  ";
    form.targetGroupId = 2;
    form.criteria = { ...form.criteria, releasedOn: true, released: { value: "2", unit: "Weeks" }, superseded: "any", languages: "en, fr", titleContains: " " };
    form.packageKind = "New";
    form.packageName = "Defs pkg";
    form.languages = "en";
    const spec = buildSpec(form, NOW);
    expect(spec.name).toBe("Defs");
    expect(spec.criteria).toMatchObject({ releasedWithin: { value: 2, unit: "Weeks" }, revisedWithin: null, superseded: null, languages: ["en", "fr"], titleContains: null, minRequired: null });
    expect(spec.package).toEqual({ kind: "New", name: "Defs pkg" });
    expect(spec.deployments[0]).toMatchObject({ targetGroupId: 2, availableAfter: null, deadlineAfter: { value: 7, unit: "Days" } });
    expect(spec.existingUpdateGroupId).toBeNull();
    expect(criteriaLines(spec.criteria, null)).toEqual(["Released within the last 2 weeks", "Languages: en, fr"]);
  });

  it("finds the next evaluation in UTC: daily, weekly and after Patch Tuesday", () => {
    expect(patchTuesday(2026, 10)).toBe(10); // November 2026: Tuesdays 3, 10
    expect(patchTuesday(2026, 11)).toBe(8); // December 2026: Tuesdays 1, 8
    const at = (kind: "Daily" | "Weekly" | "MonthlyAfterPatchTuesday", timeUtc: string, dayOfWeek = 0, daysAfterPatchTuesday = 0) =>
      nextEvaluation({ kind, timeUtc, dayOfWeek, daysAfterPatchTuesday }, NOW)?.toISOString();
    expect(at("Daily", "06:00")).toBe("2026-11-29T06:00:00.000Z");
    expect(at("Daily", "05:00")).toBe("2026-11-30T05:00:00.000Z");
    expect(at("Weekly", "05:00", 0)).toBe("2026-12-06T05:00:00.000Z"); // the 29th is a Sunday, 05:00 has passed
    expect(at("MonthlyAfterPatchTuesday", "02:00", 0, 27)).toBe("2026-12-07T02:00:00.000Z"); // Nov 10 + 27 = Dec 7
    expect(at("MonthlyAfterPatchTuesday", "02:00", 0, 1)).toBe("2026-12-09T02:00:00.000Z");
    expect(nextEvaluation({ kind: "AfterSync", timeUtc: "02:00", dayOfWeek: 0, daysAfterPatchTuesday: 0 }, NOW)).toBeNull();
  });
});
