// The shape both transports share, and the one-time choice between them.
import type { SiteEvent as WireSiteEvent } from "./generated/SiteEvent";
import type { Json } from "./json";

type SiteEvent = Json<WireSiteEvent>;
import type { ApiFailure } from "./errors";

export type EventHandler = (event: SiteEvent) => void;

export interface Transport {
  readonly kind: "tauri" | "http";
  call(name: string, args: unknown): Promise<unknown>;
  /** Starts delivering events; returns the function that stops it. */
  subscribe(handler: EventHandler, onError?: (failure: ApiFailure) => void): () => void;
}

/** Inside the Tauri webview the runtime injects `__TAURI_INTERNALS__` before any script runs. */
export function isTauri(win: object | undefined = typeof window === "undefined" ? undefined : window): boolean {
  return win !== undefined && "__TAURI_INTERNALS__" in win;
}
