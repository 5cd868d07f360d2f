// Column-header sort cycling: ascending → descending → unsorted (the server's default order).

export interface SortState {
  columnId: string;
  descending: boolean;
}

export function nextSort(current: SortState | null, columnId: string): SortState | null {
  if (!current || current.columnId !== columnId) return { columnId, descending: false };
  if (!current.descending) return { columnId, descending: true };
  return null;
}

export function ariaSort(current: SortState | null, columnId: string): "ascending" | "descending" | "none" {
  if (!current || current.columnId !== columnId) return "none";
  return current.descending ? "descending" : "ascending";
}
