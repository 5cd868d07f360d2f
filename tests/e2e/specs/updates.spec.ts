// Software Library > All Software Updates (LIB-1, LIB-2, LIB-3) against the real server.
import { BUNDLE_ID, bundledFixtureFiles, defaultQuery, expect, fixtureUpdate, gridRow, itemCount, itemsText, openConsole, openNode, test, type UpdatePageJson, updatesGrid } from "./harness";

test.beforeEach(async ({ page, site }) => {
  await openConsole(page, site);
  await openNode(page, "Software Library", "All Software Updates");
});

test("shows rows and the total the API reports", async ({ page, site }) => {
  const api = await site.api<UpdatePageJson>("list_updates", defaultQuery());
  expect(api.total).toBeGreaterThan(0);
  expect(await itemCount(page)).toBe(api.total);
  const grid = updatesGrid(page);
  await expect(grid).toHaveAttribute("aria-rowcount", String(api.total + 1));
  await expect(gridRow(grid, 1).getByRole("gridcell").first()).toHaveText(api.rows[0].title);
});

test("search finds the Defender bundle by its KB number", async ({ page }) => {
  const bundle = fixtureUpdate(BUNDLE_ID);
  await page.getByRole("searchbox", { name: "Search" }).fill(`KB${bundle.kb}`);
  const grid = updatesGrid(page);
  await expect(grid.getByRole("row").filter({ hasText: bundle.titleEn })).toHaveCount(1);
  expect(await itemCount(page)).toBeGreaterThanOrEqual(1);
});

test("sorting by Title follows the server's order both ways", async ({ page, site }) => {
  const grid = updatesGrid(page);
  const header = grid.getByRole("columnheader", { name: "Title" });
  for (const descending of [false, true]) {
    const api = await site.api<UpdatePageJson>("list_updates", defaultQuery({ sort: { column: "title", descending } }));
    await header.click();
    await expect(header).toHaveAttribute("aria-sort", descending ? "descending" : "ascending");
    await expect(gridRow(grid, 1).getByRole("gridcell").first()).toHaveText(api.rows[0].title);
    await expect(gridRow(grid, 2).getByRole("gridcell").first()).toHaveText(api.rows[1].title);
  }
  const asc = await site.api<UpdatePageJson>("list_updates", defaultQuery({ sort: { column: "title", descending: false } }));
  const desc = await site.api<UpdatePageJson>("list_updates", defaultQuery({ sort: { column: "title", descending: true } }));
  expect(asc.rows[0].title).not.toBe(desc.rows[0].title);
});

test("Properties of the bundle show its KB, what it supersedes and a file digest", async ({ page, site }) => {
  const bundle = fixtureUpdate(BUNDLE_ID);
  const digests = bundledFixtureFiles(bundle);
  expect(digests.length).toBeGreaterThan(0);
  const found = await site.api<UpdatePageJson>("list_updates", defaultQuery({ search: `KB${bundle.kb}`, limit: 1 }));

  await page.getByRole("searchbox", { name: "Search" }).fill(`KB${bundle.kb}`);
  // The bundle may be on the unfiltered first page too: wait for the search's answer, or the
  // click below could select a row the arriving result then replaces (and unselects).
  await expect(page.getByTestId("item-count")).toHaveText(itemsText(found.total));
  const row = updatesGrid(page).getByRole("row").filter({ hasText: bundle.titleEn });
  await row.click();
  await page.getByRole("toolbar").getByRole("button", { name: "Properties" }).click();

  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText(bundle.titleEn);
  await expect(dialog.getByRole("tabpanel")).toContainText(`KB${bundle.kb}`);

  await dialog.getByRole("tab", { name: "Supersedence" }).click();
  await expect(
    dialog.getByRole("heading", { name: `This update supersedes (${bundle.supersededIds.length})` }),
  ).toBeVisible();
  await expect(dialog.getByRole("list", { name: /This update supersedes/ }).getByRole("listitem")).toHaveCount(
    bundle.supersededIds.length,
  );
  for (const id of bundle.supersededIds.slice(0, 3)) await expect(dialog).toContainText(id);

  await dialog.getByRole("tab", { name: "Files" }).click();
  await expect(dialog.getByText(digests[0].sha1Hex).first()).toBeVisible();

  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(dialog).toHaveCount(0);
});

test("selection and keyboard: Properties needs exactly one row, Enter opens it", async ({ page, site }) => {
  const api = await site.api<UpdatePageJson>("list_updates", defaultQuery());
  const grid = updatesGrid(page);
  const properties = page.getByRole("toolbar").getByRole("button", { name: "Properties" });
  await expect(properties).toBeDisabled();
  await gridRow(grid, 1).click();
  await expect(properties).toBeEnabled();
  await gridRow(grid, 3).click({ modifiers: ["Shift"] });
  await expect(grid.locator('[role="row"][aria-selected="true"]')).toHaveCount(3);
  await expect(properties).toBeDisabled();
  await gridRow(grid, 2).click({ modifiers: ["ControlOrMeta"] });
  await expect(grid.locator('[role="row"][aria-selected="true"]')).toHaveCount(2);
  await page.keyboard.press("ControlOrMeta+a");
  await expect(properties).toBeDisabled();
  await page.keyboard.press("Home");
  await page.keyboard.press("ArrowDown");
  await expect(gridRow(grid, 2)).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("dialog")).toContainText(api.rows[1].title);
});

test("the grid scrolls to the last row without loading the whole list", async ({ page, site }) => {
  const api = await site.api<UpdatePageJson>("list_updates", defaultQuery());
  const total = api.total;
  const grid = updatesGrid(page);
  await expect(gridRow(grid, 1)).toBeVisible();
  let listRequests = 0;
  page.on("request", (r) => {
    if (r.url().endsWith("/api/v1/commands/list_updates")) listRequests++;
  });
  await grid.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  const last = gridRow(grid, total);
  await expect(last).toHaveAttribute("data-row-number", String(total));
  await expect(last).not.toHaveAttribute("aria-busy", "true");
  const rendered = grid.locator('[role="row"][aria-rowindex]:not([aria-rowindex="1"])');
  expect(await rendered.last().getAttribute("aria-rowindex")).toBe(String(total + 1));
  expect(await rendered.count()).toBeLessThan(200);
  expect(listRequests).toBeLessThan(Math.ceil(total / 100));

  const lastApi = await site.api<UpdatePageJson>("list_updates", defaultQuery({ offset: total - 1, limit: 1 }));
  await expect(last.getByRole("gridcell").first()).toHaveText(lastApi.rows[0].title);

  // Keyboard: Home goes back to the top.
  await grid.focus();
  await page.keyboard.press("Home");
  await expect(gridRow(grid, 1)).toHaveAttribute("aria-selected", "true");
});

test("the classification filter gives the API's count for that classification", async ({ page, site }) => {
  const categories = await site.api<{ categoryId: string; title: string; kind: string; updateCount: number }[]>(
    "list_categories",
    {},
  );
  const classification = categories
    .filter((c) => c.kind === "UpdateClassification" && c.updateCount > 0)
    .sort((a, b) => b.updateCount - a.updateCount)[0];
  expect(classification).toBeDefined();
  const api = await site.api<UpdatePageJson>(
    "list_updates",
    defaultQuery({ classificationIds: [classification.categoryId.toLowerCase()] }),
  );
  await page.getByRole("combobox", { name: "Classification" }).click();
  // Fluent's multiselect Dropdown lists its choices as menuitemcheckbox (single-select: option).
  await page
    .locator('[role="option"], [role="menuitemcheckbox"]')
    .filter({ hasText: new RegExp(`^${classification.title} \\(`) })
    .click();
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("item-count")).toHaveText(itemsText(api.total));
  await expect(gridRow(updatesGrid(page), 1).getByRole("gridcell").first()).toHaveText(api.rows[0].title);
});
