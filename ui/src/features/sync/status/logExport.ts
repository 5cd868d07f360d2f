// A run's log as a text file, the way an administrator keeps wsyncmgr.log: one line per
// entry, UTC timestamps (as stored; a log read elsewhere must not depend on this
// computer's time zone), Windows line ends.
import type { SyncLogEntry, SyncRunInfo } from "../../../api";

export function logFileName(runId: number): string {
  return `wsyncmgr-${runId}.log`;
}

/** The file's text: a header naming the run, then `time  LEVEL    message` lines. */
export function logText(run: Pick<SyncRunInfo, "runId" | "upstream" | "startedUtc"> | null, runId: number, entries: readonly SyncLogEntry[]): string {
  const header = run
    ? `# Patchdeck software update synchronization, run ${run.runId}, from ${run.upstream}, started ${run.startedUtc} (times UTC)`
    : `# Patchdeck software update synchronization, run ${runId} (times UTC)`;
  const lines = entries.map((e) => `${e.atUtc}  ${e.level.toUpperCase().padEnd(7)}  ${e.message.replace(/\r?\n/g, " ")}`);
  return [header, ...lines].join("\r\n") + "\r\n";
}

/** Hands `text` to the browser as a download named `fileName`. */
export function downloadText(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  a.style.display = "none";
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoked later: some browsers read the blob after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
