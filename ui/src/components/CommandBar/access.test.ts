import { describe, expect, it } from "vitest";
import type { WhoAmI } from "../../api";
import { deniedReason } from "./access";

const commands: WhoAmI["commands"] = [
  { name: "site_info", permission: "ReadSite", reach: "Any" },
  { name: "approve_updates", permission: "Approve", reach: "Scoped" },
  { name: "set_sync_settings", permission: "Sync", reach: "Site" },
  { name: "whoami", permission: null, reach: "Any" },
];

describe("deniedReason", () => {
  const analyst: WhoAmI = { siteName: "S", name: "ann", role: "Read-only Analyst", permissions: ["ReadSite"], scope: null, commands };
  it("names the missing permission and the role", () => {
    expect(deniedReason(analyst, "approve_updates")).toBe(
      "Needs the Approve permission, which your role (Read-only Analyst) does not have.",
    );
    expect(deniedReason(analyst, "site_info")).toBeUndefined();
    expect(deniedReason(analyst, "whoami")).toBeUndefined();
  });
  it("keeps a scoped administrator from site-wide commands only", () => {
    const sam: WhoAmI = { ...analyst, role: "Software Update Manager", permissions: ["ReadSite", "Approve", "Sync"], scope: [2] };
    expect(deniedReason(sam, "approve_updates")).toBeUndefined();
    expect(deniedReason(sam, "set_sync_settings")).toContain("whole site");
  });
  it("allows everything while the administrator is not known yet", () => {
    expect(deniedReason(null, "approve_updates")).toBeUndefined();
  });
});
