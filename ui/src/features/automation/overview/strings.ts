// Every text of Software Library › Overview (APR-3).
import type { SyncState } from "../../../api";

export const strings = {
  pageTitle: "Software Library overview",
  refresh: "Refresh",
  loading: "Loading…",
  loadFailed: "Cannot load the overview",
  retry: "Retry",
  attention: "Needs attention",
  allClear: "Nothing needs your attention.",
  open: (title: string) => `View: ${title}`,
  status: "Status",
  lastSync: {
    title: "Last synchronization",
    never: "This site has not synchronized yet.",
    state: "State",
    started: "Started",
    ended: "Ended",
    upstream: "Upstream",
    counts: "Updates",
    countsValue: (n: number, c: number, e: number, r: number) => `${n} new, ${c} changed, ${e} expired, ${r} removed`,
    error: "Error",
    link: "Synchronization status",
    states: {
      Running: "Running",
      Succeeded: "Succeeded",
      Failed: "Failed",
    } satisfies Record<SyncState, string>,
  },
  managed: {
    title: "Managed computers",
    detail: (n: number) => (n === 1 ? "1 computer reports to this site." : `${n.toLocaleString()} computers report to this site.`),
  },
  failedRules: "Failed runs",
  belowAlert: "Below their alert",
  deploymentTo: (name: string, target: string) => `${name} → ${target}`,
};
