// Synchronization status: the update point's row, live progress from events, history runs.
import { describe, expect, it } from "vitest";
import type { SiteEvent, SyncRunInfo, SyncStatus } from "../../../api";
import {
  applyEvent,
  chartRuns,
  coverageLines,
  durationSeconds,
  isSyncProgress,
  needsStatusRefresh,
  progressFraction,
  progressOfRun,
  updatePointRow,
  type LiveProgress,
} from "./model";

function run(runId: number, overrides: Partial<SyncRunInfo> = {}): SyncRunInfo {
  return {
    runId,
    startedUtc: `2026-11-2${runId}T10:00:00Z`,
    endedUtc: `2026-11-2${runId}T10:00:30Z`,
    state: "Succeeded",
    upstream: "http://parent:8530",
    error: null,
    anchor: null,
    newCount: 0,
    changedCount: 0,
    expiredCount: 0,
    removedCount: 0,
    fetchedCount: 0,
    progressDone: 0,
    progressTotal: 0,
    progressMessage: "",
    ...overrides,
  };
}

function status(history: SyncRunInfo[], running: SyncRunInfo | null = null): SyncStatus {
  return {
    settings: {
      source: "UpstreamServer",
      upstreamUrl: "http://parent:8530",
      allowPlainHttp: true,
      productIds: [],
      classificationIds: [],
      languages: ["en"],
      schedule: { kind: "Manual", everyHours: 24, dayOfWeek: 6, timeUtc: "02:00" },
      cleanupSupersededDays: 30,
      proxyUrl: "",
      caCertificateFile: "",
    },
    running,
    history,
    nextScheduledUtc: null,
  };
}

describe("progress from events", () => {
  const start: SiteEvent = { type: "syncChanged", runId: 3, state: "Running" };
  const end: SiteEvent = { type: "syncChanged", runId: 3, state: "Succeeded" };
  const progress = (done: number, total: number, message: string): SiteEvent => ({ type: "progress", job: "sync", done, total, message });

  it("follows a run from start to end", () => {
    let p: LiveProgress | null = null;
    p = applyEvent(p, start);
    expect(p).toEqual({ done: 0, total: 0, message: "" });
    expect(progressFraction(p!)).toBeUndefined(); // indeterminate until a total is known
    p = applyEvent(p, progress(100, 400, "updates: 100 of 400 downloaded"));
    expect(p).toEqual({ done: 100, total: 400, message: "updates: 100 of 400 downloaded" });
    expect(progressFraction(p!)).toBe(0.25);
    p = applyEvent(p, progress(400, 400, "updates: 400 of 400 downloaded"));
    expect(progressFraction(p!)).toBe(1);
    p = applyEvent(p, end);
    expect(p).toBeNull();
  });

  it("ignores progress of other jobs and unrelated events", () => {
    const p: LiveProgress = { done: 1, total: 2, message: "x" };
    expect(applyEvent(p, { type: "progress", job: "download", done: 9, total: 9, message: "other" })).toBe(p);
    expect(applyEvent(p, { type: "catalogChanged", newUpdates: 3, newRevisions: 3 })).toBe(p);
    expect(applyEvent(null, { type: "catalogChanged", newUpdates: 3, newRevisions: 3 })).toBeNull();
  });

  it("a start keeps progress already received; a failure ends it too", () => {
    const p: LiveProgress = { done: 5, total: 10, message: "m" };
    expect(applyEvent(p, start)).toBe(p);
    expect(applyEvent(p, { type: "syncChanged", runId: 3, state: "Failed" })).toBeNull();
  });

  it("clamps the fraction and tells which events need what", () => {
    expect(progressFraction({ done: 12, total: 10, message: "" })).toBe(1);
    expect(progressFraction({ done: -1, total: 10, message: "" })).toBe(0);
    expect(needsStatusRefresh(start)).toBe(true);
    expect(needsStatusRefresh(progress(1, 2, ""))).toBe(false);
    expect(isSyncProgress(progress(1, 2, ""))).toBe(true);
    expect(isSyncProgress({ type: "progress", job: "download", done: 1, total: 2, message: "" })).toBe(false);
  });

  it("starts from the running run's own progress", () => {
    expect(progressOfRun(run(4, { state: "Running", progressDone: 3, progressTotal: 9, progressMessage: "m" }))).toEqual({
      done: 3,
      total: 9,
      message: "m",
    });
    expect(progressOfRun(null)).toBeNull();
  });
});

describe("the update point's row", () => {
  it("never synchronized", () => {
    const row = updatePointRow(status([]), "SUP");
    expect(row.state).toBeNull();
    expect(row.lastStartUtc).toBeNull();
    expect(row.lastFinished).toBeNull();
    expect(row.upstream).toBe("http://parent:8530");
  });

  it("after runs: newest state and times, last finished counts, newest catalog version", () => {
    const history = [
      run(3, { state: "Failed", error: "boom", anchor: null }),
      run(2, { anchor: "pd:20", newCount: 5 }),
      run(1, { anchor: "pd:10" }),
    ];
    const row = updatePointRow(status(history), "SUP");
    expect(row.state).toBe("Failed");
    expect(row.lastStartUtc).toBe(history[0].startedUtc);
    expect(row.lastEndUtc).toBe(history[0].endedUtc);
    expect(row.lastFinished?.error).toBe("boom");
    expect(row.catalogVersion).toBe("pd:20");
  });

  it("while running: Running, its start, no end, the previous run's result", () => {
    const live = run(4, { state: "Running", endedUtc: null });
    const row = updatePointRow(status([live, run(3, { newCount: 7 })], live), "SUP");
    expect(row.state).toBe("Running");
    expect(row.lastStartUtc).toBe(live.startedUtc);
    expect(row.lastEndUtc).toBeNull();
    expect(row.lastFinished?.runId).toBe(3);
    expect(row.lastFinished?.newCount).toBe(7);
  });
});

describe("history", () => {
  it("charts finished runs oldest first, at most the limit", () => {
    const history = [run(5, { state: "Running", endedUtc: null }), run(4), run(3), run(2), run(1)];
    expect(chartRuns(history).map((r) => r.runId)).toEqual([1, 2, 3, 4]);
    expect(chartRuns(history, 2).map((r) => r.runId)).toEqual([3, 4]);
  });

  it("measures durations", () => {
    expect(durationSeconds(run(1, { startedUtc: "2026-11-23T19:22:38.456406115Z", endedUtc: "2026-11-23T19:22:40.956Z" }))).toBeCloseTo(2.5, 2);
    expect(durationSeconds(run(1, { endedUtc: null }))).toBeNull();
  });
});

describe("coverageLines", () => {
  it("says why the site holds fewer updates than its upstream", () => {
    expect(coverageLines({ held: 2944, notChosen: 1200, productNotHeld: 2 })).toEqual([
      { label: "Updates held", value: (2944).toLocaleString() },
      { label: "Not chosen at the upstream", value: `${(1200).toLocaleString()} in products or classifications not chosen` },
      { label: "In no product held as a category", value: "2 (a child site cannot choose them)" },
    ]);
  });

  it("says when nothing was counted yet, and nothing for a site that did not say", () => {
    expect(coverageLines({ held: 0, notChosen: null, productNotHeld: 0 })[1].value).toBe(
      "Not counted yet (counted by the next synchronization)",
    );
    expect(coverageLines(undefined)).toEqual([]);
  });
});
