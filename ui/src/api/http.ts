// HTTP transport: `patchdeck serve`. POST /api/v1/commands/<name>, events as SSE over fetch.
import type { SiteEvent as WireSiteEvent } from "./generated/SiteEvent";
import type { Json } from "./json";

type SiteEvent = Json<WireSiteEvent>;
import { ApiFailure, codeForStatus, isApiError, toApiFailure } from "./errors";
import { clearToken, getToken } from "./token";
import type { EventHandler, Transport } from "./transport";

export interface HttpTransportOptions {
  /** Origin and path prefix of the server; "" means the page's own origin. */
  baseUrl?: string;
  fetchImpl?: typeof fetch;
  /** Delay before reconnecting the event stream after it drops. */
  reconnectMs?: number;
}

export function createHttpTransport(options: HttpTransportOptions = {}): Transport {
  const baseUrl = (options.baseUrl ?? "").replace(/\/$/, "");
  const doFetch: typeof fetch = options.fetchImpl ?? ((input, init) => fetch(input, init));
  const reconnectMs = options.reconnectMs ?? 3000;

  function headers(): Record<string, string> {
    const h: Record<string, string> = { "Content-Type": "application/json" };
    const token = getToken();
    if (token) h.Authorization = `Bearer ${token}`;
    return h;
  }

  async function failureOf(response: Response): Promise<ApiFailure> {
    if (response.status === 401) clearToken({ reason: "rejected" });
    let body: unknown = undefined;
    try {
      body = await response.json();
    } catch {
      /* not JSON */
    }
    if (isApiError(body)) return new ApiFailure(body);
    return new ApiFailure({
      code: codeForStatus(response.status),
      message: `The site server answered ${response.status} ${response.statusText}`.trim() + ".",
    });
  }

  async function call(name: string, args: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await doFetch(`${baseUrl}/api/v1/commands/${encodeURIComponent(name)}`, {
        method: "POST",
        headers: headers(),
        body: JSON.stringify(args ?? {}),
      });
    } catch (e) {
      throw toApiFailure(
        `The site server cannot be reached (${e instanceof Error ? e.message : String(e)}).`,
        "Unavailable",
      );
    }
    if (!response.ok) throw await failureOf(response);
    try {
      return await response.json();
    } catch (e) {
      throw toApiFailure(`The answer to ${name} is not valid JSON (${String(e)}).`, "Internal");
    }
  }

  function subscribe(handler: EventHandler, onError?: (e: ApiFailure) => void): () => void {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;

    const connect = async () => {
      try {
        const response = await doFetch(`${baseUrl}/api/v1/events`, {
          headers: { ...headers(), Accept: "text/event-stream" },
          signal: controller.signal,
        });
        if (!response.ok) {
          const failure = await failureOf(response);
          onError?.(failure);
          if (failure.code === "Unauthorized" || failure.code === "Forbidden") return; // no retry loop
        } else if (response.body) {
          const parser = new SseParser();
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            for (const data of parser.push(value)) {
              try {
                handler(JSON.parse(data) as SiteEvent);
              } catch {
                /* a malformed event is dropped, the stream goes on */
              }
            }
          }
        }
      } catch (e) {
        if (stopped) return;
        onError?.(toApiFailure(`The event stream was interrupted (${String(e)}).`, "Unavailable"));
      }
      if (!stopped) timer = setTimeout(connect, reconnectMs);
    };
    void connect();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      controller.abort();
    };
  }

  return { kind: "http", call, subscribe };
}

/**
 * Incremental parser of a text/event-stream body: feed it chunks, get back the `data`
 * payload of each complete event (multi-line data joined with "\n", as the spec says).
 */
export class SseParser {
  private buffer = "";
  private data: string[] = [];

  push(chunk: string): string[] {
    this.buffer += chunk;
    const out: string[] = [];
    let nl: number;
    while ((nl = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.buffer.slice(0, nl);
      const sepLen = this.buffer.startsWith("\r\n", nl) ? 2 : 1;
      this.buffer = this.buffer.slice(nl + sepLen);
      if (line === "") {
        if (this.data.length > 0) out.push(this.data.join("\n"));
        this.data = [];
      } else if (line.startsWith("data:")) {
        this.data.push(line.slice(5).replace(/^ /, ""));
      }
      // Other fields (event:, id:, retry:) and comments (":") carry nothing the UI needs.
    }
    return out;
  }
}

async function sessionFailure(response: Response): Promise<ApiFailure> {
  let body: unknown = undefined;
  try {
    body = await response.json();
  } catch {
    /* not JSON */
  }
  if (isApiError(body)) return new ApiFailure(body);
  return new ApiFailure({ code: codeForStatus(response.status), message: `The site server answered ${response.status}.` });
}

/** POST /api/v1/session: a console session's token for a name and password. */
export async function openSession(baseUrl: string, name: string, password: string, doFetch: typeof fetch = fetch): Promise<string> {
  let response: Response;
  try {
    response = await doFetch(`${baseUrl.replace(/\/$/, "")}/api/v1/session`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name, password }),
    });
  } catch (e) {
    throw toApiFailure(`The site server cannot be reached (${e instanceof Error ? e.message : String(e)}).`, "Unavailable");
  }
  if (!response.ok) throw await sessionFailure(response);
  const body = (await response.json()) as { token?: unknown };
  if (typeof body.token !== "string") throw toApiFailure("The sign-in answer holds no session.", "Internal");
  return body.token;
}

/** DELETE /api/v1/session: ends the session on the server (best effort: the console forgets it anyway). */
export async function closeSession(baseUrl: string, token: string, doFetch: typeof fetch = fetch): Promise<void> {
  try {
    await doFetch(`${baseUrl.replace(/\/$/, "")}/api/v1/session`, { method: "DELETE", headers: { Authorization: `Bearer ${token}` } });
  } catch {
    /* the server is gone: the session expires there by itself */
  }
}
