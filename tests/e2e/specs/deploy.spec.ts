// The manual workflow of Configuration Manager (DEP-3) against the real server: search →
// create a software update group → download its content (a tampered file is refused, then
// resumed with the true file) → distribute it to a folder distribution point → Deploy Software Updates wizard end to end →
// the deployment in Monitoring > Deployments (disable, enable, tabbed Properties);
// and Cancel in the wizard changes nothing. Each test makes its own collection, group and
// package on the main site (named with a unique tag) and removes them when it ends.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Page } from "@playwright/test";
import { defaultQuery, expect, gridRow, openConsole, openNode, runCommand, test, updatesGrid, wallClockText, type Site, type UpdatePageJson } from "./harness";

interface FileInfo {
  updateId: string;
  fileName: string;
  size: number;
  sha1: string;
}
interface Details {
  row: { updateId: string; title: string; articleId: string | null };
  files: FileInfo[];
  bundledFiles: FileInfo[];
}
interface Named {
  id: number;
  name: string;
}

const tag = () => `E2E ${Date.now().toString(36)}`;

/**
 * A generated update whose files (its own and its bundle members') have distinct names, so
 * a folder can hold each under its name; the generator's content of each file is known.
 */
async function updateWithFiles(site: Site): Promise<Details & { all: FileInfo[] }> {
  // Files already in the content library would not be fetched again (nor refused): skip them.
  const held = new Set<string>();
  for (const job of await site.api<{ id: number }[]>("list_download_jobs", {})) {
    const full = await site.api<{ files: { sha1: string; state: string }[] }>("get_download_job", { id: job.id });
    full.files.filter((f) => f.state === "Downloaded").forEach((f) => held.add(f.sha1));
  }
  const page = await site.api<UpdatePageJson>("list_updates", defaultQuery({ limit: 100 }));
  for (const row of page.rows) {
    if (!row.articleId) continue;
    const d = await site.api<Details>("get_update", { updateId: row.updateId });
    const all = [...d.files, ...d.bundledFiles];
    const names = new Set(all.map((f) => f.fileName.toLowerCase()));
    const fresh = all.every((f) => !held.has(Buffer.from(f.sha1, "hex").toString("base64")));
    if (fresh && all.length >= 2 && names.size === all.length && all.every((f) => /^windows-kb\d+-\d+\./.test(f.fileName))) return { ...d, all };
  }
  throw new Error("no generated update with two or more distinctly named files not yet downloaded in the first page");
}

/** What catalog/generator.rs hashed for a generated file ("patchdeck generated content <kb> <i> <size>"). */
function generatedContent(f: FileInfo): string {
  const m = /^windows-kb(\d+)-(\d+)\./.exec(f.fileName);
  if (!m) throw new Error(`not a generated file name: ${f.fileName}`);
  return `patchdeck generated content ${m[1]} ${Number(m[2]) - 1} ${f.size}`;
}

async function selectOnlyRow(page: Page, search: string, title: string): Promise<void> {
  await openNode(page, "Software Library", "All Software Updates");
  await page.getByRole("searchbox", { name: "Search" }).fill(search);
  // Wait for the search's answer: a click on the unfiltered page would be undone by it.
  await expect(page.getByTestId("item-count")).toHaveText("1 item");
  const grid = updatesGrid(page);
  await expect(gridRow(grid, 1)).toContainText(title);
  await gridRow(grid, 1).click();
}

const wizard = (page: Page) => page.getByTestId("deploy-wizard");
const pageHeading = (page: Page) => page.locator("#wizard-page-heading");

async function next(page: Page, expectHeading: RegExp | string): Promise<void> {
  await page.getByRole("button", { name: "Next >" }).click();
  await expect(pageHeading(page)).toContainText(expectHeading);
}

test.describe.configure({ mode: "serial" });

test("search, create a group, download its content, deploy it, see it in Monitoring", async ({ page, site }) => {
  test.setTimeout(180_000);
  const t = tag();
  const update = await updateWithFiles(site);
  const collection = await site.api<Named>("create_target_group", { name: `${t} Servers`, parentId: null, description: "" });
  const folder = mkdtempSync(path.join(tmpdir(), "patchdeck-e2e-content-"));
  // Every file with its true content, except one whose bytes are tampered with.
  const tampered = update.all[update.all.length - 1];
  for (const f of update.all) writeFileSync(path.join(folder, f.fileName), f === tampered ? "tampered bytes" : generatedContent(f));
  const groupName = `${t} Patch Tuesday`;
  const packageName = `${t} November`;
  const deploymentName = `${t} Servers required`;
  const before = await site.api<unknown[]>("list_deployments", {});
  const dpName = `${t} DP`;
  const dpFolder = path.join(folder, "dp");

  try {
    await openConsole(page, site);
    // Search, then create a software update group from the selection.
    await selectOnlyRow(page, `KB${update.row.articleId}`, update.row.title);
    await page.getByRole("toolbar").getByRole("button", { name: "Create Software Update Group" }).click();
    const groupDialog = page.getByRole("dialog", { name: /Create Software Update Group/ });
    await groupDialog.getByRole("textbox", { name: /Name/ }).fill(groupName);
    await groupDialog.getByRole("button", { name: "Create" }).click();
    await expect(groupDialog).toHaveCount(0);

    // Download Software Updates: a new package, from a folder, English.
    await runCommand(page, "Download");
    const dl = page.getByTestId("download-wizard");
    await expect(pageHeading(page)).toContainText("Specify a deployment package");
    await dl.getByRole("radio", { name: "Create a new deployment package" }).check();
    await dl.getByRole("textbox", { name: /^Name/ }).fill(packageName);
    await next(page, "Specify where to download");
    await dl.getByRole("radio", { name: /A location on the network/ }).check();
    await next(page, "Specify where to download"); // refused: no folder yet
    await expect(dl.getByText("Enter the folder to download from.")).toBeVisible();
    await dl.getByRole("textbox", { name: /Folder path/ }).fill(folder);
    await next(page, "Specify the languages");
    await expect(dl.getByRole("checkbox", { name: "English" })).toBeChecked();
    await next(page, "Check the download source");
    // The site found the folder and the files in it before the Summary.
    await expect(dl.getByTestId("source-check")).toContainText("The source can be used");
    await next(page, "Confirm the settings");
    await expect(dl.getByText(`New package "${packageName}"`)).toBeVisible();
    await expect(dl.getByText(`Folder ${folder}`)).toBeVisible();
    await page.getByRole("button", { name: "Next >" }).click();
    await expect(pageHeading(page)).toContainText("completed with errors", { timeout: 60_000 });
    await expect(dl.getByTestId("download-result")).toHaveText(`${update.all.length - 1} files downloaded into "${packageName}".`.replace("1 files", "1 file"));
    const failedRow = dl.getByRole("table", { name: "Files not downloaded" }).getByRole("row").filter({ hasText: tampered.fileName });
    await expect(failedRow).toHaveCount(1);
    await expect(failedRow).toContainText(/digest|SHA/i);
    await page.getByRole("button", { name: "Close" }).click();

    // The package in Software Library > Deployment Packages.
    await openNode(page, "Software Library", "Deployment Packages");
    const packages = page.getByRole("grid", { name: "Deployment Packages" });
    const pkgRow = packages.getByRole("row").filter({ hasText: packageName });
    await expect(pkgRow).toContainText(`${update.all.length - 1} of ${update.all.length}`);
    // The true file put in place, Resume Download completes the package.
    writeFileSync(path.join(folder, tampered.fileName), generatedContent(tampered));
    await pkgRow.click();
    await page.getByRole("toolbar").getByRole("button", { name: "Resume Download" }).click();
    await expect(pkgRow).toContainText(`${update.all.length} of ${update.all.length}`);

    // A folder distribution point (Administration), then Distribute Content: status per DP.
    await openNode(page, "Administration", "Distribution Points");
    await page.getByRole("toolbar").getByRole("button", { name: "Add Distribution Point" }).click();
    const addDp = page.getByRole("dialog", { name: "Add Distribution Point" });
    await addDp.getByRole("textbox", { name: /^Name/ }).fill(dpName);
    await addDp.getByRole("textbox", { name: /Folder path/ }).fill(dpFolder);
    await addDp.getByRole("button", { name: "OK" }).click();
    await expect(page.getByRole("grid", { name: "Distribution Points" }).getByRole("row").filter({ hasText: dpName })).toHaveCount(1);
    await openNode(page, "Software Library", "Deployment Packages");
    await pkgRow.click();
    await page.getByRole("toolbar").getByRole("button", { name: "Distribute Content" }).click();
    const distribute = page.getByRole("dialog", { name: /Distribute Content/ });
    // Only this test's distribution point (others on the site keep what they hold).
    const ours = distribute.getByRole("checkbox", { name: dpName });
    await expect(ours).toBeChecked();
    for (const box of await distribute.getByRole("checkbox").all()) await box.uncheck();
    await ours.check();
    await distribute.getByRole("button", { name: "Distribute" }).click();
    await expect(distribute).toHaveCount(0);
    await page.getByRole("tab", { name: "Content Status" }).click();
    const dpStatus = page.getByRole("table", { name: "Content Status" }).getByRole("row").filter({ hasText: dpName });
    await expect(dpStatus).toContainText("Installed", { timeout: 30_000 });
    await expect(pkgRow).toContainText("1 installed");

    // Deploy Software Updates: the group, to the collection, required.
    await selectOnlyRow(page, `KB${update.row.articleId}`, update.row.title);
    await page.getByRole("toolbar").getByRole("button", { name: "Deploy", exact: true }).click();
    const w = wizard(page);
    await expect(pageHeading(page)).toContainText("general information");
    await page.getByRole("button", { name: "Next >" }).click();
    await expect(w.getByText("Enter a name for the deployment.")).toBeVisible();
    await w.getByRole("textbox", { name: /Deployment Name/ }).fill(deploymentName);
    await w.getByRole("radio", { name: "A software update group" }).check();
    await w.getByRole("combobox", { name: /Software Update Group/ }).click();
    await page.getByRole("option", { name: new RegExp(groupName) }).click();
    await w.getByRole("radio", { name: `${t} Servers` }).check();
    await next(page, "Specify the settings");
    await next(page, "Specify the schedule");
    // A deadline before the available time is refused on this page.
    const [availableSpecific, deadlineSpecific] = await w.getByRole("radio", { name: "Specific time" }).all();
    await availableSpecific.check();
    await deadlineSpecific.check();
    await w.getByLabel("Software available time: date and time").fill("2030-01-10T10:00");
    await w.getByLabel("Installation deadline: date and time").fill("2030-01-09T10:00");
    await next(page, "Specify the schedule");
    await expect(w.getByText("The installation deadline cannot be before the software available time.")).toBeVisible();
    await w.getByLabel("Installation deadline: date and time").fill("2030-01-17T18:30");
    await next(page, "Specify the user experience");
    await w.getByRole("checkbox", { name: "Workstations" }).check();
    await next(page, "alert options");
    await w.getByRole("checkbox", { name: /Generate an alert/ }).check();
    await w.getByRole("spinbutton", { name: /percent/ }).fill("80");
    await next(page, "download settings");
    await w.getByRole("checkbox", { name: /download content from Microsoft Update/ }).check();
    await next(page, "Confirm the settings");
    for (const text of [deploymentName, `Software update group "${groupName}"`, `${t} Servers`, `${await wallClockText(page, "2030-01-10T10:00")} UTC`, `${await wallClockText(page, "2030-01-17T18:30")} UTC`, "When compliance is below 80% 7 days after the deadline"]) {
      await expect(w.getByText(text, { exact: false }).first()).toBeVisible();
    }
    await page.getByRole("button", { name: "Next >" }).click();
    await expect(pageHeading(page)).toContainText("Deploy Software Updates Wizard completed");
    await expect(w.getByText(`The deployment "${deploymentName}" was created.`)).toBeVisible();
    await page.getByRole("button", { name: "Close" }).click();

    // What the site stored.
    const after = await site.api<{ name: string; updateGroupName: string; targetGroupPath: string; enabled: boolean; settings: Record<string, unknown> }[]>("list_deployments", {});
    expect(after.length).toBe(before.length + 1);
    const created = after.find((d) => d.name === deploymentName);
    expect(created?.updateGroupName).toBe(groupName);
    expect(created?.settings).toMatchObject({
      deploymentType: "Required",
      availableUtc: expect.stringMatching(/^2030-01-10T10:00/),
      deadlineUtc: expect.stringMatching(/^2030-01-17T18:30/),
      suppressRestartWorkstations: true,
      alertBelowPercent: 80,
      alertDaysAfterDeadline: 7,
      fallbackToMicrosoftUpdate: true,
    });

    // Monitoring > Deployments lists it with zero counts; Disable then Enable it.
    await page.getByRole("button", { name: "Show in Monitoring > Deployments" }).click();
    const grid = page.getByRole("grid", { name: "Deployments" });
    const row = grid.getByRole("row").filter({ hasText: deploymentName });
    await expect(row).toContainText(groupName);
    await expect(row).toContainText(`${t} Servers`);
    await row.getByRole("gridcell").first().click();
    await expect(page.getByTestId("deployment-summary")).toContainText(deploymentName);
    const enabledCell = row.getByRole("gridcell").nth(4); // Deployment Name, Group, Collection, Purpose, Enabled
    await expect(enabledCell).toHaveText("Yes");
    await page.getByRole("toolbar").getByRole("button", { name: "Disable" }).click();
    await expect(enabledCell).toHaveText("No");
    expect((await site.api<{ name: string; enabled: boolean }[]>("list_deployments", {})).find((d) => d.name === deploymentName)?.enabled).toBe(false);
    await page.getByRole("toolbar").getByRole("button", { name: "Enable" }).click();
    await expect(enabledCell).toHaveText("Yes");

    // Properties: the wizard's pages as tabs of a Properties dialog; OK saves the changes.
    await page.getByRole("toolbar").getByRole("button", { name: "Properties" }).click();
    const properties = page.getByRole("dialog", { name: `${deploymentName} Properties` });
    await expect(properties.getByRole("textbox", { name: /Deployment Name/ })).toHaveValue(deploymentName);
    await properties.getByRole("textbox", { name: /Description/ }).fill("Edited in Properties");
    await properties.getByRole("tab", { name: "Scheduling" }).click();
    await expect(properties.getByRole("tabpanel", { name: "Scheduling" })).toBeVisible();
    await properties.getByRole("button", { name: "OK" }).click();
    await expect(properties).toHaveCount(0);
    const edited = (await site.api<{ name: string; description: string; settings: { deadlineUtc: string } }[]>("list_deployments", {})).find((d) => d.name === deploymentName);
    expect(edited?.description).toBe("Edited in Properties");
    expect(edited?.settings.deadlineUtc).toMatch(/^2030-01-17T18:30/);
  } finally {
    await cleanup(site, { deploymentName, groupName, packageName, collectionId: collection.id, dpName });
    rmSync(folder, { recursive: true, force: true });
  }
});

test("Cancel in the Deploy wizard changes nothing", async ({ page, site }) => {
  const t = tag();
  const collection = await site.api<Named>("create_target_group", { name: `${t} Desktops`, parentId: null, description: "" });
  const before = await site.api<unknown[]>("list_deployments", {});
  const groupsBefore = await site.api<unknown[]>("list_update_groups", {});
  try {
    await openConsole(page, site);
    const first = await site.api<UpdatePageJson>("list_updates", defaultQuery({ limit: 1 }));
    await openNode(page, "Software Library", "All Software Updates");
    await expect(gridRow(updatesGrid(page), 1).getByRole("gridcell").first()).toHaveText(first.rows[0].title);
    await gridRow(updatesGrid(page), 1).click();
    await page.getByRole("toolbar").getByRole("button", { name: "Deploy", exact: true }).click();
    const w = wizard(page);
    await w.getByRole("textbox", { name: /Deployment Name/ }).fill(`${t} never`);
    await w.getByRole("radio", { name: `${t} Desktops` }).check();
    await page.getByRole("button", { name: "Summary" }).click();
    await expect(pageHeading(page)).toContainText("Confirm the settings");
    await page.getByRole("button", { name: "Cancel" }).click();
    await expect(w).toHaveCount(0);
    expect((await site.api<unknown[]>("list_deployments", {})).length).toBe(before.length);
    expect((await site.api<unknown[]>("list_update_groups", {})).length).toBe(groupsBefore.length);
  } finally {
    await site.api("delete_target_group", { id: collection.id }).catch(() => undefined);
  }
});

async function cleanup(site: Site, what: { deploymentName: string; groupName: string; packageName: string; collectionId: number; dpName: string }) {
  const deployments = await site.api<Named[]>("list_deployments", {});
  for (const d of deployments.filter((d) => d.name === what.deploymentName)) await site.api("delete_deployment", { id: d.id });
  const groups = await site.api<Named[]>("list_update_groups", {});
  for (const g of groups.filter((g) => g.name === what.groupName)) await site.api("delete_update_group", { id: g.id });
  const packages = await site.api<Named[]>("list_packages", {});
  for (const p of packages.filter((p) => p.name === what.packageName)) await site.api("delete_package", { id: p.id }).catch(() => undefined);
  await site.api("delete_target_group", { id: what.collectionId }).catch(() => undefined);
  const dps = await site.api<Named[]>("list_distribution_points", {});
  for (const d of dps.filter((d) => d.name === what.dpName)) await site.api("remove_distribution_point", { id: d.id });
}

test("Content Settings: the Microsoft Update fallback for clients (CNT-2) is saved", async ({ page, site }) => {
  const before = await site.api<{ allowMicrosoftUpdateFallback: boolean }>("get_content_settings", {});
  try {
    await openConsole(page, site);
    await openNode(page, "Administration", "Distribution Points");
    await page.getByRole("toolbar").getByRole("button", { name: "Content Settings" }).click();
    const dialog = page.getByRole("dialog", { name: "Content Settings" });
    const fallback = dialog.getByRole("checkbox", { name: /download it from Microsoft Update/ });
    await expect(fallback).toBeChecked({ checked: before.allowMicrosoftUpdateFallback });
    await fallback.setChecked(!before.allowMicrosoftUpdateFallback);
    await dialog.getByRole("button", { name: "OK" }).click();
    await expect(dialog).toHaveCount(0);
    expect(await site.api("get_content_settings", {})).toEqual({ allowMicrosoftUpdateFallback: !before.allowMicrosoftUpdateFallback });
  } finally {
    await site.api("set_content_settings", before);
  }
});
