// Plain W3C WebDriver over fetch, shared by the desktop smoke test and the desktop start
// benchmark (benches/desktop_start.mjs): the client, waiting, and the XPaths that find the
// console's controls by ARIA role and visible text.

export const DRIVER = process.env.WEBDRIVER_URL ?? "http://127.0.0.1:4444";

// A debug build on two cores takes a while to start and to render its first screen.
export const STEP_TIMEOUT_MS = 30_000;
export const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
// A wedged driver must fail a step, not hang the run.
export const REQUEST_TIMEOUT_MS = 20_000;
export const SESSION_TIMEOUT_MS = 60_000;

// --- W3C WebDriver over fetch ---------------------------------------------------------------

export async function wd(method, route, body, timeoutMs = REQUEST_TIMEOUT_MS) {
  let res;
  try {
    res = await fetch(DRIVER + route, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    const why = e.name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : e.message;
    throw new Error(`${method} ${route}: ${why}`);
  }
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${method} ${route}: HTTP ${res.status}, not JSON: ${text.slice(0, 300)}`);
  }
  if (!res.ok || (json.value && json.value.error)) {
    const v = json.value ?? {};
    throw new Error(`${method} ${route}: ${v.error ?? res.status}: ${v.message ?? text.slice(0, 300)}`);
  }
  return json.value;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Retries `probe` until it returns a truthy value; the last error explains a timeout. */
export async function waitFor(what, probe, timeoutMs = STEP_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${lastError.message})` : ""}`);
    }
    await sleep(250);
  }
}

export class Session {
  constructor(id) {
    this.id = id;
  }
  static async create(application) {
    // No browserName: WebKitWebDriver refuses any name but its own ("Failed to match capabilities").
    const value = await wd(
      "POST",
      "/session",
      { capabilities: { alwaysMatch: { "tauri:options": { application } } } },
      SESSION_TIMEOUT_MS,
    );
    return new Session(value.sessionId);
  }
  cmd(method, route, body) {
    return wd(method, `/session/${this.id}${route}`, body);
  }
  async findAll(xpath) {
    const found = await this.cmd("POST", "/elements", { using: "xpath", value: xpath });
    return found.map((e) => e[ELEMENT]);
  }
  async first(xpaths) {
    for (const xpath of xpaths) {
      const [el] = await this.findAll(xpath);
      if (el) return el;
    }
    return undefined;
  }
  /** Rendered text. WebKitWebDriver's Get Element Text answers "" for the grid's rows
   *  (wider than the viewport), so the element's innerText is read instead. */
  async text(el) {
    const inner = await this.cmd("GET", `/element/${el}/property/innerText`);
    return typeof inner === "string" ? inner : this.cmd("GET", `/element/${el}/text`);
  }
  click(el) {
    return this.cmd("POST", `/element/${el}/click`, {});
  }
  /** Runs `script` in the page and returns what it returns. */
  execute(script, args = []) {
    return this.cmd("POST", "/execute/sync", { script, args });
  }
  /** W3C actions: one input source's steps, then their release. */
  async perform(source) {
    await this.cmd("POST", "/actions", { actions: [source] });
    await this.cmd("DELETE", "/actions");
  }
  /** Presses `keys` together (e.g. ["\uE009", "\uE010"] for Ctrl+End), then lets them go. */
  chord(keys) {
    const down = keys.map((value) => ({ type: "keyDown", value }));
    const up = [...keys].reverse().map((value) => ({ type: "keyUp", value }));
    return this.perform({ type: "key", id: "keyboard", actions: [...down, ...up] });
  }
  /** Runs `script` in the page; it gets `args` and a `done` callback as its arguments. */
  executeAsync(script, args) {
    return this.cmd("POST", "/execute/async", { script, args });
  }
  screenshot() {
    return this.cmd("GET", "/screenshot");
  }
  delete() {
    return wd("DELETE", `/session/${this.id}`);
  }
}

// --- What the test looks for ----------------------------------------------------------------

/** XPath string literal for any text (XPath 1.0 has no escapes). */
export function lit(s) {
  if (!s.includes("'")) return `'${s}'`;
  if (!s.includes('"')) return `"${s}"`;
  return `concat(${s.split("'").map((p) => `'${p}'`).join(`, "'", `)})`;
}

export const CLICKABLE = "@role='tab' or @role='button' or @role='menuitem' or @role='menuitemradio' or @role='link' or @role='option' or @role='radio' or @role='treeitem' or self::button or self::a";

/** The workspace switcher entry: a control whose own text is the name, else one that contains it. */
export function workspaceXPaths(name) {
  return [
    `//*[${CLICKABLE}][normalize-space(.)=${lit(name)}]`,
    `//*[${CLICKABLE}][.//text()[normalize-space(.)=${lit(name)}]]`,
  ];
}

/** A tree node: the innermost treeitem labelled `name` (a parent treeitem contains its children's text too). */
export function treeNodeXPaths(name) {
  const labelled = `.//text()[normalize-space(.)=${lit(name)}]`;
  return [
    `//*[@role='treeitem'][${labelled}][not(.//*[@role='treeitem'][${labelled}])]`,
    `//*[${CLICKABLE}][${labelled}]`,
  ];
}

/** Body rows of the grid: header rows hold columnheader cells, body rows do not. */
export const GRID_BODY_ROWS = "//*[@role='grid' or @role='treegrid']//*[@role='row'][not(.//*[@role='columnheader'])]";
