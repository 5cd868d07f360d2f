import { describe, expect, it } from "vitest";
import { chooseIssues, emptyScheduleForm, scheduleArgs, scheduleIssues, selectAll, toggle } from "./scheduleModel";
import type { ApplicableUpdate } from "./types";

const u = (id: string, downloaded = true): ApplicableUpdate => ({
  updateId: id, title: `Update ${id}`, kb: `KB${id}`, classification: "Updates", architecture: "x64", creationDate: "", size: 1, downloaded,
});

describe("Schedule Updates form", () => {
  it("keeps choices made under another filter when all listed are selected or cleared", () => {
    const one = toggle(emptyScheduleForm, "1", true);
    const all = selectAll(one, [u("2"), u("3")], true);
    expect(all.selected).toEqual(["1", "2", "3"]);
    expect(selectAll(all, [u("2"), u("3")], false).selected).toEqual(["1"]);
  });

  it("names the chosen updates whose content is not downloaded, and DISM's absence first", () => {
    const form = toggle(toggle(emptyScheduleForm, "1", true), "2", true);
    expect(chooseIssues(form, [u("1"), u("2", false)], null)).toEqual([
      { field: "updates", message: "The content of these updates is not in the content library: Update 2 (KB2). Download them first, then go on." },
    ]);
    expect(chooseIssues(form, [u("1"), u("2", false)], "DISM was not found")).toEqual([{ field: "", message: "DISM was not found" }]);
    expect(chooseIssues(emptyScheduleForm, [], null)[0]?.field).toBe("updates");
  });

  it("sends a chosen time in UTC, none for as soon as possible", () => {
    const form = { ...toggle(emptyScheduleForm, "1", true), when: "at" as const, atLocal: "" };
    expect(scheduleIssues(form)).toHaveLength(1);
    const at = { ...form, atLocal: "2026-12-24T22:00" };
    expect(scheduleIssues(at)).toEqual([]);
    expect(scheduleArgs(4, at).whenUtc).toBe(new Date("2026-12-24T22:00").toISOString().replace(/\.\d{3}Z$/, "Z"));
    expect(scheduleArgs(4, { ...at, when: "asap" }).whenUtc).toBeNull();
  });
});
