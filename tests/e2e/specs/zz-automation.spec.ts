// Auto-approval rules (APR-5), update agent policies (POL-1, POL-2) and the Software Library
// overview (APR-3) against real servers.
//
// ACCEPTANCE: an auto-approval rule created in the wizard approves the updates that the next
// synchronization brings. It runs on the child site, which synchronizes from the parent: the
// file is named to sort after sync.spec.ts (Playwright runs files in name order, one worker),
// whose first test needs the child empty and unconfigured. Run alone, it subscribes the child
// itself. New updates arrive by adding a product of the parent to the child's subscription:
// its updates reach the child in the next run, after the rule was created.
import type { Page } from "@playwright/test";
import { defaultQuery, expect, itemsText, openConsole, openNode, test, type Site, type UpdatePageJson } from "./harness";

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
  [key: string]: unknown;
}
interface Run {
  runId: number;
  state: string;
  newCount: number;
  error: string | null;
}
interface Status {
  running: Run | null;
  history: Run[];
}
interface Group {
  id: number;
  path: string;
}
interface Approval {
  updateId: string;
  groupId: number;
  action: string;
  deadlineUtc: string | null;
  explicit: boolean;
  approvedBy: string;
}
interface Rule {
  id: number;
  enabled: boolean;
  spec: { name: string; productIds: string[]; classificationIds: string[]; groupIds: number[]; deadlineDays: number | null };
  approvalsMade: number;
  lastAppliedUtc: string | null;
}
interface Policy {
  id: number;
  spec: { name: string; settings: { detectionFrequencyHours: number }; groupIds: number[] };
}

const tag = () => `E2E ${Date.now().toString(36)}`;
const DAY = 24 * 60 * 60 * 1000;

async function waitForSync(site: Site, runId: number): Promise<Run> {
  let run: Run | undefined;
  await expect
    .poll(
      async () => {
        const status = await site.api<Status>("get_sync_status", {});
        run = status.history.find((r) => r.runId === runId);
        return status.running === null && run !== undefined ? run.state : "Running";
      },
      { timeout: 60_000 },
    )
    .not.toBe("Running");
  return run!;
}

/** Waits for a run already going (another spec's), then starts one and waits for its end. */
async function synchronize(site: Site): Promise<Run> {
  await expect.poll(async () => (await site.api<Status>("get_sync_status", {})).running, { timeout: 60_000 }).toBeNull();
  const started = await site.api<Run>("start_sync", {});
  return waitForSync(site, started.runId);
}

/** The child synchronizes from the parent and knows its categories (sync.spec.ts did it, or this does). */
async function subscribedChild(child: Site, parent: Site): Promise<Settings> {
  let settings = await child.api<Settings>("get_sync_settings", {});
  if (settings.source !== "UpstreamServer" || settings.upstreamUrl !== parent.url) {
    settings = await child.api<Settings>("set_sync_settings", { ...settings, source: "UpstreamServer", upstreamUrl: parent.url, allowPlainHttp: true });
  }
  const products = (await child.api<Category[]>("list_categories", {})).filter((c) => c.kind === "Product");
  if (products.length === 0) expect((await synchronize(child)).state).toBe("Succeeded");
  return child.api<Settings>("get_sync_settings", {});
}

/**
 * A product of the parent the child does not take yet, with a few Security Updates (so the
 * run and the approvals stay small), and that classification.
 */
async function newProduct(parent: Site, settings: Settings): Promise<{ product: Category; security: Category; total: number }> {
  const categories = await parent.api<Category[]>("list_categories", {});
  const security = categories.find((c) => c.kind === "UpdateClassification" && c.title === "Security Updates");
  if (!security) throw new Error("the parent site has no Security Updates classification");
  for (const product of categories.filter((c) => c.kind === "Product" && !settings.productIds.includes(c.categoryId))) {
    const page = await parent.api<UpdatePageJson>(
      "list_updates",
      defaultQuery({ productIds: [product.categoryId], classificationIds: [security.categoryId], limit: 1 }),
    );
    if (page.total >= 1 && page.total <= 25) return { product, security, total: page.total };
  }
  throw new Error("the parent site has no other product with 1 to 25 Security Updates");
}

async function updateIdsOf(site: Site, productId: string, classificationId: string): Promise<string[]> {
  const page = await site.api<UpdatePageJson>("list_updates", defaultQuery({ productIds: [productId], classificationIds: [classificationId], limit: 1000 }));
  return page.rows.map((r) => r.updateId);
}

const wizardStep = (page: Page) => page.getByRole("dialog", { name: "Create Auto-approval Rule" }).locator('[aria-current="step"]');

test("ACCEPTANCE: create an auto-approval rule, sync, see the approvals", async ({ page, child, parent }) => {
  const settings = await subscribedChild(child, parent);
  const { product, security, total } = await newProduct(parent, settings);
  const name = `${tag()} Security to pilots`;
  const group = await child.api<Group>("create_target_group", { parentId: null, name: `${name} group`, description: "made by zz-automation.spec.ts" });
  const before = new Set(await updateIdsOf(child, product.categoryId, security.categoryId));
  let rule: Rule | undefined;
  try {
    // The wizard, as an administrator fills it in.
    await openConsole(page, child);
    await openNode(page, "Administration", "Auto-approval Rules");
    await expect(page.getByRole("heading", { name: "Product categories and classifications offered to computers" })).toBeVisible();
    await page.getByRole("toolbar", { name: "Auto-approval rule commands" }).getByRole("button", { name: "New" }).click();
    const wizard = page.getByRole("dialog", { name: "Create Auto-approval Rule" });
    await expect(wizardStep(page)).toHaveText("General");
    await expect(wizard.getByRole("list", { name: "Wizard pages" }).getByRole("listitem")).toHaveText([
      "General",
      "Product categories",
      "Update classifications",
      "Deployment",
      "Summary",
      "Progress",
      "Completion",
    ]);
    await expect(wizard).toContainText("The rule applies to updates that arrive after it is created; use Run Selected for the updates already here.");
    await wizard.getByRole("button", { name: "Next >" }).click();
    await expect(wizard).toContainText("Give the rule a name.");
    await wizard.getByRole("textbox", { name: "Name" }).fill(name);
    await wizard.getByRole("textbox", { name: "Description" }).fill("Approves the new product's security updates for the pilots.");
    await wizard.getByRole("button", { name: "Next >" }).click();

    await expect(wizardStep(page)).toHaveText("Product categories");
    await wizard.getByRole("checkbox", { name: product.title, exact: true }).first().check();
    await wizard.getByRole("button", { name: "Next >" }).click();
    await expect(wizardStep(page)).toHaveText("Update classifications");
    await wizard.getByRole("checkbox", { name: "Security Updates", exact: true }).check();
    await wizard.getByRole("button", { name: "Next >" }).click();

    await expect(wizardStep(page)).toHaveText("Deployment");
    await wizard.getByRole("combobox", { name: "Computer group" }).selectOption({ label: group.path });
    await wizard.getByRole("button", { name: "Add" }).click();
    await expect(wizard.getByRole("list", { name: "Groups" })).toContainText(group.path);
    await wizard.getByRole("checkbox", { name: /Enforce an installation deadline/ }).check();
    await wizard.getByRole("combobox", { name: /Installation deadline/ }).selectOption({ label: "7 days after approval" });
    await wizard.getByRole("button", { name: "Next >" }).click();

    await expect(wizardStep(page)).toHaveText("Summary");
    const summary = wizard.getByRole("definition");
    for (const text of [name, product.title, "Security Updates", group.path, "Required install", "7 days"]) {
      await expect(summary.filter({ hasText: text }).first()).toBeVisible();
    }
    expect((await child.api<Rule[]>("list_approval_rules", {})).filter((r) => r.spec.name === name)).toHaveLength(0);
    await wizard.getByRole("button", { name: "Finish" }).click();
    await expect(wizardStep(page)).toHaveText("Completion");
    await expect(wizard).toContainText("The rule was created.");
    await wizard.getByRole("button", { name: "Close" }).click();
    await expect(wizard).toHaveCount(0);

    rule = (await child.api<Rule[]>("list_approval_rules", {})).find((r) => r.spec.name === name);
    expect(rule).toBeDefined();
    expect(rule!).toMatchObject({
      enabled: true,
      approvalsMade: 0,
      spec: { productIds: [product.categoryId], classificationIds: [security.categoryId], groupIds: [group.id], deadlineDays: 7 },
    });
    const rules = page.getByRole("grid", { name: "Auto-approval rules" });
    await expect(rules.getByRole("row").filter({ hasText: name })).toContainText(product.title);

    // New updates arrive: the child now also takes the product, and synchronizes.
    await child.api("set_sync_settings", {
      ...settings,
      productIds: [...settings.productIds, product.categoryId],
      classificationIds: settings.classificationIds.includes(security.categoryId)
        ? settings.classificationIds
        : [...settings.classificationIds, security.categoryId],
    });
    const syncedAt = Date.now();
    const run = await synchronize(child);
    expect(run.error).toBeNull();
    expect(run.state).toBe("Succeeded");
    const arrived = (await updateIdsOf(child, product.categoryId, security.categoryId)).filter((id) => !before.has(id));
    expect(arrived.length).toBeGreaterThan(0);
    expect(arrived.length).toBeLessThanOrEqual(total);

    // The API: each update that arrived is approved for the group by the rule, with its deadline.
    const approvals = await child.api<Approval[]>("list_approvals", { updateId: null, groupId: group.id });
    expect(approvals.map((a) => a.updateId).sort()).toEqual([...arrived].sort());
    for (const a of approvals) {
      expect(a).toMatchObject({ action: "Required", explicit: true, approvedBy: `rule:${name}` });
      expect(Math.abs(Date.parse(a.deadlineUtc ?? "") - (syncedAt + 7 * DAY))).toBeLessThan(10 * 60 * 1000);
    }
    rule = (await child.api<Rule[]>("list_approval_rules", {})).find((r) => r.spec.name === name);
    expect(rule?.approvalsMade).toBe(arrived.length);

    // The console: the rule's counts, then the group's Approvals.
    await page.getByRole("toolbar", { name: "Auto-approval rule commands" }).getByRole("button", { name: "Refresh" }).click();
    const row = rules.getByRole("row").filter({ hasText: name });
    await expect(row.locator('[role="gridcell"]').nth(6)).toHaveText(String(arrived.length));
    await expect(row.locator('[role="gridcell"]').nth(7)).not.toHaveText("Never");

    await openNode(page, "Assets and Compliance", "Device Collections");
    await page.locator(`[data-group="${group.path}"]`).first().click();
    await page.getByRole("tab", { name: "Approvals" }).click();
    const table = page.getByRole("table", { name: "Approvals of this group" });
    await expect(table.locator("tbody tr")).toHaveCount(arrived.length);
    await expect(table.locator("tbody tr").first()).toContainText("Required install");

    // Run Selected on the updates already here: the approvals exist, none is written twice.
    await openNode(page, "Administration", "Auto-approval Rules");
    await rules.getByRole("row").filter({ hasText: name }).click();
    await page.getByRole("toolbar", { name: "Auto-approval rule commands" }).getByRole("button", { name: "Run Selected" }).click();
    await expect(page.getByTestId("run-report")).toContainText(`0 approvals for ${arrived.length} update`);
    expect(await child.api<Approval[]>("list_approvals", { updateId: null, groupId: group.id })).toHaveLength(arrived.length);

    // Delete: the approvals the rule made stay.
    await rules.getByRole("row").filter({ hasText: name }).click();
    await page.getByRole("toolbar", { name: "Auto-approval rule commands" }).getByRole("button", { name: "Delete" }).click();
    const confirm = page.getByRole("dialog", { name: `Delete "${name}"` });
    await expect(confirm).toContainText("The approvals this rule made stay.");
    await confirm.getByRole("button", { name: "Yes" }).click();
    await expect(confirm).toHaveCount(0);
    await expect(rules.getByRole("row").filter({ hasText: name })).toHaveCount(0);
    rule = undefined;
    expect(await child.api<Approval[]>("list_approvals", { updateId: null, groupId: group.id })).toHaveLength(arrived.length);
  } finally {
    if (rule) await child.api("delete_approval_rule", { id: rule.id });
    const ids = (await child.api<Approval[]>("list_approvals", { updateId: null, groupId: group.id })).map((a) => a.updateId);
    if (ids.length > 0) await child.api("remove_approvals", { updateIds: ids, groupIds: [group.id] });
    await child.api("delete_target_group", { id: group.id });
  }
});

test("agent policy: an out-of-range value is refused with its range; saved, it is the group's effective policy", async ({ page, child }) => {
  const name = `${tag()} Desktops policy`;
  const group = await child.api<Group>("create_target_group", { parentId: null, name: `${name} group`, description: "made by zz-automation.spec.ts" });
  const ours = async () => (await child.api<Policy[]>("list_agent_policies", {})).find((p) => p.spec.name === name);
  try {
    await openConsole(page, child);
    await openNode(page, "Administration", "Update Agent Policy");
    await page.getByRole("toolbar", { name: "Agent policy commands" }).getByRole("button", { name: "New" }).click();
    const dialog = page.getByRole("dialog", { name: "New Update Agent Policy" });
    const frequency = dialog.locator('[data-setting="detectionFrequencyHours"]');
    await expect(frequency).toHaveValue("8");
    await expect(dialog).toContainText("Recommended: 8");
    await expect(dialog).toContainText("From 8 to 22 hours.");
    await expect(dialog).toContainText("From 1 to 1440 minutes.");
    await dialog.getByRole("textbox", { name: "Name" }).fill(name);
    await frequency.fill("30");
    await expect(dialog).toContainText("must be a whole number from 8 to 22 hours.");
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(dialog).toContainText("Correct the values marked before saving.");
    await expect(dialog).toBeVisible();
    expect(await ours()).toBeUndefined();

    await dialog.getByRole("button", { name: "Use recommended values" }).click();
    await expect(frequency).toHaveValue("8");
    await expect(dialog).not.toContainText("must be a whole number");
    await frequency.fill("12");
    await dialog.locator(`[data-group="${group.path}"]`).getByRole("checkbox").first().check();
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(dialog).toHaveCount(0);
    const saved = await ours();
    expect(saved?.spec).toMatchObject({ settings: { detectionFrequencyHours: 12 }, groupIds: [group.id] });
    const grid = page.getByRole("grid", { name: "Agent policies" });
    await expect(grid.getByRole("row").filter({ hasText: name })).toContainText(group.path);

    // Effective policy of the group: this policy, from this group.
    const effective = page.getByTestId("effective-policy");
    await effective.getByRole("combobox", { name: "Computer group" }).selectOption({ label: group.path });
    await expect(effective).toContainText(`From the policy "${name}" deployed to ${group.path}.`);
    await expect(effective.getByRole("definition").filter({ hasText: "12 hours" })).toBeVisible();

    // Delete: the group's computers return to the operating system's defaults.
    await grid.getByRole("row").filter({ hasText: name }).click();
    await page.getByRole("toolbar", { name: "Agent policy commands" }).getByRole("button", { name: "Delete" }).click();
    const confirm = page.getByRole("dialog", { name: `Delete "${name}"` });
    await expect(confirm).toContainText("Computers in its groups return to the operating system's defaults.");
    await confirm.getByRole("button", { name: "Yes" }).click();
    await expect(confirm).toHaveCount(0);
    expect(await ours()).toBeUndefined();
    await expect(effective).toContainText("Operating system defaults");
  } finally {
    const left = await ours();
    if (left) await child.api("delete_agent_policy", { id: left.id });
    await child.api("delete_target_group", { id: group.id });
  }
});

test("the site refuses an out-of-range policy value and names the range", async ({ child }) => {
  const info = await child.api<{ field: string; min: number | null; max: number | null; recommended: string }[]>("agent_policy_settings_info", {});
  const frequency = info.find((i) => i.field === "detectionFrequencyHours");
  expect(frequency).toMatchObject({ min: 8, max: 22, recommended: "8" });
  const settings = {
    detectionFrequencyHours: 23,
    installBehavior: "AutomaticOnSchedule",
    scheduledDay: "EveryDay",
    scheduledTime: "03:00",
    useAutomaticMaintenance: true,
    allowImmediateInstall: true,
    restartDelayMinutes: 15,
    missedInstallDelayMinutes: 5,
    userControlsRestart: true,
    promptRestartForAgentUpdates: true,
    agentUpdateSchedule: null,
    restartPromptIntervalMinutes: 30,
  };
  const issues = await child.api<{ field: string; message: string }[]>("validate_agent_policy", { name: "x", description: "", settings, groupIds: [] });
  expect(issues).toHaveLength(1);
  expect(issues[0].field).toBe("detectionFrequencyHours");
  expect(issues[0].message).toMatch(/8/);
  expect(issues[0].message).toMatch(/22/);
});

test("the Software Library overview shows what the site reports, each item linking to its view", async ({ page, site }) => {
  const overview = await site.api<{
    newUpdatesToApprove: number;
    managedComputers: number;
    items: { kind: string; title: string; count: number; link: string }[];
  }>("library_overview", {});
  await openConsole(page, site);
  await openNode(page, "Software Library", "Overview");
  await expect(page.getByRole("heading", { name: "Software Library overview" })).toBeVisible();
  await expect(page.getByTestId("overview-managedComputers")).toContainText(overview.managedComputers.toLocaleString("en-US"));
  await expect(page.getByTestId("overview-lastSync")).toBeVisible();
  const toApprove = page.getByTestId("overview-newUpdatesToApprove");
  if (overview.newUpdatesToApprove === 0) {
    await expect(toApprove).toHaveCount(0);
  } else {
    // APR-3: the link opens All Software Updates filtered to exactly what was counted.
    await expect(toApprove).toContainText(overview.newUpdatesToApprove.toLocaleString("en-US"));
    await toApprove.getByRole("link").click();
    await expect(page.getByRole("textbox", { name: "Required on more than" })).toHaveValue("0");
    await expect(page.getByTestId("item-count")).toHaveText(itemsText(overview.newUpdatesToApprove));
  }
  if (overview.items.length === 0) await expect(page.getByText("Nothing needs your attention.")).toBeVisible();
  for (const item of overview.items) await expect(page.getByTestId(`overview-${item.kind}`)).toContainText(item.title);
});
