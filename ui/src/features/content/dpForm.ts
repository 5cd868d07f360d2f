// The Add Distribution Point dialog as data: a folder, or another `patchdeck serve` reached
// at its address with its API token. The checks here only save a round trip on mistakes a
// user makes while typing; the site checks again and its refusal is shown as written.
import { strings } from "./strings";
import type { AddDistributionPointArgs } from "./types";

const a = strings.dps.addIssues;

export interface DpForm {
  name: string;
  kind: "Folder" | "Remote";
  folder: string;
  url: string;
  token: string;
  allowPlainHttp: boolean;
}

export type DpField = "name" | "folder" | "url" | "token" | "allowPlainHttp";
export type DpIssues = Partial<Record<DpField, string>>;

export const emptyDpForm: DpForm = { name: "", kind: "Folder", folder: "", url: "", token: "", allowPlainHttp: false };

/** True when the address is plain http:// (token and files would travel unencrypted). */
export const isPlainHttp = (url: string) => /^http:\/\//i.test(url.trim());

function urlIssue(raw: string): string | undefined {
  const url = raw.trim();
  if (!url) return a.urlRequired;
  if (!/^https?:\/\//i.test(url)) return a.urlScheme;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return a.urlInvalid;
  }
  if (!parsed.hostname) return a.urlInvalid;
  if (parsed.search || parsed.hash) return a.urlExtra;
  return undefined;
}

export function dpIssues(form: DpForm): DpIssues {
  const issues: DpIssues = {};
  if (!form.name.trim()) issues.name = a.nameRequired;
  if (form.kind === "Folder") {
    if (!form.folder.trim()) issues.folder = a.folderRequired;
    return issues;
  }
  const url = urlIssue(form.url);
  if (url) issues.url = url;
  else if (isPlainHttp(form.url) && !form.allowPlainHttp) issues.allowPlainHttp = a.plainHttp;
  if (!form.token.trim()) issues.token = a.tokenRequired;
  return issues;
}

/** The arguments of add_distribution_point; the token and the plain-HTTP consent only for a remote server. */
export function dpArgs(form: DpForm): AddDistributionPointArgs {
  if (form.kind === "Folder") return { name: form.name.trim(), kind: "Folder", location: form.folder.trim(), token: "" };
  return {
    name: form.name.trim(),
    kind: "Remote",
    location: form.url.trim().replace(/\/+$/, ""),
    token: form.token.trim(),
    allowPlainHttp: isPlainHttp(form.url) && form.allowPlainHttp,
  };
}
