// The Download Software Updates wizard as data, and how a download job's progress is read:
// the pages, the form, each page's checks, the source it defaults to (where the site
// synchronizes from), the arguments of check_download_source and start_download, the Summary,
// and live progress folded from `progress` events (job "download:<id>") over the last
// get_download_job answer.
import type { SiteEvent } from "../../api";
import { strings } from "./strings";
import type { CheckDownloadSourceArgs, ContentPackage, DownloadJob, DownloadSource, StartDownloadArgs, SyncSource } from "./types";

const w = strings.wizard;

// The source is checked on its own page, after the languages: they decide which files it must hold.
export const INPUT_PAGES = ["package", "location", "languages", "check"] as const;
export type InputPage = (typeof INPUT_PAGES)[number];

export interface DownloadForm {
  packageChoice: "existing" | "new";
  packageId: number | null;
  newName: string;
  newDescription: string;
  sourceKind: DownloadSource["kind"];
  folder: string;
  languages: readonly string[];
  updateIds: readonly string[];
  updateGroupId: number | null;
}

export interface DownloadInit {
  updateIds?: readonly string[];
  updateGroupId?: number | null;
  /** The update point's languages (get_sync_settings), when known. */
  languages?: readonly string[];
  packages?: readonly ContentPackage[];
  /** Where the update point synchronizes from (get_sync_settings), when known. */
  syncSource?: SyncSource;
}

/**
 * The download source matching where the site synchronizes from: its upstream server (or
 * parent site) when it has one, else Microsoft Update, the site's own default.
 */
export const sourceForSync = (sync: SyncSource | undefined): Exclude<DownloadSource["kind"], "LocalFolder"> =>
  sync === "UpstreamServer" || sync === "ParentSite" ? "Upstream" : "MicrosoftUpdate";

export function defaultDownloadForm({ updateIds = [], updateGroupId = null, languages, packages, syncSource }: DownloadInit): DownloadForm {
  return {
    packageChoice: packages && packages.length > 0 ? "existing" : "new",
    packageId: null,
    newName: "",
    newDescription: "",
    sourceKind: sourceForSync(syncSource),
    folder: "",
    languages: languages && languages.length ? [...languages] : ["en"],
    updateIds,
    updateGroupId,
  };
}

export interface Issue {
  field: string;
  message: string;
}

export function pageIssues(form: DownloadForm, page: InputPage, packages: readonly ContentPackage[]): Issue[] {
  const issues: Issue[] = [];
  switch (page) {
    case "package":
      if (form.updateIds.length === 0 && form.updateGroupId === null) issues.push({ field: "updates", message: w.issues.updatesRequired });
      if (form.packageChoice === "existing" && form.packageId === null) issues.push({ field: "packageId", message: w.issues.packageRequired });
      if (form.packageChoice === "new") {
        const name = form.newName.trim();
        if (!name) issues.push({ field: "newName", message: w.issues.nameRequired });
        else if (packages.some((p) => p.name.toLowerCase() === name.toLowerCase())) issues.push({ field: "newName", message: w.issues.nameTaken });
      }
      break;
    case "location":
      if (form.sourceKind === "LocalFolder" && !form.folder.trim()) issues.push({ field: "folder", message: w.issues.pathRequired });
      break;
    case "languages":
      if (form.languages.length === 0) issues.push({ field: "languages", message: w.issues.languagesRequired });
      break;
    case "check":
      // The site checks the source (checkArgs); nothing to check here.
      break;
  }
  return issues;
}

export function sourceOf(form: DownloadForm): DownloadSource {
  return form.sourceKind === "LocalFolder" ? { kind: "LocalFolder", path: form.folder.trim() } : { kind: form.sourceKind };
}

export function buildStartArgs(form: DownloadForm): StartDownloadArgs {
  return {
    packageId: form.packageChoice === "existing" ? form.packageId : null,
    // A new package is created by start_download itself, in the job's transaction: a refused
    // start leaves no empty package behind.
    newPackageName: form.packageChoice === "new" ? form.newName.trim() : null,
    newPackageDescription: form.packageChoice === "new" ? form.newDescription.trim() : null,
    updateIds: [...form.updateIds],
    updateGroupId: form.updateGroupId,
    source: sourceOf(form),
    languages: [...form.languages],
  };
}

/** What check_download_source is asked: the source and the files it must hold. */
export function checkArgs(form: DownloadForm): CheckDownloadSourceArgs {
  return { source: sourceOf(form), updateIds: [...form.updateIds], updateGroupId: form.updateGroupId, languages: [...form.languages] };
}

export function sourceText(source: DownloadSource): string {
  return source.kind === "LocalFolder" ? w.summaryValues.folder(source.path) : w.location[source.kind];
}

export function downloadSummary(
  form: DownloadForm,
  ctx: { packages: readonly ContentPackage[]; groupName: string | null; languageName(code: string): string },
): { label: string; value: string; page: InputPage }[] {
  const l = w.summaryLabels;
  const v = w.summaryValues;
  const existing = ctx.packages.find((p) => p.id === form.packageId);
  return [
    {
      label: l.updates,
      page: "package",
      value: form.updateIds.length > 0 ? v.updates(form.updateIds.length) : v.group(ctx.groupName ?? String(form.updateGroupId ?? "")),
    },
    {
      label: l.package,
      page: "package",
      value: form.packageChoice === "new" ? v.newPackage(form.newName.trim()) : v.existingPackage(existing?.name ?? String(form.packageId ?? "")),
    },
    { label: l.source, page: "location", value: sourceText(sourceOf(form)) },
    { label: l.languages, page: "languages", value: form.languages.map(ctx.languageName).join(", ") },
  ];
}

/** The job id of a download progress event, or null for any other event. */
export function downloadJobOf(event: SiteEvent): number | null {
  if (event.type !== "progress") return null;
  const m = /^download:(\d+)$/.exec(event.job);
  return m ? Number(m[1]) : null;
}

export interface LiveDownload {
  done: number;
  total: number;
  message: string;
}

/** Applies one event to the live progress of job `id` (other events leave it as it was). */
export function applyDownloadEvent(live: LiveDownload | null, id: number, event: SiteEvent): LiveDownload | null {
  if (event.type !== "progress" || downloadJobOf(event) !== id) return live;
  return { done: event.done, total: event.total, message: event.message };
}

/**
 * Fraction done, from whichever is further along: the live event (its own units) or the
 * job's byte counts (files when the sizes are unknown). Undefined when nothing is known.
 */
export function downloadFraction(job: DownloadJob | null, live: LiveDownload | null): number | undefined {
  const fractions: number[] = [];
  if (live && live.total > 0) fractions.push(live.done / live.total);
  if (job) {
    if (job.state !== "Running") return 1;
    if (job.bytesTotal > 0) fractions.push(job.bytesDone / job.bytesTotal);
    else if (job.filesTotal > 0) fractions.push((job.filesDownloaded + job.filesFailed) / job.filesTotal);
  }
  if (!fractions.length) return undefined;
  return Math.min(1, Math.max(...fractions));
}

export const isFinished = (job: DownloadJob | null) => job !== null && job.state !== "Running";
