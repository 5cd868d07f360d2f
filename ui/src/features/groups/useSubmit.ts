// One pending change of a dialog: busy while it runs, its failure kept to show.
import { useCallback, useState } from "react";
import { toApiFailure, type ApiFailure } from "../../api";

export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const run = useCallback(async <T,>(work: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false }> => {
    setBusy(true);
    setFailure(null);
    try {
      return { ok: true, value: await work() };
    } catch (e) {
      setFailure(toApiFailure(e));
      return { ok: false };
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, failure, run, clear: () => setFailure(null) };
}
