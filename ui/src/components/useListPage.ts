// The state a list page keeps around its grid: the rows (read again by `load`: Refresh, Retry,
// after a change, on an event), the grid's selection (kept within the rows) and version, the
// selected and focused rows, and the failure of the last action run through `act`. A failed
// read keeps the rows shown before (none on the first read), so the page's failure bar stands
// over what the administrator already saw.
import { useCallback, useEffect, useState } from "react";
import { toApiFailure, type ApiFailure } from "../api";
import { clampSelection, emptySelection, singleSelected, type Selection } from "./DataGrid";

export interface ListPageState<T> {
  /** Null until the first read answers. */
  list: T[] | null;
  /** `list`, or none. */
  rows: T[];
  failure: ApiFailure | null;
  load(): void;
  /** Moves with every read that answered: the grid's `version`. */
  version: number;
  selection: Selection;
  setSelection(selection: Selection): void;
  /** The one selected row; null when none or several are. */
  selected: T | null;
  /** The focused row, else the selected one: what the details pane shows. */
  focused: T | null;
  /** An action run through `act` is under way. */
  working: boolean;
  actionFailure: ApiFailure | null;
  setActionFailure(failure: ApiFailure | null): void;
  /** Runs a change, keeps its failure for the page's bar, then reads the rows again. */
  act(run: () => Promise<unknown>): Promise<void>;
}

/**
 * `read` and `alsoRead` (the page's other reads, done with every read of the rows) must not
 * change between renders: declare them at module level or with `useCallback`.
 */
export function useListPage<T>(read: () => Promise<T[]>, alsoRead?: () => void): ListPageState<T> {
  const [list, setList] = useState<T[] | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [actionFailure, setActionFailure] = useState<ApiFailure | null>(null);
  const [selection, setSelection] = useState<Selection>(emptySelection);
  const [working, setWorking] = useState(false);
  const [version, setVersion] = useState(0);
  const [generation, setGeneration] = useState(0);
  const load = useCallback(() => setGeneration((g) => g + 1), []);

  useEffect(() => {
    let live = true;
    read().then(
      (l) => {
        if (!live) return;
        setList(l);
        setVersion((v) => v + 1);
        setFailure(null);
        setSelection((s) => clampSelection(s, l.length));
      },
      (e: unknown) => {
        if (!live) return;
        setList((r) => r ?? []);
        setFailure(toApiFailure(e));
      },
    );
    alsoRead?.();
    return () => {
      live = false;
    };
  }, [read, alsoRead, generation]);

  const act = async (run: () => Promise<unknown>) => {
    setWorking(true);
    setActionFailure(null);
    try {
      await run();
    } catch (e) {
      setActionFailure(toApiFailure(e));
    } finally {
      setWorking(false);
      load();
    }
  };

  const rows = list ?? [];
  const index = singleSelected(selection);
  const selected = index !== null ? (rows[index] ?? null) : null;
  const focused = selection.focus !== null ? (rows[selection.focus] ?? null) : selected;
  return { list, rows, failure, load, version, selection, setSelection, selected, focused, working, actionFailure, setActionFailure, act };
}
