// Desktop smoke test body: plain W3C WebDriver over fetch against tauri-driver.
// Started by run.sh inside Xvfb with the driver already launched; reads its setup from env:
// WEBDRIVER_URL, DESKTOP_BIN (absolute), SHARED_DIR, SMOKE_OUT, SMOKE_LOG, and SMOKE_LATE_XML
// (an update document run.sh left out of the site, imported here to make a site event).
// Elements are found by ARIA role and visible text, so markup details of the UI can change.

import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import {
  GRID_BODY_ROWS,
  lit,
  Session,
  treeNodeXPaths,
  waitFor,
  wd,
  workspaceXPaths,
} from "./webdriver.mjs";

const DESKTOP_BIN = process.env.DESKTOP_BIN;
const SHARED_DIR = process.env.SHARED_DIR;
const OUT = process.env.SMOKE_OUT ?? ".";
const LOG = process.env.SMOKE_LOG;
const LATE_XML = process.env.SMOKE_LATE_XML;
const SCREENSHOT = path.join(OUT, "desktop-smoke.png");
const BUNDLE_XML = "fixtures/wsusss/updates/a2fef9b0-7951-4c2c-a42b-9e351dd1c1fe-r200.xml";

// --- What the test looks for ----------------------------------------------------------------

function decodeXml(s) {
  return s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#([0-9]+);/g, (_, d) => String.fromCodePoint(parseInt(d, 10)))
    .replace(/&amp;/g, "&");
}

/** The English title of the fixture bundle, read from the update XML so the test follows the fixture. */
function fixtureTitle() {
  const xml = readFileSync(path.join(SHARED_DIR, BUNDLE_XML), "utf8");
  for (const m of xml.matchAll(/<upd:LocalizedProperties>([\s\S]*?)<\/upd:LocalizedProperties>/g)) {
    if (/<upd:Language>\s*en\s*<\/upd:Language>/.test(m[1])) {
      const title = /<upd:Title>([\s\S]*?)<\/upd:Title>/.exec(m[1]);
      if (title) return decodeXml(title[1]).trim();
    }
  }
  throw new Error(`no English <upd:Title> in ${BUNDLE_XML}`);
}

/**
 * In the page: listens on "site-event" exactly as the UI's api module does, imports one
 * document through the `call` command, and reports the answer and the events seen. This is
 * the one place the test talks IPC itself: it proves the capability file lets `listen`
 * through and that the shell forwards site events, which no screen shows yet.
 */
const IMPORT_AND_WATCH_EVENTS = `
  const [doc, done] = arguments;
  const ipc = window.__TAURI_INTERNALS__;
  const events = [];
  const handler = ipc.transformCallback((event) => events.push(event.payload));
  ipc.invoke("plugin:event|listen", { event: "site-event", target: { kind: "Any" }, handler })
    .then(() => ipc.invoke("call", { command: "import_xml", args: { documents: [doc] } }))
    .then((report) => {
      const started = Date.now();
      (function wait() {
        if (events.length > 0 || Date.now() - started > 5000) done({ report, events });
        else setTimeout(wait, 50);
      })();
    })
    .catch((error) => done({ error }));
`;

// --- The steps ------------------------------------------------------------------------------

/**
 * The native Save dialog (tauri-plugin-dialog's GTK file chooser, a window of its own that
 * WebDriver cannot see) driven as a user would with the keyboard, through xdotool: wait for
 * the window titled `title`, give it the input focus (no window manager runs under Xvfb, so
 * focus, not activate), replace the Name field's text with `file` (a full path is accepted
 * there) and press Enter.
 */
function typeIntoSaveDialog(title, file) {
  const xdotool = (args, timeout = 10_000) => execFileSync("xdotool", args, { encoding: "utf8", timeout }).trim();
  const ids = xdotool(["search", "--sync", "--onlyvisible", "--name", title], 20_000).split("\n").filter(Boolean);
  if (ids.length === 0) throw new Error(`no window titled "${title}"`);
  const win = ids[ids.length - 1];
  xdotool(["windowfocus", "--sync", win]);
  xdotool(["key", "--clearmodifiers", "ctrl+a"]);
  xdotool(["type", "--delay", "30", file]);
  // GTK completes a typed path inline; Enter after a pause takes the field as typed.
  execFileSync("sleep", ["0.5"]);
  xdotool(["key", "Return"]);
  return win;
}

/** The value of the text field labelled `label` in the page, or undefined. */
const FIELD_VALUE = `
  const [label] = arguments;
  const l = [...document.querySelectorAll("label")].find((e) => e.textContent.trim().replace(/\\s*\\*$/, "") === label);
  const input = l && (document.getElementById(l.htmlFor) ?? l.parentElement?.querySelector("input"));
  return input ? input.value : null;
`;

const results = [];
let session;

async function step(name, fn) {
  const started = Date.now();
  try {
    const detail = await fn();
    results.push({ name, ok: true });
    console.log(`ok   ${name} (${Date.now() - started} ms)${detail ? `: ${detail}` : ""}`);
    return true;
  } catch (e) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name} (${Date.now() - started} ms): ${e.message}`);
    return false;
  }
}

async function main() {
  if (!DESKTOP_BIN || !path.isAbsolute(DESKTOP_BIN)) throw new Error("DESKTOP_BIN must be an absolute path");
  if (!SHARED_DIR) throw new Error("SHARED_DIR is not set");
  const title = fixtureTitle();

  const steps = [
    ["tauri-driver is ready", async () => {
      await waitFor("GET /status ready", async () => (await wd("GET", "/status")).ready !== false);
    }],
    ["the app window opens under automation", async () => {
      session = await Session.create(DESKTOP_BIN);
      return `session ${session.id}`;
    }],
    ["the Software Library workspace opens", async () => {
      const el = await waitFor("a 'Software Library' control", () => session.first(workspaceXPaths("Software Library")));
      await session.click(el);
    }],
    ["the All Software Updates node opens", async () => {
      let el = await session.first(treeNodeXPaths("All Software Updates")).catch(() => undefined);
      if (!el) {
        // A collapsed "Software Updates" parent hides the node until expanded.
        const parent = await session.first(treeNodeXPaths("Software Updates")).catch(() => undefined);
        if (parent) await session.click(parent);
        el = await waitFor("the 'All Software Updates' tree node", () => session.first(treeNodeXPaths("All Software Updates")));
      }
      await session.click(el);
    }],
    ["the grid lists the fixture bundle", async () => {
      const texts = await waitFor(`grid rows containing "${title}"`, async () => {
        const rows = await session.findAll(GRID_BODY_ROWS);
        if (rows.length === 0) return undefined;
        const texts = [];
        for (const r of rows) texts.push((await session.text(r)).replace(/\s+/g, " ").trim());
        return texts.some((t) => t.includes(title)) ? texts : undefined;
      });
      return `${texts.length} rows shown, one is "${title}"`;
    }],
    ["an import over IPC reaches the window as a site event", async () => {
      if (!LATE_XML) throw new Error("SMOKE_LATE_XML is not set");
      const doc = readFileSync(LATE_XML, "utf8");
      const out = await session.executeAsync(IMPORT_AND_WATCH_EVENTS, [doc]);
      if (out.error) throw new Error(`the page's IPC failed: ${JSON.stringify(out.error)}`);
      if (!(out.report?.newRevisions >= 1)) throw new Error(`import_xml imported nothing: ${JSON.stringify(out.report)}`);
      const changed = out.events.find((e) => e.type === "catalogChanged");
      if (!changed) throw new Error(`no catalogChanged event within 5 s; events seen: ${JSON.stringify(out.events)}`);
      return `${path.basename(LATE_XML)} imported, event ${JSON.stringify(changed)}`;
    }],
    ["the app's log file holds its own lines and the webview's console", async () => {
      // tauri-plugin-log's folder on Linux: the data folder, the app's identifier, logs.
      const dataHome = process.env.XDG_DATA_HOME || path.join(process.env.HOME ?? "", ".local", "share");
      const file = path.join(dataHome, "org.patchdeck.console", "logs", "patchdeck.log");
      const marker = `smoke console line ${Date.now()}`;
      await session.executeAsync(`const [m, done] = arguments; console.warn(m); done(true);`, [marker]);
      const text = await waitFor(`${file} to hold "${marker}"`, () => {
        try {
          const t = readFileSync(file, "utf8");
          return t.includes(marker) ? t : undefined;
        } catch {
          return undefined;
        }
      });
      if (!text.includes("site opened")) throw new Error(`${file} has no "site opened" line from the app`);
      return `${file}: the app's "site opened" and the page's console.warn`;
    }],
    ["the Automatic Deployment Rules node opens with its wizard", async () => {
      const node = await waitFor("the 'Automatic Deployment Rules' tree node", () =>
        session.first(treeNodeXPaths("Automatic Deployment Rules")),
      );
      await session.click(node);
      const create = await waitFor("a 'Create Automatic Deployment Rule' command", () =>
        session.first(workspaceXPaths("Create Automatic Deployment Rule")),
      );
      await session.click(create);
      const heading = `//*[normalize-space(.)=${lit("Create Automatic Deployment Rule Wizard")}]`;
      await waitFor("the wizard's title", () => session.first([heading]));
      const cancel = await waitFor("the wizard's Cancel button", () => session.first(workspaceXPaths("Cancel")));
      await session.click(cancel);
      await waitFor("the wizard to close", async () =>
        (await session.first([heading]).catch(() => undefined)) ? undefined : true,
      );
    }],
    ["Export Catalog: Browse opens the Save dialog, the path typed there fills the field, and the export is written", async () => {
      const dir = mkdtempSync(path.join(tmpdir(), "patchdeck-smoke-export-"));
      const file = path.join(dir, "hq-export.tar.gz");
      try {
        const admin = await waitFor("an 'Administration' control", () => session.first(workspaceXPaths("Administration")));
        await session.click(admin);
        await session.click(await waitFor("the 'Sites' tree node", () => session.first(treeNodeXPaths("Sites"))));
        let command = await waitFor("an 'Export Catalog...' or 'More commands' control", async () =>
          (await session.first(workspaceXPaths("Export Catalog..."))) ?? (await session.first([`//*[@aria-label=${lit("More commands")}]`])),
        );
        if ((await session.text(command)).trim() !== "Export Catalog...") {
          await session.click(command);
          command = await waitFor("the 'Export Catalog...' menu item", () => session.first(workspaceXPaths("Export Catalog...")));
        }
        await session.click(command);
        const browse = await waitFor("the dialog's 'Browse...' button", () => session.first(workspaceXPaths("Browse...")));
        await session.click(browse);
        typeIntoSaveDialog("Save the catalog export as", file);
        const value = await waitFor(`the File path field to read ${file}`, async () =>
          (await session.execute(FIELD_VALUE, ["File path"])) === file ? file : undefined,
        );
        await session.click(await waitFor("the 'Export' button", () => session.first([`//button[normalize-space(.)='Export']`])));
        await waitFor("'Export complete'", () => session.first([`//*[normalize-space(.)=${lit("Export complete")}]`]), 60_000);
        if (!existsSync(file)) throw new Error(`${file} was not written`);
        const size = statSync(file).size;
        if (size === 0) throw new Error(`${file} is empty`);
        const close = await waitFor("the 'Close' button", () => session.first([`//button[normalize-space(.)='Close']`]));
        await session.click(close);
        await waitFor("the Export Catalog dialog to close", async () =>
          (await session.first([`//*[normalize-space(.)=${lit("Export complete")}]`])) ? undefined : true,
        );
        return `field set to ${value} by the GTK Save dialog; ${size} bytes written`;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }],
  ];

  for (const [name, fn] of steps) {
    if (!(await step(name, fn))) break;
  }
  for (const [name] of steps.slice(results.length)) console.log(`skip ${name}`);

  if (session) {
    // Taken on failure too: the picture is the quickest diagnosis.
    await step("screenshot saved", async () => {
      const png = Buffer.from(await session.screenshot(), "base64");
      writeFileSync(SCREENSHOT, png);
      return `${SCREENSHOT} (${png.length} bytes)`;
    });
    await step("session closes", () => session.delete());
  }
}

let crashed = false;
try {
  await main();
} catch (e) {
  crashed = true;
  console.log(`FAIL setup: ${e.message}`);
}
const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed + (crashed ? 1 : 0);
if (failed > 0 && LOG) {
  try {
    const lines = readFileSync(LOG, "utf8").trimEnd().split("\n");
    console.log(`--- last lines of ${LOG} ---`);
    console.log(lines.slice(-40).join("\n"));
    console.log("---");
  } catch {
    // No log is itself a clue, but not worth a second failure.
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
