// Software Library > Third-party Updates (issue 16, TPU-1..3): a real MSI built here with
// msitools' wixl goes through the whole Upload Update wizard against a real `patchdeck
// serve` (the site reads the installer from its path on this machine, as the desktop app
// gives it): the description is prefilled from the package, Detection Rules is skipped for a
// Windows Installer file, the Summary shows the files' total size, and the published update
// is listed in Third-party Updates and in All Software Updates. Cancel changes nothing. An
// .exe built here with binutils for mingw-w64 and two files beside it are uploaded from the
// browser (streamed to the site with progress) and go through every page to Completion.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Locator, Page } from "@playwright/test";
import { expect, openConsole, openNode, runCommand, test, updatesGrid } from "./harness";
import { contosoNotesMsi, northwindSketchExe } from "./installers";

const TITLE = "Contoso Notes 2.1.0.0";

/** Folders the spec made, removed when it ends. */
const made: string[] = [];
test.afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function buildMsi(): { msi: string; extra: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "patchdeck-e2e-msi-"));
  made.push(dir);
  return contosoNotesMsi(dir);
}

function buildExe(): { exe: string; extras: string[] } {
  const dir = mkdtempSync(path.join(tmpdir(), "patchdeck-e2e-exe-"));
  made.push(dir);
  return northwindSketchExe(dir);
}

const wizardOf = (page: Page): Locator => page.getByTestId("upload-update-wizard");
const heading = (wizard: Locator, text: string) => expect(wizard.getByRole("heading", { name: text })).toBeVisible();

async function next(wizard: Locator, then: string): Promise<void> {
  await wizard.getByRole("button", { name: "Next >" }).click();
  await heading(wizard, then);
}

test("the Upload Update wizard publishes a real MSI, listed in Third-party Updates and All Software Updates; Cancel changes nothing", async ({ page, publisher }) => {
  const { msi, extra } = buildMsi();
  await openConsole(page, publisher);
  await openNode(page, "Software Library", "Third-party Updates");
  const grid = page.getByRole("grid", { name: "Third-party updates" });
  await expect(grid).toBeVisible();

  // Cancel, after the site read the installer: nothing is published.
  await runCommand(page, "Upload Update");
  let wizard = wizardOf(page);
  await wizard.getByRole("textbox", { name: /^Installer/ }).fill(msi);
  await next(wizard, "Describe the update");
  await wizard.getByRole("button", { name: "Cancel" }).click();
  await expect(wizard).toHaveCount(0);
  expect(await publisher.api("list_third_party_updates", {})).toEqual([]);
  expect((await publisher.api<{ rows: unknown[] }>("list_updates", { limit: 10, search: "Contoso Notes" })).rows).toEqual([]);

  // The whole wizard.
  await runCommand(page, "Upload Update");
  wizard = wizardOf(page);
  await expect(wizard.getByRole("listitem").filter({ hasText: "Detection Rules" })).toHaveCount(0);
  await wizard.getByRole("textbox", { name: /^Installer/ }).fill(msi);
  await wizard.getByRole("textbox", { name: /^Extra files/ }).fill(extra);
  await next(wizard, "Describe the update");
  // Prefilled from what the package says (msiinfo would say the same: the installer crate's tests).
  await expect(wizard.getByRole("textbox", { name: /^Name/ })).toHaveValue(TITLE);
  await expect(wizard.getByRole("textbox", { name: /^Vendor/ })).toHaveValue("Contoso Ltd.");
  await expect(wizard.getByRole("textbox", { name: /^Product/ })).toHaveValue("Contoso Notes");
  await wizard.getByRole("combobox", { name: /^Classification/ }).click();
  await page.getByRole("option", { name: "Security Updates" }).click();
  await next(wizard, "Choose the computers the update is for");
  // No Detection Rules page for a Windows Installer file: its ProductCode is the rule.
  await next(wizard, "Specify what must be installed first");
  await next(wizard, "Specify the command-line arguments");
  await wizard.getByRole("textbox", { name: /^Arguments/ }).fill("REBOOT=ReallySuppress");
  await next(wizard, "Specify what the installer's return codes mean");
  await expect(wizard.getByRole("table", { name: "Return codes" }).getByRole("row")).toHaveCount(3);
  await next(wizard, "Confirm the settings");
  await expect(wizard.getByText(/^2 files, .* in all$/)).toBeVisible();
  await wizard.getByRole("button", { name: "Publish" }).click();
  await heading(wizard, "The update is published");
  await wizard.getByRole("button", { name: "Close" }).click();

  await expect(grid.getByRole("row").filter({ hasText: TITLE })).toHaveCount(1);
  await expect(grid.getByRole("row").filter({ hasText: TITLE })).toContainText("Security Updates");
  const published = await publisher.api<{ updateId: string; revision: number; spec: { arguments: string } }[]>("list_third_party_updates", {});
  expect(published).toHaveLength(1);
  expect(published[0].revision).toBe(1);
  expect(published[0].spec.arguments).toBe("REBOOT=ReallySuppress");

  await openNode(page, "Software Library", "All Software Updates");
  await expect(updatesGrid(page).getByRole("row").filter({ hasText: TITLE })).toHaveCount(1);
});

test("an .exe and the files beside it, uploaded from the browser, go through every page of the wizard to Completion", async ({ page, publisher }) => {
  const { exe, extras } = buildExe();
  await openConsole(page, publisher);
  await openNode(page, "Software Library", "Third-party Updates");
  await runCommand(page, "Upload Update");
  const wizard = wizardOf(page);

  // Streamed to the site with progress; the site answers with where it stored them.
  await wizard.getByLabel("Installer to upload", { exact: true }).setInputFiles(exe);
  await wizard.getByLabel("Files that go with it", { exact: true }).setInputFiles(extras);
  await wizard.getByRole("button", { name: "Upload", exact: true }).click();
  await expect(wizard.getByTestId("upload-done")).toContainText("Uploaded 3 files");
  await expect(wizard.getByRole("textbox", { name: /^Installer/ })).toHaveValue(/publishing[\\/]uploads[\\/][0-9a-f]{32}[\\/]sketch-setup\.exe$/);
  await expect(wizard.getByTestId("installer-details")).toContainText("Northwind Sketch");
  await expect(wizard.getByTestId("upload-total")).toContainText("3 files");

  await next(wizard, "Describe the update");
  await expect(wizard.getByRole("textbox", { name: /^Vendor/ })).toHaveValue("Northwind Traders");
  await expect(wizard.getByRole("textbox", { name: /^Product/ })).toHaveValue("Northwind Sketch");
  await next(wizard, "Choose the computers the update is for");
  await wizard.getByRole("radio", { name: /64-bit/ }).first().check();
  // An executable has its own Detection Rules page.
  await next(wizard, "Specify how a computer knows the update is installed");
  await wizard.getByRole("radio", { name: /registry key/i }).check();
  await wizard.getByRole("textbox", { name: /^Key/ }).fill("SOFTWARE\\Northwind\\Sketch");
  await next(wizard, "Specify what must be installed first");
  await next(wizard, "Specify the command-line arguments");
  // An executable must install silently (prefilled /q): refused on the field without arguments.
  const args = wizard.getByRole("textbox", { name: /^Arguments/ });
  await expect(args).toHaveValue("/q");
  await args.fill("");
  await wizard.getByRole("button", { name: "Next >" }).click();
  await expect(wizard.getByText(/^An executable must install silently/)).toBeVisible();
  await args.fill("/S");
  await next(wizard, "Specify what the installer's return codes mean");
  await next(wizard, "Confirm the settings");
  await expect(wizard.getByText(/^3 files, .* in all$/)).toBeVisible();
  await wizard.getByRole("button", { name: "Publish" }).click();
  await heading(wizard, "The update is published");
  await wizard.getByRole("button", { name: "Close" }).click();

  const all = await publisher.api<{ title: string; installerKind: string; installerFile: string; spec: { arguments: string; files: { path: string } } }[]>(
    "list_third_party_updates",
    {},
  );
  const published = all.filter((u) => u.installerFile === "sketch-setup.exe");
  expect(published).toHaveLength(1);
  expect(published[0].installerKind).toBe("Executable");
  expect(published[0].spec.arguments).toBe("/S");
  // Published from the upload's folder, which the site then removed.
  expect(existsSync(path.dirname(published[0].spec.files.path))).toBe(false);
  await expect(page.getByRole("grid", { name: "Third-party updates" }).getByRole("row").filter({ hasText: "Northwind Sketch" })).toHaveCount(1);
});
