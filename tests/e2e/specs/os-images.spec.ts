// OS Images and OS Upgrade Packages (issue 17, OSP-1/OSP-3): real WIM files made here with
// wimlib-imagex from a Windows-like tree holding a real package manifest, added through the
// Add wizards; the grid and details show what `wimlib-imagex info` prints and the update the
// manifest names; a refused file is said under the path; Cancel changes nothing. Offline
// servicing on a site of its own: updates with real cabinets (made here) in its catalog and
// library, Schedule Updates through to Completion driving DISM's stand-in, the run followed
// from In progress to Successful in Monitoring › Offline Servicing, then the image's
// Properties (Installed Updates, Servicing with the link to the run's log). Distribute
// Content to a folder point, followed on the Distribution tab to Installed.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createHash } from "node:crypto";
import { ROOT } from "../paths";
import { expect, openConsole, openNode, runCommand, test, type Site } from "./harness";
import { makeWim, servicingCatalog } from "./osMedia";

interface Named {
  id: number;
  name: string;
}

/** What `wimlib-imagex info <wim> 1` prints for `label`. */
function printed(wim: string, label: string): string {
  const out = execFileSync("wimlib-imagex", ["info", wim, "1"], { encoding: "utf8" });
  const line = out.split("\n").find((l) => l.startsWith(`${label}:`));
  if (!line) throw new Error(`wimlib-imagex info prints no ${label}`);
  return line.slice(label.length + 1).trim();
}

async function removeAll(site: Site, list: string, remove: string, prefix: string): Promise<void> {
  for (const item of await site.api<Named[]>(list, {}).catch(() => [] as Named[])) {
    if (item.name.startsWith(prefix)) await site.api(remove, { id: item.id }).catch(() => undefined);
  }
}

test("Add Operating System Image: a refused file is said under the path, Cancel adds nothing, and the image added shows what wimlib reads", async ({ page, site }) => {
  const dir = mkdtempSync(path.join(tmpdir(), "patchdeck-e2e-wim-"));
  const t = `E2E ${Date.now()}`;
  try {
    const wim = makeWim(dir);
    const notes = path.join(dir, "notes.wim");
    writeFileSync(notes, "not an image");
    const before = (await site.api<Named[]>("list_os_images", {})).length;
    await openConsole(page, site);
    await openNode(page, "Software Library", "OS Images");
    const grid = page.getByRole("grid", { name: "Operating System Images" });
    await expect(grid).toBeVisible();

    // Cancel after the site read the file: nothing added.
    await runCommand(page, "Add Operating System Image");
    const w = page.getByTestId("os-image-wizard");
    await w.getByTestId("os-image-path").fill(wim);
    await page.getByRole("button", { name: "Next >" }).click();
    await expect(page.locator("#wizard-page-heading")).toContainText("Specify information about the operating system image");
    await page.getByRole("button", { name: "Cancel" }).click();
    await expect(w).toHaveCount(0);
    expect((await site.api<Named[]>("list_os_images", {})).length).toBe(before);

    // A file that is not a WIM is refused under the path; the image is then added.
    await runCommand(page, "Add Operating System Image");
    await w.getByTestId("os-image-path").fill(notes);
    await page.getByRole("button", { name: "Next >" }).click();
    await expect(w.getByText(`${notes} is not a Windows image`, { exact: false })).toBeVisible();
    await w.getByTestId("os-image-path").fill(wim);
    await page.getByRole("button", { name: "Next >" }).click();
    await w.getByTestId("os-image-name").fill(`${t} gold`);
    await page.getByRole("button", { name: "Next >" }).click();
    await expect(w.getByText("1: Windows 11 Pro (Professional, x64, 10.0.22631.2861)")).toBeVisible();
    await page.getByRole("button", { name: "Next >" }).click();
    await expect(w.getByTestId("os-image-added")).toHaveText(`The operating system image "${t} gold" was added: 1 image, 1 update present.`);
    await page.getByRole("button", { name: "Close" }).click();

    const row = grid.getByRole("row").filter({ hasText: `${t} gold` });
    await expect(row).toBeVisible();
    const version = `${printed(wim, "Major Version")}.${printed(wim, "Minor Version")}.${printed(wim, "Build")}.${printed(wim, "Service Pack Build")}`;
    await expect(row).toContainText(version);
    await expect(row).toContainText(printed(wim, "Languages"));
    await row.click();
    await page.getByRole("tab", { name: "Images" }).click();
    const images = page.getByRole("tabpanel", { name: "Images" }).getByRole("table");
    await expect(images.getByRole("row").nth(1)).toContainText(printed(wim, "Name"));
    await expect(images.getByRole("row").nth(1)).toContainText(printed(wim, "Edition ID"));
    await page.getByRole("tab", { name: "Update Status" }).click();
    const updates = page.getByRole("tabpanel", { name: "Update Status" }).getByRole("table");
    await expect(updates.getByRole("row").filter({ hasText: "KB5026368" })).toContainText("Package_for_RollupFix");
  } finally {
    await removeAll(site, "list_os_images", "delete_os_image", t);
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The files of a site's upload folders (none when the folder is absent). */
function uploadsOf(siteFolder: string): string[] {
  const root = path.join(siteFolder, "publishing", "uploads");
  try {
    return readdirSync(root, { recursive: true }).map(String);
  } catch (e) {
    // Only an absent folder means "none": any other failure (a name not imported, say) must
    // not read as an empty folder.
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
}

test("Add Operating System Image by upload from this computer: streamed to the site, added from there to Completion; Cancel after an upload leaves nothing", async ({ page, site }) => {
  const dir = mkdtempSync(path.join(tmpdir(), "patchdeck-e2e-wim-upload-"));
  const t = `E2E ${Date.now()}`;
  try {
    const wim = makeWim(dir);
    await openConsole(page, site);
    await openNode(page, "Software Library", "OS Images");
    const grid = page.getByRole("grid", { name: "Operating System Images" });
    await expect(grid).toBeVisible();

    await runCommand(page, "Add Operating System Image");
    const w = page.getByTestId("os-image-wizard");
    await w.getByLabel("Image file to upload").setInputFiles(wim);
    await w.getByRole("button", { name: "Upload", exact: true }).click();
    await expect(w.getByTestId("image-upload-done")).toContainText("Uploaded install.wim");
    const uploaded = await w.getByTestId("os-image-path").inputValue();
    expect(uploaded).toContain(path.join("publishing", "uploads"));
    await page.getByRole("button", { name: "Next >" }).click();
    await w.getByTestId("os-image-name").fill(`${t} uploaded`);
    await page.getByRole("button", { name: "Next >" }).click();
    await expect(w.getByText("1: Windows 11 Pro (Professional, x64, 10.0.22631.2861)")).toBeVisible();
    await page.getByRole("button", { name: "Next >" }).click();
    await expect(w.getByTestId("os-image-added")).toHaveText(`The operating system image "${t} uploaded" was added: 1 image, 1 update present.`);
    await page.getByRole("button", { name: "Close" }).click();
    await expect(grid.getByRole("row").filter({ hasText: `${t} uploaded` })).toBeVisible();

    // The image's file is the uploaded bytes, in the site's image folder; the upload is gone.
    const added = (await site.api<(Named & { wimPath: string })[]>("list_os_images", {})).find((i) => i.name === `${t} uploaded`);
    expect(added?.wimPath).toContain(path.join("os-images", path.basename(path.dirname(uploaded)), "install.wim"));
    const siteFolder = path.resolve(path.dirname(uploaded), "..", "..", "..");
    const digest = (f: string) => createHash("sha256").update(readFileSync(f)).digest("hex");
    expect(digest(added?.wimPath ?? "")).toBe(digest(wim));
    expect(uploadsOf(siteFolder)).toEqual([]);

    // Uploaded, then Cancel: the site removes what it received.
    await runCommand(page, "Add Operating System Image");
    await w.getByLabel("Image file to upload").setInputFiles(wim);
    await w.getByRole("button", { name: "Upload", exact: true }).click();
    await expect(w.getByTestId("image-upload-done")).toBeVisible();
    expect(uploadsOf(siteFolder).length).toBeGreaterThan(0);
    await page.getByRole("button", { name: "Cancel" }).click();
    await expect(w).toHaveCount(0);
    await expect.poll(() => uploadsOf(siteFolder)).toEqual([]);
  } finally {
    await removeAll(site, "list_os_images", "delete_os_image", t);
    rmSync(dir, { recursive: true, force: true });
  }
});

test("Add Operating System Upgrade Package: a folder without setup.exe is refused, then the package is added", async ({ page, site }) => {
  const dir = mkdtempSync(path.join(tmpdir(), "patchdeck-e2e-media-"));
  const t = `E2E ${Date.now()}`;
  try {
    const media = path.join(dir, "media");
    mkdirSync(path.join(media, "sources"), { recursive: true });
    makeWim(path.join(media, "sources"));
    await openConsole(page, site);
    await openNode(page, "Software Library", "OS Upgrade Packages");
    const grid = page.getByRole("grid", { name: "Operating System Upgrade Packages" });
    await expect(grid).toBeVisible();
    await runCommand(page, "Add Operating System Upgrade Package");
    const w = page.getByTestId("os-image-wizard");
    await w.getByTestId("os-image-path").fill(media);
    await page.getByRole("button", { name: "Next >" }).click();
    await expect(w.getByText("it holds no setup.exe", { exact: false })).toBeVisible();
    writeFileSync(path.join(media, "setup.exe"), "MZ");
    await page.getByRole("button", { name: "Next >" }).click();
    await w.getByTestId("os-image-name").fill(`${t} 23H2`);
    await page.getByRole("button", { name: "Next >" }).click();
    await expect(w.getByText(path.join(media, "sources", "install.wim"))).toBeVisible();
    await page.getByRole("button", { name: "Next >" }).click();
    await expect(w.getByTestId("os-image-added")).toContainText(`upgrade package "${t} 23H2" was added`);
    await page.getByRole("button", { name: "Close" }).click();
    await expect(grid.getByRole("row").filter({ hasText: `${t} 23H2` })).toContainText("10.0.22631.2861");
  } finally {
    await removeAll(site, "list_os_upgrade_packages", "delete_os_upgrade_package", t);
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---- Offline servicing (SRV-1..6) ----


test("Schedule Updates: Cancel schedules nothing, an update not downloaded is refused by name, and the run is followed to Successful in Monitoring", async ({ page, servicing }) => {
  const dir = mkdtempSync(path.join(tmpdir(), "patchdeck-e2e-servicing-"));
  try {
    const updates = await servicingCatalog(servicing, dir);
    // DISM's stand-in behind a wrapper that holds /Add-Package while `hold` exists, so the
    // run is seen In progress before it ends.
    const hold = path.join(dir, "hold");
    const dism = path.join(dir, "dism");
    const standin = path.join(ROOT, "src-tauri", "crates", "site", "tests", "support", "dism-standin.sh");
    writeFileSync(dism, `#!/bin/sh\nDISM_STANDIN_HOLD='${hold}' exec '${standin}' "$@"\n`, { mode: 0o755 });
    writeFileSync(hold, "");
    await servicing.api("set_servicing_settings", { servicingDrive: "Automatic", dismPath: dism });
    const wim = makeWim(dir);
    const before = createHash("sha256").update(readFileSync(wim)).digest("hex");
    await servicing.api("add_os_image", { path: wim, name: "Gold" });

    await openConsole(page, servicing);
    await openNode(page, "Software Library", "OS Images");
    const grid = page.getByRole("grid", { name: "Operating System Images" });
    await grid.getByRole("row").filter({ hasText: "Gold" }).click();
    const w = page.getByTestId("schedule-updates-wizard");

    // Cancel in the wizard: nothing scheduled, the image as it was.
    await runCommand(page, "Schedule Updates");
    await w.getByRole("checkbox", { name: updates[0].title }).check();
    await page.getByRole("button", { name: "Next >" }).click();
    await expect(page.locator("#wizard-page-heading")).toContainText("Set the schedule");
    await page.getByRole("button", { name: "Cancel" }).click();
    await expect(w).toHaveCount(0);
    expect(await servicing.api<unknown[]>("list_servicing_runs", { imageId: null })).toEqual([]);
    expect(createHash("sha256").update(readFileSync(wim)).digest("hex")).toBe(before);

    // The update whose content is not in the library is refused by name.
    await runCommand(page, "Schedule Updates");
    await w.getByTestId("schedule-filter").fill(updates[1].kb);
    await expect(w.getByRole("checkbox", { name: updates[0].title })).toHaveCount(0);
    await w.getByRole("checkbox", { name: updates[1].title }).check();
    await w.getByTestId("schedule-filter").fill("");
    await w.getByRole("checkbox", { name: updates[0].title }).check();
    await page.getByRole("button", { name: "Next >" }).click();
    const issue = w.getByTestId("schedule-updates-issue");
    await expect(issue).toContainText("not in the content library");
    await expect(issue).toContainText(updates[1].title);
    await expect(issue.getByRole("button", { name: "Download…" })).toBeVisible();
    await w.getByRole("checkbox", { name: updates[1].title }).uncheck();
    await page.getByRole("button", { name: "Next >" }).click();
    await w.getByRole("checkbox", { name: "Continue on error" }).check();
    await page.getByRole("button", { name: "Next >" }).click();
    await expect(w.getByText(`${updates[0].kb}: ${updates[0].title}`)).toBeVisible();
    await page.getByRole("button", { name: "Next >" }).click();
    await expect(w.getByTestId("schedule-done")).toContainText('1 update scheduled for "Gold"');
    await page.getByRole("button", { name: "Close" }).click();

    // Monitoring follows the run to its end; the image then holds the update.
    await openNode(page, "Monitoring", "Offline Servicing");
    const runs = page.getByRole("grid", { name: "Servicing runs" });
    const row = runs.getByRole("row").filter({ hasText: "Gold" });
    await expect(row).toContainText("In progress");
    rmSync(hold);
    await expect(row).toContainText("Successful", { timeout: 60_000 });
    await row.click();
    await expect(page.getByRole("tabpanel", { name: "Updates" }).getByRole("row").filter({ hasText: updates[0].kb })).toContainText("Installed");
    await page.getByRole("tab", { name: "Servicing log" }).click();
    await expect(page.getByRole("tabpanel", { name: "Servicing log" })).toContainText("Export index 1: the operation completed successfully.");
    // SRV-7 from the console: the servicing drive typed in Servicing Settings is saved.
    await runCommand(page, "Servicing Settings");
    const settings = page.getByTestId("servicing-settings");
    await expect(settings.getByTestId("servicing-dism")).toHaveValue(dism);
    await settings.getByTestId("servicing-drive").fill("/no/such/drive");
    await settings.getByRole("button", { name: "OK" }).click();
    await expect(settings).toHaveCount(0);
    expect(await servicing.api("get_servicing_settings", {})).toEqual({ servicingDrive: "/no/such/drive", dismPath: dism });
    await row.click();
    await page.getByRole("tab", { name: "DISM log" }).click();
    await expect(page.getByRole("tabpanel", { name: "DISM log" })).toContainText(`Adding package Package_for_${updates[0].kb}`);
    await openNode(page, "Software Library", "OS Images");
    const image = grid.getByRole("row").filter({ hasText: "Gold" });
    await expect(image).toContainText("Successful");
    await image.click();
    await page.getByRole("tab", { name: "Update Status" }).click();
    await expect(page.getByRole("tabpanel", { name: "Update Status" }).getByRole("row").filter({ hasText: updates[0].kb })).toContainText("Servicing run");

    // Properties (double-click): Installed Updates says who added each update; Servicing
    // lists the run and opens its log in Monitoring › Offline Servicing.
    const [run] = await servicing.api<{ id: number }[]>("list_servicing_runs", { imageId: null });
    await image.dblclick();
    const props = page.getByRole("dialog", { name: "Gold Properties" });
    await expect(props).toBeVisible();
    await props.getByRole("tab", { name: "Installed Updates" }).click();
    const installed = props.getByRole("table", { name: "Installed Updates" });
    await expect(installed.getByRole("row").filter({ hasText: updates[0].kb })).toContainText(`Servicing run ${run.id}`);
    await expect(installed.getByRole("row").filter({ hasText: "KB5026368" })).toContainText("Present at import");
    await props.getByRole("tab", { name: "Servicing" }).click();
    const runRow = props.getByRole("table", { name: "Servicing" }).getByRole("row").filter({ hasText: "Successful" });
    await expect(runRow).toHaveCount(1);
    await runRow.getByText("View log").click();
    await expect(props).toHaveCount(0);
    await expect(runs).toBeVisible();
    await expect(runs.getByRole("row", { selected: true })).toContainText("Gold");
    await page.getByRole("tab", { name: "Servicing log" }).click();
    await expect(page.getByRole("tabpanel", { name: "Servicing log" })).toContainText("Export index 1: the operation completed successfully.");
  } finally {
    for (const i of await servicing.api<Named[]>("list_os_images", {}).catch(() => [] as Named[])) await servicing.api("delete_os_image", { id: i.id }).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
});

test("Distribute Content: an OS image sent to a folder point reads Installed on its Distribution tab, and the point holds its bytes", async ({ page, site }) => {
  const dir = mkdtempSync(path.join(tmpdir(), "patchdeck-e2e-osdp-"));
  const t = `E2E ${Date.now()}`;
  let dpId: number | null = null;
  try {
    const wim = makeWim(dir);
    await site.api("add_os_image", { path: wim, name: `${t} dp` });
    const point = path.join(dir, "point");
    dpId = (await site.api<{ id: number }>("add_distribution_point", { name: `${t} Branch`, kind: "Folder", location: point })).id;
    await openConsole(page, site);
    await openNode(page, "Software Library", "OS Images");
    const grid = page.getByRole("grid", { name: "Operating System Images" });
    await grid.getByRole("row").filter({ hasText: `${t} dp` }).click();
    await runCommand(page, "Distribute Content");
    const dialog = page.getByRole("dialog", { name: `Distribute Content: ${t} dp` });
    const points = dialog.getByRole("group", { name: "Distribution points" });
    // Only the point made here: the shared site may hold others.
    for (const box of await points.getByRole("checkbox").all()) await box.uncheck();
    await points.getByRole("checkbox", { name: `${t} Branch (${point})` }).check();
    await dialog.getByRole("button", { name: "Distribute" }).click();
    await expect(dialog).toHaveCount(0);
    await page.getByRole("tab", { name: "Distribution" }).click();
    const panel = page.getByRole("tabpanel", { name: "Distribution" });
    // The tab reads the state when shown: Refresh until the copy ends.
    await expect(async () => {
      await runCommand(page, "Refresh");
      await grid.getByRole("row").filter({ hasText: `${t} dp` }).click();
      await page.getByRole("tab", { name: "Distribution" }).click();
      await expect(panel.getByRole("row").filter({ hasText: `${t} Branch` })).toContainText("Installed", { timeout: 2_000 });
    }).toPass({ timeout: 60_000 });
    const [row] = await site.api<{ path: string }[]>("os_image_distribution_status", { imageId: (await site.api<Named[]>("list_os_images", {})).find((i) => i.name === `${t} dp`)?.id });
    const held = readFileSync(path.join(point, "Content", row.path));
    expect(createHash("sha256").update(held).digest("hex")).toBe(createHash("sha256").update(readFileSync(wim)).digest("hex"));
  } finally {
    await removeAll(site, "list_os_images", "delete_os_image", t);
    if (dpId !== null) await site.api("remove_distribution_point", { id: dpId }).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
});
