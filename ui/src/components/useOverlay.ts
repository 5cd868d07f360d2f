// A dialog or wizard a page opens over itself: what it was opened on (a row, a mode), and,
// when it closes having saved something, the page's rows read again.
import { useState } from "react";

export interface Overlay<V> {
  /** What the overlay was opened on; null while it is closed. */
  value: V | null;
  open(value: V): void;
  /** Closes it; a truthy `saved` (what the overlay saved) has the page read its rows again. */
  close(saved?: unknown): void;
}

export function useOverlay<V = true>(reload: () => void): Overlay<V> {
  const [value, setValue] = useState<V | null>(null);
  return {
    value,
    open: setValue,
    close: (saved) => {
      setValue(null);
      if (saved) reload();
    },
  };
}
