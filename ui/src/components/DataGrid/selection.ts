// Row selection of the DataGrid as sorted, disjoint index ranges, so "select all" over
// 500,000 rows or a Shift range over rows never loaded costs nothing.

export type Range = readonly [first: number, last: number];

export interface Selection {
  /** Sorted, disjoint, non-adjacent inclusive ranges of selected row indexes. */
  readonly ranges: readonly Range[];
  /** Where the next Shift+click/Shift+arrow range starts. */
  readonly anchor: number | null;
  /** The row keyboard navigation moves from (the "current" row). */
  readonly focus: number | null;
}

export interface Modifiers {
  /** Ctrl on Windows/Linux, Cmd on macOS. */
  ctrl?: boolean;
  shift?: boolean;
}

export const emptySelection: Selection = { ranges: [], anchor: null, focus: null };

export function normalize(ranges: readonly Range[]): Range[] {
  const sorted = ranges.filter(([a, b]) => a <= b).sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

export function isSelected(sel: Selection, index: number): boolean {
  let lo = 0;
  let hi = sel.ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = sel.ranges[mid];
    if (index < a) hi = mid - 1;
    else if (index > b) lo = mid + 1;
    else return true;
  }
  return false;
}

export function selectedCount(sel: Selection): number {
  return sel.ranges.reduce((n, [a, b]) => n + (b - a + 1), 0);
}

/** The one selected row, or null when none or several are selected. */
export function singleSelected(sel: Selection): number | null {
  return sel.ranges.length === 1 && sel.ranges[0][0] === sel.ranges[0][1] ? sel.ranges[0][0] : null;
}

/** Selected indexes in order, at most `limit` of them. */
export function selectedIndexes(sel: Selection, limit = Number.POSITIVE_INFINITY): number[] {
  const out: number[] = [];
  for (const [a, b] of sel.ranges) {
    for (let i = a; i <= b; i++) {
      if (out.length >= limit) return out;
      out.push(i);
    }
  }
  return out;
}

function toggle(ranges: readonly Range[], index: number): Range[] {
  const out: Range[] = [];
  let found = false;
  for (const [a, b] of ranges) {
    if (index >= a && index <= b) {
      found = true;
      if (a <= index - 1) out.push([a, index - 1]);
      if (index + 1 <= b) out.push([index + 1, b]);
    } else {
      out.push([a, b]);
    }
  }
  return found ? out : normalize([...ranges, [index, index]]);
}

/** A mouse click on row `index` (plain, Ctrl/Cmd, Shift or Ctrl+Shift). */
export function clickRow(sel: Selection, index: number, mods: Modifiers = {}): Selection {
  if (mods.shift) {
    const anchor = sel.anchor ?? sel.focus ?? index;
    const range: Range = [Math.min(anchor, index), Math.max(anchor, index)];
    return {
      ranges: mods.ctrl ? normalize([...sel.ranges, range]) : [range],
      anchor,
      focus: index,
    };
  }
  if (mods.ctrl) return { ranges: toggle(sel.ranges, index), anchor: index, focus: index };
  return { ranges: [[index, index]], anchor: index, focus: index };
}

/**
 * Keyboard move of the focused row to `index` (arrows, Page keys, Home/End): plain selects
 * only that row, Shift extends from the anchor, Ctrl moves the focus and keeps the selection.
 */
export function moveFocus(sel: Selection, index: number, rowCount: number, mods: Modifiers = {}): Selection {
  if (rowCount <= 0) return emptySelection;
  const target = Math.max(0, Math.min(rowCount - 1, index));
  if (mods.ctrl && !mods.shift) return { ...sel, focus: target };
  return clickRow(sel, target, { shift: mods.shift });
}

/** Space / Ctrl+Space on the focused row. */
export function toggleFocused(sel: Selection): Selection {
  if (sel.focus === null) return sel;
  return { ranges: toggle(sel.ranges, sel.focus), anchor: sel.focus, focus: sel.focus };
}

/** Ctrl+A. */
export function selectAll(sel: Selection, rowCount: number): Selection {
  if (rowCount <= 0) return emptySelection;
  return { ranges: [[0, rowCount - 1]], anchor: sel.anchor ?? 0, focus: sel.focus ?? 0 };
}

/** Drops whatever lies past the end after the row count shrank. */
export function clampSelection(sel: Selection, rowCount: number): Selection {
  if (rowCount <= 0) return emptySelection;
  const last = rowCount - 1;
  const ranges = sel.ranges.filter(([a]) => a <= last).map(([a, b]): Range => [a, Math.min(b, last)]);
  const clamp = (i: number | null) => (i === null ? null : Math.min(i, last));
  return { ranges, anchor: clamp(sel.anchor), focus: clamp(sel.focus) };
}
