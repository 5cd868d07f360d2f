// Every wizard of the console, page by page (docs/screenshots/<wizard>-<nn>-<page>.png): each
// is opened where an administrator opens it, filled with valid values so Next reaches every
// page up to the Summary, and finished where the site can make the change on this machine
// (a first synchronization from a local parent, a download from it, rules, deployments,
// approvals, a published installer, added images, an image serviced by DISM's stand-in). What
// each run needs is seeded here, on the throw-away sites of global-setup.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Locator, Page } from "@playwright/test";
import { ROOT } from "../paths";
import { expect, gridRow, openConsole, openNode, runCommand, test, updatesGrid, type Site } from "../specs/harness";
import { northwindSketchExe } from "../specs/installers";
import { makeWim, servicingCatalog } from "../specs/osMedia";
import { OUT, clearPictures, shoot, slug } from "./shots";

type Fill = (w: Locator, page: Page) => Promise<void>;

interface Walk {
  /** The files' prefix. */
  name: string;
  wizard: Locator;
  /** What to enter on a page, by its label in the page list, before its picture. */
  fill?: Record<string, Fill>;
  /** Run the change from the Summary and picture its Completion; otherwise Cancel there. */
  finish?: boolean;
}

const stepOf = (w: Locator) => w.getByRole("list", { name: "Wizard pages" }).locator('[aria-current="step"]');

/** Lets a page draw: no check running, fonts loaded, fields measured. */
async function settle(page: Page, w: Locator): Promise<void> {
  await expect(w.getByText("Checking…")).toHaveCount(0, { timeout: 30_000 });
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(400);
}

/** Pictures every page of the open wizard in turn; returns the files made. */
async function walk(page: Page, { name, wizard, fill = {}, finish = false }: Walk): Promise<string[]> {
  const files: string[] = [];
  const title = (await wizard.getByRole("heading").first().innerText()).trim();
  const picture = async (label: string) => {
    await settle(page, wizard);
    const heading = (await wizard.locator("#wizard-page-heading").innerText()).trim();
    const file = `${name}-${String(files.length + 1).padStart(2, "0")}-${slug(label)}.png`;
    // The wizard's window alone: the console behind it is dimmed and pictured per node already.
    await shoot(wizard, file, `${title}, ${label} page: “${heading}”`);
    files.push(file);
  };
  const step = stepOf(wizard);
  await expect(step).toBeVisible();
  for (;;) {
    const label = (await step.innerText()).trim();
    await fill[label]?.(wizard, page);
    await picture(label);
    if (label === "Summary") break;
    await wizard.getByRole("button", { name: "Next >" }).click();
    await expect(step, `${name}: Next did not leave "${label}": ${await wizard.innerText()}`).not.toHaveText(label, { timeout: 30_000 });
  }
  if (!finish) {
    await wizard.getByRole("button", { name: "Cancel" }).click();
    await expect(wizard).toHaveCount(0);
    return files;
  }
  const finishButton = wizard.getByRole("button", { name: /^(Finish|Publish)$/ });
  if ((await finishButton.count()) > 0 && (await finishButton.isEnabled())) await finishButton.click();
  else await wizard.getByRole("button", { name: "Next >" }).click();
  await expect(step).toHaveText("Completion", { timeout: 180_000 });
  await picture("Completion");
  await wizard.getByRole("button", { name: "Close" }).click();
  await expect(wizard).toHaveCount(0);
  return files;
}

const tag = `Shots ${Date.now().toString(36)}`;
const made: string[] = [];

test.describe.configure({ mode: "serial" });

test.beforeAll(() => {
  // The wizard pictures only: the nodes' (pages.spec.ts) and the index stay.
  clearPictures((f) => !f.includes("--"));
  mkdirSync(OUT, { recursive: true });
});
test.afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

interface Collection {
  id: number;
  name: string;
  path: string;
}

const collection = (site: Site, name: string) => site.api<Collection>("create_target_group", { name, parentId: null, description: "" });

/** Selects the first `n` rows of All Software Updates. */
async function selectUpdates(page: Page, n: number): Promise<void> {
  await openNode(page, "Software Library", "All Software Updates");
  const grid = updatesGrid(page);
  await gridRow(grid, 1).click();
  if (n > 1) await gridRow(grid, n).click({ modifiers: ["Shift"] });
}

test("first-run configuration, then Download from the parent it synchronizes from", async ({ page, fresh, filesParent }) => {
  test.setTimeout(480_000);
  await page.goto(`${fresh.url}/#token=${fresh.token}`);
  const firstRun = page.getByTestId("first-run-wizard");
  await walk(page, {
    name: "first-run",
    wizard: firstRun,
    finish: true,
    fill: {
      Upstream: async (w) => {
        await w.getByRole("radio", { name: "Parent site" }).check();
        await w.getByRole("textbox", { name: /Upstream server address/ }).fill(filesParent.url);
        await w.getByRole("checkbox", { name: /Allow plain HTTP/ }).check();
      },
      Connect: async (w) => {
        await expect(w.getByTestId("first-run-connected")).toBeVisible({ timeout: 60_000 });
      },
      Products: async (w) => {
        const tops = w.getByRole("tree", { name: "Products" }).locator(":scope > [role=treeitem]");
        for (let i = 0; i < (await tops.count()); i++) await tops.nth(i).getByRole("checkbox").first().check();
      },
    },
  });

  await gridRow(updatesGrid(page), 1).click();
  await page.keyboard.press("ControlOrMeta+a");
  await runCommand(page, "Download");
  await walk(page, {
    name: "download",
    wizard: page.getByTestId("download-wizard"),
    finish: true,
    fill: {
      "Deployment Package": async (w) => {
        await w.getByRole("radio", { name: "Create a new deployment package" }).check();
        await w.getByRole("textbox", { name: /^Name/ }).fill("November security updates");
        await w.getByRole("textbox", { name: /^Description/ }).fill("Everything the first synchronization listed");
      },
      "Source Check": async (w) => {
        await expect(w.getByText("The source can be used")).toBeVisible({ timeout: 30_000 });
      },
    },
  });
});

test("Deploy, Approve and the Automatic Deployment Rule wizards on the filled site", async ({ page, site }) => {
  test.setTimeout(300_000);
  const servers = await collection(site, `${tag} Servers`);
  const desktops = await collection(site, `${tag} Desktops`);
  await openConsole(page, site);

  await selectUpdates(page, 2);
  await page.getByRole("toolbar").getByRole("button", { name: "Deploy", exact: true }).click();
  await walk(page, {
    name: "deploy",
    wizard: page.getByTestId("deploy-wizard"),
    finish: true,
    fill: {
      General: async (w) => {
        await w.getByRole("textbox", { name: /Deployment Name/ }).fill(`${tag} Servers required`);
        await w.getByRole("radio", { name: servers.name }).check();
      },
    },
  });

  await selectUpdates(page, 2);
  await page.getByRole("toolbar").getByRole("button", { name: "Approve" }).click();
  const approve = page.getByRole("dialog", { name: "Approve Updates: 2 updates" });
  await walk(page, {
    name: "approve",
    wizard: approve,
    finish: true,
    fill: {
      "Select Groups": async (w) => {
        for (const g of [servers, desktops]) await w.locator(`[data-group="${g.path}"]`).getByRole("checkbox").first().check();
      },
      "Deployment Action": async (w) => {
        await w.getByRole("combobox", { name: `Approval: ${servers.path}` }).selectOption("Required");
        await w.getByRole("combobox", { name: `Deadline: ${servers.path}` }).selectOption("OneWeek");
      },
    },
  });

  const ruleName = `${tag} Patch Tuesday servers`;
  await openNode(page, "Software Library", "Automatic Deployment Rules");
  await page.getByRole("toolbar").getByRole("button", { name: "Create Automatic Deployment Rule" }).click();
  await walk(page, {
    name: "adr",
    wizard: page.getByTestId("adr-wizard"),
    finish: true,
    fill: {
      General: async (w) => {
        await w.getByRole("textbox", { name: /^Name/ }).fill(ruleName);
        await w.getByRole("radio", { name: servers.name }).check();
      },
      "Software Updates": async (w) => {
        await w.getByRole("textbox", { name: "Title or KB contains" }).fill("Windows 11");
        await expect(w.getByTestId("live-count")).toContainText(/match/);
      },
      "Evaluation Schedule": async (w) => {
        await w.getByRole("radio", { name: "Daily" }).check();
        await w.getByRole("textbox", { name: /Time \(UTC/ }).fill("03:15");
      },
    },
  });

  await page.getByRole("grid").getByRole("row").filter({ hasText: ruleName }).click();
  await runCommand(page, "Add Deployment");
  await walk(page, {
    name: "adr-add-deployment",
    wizard: page.getByTestId("add-deployment-wizard"),
    finish: true,
    fill: {
      Collection: async (w) => {
        await w.getByRole("radio", { name: desktops.name }).check();
      },
    },
  });
});

test("the auto-approval rule wizard", async ({ page, site }) => {
  const pilots = await collection(site, `${tag} Pilots`);
  await openConsole(page, site);
  await openNode(page, "Administration", "Auto-approval Rules");
  await page.getByRole("toolbar", { name: "Auto-approval rule commands" }).getByRole("button", { name: "New" }).click();
  await walk(page, {
    name: "auto-approval-rule",
    wizard: page.getByTestId("approval-rule-wizard"),
    finish: true,
    fill: {
      General: async (w) => {
        await w.getByRole("textbox", { name: "Name" }).fill(`${tag} Security to pilots`);
        await w.getByRole("textbox", { name: "Description" }).fill("Approves new security updates for the pilot computers.");
      },
      "Product categories": async (w) => {
        await w.getByRole("checkbox").first().check();
      },
      "Update classifications": async (w) => {
        await w.getByRole("checkbox", { name: "Security Updates", exact: true }).check();
      },
      Deployment: async (w) => {
        await w.getByRole("combobox", { name: "Computer group" }).selectOption({ label: pilots.path });
        await w.getByRole("button", { name: "Add" }).click();
        await w.getByRole("checkbox", { name: /Enforce an installation deadline/ }).check();
        await w.getByRole("combobox", { name: /Installation deadline/ }).selectOption({ label: "7 days after approval" });
      },
    },
  });
});

test("Upload Update (third-party) with an .exe built here", async ({ page, publisher }) => {
  const dir = mkdtempSync(path.join(tmpdir(), "patchdeck-shots-exe-"));
  made.push(dir);
  const { exe, extras } = northwindSketchExe(dir);
  await openConsole(page, publisher);
  await openNode(page, "Software Library", "Third-party Updates");
  await runCommand(page, "Upload Update");
  await walk(page, {
    name: "upload-update",
    wizard: page.getByTestId("upload-update-wizard"),
    finish: true,
    fill: {
      "Update Files": async (w) => {
        await w.getByRole("textbox", { name: /^Installer/ }).fill(exe);
        await w.getByRole("textbox", { name: /^Extra files/ }).fill(extras.join("\n"));
      },
      "Update Description": async (w, p) => {
        await w.getByRole("combobox", { name: /^Classification/ }).click();
        await p.getByRole("option", { name: "Updates", exact: true }).click();
      },
      Requirements: async (w) => {
        await w.getByRole("radio", { name: /64-bit/ }).first().check();
      },
      "Detection Rules": async (w) => {
        await w.getByRole("radio", { name: /registry key/i }).check();
        await w.getByRole("textbox", { name: /^Key/ }).fill("SOFTWARE\\Northwind\\Sketch");
      },
      "Command-line Arguments": async (w) => {
        await w.getByRole("textbox", { name: /^Arguments/ }).fill("/S");
      },
    },
  });
});

test("Add Operating System Image and Upgrade Package, then Schedule Updates", async ({ page, servicing }) => {
  test.setTimeout(300_000);
  const dir = mkdtempSync(path.join(tmpdir(), "patchdeck-shots-wim-"));
  made.push(dir);
  const updates = await servicingCatalog(servicing, dir);
  const wim = makeWim(dir);
  const media = path.join(dir, "media");
  mkdirSync(path.join(media, "sources"), { recursive: true });
  makeWim(path.join(media, "sources"));
  // The setup program Windows media start from; the site only looks for it.
  writeFileSync(path.join(media, "setup.exe"), "MZ");
  // DISM's stand-in (the site tests'), so Schedule Updates can run here.
  const dism = path.join(ROOT, "src-tauri", "crates", "site", "tests", "support", "dism-standin.sh");
  await servicing.api("set_servicing_settings", { servicingDrive: "Automatic", dismPath: dism });

  await openConsole(page, servicing);
  await openNode(page, "Software Library", "OS Images");
  await runCommand(page, "Add Operating System Image");
  await walk(page, {
    name: "add-os-image",
    wizard: page.getByTestId("os-image-wizard"),
    finish: true,
    fill: {
      "Data Source": async (w) => w.getByTestId("os-image-path").fill(wim),
      General: async (w) => w.getByTestId("os-image-name").fill("Windows 11 Pro 23H2 gold"),
    },
  });

  await page.getByRole("grid", { name: "Operating System Images" }).getByRole("row").filter({ hasText: "Windows 11 Pro 23H2 gold" }).click();
  await runCommand(page, "Schedule Updates");
  await walk(page, {
    name: "schedule-updates",
    wizard: page.getByTestId("schedule-updates-wizard"),
    finish: true,
    fill: {
      "Choose Updates": async (w) => w.getByRole("checkbox", { name: updates[0].title }).check(),
      "Set Schedule": async (w) => w.getByRole("checkbox", { name: "Continue on error" }).check(),
    },
  });

  await openNode(page, "Software Library", "OS Upgrade Packages");
  await runCommand(page, "Add Operating System Upgrade Package");
  await walk(page, {
    name: "add-os-upgrade-package",
    wizard: page.getByTestId("os-image-wizard"),
    finish: true,
    fill: {
      "Data Source": async (w) => w.getByTestId("os-image-path").fill(media),
      General: async (w) => w.getByTestId("os-image-name").fill("Windows 11 23H2 upgrade"),
    },
  });
});
