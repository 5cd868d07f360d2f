// The Download Software Updates wizard's rules and live progress, without a browser.
import { describe, expect, it } from "vitest";
import {
  applyDownloadEvent,
  buildStartArgs,
  checkArgs,
  defaultDownloadForm,
  downloadFraction,
  downloadJobOf,
  downloadSummary,
  pageIssues,
  type DownloadForm,
} from "./model";
import { resumableJob } from "./PackagesPage";
import type { ContentPackage, DownloadJob } from "./types";

const PKG: ContentPackage = {
  id: 4,
  name: "November",
  description: "",
  createdUtc: "2026-11-29T05:00:00.000Z",
  fileCount: 3,
  totalBytes: 300,
  downloadedCount: 1,
  distribution: { installed: 0, inProgress: 0, pending: 0, failed: 0 },
};

function job(patch: Partial<DownloadJob> = {}): DownloadJob {
  return {
    id: 9,
    packageId: 4,
    packageName: "November",
    source: { kind: "Upstream" },
    languages: ["en"],
    state: "Running",
    actor: "admin",
    createdUtc: "",
    finishedUtc: null,
    error: null,
    filesTotal: 4,
    filesDownloaded: 1,
    filesFailed: 0,
    bytesDone: 100,
    bytesTotal: 400,
    files: [],
    ...patch,
  };
}

const form = (patch: Partial<DownloadForm> = {}) => ({ ...defaultDownloadForm({ updateIds: ["u1"], packages: [PKG] }), ...patch });

describe("download wizard", () => {
  it("starts on an existing package when there is one, else a new one; languages default to the update point's", () => {
    expect(defaultDownloadForm({ updateIds: ["u"], packages: [PKG] }).packageChoice).toBe("existing");
    expect(defaultDownloadForm({ updateIds: ["u"], packages: [] }).packageChoice).toBe("new");
    expect(defaultDownloadForm({ languages: ["fr", "de"] }).languages).toEqual(["fr", "de"]);
    expect(defaultDownloadForm({}).languages).toEqual(["en"]);
  });

  it("downloads by default from where the site synchronizes: Microsoft Update, or its upstream server or parent site", () => {
    expect(defaultDownloadForm({ syncSource: "MicrosoftUpdate" }).sourceKind).toBe("MicrosoftUpdate");
    expect(defaultDownloadForm({ syncSource: "UpstreamServer" }).sourceKind).toBe("Upstream");
    expect(defaultDownloadForm({ syncSource: "ParentSite" }).sourceKind).toBe("Upstream");
    // Not known yet: the site's own default, Microsoft Update.
    expect(defaultDownloadForm({}).sourceKind).toBe("MicrosoftUpdate");
  });

  it("the source check is asked with the source and the files it must hold", () => {
    expect(checkArgs(form({ sourceKind: "LocalFolder", folder: " /srv/wsus ", languages: ["fr"] }))).toEqual({
      source: { kind: "LocalFolder", path: "/srv/wsus" },
      updateIds: ["u1"],
      updateGroupId: null,
      languages: ["fr"],
    });
    expect(pageIssues(form(), "check", [])).toEqual([]);
  });

  it("Deployment Package needs a package, or a new name no package has", () => {
    expect(pageIssues(form({ packageId: null }), "package", [PKG]).map((i) => i.field)).toEqual(["packageId"]);
    expect(pageIssues(form({ packageId: 4 }), "package", [PKG])).toEqual([]);
    expect(pageIssues(form({ packageChoice: "new", newName: " " }), "package", [PKG])[0].field).toBe("newName");
    expect(pageIssues(form({ packageChoice: "new", newName: "november" }), "package", [PKG])[0].message).toMatch(/exists/);
    expect(pageIssues(form({ packageChoice: "new", newName: "December" }), "package", [PKG])).toEqual([]);
    expect(pageIssues(form({ updateIds: [], packageId: 4 }), "package", [PKG])[0].field).toBe("updates");
  });

  it("a folder source needs its path; languages need one at least", () => {
    expect(pageIssues(form({ sourceKind: "LocalFolder", folder: "" }), "location", [])[0].field).toBe("folder");
    expect(pageIssues(form({ sourceKind: "Upstream", folder: "" }), "location", [])).toEqual([]);
    expect(pageIssues(form({ languages: [] }), "languages", [])[0].field).toBe("languages");
  });

  it("start_download gets the package (existing or new), the updates, the source and the languages", () => {
    expect(buildStartArgs(form({ packageId: 4, sourceKind: "LocalFolder", folder: " /srv/wsus " }))).toEqual({
      packageId: 4,
      newPackageName: null,
      newPackageDescription: null,
      updateIds: ["u1"],
      updateGroupId: null,
      source: { kind: "LocalFolder", path: "/srv/wsus" },
      languages: ["en"],
    });
    // A new package goes with the start, so that a refused start leaves none behind.
    const fresh = buildStartArgs(form({ packageChoice: "new", packageId: 4, newName: " December ", newDescription: " Patch Tuesday ", sourceKind: "MicrosoftUpdate" }));
    expect([fresh.packageId, fresh.newPackageName, fresh.newPackageDescription, fresh.source]).toEqual([null, "December", "Patch Tuesday", { kind: "MicrosoftUpdate" }]);
  });

  it("the Summary names the package, the source and the languages", () => {
    const lines = downloadSummary(form({ packageId: 4, languages: ["en", "fr"], sourceKind: "Upstream" }), { packages: [PKG], groupName: null, languageName: (c) => c.toUpperCase() });
    expect(lines.map((l) => l.value)).toEqual([
      "1 selected software update (with their bundled updates)",
      'Existing package "November"',
      "The upstream update server (as the software update point synchronizes)",
      "EN, FR",
    ]);
  });
});

describe("download progress", () => {
  const ev = (jobName: string, done: number, total: number) => ({ type: "progress" as const, job: jobName, done, total, message: "kb1.msu" });

  it("reads only its own job's events", () => {
    expect(downloadJobOf(ev("download:12", 1, 2))).toBe(12);
    expect(downloadJobOf(ev("sync", 1, 2))).toBeNull();
    expect(downloadJobOf({ type: "catalogChanged", newUpdates: 1, newRevisions: 1 })).toBeNull();
    expect(applyDownloadEvent(null, 9, ev("download:8", 1, 2))).toBeNull();
    expect(applyDownloadEvent(null, 9, ev("download:9", 1, 2))).toEqual({ done: 1, total: 2, message: "kb1.msu" });
  });

  it("takes whichever of the event and the job is further along; a finished job is whole", () => {
    expect(downloadFraction(job(), null)).toBe(0.25);
    expect(downloadFraction(job(), { done: 3, total: 4, message: "" })).toBe(0.75);
    expect(downloadFraction(job({ bytesTotal: 0, filesDownloaded: 1, filesFailed: 1 }), null)).toBe(0.5);
    expect(downloadFraction(job({ state: "Failed" }), null)).toBe(1);
    expect(downloadFraction(null, null)).toBeUndefined();
  });

  it("Resume Download continues a package's newest job only if it stopped short", () => {
    const jobs = [job({ id: 1, state: "Failed" }), job({ id: 2, state: "Succeeded" })];
    expect(resumableJob(jobs, 4)).toBeNull();
    expect(resumableJob([...jobs, job({ id: 3, state: "Interrupted" })], 4)?.id).toBe(3);
    expect(resumableJob([job({ id: 5, state: "Cancelled", packageId: 7 })], 4)).toBeNull();
  });
});
