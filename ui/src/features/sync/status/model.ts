// What Monitoring > Software Update Point Synchronization Status shows, computed from
// get_sync_status and the site's events (SYNC-6, CON-4): the update point's row, the live
// progress of a running synchronization, and the runs the history chart draws.
import type { SiteEvent, SyncCoverage, SyncRunInfo, SyncState, SyncStatus } from "../../../api";
import { formatCount } from "../../../components/format";
import { strings } from "../strings";

/** One software update point (this site has one: its own, synchronizing from `upstream`). */
export interface UpdatePointRow {
  name: string;
  source: SyncStatus["settings"]["source"];
  upstream: string;
  /** Running while a run is in progress, else the state of the newest run; null: never ran. */
  state: SyncState | null;
  lastStartUtc: string | null;
  lastEndUtc: string | null;
  /** The newest finished run: its state, error and counts. */
  lastFinished: SyncRunInfo | null;
  /** The upstream anchor of the newest run that recorded one: the catalog version held. */
  catalogVersion: string | null;
  running: SyncRunInfo | null;
}

export function updatePointRow(status: SyncStatus, name: string): UpdatePointRow {
  const newest = status.running ?? status.history[0] ?? null;
  const lastFinished = status.history.find((r) => r.state !== "Running") ?? null;
  return {
    name,
    source: status.settings.source,
    upstream: newest?.upstream ?? status.settings.upstreamUrl,
    state: status.running ? "Running" : (newest?.state ?? null),
    lastStartUtc: newest?.startedUtc ?? null,
    lastEndUtc: status.running ? null : (newest?.endedUtc ?? null),
    lastFinished,
    catalogVersion: status.history.find((r) => r.anchor !== null && r.state === "Succeeded")?.anchor ?? null,
    running: status.running,
  };
}

/** The progress bar of the running synchronization. */
export interface LiveProgress {
  done: number;
  total: number;
  message: string;
}

export function progressOfRun(run: SyncRunInfo | null): LiveProgress | null {
  return run ? { done: run.progressDone, total: run.progressTotal, message: run.progressMessage } : null;
}

/**
 * The progress bar after one site event: a `progress` event of job "sync" moves it; a
 * `syncChanged` event that ends a run removes it (one that starts a run shows an empty
 * bar until the first progress arrives). Other events change nothing.
 */
export function applyEvent(progress: LiveProgress | null, event: SiteEvent): LiveProgress | null {
  if (event.type === "progress" && event.job === "sync") {
    return { done: event.done, total: event.total, message: event.message };
  }
  if (event.type === "syncChanged") {
    return event.state === "Running" ? (progress ?? { done: 0, total: 0, message: "" }) : null;
  }
  return progress;
}

/** True for an event after which get_sync_status must be read again (a run started or ended). */
export function needsStatusRefresh(event: SiteEvent): boolean {
  return event.type === "syncChanged";
}

/** True for an event that may mean the running run's log has grown. */
export function isSyncProgress(event: SiteEvent): boolean {
  return event.type === "progress" && event.job === "sync";
}

/** The bar's value 0..1, or undefined while the total is not known (indeterminate bar). */
export function progressFraction(p: LiveProgress): number | undefined {
  if (p.total <= 0) return undefined;
  return Math.min(1, Math.max(0, p.done / p.total));
}

/** Seconds a finished run took, or null. */
export function durationSeconds(run: SyncRunInfo): number | null {
  if (!run.endedUtc) return null;
  const ms = new Date(run.endedUtc).getTime() - new Date(run.startedUtc).getTime();
  return Number.isFinite(ms) && ms >= 0 ? ms / 1000 : null;
}

/** The finished runs the history chart draws, oldest first, at most `limit`. */
export function chartRuns(history: readonly SyncRunInfo[], limit = 20): SyncRunInfo[] {
  return history
    .filter((r) => r.state !== "Running" && r.endedUtc !== null)
    .slice(0, limit)
    .reverse();
}

/** Why this site may hold fewer updates than its upstream, as Summary lines; none when the
 * site did not say. */
export function coverageLines(coverage: SyncCoverage | undefined): { label: string; value: string }[] {
  if (!coverage) return [];
  const d = strings.status.details;
  return [
    { label: d.held, value: formatCount(coverage.held) },
    {
      label: d.notChosen,
      value: coverage.notChosen === null ? d.notCounted : d.notChosenValue(formatCount(coverage.notChosen)),
    },
    { label: d.productNotHeld, value: d.productNotHeldValue(formatCount(coverage.productNotHeld)) },
  ];
}
