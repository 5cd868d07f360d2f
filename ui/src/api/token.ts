// The bearer token of `patchdeck serve`: taken from `#token=` once, then kept for the tab only.

const STORAGE_KEY = "patchdeck.token";

type Listener = () => void;
const listeners = new Set<Listener>();

function storage(): Storage | null {
  try {
    return typeof sessionStorage === "undefined" ? null : sessionStorage;
  } catch {
    return null;
  }
}

/**
 * Moves a token found in the address bar (`#token=XYZ`) into session storage and removes it
 * from the address bar, so it is neither bookmarked nor left in the history.
 */
export function adoptTokenFromLocation(loc: Location = window.location, hist: History = window.history): void {
  const hash = loc.hash.startsWith("#") ? loc.hash.slice(1) : loc.hash;
  if (!hash) return;
  const params = new URLSearchParams(hash);
  const token = params.get("token");
  if (token === null) return;
  if (token) storage()?.setItem(STORAGE_KEY, token);
  params.delete("token");
  const rest = params.toString();
  hist.replaceState(hist.state, "", loc.pathname + loc.search + (rest ? `#${rest}` : ""));
}

export function getToken(): string | null {
  return storage()?.getItem(STORAGE_KEY) || null;
}

let rejected = false;

/** Stores the token; `notify: false` lets a sign-in check it before the console switches. */
export function setToken(token: string, options: { notify?: boolean } = {}): void {
  storage()?.setItem(STORAGE_KEY, token.trim());
  rejected = false;
  if (options.notify !== false) listeners.forEach((l) => l());
}

/** Forgets the token; `reason: "rejected"` when the server answered 401. */
export function clearToken(options: { reason?: "rejected" | "signOut"; notify?: boolean } = {}): void {
  const had = getToken() !== null;
  storage()?.removeItem(STORAGE_KEY);
  if (options.reason === "rejected") rejected = true;
  if (had && options.notify !== false) listeners.forEach((l) => l());
}

/** True when the last token was refused by the server (so the sign-in box can say so). */
export function tokenWasRejected(): boolean {
  return rejected;
}

/** Called whenever the token is set or cleared (e.g. after a 401). */
export function onTokenChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
