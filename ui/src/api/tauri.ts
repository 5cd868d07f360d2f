// Tauri transport: the desktop app. One IPC command `call` over the site API, events on "site-event".
import type { SiteEvent as WireSiteEvent } from "./generated/SiteEvent";
import type { Json } from "./json";

type SiteEvent = Json<WireSiteEvent>;
import { toApiFailure } from "./errors";
import type { EventHandler, Transport } from "./transport";

export function createTauriTransport(): Transport {
  async function call(name: string, args: unknown): Promise<unknown> {
    const { invoke } = await import("@tauri-apps/api/core");
    try {
      return await invoke("call", { command: name, args: args ?? {} });
    } catch (reason) {
      throw toApiFailure(reason);
    }
  }

  function subscribe(handler: EventHandler): () => void {
    let unlisten: (() => void) | null = null;
    let stopped = false;
    void import("@tauri-apps/api/event").then(({ listen }) =>
      listen<SiteEvent>("site-event", (event) => handler(event.payload)).then((fn) => {
        if (stopped) fn();
        else unlisten = fn;
      }),
    );
    return () => {
      stopped = true;
      unlisten?.();
    };
  }

  return { kind: "tauri", call, subscribe };
}
