// What every spec shares: the server under test, a typed-enough API client for checking the
// UI against the backend, the console's landmarks, and facts read from the fixtures.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { test as base, expect, type APIRequestContext, type Locator, type Page } from "@playwright/test";
import { FIXTURES } from "../paths";

export interface Site {
  url: string;
  token: string;
  /** Runs a command through the HTTP API with the token; throws on a non-2xx answer. */
  api<T = unknown>(name: string, args: unknown): Promise<T>;
}

async function useSite(
  playwright: { request: { newContext(options: { baseURL: string }): Promise<APIRequestContext> } },
  urlVar: string,
  tokenVar: string,
  use: (site: Site) => Promise<void>,
): Promise<void> {
  const url = process.env[urlVar];
  const token = process.env[tokenVar];
  if (!url || !token) throw new Error(`global-setup did not start the server of ${urlVar}`);
  const request = await playwright.request.newContext({ baseURL: url });
  await use({
    url,
    token,
    api: async <T,>(name: string, args: unknown) => {
      const res = await request.post(`/api/v1/commands/${name}`, {
        data: args,
        headers: { Authorization: `Bearer ${token}` },
      });
      if (!res.ok()) throw new Error(`${name} answered ${res.status()}: ${await res.text()}`);
      return (await res.json()) as T;
    },
  });
  await request.dispose();
}

export const test = base.extend<{
  /** The main site, filled by global-setup and never changed by a spec. */
  site: Site;
  /** The upstream of the synchronization spec (fixtures plus another generated catalog). */
  parent: Site;
  /** A site that starts empty and synchronizes from `parent`. */
  child: Site;
  /** A site that starts empty and serves Windows Update Agents at PATCHDECK_CLIENTS_WUSP_URL. */
  clients: Site;
  /** A site holding the fixture documents that serves Windows Update Agents at PATCHDECK_FLEET_WUSP_URL. */
  fleet: Site;
  /** A site never configured: the first-run wizard opens on it. */
  fresh: Site;
  /** Another site never configured, for the wizard's "Import a catalog export" path. */
  freshImport: Site;
  /** A parent whose updates' files are in its content library. */
  filesParent: Site;
  /** An empty site for alerts.spec.ts. */
  alertsSite: Site;
  /** An empty site for third-party.spec.ts to publish to. */
  publisher: Site;
  /** An empty site for the offline-servicing test of os-images.spec.ts. */
  servicing: Site;
}>({
  baseURL: async ({}, use) => use(process.env.PATCHDECK_URL),
  site: async ({ playwright }, use) => useSite(playwright, "PATCHDECK_URL", "PATCHDECK_TOKEN", use),
  parent: async ({ playwright }, use) => useSite(playwright, "PATCHDECK_PARENT_URL", "PATCHDECK_PARENT_TOKEN", use),
  child: async ({ playwright }, use) => useSite(playwright, "PATCHDECK_CHILD_URL", "PATCHDECK_CHILD_TOKEN", use),
  clients: async ({ playwright }, use) => useSite(playwright, "PATCHDECK_CLIENTS_URL", "PATCHDECK_CLIENTS_TOKEN", use),
  fleet: async ({ playwright }, use) => useSite(playwright, "PATCHDECK_FLEET_URL", "PATCHDECK_FLEET_TOKEN", use),
  fresh: async ({ playwright }, use) => useSite(playwright, "PATCHDECK_FRESH_URL", "PATCHDECK_FRESH_TOKEN", use),
  freshImport: async ({ playwright }, use) => useSite(playwright, "PATCHDECK_FRESH_IMPORT_URL", "PATCHDECK_FRESH_IMPORT_TOKEN", use),
  filesParent: async ({ playwright }, use) => useSite(playwright, "PATCHDECK_FILES_PARENT_URL", "PATCHDECK_FILES_PARENT_TOKEN", use),
  alertsSite: async ({ playwright }, use) => useSite(playwright, "PATCHDECK_ALERTS_URL", "PATCHDECK_ALERTS_TOKEN", use),
  publisher: async ({ playwright }, use) => useSite(playwright, "PATCHDECK_PUBLISHER_URL", "PATCHDECK_PUBLISHER_TOKEN", use),
  servicing: async ({ playwright }, use) => useSite(playwright, "PATCHDECK_SERVICING_URL", "PATCHDECK_SERVICING_TOKEN", use),
});
export { expect };

/** The list_updates arguments the console sends with no filter, as UpdateQuery. */
export function defaultQuery(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    offset: 0,
    limit: 100,
    sort: null,
    search: null,
    classificationIds: [],
    productIds: [],
    hideSuperseded: false,
    includeExpired: false,
    ...overrides,
  };
}

export interface UpdatePageJson {
  total: number;
  offset: number;
  rows: { updateId: string; title: string; articleId: string | null }[];
}

/** Opens the console of `site` the way the URL printed by `patchdeck serve` does. */
export async function openConsole(page: Page, site: Site): Promise<void> {
  await page.goto(`${site.url}/#token=${site.token}`);
  await expect(workspaceSwitcher(page)).toBeVisible();
}

export const workspaceSwitcher = (page: Page): Locator => page.getByRole("tablist", { name: "Workspaces" });
export const navTree = (page: Page): Locator => page.getByRole("navigation").getByRole("tree");

export async function openNode(page: Page, workspace: string, node: string): Promise<void> {
  await workspaceSwitcher(page).getByRole("tab", { name: workspace }).click();
  await navTree(page).getByRole("treeitem", { name: node, exact: true }).click();
}

/**
 * Runs a command of the node's bar: its button, or, when a narrow window sent it into the
 * bar's More menu, the menu's item.
 */
export async function runCommand(page: Page, name: string): Promise<void> {
  const button = page.getByRole("toolbar").getByRole("button", { name, exact: true });
  const more = page.getByRole("toolbar").getByRole("button", { name: "More commands" });
  // A node's page loads on first view: wait for its bar before choosing the path.
  await button.or(more).first().waitFor();
  if (await button.isVisible()) return button.click();
  await more.click();
  await page.getByRole("menuitem", { name, exact: true }).click();
}

export const updatesGrid = (page: Page): Locator => page.getByRole("grid", { name: "All Software Updates" });

/** Data row `n` (1-based) of a grid; the header is aria-rowindex 1. */
export const gridRow = (grid: Locator, n: number): Locator => grid.locator(`[role="row"][aria-rowindex="${n + 1}"]`);

export async function itemCount(page: Page): Promise<number> {
  const status = page.getByTestId("item-count");
  await expect(status).toHaveText(/^[\d.,\s\u00a0\u202f]+ items?$/);
  return Number((await status.innerText()).replace(/\D/g, ""));
}

// ---- facts from ../shared/fixtures (never typed into a test) ----

const UPDATES_DIR = () => path.join(FIXTURES, "wsusss", "updates");
export const BUNDLE_ID = "a2fef9b0-7951-4c2c-a42b-9e351dd1c1fe";

function readUpdateXml(updateId: string): string {
  const file = readdirSync(UPDATES_DIR()).find((f) => f.startsWith(updateId));
  if (!file) throw new Error(`no fixture document for ${updateId}`);
  return readFileSync(path.join(UPDATES_DIR(), file), "utf8");
}

function unescapeXml(s: string): string {
  return s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, "&");
}

function section(xml: string, element: string): string {
  const m = new RegExp(`<upd:${element}>([\\s\\S]*?)</upd:${element}>`).exec(xml);
  return m ? m[1] : "";
}

export interface FixtureUpdate {
  updateId: string;
  titleEn: string;
  kb: string | null;
  supersededIds: string[];
  bundledIds: string[];
  /** Files with their SHA-1 as lower-case hex (the XML has base64). */
  files: { name: string; sha1Hex: string; sha256Base64: string | null }[];
}

export function fixtureUpdate(updateId: string): FixtureUpdate {
  const xml = readUpdateXml(updateId);
  const en = /<upd:LocalizedProperties><upd:Language>en<\/upd:Language><upd:Title>([\s\S]*?)<\/upd:Title>/.exec(xml);
  if (!en) throw new Error(`no English title in the fixture of ${updateId}`);
  const ids = (s: string) => [...s.matchAll(/UpdateID="([^"]+)"/g)].map((m) => m[1]);
  const files = [...xml.matchAll(/<upd:File ([^>]*)>([\s\S]*?)<\/upd:File>/g)].map((m) => {
    const attr = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(m[1])?.[1] ?? "";
    const sha256 = /<upd:AdditionalDigest Algorithm="SHA256">([^<]+)</.exec(m[2]);
    return {
      name: attr("FileName"),
      sha1Hex: Buffer.from(attr("Digest"), "base64").toString("hex"),
      sha256Base64: sha256 ? sha256[1] : null,
    };
  });
  return {
    updateId,
    titleEn: unescapeXml(en[1]),
    kb: /<upd:KBArticleID>(\d+)<\/upd:KBArticleID>/.exec(xml)?.[1] ?? null,
    supersededIds: ids(section(xml, "SupersededUpdates")),
    bundledIds: ids(section(xml, "BundledUpdates")),
    files,
  };
}

/** Fixture documents that are direct members of `bundle` and carry files. */
export function bundledFixtureFiles(bundle: FixtureUpdate): { member: string; name: string; sha1Hex: string }[] {
  const present = new Set(readdirSync(UPDATES_DIR()).map((f) => f.slice(0, 36)));
  return bundle.bundledIds
    .filter((id) => present.has(id))
    .flatMap((id) => fixtureUpdate(id).files.map((f) => ({ member: id, name: f.name, sha1Hex: f.sha1Hex })));
}

/** A wall-clock time ("2030-01-10T10:00") as the console shows it: the browser's locale, read as written. */
export async function wallClockText(page: Page, value: string, part: "dateTime" | "time" = "dateTime"): Promise<string> {
  return page.evaluate(
    ([v, p]) => {
      const [d, t] = v.split("T");
      const [y, mo, da] = d.split("-").map(Number);
      const [h, mi] = t.split(":").map(Number);
      const options: Intl.DateTimeFormatOptions = p === "time" ? { timeStyle: "short", timeZone: "UTC" } : { dateStyle: "short", timeStyle: "short", timeZone: "UTC" };
      return new Intl.DateTimeFormat(undefined, options).format(Date.UTC(y, mo - 1, da, h, mi));
    },
    [value, part] as const,
  );
}

/** The status bar's count text for `n` items, as the console writes it. */
export function itemsText(n: number): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? "item" : "items"}`;
}
