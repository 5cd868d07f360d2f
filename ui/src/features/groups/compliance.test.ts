import { describe, expect, it } from "vitest";
import { compliancePercent } from "./compliance";

describe("compliancePercent", () => {
  it("is null until clients report", () => {
    expect(compliancePercent({ required: 0, installed: 0, notRequired: 0, failed: 0, unknown: 0 })).toBeNull();
  });
  it("counts installed and not required as compliant, rounding down", () => {
    expect(compliancePercent({ required: 1, installed: 1, notRequired: 0, failed: 0, unknown: 1 })).toBe(33);
    expect(compliancePercent({ required: 0, installed: 3, notRequired: 1, failed: 0, unknown: 0 })).toBe(100);
    expect(compliancePercent({ required: 1, installed: 0, notRequired: 0, failed: 1, unknown: 0 })).toBe(0);
  });
});
