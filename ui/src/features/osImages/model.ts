// What the OS image pages and wizards decide, apart from React: the wizard's form, the issues
// of each page, the arguments sent, the Summary's lines and where a site refusal is shown.
import type { ApiFailure } from "../../api";
import type { Property } from "../../components/PropertyList";
import type { WizardIssue } from "../../components/WizardFrame";
import { formatBytes } from "../../components/format";
import { strings } from "./strings";
import type { AddOsImageArgs, AddOsUpgradePackageArgs, OsImage, OsImageInspection, OsImageKind } from "./types";

const w = strings.wizard;

export interface OsImageForm {
  /** The .wim file (Image) or the setup folder (UpgradePackage). */
  path: string;
  name: string;
  version: string;
  comment: string;
}

export const emptyForm: OsImageForm = { path: "", name: "", version: "", comment: "" };

export const MAX_NAME = 200;

/** The Data Source page's own problem: a path must be given (the site says the rest). */
export function sourceIssues(kind: OsImageKind, form: OsImageForm): WizardIssue[] {
  return form.path.trim() ? [] : [{ field: "path", message: w[kind].pathRequired }];
}

/** The name the item gets: the one given, else (an image) the first index's name. */
export function effectiveName(kind: OsImageKind, form: OsImageForm, inspection: OsImageInspection | null): string {
  const given = form.name.trim();
  if (given || kind === "UpgradePackage") return given;
  return inspection?.indexes[0]?.name ?? "";
}

/** The General page's problems: a name of 1 to 200 characters, not taken by another item of the list. */
export function generalIssues(
  kind: OsImageKind,
  form: OsImageForm,
  inspection: OsImageInspection | null,
  existing: readonly OsImage[],
): WizardIssue[] {
  const name = effectiveName(kind, form, inspection);
  if (!name || [...name].length > MAX_NAME) return [{ field: "name", message: w.nameRequired }];
  if (existing.some((e) => e.name === name)) return [{ field: "name", message: w.nameTaken(name) }];
  return [];
}

/** A refusal of the site, on the field it is about: a name already taken, else the path. */
export function issueOfRefusal(failure: Pick<ApiFailure, "code" | "message">): WizardIssue {
  return { field: failure.code === "Conflict" ? "name" : "path", message: failure.message };
}

/** The page that holds a field. */
export function pageOfField(field: string): string | undefined {
  if (field === "path") return "source";
  if (field === "name" || field === "version" || field === "comment") return "general";
  return undefined;
}

export type AddCall =
  | { command: "add_os_image"; args: AddOsImageArgs }
  | { command: "add_os_upgrade_package"; args: AddOsUpgradePackageArgs };

/** The command that adds the item, with what the form holds (trimmed; empty optional fields left to the site). */
export function addCall(kind: OsImageKind, form: OsImageForm): AddCall {
  const path = form.path.trim();
  const name = form.name.trim();
  const version = form.version.trim();
  if (kind === "Image") {
    return {
      command: "add_os_image",
      args: { path, name: name || null, version: version || null, description: form.comment.trim() || null },
    };
  }
  return { command: "add_os_upgrade_package", args: { folder: path, name, version, comment: form.comment.trim() } };
}

export type SummaryLine = Property & { page: "source" | "general" };

/** The Summary page's lines, each under the page it comes from. */
export function summaryLines(kind: OsImageKind, form: OsImageForm, inspection: OsImageInspection | null): SummaryLine[] {
  const s = w.summaryLines;
  const lines: SummaryLine[] = [{ page: "source", label: s.path, value: form.path.trim() }];
  if (inspection) {
    if (kind === "UpgradePackage") lines.push({ page: "source", label: s.file, value: inspection.wimPath });
    lines.push({
      page: "source",
      label: s.images,
      value: inspection.indexes.map((i) => `${i.index}: ${i.name} (${[i.edition, i.architecture, i.version].filter(Boolean).join(", ")})`).join("; "),
    });
  }
  lines.push({ page: "general", label: s.name, value: effectiveName(kind, form, inspection) });
  lines.push({ page: "general", label: s.version, value: form.version.trim() || strings.none });
  lines.push({ page: "general", label: s.comment, value: form.comment.trim() || strings.none });
  return lines;
}

/** The list's Architecture and Language cells: every index's, once each. */
export function listText(values: readonly string[]): string {
  return values.length ? values.join(", ") : "";
}

/** An index's size as the grid shows it. */
export function sizeText(bytes: number): string {
  return formatBytes(bytes);
}
