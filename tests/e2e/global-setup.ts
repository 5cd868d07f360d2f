// Creates throw-away sites and starts `patchdeck serve` on each, on a free loopback port with
// a known token, and waits until they answer:
// - the main site (the real update documents of ../../../shared/fixtures plus a generated
//   catalog): PATCHDECK_URL / PATCHDECK_TOKEN;
// - for synchronization, a parent (the same kind of content) and an empty child that syncs
//   from it: PATCHDECK_PARENT_URL / _TOKEN and PATCHDECK_CHILD_URL / _TOKEN;
// - for managed computers, an empty site that also listens for Windows Update Agents
//   (`--clients-listen`): PATCHDECK_CLIENTS_URL / _TOKEN, its client listener at
//   PATCHDECK_CLIENTS_WUSP_URL;
// - for the simulated fleet (managed-computers.spec.ts), a site holding the fixtures plus a
//   small generated catalog that also listens for Windows Update Agents: PATCHDECK_FLEET_URL / _TOKEN, its
//   client listener at PATCHDECK_FLEET_WUSP_URL.
// - for the first-run wizard (first-run.spec.ts), a fresh site never configured and a parent
//   site whose update documents name files it holds in its content library (generated
//   documents whose File digests were rewritten to those of real files, downloaded into the
//   parent from a folder), so a download from it succeeds: PATCHDECK_FRESH_URL / _TOKEN and
//   PATCHDECK_FILES_PARENT_URL / _TOKEN; another site never configured for the wizard's
//   import path: PATCHDECK_FRESH_IMPORT_URL / _TOKEN;
// - for alerts (alerts.spec.ts), an empty site that synchronizes from an address where
//   nothing listens: PATCHDECK_ALERTS_URL / _TOKEN.
// - for third-party updates (third-party.spec.ts), an empty site to publish to:
//   PATCHDECK_PUBLISHER_URL / _TOKEN.
// Every server started is listed in STATE_FILE for global-teardown.ts.
import { execFileSync, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { BIN, FIXTURES, FLEET_GENERATED_COUNT, GENERATED_COUNT, PARENT_GENERATED_COUNT, STATE_FILE, UI_DIR, UI_ROOT } from "./paths";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function run(args: string[]): void {
  execFileSync(BIN, args, { stdio: ["ignore", "inherit", "inherit"], timeout: 300_000 });
}

function ensureUiBuilt(): void {
  if (existsSync(path.join(UI_DIR, "index.html"))) return;
  if (process.env.PATCHDECK_UI_DIR) throw new Error(`PATCHDECK_UI_DIR=${UI_DIR} holds no index.html`);
  console.log(`[e2e] ${UI_DIR} has no build: running npm run build in ${UI_ROOT}`);
  if (!existsSync(path.join(UI_ROOT, "node_modules"))) execFileSync("npm", ["ci"], { cwd: UI_ROOT, stdio: "inherit" });
  execFileSync("npm", ["run", "build"], { cwd: UI_ROOT, stdio: "inherit" });
}

async function waitUntilServing(url: string, child: ReturnType<typeof spawn>, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  let exited: number | null = null;
  child.once("exit", (code) => (exited = code ?? -1));
  while (Date.now() < deadline) {
    if (exited !== null) {
      throw new Error(`patchdeck serve exited with ${exited} before answering:\n${readFileSync(logFile, "utf8")}`);
    }
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`patchdeck serve did not answer ${url} within 60 s:\n${readFileSync(logFile, "utf8")}`);
}

interface Served {
  pid: number | undefined;
  site: string;
  url: string;
  token: string;
  logFile: string;
}

/** Every server started so far, as global-teardown.ts reads them from STATE_FILE. */
const started: { pid: number | undefined; site: string }[] = [];
/** Scratch folders beside the sites (generated documents, their files), removed with them. */
const scratch: string[] = [];

function recordState(): void {
  writeFileSync(STATE_FILE, JSON.stringify({ servers: started, scratch }));
}

/**
 * Starts `patchdeck serve` on `site` at a free loopback port with a fresh token (and `extra`
 * arguments); the first-run wizard closed unless `keepFirstRun`.
 */
async function serve(site: string, extra: string[] = [], keepFirstRun = false): Promise<Served> {
  const token = randomBytes(24).toString("hex");
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = path.join(site, "serve.log");
  const log = createWriteStream(logFile);
  const child = spawn(BIN, ["--site", site, "serve", "--listen", `127.0.0.1:${port}`, "--ui", UI_DIR, ...extra], {
    env: { ...process.env, PATCHDECK_TOKEN: token },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  // Recorded before waiting, so teardown stops it even if it never answers.
  started.push({ pid: child.pid, site });
  recordState();
  await waitUntilServing(`${url}/`, child, logFile);
  if (!keepFirstRun) {
    // An empty site opens the first-run wizard by itself; only first-run.spec.ts wants it.
    const res = await fetch(`${url}/api/v1/commands/close_first_run`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: "{}",
    });
    if (!res.ok) throw new Error(`close_first_run answered ${res.status}: ${await res.text()}`);
  }
  return { pid: child.pid, site, url, token, logFile };
}

/** A new site holding the fixture documents plus a generated catalog of `count` updates. */
function filledSite(prefix: string, count: number, seed: number): string {
  const site = mkdtempSync(path.join(tmpdir(), prefix));
  const updatesDir = path.join(FIXTURES, "wsusss", "updates");
  const documents = readdirSync(updatesDir)
    .filter((f) => f.endsWith(".xml"))
    .map((f) => path.join(updatesDir, f));
  run(["--site", site, "import-xml", ...documents]);
  run(["--site", site, "gen-catalog", "--count", String(count), "--seed", String(seed), "--import"]);
  return site;
}

/** Deterministic bytes (xorshift), so a run's files are the same every time. */
function bytes(seed: number, length: number): Buffer {
  const mask = (1n << 64n) - 1n;
  let x = ((BigInt(seed) * 0x9e3779b97f4a7c15n) & mask) | 1n;
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    x ^= (x << 13n) & mask;
    x ^= x >> 7n;
    x ^= (x << 17n) & mask;
    out[i] = Number(x & 0xffn);
  }
  return out;
}

/** Sets attribute `name` of the element text `elem` to `value`. */
function setAttr(elem: string, name: string, value: string): string {
  return elem.replace(new RegExp(` ${name}="[^"]*"`), ` ${name}="${value}"`);
}

/**
 * A new site holding `count` generated updates whose files exist: every File element of the
 * generated documents gets the name, size and digests of a file written beside them, and the
 * files are downloaded into the site's library, so it serves them under /Content/ as an
 * upstream does.
 */
function siteWithFiles(prefix: string, count: number, seed: number): string {
  const root = mkdtempSync(path.join(tmpdir(), prefix));
  scratch.push(root);
  recordState();
  const site = path.join(root, "site");
  const docs = path.join(root, "docs");
  const files = path.join(root, "files");
  mkdirSync(files);
  run(["--site", path.join(root, "scratch"), "gen-catalog", "--count", String(count), "--seed", String(seed), "--out", docs]);
  const withFiles: string[] = [];
  let n = 0;
  const documents = readdirSync(docs).filter((f) => f.endsWith(".xml")).map((f) => path.join(docs, f));
  for (const doc of documents) {
    const xml = readFileSync(doc, "utf8");
    const rewritten = xml.replace(/<upd:File [\s\S]*?<\/upd:File>/g, (elem) => {
      const name = `pd-e2e-${seed}-${n}.${n % 2 === 0 ? "cab" : "msu"}`;
      const data = bytes(seed * 1000 + n, 900 + n * 53);
      n++;
      writeFileSync(path.join(files, name), data);
      const sha1 = createHash("sha1").update(data).digest("base64");
      const sha256 = createHash("sha256").update(data).digest("base64");
      let e = setAttr(elem, "Digest", sha1);
      e = setAttr(e, "FileName", name);
      e = setAttr(e, "Size", String(data.length));
      return e.replace(/(Algorithm="SHA256">)[^<]*(<\/upd:AdditionalDigest>)/, `$1${sha256}$2`);
    });
    if (rewritten !== xml) {
      writeFileSync(doc, rewritten);
      withFiles.push(path.basename(doc).replace(/-r\d+\.xml$/, ""));
    }
  }
  if (withFiles.length === 0) throw new Error("the generated updates have no files");
  run(["--site", site, "import-xml", ...documents]);
  run(["--site", site, "download", "--package", "Upstream content", "--from", files, ...withFiles.flatMap((id) => ["--update", id])]);
  return site;
}

export default async function globalSetup(): Promise<void> {
  if (!existsSync(BIN)) {
    throw new Error(`The patchdeck binary is missing at ${BIN} (build it with cargo build -p server, or set PATCHDECK_BIN).`);
  }
  ensureUiBuilt();

  // The site most specs read (never changed by a spec).
  const main = await serve(filledSite("patchdeck-e2e-", GENERATED_COUNT, 7));
  process.env.PATCHDECK_URL = main.url;
  process.env.PATCHDECK_TOKEN = main.token;
  process.env.PATCHDECK_SITE = main.site;
  console.log(`[e2e] patchdeck serve at ${main.url} (site ${main.site}, pid ${main.pid})`);

  // Synchronization (sync.spec.ts): a parent site, the upstream, holding what main holds but
  // generated with another seed; and an empty child site that synchronizes from it. Neither
  // is main, so syncing changes no other spec's data.
  const parent = await serve(filledSite("patchdeck-e2e-parent-", PARENT_GENERATED_COUNT, 11));
  process.env.PATCHDECK_PARENT_URL = parent.url;
  process.env.PATCHDECK_PARENT_TOKEN = parent.token;
  console.log(`[e2e] parent site at ${parent.url} (site ${parent.site}, pid ${parent.pid})`);

  const child = await serve(mkdtempSync(path.join(tmpdir(), "patchdeck-e2e-child-")));
  process.env.PATCHDECK_CHILD_URL = child.url;
  process.env.PATCHDECK_CHILD_TOKEN = child.token;
  console.log(`[e2e] child site at ${child.url} (site ${child.site}, pid ${child.pid})`);

  // Managed computers (devices.spec.ts): Windows Update Agents register through the client
  // listener of a site of their own, so the computers they add change no other spec's data.
  const clientsPort = await freePort();
  const clients = await serve(mkdtempSync(path.join(tmpdir(), "patchdeck-e2e-clients-")), ["--clients-listen", `127.0.0.1:${clientsPort}`]);
  process.env.PATCHDECK_CLIENTS_URL = clients.url;
  process.env.PATCHDECK_CLIENTS_TOKEN = clients.token;
  process.env.PATCHDECK_CLIENTS_WUSP_URL = `http://127.0.0.1:${clientsPort}`;
  console.log(`[e2e] clients site at ${clients.url}, Windows Update Agents at ${process.env.PATCHDECK_CLIENTS_WUSP_URL} (pid ${clients.pid})`);

  // The simulated fleet (managed-computers.spec.ts): `patchdeck simulate-clients` scans and
  // reports against a catalog small enough that every state it reports can be found in the
  // console (the fixture documents alone offer a simulated computer nothing it can evaluate),
  // on a site of its own so no other spec's counts move.
  const fleetPort = await freePort();
  const fleet = await serve(filledSite("patchdeck-e2e-fleet-", FLEET_GENERATED_COUNT, 5), ["--clients-listen", `127.0.0.1:${fleetPort}`]);
  process.env.PATCHDECK_FLEET_URL = fleet.url;
  process.env.PATCHDECK_FLEET_TOKEN = fleet.token;
  process.env.PATCHDECK_FLEET_WUSP_URL = `http://127.0.0.1:${fleetPort}`;
  console.log(`[e2e] fleet site at ${fleet.url}, Windows Update Agents at ${process.env.PATCHDECK_FLEET_WUSP_URL} (pid ${fleet.pid})`);

  // The first-run wizard (first-run.spec.ts): a site never configured, and a parent whose
  // updates' files are in its library.
  const filesParent = await serve(siteWithFiles("patchdeck-e2e-files-parent-", 30, 21));
  process.env.PATCHDECK_FILES_PARENT_URL = filesParent.url;
  process.env.PATCHDECK_FILES_PARENT_TOKEN = filesParent.token;
  console.log(`[e2e] files parent at ${filesParent.url} (site ${filesParent.site}, pid ${filesParent.pid})`);
  const fresh = await serve(mkdtempSync(path.join(tmpdir(), "patchdeck-e2e-fresh-")), [], true);
  process.env.PATCHDECK_FRESH_URL = fresh.url;
  process.env.PATCHDECK_FRESH_TOKEN = fresh.token;
  console.log(`[e2e] fresh site at ${fresh.url} (site ${fresh.site}, pid ${fresh.pid})`);
  // A second one for the wizard's "Import a catalog export" path, so each path starts unconfigured.
  const freshImport = await serve(mkdtempSync(path.join(tmpdir(), "patchdeck-e2e-fresh-import-")), [], true);
  process.env.PATCHDECK_FRESH_IMPORT_URL = freshImport.url;
  process.env.PATCHDECK_FRESH_IMPORT_TOKEN = freshImport.token;
  console.log(`[e2e] fresh site for an import at ${freshImport.url} (pid ${freshImport.pid})`);

  // Alerts (alerts.spec.ts): a synchronization that fails, on a site of its own.
  const alerts = await serve(mkdtempSync(path.join(tmpdir(), "patchdeck-e2e-alerts-")));
  process.env.PATCHDECK_ALERTS_URL = alerts.url;
  process.env.PATCHDECK_ALERTS_TOKEN = alerts.token;
  console.log(`[e2e] alerts site at ${alerts.url} (pid ${alerts.pid})`);

  // Third-party updates (third-party.spec.ts): an empty site the Upload Update wizard publishes to.
  const publisher = await serve(mkdtempSync(path.join(tmpdir(), "patchdeck-e2e-publisher-")));
  process.env.PATCHDECK_PUBLISHER_URL = publisher.url;
  process.env.PATCHDECK_PUBLISHER_TOKEN = publisher.token;
  console.log(`[e2e] publisher site at ${publisher.url} (pid ${publisher.pid})`);

  // Offline servicing (os-images.spec.ts): an empty site the spec fills with its own updates and image.
  const servicing = await serve(mkdtempSync(path.join(tmpdir(), "patchdeck-e2e-servicing-")));
  process.env.PATCHDECK_SERVICING_URL = servicing.url;
  process.env.PATCHDECK_SERVICING_TOKEN = servicing.token;
  console.log(`[e2e] servicing site at ${servicing.url} (pid ${servicing.pid})`);
}
