// Creates a throw-away site, fills it (the real update documents of ../../../shared/fixtures
// plus a generated catalog), starts `patchdeck serve` on a free loopback port with a known
// token and waits until it answers. Tests get PATCHDECK_URL / PATCHDECK_TOKEN from the env.
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { BIN, FIXTURES, GENERATED_COUNT, STATE_FILE, UI_DIR, UI_ROOT } from "./paths";

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

export default async function globalSetup(): Promise<void> {
  if (!existsSync(BIN)) {
    throw new Error(`The patchdeck binary is missing at ${BIN} (build it with cargo build -p server, or set PATCHDECK_BIN).`);
  }
  ensureUiBuilt();

  const site = mkdtempSync(path.join(tmpdir(), "patchdeck-e2e-"));
  const updatesDir = path.join(FIXTURES, "wsusss", "updates");
  const documents = readdirSync(updatesDir)
    .filter((f) => f.endsWith(".xml"))
    .map((f) => path.join(updatesDir, f));
  run(["--site", site, "import-xml", ...documents]);
  run(["--site", site, "gen-catalog", "--count", String(GENERATED_COUNT), "--seed", "7", "--import"]);

  const token = randomBytes(24).toString("hex");
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = path.join(site, "serve.log");
  const log = createWriteStream(logFile);
  const child = spawn(BIN, ["--site", site, "serve", "--listen", `127.0.0.1:${port}`, "--ui", UI_DIR], {
    env: { ...process.env, PATCHDECK_TOKEN: token },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  await waitUntilServing(`${url}/`, child, logFile);

  writeFileSync(STATE_FILE, JSON.stringify({ pid: child.pid, site, url, logFile }));
  process.env.PATCHDECK_URL = url;
  process.env.PATCHDECK_TOKEN = token;
  process.env.PATCHDECK_SITE = site;
  console.log(`[e2e] patchdeck serve at ${url} (site ${site}, pid ${child.pid})`);
}
