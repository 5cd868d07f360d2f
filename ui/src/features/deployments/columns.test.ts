// How deployment times read in the grid, and which deployments belong to a group.
import { formatWallClock } from "../../components/format";
import { describe, expect, it } from "vitest";
import { deploymentColumns, deploymentTime } from "./columns";
import { deploymentsOfGroup } from "./GroupDeployments";
import type { Deployment } from "./types";

describe("deployment times", () => {
  it("say which clock they are read on", () => {
    expect(deploymentTime("2026-12-01T08:00:00Z", "Utc")).toBe(`${formatWallClock("2026-12-01T08:00")} UTC`);
    expect(deploymentTime("2026-12-01T08:00:00.000Z", "ClientLocal")).toBe(`${formatWallClock("2026-12-01T08:00")} (client local time)`);
    expect(deploymentTime(null, "Utc")).toBe("");
  });
});

describe("deployments of a group", () => {
  it("keeps the group's, oldest first", () => {
    const d = (id: number, updateGroupId: number) => ({ id, updateGroupId }) as Deployment;
    expect(deploymentsOfGroup([d(5, 1), d(2, 1), d(3, 2)], 1).map((x) => x.id)).toEqual([2, 5]);
    expect(deploymentsOfGroup([d(3, 2)], 1)).toEqual([]);
  });
});

describe("deployment dates", () => {
  it("the Created tooltip is in the console's date format, not the raw ISO instant", () => {
    const created = deploymentColumns.find((c) => c.id === "created");
    const title = created?.title?.({ createdUtc: "2026-11-29T05:42:17.000Z" } as Deployment);
    expect(title).toBeTruthy();
    expect(title).not.toContain("2026-11-29T05:42");
  });
});
