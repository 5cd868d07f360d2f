import { describe, expect, it } from "vitest";
import {
  deadlineLabel,
  initialState,
  localInputToUtc,
  pageProblems,
  presetDeadline,
  setChoice,
  sourceLabel,
  toApproveArgs,
  toggleGroup,
} from "./model";

const now = new Date("2026-01-31T10:00:00Z");
const names: Record<number, string> = { 1: "All Computers", 2: "Desktops", 3: "Servers" };
const name = (id: number) => names[id] ?? String(id);

describe("deadline presets", () => {
  it("fall in UTC a week, two weeks or a calendar month later", () => {
    expect(presetDeadline("None", now)).toBeNull();
    expect(presetDeadline("Custom", now)).toBeNull();
    expect(presetDeadline("AsSoonAsPossible", now)?.toISOString()).toBe("2026-01-31T10:00:00.000Z");
    expect(presetDeadline("OneWeek", now)?.toISOString()).toBe("2026-02-07T10:00:00.000Z");
    expect(presetDeadline("TwoWeeks", now)?.toISOString()).toBe("2026-02-14T10:00:00.000Z");
    // 31 January + one month: the last day of February, not 3 March.
    expect(presetDeadline("OneMonth", now)?.toISOString()).toBe("2026-02-28T10:00:00.000Z");
    expect(presetDeadline("OneMonth", new Date("2026-12-15T23:30:00Z"))?.toISOString()).toBe("2027-01-15T23:30:00.000Z");
  });

  it("labels name the date a preset falls on", () => {
    const fmt = (d: Date) => d.toISOString().slice(0, 10);
    expect(deadlineLabel("OneWeek", now, fmt)).toBe("One week (by 2026-02-07)");
    expect(deadlineLabel("None", now, fmt)).toBe("None");
    expect(deadlineLabel("AsSoonAsPossible", now, fmt)).toBe("As soon as possible");
    expect(deadlineLabel("Custom", now, fmt)).toBe("Custom");
  });
});

describe("custom deadline input", () => {
  it("reads a datetime-local value as local time and sends UTC", () => {
    expect(localInputToUtc("2026-12-01T09:30")).toBe(new Date(2026, 11, 1, 9, 30).toISOString().replace(".000Z", "Z"));
    expect(localInputToUtc("")).toBeNull();
    expect(localInputToUtc("tomorrow")).toBeNull();
    expect(localInputToUtc("2026-13-45T99:99")).toBeNull();
  });
});

describe("wizard state and validation", () => {
  it("needs a group before Deployment Action", () => {
    expect(pageProblems(initialState, "groups", now, name)).toEqual(["Select at least one group."]);
    const s = toggleGroup(initialState, 2, true);
    expect(pageProblems(s, "groups", now, name)).toEqual([]);
    expect(toggleGroup(s, 2, false).groupIds).toEqual([]);
  });

  it("a Custom deadline must be a future date and time, per group", () => {
    let s = toggleGroup(toggleGroup(initialState, 2, true), 3, true);
    s = setChoice(s, 3, { deadline: "Custom" });
    expect(pageProblems(s, "actions", now, name)).toEqual(["Servers: enter the custom deadline's date and time."]);
    s = setChoice(s, 3, { customLocal: "2020-01-01T00:00" });
    expect(pageProblems(s, "actions", now, name)).toEqual(["Servers: the custom deadline must be in the future."]);
    s = setChoice(s, 3, { customLocal: "2030-06-01T08:00" });
    expect(pageProblems(s, "actions", now, name)).toEqual([]);
    expect(pageProblems(s, "groups", now, name)).toEqual([]);
  });

  it("Do not install and Available carry no deadline", () => {
    let s = toggleGroup(initialState, 2, true);
    s = setChoice(s, 2, { deadline: "OneWeek" });
    s = setChoice(s, 2, { action: "DoNotInstall" });
    expect(s.choices[2].deadline).toBe("None");
  });

  it("Finish sends one approval per selected group, in UTC, for every update", () => {
    let s = toggleGroup(toggleGroup(toggleGroup(initialState, 2, true), 3, true), 1, true);
    s = setChoice(s, 2, { action: "Required", deadline: "TwoWeeks" });
    s = setChoice(s, 3, { action: "Uninstall", deadline: "Custom", customLocal: "2030-06-01T08:00" });
    s = setChoice(s, 1, { action: "Available" });
    s = toggleGroup(s, 1, false);
    expect(toApproveArgs(["a", "b"], s)).toEqual({
      updateIds: ["a", "b"],
      approvals: [
        { groupId: 2, action: "Required", deadline: "TwoWeeks", customDeadlineUtc: null },
        { groupId: 3, action: "Uninstall", deadline: "Custom", customDeadlineUtc: localInputToUtc("2030-06-01T08:00") },
      ],
    });
  });
});

describe("source of an effective approval", () => {
  it("says Explicit or where it is inherited from", () => {
    expect(sourceLabel({ explicit: true, sourceGroupPath: "All Computers / Desktops" })).toBe("Explicit");
    expect(sourceLabel({ explicit: false, sourceGroupPath: "All Computers" })).toBe("Inherited from All Computers");
  });
});
