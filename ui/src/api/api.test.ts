// The transport seam: choice of transport, HTTP requests, error mapping, events, token.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiFailure, codeForStatus, toApiFailure } from "./errors";
import { SseParser, createHttpTransport } from "./http";
import { adoptTokenFromLocation, clearToken, getToken, setToken, tokenWasRejected } from "./token";
import { isTauri } from "./transport";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn() }));

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

beforeEach(() => sessionStorage.clear());
afterEach(() => vi.restoreAllMocks());

describe("transport selection", () => {
  it("detects the Tauri webview by __TAURI_INTERNALS__", () => {
    expect(isTauri({ __TAURI_INTERNALS__: {} })).toBe(true);
    expect(isTauri({})).toBe(false);
    expect(isTauri(undefined)).toBe(false);
  });

  it("createTransport picks tauri or http once", async () => {
    const { createTransport } = await import("./index");
    expect(createTransport({ __TAURI_INTERNALS__: {} }).kind).toBe("tauri");
    expect(createTransport({}).kind).toBe("http");
  });

  it("the module's own transport is HTTP in a plain browser window", async () => {
    const api = await import("./index");
    expect(api.transportKind).toBe("http");
    expect(api.needsSignIn()).toBe(true);
    setToken("abc");
    expect(api.needsSignIn()).toBe(false);
  });
});

describe("HTTP transport", () => {
  it("posts the args to /api/v1/commands/<name> with the bearer token", async () => {
    setToken("s3cret");
    const fetchImpl = vi.fn(async () => jsonResponse(200, { total: 0, offset: 0, rows: [] }));
    const t = createHttpTransport({ fetchImpl, baseUrl: "http://127.0.0.1:8470/" });
    const result = await t.call("list_updates", { offset: 0, limit: 100 });
    expect(result).toEqual({ total: 0, offset: 0, rows: [] });
    const [url, init] = fetchImpl.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("http://127.0.0.1:8470/api/v1/commands/list_updates");
    expect(init.method).toBe("POST");
    expect((init.headers as Record<string, string>).Authorization).toBe("Bearer s3cret");
    expect(JSON.parse(init.body as string)).toEqual({ offset: 0, limit: 100 });
  });

  it("passes the backend's ApiError through unchanged", async () => {
    const fetchImpl = vi.fn(async () => jsonResponse(404, { code: "NotFound", message: "No update a2fef9b0 in this site." }));
    const t = createHttpTransport({ fetchImpl });
    const failure = await t.call("get_update", { updateId: "a2fef9b0" }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiFailure);
    expect((failure as ApiFailure).code).toBe("NotFound");
    expect((failure as ApiFailure).message).toBe("No update a2fef9b0 in this site.");
  });

  it.each([
    [400, "Validation"],
    [403, "Forbidden"],
    [409, "Conflict"],
    [500, "Internal"],
    [503, "Unavailable"],
  ] as const)("maps a bare %i to %s", async (status, code) => {
    const fetchImpl = vi.fn(async () => new Response("<html>proxy error</html>", { status }));
    const t = createHttpTransport({ fetchImpl });
    const failure = (await t.call("site_info", {}).catch((e: unknown) => e)) as ApiFailure;
    expect(failure.code).toBe(code);
    expect(failure.message).toContain(String(status));
  });

  it("forgets the token on 401 so the sign-in box comes back", async () => {
    setToken("old");
    const fetchImpl = vi.fn(async () => jsonResponse(401, { code: "Unauthorized", message: "A valid token is required." }));
    const t = createHttpTransport({ fetchImpl });
    const failure = (await t.call("site_info", {}).catch((e: unknown) => e)) as ApiFailure;
    expect(failure.code).toBe("Unauthorized");
    expect(getToken()).toBeNull();
    expect(tokenWasRejected()).toBe(true);
  });

  it("reports an unreachable server as Unavailable", async () => {
    const fetchImpl = vi.fn(async () => {
      throw new TypeError("Failed to fetch");
    });
    const t = createHttpTransport({ fetchImpl });
    const failure = (await t.call("site_info", {}).catch((e: unknown) => e)) as ApiFailure;
    expect(failure.code).toBe("Unavailable");
    expect(failure.message).toContain("Failed to fetch");
  });

  it("reads events from the SSE stream with the token", async () => {
    setToken("tok");
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode(': hello\n\ndata: {"type":"catalogChanged","newUp'));
        controller.enqueue(encoder.encode('dates":3,"newRevisions":4}\n\n'));
        controller.enqueue(encoder.encode('data: {"type":"progress","job":"sync","done":1,"total":2,"message":"x"}\n\n'));
        controller.close();
      },
    });
    const fetchImpl = vi.fn(async () => new Response(body, { status: 200, headers: { "Content-Type": "text/event-stream" } }));
    const t = createHttpTransport({ fetchImpl, reconnectMs: 60_000 });
    const events: unknown[] = [];
    const stop = t.subscribe((e) => events.push(e));
    await vi.waitFor(() => expect(events).toHaveLength(2));
    stop();
    expect(events[0]).toEqual({ type: "catalogChanged", newUpdates: 3, newRevisions: 4 });
    const [url, init] = fetchImpl.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("/api/v1/events");
    expect((init.headers as Record<string, string>).Authorization).toBe("Bearer tok");
  });

  it("does not retry the event stream after 401", async () => {
    setToken("bad");
    const fetchImpl = vi.fn(async () => jsonResponse(401, { code: "Unauthorized", message: "no" }));
    const t = createHttpTransport({ fetchImpl, reconnectMs: 1 });
    const errors: ApiFailure[] = [];
    const stop = t.subscribe(() => {}, (f) => errors.push(f));
    await vi.waitFor(() => expect(errors).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 20));
    stop();
    expect(fetchImpl).toHaveBeenCalledTimes(1);
    expect(errors[0].code).toBe("Unauthorized");
  });
});

describe("Tauri transport", () => {
  it("invokes the one `call` command and maps a rejected ApiError", async () => {
    const core = await import("@tauri-apps/api/core");
    const invoke = vi.mocked(core.invoke);
    invoke.mockResolvedValueOnce({ siteName: "S" });
    const { createTauriTransport } = await import("./tauri");
    const t = createTauriTransport();
    await expect(t.call("site_info", {})).resolves.toEqual({ siteName: "S" });
    expect(invoke).toHaveBeenCalledWith("call", { command: "site_info", args: {} });

    invoke.mockRejectedValueOnce({ code: "Conflict", message: "Already running." });
    const failure = (await t.call("import_xml", { documents: [] }).catch((e: unknown) => e)) as ApiFailure;
    expect(failure).toBeInstanceOf(ApiFailure);
    expect(failure.code).toBe("Conflict");
    expect(failure.message).toBe("Already running.");
  });
});

describe("error mapping", () => {
  it("accepts ApiError objects, JSON strings and plain text", () => {
    expect(toApiFailure({ code: "Validation", message: "Bad limit." }).code).toBe("Validation");
    expect(toApiFailure('{"code":"NotFound","message":"gone"}').code).toBe("NotFound");
    const plain = toApiFailure("boom");
    expect(plain.code).toBe("Internal");
    expect(plain.message).toBe("boom");
    expect(toApiFailure({ code: "NoSuchCode", message: "x" }).code).toBe("Internal");
  });

  it("maps statuses to codes", () => {
    expect([400, 401, 403, 404, 409, 500, 503].map(codeForStatus)).toEqual([
      "Validation",
      "Unauthorized",
      "Forbidden",
      "NotFound",
      "Conflict",
      "Internal",
      "Unavailable",
    ]);
  });
});

describe("SSE parser", () => {
  it("joins split chunks, multi-line data and CRLF", () => {
    const p = new SseParser();
    expect(p.push("data: a")).toEqual([]);
    expect(p.push("bc\r\ndata: d\r\n\r\nid: 1\nevent: x\ndata:e\n")).toEqual(["abc\nd"]);
    expect(p.push("\n")).toEqual(["e"]);
    expect(p.push(":comment\n\n")).toEqual([]);
  });
});

describe("token", () => {
  it("moves #token= from the address bar to session storage", () => {
    window.history.replaceState(null, "", "/console?x=1#token=XYZ&view=updates");
    adoptTokenFromLocation();
    expect(getToken()).toBe("XYZ");
    expect(window.location.hash).toBe("#view=updates");
    expect(window.location.search).toBe("?x=1");
    window.history.replaceState(null, "", "/#token=Q");
    adoptTokenFromLocation();
    expect(window.location.href.endsWith("/")).toBe(true);
    expect(getToken()).toBe("Q");
    clearToken();
    expect(getToken()).toBeNull();
  });
});
