// What the signed-in administrator may do (the site's `whoami`), read once per sign-in, so
// a command bar can disable what the role or scope does not allow and say why.
import { useSyncExternalStore } from "react";
import { call, onTokenChange, type CommandName, type WhoAmI } from "../../api";

let current: WhoAmI | null = null;
let loading: Promise<void> | null = null;
const listeners = new Set<() => void>();

function load(): void {
  if (loading) return;
  // Through a resolved promise, so a call that throws is a failure like a refusal.
  loading = Promise.resolve()
    .then(() => call("whoami", {}))
    .then(
    (w) => {
      // An answer without the command table (an older server) disables nothing.
      current = w && Array.isArray(w.commands) && Array.isArray(w.permissions) ? w : null;
      listeners.forEach((l) => l());
    },
    () => {
      // Unknown: nothing is disabled; the server still refuses what is not allowed.
      loading = null;
    },
  );
}

onTokenChange(() => {
  current = null;
  loading = null;
  listeners.forEach((l) => l());
});

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  load();
  return () => listeners.delete(listener);
}

/** Why `who` may not run `command`; undefined when it may (or while unknown). */
export function deniedReason(who: WhoAmI | null, command: CommandName | undefined): string | undefined {
  if (!who || !command) return undefined;
  const need = who.commands.find((c) => c.name === command);
  if (!need) return undefined;
  if (need.permission && !who.permissions.includes(need.permission)) {
    return `Needs the ${need.permission} permission, which your role (${who.role}) does not have.`;
  }
  if (need.reach === "Site" && who.scope) {
    return "Acts on the whole site; you are limited to some collections.";
  }
  return undefined;
}

/** The signed-in administrator, or null until known. */
export function useWhoAmI(): WhoAmI | null {
  return useSyncExternalStore(subscribe, () => current);
}
