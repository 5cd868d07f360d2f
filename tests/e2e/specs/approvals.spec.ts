// Approve Updates wizard (APR-2) and inheritance (APR-1) against the real server: two updates
// approved for two groups with different actions and deadlines; a child group shows what it
// inherits and from where; Cancel sends nothing. Each test makes its own groups (named with
// a unique tag) on the main site and removes them, with their approvals, when it ends.
import {
  defaultQuery,
  expect,
  gridRow,
  openConsole,
  openNode,
  test,
  updatesGrid,
  type Site,
  type UpdatePageJson,
} from "./harness";

interface Group {
  id: number;
  parentId: number | null;
  name: string;
  path: string;
}

interface Approval {
  updateId: string;
  groupId: number;
  action: string;
  deadlineUtc: string | null;
  explicit: boolean;
  sourceGroupId: number;
  sourceGroupPath: string;
}

const DAY = 24 * 60 * 60 * 1000;

async function makeGroups(site: Site, names: { name: string; parent?: string }[]): Promise<Record<string, Group>> {
  const tag = `E2E ${Date.now().toString(36)}`;
  const out: Record<string, Group> = {};
  for (const { name, parent } of names) {
    out[name] = await site.api<Group>("create_target_group", {
      parentId: parent ? out[parent].id : null,
      name: `${tag} ${name}`,
      description: "made by approvals.spec.ts",
    });
  }
  return out;
}

/** Removes the groups' approvals of `updateIds`, then the groups, children first. */
async function cleanUp(site: Site, groups: Record<string, Group>, updateIds: string[]): Promise<void> {
  const list = Object.values(groups);
  await site.api("remove_approvals", { updateIds, groupIds: list.map((g) => g.id) });
  for (const g of list.sort((a, b) => b.path.length - a.path.length)) await site.api("delete_target_group", { id: g.id });
}

test("two updates approved for two groups; the child group shows the inherited approval and its source", async ({ page, site }) => {
  const groups = await makeGroups(site, [{ name: "Desktops" }, { name: "Berlin", parent: "Desktops" }, { name: "Servers" }]);
  const { Desktops: desktops, Berlin: berlin, Servers: servers } = groups;
  const first = await site.api<UpdatePageJson>("list_updates", defaultQuery({ limit: 2 }));
  const updateIds = first.rows.map((r) => r.updateId);
  try {
    await openConsole(page, site);
    await openNode(page, "Software Library", "All Software Updates");
    const grid = updatesGrid(page);
    await expect(gridRow(grid, 2).getByRole("gridcell").first()).toHaveText(first.rows[1].title);
    await gridRow(grid, 1).click();
    await gridRow(grid, 2).click({ modifiers: ["Shift"] });
    await page.getByRole("toolbar").getByRole("button", { name: "Approve" }).click();

    const wizard = page.getByRole("dialog", { name: "Approve Updates: 2 updates" });
    await expect(wizard.getByRole("list", { name: "Wizard pages" }).locator('[aria-current="step"]')).toHaveText("Select Groups");
    await expect(wizard.getByRole("list", { name: "Wizard pages" }).getByRole("listitem")).toHaveText(["Select Groups", "Deployment Action", "Summary", "Progress", "Completion"]);
    // Next without a group is refused with the reason.
    await wizard.getByRole("button", { name: "Next >" }).click();
    await expect(wizard).toContainText("Select at least one group.");
    for (const g of [desktops, servers]) {
      await wizard.locator(`[data-group="${g.path}"]`).getByRole("checkbox").first().check();
    }
    await expect(wizard.getByRole("status")).toHaveText("2 groups selected");
    await wizard.getByRole("button", { name: "Next >" }).click();

    await expect(wizard.locator('[aria-current="step"]')).toHaveText("Deployment Action");
    await wizard.getByRole("combobox", { name: `Approval: ${desktops.path}` }).selectOption("Required");
    await wizard.getByRole("combobox", { name: `Deadline: ${desktops.path}` }).selectOption("OneWeek");
    await wizard.getByRole("combobox", { name: `Approval: ${servers.path}` }).selectOption("Available");
    await expect(wizard.getByRole("combobox", { name: `Deadline: ${servers.path}` })).toBeDisabled();
    await wizard.getByRole("button", { name: "Next >" }).click();

    await expect(wizard.locator('[aria-current="step"]')).toHaveText("Summary");
    const summary = wizard.getByRole("group", { name: "Summary" });
    const choice = (path: string) => summary.getByRole("term").filter({ hasText: path }).locator("xpath=following-sibling::dd[1]");
    await expect(choice(desktops.path)).toContainText("Required install");
    await expect(choice(desktops.path)).toContainText("One week");
    await expect(choice(servers.path)).toContainText("Available install");
    const finishedAt = Date.now();
    await wizard.getByRole("button", { name: "Finish" }).click();
    await expect(wizard.locator('[aria-current="step"]')).toHaveText("Completion");
    await expect(wizard).toContainText("4 approvals written");
    await wizard.getByRole("button", { name: "Close" }).click();
    await expect(wizard).toHaveCount(0);

    // The API: Berlin has no approval of its own and inherits Desktops' for both updates.
    const inherited = await site.api<Approval[]>("list_approvals", { updateId: null, groupId: berlin.id });
    expect(inherited.map((a) => a.updateId).sort()).toEqual([...updateIds].sort());
    for (const a of inherited) {
      expect(a).toMatchObject({ action: "Required", explicit: false, sourceGroupId: desktops.id, sourceGroupPath: desktops.path });
      const deadline = Date.parse(a.deadlineUtc ?? "");
      expect(Math.abs(deadline - (finishedAt + 7 * DAY))).toBeLessThan(5 * 60 * 1000);
    }
    const onServers = await site.api<Approval[]>("list_approvals", { updateId: null, groupId: servers.id });
    expect(onServers.map((a) => [a.action, a.explicit, a.deadlineUtc])).toEqual([
      ["Available", true, null],
      ["Available", true, null],
    ]);

    // The console: Device Collections > Berlin > Approvals says where it comes from.
    await openNode(page, "Assets and Compliance", "Device Collections");
    await page.locator(`[data-group="${berlin.path}"]`).first().click();
    await page.getByRole("tab", { name: "Approvals" }).click();
    const table = page.getByRole("table", { name: "Approvals of this group" });
    await expect(table.locator("tbody tr")).toHaveCount(2);
    for (const title of first.rows.map((r) => r.title)) {
      const row = table.getByRole("row").filter({ hasText: title });
      await expect(row).toContainText("Required install");
      await expect(row).toContainText(`Inherited from ${desktops.path}`);
    }
    // Desktops shows the same approvals as its own.
    await page.locator(`[data-group="${desktops.path}"]`).first().click({ position: { x: 60, y: 10 } });
    await page.getByRole("tab", { name: "Approvals" }).click();
    const own = page.getByRole("table", { name: "Approvals of this group" });
    await expect(own.locator('tbody tr[data-approval-source="explicit"]')).toHaveCount(2);
  } finally {
    await cleanUp(site, groups, updateIds);
  }
});

test("Cancel in the Approve wizard sends nothing and changes nothing", async ({ page, site }) => {
  const groups = await makeGroups(site, [{ name: "Kiosks" }]);
  const first = await site.api<UpdatePageJson>("list_updates", defaultQuery({ limit: 1 }));
  const updateId = first.rows[0].updateId;
  const before = await site.api<Approval[]>("list_approvals", { updateId, groupId: null });
  let approveCalls = 0;
  page.on("request", (r) => {
    if (r.url().endsWith("/api/v1/commands/approve_updates")) approveCalls++;
  });
  try {
    await openConsole(page, site);
    await openNode(page, "Software Library", "All Software Updates");
    const grid = updatesGrid(page);
    await expect(gridRow(grid, 1).getByRole("gridcell").first()).toHaveText(first.rows[0].title);
    await gridRow(grid, 1).click();
    await page.getByRole("toolbar").getByRole("button", { name: "Approve" }).click();
    const wizard = page.getByRole("dialog", { name: "Approve Updates: 1 update" });
    await wizard.locator(`[data-group="${groups.Kiosks.path}"]`).getByRole("checkbox").first().check();
    await wizard.getByRole("button", { name: "Next >" }).click();
    await wizard.getByRole("combobox", { name: `Approval: ${groups.Kiosks.path}` }).selectOption("Uninstall");
    await wizard.getByRole("button", { name: "Cancel" }).click();
    await expect(wizard).toHaveCount(0);

    expect(approveCalls).toBe(0);
    expect(await site.api<Approval[]>("list_approvals", { updateId, groupId: null })).toEqual(before);
    const onKiosks = await site.api<Approval[]>("list_approvals", { updateId: null, groupId: groups.Kiosks.id });
    expect(onKiosks.filter((a) => a.explicit)).toEqual([]);
  } finally {
    await cleanUp(site, groups, [updateId]);
  }
});
