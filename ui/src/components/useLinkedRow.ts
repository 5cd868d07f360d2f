// A node opened from a link naming one of its rows (an alert's "?id=" or "?run="): that row
// is selected once the rows are read, so the details pane shows what the link was about.
import { useEffect, useRef } from "react";
import { useNodeParams } from "../app/navigate";
import { emptySelection, type Selection } from "./DataGrid";

const one = (index: number): Selection => ({ ...emptySelection, ranges: [[index, index]], anchor: index, focus: index });

/** Selects the row of `rows` whose `key` is the link's `param`, once; `select` gets its index. */
export function useLinkedRow<T>(rows: readonly T[] | null, param: string, key: (row: T) => number, select: (selection: Selection, row: T) => void): void {
  const wanted = Number(useNodeParams()[param]);
  const done = useRef(false);
  const latest = useRef({ key, select });
  latest.current = { key, select };
  useEffect(() => {
    if (done.current || rows === null || !Number.isInteger(wanted)) return;
    const index = rows.findIndex((r) => latest.current.key(r) === wanted);
    if (index < 0) return;
    done.current = true;
    latest.current.select(one(index), rows[index]);
  }, [rows, wanted]);
}
