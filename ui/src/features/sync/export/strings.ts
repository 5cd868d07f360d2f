// Text of the Export Catalog and Import Catalog commands (SYNC-7, disconnected sites).
import { countOf, formatBytes, formatCount } from "../../../components/format";

const plural = countOf;

export const strings = {
  exportCommand: "Export Catalog...",
  exportHint: "Write the catalog, and optionally the update files, to one file for a disconnected site",
  importCommand: "Import Catalog...",
  importHint: "Load a catalog export made at a connected site",
  exportTitle: "Export Catalog",
  importTitle: "Import Catalog",
  // Like wsusutil export/import: the file is read and written by the site, wherever it runs.
  serverSide:
    "The path is on the machine that runs the site, not on this computer. Copy the file to the disconnected site by any means you trust.",
  importChecks:
    "The whole file is checked before anything changes: a damaged or altered file is refused and the site stays as it was. Updates and files the site already holds are skipped.",
  path: "File path",
  sitePath: "File path on the machine that runs the site",
  browse: "Browse...",
  saveTitle: "Save the catalog export as",
  openTitle: "Open a catalog export",
  fileKind: { name: "Catalog export", extensions: ["tar.gz", "tgz"] },
  defaultFileName: "catalog-export.tar.gz",
  pickerFailed: (reason: string) => `The file dialog did not open: ${reason}. Type the full path instead.`,
  // The desktop app holds the site: the file is on this computer.
  desktopSide: "The site runs inside this app, so the file is on this computer.",
  pathPlaceholder: "/srv/patchdeck/catalog-export.tar.gz",
  withContent: "Include the content library (every downloaded update file)",
  withContentHint: "The export then holds the files themselves and can be many gigabytes.",
  exportOk: "Export",
  importOk: "Import",
  cancel: "Cancel",
  close: "Close",
  working: "Working…",
  exportFailed: "The catalog was not exported",
  importFailed: "The catalog was not imported",
  exportDone: "Export complete",
  importDone: "Import complete",
  emptyPath: "Give the full path of the file on the machine that runs the site.",
  relativePath: (p: string) => `'${p}' is a relative path; give the full path of the file on the machine that runs the site.`,
  exported: (revisions: number, path: string) => `${plural(revisions, "update revision", "update revisions")} exported to ${path}.`,
  exportedContent: (files: number, bytes: number) => `${plural(files, "content file", "content files")} (${formatBytes(bytes)}) included.`,
  fileSize: (bytes: number) => `Export file: ${formatBytes(bytes)}.`,
  source: (site: string, when: string) => `Exported from site ${site} on ${when}.`,
  imported: (updates: number, revisions: number, held: number) =>
    `${plural(updates, "new update", "new updates")}, ${plural(revisions, "new revision", "new revisions")}, ${formatCount(held)} already held.`,
  importedContent: (stored: number, bytes: number, held: number) =>
    `${plural(stored, "content file", "content files")} stored (${formatBytes(bytes)}), ${formatCount(held)} already held.`,
  refused: (n: number) => `${plural(n, "document was", "documents were")} refused:`,
} as const;
