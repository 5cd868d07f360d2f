// Software Update Groups' own Deploy and Download (a deployment created from the group shows in
// its details pane), and Add Distribution Point for a remote patchdeck server (the child site
// stands in for a branch server): plain HTTP only with consent, the site's refusal shown as
// written. Each test makes its own objects on the main site and removes them when it ends.
import type { Page } from "@playwright/test";
import { defaultQuery, expect, openConsole, openNode, test, type Site, type UpdatePageJson } from "./harness";

interface Named {
  id: number;
  name: string;
}

const tag = () => `E2E ${Date.now().toString(36)}`;
const toolbarButton = (page: Page, name: string) => page.getByRole("toolbar").getByRole("button", { name, exact: true });

async function removeNamed(site: Site, list: string, remove: string, name: string) {
  for (const x of (await site.api<Named[]>(list, {})).filter((x) => x.name === name)) await site.api(remove, { id: x.id }).catch(() => undefined);
}

test("Software Update Groups: Deploy and Download start from the group; its deployment shows in the details pane", async ({ page, site }) => {
  const t = tag();
  const groupName = `${t} Group`;
  const deploymentName = `${t} Deployment`;
  const first = await site.api<UpdatePageJson>("list_updates", defaultQuery({ limit: 2 }));
  const collection = await site.api<Named>("create_target_group", { name: `${t} Kiosks`, parentId: null, description: "" });
  await site.api("create_update_group", { name: groupName, description: "", updateIds: first.rows.map((r) => r.updateId) });
  const packagesBefore = (await site.api<unknown[]>("list_packages", {})).length;
  try {
    await openConsole(page, site);
    await openNode(page, "Software Library", "Software Update Groups");
    const row = page.getByRole("grid", { name: "Software Update Groups" }).getByRole("row").filter({ hasText: groupName });
    await expect(toolbarButton(page, "Deploy")).toBeDisabled();
    await row.click();

    // Download: the wizard reads the group's members; the source (Microsoft Update, where this
    // site synchronizes from) is checked before the Summary; Cancel starts nothing.
    await toolbarButton(page, "Download").click();
    const dl = page.getByTestId("download-wizard");
    await dl.getByRole("radio", { name: "Create a new deployment package" }).check();
    await dl.getByRole("textbox", { name: /^Name/ }).fill(`${t} never`);
    await page.getByRole("button", { name: "Next >" }).click();
    await expect(dl.getByRole("radio", { name: /^Microsoft Update/ })).toBeChecked();
    await page.getByRole("button", { name: "Next >" }).click();
    await page.getByRole("button", { name: "Next >" }).click();
    // Without Internet access it is unreachable, and with it the catalog holds no Microsoft
    // Update addresses for these generated updates: refused either way, naming the field.
    await expect(dl.getByText(/Download software updates from: Microsoft Update/)).toBeVisible({ timeout: 15_000 });
    await expect(dl.getByText(/files? to download/)).toBeVisible();
    await page.getByRole("button", { name: "Cancel" }).click();
    await expect(dl).toHaveCount(0);
    expect((await site.api<unknown[]>("list_packages", {})).length).toBe(packagesBefore);

    // Deploy: the group is chosen already.
    await toolbarButton(page, "Deploy").click();
    const w = page.getByTestId("deploy-wizard");
    await expect(w.getByRole("combobox", { name: /Software Update Group/ })).toHaveText(groupName);
    await w.getByRole("textbox", { name: /Deployment Name/ }).fill(deploymentName);
    await w.getByRole("radio", { name: `${t} Kiosks` }).check();
    await page.getByRole("button", { name: "Summary" }).click();
    await expect(w.getByText(`Software update group "${groupName}"`, { exact: false }).first()).toBeVisible();
    await page.getByRole("button", { name: "Next >" }).click();
    await expect(w.getByText(`The deployment "${deploymentName}" was created.`)).toBeVisible();
    await page.getByRole("button", { name: "Close" }).click();

    // The page re-reads its groups, and the details pane lists the group's deployments.
    await expect(page.getByText(`The deployment "${deploymentName}" was created.`)).toBeVisible();
    await expect(row.getByRole("gridcell").nth(3)).toHaveText("1");
    await row.click();
    await page.getByRole("tab", { name: "Deployments" }).click();
    const table = page.getByRole("tabpanel", { name: "Deployments" }).getByRole("table");
    await expect(table.getByRole("row").filter({ hasText: deploymentName })).toContainText(`${t} Kiosks`);
  } finally {
    await removeNamed(site, "list_deployments", "delete_deployment", deploymentName);
    await removeNamed(site, "list_update_groups", "delete_update_group", groupName);
    await site.api("delete_target_group", { id: collection.id }).catch(() => undefined);
  }
});

test("Add Distribution Point: a remote patchdeck server, plain HTTP only with consent, a refusal shown as written", async ({ page, site, child }) => {
  const name = `${tag()} Branch`;
  const before = (await site.api<unknown[]>("list_distribution_points", {})).length;
  try {
    await openConsole(page, site);
    await openNode(page, "Administration", "Distribution Points");
    await toolbarButton(page, "Add Distribution Point").click();
    const dialog = page.getByRole("dialog", { name: "Add Distribution Point" });
    await dialog.getByRole("textbox", { name: /^Name/ }).fill(name);
    await dialog.getByRole("radio", { name: /Remote server/ }).check();
    await expect(dialog.getByRole("textbox", { name: /Folder path/ })).toHaveCount(0);
    await dialog.getByRole("textbox", { name: /Server address/ }).fill(child.url);
    await expect(dialog.getByText(/plain http:\/\/ address needs the box above/)).toBeVisible();
    await dialog.getByRole("button", { name: "OK" }).click();
    await expect(dialog.getByText("Enter the server's API token.")).toBeVisible();
    expect((await site.api<unknown[]>("list_distribution_points", {})).length).toBe(before);

    await dialog.getByRole("checkbox", { name: /Allow plain HTTP/ }).check();
    await dialog.getByRole("textbox", { name: /^API token/ }).fill(child.token);
    await dialog.getByRole("button", { name: "OK" }).click();
    await expect(dialog).toHaveCount(0);
    const row = page.getByRole("grid", { name: "Distribution Points" }).getByRole("row").filter({ hasText: name });
    await expect(row).toContainText("Remote server");
    await expect(row).toContainText(child.url);

    // The same name again: the site's Conflict message, word for word, and the dialog stays.
    await toolbarButton(page, "Add Distribution Point").click();
    await dialog.getByRole("textbox", { name: /^Name/ }).fill(name);
    await dialog.getByRole("radio", { name: /Remote server/ }).check();
    await dialog.getByRole("textbox", { name: /Server address/ }).fill(child.url.replace(/^http:/, "https:"));
    await dialog.getByRole("textbox", { name: /^API token/ }).fill(child.token);
    await dialog.getByRole("button", { name: "OK" }).click();
    await expect(dialog.getByText(`A distribution point named '${name}' exists already.`)).toBeVisible();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(dialog).toHaveCount(0);
  } finally {
    await removeNamed(site, "list_distribution_points", "remove_distribution_point", name);
  }
});
