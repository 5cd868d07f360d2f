import { describe, expect, it } from "vitest";
import type { UpdateRow } from "../../api";
import { updateRow } from "../../test/site";
import { countSelection } from "./selectionSummary";

const row = (classification: string | null, over: Partial<UpdateRow> = {}) => updateRow({ classification, size: 100, ...over });

describe("countSelection", () => {
  it("counts by classification, most first and then by name, and by state", () => {
    const counts = countSelection([
      row("Updates"),
      row("Security Updates", { deployed: true, requiredCount: 3 }),
      row(null, { superseded: true, expired: true }),
      row("Security Updates", { declined: true, size: 50 }),
      row("Critical Updates", { deployed: true }),
    ]);
    expect(counts.byClassification).toEqual([
      ["Security Updates", 2],
      ["Critical Updates", 1],
      ["Updates", 1],
      [null, 1],
    ]);
    expect(counts).toMatchObject({ rows: 5, deployed: 2, declined: 1, superseded: 1, expired: 1, required: 1, size: 450 });
  });

  it("counts nothing in an empty selection", () => {
    expect(countSelection([])).toEqual({ rows: 0, byClassification: [], deployed: 0, declined: 0, superseded: 0, expired: 0, required: 0, size: 0 });
  });
});
