// Administrators, roles and scopes (issue 15): a full administrator creates a Read-only
// Analyst and a scoped Software Update Manager in Administration › Security; each then signs
// in with a name and password and sees what the role and scope allow.
import type { Page } from "@playwright/test";
import { expect, gridRow, navTree, openConsole, openNode, runCommand, test, workspaceSwitcher } from "./harness";

const PASSWORD = "a long enough passphrase 42";
const t = `sec${Date.now().toString(36)}`;
const analyst = `${t}-ann`;
const manager = `${t}-sam`;
const pilot = `${t} Pilot`;
const production = `${t} Production`;
const pilotRule = `${t} approve for Pilot`;
const productionRule = `${t} approve for Production`;

async function signInAs(page: Page, baseUrl: string, name: string): Promise<void> {
  await page.goto(baseUrl);
  await page.evaluate(() => sessionStorage.clear());
  await page.goto(baseUrl);
  const box = page.getByRole("form", { name: "Sign in to the site server" });
  await box.getByLabel("Name").fill(name);
  await box.getByLabel("Password").fill(PASSWORD);
  await box.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(workspaceSwitcher(page)).toBeVisible();
}

async function addUser(page: Page, name: string, role: string, scope?: string): Promise<void> {
  await runCommand(page, "Add User");
  const dialog = page.getByRole("dialog", { name: "Add Administrative User" });
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByLabel("Password").fill(PASSWORD);
  await dialog.getByRole("combobox").click();
  await page.getByRole("option", { name: role, exact: true }).click();
  if (scope) await dialog.getByRole("group", { name: /Limit to these collections/ }).getByRole("checkbox", { name: new RegExp(scope) }).check();
  await dialog.getByRole("button", { name: "OK" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("grid", { name: "Administrative users" }).getByRole("row", { name: new RegExp(name) })).toBeVisible();
}

test.describe.serial("administrators, roles and scopes", () => {
  test("a full administrator creates a Read-only Analyst and a scoped manager", async ({ page, site }) => {
    const pilotGroup = await site.api<{ id: number }>("create_target_group", { name: pilot, parentId: null, description: "" });
    const productionGroup = await site.api<{ id: number }>("create_target_group", { name: production, parentId: null, description: "" });
    // An auto-approval rule for each collection: the scoped manager sees only Pilot's.
    const categories = await site.api<{ categoryId: string; kind: string }[]>("list_categories", {});
    const classification = categories.find((c) => c.kind === "UpdateClassification");
    if (!classification) throw new Error("the e2e site holds no classification");
    for (const [name, group] of [[pilotRule, pilotGroup.id], [productionRule, productionGroup.id]] as const) {
      await site.api("create_approval_rule", { name, description: "", productIds: [], classificationIds: [classification.categoryId], groupIds: [group], deadlineDays: null });
    }
    await openConsole(page, site);
    await openNode(page, "Administration", "Security Roles");
    const roles = page.getByRole("grid", { name: "Security roles" });
    for (const role of ["Full Administrator", "Software Update Manager", "Read-only Analyst"]) {
      await expect(roles.getByRole("row", { name: new RegExp(role) })).toBeVisible();
    }
    await openNode(page, "Administration", "Administrative Users");
    await addUser(page, analyst, "Read-only Analyst");
    await addUser(page, manager, "Software Update Manager", pilot);
    const admins = await site.api<{ name: string; role: string; scope: number[] }[]>("list_admins", {});
    expect(admins.find((a) => a.name === analyst)?.role).toBe("Read-only Analyst");
    const groups = await site.api<{ id: number; name: string }[]>("list_target_groups", {});
    expect(admins.find((a) => a.name === manager)?.scope).toEqual([groups.find((g) => g.name === pilot)?.id]);
  });

  test("a Read-only Analyst sees every command of a node disabled, with the permission it needs", async ({ page, site }) => {
    await signInAs(page, site.url, analyst);
    await openNode(page, "Administration", "Distribution Points");
    const bar = page.getByRole("toolbar");
    await expect(bar.locator("[data-command]").first()).toBeVisible();
    for (const id of ["add", "remove", "settings"]) {
      const button = bar.locator(`[data-command="${id}"]`);
      await expect(button).toBeDisabled();
      await expect(button).toHaveAttribute("data-denied", /Needs the (Content|SiteSettings) permission/);
    }
    await openNode(page, "Monitoring", "Deployments");
    const deploy = page.getByRole("toolbar").locator('[data-command="deploy"]');
    await expect(deploy).toBeDisabled();
    await deploy.hover();
    await expect(page.getByRole("tooltip")).toContainText("Needs the Deploy permission");
    // The server refuses too, whatever the console shows.
    const refused = await page.evaluate(async () => {
      const token = sessionStorage.getItem("patchdeck.token");
      const res = await fetch("/api/v1/commands/create_package", {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
        body: JSON.stringify({ name: "x" }),
      });
      return { status: res.status, body: await res.text() };
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toContain("Content permission");
    // Properties opens to read; saving is off, with the reason beside the buttons.
    await openNode(page, "Administration", "Sites");
    await gridRow(page.getByRole("grid", { name: "Site components" }), 1).click();
    await page.getByRole("toolbar", { name: "Sites commands" }).getByRole("button", { name: "Properties" }).click();
    const properties = page.getByRole("dialog", { name: "Software Update Point Properties" });
    await expect(properties.getByRole("radio", { name: "Microsoft Update" })).toBeVisible();
    await expect(properties.getByRole("button", { name: "OK" })).toBeDisabled();
    await expect(properties.getByRole("note")).toContainText("Needs the Sync permission");
    await properties.getByRole("button", { name: "Cancel" }).click();
    await expect(properties).toBeHidden();
  });

  test("a scoped manager sees only their collections", async ({ page, site }) => {
    await signInAs(page, site.url, manager);
    await openNode(page, "Assets and Compliance", "Device Collections");
    const main = page.getByRole("main");
    await expect(main.getByText(pilot, { exact: true }).first()).toBeVisible();
    await expect(main.getByText(production, { exact: true })).toHaveCount(0);
    await expect(main.getByText("All Computers", { exact: true })).toHaveCount(0);
    // Rules are theirs when every collection they name is.
    await openNode(page, "Administration", "Auto-approval Rules");
    const rules = page.getByRole("grid", { name: "Auto-approval rules" });
    await expect(rules.getByText(pilotRule)).toBeVisible();
    await expect(rules.getByText(productionRule)).toHaveCount(0);
    // The overviews open for them, counting their collections' share.
    for (const [workspace, heading] of [["Monitoring", "Deployments"], ["Software Library", "Managed computers"]] as const) {
      await openNode(page, workspace, "Overview");
      await expect(page.getByRole("main").getByText(heading, { exact: true }).first()).toBeVisible();
      await expect(page.getByText(/Cannot (read|load) the overview/)).toHaveCount(0);
    }
    // Site-wide commands are off for a scoped administrator; their own are on.
    await openNode(page, "Administration", "Distribution Points");
    await expect(page.getByRole("toolbar").locator('[data-command="add"]')).toHaveAttribute("data-denied", /whole site/);
    await expect(navTree(page)).toBeVisible();
  });
});
