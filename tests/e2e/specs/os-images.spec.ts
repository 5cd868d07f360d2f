// OS Images and OS Upgrade Packages (issue 17, OSP-1/OSP-3): real WIM files made here with
// wimlib-imagex from a Windows-like tree holding a real package manifest, added through the
// Add wizards; the grid and details show what `wimlib-imagex info` prints and the update the
// manifest names; a refused file is said under the path; Cancel changes nothing.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { FIXTURES } from "../paths";
import { expect, openConsole, openNode, runCommand, test, type Site } from "./harness";

interface Named {
  id: number;
  name: string;
}

/** The package manifest of a real CBS update (KB5026368): the assembly of its applicability metadata. */
function rollupManifest(): { fileName: string; xml: string } {
  const text = readFileSync(path.join(FIXTURES, "servicing", "cbs", "cbs-rollupfix-core-reduced.xml"), "utf8");
  const xml = text.slice(text.indexOf("<assembly "), text.indexOf("</assembly>") + "</assembly>".length);
  return { fileName: "Package_for_RollupFix~31bf3856ad364e35~arm64~~22000.1936.1.9.mum", xml: `<?xml version="1.0" encoding="utf-8"?>\r\n${xml}` };
}

/** `dir/install.wim`: one Windows 11 Pro image (x64, 10.0.22631.2861) holding the manifest. */
function makeWim(dir: string): string {
  const tree = path.join(dir, "tree");
  mkdirSync(path.join(tree, "Windows", "System32"), { recursive: true });
  mkdirSync(path.join(tree, "Windows", "servicing", "Packages"), { recursive: true });
  writeFileSync(path.join(tree, "Windows", "System32", "ntoskrnl.exe"), "kernel ".repeat(500));
  const m = rollupManifest();
  writeFileSync(path.join(tree, "Windows", "servicing", "Packages", m.fileName), m.xml);
  const wim = path.join(dir, "install.wim");
  execFileSync("wimlib-imagex", ["capture", tree, wim, "Windows 11 Pro", "e2e image", "--flags=Professional"], { stdio: "ignore" });
  const props = ["ARCH=9", "EDITIONID=Professional", "VERSION/MAJOR=10", "VERSION/MINOR=0", "VERSION/BUILD=22631", "VERSION/SPBUILD=2861", "LANGUAGES/LANGUAGE=en-US", "LANGUAGES/DEFAULT=en-US"];
  execFileSync("wimlib-imagex", ["info", wim, "1", ...props.flatMap((p) => ["--image-property", `WINDOWS/${p}`])], { stdio: "ignore" });
  rmSync(tree, { recursive: true });
  return wim;
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
