// Automatic deployment rules (ADR-1, ADR-2, ADR-5) against the real server: the Create
// Automatic Deployment Rule wizard with a live preview and the Preview list, Run Now, then
// the software update group and the deployment the run made, and the run's log in
// Monitoring; and Cancel in the wizard changing nothing. Each test makes its own collection
// on the main site (named with a unique tag) and removes what it and the rule's run created.
// The rule is evaluated manually only, so no later synchronization of another spec runs it.
import type { Page } from "@playwright/test";
import { defaultQuery, expect, openConsole, openNode, test, wallClockText, type Site, type UpdatePageJson } from "./harness";

interface Named {
  id: number;
  name: string;
}
interface RunInfo {
  runId: number;
  ruleId: number;
  ruleName: string;
  state: string;
  selected: number;
  added: number;
  deployments: number;
  updateGroupId: number | null;
  error: string | null;
}
interface Rule {
  id: number;
  enabled: boolean;
  spec: { name: string; evaluation: { kind: string }; criteria: { titleContains: string | null; superseded: boolean | null }; package: { kind: string } };
  updateGroupId: number | null;
  deploymentIds: number[];
  lastRun: RunInfo | null;
}
interface DeploymentJson {
  id: number;
  name: string;
  updateGroupId: number;
  updateGroupName: string;
  targetGroupId: number;
  targetGroupPath: string;
  enabled: boolean;
}

const tag = () => `E2E ${Date.now().toString(36)}`;
const wizard = (page: Page) => page.getByTestId("adr-wizard");
const pageHeading = (page: Page) => page.locator("#wizard-page-heading");

async function next(page: Page, expectHeading: RegExp | string): Promise<void> {
  await page.getByRole("button", { name: "Next >" }).click();
  await expect(pageHeading(page)).toContainText(expectHeading);
}

/** A KB of the main site whose updates a title criterion selects: a few, not thousands. */
async function narrowKb(site: Site): Promise<{ kb: string; total: number }> {
  const page = await site.api<UpdatePageJson>("list_updates", defaultQuery({ limit: 100 }));
  for (const row of page.rows) {
    if (!row.articleId) continue;
    const criteria = { titleContains: `KB${row.articleId}`, superseded: null };
    const preview = await site.api<{ total: number }>("preview_rule_criteria", { criteria, limit: 1 });
    if (preview.total >= 1 && preview.total <= 5) return { kb: `KB${row.articleId}`, total: preview.total };
  }
  throw new Error("no KB in the first page of the main site selects 1 to 5 updates");
}

async function untilRunEnds(site: Site, ruleId: number): Promise<RunInfo> {
  let last: RunInfo | undefined;
  await expect
    .poll(
      async () => {
        last = (await site.api<RunInfo[]>("list_adr_runs", { ruleId, limit: 10 }))[0];
        return last?.state ?? "none";
      },
      { timeout: 60_000 },
    )
    .not.toMatch(/^(Running|none)$/);
  if (!last) throw new Error("the rule has no run");
  return last;
}

test.describe.configure({ mode: "serial" });

test("create an ADR through the wizard with a preview, run it now, see the group, the deployment and the run log", async ({ page, site }) => {
  test.setTimeout(180_000);
  const t = tag();
  const collectionName = `${t} ADR servers`;
  const ruleName = `${t} Monthly KB rule`;
  const collection = await site.api<Named>("create_target_group", { name: collectionName, parentId: null, description: "" });
  const { kb, total } = await narrowKb(site);
  const deploymentsBefore = await site.api<DeploymentJson[]>("list_deployments", {});
  let ruleId: number | null = null;

  try {
    await openConsole(page, site);
    await openNode(page, "Software Library", "Automatic Deployment Rules");
    await page.getByRole("toolbar").getByRole("button", { name: "Create Automatic Deployment Rule" }).click();
    const w = wizard(page);

    // General: the page refuses to go on without a name and a collection.
    await expect(pageHeading(page)).toContainText("Specify the settings for this automatic deployment rule");
    await page.getByRole("button", { name: "Next >" }).click();
    await expect(w.getByText("Enter a name for the rule.")).toBeVisible();
    await w.getByRole("textbox", { name: /^Name/ }).fill(ruleName);
    await w.getByRole("radio", { name: collectionName }).check();
    await expect(w.getByRole("radio", { name: "Create a new software update group each run" })).toBeChecked();
    await next(page, "Specify the settings for this deployment");
    await expect(w.getByRole("combobox", { name: "Type of deployment" })).toContainText("Required");
    await next(page, "Select the property filters");

    // Software Updates: the KB, superseded or not; the live count is the site's preview.
    await w.getByRole("textbox", { name: "Title or KB contains" }).fill(kb);
    await w.getByRole("combobox", { name: "Superseded" }).click();
    await page.getByRole("option", { name: "Either" }).click();
    const live = w.getByTestId("live-count");
    await expect(live).toHaveText(total === 1 ? "1 software update matches these criteria now." : `${total} software updates match these criteria now.`);
    await w.getByRole("button", { name: "Preview…" }).click();
    const preview = page.getByTestId("adr-preview");
    await expect(preview.getByTestId("preview-count")).toHaveText(`${total} matching software update${total === 1 ? "" : "s"}.`);
    const previewRows = preview.getByRole("table", { name: "Matching software updates" }).getByRole("row");
    await expect(previewRows).toHaveCount(total + 1);
    await expect(previewRows.nth(1)).toContainText(kb);
    await preview.getByRole("button", { name: "Close" }).click();
    await expect(preview).toHaveCount(0);

    // Evaluation Schedule: a daily time shows the next evaluation; the rule stays manual.
    await next(page, "Specify the recurring schedule");
    await w.getByRole("radio", { name: "Daily" }).check();
    await w.getByRole("textbox", { name: /Time \(UTC/ }).fill("03:15");
    await expect(w.getByTestId("next-evaluation")).toContainText(`${await wallClockText(page, "2000-01-01T03:15", "time")} UTC`);
    await w.getByRole("radio", { name: /Manually/ }).check();
    await next(page, "Configure the schedule for this deployment");
    await next(page, "Specify the user experience");
    await next(page, "alert options");
    await next(page, "Select the deployment package");
    await expect(w.getByRole("radio", { name: /No deployment package/ })).toBeChecked();
    await next(page, "Specify software update download settings");
    await next(page, "Confirm the settings");
    for (const text of [ruleName, collectionName, `Title or KB contains "${kb}"`, "A new group each run", "Manual", "7 days after the available time"]) {
      await expect(w.getByText(text, { exact: false }).first()).toBeVisible();
    }
    await page.getByRole("button", { name: "Next >" }).click();
    await expect(pageHeading(page)).toContainText("Create Automatic Deployment Rule Wizard completed");
    await expect(w.getByText(`The automatic deployment rule "${ruleName}" was created.`)).toBeVisible();
    await page.getByRole("button", { name: "Close" }).click();
    await expect(w).toHaveCount(0);

    // The site holds the rule as the wizard described it.
    const created = (await site.api<Rule[]>("list_adrs", {})).find((r) => r.spec.name === ruleName);
    expect(created).toBeDefined();
    ruleId = created?.id ?? null;
    expect(created).toMatchObject({ enabled: true, spec: { evaluation: { kind: "Manual" }, criteria: { titleContains: kb, superseded: null }, package: { kind: "NoPackage" } } });

    // Run Now from the grid.
    const grid = page.getByRole("grid", { name: "Automatic deployment rules", exact: true });
    const row = grid.getByRole("row").filter({ hasText: ruleName });
    await row.getByRole("gridcell").first().click();
    await page.getByRole("toolbar").getByRole("button", { name: "Run Now" }).click();
    await expect(page.getByTestId("run-result")).toContainText(`Run of the rule "${ruleName}"`);
    const run = await untilRunEnds(site, ruleId ?? 0);
    expect(run).toMatchObject({ state: "Succeeded", selected: total, added: total, deployments: 1, error: null });
    expect(run.updateGroupId).not.toBeNull();
    await expect(row).toContainText("Succeeded");
    await expect(page.getByTestId("run-result")).toContainText("Succeeded");

    // The group the run made holds the selected updates; the deployment targets the collection.
    const groups = await site.api<(Named & { memberCount: number })[]>("list_update_groups", {});
    const group = groups.find((g) => g.id === run.updateGroupId);
    expect(group?.name).toContain(ruleName);
    expect(group?.memberCount).toBe(total);
    const deployments = await site.api<DeploymentJson[]>("list_deployments", {});
    expect(deployments.length).toBe(deploymentsBefore.length + 1);
    const deployment = deployments.find((d) => d.updateGroupId === run.updateGroupId);
    expect(deployment).toMatchObject({ targetGroupId: collection.id, enabled: true });
    const rule = await site.api<Rule>("get_adr", { id: ruleId });
    expect(rule.deploymentIds).toContain(deployment?.id);

    // Details pane: the group and the last run, linked to its log in Monitoring.
    await expect(page.getByRole("tabpanel", { name: "Summary" })).toContainText(group?.name ?? "");
    await page.getByRole("tabpanel", { name: "Summary" }).getByText("View the run log in Monitoring").click();
    const runs = page.getByRole("grid", { name: "Automatic deployment rule runs", exact: true });
    const runRow = runs.getByRole("row").filter({ hasText: ruleName });
    await expect(runRow).toHaveCount(1);
    await expect(runRow).toContainText("Succeeded");
    await runRow.getByRole("gridcell").first().click();
    const log = page.getByRole("table", { name: "Run log" });
    await expect(log.getByRole("row").nth(1)).toBeVisible();
    expect(await log.getByRole("row").count()).toBeGreaterThan(2);
    await expect(log).toContainText("Information");

    // The run's group in Software Update Groups, and its deployment in Monitoring.
    await page.getByTestId("run-group-link").click();
    await expect(page.getByRole("grid").getByRole("row").filter({ hasText: group?.name ?? "" })).toHaveCount(1);
    await openNode(page, "Monitoring", "Deployments");
    const deploymentRow = page.getByRole("grid", { name: "Deployments" }).getByRole("row").filter({ hasText: group?.name ?? "" });
    await expect(deploymentRow).toContainText(collectionName);
  } finally {
    await cleanup(site, { ruleId, ruleName, collectionId: collection.id });
  }
});

test("Cancel in the Create Automatic Deployment Rule wizard changes nothing", async ({ page, site }) => {
  const t = tag();
  const collection = await site.api<Named>("create_target_group", { name: `${t} ADR desktops`, parentId: null, description: "" });
  const rulesBefore = await site.api<unknown[]>("list_adrs", {});
  try {
    await openConsole(page, site);
    await openNode(page, "Software Library", "Automatic Deployment Rules");
    await page.getByRole("toolbar").getByRole("button", { name: "Create Automatic Deployment Rule" }).click();
    const w = wizard(page);
    await w.getByRole("textbox", { name: /^Name/ }).fill(`${t} never`);
    await w.getByRole("radio", { name: `${t} ADR desktops` }).check();
    await page.getByRole("button", { name: "Summary" }).click();
    await expect(pageHeading(page)).toContainText("Confirm the settings");
    await page.getByRole("button", { name: "Cancel" }).click();
    await expect(w).toHaveCount(0);
    expect((await site.api<unknown[]>("list_adrs", {})).length).toBe(rulesBefore.length);
  } finally {
    await site.api("delete_target_group", { id: collection.id }).catch(() => undefined);
  }
});

/** The rule, then what its runs made (they stay when a rule is deleted), then the collection. */
async function cleanup(site: Site, what: { ruleId: number | null; ruleName: string; collectionId: number }) {
  const rules = await site.api<Rule[]>("list_adrs", {});
  for (const rule of rules.filter((r) => r.id === what.ruleId || r.spec.name === what.ruleName)) {
    const runs = await site.api<RunInfo[]>("list_adr_runs", { ruleId: rule.id, limit: 100 });
    await site.api("delete_adr", { id: rule.id });
    for (const id of rule.deploymentIds) await site.api("delete_deployment", { id }).catch(() => undefined);
    const groupIds = new Set([rule.updateGroupId, ...runs.map((r) => r.updateGroupId)].filter((id): id is number => id !== null));
    const deployments = await site.api<DeploymentJson[]>("list_deployments", {});
    for (const d of deployments.filter((d) => groupIds.has(d.updateGroupId))) await site.api("delete_deployment", { id: d.id }).catch(() => undefined);
    for (const id of groupIds) await site.api("delete_update_group", { id }).catch(() => undefined);
  }
  await site.api("delete_target_group", { id: what.collectionId }).catch(() => undefined);
}
