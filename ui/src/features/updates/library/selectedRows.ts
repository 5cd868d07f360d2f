// The rows behind a grid selection, which may reach rows never loaded (Ctrl+A over the whole
// catalog, a Shift range across pages): loaded rows are taken from the grid's cache, the rest
// are fetched with the same query, a thousand at a time.
import { selectedIndexes, type Selection } from "../../../components/DataGrid";

export const FETCH_CHUNK = 1000;

export interface RowRef {
  updateId: string;
  title: string;
}

/** The selected rows in order; the first `limit` of them when given. */
export async function collectSelectedRows<T extends RowRef>(
  selection: Selection,
  getRow: (index: number) => T | undefined,
  fetchPage: (offset: number, limit: number) => Promise<{ rows: readonly T[] }>,
  limit?: number,
): Promise<T[]> {
  const indexes = selectedIndexes(selection, limit);
  const found = new Map<number, T>();
  const missing: number[] = [];
  for (const i of indexes) {
    const row = getRow(i);
    if (row) found.set(i, row);
    else missing.push(i);
  }
  // Missing indexes are sorted: fetch each run of them in chunks.
  let k = 0;
  while (k < missing.length) {
    const offset = missing[k];
    const page = await fetchPage(offset, FETCH_CHUNK);
    page.rows.forEach((row, j) => found.set(offset + j, row));
    while (k < missing.length && missing[k] < offset + Math.max(page.rows.length, 1)) k++;
  }
  return indexes.flatMap((i) => {
    const row = found.get(i);
    return row ? [row] : [];
  });
}
