// The wizard's rules without a browser: defaults, page checks, issues routed to their page,
// the spec sent to the site, times in UTC and in client local time, and the Summary.
import { formatWallClock } from "../../components/format";
import { describe, expect, it } from "vitest";
import {
  blockingIssues,
  buildSpec,
  defaultForm,
  formFromDeployment,
  fromWire,
  groupDepths,
  isWallClock,
  localIssues,
  nextHour,
  pageOfIssue,
  resolvedTimes,
  summaryLines,
  toWire,
  treeOrder,
  utcToConsoleLocal,
  wallClock,
  type DeployForm,
} from "./model";
import { deploymentOf } from "./fixtures";

const NOW = new Date("2026-11-29T05:42:17Z");

/** Runs `body` with this process's time zone set to `zone` (Node reads TZ on each change). */
const env = (globalThis as unknown as { process: { env: Record<string, string | undefined> } }).process.env;

function withZone(zone: string, body: () => void) {
  const before = env.TZ;
  env.TZ = zone;
  try {
    body();
  } finally {
    if (before === undefined) delete env.TZ;
    else env.TZ = before;
  }
}

function ready(patch: Partial<DeployForm> = {}): DeployForm {
  return { ...defaultForm({ updateIds: ["u1", "u2"], now: NOW }), name: "Patch Tuesday", targetGroupId: 3, ...patch };
}

describe("defaults", () => {
  it("deploys the selection as a required deployment, available and due as soon as possible, in UTC", () => {
    const f = defaultForm({ updateIds: ["a"], now: NOW });
    expect(f.source).toBe("updates");
    expect(f.deploymentType).toBe("Required");
    expect(f.timeBasis).toBe("Utc");
    expect(f.availableAsap && f.deadlineAsap).toBe(true);
    // A specific time starts at the next whole hour (UTC wall clock).
    expect(f.available).toBe("2026-11-29T06:00");
    expect(f.alertEnabled).toBe(false);
    expect(f.fallbackToMicrosoftUpdate).toBe(false);
  });

  it("without a selection, picks a group (the one given, if any)", () => {
    expect(defaultForm({ now: NOW }).source).toBe("group");
    expect(defaultForm({ updateGroupId: 7, now: NOW }).updateGroupId).toBe(7);
  });

  it("next hour rolls over the day", () => {
    expect(nextHour(new Date("2026-12-31T23:30:00Z")).toISOString()).toBe("2027-01-01T00:00:00.000Z");
  });
});

describe("times", () => {
  it("the wall clock of one instant is read in UTC or in this console's zone", () => {
    const d = new Date("2026-06-01T12:34:56Z");
    withZone("Europe/Paris", () => {
      expect(wallClock(d, "Utc")).toBe("2026-06-01T12:34");
      expect(wallClock(d, "ClientLocal")).toBe("2026-06-01T14:34");
      // The UTC basis's hint: 06:00 UTC in winter is 07:00 in Paris.
      expect(utcToConsoleLocal("2026-11-29T06:00")).toBe("2026-11-29T07:00");
    });
    withZone("America/New_York", () => {
      expect(wallClock(d, "ClientLocal")).toBe("2026-06-01T08:34");
      // As soon as possible with client local time is the console's wall clock.
      expect(resolvedTimes(ready({ timeBasis: "ClientLocal" }), NOW).available).toBe("2026-11-29T00:42");
    });
  });

  it("wall-clock values go to the wire with Z and come back unchanged, whatever the zone", () => {
    expect(toWire("2026-11-29T06:00")).toBe("2026-11-29T06:00:00Z");
    expect(fromWire("2026-11-29T06:00:00Z")).toBe("2026-11-29T06:00");
    expect(fromWire("2026-11-29T06:00:00.000Z")).toBe("2026-11-29T06:00");
    expect(fromWire("2026-11-29T08:00:00+02:00")).toBe("2026-11-29T06:00");
    expect(fromWire(null)).toBe("");
  });

  it("a UTC value is shown in this console's time as a hint", () => {
    const local = utcToConsoleLocal("2026-11-29T06:00");
    expect(local).toBe(wallClock(new Date("2026-11-29T06:00:00Z"), "ClientLocal"));
    expect(utcToConsoleLocal("not a time")).toBe("");
  });

  it("rejects impossible dates", () => {
    expect(isWallClock("2026-02-30T10:00")).toBe(false);
    expect(isWallClock("2026-02-28T24:00")).toBe(false);
    expect(isWallClock("2026-02-28T23:59")).toBe(true);
  });

  it("as soon as possible is now, read in the basis's clock; the ASAP deadline equals the available time", () => {
    expect(resolvedTimes(ready(), NOW)).toEqual({ available: "2026-11-29T05:42", deadline: "2026-11-29T05:42" });
    const local = resolvedTimes(ready({ timeBasis: "ClientLocal" }), NOW);
    expect(local.available).toBe(wallClock(NOW, "ClientLocal"));
  });

  it("an available deployment has no deadline", () => {
    expect(resolvedTimes(ready({ deploymentType: "Available", deadlineAsap: false, deadline: "2027-01-01T00:00" }), NOW).deadline).toBeNull();
  });
});

describe("page checks", () => {
  it("General needs a name, updates and a collection", () => {
    const f = defaultForm({ now: NOW });
    expect(localIssues(f, "general", NOW).map((i) => i.field)).toEqual(["name", "updateGroupId", "targetGroupId"]);
    expect(localIssues(ready(), "general", NOW)).toEqual([]);
    expect(localIssues(ready({ source: "group", updateGroupId: 4 }), "general", NOW)).toEqual([]);
  });

  it("Scheduling refuses a deadline before the available time", () => {
    const f = ready({ availableAsap: false, available: "2026-12-10T10:00", deadlineAsap: false, deadline: "2026-12-09T10:00" });
    const issues = localIssues(f, "scheduling", NOW);
    expect(issues).toHaveLength(1);
    expect(issues[0].field).toBe("deadlineUtc");
    expect(issues[0].message).toMatch(/cannot be before/);
    expect(localIssues({ ...f, deadline: "2026-12-10T10:00" }, "scheduling", NOW)).toEqual([]);
    // Not for an available deployment: it has no deadline.
    expect(localIssues({ ...f, deploymentType: "Available" }, "scheduling", NOW)).toEqual([]);
  });

  it("Scheduling wants a readable time when a specific one is chosen", () => {
    expect(localIssues(ready({ availableAsap: false, available: "" }), "scheduling", NOW).map((i) => i.field)).toEqual(["availableUtc"]);
  });

  it("Alerts check the percentage and the days only when the alert is on", () => {
    expect(localIssues(ready({ alertBelowPercent: "150" }), "alerts", NOW)).toEqual([]);
    const on = ready({ alertEnabled: true, alertBelowPercent: "100", alertDaysAfterDeadline: "-1" });
    expect(localIssues(on, "alerts", NOW).map((i) => i.field)).toEqual(["alertBelowPercent", "alertDaysAfterDeadline"]);
    expect(localIssues({ ...on, alertBelowPercent: "95", alertDaysAfterDeadline: "3" }, "alerts", NOW)).toEqual([]);
  });

  it("site issues go to the page of their field, and block only that page and later ones", () => {
    const deadline = { field: "deadlineUtc", message: "before" };
    const prefixed = { field: "settings.alertBelowPercent", message: "x" };
    const name = { field: "name", message: "taken" };
    expect(pageOfIssue(deadline)).toBe("scheduling");
    expect(pageOfIssue(prefixed)).toBe("alerts");
    expect(pageOfIssue({ field: "somethingNew", message: "?" })).toBe("general");
    expect(blockingIssues([deadline, prefixed, name], "general")).toEqual([name]);
    expect(blockingIssues([deadline, prefixed, name], "scheduling")).toEqual([deadline, name]);
    expect(blockingIssues([deadline, prefixed, name], "downloadSettings")).toHaveLength(3);
  });
});

describe("spec", () => {
  it("from a selection: the update ids, no group; times in UTC wall clock", () => {
    const spec = buildSpec(ready({ availableAsap: false, available: "2026-12-01T08:00", deadlineAsap: false, deadline: "2026-12-08T20:30" }), NOW);
    expect(spec.updateGroupId).toBeNull();
    expect(spec.updateIds).toEqual(["u1", "u2"]);
    expect(spec.targetGroupId).toBe(3);
    expect(spec.settings.availableUtc).toBe("2026-12-01T08:00:00Z");
    expect(spec.settings.deadlineUtc).toBe("2026-12-08T20:30:00Z");
    expect(spec.settings.alertDaysAfterDeadline).toBeNull();
  });

  it("from a group: the group, no update ids; an available deployment sends no deadline", () => {
    const spec = buildSpec(ready({ source: "group", updateGroupId: 9, deploymentType: "Available" }), NOW);
    expect(spec.updateGroupId).toBe(9);
    expect(spec.updateIds).toEqual([]);
    expect(spec.settings.deadlineUtc).toBeNull();
    expect(spec.settings.availableUtc).toBe("2026-11-29T05:42:00Z");
  });

  it("an alert sends its numbers", () => {
    const s = buildSpec(ready({ alertEnabled: true, alertBelowPercent: "80", alertDaysAfterDeadline: "14" }), NOW).settings;
    expect([s.alertBelowPercent, s.alertDaysAfterDeadline]).toEqual([80, 14]);
  });

  it("a deployment reopened in the wizard gives back the same settings", () => {
    const spec = buildSpec(ready({ availableAsap: false, available: "2026-12-01T08:00", deadlineAsap: false, deadline: "2026-12-08T20:30", timeBasis: "ClientLocal", alertEnabled: true, alertDaysAfterDeadline: "2", fallbackToMicrosoftUpdate: true }), NOW);
    const d = deploymentOf(spec);
    const again = buildSpec(formFromDeployment(d), new Date("2027-01-01T00:00:00Z"));
    expect(again.settings).toEqual(spec.settings);
    expect(again.updateGroupId).toBe(12);
    expect(again.updateIds).toEqual([]);
  });
});

describe("summary", () => {
  it("lists every choice, with times in their basis", () => {
    const lines = summaryLines(ready({ availableAsap: false, available: "2026-12-01T08:00", deadlineAsap: true, alertEnabled: true, alertBelowPercent: "90", alertDaysAfterDeadline: "7" }), {
      groupName: null,
      groupUpdateCount: null,
      targetPath: "All Computers / Servers",
      now: NOW,
    });
    const get = (label: string) => lines.find((l) => l.label === label)?.value;
    expect(get("Deployment name")).toBe("Patch Tuesday");
    expect(get("Software updates")).toMatch(/^2 selected software updates/);
    expect(get("Collection")).toBe("All Computers / Servers");
    expect(get("Software available time")).toBe(`${formatWallClock("2026-12-01T08:00")} UTC`);
    expect(get("Installation deadline")).toBe("As soon as possible");
    expect(get("Alert")).toBe("When compliance is below 90% 7 days after the deadline");
    expect(lines).toHaveLength(19);
    const local = summaryLines(ready({ timeBasis: "ClientLocal", availableAsap: false, available: "2026-12-01T08:00" }), { groupName: null, groupUpdateCount: null, targetPath: null, now: NOW });
    expect(local.find((l) => l.label === "Software available time")?.value).toBe(`${formatWallClock("2026-12-01T08:00")} (client local time)`);
  });
});

describe("collection tree", () => {
  const groups = [
    { id: 1, parentId: null, name: "All Computers" },
    { id: 4, parentId: 2, name: "Web" },
    { id: 2, parentId: 1, name: "Servers" },
    { id: 3, parentId: 1, name: "Desktops" },
  ];
  it("orders parents before their children, siblings by name", () => {
    expect(treeOrder(groups).map((g) => g.name)).toEqual(["All Computers", "Desktops", "Servers", "Web"]);
  });
  it("knows each group's depth", () => {
    const d = groupDepths(groups);
    expect([d.get(1), d.get(2), d.get(4)]).toEqual([0, 1, 2]);
  });
});
