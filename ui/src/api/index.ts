/**
 * The transport seam: the only module of the UI that talks to a site.
 *
 * Features call `call(name, args)` with a command name from the generated `Commands` map
 * (src-tauri/crates/site/src/api/mod.rs is the source of truth) and get its typed result, or
 * a rejected `ApiFailure` carrying the backend's `ApiError { code, message }`. Events
 * (`SiteEvent`) arrive through `subscribe`.
 *
 * Two transports, chosen once when this module loads:
 * - Tauri IPC (desktop app, detected by `__TAURI_INTERNALS__`): `invoke("call", { command,
 *   args })` and the `site-event` event.
 * - HTTP against `patchdeck serve`: `POST /api/v1/commands/<name>` with a bearer token, and
 *   `GET /api/v1/events` (Server-Sent Events read through fetch, since EventSource cannot
 *   send headers). The token comes from `#token=` in the address bar or the sign-in box and
 *   lives in sessionStorage; a 401 clears it so the sign-in box comes back.
 *
 * Nothing outside `ui/src/api/` imports `@tauri-apps/api` or calls `fetch`, and no wire type
 * is written by hand: they are re-exported from `./generated/` (ts-rs output), passed through
 * `Json<T>` (see json.ts) because JSON numbers never arrive as bigint.
 */
import type { Commands as GeneratedCommands, CommandName } from "./generated/commands";
import type * as G from "./generated-types";
import { ApiFailure } from "./errors";
import { closeSession, createHttpTransport, openSession } from "./http";
import { createTauriTransport } from "./tauri";
import { clearToken, getToken, onTokenChange, setToken } from "./token";
import { isTauri, type Transport } from "./transport";
import type { Json } from "./json";

export type { CommandName, Json };
export type Commands = { [K in CommandName]: { args: Json<GeneratedCommands[K]["args"]>; result: Json<GeneratedCommands[K]["result"]> } };
export type ApiError = Json<G.ApiError>;
export type AuditEntry = Json<G.AuditEntry>;
export type AuditQuery = Json<G.AuditQuery>;
export type CategoryInfo = Json<G.CategoryInfo>;
export type CategoryKind = G.CategoryKind;
export type ErrorCode = G.ErrorCode;
export type FileInfo = Json<G.FileInfo>;
export type LocalizedInfo = Json<G.LocalizedInfo>;
export type PrerequisiteInfo = Json<G.PrerequisiteInfo>;
export type ScheduleKind = G.ScheduleKind;
export type SiteEvent = Json<G.SiteEvent>;
export type SiteInfo = Json<G.SiteInfo>;
export type SortSpec = Json<G.SortSpec>;
export type SyncCoverage = Json<G.SyncCoverage>;
export type SyncLogEntry = Json<G.SyncLogEntry>;
export type SyncRunInfo = Json<G.SyncRunInfo>;
export type SyncSchedule = Json<G.SyncSchedule>;
export type SyncSettings = Json<G.SyncSettings>;
export type SyncSource = G.SyncSource;
export type SyncState = G.SyncState;
export type SyncStatus = Json<G.SyncStatus>;
export type UpdateColumn = G.UpdateColumn;
export type UpdateDetails = Json<G.UpdateDetails>;
export type UpdatePage = Json<G.UpdatePage>;
export type UpdateQuery = Json<G.UpdateQuery>;
export type UpdateRef = Json<G.UpdateRef>;
export type UpdateRow = Json<G.UpdateRow>;
export type WhoAmI = Json<G.WhoAmI>;
export type Permission = G.Permission;
export type Administrator = Json<G.Administrator>;
export type SecurityRole = Json<G.SecurityRole>;
export type ApiTokenInfo = Json<G.ApiTokenInfo>;

export { ApiFailure, toApiFailure } from "./errors";
export { adoptTokenFromLocation, clearToken, getToken, onTokenChange, tokenWasRejected } from "./token";

/** Picks the transport for this window: Tauri IPC inside the app, HTTP otherwise. */
export function createTransport(win: object | undefined = typeof window === "undefined" ? undefined : window): Transport {
  return isTauri(win) ? createTauriTransport() : createHttpTransport({ baseUrl: import.meta.env.VITE_PATCHDECK_API ?? "" });
}

const transport: Transport = createTransport();

/** Which transport this window uses. */
export const transportKind: Transport["kind"] = transport.kind;

/** True when calls cannot succeed until the user gives the server's token. */
export function needsSignIn(): boolean {
  return transport.kind === "http" && getToken() === null;
}

/** Runs one site command. Rejects with an `ApiFailure`. */
export function call<K extends CommandName>(name: K, args: Commands[K]["args"]): Promise<Commands[K]["result"]> {
  return transport.call(name, args) as Promise<Commands[K]["result"]>;
}

/**
 * Checks `token` against the server (site_info) and keeps it only if accepted; the console
 * is told (onTokenChange) once it works. Rejects with the server's ApiFailure otherwise.
 */
export async function signIn(token: string): Promise<void> {
  setToken(token, { notify: false });
  try {
    await call("site_info", {});
  } catch (e) {
    clearToken({ notify: false, reason: e instanceof ApiFailure && e.code === "Unauthorized" ? "rejected" : undefined });
    throw e;
  }
  setToken(token);
}

/**
 * Signs an administrator in with a name and password (POST /api/v1/session); the session
 * token it answers is kept like an access token. Rejects with the server's ApiFailure.
 */
export async function signInWithPassword(name: string, password: string): Promise<void> {
  const token = await openSession(import.meta.env.VITE_PATCHDECK_API ?? "", name, password);
  setToken(token);
}

/** Forgets the token; a session also ends on the server, so a copy of it stops working. */
export function signOut(): void {
  const token = getToken();
  if (token?.startsWith("pds_")) void closeSession(import.meta.env.VITE_PATCHDECK_API ?? "", token);
  clearToken({ reason: "signOut" });
}

// One event connection for the whole window, shared by every subscriber, and reopened when
// the token changes (after a sign-in that followed a 401).
type Handler = (event: SiteEvent) => void;
type ErrorHandler = (failure: ApiFailure) => void;
const handlers = new Set<{ onEvent: Handler; onError?: ErrorHandler }>();
let stopConnection: (() => void) | null = null;

function connect(): void {
  stopConnection?.();
  stopConnection = null;
  if (handlers.size === 0 || needsSignIn()) return;
  stopConnection = transport.subscribe(
    (event) => handlers.forEach((h) => h.onEvent(event)),
    (failure) => handlers.forEach((h) => h.onError?.(failure)),
  );
}

onTokenChange(connect);

/** Delivers every SiteEvent to `handler` until the returned function is called. */
export function subscribe(handler: Handler, onError?: ErrorHandler): () => void {
  const entry = { onEvent: handler, onError };
  handlers.add(entry);
  if (handlers.size === 1) connect();
  return () => {
    handlers.delete(entry);
    if (handlers.size === 0) {
      stopConnection?.();
      stopConnection = null;
    }
  };
}
