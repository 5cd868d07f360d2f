// A page's one read from the site: the answer or the failure, and Retry / Refresh. An answer
// that arrives after the page left (or after a newer read started) is dropped.
import { useCallback, useEffect, useState } from "react";
import { toApiFailure, type ApiFailure } from "../api";

export interface Loaded<T> {
  /** Null until the first answer. */
  value: T | null;
  failure: ApiFailure | null;
  reload(): void;
  /** Replaces the answer held (after a change the page made itself). */
  set(update: (value: T | null) => T | null): void;
}

export function useLoad<T>(load: () => Promise<T>, key: string = ""): Loaded<T> {
  const [value, setValue] = useState<T | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let live = true;
    load().then(
      (v) => {
        if (!live) return;
        setValue(v);
        setFailure(null);
      },
      (e: unknown) => live && setFailure(toApiFailure(e)),
    );
    return () => {
      live = false;
    };
    // `load` is a new function each render; `key` says when it asks something else.
  }, [key, generation]); // eslint-disable-line react-hooks/exhaustive-deps
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { value, failure, reload, set: setValue };
}
