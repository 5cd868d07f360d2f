// The grid of a node at 1024×768 (issue 14): room for rows once the details pane's splitter
// is dragged, the command bar and filters on one row each, column widths and picks and the
// splitter remembered after a reload, the row menu running Approve, the status bar counting a
// Ctrl+A selection that the details pane then summarises, a collapsible navigation pane.
// Each test opens a fresh browser context, so nothing is remembered from another test.
import type { Locator, Page } from "@playwright/test";
import { defaultQuery, expect, gridRow, itemCount, openConsole, openNode, test, updatesGrid, type UpdatePageJson } from "./harness";

test.use({ viewport: { width: 1024, height: 768 } });

test.beforeEach(async ({ page, site }) => {
  await openConsole(page, site);
  await openNode(page, "Software Library", "All Software Updates");
  await expect(gridRow(updatesGrid(page), 1)).not.toHaveAttribute("aria-busy", "true");
});

async function reopen(page: Page): Promise<void> {
  await page.reload();
  await openNode(page, "Software Library", "All Software Updates");
  await expect(gridRow(updatesGrid(page), 1)).not.toHaveAttribute("aria-busy", "true");
}

/** Data rows wholly inside the grid's viewport, under its header. */
function rowsInView(grid: Locator): Promise<number> {
  return grid.evaluate((el) => {
    const view = el.getBoundingClientRect();
    const bottom = view.top + el.clientHeight;
    return [...el.querySelectorAll('[role="row"][aria-rowindex]')].filter((row) => {
      if (row.getAttribute("aria-rowindex") === "1") return false;
      const r = row.getBoundingClientRect();
      return r.top >= view.top && r.bottom <= bottom + 0.5;
    }).length;
  });
}

/** Drags a separator's middle by (dx, dy) with the mouse. */
async function drag(page: Page, handle: Locator, dx: number, dy: number): Promise<void> {
  await handle.scrollIntoViewIfNeeded();
  const box = await handle.boundingBox();
  if (!box) throw new Error("the handle is not on screen");
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + dx / 2, y + dy / 2);
  await page.mouse.move(x + dx, y + dy);
  await page.mouse.up();
}

const height = async (l: Locator) => (await l.boundingBox())?.height ?? 0;
const width = async (l: Locator) => (await l.boundingBox())?.width ?? 0;

test("at 1024×768 the grid shows 12 rows beside an open details pane once the splitter is dragged", async ({ page }) => {
  const grid = updatesGrid(page);
  const pane = page.getByRole("region", { name: "Details" });
  const splitter = page.getByRole("separator", { name: "Resize the details pane" });
  // The command bar and the filters keep to one row each (a second would double their
  // height); what does not fit waits behind "More".
  expect(await height(page.getByRole("toolbar", { name: "All Software Updates commands" }))).toBeLessThan(64);
  expect(await height(page.getByRole("search", { name: "Search and filters" }))).toBeLessThan(90);
  await expect(page.getByRole("button", { name: "More commands" })).toBeVisible();
  await expect(page.getByRole("button", { name: /^More filters/ })).toBeVisible();

  await drag(page, splitter, 0, 140);
  await expect(pane).toBeVisible();
  expect(await height(pane)).toBeGreaterThanOrEqual(96);
  expect(await rowsInView(grid)).toBeGreaterThanOrEqual(12);

  // The height stays with the node across a reload.
  const paneHeight = await height(pane);
  await reopen(page);
  expect(Math.abs((await height(pane)) - paneHeight)).toBeLessThanOrEqual(1);
  expect(await rowsInView(grid)).toBeGreaterThanOrEqual(12);
});

test("column widths and the columns picked are remembered after a reload", async ({ page }) => {
  const grid = updatesGrid(page);
  const article = grid.getByRole("columnheader", { name: "Article ID" });
  const before = await width(article);
  await drag(page, grid.getByRole("separator", { name: "Resize Article ID" }), 80, 0);
  await expect.poll(() => width(article)).toBeGreaterThan(before + 70);
  const resized = await width(article);

  await page.getByRole("button", { name: "Columns" }).click();
  await page.getByRole("menuitemcheckbox", { name: "Bulletin ID" }).click();
  await page.keyboard.press("Escape");
  await expect(grid.getByRole("columnheader", { name: "Bulletin ID" })).toHaveCount(0);

  await reopen(page);
  await expect(grid.getByRole("columnheader", { name: "Bulletin ID" })).toHaveCount(0);
  expect(Math.abs((await width(article)) - resized)).toBeLessThanOrEqual(1);

  // Reset columns brings the page's own layout back.
  await grid.getByRole("columnheader", { name: "Title" }).click({ button: "right" });
  await page.getByRole("menuitem", { name: "Reset columns" }).click();
  await expect(grid.getByRole("columnheader", { name: "Bulletin ID" })).toHaveCount(1);
  expect(Math.abs((await width(article)) - before)).toBeLessThanOrEqual(1);
});

test("the row menu runs Approve on the row right-clicked", async ({ page, site }) => {
  const group = await site.api<{ id: number; path: string }>("create_target_group", {
    parentId: null,
    name: `E2E grid ${Date.now().toString(36)}`,
    description: "made by grid.spec.ts",
  });
  const first = await site.api<UpdatePageJson>("list_updates", defaultQuery({ limit: 3 }));
  const update = first.rows[2];
  try {
    const grid = updatesGrid(page);
    await expect(gridRow(grid, 3).getByRole("gridcell").first()).toHaveText(update.title);
    await gridRow(grid, 1).click();
    await gridRow(grid, 3).click({ button: "right" });
    // As in Explorer, the row right-clicked outside the selection becomes the selection.
    await expect(gridRow(grid, 3)).toHaveAttribute("aria-selected", "true");
    await expect(gridRow(grid, 1)).toHaveAttribute("aria-selected", "false");
    const menu = page.getByRole("menu", { name: "Row commands" });
    await menu.getByRole("menuitem", { name: "Approve" }).click();

    const wizard = page.getByRole("dialog", { name: "Approve Updates: 1 update" });
    await wizard.locator(`[data-group="${group.path}"]`).getByRole("checkbox").first().check();
    await wizard.getByRole("button", { name: "Next >" }).click();
    await wizard.getByRole("combobox", { name: `Approval: ${group.path}` }).selectOption("Available");
    await wizard.getByRole("button", { name: "Next >" }).click();
    await wizard.getByRole("button", { name: "Finish" }).click();
    await expect(wizard.locator('[aria-current="step"]')).toHaveText("Completion");
    await wizard.getByRole("button", { name: "Close" }).click();

    const approvals = await site.api<{ updateId: string; action: string }[]>("list_approvals", { updateId: null, groupId: group.id });
    expect(approvals.map((a) => [a.updateId, a.action])).toEqual([[update.updateId, "Available"]]);
  } finally {
    await site.api("remove_approvals", { updateIds: [update.updateId], groupIds: [group.id] });
    await site.api("delete_target_group", { id: group.id });
  }
});

test("the status bar counts a Ctrl+A selection, which the details pane summarises", async ({ page }) => {
  const total = await itemCount(page);
  const status = page.getByTestId("grid-status");
  const n = total.toLocaleString("en-US");
  await expect(status).toHaveText(`Items: ${n} · Selected: 0`);
  await gridRow(updatesGrid(page), 1).click();
  await expect(status).toHaveText(`Items: ${n} · Selected: 1`);
  await page.keyboard.press("Control+a");
  await expect(status).toHaveText(`Items: ${n} · Selected: ${n}`);

  const pane = page.getByRole("region", { name: "Details" });
  await expect(pane.getByRole("heading", { name: `${total.toLocaleString("en-US")} updates selected` })).toBeVisible();
  const byClass = pane.getByRole("definition").first();
  await expect(byClass).not.toHaveText("");
  // The counts by classification add up to the selection (every row counted, not the first).
  const counts = await pane.locator('dl[aria-label="By classification"] dd').allInnerTexts();
  expect(counts.reduce((n, t) => n + Number(t.replace(/\D/g, "")), 0)).toBe(total);
});

test("the navigation pane collapses to a rail and stays so after a reload", async ({ page }) => {
  const nav = page.getByRole("navigation", { name: "Navigation" });
  const wide = await width(nav);
  await page.getByRole("button", { name: "Collapse the navigation pane" }).click();
  await expect.poll(() => width(nav)).toBeLessThan(60);
  expect(await rowsInView(updatesGrid(page))).toBeGreaterThan(0);
  await page.reload();
  await expect.poll(() => width(nav)).toBeLessThan(60);
  await page.getByRole("button", { name: "Expand the navigation pane" }).click();
  await expect.poll(() => width(nav)).toBeGreaterThanOrEqual(wide - 1);
});

