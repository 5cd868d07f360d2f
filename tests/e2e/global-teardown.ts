// Stops the server global-setup.ts started (by its pid) and removes its site folder.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { STATE_FILE } from "./paths";

export default async function globalTeardown(): Promise<void> {
  if (!existsSync(STATE_FILE)) return;
  const { pid, site } = JSON.parse(readFileSync(STATE_FILE, "utf8")) as { pid?: number; site?: string };
  rmSync(STATE_FILE, { force: true });
  if (pid) {
    try {
      process.kill(pid, "SIGINT"); // `serve` shuts down gracefully on Ctrl+C
    } catch {
      /* already gone */
    }
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      try {
        process.kill(pid, 0);
      } catch {
        break; // exited
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      /* exited */
    }
  }
  if (site && !process.env.PATCHDECK_KEEP_SITE) rmSync(site, { recursive: true, force: true });
}
