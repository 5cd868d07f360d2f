// A synchronization run followed to its end: the wizard's Connect and First Synchronization
// pages both start one and wait, showing its progress.
import { call, type SyncRunInfo } from "../../../api";

const POLL_MS = 500;

/** Starts a synchronization and resolves with the finished run; `onProgress` sees it while it runs. */
export async function syncToEnd(onProgress: (run: SyncRunInfo) => void, alive: () => boolean = () => true): Promise<SyncRunInfo> {
  const started = await call("start_sync", {});
  onProgress(started);
  for (;;) {
    await new Promise((r) => setTimeout(r, POLL_MS));
    if (!alive()) return started;
    const status = await call("get_sync_status", {});
    if (status.running && status.running.runId === started.runId) {
      onProgress(status.running);
      continue;
    }
    const ended = status.history.find((r) => r.runId === started.runId);
    if (ended && ended.state !== "Running") return ended;
  }
}
