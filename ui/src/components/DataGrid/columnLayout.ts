// What an administrator changed of a grid's columns: widths dragged and columns hidden,
// by column id, so a column the page adds later simply shows at its own width. The first
// column names the row and is never hidden.
import type { DataGridColumn } from "./DataGrid";

export interface ColumnLayout {
  widths: Readonly<Record<string, number>>;
  hidden: readonly string[];
}

export const defaultLayout: ColumnLayout = { widths: {}, hidden: [] };

export const MIN_COLUMN_WIDTH = 40;
export const MAX_COLUMN_WIDTH = 2000;

export function isColumnLayout(value: unknown): value is ColumnLayout {
  if (typeof value !== "object" || value === null) return false;
  const { widths, hidden } = value as Record<string, unknown>;
  return (
    typeof widths === "object" &&
    widths !== null &&
    Object.values(widths).every((w) => typeof w === "number" && Number.isFinite(w)) &&
    Array.isArray(hidden) &&
    hidden.every((id) => typeof id === "string")
  );
}

export const clampWidth = (width: number) => Math.round(Math.min(MAX_COLUMN_WIDTH, Math.max(MIN_COLUMN_WIDTH, width)));

/** The columns shown, in the page's order, at their remembered widths. */
export function visibleColumns<T>(columns: readonly DataGridColumn<T>[], layout: ColumnLayout): DataGridColumn<T>[] {
  return columns
    .filter((c, i) => i === 0 || !layout.hidden.includes(c.id))
    .map((c) => {
      const width = layout.widths[c.id];
      return width === undefined ? c : { ...c, width: clampWidth(width) };
    });
}

export function resizeColumn(layout: ColumnLayout, id: string, width: number): ColumnLayout {
  return { ...layout, widths: { ...layout.widths, [id]: clampWidth(width) } };
}

/** The layout showing exactly `shown` (the first column whatever it says). */
export function showColumns<T>(layout: ColumnLayout, columns: readonly DataGridColumn<T>[], shown: readonly string[]): ColumnLayout {
  return { ...layout, hidden: columns.slice(1).filter((c) => !shown.includes(c.id)).map((c) => c.id) };
}
