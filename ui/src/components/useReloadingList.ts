// The rows of a list page, read again whenever `generation` changes (after a change the page
// made, or Refresh). A failed read keeps the rows shown before (none on the first read), so
// the page's failure bar stands over what the administrator already saw.
import { useEffect, useState } from "react";
import { toApiFailure, type ApiFailure } from "../api";

/** `read` must not change between renders: declare it at module level. */
export function useReloadingList<T>(read: () => Promise<T[]>, generation: number): { rows: T[] | null; failure: ApiFailure | null } {
  const [rows, setRows] = useState<T[] | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  useEffect(() => {
    let live = true;
    read().then(
      (list) => {
        if (!live) return;
        setRows(list);
        setFailure(null);
      },
      (e: unknown) => {
        if (!live) return;
        setRows((r) => r ?? []);
        setFailure(toApiFailure(e));
      },
    );
    return () => {
      live = false;
    };
  }, [read, generation]);
  return { rows, failure };
}
