// The command a dialog sends on OK / Yes: busy while it runs (the dialog then stays open), and
// the site's refusal kept for the dialog to show, so the administrator can correct and retry.
import { useState } from "react";
import { toApiFailure, type ApiFailure } from "../api";

export function useDialogAction<T>(onDone: (value: T) => void): {
  busy: boolean;
  failure: ApiFailure | null;
  run(action: () => Promise<T>): Promise<void>;
} {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const run = async (action: () => Promise<T>) => {
    setBusy(true);
    setFailure(null);
    try {
      onDone(await action());
    } catch (e) {
      setFailure(toApiFailure(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, failure, run };
}
