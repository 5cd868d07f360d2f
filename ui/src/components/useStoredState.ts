// Layout choices the console remembers across reloads (column widths and visibility, the
// details pane's height, a collapsed navigation pane). They live in this browser's
// localStorage under "patchdeck.<key>", never on the site: they are one administrator's
// habits, not the site's settings. An entry that cannot be read (another version's shape, a
// hand edit, storage refused) falls back to the default, so it never breaks a page.
import { useCallback, useState } from "react";

const PREFIX = "patchdeck.";

function storage(): Storage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null; // refused by the browser's privacy settings
  }
}

export function readStored<T>(key: string, fallback: T, accept: (value: unknown) => value is T): T {
  try {
    const text = storage()?.getItem(PREFIX + key);
    if (text === null || text === undefined) return fallback;
    const value: unknown = JSON.parse(text);
    return accept(value) ? value : fallback;
  } catch {
    return fallback;
  }
}

export function writeStored(key: string, value: unknown): void {
  try {
    storage()?.setItem(PREFIX + key, JSON.stringify(value));
  } catch {
    /* full or refused: the choice lasts until the page is reloaded */
  }
}

/**
 * `useState` remembered under `key`; with no key (a grid outside a console node, a test) it
 * is plain state. `accept` says whether a stored value has the expected shape.
 */
export function useStoredState<T>(
  key: string | undefined,
  fallback: T,
  accept: (value: unknown) => value is T,
): [T, (next: T) => void] {
  const read = () => (key === undefined ? fallback : readStored(key, fallback, accept));
  const [state, setState] = useState<{ key: string | undefined; value: T }>(() => ({ key, value: read() }));
  // Another node's grid may reuse this component: its own remembered value then applies.
  const current = state.key === key ? state.value : read();
  if (state.key !== key) setState({ key, value: current });
  const set = useCallback(
    (next: T) => {
      setState({ key, value: next });
      if (key !== undefined) writeStored(key, next);
    },
    [key],
  );
  return [current, set];
}
