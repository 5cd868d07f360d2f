// Synchronization from a parent site (SYNC-1..6, SYNC-8, CON-4): the child site starts empty,
// is pointed at the parent in Software Update Point Properties, synchronizes its categories,
// then the updates of one product and classification, and shows each run in Monitoring.
// The tests run in order on the same child site (global-setup.ts starts both servers).
import { defaultQuery, expect, gridRow, itemCount, openConsole, openNode, test, type Site, type UpdatePageJson } from "./harness";
import { readFileSync } from "node:fs";
import type { Locator, Page } from "@playwright/test";

test.describe.configure({ mode: "serial" });

interface Category {
  categoryId: string;
  title: string;
  kind: string;
}
interface Settings {
  source: string;
  upstreamUrl: string;
  allowPlainHttp: boolean;
  productIds: string[];
  classificationIds: string[];
  languages: string[];
  schedule: { kind: string; everyHours: number; dayOfWeek: number; timeUtc: string };
}
interface Run {
  runId: number;
  state: string;
  newCount: number;
  fetchedCount: number;
}
interface Status {
  running: Run | null;
  history: Run[];
}

/** The parent's product and classification the child subscribes to. */
async function parentChoice(parent: Site): Promise<{ product: Category; security: Category }> {
  const categories = await parent.api<Category[]>("list_categories", {});
  const product = categories.find((c) => c.kind === "Product" && /Defender/.test(c.title));
  const security = categories.find((c) => c.kind === "UpdateClassification" && c.title === "Security Updates");
  if (!product || !security) throw new Error("the parent site has no Defender product or Security Updates classification");
  return { product, security };
}

async function openSupProperties(page: Page): Promise<Locator> {
  await openNode(page, "Administration", "Sites");
  const components = page.getByRole("grid", { name: "Site components" });
  await gridRow(components, 1).click();
  await page.getByRole("toolbar", { name: "Sites commands" }).getByRole("button", { name: "Properties" }).click();
  const dialog = page.getByRole("dialog", { name: "Software Update Point Properties" });
  await expect(dialog.getByRole("radio", { name: "Microsoft Update" })).toBeVisible();
  return dialog;
}

/** Synchronize Software Updates → Yes on All Software Updates; the run id the bar names. */
async function synchronizeFromLibrary(page: Page): Promise<number> {
  await openNode(page, "Software Library", "All Software Updates");
  await page.getByRole("button", { name: "Synchronize Software Updates" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Synchronize Software Updates" });
  await expect(confirm).toContainText("Do you want to initiate a site-wide synchronization of software updates?");
  await confirm.getByRole("button", { name: "Yes" }).click();
  const started = page.getByTestId("sync-started");
  await expect(started).toContainText("Synchronization of software updates started");
  return Number(/\(run (\d+)\)/.exec(await started.innerText())?.[1]);
}

async function waitForRunEnd(site: Site, runId: number): Promise<Run> {
  let run: Run | undefined;
  await expect
    .poll(
      async () => {
        const status = await site.api<Status>("get_sync_status", {});
        run = status.history.find((r) => r.runId === runId);
        return status.running === null && run !== undefined ? run.state : "Running";
      },
      { timeout: 30_000 },
    )
    .not.toBe("Running");
  return run!;
}

const statusGrid = (page: Page) => page.getByRole("grid", { name: "Software update points" });
/** The cell of column `header` in the update point's row. */
async function statusCell(page: Page, header: string): Promise<Locator> {
  const grid = statusGrid(page);
  // The page loads on first view; its grid's headers are read once they are there.
  await grid.getByRole("columnheader").first().waitFor();
  const headers = await grid.getByRole("columnheader").allInnerTexts();
  const index = headers.findIndex((h) => h.trim() === header);
  if (index < 0) throw new Error(`no column ${header} in ${headers.join(", ")}`);
  return gridRow(grid, 1).locator(`[role="gridcell"][aria-colindex="${index + 1}"]`);
}

test("plain HTTP is refused and nothing saved; allowed, a first synchronization brings the parent's categories", async ({
  page,
  child,
  parent,
}) => {
  const before = await child.api<Settings>("get_sync_settings", {});
  expect((await child.api<Category[]>("list_categories", {})).filter((c) => c.kind === "Product")).toHaveLength(0);

  await openConsole(page, child);
  let dialog = await openSupProperties(page);

  // Before any synchronization there is nothing to choose, and the dialog says so.
  await dialog.getByRole("tab", { name: "Products" }).click();
  await expect(dialog).toContainText("After the first synchronization, choose products here");
  await expect(dialog.getByRole("tree", { name: "Products" })).toHaveCount(0);

  await dialog.getByRole("tab", { name: "Sync Settings" }).click();
  await dialog.getByRole("radio", { name: "Upstream update server" }).check();
  await dialog.getByRole("textbox", { name: /Upstream server address/ }).fill(parent.url);
  await expect(dialog.getByRole("checkbox", { name: /Allow plain HTTP/ })).not.toBeChecked();
  await dialog.getByRole("button", { name: "OK" }).click();

  // The site refuses plain HTTP without consent: its message is shown, the dialog stays.
  await expect(dialog.getByRole("alert")).toContainText("plain HTTP");
  await expect(dialog).toBeVisible();
  expect(await child.api<Settings>("get_sync_settings", {})).toEqual(before);

  await dialog.getByRole("checkbox", { name: /Allow plain HTTP/ }).check();
  await expect(dialog).toContainText("can be read and altered on the way");
  await dialog.getByRole("button", { name: "OK" }).click();
  await expect(dialog).toBeHidden();
  const saved = await child.api<Settings>("get_sync_settings", {});
  expect(saved).toEqual({ ...before, source: "UpstreamServer", upstreamUrl: parent.url, allowPlainHttp: true });
  await expect(gridRow(page.getByRole("grid", { name: "Site components" }), 1)).toContainText(parent.url);

  // Cancel changes nothing.
  dialog = await openSupProperties(page);
  await dialog.getByRole("radio", { name: "Microsoft Update" }).check();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  expect(await child.api<Settings>("get_sync_settings", {})).toEqual(saved);

  // First synchronization: no products chosen yet, so categories only.
  const runId = await synchronizeFromLibrary(page);
  await page.getByRole("button", { name: /Follow it in Monitoring/ }).click();
  await expect(page.getByRole("heading", { name: "Software Update Point Synchronization Status" })).toBeVisible();
  const run = await waitForRunEnd(child, runId);
  expect(run.state).toBe("Succeeded");
  await expect(await statusCell(page, "State")).toHaveText("Succeeded");
  await page.getByRole("tab", { name: "Log" }).click();
  const log = page.getByRole("grid", { name: `Log of run ${runId}` });
  await expect(log).toContainText("only categories were synchronized");
  await expect(log).toContainText("synchronization succeeded");
  expect((await child.api<Category[]>("list_categories", {})).filter((c) => c.kind === "Product").length).toBeGreaterThan(0);
});

test("a product and Security Updates on a weekly schedule; the synchronization brings their updates", async ({
  page,
  child,
  parent,
}) => {
  const { product, security } = await parentChoice(parent);
  await openConsole(page, child);
  const dialog = await openSupProperties(page);

  // After the first synchronization the tree holds the parent's products (nothing chosen).
  await dialog.getByRole("tab", { name: "Products" }).click();
  const tree = dialog.getByRole("tree", { name: "Products" });
  const item = tree.locator(`[role="treeitem"][data-kind="Product"][data-category-id="${product.categoryId}"]`);
  await expect(item).toHaveAttribute("aria-checked", "false");
  await item.getByRole("checkbox").first().click();
  await expect(item).toHaveAttribute("aria-checked", "true");
  await expect(dialog).toContainText("1 product chosen.");

  // The first synchronization preselected the common classifications; keep Security Updates only.
  await dialog.getByRole("tab", { name: "Classifications" }).click();
  const classifications = dialog.getByRole("group", { name: "Update classifications" });
  for (const common of [/^Critical Updates/, /^Definition Updates/, /^Security Updates/]) {
    await expect(classifications.getByRole("checkbox", { name: common })).toBeChecked();
  }
  await classifications.getByRole("checkbox", { name: /^Critical Updates/ }).uncheck();
  await classifications.getByRole("checkbox", { name: /^Definition Updates/ }).uncheck();
  await classifications.getByRole("checkbox", { name: /^Security Updates/ }).check();

  await dialog.getByRole("tab", { name: "Sync Schedule" }).click();
  await expect(dialog.getByRole("checkbox", { name: "Enable synchronization on a schedule" })).toBeChecked();
  await dialog.getByRole("radio", { name: "Weekly" }).check();
  await dialog.getByRole("combobox", { name: "Day (UTC)" }).selectOption("Sunday");
  await dialog.getByLabel("Time (UTC)").fill("03:30");
  const expectedLocal = await page.evaluate(() => {
    // The next Sunday 03:30 UTC in this browser's time zone.
    const d = new Date();
    d.setUTCHours(3, 30, 0, 0);
    while (d.getUTCDay() !== 0 || d.getTime() < Date.now()) d.setUTCDate(d.getUTCDate() + 1);
    const day = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"][d.getDay()];
    return `= ${day} ${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")} local time`;
  });
  await expect(dialog.getByTestId("schedule-local-time")).toHaveText(expectedLocal);

  await dialog.getByRole("button", { name: "Apply" }).click();
  await expect(dialog.getByRole("button", { name: "Apply" })).toBeDisabled(); // saved, nothing left to apply
  await dialog.getByRole("button", { name: "OK" }).click();
  await expect(dialog).toBeHidden();
  const saved = await child.api<Settings>("get_sync_settings", {});
  expect(saved.productIds).toEqual([product.categoryId]);
  expect(saved.classificationIds).toEqual([security.categoryId]);
  expect(saved.schedule).toMatchObject({ kind: "Weekly", dayOfWeek: 0, timeUtc: "03:30" });

  // The choice is preselected next time, and the first-synchronization hint is gone.
  const again = await openSupProperties(page);
  await again.getByRole("tab", { name: "Products" }).click();
  await expect(
    again.locator(`[role="treeitem"][data-kind="Product"][data-category-id="${product.categoryId}"]`),
  ).toHaveAttribute("aria-checked", "true");
  await expect(again).not.toContainText("After the first synchronization");
  await again.getByRole("button", { name: "Cancel" }).click();

  const runId = await synchronizeFromLibrary(page);
  const run = await waitForRunEnd(child, runId);
  expect(run.state).toBe("Succeeded");
  expect(run.newCount).toBeGreaterThan(0);

  await openNode(page, "Monitoring", "Software Update Point Synchronization Status");
  await expect(await statusCell(page, "State")).toHaveText("Succeeded");
  await expect(await statusCell(page, "Last Sync Result")).toHaveText("Succeeded");
  await expect(await statusCell(page, "New")).toHaveText(run.newCount.toLocaleString("en-US"));
  await expect(await statusCell(page, "Fetched")).toHaveText(run.fetchedCount.toLocaleString("en-US"));
  await expect(await statusCell(page, "Catalog Version")).not.toBeEmpty();

  // Summary, then History: both runs, charted and listed.
  const details = page.getByRole("region", { name: "Details" });
  await expect(details.getByRole("definition").filter({ hasText: parent.url })).toBeVisible();
  await details.getByRole("tab", { name: "History" }).click();
  await expect(details.getByRole("figure", { name: "Software updates per synchronization" })).toBeVisible();
  await expect(details.locator(`[data-run-id="${runId}"]`)).toContainText("Succeeded");

  // Log of the newest run, and its export.
  await details.getByRole("tab", { name: "Log" }).click();
  const log = details.getByRole("grid", { name: `Log of run ${runId}` });
  await expect(log).toContainText("synchronization succeeded");
  const [download] = await Promise.all([page.waitForEvent("download"), details.getByRole("button", { name: "Export log" }).click()]);
  expect(download.suggestedFilename()).toBe(`wsyncmgr-${runId}.log`);
  const text = readFileSync(await download.path(), "utf8");
  expect(text).toContain(`run ${runId}`);
  expect(text).toMatch(/INFO\s+synchronization succeeded/);
});

test("All Software Updates of the child holds what the parent holds for that product and classification", async ({
  page,
  child,
  parent,
}) => {
  const { product, security } = await parentChoice(parent);
  const onParent = await parent.api<UpdatePageJson>(
    "list_updates",
    defaultQuery({ productIds: [product.categoryId], classificationIds: [security.categoryId], limit: 1 }),
  );
  expect(onParent.total).toBeGreaterThan(0);
  const onChild = await child.api<UpdatePageJson>("list_updates", defaultQuery({ limit: 1 }));
  expect(onChild.total).toBe(onParent.total);

  await openConsole(page, child);
  await openNode(page, "Software Library", "All Software Updates");
  expect(await itemCount(page)).toBe(onParent.total);
  await expect(gridRow(page.getByRole("grid", { name: "All Software Updates" }), 1)).toContainText(/Defender/);
});

test("Synchronize twice in a row: the second is refused while the first runs, or starts after it", async ({ page, child }) => {
  await openConsole(page, child);
  const first = await synchronizeFromLibrary(page);
  await page.getByRole("button", { name: "Synchronize Software Updates" }).click();
  await page.getByRole("alertdialog", { name: "Synchronize Software Updates" }).getByRole("button", { name: "Yes" }).click();
  // Which one happens depends on how long the first run takes; both are right.
  const refused = page.getByRole("alert").filter({ hasText: "A synchronization is already running" });
  const started = page.getByTestId("sync-started");
  await expect(refused.or(started)).toBeVisible();
  if (await started.isVisible()) {
    const second = Number(/\(run (\d+)\)/.exec(await started.innerText())?.[1]);
    expect(second).toBeGreaterThan(first);
    await waitForRunEnd(child, second);
  } else {
    await expect(refused).toContainText("wait for it to finish");
  }
  await waitForRunEnd(child, first);
  const status = await child.api<Status>("get_sync_status", {});
  expect(status.history.filter((r) => r.state === "Running")).toHaveLength(0);
});
