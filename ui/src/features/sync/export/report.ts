// What the Export and Import Catalog dialogs check before calling the site, and how they
// word its report.
import { formatUtc } from "../../../components/format";
import { strings } from "./strings";
import type { CatalogImportReport, ExportCatalogReport } from "./types";

/**
 * Why `text` is not a full path on the site's machine, or null. The site checks again; this
 * only saves a round trip. Full paths: `/...` (Unix), `C:\...` or `C:/...`, `\\server\share`.
 */
export function pathProblem(text: string): string | null {
  const p = text.trim();
  if (!p) return strings.emptyPath;
  const full = p.startsWith("/") || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith("\\\\");
  return full ? null : strings.relativePath(p);
}

export function exportLines(r: ExportCatalogReport): string[] {
  const lines = [strings.exported(r.revisions, r.path)];
  if (r.contentFiles > 0) lines.push(strings.exportedContent(r.contentFiles, r.contentBytes));
  lines.push(strings.fileSize(r.fileBytes));
  return lines;
}

export function importLines(r: CatalogImportReport): string[] {
  const c = r.catalog;
  const lines = [
    strings.source(r.sourceSite, formatUtc(r.createdUtc) || r.createdUtc),
    strings.imported(c.newUpdates, c.newRevisions, c.unchanged),
  ];
  if (r.contentStored > 0 || r.contentAlreadyHeld > 0) {
    lines.push(strings.importedContent(r.contentStored, r.contentBytesStored, r.contentAlreadyHeld));
  }
  if (c.errors.length > 0) lines.push(strings.refused(c.errors.length), ...c.errors);
  return lines;
}
