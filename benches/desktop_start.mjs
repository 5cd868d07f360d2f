// One cold start of the desktop app, measured as a user meets it (issue 19): started by
// benches/desktop_start.sh inside Xvfb with tauri-driver listening. Prints one JSON line:
//   firstRowMs     app process start → first loaded row of All Software Updates
//   windowMappedMs app process start → the "Patchdeck" X window viewable
//   atFirstRow / afterSteps  resident and proportional memory (KiB) of the app and every
//                  process under it (WebKit's web and network processes), at the first row
//                  and after scrolling to the last row and opening Properties five times.
// Env: WEBDRIVER_URL, DESKTOP_BIN (absolute), PATCHDECK_SITE.

import { execFile } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { promisify } from "node:util";

import { ELEMENT, Session, sleep, waitFor, wd, workspaceXPaths } from "../tests/desktop/webdriver.mjs";

const DESKTOP_BIN = process.env.DESKTOP_BIN;
const SITE = process.env.PATCHDECK_SITE;
const run = promisify(execFile);

// --- The app's processes, from /proc ---------------------------------------------------------

const CLK_TCK = Number((await run("getconf", ["CLK_TCK"])).stdout.trim()) || 100;
const BOOT_EPOCH_MS = Number(/^btime (\d+)$/m.exec(readFileSync("/proc/stat", "utf8"))[1]) * 1000;

/** Fields of /proc/PID/stat after the command name (which may hold spaces). */
function statFields(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** The app started on this run's site: its binary and its PATCHDECK_SITE. */
function findApp() {
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      if (readlinkSync(`/proc/${pid}/exe`) !== DESKTOP_BIN) continue;
      const env = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
      if (env.includes(`PATCHDECK_SITE=${SITE}`)) return Number(pid);
    } catch {
      // A process that ended while we looked, or one we may not read.
    }
  }
  return undefined;
}

/** Wall-clock start of a process, from its start time in clock ticks after boot. */
function startedAtMs(pid) {
  return BOOT_EPOCH_MS + (Number(statFields(pid)[19]) * 1000) / CLK_TCK;
}

function descendants(root) {
  const children = new Map();
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const ppid = Number(statFields(pid)[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(pid));
    } catch {
      // Gone already.
    }
  }
  const out = [root];
  for (let i = 0; i < out.length; i++) out.push(...(children.get(out[i]) ?? []));
  return out;
}

/** Summed Rss and Pss (KiB) of the app and everything under it, and each process's share. */
function memory(app) {
  const total = { rssKiB: 0, pssKiB: 0, processes: [] };
  for (const pid of descendants(app)) {
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
      const rss = Number(/^Rss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
      const pss = Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
      const name = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
      total.rssKiB += rss;
      total.pssKiB += pss;
      total.processes.push({ name, rssKiB: rss, pssKiB: pss });
    } catch {
      // A helper process that ended between the listing and the read.
    }
  }
  return total;
}

// --- The window, from the X server -----------------------------------------------------------

/** Polls until a window named "Patchdeck" is viewable; resolves with that moment. */
async function windowMapped(deadline) {
  while (Date.now() < deadline) {
    try {
      const { stdout } = await run("xwininfo", ["-name", "Patchdeck"]);
      if (stdout.includes("IsViewable")) return Date.now();
    } catch {
      // Not created yet.
    }
    await sleep(10);
  }
  return undefined;
}

// --- In the page -----------------------------------------------------------------------------

/** Resolves with the wall-clock moment the grid's first body row holds data. A row already
 *  there is reported as "now", flagged, so a late observer never looks faster than it was. */
const FIRST_LOADED_ROW = `
  const done = arguments[arguments.length - 1];
  const loaded = () => document.querySelector('[role="grid"] [role="row"][aria-rowindex="2"]:not([aria-busy])');
  const now = () => performance.timeOrigin + performance.now();
  if (loaded()) { done({ at: now(), alreadyThere: true }); return; }
  const seen = new MutationObserver(() => {
    if (loaded()) { seen.disconnect(); done({ at: now(), alreadyThere: false }); }
  });
  seen.observe(document.documentElement, { subtree: true, childList: true, attributes: true });
`;

const LAST_ROW_LOADED = `
  const grid = document.querySelector('[role="grid"]');
  const count = Number(grid && grid.getAttribute("aria-rowcount"));
  if (!count) return null;
  const last = grid.querySelector('[role="row"][aria-rowindex="' + count + '"]:not([aria-busy])');
  return last ? count - 1 : null;
`;

async function main() {
  if (!DESKTOP_BIN || !SITE) throw new Error("DESKTOP_BIN and PATCHDECK_SITE must be set");
  await waitFor("tauri-driver ready", async () => (await wd("GET", "/status")).ready !== false);

  const deadline = Date.now() + 120_000;
  const mapped = windowMapped(deadline);
  const created = Session.create(DESKTOP_BIN);
  let app;
  while (!app && Date.now() < deadline) {
    app = findApp();
    if (!app) await sleep(5);
  }
  if (!app) throw new Error(`no ${DESKTOP_BIN} process on ${SITE} appeared`);
  const started = startedAtMs(app);
  const session = await created;
  try {
    const first = await session.executeAsync(FIRST_LOADED_ROW, []);
    const mappedAt = await mapped;
    const atFirstRow = memory(app);

    // What a user does next: the end of the list, then Properties five times.
    const row = await waitFor("a loaded row", () =>
      session.first(["//*[@role='grid']//*[@role='row'][@aria-rowindex='2'][not(@aria-busy)]"]),
    );
    await session.click(row);
    await session.chord(["\uE009", "\uE010"]); // Ctrl+End
    const rows = await waitFor("the last row loaded", () => session.execute(LAST_ROW_LOADED), 60_000);
    for (let i = 0; i < 5; i++) {
      const loaded = await session.findAll("//*[@role='grid']//*[@role='row'][@aria-rowindex>1][not(@aria-busy)]");
      if (loaded.length === 0) throw new Error("no loaded row to open");
      // A loaded row can sit outside the viewport (the overscan): bring it in before the pointer goes there.
      const target = loaded[i % loaded.length];
      await session.execute(`arguments[0].scrollIntoView({ block: "center" });`, [{ [ELEMENT]: target }]);
      // Select, then the command bar's Properties: a double-click through WebKitWebDriver's
      // pointer actions often landed as two single clicks and the dialog never opened.
      await session.click(target);
      const properties = await waitFor("the command bar's Properties", () =>
        session.first(["//*[@role='toolbar']//button[normalize-space(.)='Properties'][not(@disabled)]"]),
      );
      await session.click(properties);
      // The dialog's data is what costs memory: wait for it to hold its text.
      await waitFor("Properties loaded", () =>
        session.execute(`const d = document.querySelector('[role="dialog"]'); return !!d && !d.querySelector('[aria-busy="true"]') && d.innerText.length > 200;`),
      );
      const close = await waitFor("Properties' Close button", () =>
        session.first(["//*[@role='dialog']//button[normalize-space(.)='Close']"]),
      );
      await session.click(close);
      await waitFor("Properties closed", async () => !(await session.execute(`return !!document.querySelector('[role="dialog"]');`)));
    }
    const afterSteps = memory(app);
    console.log(
      JSON.stringify({
        firstRowMs: Math.round(first.at - started),
        firstRowAlreadyThere: first.alreadyThere,
        windowMappedMs: mappedAt === undefined ? null : Math.round(mappedAt - started),
        rows,
        atFirstRow,
        afterSteps,
      }),
    );
  } catch (e) {
    // The picture is the quickest diagnosis of a step that timed out.
    if (process.env.BENCH_SCREENSHOT) {
      const png = await session.screenshot().catch(() => undefined);
      if (png) writeFileSync(process.env.BENCH_SCREENSHOT, Buffer.from(png, "base64"));
    }
    throw e;
  } finally {
    await session.delete().catch(() => {});
  }
}

try {
  await main();
} catch (e) {
  console.log(JSON.stringify({ error: e.message }));
  process.exitCode = 1;
}
