// The first-run wizard (issue 14's acceptance): on a site never configured, the wizard opens
// by itself and goes from its first page to a finished first synchronization that lists
// updates, with no other navigation; then a download with the default source (where the site
// synchronizes from) succeeds from the parent, whose library holds the updates' files.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, gridRow, itemCount, runCommand, test, updatesGrid } from "./harness";

test.describe.configure({ mode: "serial" });

interface Job {
  jobId: number;
  state: string;
  sourceUrl?: string;
}

test("the first-run wizard configures the site and its first synchronization lists updates; a download from the parent succeeds", async ({
  page,
  fresh,
  filesParent,
}) => {
  test.setTimeout(180_000);
  expect((await fresh.api<{ openOnStart: boolean }>("first_run_status", {})).openOnStart).toBe(true);
  // Not openConsole: the wizard, modal, hides the console behind it from the start.
  await page.goto(`${fresh.url}/#token=${fresh.token}`);
  const wizard = page.getByTestId("first-run-wizard");
  await expect(wizard.getByRole("heading", { name: "Choose where this site gets its updates" })).toBeVisible();
  const next = () => wizard.getByRole("button", { name: "Next >" }).click();

  // Upstream: the parent; plain HTTP is refused by the site until allowed, on this page.
  await wizard.getByRole("radio", { name: "Parent site" }).check();
  await wizard.getByRole("textbox", { name: /Upstream server address/ }).fill(filesParent.url);
  await next();
  await expect(wizard.getByText(/plain HTTP, where update metadata can be altered/)).toBeVisible();
  await expect(wizard.getByRole("heading", { name: "Choose where this site gets its updates" })).toBeVisible();
  await wizard.getByRole("checkbox", { name: /Allow plain HTTP/ }).check();
  await next();

  // Proxy: none.
  await expect(wizard.getByRole("heading", { name: "Specify the proxy server" })).toBeVisible();
  await next();

  // Connect: the categories are fetched with progress, then the products are offered.
  await expect(wizard.getByRole("heading", { name: "Connect to the upstream and fetch its categories" })).toBeVisible();
  await expect(wizard.getByTestId("first-run-connected")).toContainText(/Connected: \d+ products? and \d+ classifications?/, { timeout: 60_000 });
  await next();

  await expect(wizard.getByRole("heading", { name: "Choose languages" })).toBeVisible();
  await next();

  // Products: none chosen is refused; every product of the parent is chosen.
  await expect(wizard.getByRole("heading", { name: "Choose products" })).toBeVisible();
  await next();
  await expect(wizard.getByText("Choose at least one product")).toBeVisible();
  const tree = wizard.getByRole("tree", { name: "Products" });
  const tops = tree.locator(":scope > [role=treeitem]");
  for (let i = 0; i < (await tops.count()); i++) {
    await tops.nth(i).getByRole("checkbox").first().check();
  }
  await next();

  // Classifications: the common ones are preselected.
  await expect(wizard.getByRole("heading", { name: "Choose classifications" })).toBeVisible();
  await expect(wizard.getByRole("checkbox", { name: /^Security Updates/ })).toBeChecked();
  await expect(wizard.getByRole("checkbox", { name: /^Critical Updates/ })).toBeChecked();
  await next();

  await expect(wizard.getByRole("heading", { name: "Set the synchronization schedule" })).toBeVisible();
  await next();
  await expect(wizard.getByRole("heading", { name: "Confirm the settings" })).toBeVisible();
  await expect(wizard).toContainText(filesParent.url);
  await wizard.getByRole("button", { name: "Finish" }).click();

  // The first synchronization, then Completion.
  await expect(wizard.getByRole("heading", { name: "The first synchronization finished" })).toBeVisible({ timeout: 120_000 });
  const listed = Number(/now lists (\d+) update/.exec(await wizard.innerText())?.[1]);
  expect(listed).toBeGreaterThan(0);
  await wizard.getByRole("button", { name: "Close" }).click();
  await expect(wizard).toHaveCount(0);

  // All Software Updates, where the console opened, lists them without any other navigation.
  await expect(gridRow(updatesGrid(page), 1)).toBeVisible();
  expect(await itemCount(page)).toBe(listed);
  expect((await fresh.api<{ openOnStart: boolean }>("first_run_status", {})).openOnStart).toBe(false);

  // Download every listed update with the default source: the parent it synchronizes from.
  await gridRow(updatesGrid(page), 1).click();
  await page.keyboard.press("ControlOrMeta+a");
  await runCommand(page, "Download");
  const dl = page.getByTestId("download-wizard");
  await dl.getByRole("radio", { name: "Create a new deployment package" }).check();
  await dl.getByRole("textbox", { name: /^Name/ }).fill("First run");
  await page.getByRole("button", { name: "Next >" }).click();
  await expect(dl.getByRole("radio", { name: /^The upstream update server/ })).toBeChecked();
  await expect(dl.getByText(`This site synchronizes from ${filesParent.url}, so that server is the default.`)).toBeVisible();
  await page.getByRole("button", { name: "Next >" }).click();
  await page.getByRole("button", { name: "Next >" }).click();
  await expect(dl.getByText("The source can be used")).toBeVisible({ timeout: 15_000 });
  await page.getByRole("button", { name: "Summary" }).click();
  await expect(dl.getByRole("heading", { name: "Confirm the settings" })).toBeVisible();
  await page.getByRole("button", { name: "Next >" }).click();
  await expect(dl.getByRole("heading", { name: "The Download Software Updates Wizard completed" })).toBeVisible({ timeout: 60_000 });
  await expect(dl.getByText(/files? downloaded into "First run"/)).toBeVisible();
  const jobs = await fresh.api<Job[]>("list_download_jobs", {});
  expect(jobs[0].state).toBe("Succeeded");
});

test("the first-run wizard imports a catalog export on a disconnected site and the updates are listed", async ({
  page,
  freshImport,
  filesParent,
}) => {
  test.setTimeout(120_000);
  // The export, made at the connected site by its own Export Catalog command.
  const dir = mkdtempSync(path.join(tmpdir(), "patchdeck-e2e-first-run-import-"));
  const file = path.join(dir, "hq.tar.gz");
  const made = await filesParent.api<{ revisions: number }>("export_catalog", { path: file, withContent: false });
  expect(made.revisions).toBeGreaterThan(0);
  const held = (await filesParent.api<{ listedUpdates: number }>("first_run_status", {})).listedUpdates;
  expect(held).toBeGreaterThan(0);
  expect((await freshImport.api<{ openOnStart: boolean; listedUpdates: number }>("first_run_status", {})).listedUpdates).toBe(0);

  await page.goto(`${freshImport.url}/#token=${freshImport.token}`);
  const wizard = page.getByTestId("first-run-wizard");
  await expect(wizard.getByRole("heading", { name: "Choose where this site gets its updates" })).toBeVisible();
  const next = () => wizard.getByRole("button", { name: "Next >" }).click();

  // In a browser the path is the site's; no file dialog is offered.
  await wizard.getByRole("radio", { name: "Import a catalog export file" }).check();
  const box = wizard.getByRole("textbox", { name: "File path on the machine that runs the site" });
  await expect(wizard.getByRole("button", { name: "Browse..." })).toHaveCount(0);
  await next();
  await expect(wizard.getByText("Give the export file's full path.")).toBeVisible();
  await box.fill(file);
  await next();
  await expect(wizard.getByRole("heading", { name: "Specify the proxy server" })).toBeVisible();
  await next();

  // Connect imports the file: the site lists what the export holds before any synchronization.
  await expect(wizard.getByTestId("first-run-connected")).toContainText(`Imported: this site now lists ${held} update`, { timeout: 60_000 });
  for (const heading of ["Choose languages", "Choose products", "Choose classifications", "Set the synchronization schedule"]) {
    await next();
    await expect(wizard.getByRole("heading", { name: heading })).toBeVisible();
  }
  await next();
  await expect(wizard.getByRole("heading", { name: "Confirm the settings" })).toBeVisible();
  await expect(wizard).toContainText(file);
  await expect(wizard).toContainText("The export file was imported; nothing more to synchronize.");
  await wizard.getByRole("button", { name: "Finish" }).click();
  await expect(wizard.getByText(`All Software Updates now lists ${held} update`)).toBeVisible({ timeout: 60_000 });
  await wizard.getByRole("button", { name: "Close" }).click();
  await expect(wizard).toHaveCount(0);

  // The console opens on All Software Updates with the imported updates, and stays configured.
  await expect(gridRow(updatesGrid(page), 1)).toBeVisible();
  expect(await itemCount(page)).toBe(held);
  expect((await freshImport.api<{ openOnStart: boolean }>("first_run_status", {})).openOnStart).toBe(false);
  const audit = await freshImport.api<{ action: string; target: string }[]>("list_audit", { offset: 0, limit: 50 });
  expect(audit.find((a) => a.action === "catalog.import-export")?.target).toBe(file);
  rmSync(dir, { recursive: true, force: true });
});
