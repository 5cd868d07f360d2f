// What several selected updates hold, counted: by classification (most first) and by state.
import type { UpdateRow } from "../../api";

export interface SelectionCounts {
  rows: number;
  /** [classification, count], most first, then by name; null (no classification) last of its count. */
  byClassification: [string | null, number][];
  deployed: number;
  declined: number;
  superseded: number;
  expired: number;
  required: number;
  size: number;
}

/** By name, updates with no classification last. */
function byName(a: string | null, b: string | null): number {
  if (a === null || b === null) return (a === null ? 1 : 0) - (b === null ? 1 : 0);
  return a.localeCompare(b);
}

export function countSelection(rows: readonly UpdateRow[]): SelectionCounts {
  const classes = new Map<string | null, number>();
  const counts: SelectionCounts = { rows: rows.length, byClassification: [], deployed: 0, declined: 0, superseded: 0, expired: 0, required: 0, size: 0 };
  for (const r of rows) {
    classes.set(r.classification, (classes.get(r.classification) ?? 0) + 1);
    if (r.deployed) counts.deployed++;
    if (r.declined) counts.declined++;
    if (r.superseded) counts.superseded++;
    if (r.expired) counts.expired++;
    if (r.requiredCount > 0) counts.required++;
    counts.size += r.size;
  }
  counts.byClassification = [...classes].sort((a, b) => b[1] - a[1] || byName(a[0], b[0]));
  return counts;
}
