import { describe, expect, it } from "vitest";
import type { Selection } from "../../../components/DataGrid";
import { collectSelectedRows, FETCH_CHUNK } from "./selectedRows";

const row = (i: number) => ({ updateId: `u${i}`, title: `Update ${i}` });

describe("collectSelectedRows", () => {
  it("takes loaded rows from the cache and fetches the others with the grid's query", async () => {
    const loaded = new Set([0, 1, 2, 5000]);
    const calls: [number, number][] = [];
    const selection: Selection = { ranges: [[1, 2], [4999, 5001], [2600, 2600]].sort((a, b) => a[0] - b[0]) as [number, number][], anchor: null, focus: null };
    const rows = await collectSelectedRows(
      selection,
      (i) => (loaded.has(i) ? row(i) : undefined),
      async (offset, limit) => {
        calls.push([offset, limit]);
        return { rows: Array.from({ length: limit }, (_, j) => row(offset + j)) };
      },
    );
    expect(rows.map((r) => r.updateId)).toEqual(["u1", "u2", "u2600", "u4999", "u5000", "u5001"]);
    // 2600 and 4999 are more than a chunk apart: two requests; 5001 rides on the second.
    expect(calls).toEqual([
      [2600, FETCH_CHUNK],
      [4999, FETCH_CHUNK],
    ]);
  });

  it("stops when the list is shorter than the selection (rows deleted meanwhile)", async () => {
    const selection: Selection = { ranges: [[0, 3]], anchor: null, focus: null };
    const rows = await collectSelectedRows(
      selection,
      () => undefined,
      async (offset) => ({ rows: offset === 0 ? [row(0), row(1)] : [] }),
    );
    expect(rows.map((r) => r.updateId)).toEqual(["u0", "u1"]);
  });
});
