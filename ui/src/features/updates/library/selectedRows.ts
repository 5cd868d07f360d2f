// The rows behind a grid selection, which may reach rows never loaded (Ctrl+A over the whole
// catalog, a Shift range across pages): loaded rows are taken from the grid's cache, the rest
// are fetched with the same query, a thousand at a time.
import type { Selection } from "../../../components/DataGrid";

export const FETCH_CHUNK = 1000;

export interface RowRef {
  updateId: string;
  title: string;
}

export async function collectSelectedRows<T extends RowRef>(
  selection: Selection,
  getRow: (index: number) => T | undefined,
  fetchPage: (offset: number, limit: number) => Promise<{ rows: readonly T[] }>,
): Promise<RowRef[]> {
  const out: RowRef[] = [];
  const missing: number[] = [];
  const found = new Map<number, RowRef>();
  for (const [a, b] of selection.ranges) {
    for (let i = a; i <= b; i++) {
      const row = getRow(i);
      if (row) found.set(i, { updateId: row.updateId, title: row.title });
      else missing.push(i);
    }
  }
  // Missing indexes are sorted: fetch each run of them in chunks.
  let k = 0;
  while (k < missing.length) {
    const offset = missing[k];
    const page = await fetchPage(offset, FETCH_CHUNK);
    page.rows.forEach((row, j) => found.set(offset + j, { updateId: row.updateId, title: row.title }));
    while (k < missing.length && missing[k] < offset + Math.max(page.rows.length, 1)) k++;
  }
  for (const [a, b] of selection.ranges) {
    for (let i = a; i <= b; i++) {
      const row = found.get(i);
      if (row) out.push(row);
    }
  }
  return out;
}

