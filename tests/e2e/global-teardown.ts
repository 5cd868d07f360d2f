// Stops the servers global-setup.ts started (by their pids) and removes their site folders
// and the scratch folders they were made from.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { STATE_FILE } from "./paths";

async function stop(pid: number): Promise<void> {
  try {
    process.kill(pid, "SIGINT"); // `serve` shuts down gracefully on Ctrl+C
  } catch {
    return; // already gone
  }
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return; // exited
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    /* exited */
  }
}

export default async function globalTeardown(): Promise<void> {
  if (!existsSync(STATE_FILE)) return;
  const { servers, scratch } = JSON.parse(readFileSync(STATE_FILE, "utf8")) as {
    servers?: { pid?: number; site?: string }[];
    scratch?: string[];
  };
  rmSync(STATE_FILE, { force: true });
  await Promise.all((servers ?? []).map((s) => (s.pid ? stop(s.pid) : Promise.resolve())));
  if (!process.env.PATCHDECK_KEEP_SITE) {
    for (const s of servers ?? []) if (s.site) rmSync(s.site, { recursive: true, force: true });
    for (const dir of scratch ?? []) rmSync(dir, { recursive: true, force: true });
  }
}
