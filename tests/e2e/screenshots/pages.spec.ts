// One PNG per node of every workspace (docs/screenshots/<workspace>--<node>.png), walked from
// the console's own navigation tree, so a node added later is pictured without editing this
// file; then All Software Updates again as the README's picture (assets/screenshot.png), and
// the synchronization history's charts on a child site after two runs from its parent.
import { mkdirSync, readdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { ROOT } from "../paths";
import { expect, gridRow, navTree, openConsole, test, updatesGrid, workspaceSwitcher, type Site } from "../specs/harness";
import { OUT, clearPictures, shoot, slug } from "./shots";

/** Waits until the node's page has drawn: its main region named, no spinner, fonts loaded. */
async function settled(page: Page, node: string): Promise<void> {
  await expect(page.getByRole("main", { name: node })).toBeVisible();
  await expect(page.getByRole("main").getByRole("progressbar")).toHaveCount(0, { timeout: 30_000 });
  await page.evaluate(() => document.fonts.ready);
  // Grids measure their rows and charts their container after the first paint.
  await page.waitForTimeout(700);
}

test("every node of every workspace, at 1440×900", async ({ page, site }) => {
  // The node pictures only: the wizards' (wizards.spec.ts) and the index stay.
  clearPictures((f) => f.includes("--"));
  mkdirSync(OUT, { recursive: true });
  await openConsole(page, site);
  const tabs = workspaceSwitcher(page).getByRole("tab");
  // Each tab shows only an icon: files are named after the workspace's id (the tab's value).
  const workspaces = await tabs.evaluateAll((all) => all.map((t) => t.getAttribute("value") ?? ""));
  expect(workspaces.length).toBeGreaterThan(1);

  for (const [w, workspace] of workspaces.entries()) {
    await tabs.nth(w).click();
    const items = navTree(page).getByRole("treeitem");
    // Folders are opened as they come, so the list grows while it is walked.
    for (let i = 0; i < (await items.count()); i++) {
      const item = items.nth(i);
      const expanded = await item.getAttribute("aria-expanded");
      if (expanded === "false") await item.click();
      if (expanded !== null) continue;
      await item.click();
      // The page's main region is named after the node.
      const name = (await page.getByRole("main").getAttribute("aria-label")) ?? `node-${i}`;
      await settled(page, name);
      const title = (await tabs.nth(w).getAttribute("aria-label")) ?? (await tabs.nth(w).innerText());
      await shoot(page, `${slug(workspace)}--${slug(name)}.png`, `${title} › ${name}`);
    }
  }

  // The README's picture: the node the console opens on, a row selected for its details.
  await workspaceSwitcher(page).getByRole("tab", { name: "Software Library" }).click();
  await navTree(page).getByRole("treeitem", { name: "All Software Updates", exact: true }).click();
  await settled(page, "All Software Updates");
  await gridRow(updatesGrid(page), 2).click();
  await page.waitForTimeout(700);
  await page.screenshot({ path: path.join(ROOT, "assets", "screenshot.png") });

  const made = readdirSync(OUT).filter((f) => f.includes("--"));
  console.log(`[screenshots] ${made.length} pages in ${OUT}, README picture in assets/screenshot.png`);
  expect(made.length).toBeGreaterThan(10);
});

interface Run {
  runId: number;
  state: string;
}

/** Starts a synchronization on `site` and waits for its end. */
async function synchronize(site: Site): Promise<Run> {
  const started = await site.api<Run>("start_sync", {});
  let run: Run | undefined;
  await expect
    .poll(
      async () => {
        run = (await site.api<{ history: Run[] }>("get_sync_status", {})).history.find((r) => r.runId === started.runId);
        return run?.state ?? "Running";
      },
      { timeout: 120_000 },
    )
    .not.toBe("Running");
  return run ?? started;
}

test("the synchronization history's charts, after two runs from a parent", async ({ page, child, parent }) => {
  // The child first learns the parent's categories, then takes two products' updates.
  const settings = await child.api<Record<string, unknown>>("get_sync_settings", {});
  await child.api("set_sync_settings", { ...settings, source: "UpstreamServer", upstreamUrl: parent.url, allowPlainHttp: true });
  expect((await synchronize(child)).state).toBe("Succeeded");
  const categories = await child.api<{ categoryId: string; kind: string; title: string }[]>("list_categories", {});
  const products = categories.filter((c) => c.kind === "Product").slice(0, 2);
  const classes = categories.filter((c) => c.kind === "UpdateClassification" && /Security|Critical/.test(c.title));
  const now = await child.api<Record<string, unknown>>("get_sync_settings", {});
  await child.api("set_sync_settings", {
    ...now,
    productIds: products.map((c) => c.categoryId),
    classificationIds: classes.map((c) => c.categoryId),
  });
  expect((await synchronize(child)).state).toBe("Succeeded");

  await openConsole(page, child);
  await workspaceSwitcher(page).getByRole("tab", { name: "Monitoring" }).click();
  const node = "Software Update Point Synchronization Status";
  await navTree(page).getByRole("treeitem", { name: node, exact: true }).click();
  await settled(page, node);
  await page.getByRole("tab", { name: "History" }).click();
  await expect(page.getByRole("figure", { name: "Software updates per synchronization" })).toBeVisible();
  await page.waitForTimeout(700);
  await shoot(page, "monitoring--synchronization-history.png", "Monitoring › Software Update Point Synchronization Status, History tab: the charts after two synchronizations from a parent");
});
