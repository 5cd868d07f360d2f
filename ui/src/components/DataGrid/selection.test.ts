import { describe, expect, it } from "vitest";
import {
  clampSelection,
  clickRow,
  emptySelection,
  isSelected,
  moveFocus,
  normalize,
  selectAll,
  selectedCount,
  selectedIndexes,
  singleSelected,
  toggleFocused,
} from "./selection";

describe("selection", () => {
  it("plain click selects one row and sets anchor and focus", () => {
    const s = clickRow(emptySelection, 5);
    expect(s).toEqual({ ranges: [[5, 5]], anchor: 5, focus: 5 });
    expect(singleSelected(s)).toBe(5);
    expect(clickRow(s, 9).ranges).toEqual([[9, 9]]);
  });

  it("ctrl+click toggles rows in and out", () => {
    let s = clickRow(emptySelection, 5);
    s = clickRow(s, 7, { ctrl: true });
    s = clickRow(s, 6, { ctrl: true });
    expect(s.ranges).toEqual([[5, 7]]);
    s = clickRow(s, 6, { ctrl: true });
    expect(s.ranges).toEqual([
      [5, 5],
      [7, 7],
    ]);
    expect(selectedCount(s)).toBe(2);
    expect(singleSelected(s)).toBeNull();
  });

  it("shift+click selects from the anchor, in either direction, keeping the anchor", () => {
    let s = clickRow(emptySelection, 10);
    s = clickRow(s, 14, { shift: true });
    expect(s.ranges).toEqual([[10, 14]]);
    s = clickRow(s, 8, { shift: true });
    expect(s.ranges).toEqual([[8, 10]]);
    expect(s.anchor).toBe(10);
    expect(s.focus).toBe(8);
  });

  it("ctrl+shift+click adds a range to the selection", () => {
    let s = clickRow(emptySelection, 1);
    s = clickRow(s, 20, { ctrl: true });
    s = clickRow(s, 22, { ctrl: true, shift: true });
    expect(s.ranges).toEqual([
      [1, 1],
      [20, 22],
    ]);
  });

  it("shift+click with no anchor selects just that row", () => {
    expect(clickRow(emptySelection, 3, { shift: true }).ranges).toEqual([[3, 3]]);
  });

  it("arrow keys move and select, shift extends, ctrl only moves focus", () => {
    let s = moveFocus(emptySelection, 0, 100);
    expect(s.ranges).toEqual([[0, 0]]);
    s = moveFocus(s, 1, 100, { shift: true });
    s = moveFocus(s, 2, 100, { shift: true });
    expect(s.ranges).toEqual([[0, 2]]);
    s = moveFocus(s, 5, 100, { ctrl: true });
    expect(s.ranges).toEqual([[0, 2]]);
    expect(s.focus).toBe(5);
    s = toggleFocused(s);
    expect(s.ranges).toEqual([
      [0, 2],
      [5, 5],
    ]);
  });

  it("clamps keyboard moves to the list", () => {
    expect(moveFocus(emptySelection, -4, 10).focus).toBe(0);
    expect(moveFocus(emptySelection, 40, 10).focus).toBe(9);
    expect(moveFocus(emptySelection, 1, 0)).toEqual(emptySelection);
  });

  it("select all covers 500,000 rows as one range", () => {
    const s = selectAll(emptySelection, 500_000);
    expect(s.ranges).toEqual([[0, 499_999]]);
    expect(selectedCount(s)).toBe(500_000);
    expect(isSelected(s, 499_999)).toBe(true);
    expect(selectedIndexes(s, 3)).toEqual([0, 1, 2]);
  });

  it("isSelected finds rows among many ranges", () => {
    const s = { ranges: normalize([[30, 40], [1, 2], [10, 12], [3, 4]]), anchor: null, focus: null };
    expect(s.ranges).toEqual([
      [1, 4],
      [10, 12],
      [30, 40],
    ]);
    expect([0, 1, 4, 5, 11, 29, 35, 41].map((i) => isSelected(s, i))).toEqual([
      false, true, true, false, true, false, true, false,
    ]);
  });

  it("drops selection past the end when the list shrinks", () => {
    const s = clampSelection({ ranges: [[2, 4], [8, 20]], anchor: 15, focus: 20 }, 10);
    expect(s).toEqual({ ranges: [[2, 4], [8, 9]], anchor: 9, focus: 9 });
    expect(clampSelection(s, 0)).toEqual(emptySelection);
  });
});
