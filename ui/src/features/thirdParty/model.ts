// The Upload Update wizard's form: the site's ThirdPartySpec, page by page. Which pages an
// installer gets (a Windows Installer file skips Detection Rules: its ProductCode is the
// rule), which page a site's FieldIssue belongs to, the values prefilled from what the
// installer says of itself (never over what the administrator typed), the return-code table
// and the Summary's lines.
import { formatBytes } from "../../components/format";
import { strings } from "./strings";
import type { InstallerDetails, ReturnCodeSpec, RuleSpec, ThirdPartySpec, UploadPage } from "./types";

const w = strings.wizard;

export const ALL_PAGES = ["files", "description", "requirements", "detection", "prerequisites", "arguments", "returnCodes"] as const;
export type InputPage = (typeof ALL_PAGES)[number];

/** The site's name of each page, for validate_upload_page. */
export const SITE_PAGE: Record<InputPage, UploadPage> = {
  files: "Files",
  description: "Description",
  requirements: "Requirements",
  detection: "Detection",
  prerequisites: "Prerequisites",
  arguments: "Arguments",
  returnCodes: "ReturnCodes",
};

export function isExecutable(path: string): boolean {
  return path.trim().toLowerCase().endsWith(".exe");
}

/** The pages this installer gets, in order. */
export function inputPages(spec: ThirdPartySpec): InputPage[] {
  return ALL_PAGES.filter((p) => p !== "detection" || isExecutable(spec.files.path));
}

/** The page holding a site's FieldIssue (`description.title`, `classification`, `returnCodes`...). */
export function pageOfField(field: string): InputPage | undefined {
  const head = field.split(".")[0];
  if (head === "classification") return "description";
  return (ALL_PAGES as readonly string[]).includes(head) ? (head as InputPage) : undefined;
}

export function emptyRule(): RuleSpec {
  return { kind: "Once", path: "", productCode: "", key: "HKEY_LOCAL_MACHINE", subkey: "" };
}

export function defaultSpec(): ThirdPartySpec {
  return {
    files: { path: "", extraPaths: [] },
    description: { title: "", description: "", vendor: "", product: "", supportUrl: "" },
    classification: "Updates",
    requirements: { architecture: "Both", operatingSystems: [] },
    detection: emptyRule(),
    prerequisites: { kind: "None", updateId: "", rule: { ...emptyRule(), kind: "FileExists" } },
    arguments: "",
    returnCodes: [
      { code: 0, result: "Succeeded", reboot: false },
      { code: 3010, result: "Succeeded", reboot: true },
    ],
  };
}

/**
 * The description and requirements filled from what the installer says, where still empty:
 * what the administrator typed stays.
 */
export function prefill(spec: ThirdPartySpec, details: InstallerDetails): ThirdPartySpec {
  const d = spec.description;
  const name = details.productName ?? "";
  const version = details.productVersion ?? "";
  const title = [name, version].filter(Boolean).join(" ");
  const architecture = details.platform === "x64" || details.platform === "ARM64" ? "X64" : spec.requirements.architecture;
  return {
    ...spec,
    description: {
      ...d,
      title: d.title.trim() ? d.title : title,
      description: d.description.trim() ? d.description : (details.description ?? ""),
      vendor: d.vendor.trim() ? d.vendor : (details.manufacturer ?? ""),
      product: d.product.trim() ? d.product : name,
    },
    requirements: { ...spec.requirements, architecture },
    // An executable must install silently: the usual switch, to be checked by the administrator.
    arguments: spec.arguments.trim() || details.kind !== "Executable" ? spec.arguments : "/q",
  };
}

/** Extra paths as the text box holds them: one a line. */
export function extrasFromText(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

export function extrasToText(paths: readonly string[]): string {
  return paths.join("\n");
}

/** A new row of the return-code table: the next code not in it yet, a failure. */
export function addReturnCode(codes: readonly ReturnCodeSpec[]): ReturnCodeSpec[] {
  let code = 1;
  while (codes.some((c) => c.code === code)) code++;
  return [...codes, { code, result: "Failed", reboot: false }];
}

export function changeReturnCode(codes: readonly ReturnCodeSpec[], index: number, patch: Partial<ReturnCodeSpec>): ReturnCodeSpec[] {
  return codes.map((c, i) => (i === index ? { ...c, ...patch } : c));
}

export function removeReturnCode(codes: readonly ReturnCodeSpec[], index: number): ReturnCodeSpec[] {
  return codes.filter((_, i) => i !== index);
}

/** A code typed in the table: an integer, else null (the row keeps its old value). */
export function parseCode(text: string): number | null {
  const t = text.trim();
  if (!/^-?\d{1,10}$/.test(t)) return null;
  const n = Number(t);
  return n >= -2147483648 && n <= 2147483647 ? n : null;
}

export function ruleText(rule: RuleSpec): string {
  const d = w.detection;
  switch (rule.kind) {
    case "Once":
      return d.Once;
    case "FileExists":
      return `${d.FileExists}: ${rule.path}`;
    case "MsiProductInstalled":
      return `${d.MsiProductInstalled}: ${rule.productCode}`;
    case "RegistryKeyExists":
      return `${d.RegistryKeyExists}: ${rule.key}\\${rule.subkey}`;
  }
}

export interface SummaryLine {
  page: InputPage;
  label: string;
  value: string;
}

/** The Summary's lines, each with the page it comes from. */
export function summaryLines(spec: ThirdPartySpec, details: InstallerDetails | null, productName: (id: string) => string): SummaryLine[] {
  const s = w.summary;
  const exe = isExecutable(spec.files.path);
  const lines: SummaryLine[] = [{ page: "files", label: s.installer, value: spec.files.path }];
  if (details) {
    lines.push({ page: "files", label: s.kind, value: strings.list.kind[details.kind] ?? details.kind });
    lines.push({ page: "files", label: s.files, value: w.files.total(details.files.length, formatBytes(details.totalSize)) });
  }
  lines.push(
    { page: "description", label: s.title, value: spec.description.title },
    { page: "description", label: s.vendor, value: spec.description.vendor },
    { page: "description", label: s.product, value: spec.description.product },
    { page: "description", label: s.classification, value: spec.classification },
    { page: "requirements", label: s.architecture, value: w.requirements[spec.requirements.architecture] },
    {
      page: "requirements",
      label: s.operatingSystems,
      value: spec.requirements.operatingSystems.length ? spec.requirements.operatingSystems.map(productName).join(", ") : s.any,
    },
  );
  if (exe) lines.push({ page: "detection", label: s.detection, value: ruleText(spec.detection) });
  const p = spec.prerequisites;
  lines.push({
    page: "prerequisites",
    label: s.prerequisites,
    value: p.kind === "None" ? strings.none : p.kind === "Update" ? `${w.prerequisites.Update}: ${p.updateId}` : ruleText(p.rule),
  });
  lines.push({ page: "arguments", label: s.arguments, value: spec.arguments.trim() || strings.none });
  lines.push({
    page: "returnCodes",
    label: s.returnCodes,
    value: spec.returnCodes.map((c) => `${c.code} ${w.returnCodes[c.result]}${c.reboot ? ` (${w.returnCodes.reboot})` : ""}`).join(", "),
  });
  return lines;
}
