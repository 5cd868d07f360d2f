// The console frame (CON-1, CON-2): sign-in, workspaces and their node trees, real nodes.
import { expect, navTree, openConsole, openNode, test, workspaceSwitcher } from "./harness";

const WORKSPACES: Record<string, string[]> = {
  "Assets and Compliance": ["Overview", "Devices", "Device Collections"],
  "Software Library": [
    "Overview",
    "Software Updates",
    "All Software Updates",
    "Software Update Groups",
    "Deployment Packages",
    "Automatic Deployment Rules",
    "Third-party Updates",
    "Operating Systems",
    "OS Images",
    "OS Upgrade Packages",
  ],
  Monitoring: [
    "Overview",
    "Software Update Point Synchronization Status",
    "Deployments",
    "Offline Servicing",
    "Alerts",
    "Audit Log",
  ],
  Administration: [
    "Overview",
    "Site Configuration",
    "Sites",
    "Distribution Points",
    "Update Agent Policy",
    "Auto-approval Rules",
    "Security",
    "Administrative Users",
    "Security Roles",
  ],
};

test("the token leaves the address bar and the session keeps it", async ({ page, site }) => {
  await openConsole(page, site);
  expect(page.url()).not.toContain(site.token);
  expect(await page.evaluate(() => sessionStorage.getItem("patchdeck.token"))).toBe(site.token);
  await page.reload();
  await expect(workspaceSwitcher(page)).toBeVisible();
});

test("without a token the sign-in box asks for it, and a wrong one is refused", async ({ page, site }) => {
  await page.goto("/");
  const box = page.getByRole("form", { name: "Sign in to the site server" });
  await expect(box).toBeVisible();
  await box.getByRole("button", { name: "Use an access token instead" }).click();
  await box.getByLabel("Access token").fill("not-the-token");
  await box.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("did not accept");
  await box.getByLabel("Access token").fill(site.token);
  await box.getByRole("button", { name: "Sign in" }).click();
  await expect(workspaceSwitcher(page)).toBeVisible();
});

test("each workspace shows its node tree", async ({ page, site }) => {
  await openConsole(page, site);
  for (const [workspace, nodes] of Object.entries(WORKSPACES)) {
    await workspaceSwitcher(page).getByRole("tab", { name: workspace }).click();
    await expect(page.getByRole("navigation").getByRole("heading", { name: workspace })).toBeVisible();
    for (const node of nodes) {
      await expect(navTree(page).getByRole("treeitem", { name: node, exact: true })).toBeVisible();
    }
  }
});

test("Offline Servicing lists the servicing runs, none before updates are scheduled", async ({ page, site }) => {
  await openConsole(page, site);
  // The last node that said "not built yet" (issue 17 filled it): now a grid of runs.
  await openNode(page, "Monitoring", "Offline Servicing");
  await expect(page.getByRole("grid", { name: "Servicing runs" })).toBeVisible();
  await expect(page.getByText("No updates have been scheduled on an OS image yet.")).toBeVisible();
  await expect(page.getByTestId("empty-node")).toHaveCount(0);
});

test("each workspace's Overview counts what its nodes hold, each a link", async ({ page, site }) => {
  await openConsole(page, site);
  await openNode(page, "Assets and Compliance", "Overview");
  await expect(page.getByRole("heading", { name: "Assets and Compliance Overview" })).toBeVisible();
  await expect(page.getByTestId("overview-collections")).toBeVisible();
  await openNode(page, "Monitoring", "Overview");
  await expect(page.getByTestId("overview-alerts")).toBeVisible();
  await openNode(page, "Administration", "Overview");
  await expect(page.getByRole("button", { name: "Run the first-run wizard" })).toBeVisible();
  await page.getByTestId("overview-distributionPoints").getByRole("link").click();
  await expect(page.getByRole("grid", { name: "Distribution Points" })).toBeVisible();
});

test("Sites shows the site's own information", async ({ page, site }) => {
  const info = await site.api<{ siteName: string; updateCount: number }>("site_info", {});
  await openConsole(page, site);
  await openNode(page, "Administration", "Sites");
  const grid = page.getByRole("grid", { name: "Sites" });
  await expect(grid.getByRole("row").nth(1)).toContainText(info.siteName);
  await expect(grid.getByRole("row").nth(1)).toContainText(info.updateCount.toLocaleString("en-US"));
});

test("Audit Log lists what the API lists", async ({ page, site }) => {
  const entries = await site.api<{ action: string }[]>("list_audit", { offset: 0, limit: 100 });
  await openConsole(page, site);
  await openNode(page, "Monitoring", "Audit Log");
  const grid = page.getByRole("grid", { name: "Audit Log" });
  await expect(grid).toBeVisible();
  if (entries.length === 0) {
    await expect(page.getByText("No administrative action has been recorded yet.")).toBeVisible();
  } else {
    // The action reads in words; its cell keeps the recorded name as its tooltip.
    await expect(grid.locator('[role="row"][aria-rowindex="2"]').locator(`[title="${entries[0].action}"]`)).toBeVisible();
  }
});

test("a request without the token is refused with 401", async ({ request, site }) => {
  const res = await request.post(`${site.url}/api/v1/commands/site_info`, { data: {} });
  expect(res.status()).toBe(401);
  expect((await res.json()).code).toBe("Unauthorized");
  const wrong = await request.post(`${site.url}/api/v1/commands/list_updates`, {
    data: {},
    headers: { Authorization: "Bearer wrong" },
  });
  expect(wrong.status()).toBe(401);
  const events = await request.get(`${site.url}/api/v1/events`);
  expect(events.status()).toBe(401);
});
