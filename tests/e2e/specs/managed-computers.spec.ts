// ACCEPTANCE of issue 12 (Windows Update Agents served by a site), in the browser: the real
// `patchdeck simulate-clients` scans and reports against the fleet site (fixtures plus a
// generated catalog, `serve --clients-listen`), after a deployment of part of the catalog to
// All Computers was made; then the console shows, as an administrator reads it:
// - Devices: every simulated computer, with the compliance and Needed count its reports give;
// - a computer's Properties › Updates: each update it reported, with its state;
// - an update's Properties › Update Status: computers per state, adding up to the fleet, and
//   the computers of a state listed when it is chosen;
// - Monitoring › Deployments: the deployment's Compliant / In Progress / Error / Unknown counts;
// - Software Library › Overview: "New updates to approve" while a computer needs an update
//   nobody approved, its link opening exactly those updates; gone once they are approved and
//   the computers scanned again.
// Expected values are worked out from each computer's own reports (get_computer), never from
// the counts the console shows.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { Locator, Page } from "@playwright/test";
import { BIN } from "../paths";
import { defaultQuery, expect, itemCount, itemsText, openConsole, openNode, test, type Site, type UpdatePageJson, updatesGrid } from "./harness";

const SEED = 3;
const COUNT = 5;
const NAMES = Array.from({ length: COUNT }, (_, i) => `sim-${SEED}-${i}`);

interface ReportedUpdate {
  updateId: string;
  title: string;
  status: string;
}
interface ComputerRowJson {
  id: number;
  name: string;
}
interface ComputerJson {
  row: ComputerRowJson;
  updates: ReportedUpdate[];
}
interface UpdateRowJson {
  updateId: string;
  title: string;
  requiredCount: number;
  isBundle: boolean;
}

/**
 * Runs the real fleet simulator against the fleet site's client listener: each computer
 * registers, scans and reports. The generated catalog's files are not in the site's content
 * library, so an agent's download of an update deployed or approved for it answers 404; the
 * simulator counts those (and exits 1) after the scan and its report. Any other failure fails.
 */
async function simulate(): Promise<void> {
  const server = process.env.PATCHDECK_FLEET_WUSP_URL;
  if (!server) throw new Error("global-setup did not start the fleet's client listener");
  const args = ["simulate-clients", "--server", server, "--count", String(COUNT), "--seed", String(SEED)];
  let stdout: string;
  try {
    stdout = (await promisify(execFile)(BIN, args, { timeout: 120_000 })).stdout;
  } catch (e) {
    stdout = String((e as { stdout?: string }).stdout ?? e);
  }
  expect(stdout).toContain(`scans:              ${COUNT} in`);
  const kinds = [...stdout.matchAll(/^ {2}(\w[\w-]*): \d+$/gm)].map((m) => m[1]);
  expect(kinds.filter((k) => k !== "download"), stdout).toEqual([]);
}

async function reports(fleet: Site): Promise<Map<string, ComputerJson>> {
  const page = await fleet.api<{ rows: ComputerRowJson[] }>("list_computer_page", { limit: 100 });
  const out = new Map<string, ComputerJson>();
  for (const r of page.rows) out.set(r.name, await fleet.api<ComputerJson>("get_computer", { id: r.id }));
  return out;
}

const STATUS_TEXT: Record<string, string> = {
  Needed: "Needed",
  Downloaded: "Downloaded (needed)",
  InstalledPendingRestart: "Installed, pending restart",
  Installed: "Installed",
  NotApplicable: "Not applicable",
  Failed: "Failed",
};
const needs = (u: ReportedUpdate) => u.status === "Needed" || u.status === "Downloaded";

const devicesGrid = (page: Page) => page.getByRole("grid", { name: "Devices" });

/** The cell of `row` under the column headed `header`. */
async function cell(grid: Locator, row: Locator, header: string): Promise<Locator> {
  const index = await grid.getByRole("columnheader", { name: header, exact: true }).getAttribute("aria-colindex");
  if (!index) throw new Error(`no column ${header}`);
  return row.locator(`[role="gridcell"][aria-colindex="${index}"]`);
}

test("issue 12: simulated computers in Devices, Properties, Update Status, Deployments and the overview", async ({ page, fleet }) => {
  test.setTimeout(180_000);
  const listed = await fleet.api<{ total: number; rows: UpdateRowJson[] }>("list_updates", defaultQuery({ limit: 500 }));
  const software = listed.rows.filter((r) => !r.isBundle);
  expect(software.length).toBeGreaterThan(10);

  // Before any scan: a deployment, Required, of the newest half of the catalog to All Computers.
  const root = (await fleet.api<{ id: number; parentId: number | null }[]>("list_target_groups", {})).find((g) => g.parentId === null);
  if (!root) throw new Error("no All Computers group");
  const deployed = software.slice(0, Math.floor(software.length / 2));
  const deploymentName = "E2E fleet baseline";
  await fleet.api("create_deployment", {
    name: deploymentName,
    description: "",
    updateGroupId: null,
    updateIds: deployed.map((u) => u.updateId),
    targetGroupId: root.id,
    settings: {
      deploymentType: "Required",
      wakeOnLan: false,
      verbosity: "AllMessages",
      timeBasis: "Utc",
      availableUtc: "2026-01-01T00:00:00Z",
      deadlineUtc: "2030-01-01T00:00:00Z",
      userNotifications: "DisplayAll",
      installOutsideMaintenanceWindow: false,
      restartOutsideMaintenanceWindow: false,
      suppressRestartServers: false,
      suppressRestartWorkstations: false,
      alertDaysAfterDeadline: null,
      alertBelowPercent: 90,
      slowNetwork: "DoNotInstall",
      fallbackToMicrosoftUpdate: false,
      allowMeteredDownload: false,
    },
  });

  // The fleet scans and reports (detection only).
  await simulate();
  const fleetReports = await reports(fleet);
  expect([...fleetReports.keys()].sort()).toEqual(NAMES);

  await openConsole(page, fleet);

  await test.step("Devices lists every simulated computer with its compliance and Needed count", async () => {
    await openNode(page, "Assets and Compliance", "Devices");
    const grid = devicesGrid(page);
    await expect(page.getByTestId("item-count")).toHaveText(itemsText(COUNT));
    for (const name of NAMES) {
      const updates = fleetReports.get(name)!.updates;
      const needed = updates.filter((u) => u.status === "Needed").length;
      const failed = updates.some((u) => u.status === "Failed");
      const row = grid.getByRole("row").filter({ hasText: name });
      await expect(row).toContainText(needed > 0 || failed ? "Non-compliant" : "Compliant");
      await expect(await cell(grid, row, "Needed")).toHaveText(String(needed));
    }
  });

  // The computer that needs the most, and an update of the deployment that some computer needs.
  const busiest = [...fleetReports.values()].sort((a, b) => b.updates.filter(needs).length - a.updates.filter(needs).length)[0];
  expect(busiest.updates.filter(needs).length).toBeGreaterThan(0);

  await test.step("a computer's Properties show each update it reported with its state", async () => {
    const grid = devicesGrid(page);
    await grid.getByRole("row").filter({ hasText: busiest.row.name }).click();
    await page.getByRole("toolbar").getByRole("button", { name: "Properties", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: `${busiest.row.name} Properties` });
    await expect(dialog.getByText("Non-compliant", { exact: false }).first()).toBeVisible();
    await dialog.getByRole("tab", { name: "Updates" }).click();
    const updates = dialog.getByRole("grid", { name: "Updates the device reported" });
    await expect(updates.getByRole("row")).toHaveCount(busiest.updates.length + 1);
    for (const u of busiest.updates) {
      const row = updates.getByRole("row").filter({ hasText: u.title });
      await expect(row).toContainText(STATUS_TEXT[u.status]);
    }
    await dialog.getByRole("button", { name: "Close" }).click();
    await expect(dialog).toHaveCount(0);
  });

  const deployedIds = new Set(deployed.map((u) => u.updateId));
  const perUpdate = (updateId: string) =>
    [...fleetReports.values()].map((c) => ({ name: c.row.name, status: c.updates.find((u) => u.updateId === updateId)?.status ?? "Unknown" }));
  // An update of the deployment some computer needs (or failed to get).
  const watched = deployed.find((u) => perUpdate(u.updateId).some((c) => c.status !== "Unknown" && c.status !== "NotApplicable" && c.status !== "Installed"));
  if (!watched) throw new Error(`no computer of seed ${SEED} needs an update of the deployment`);

  await test.step("an update's Update Status counts computers per state and lists those of a state", async () => {
    await openNode(page, "Software Library", "All Software Updates");
    await page.getByRole("searchbox", { name: "Search" }).fill(watched.title);
    await expect(page.getByTestId("item-count")).toHaveText("1 item");
    await updatesGrid(page).getByRole("row").filter({ hasText: watched.title }).click();
    await page.getByRole("toolbar").getByRole("button", { name: "Properties" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("tab", { name: "Update Status" }).click();
    const states = perUpdate(watched.updateId);
    const counts = dialog.getByRole("table", { name: "Computers per state" });
    for (const [status, text] of Object.entries({ ...STATUS_TEXT, Unknown: "No status" })) {
      const n = states.filter((c) => c.status === status).length;
      await expect(counts.locator(`[data-status="${status}"]`)).toContainText(text);
      await expect(dialog.getByLabel(`Show the computers in state ${text}`, { exact: true })).toHaveText(String(n));
    }
    await expect(dialog.getByText(`${COUNT} computers in all`)).toBeVisible();
    const chosen = states.find((c) => c.status !== "Unknown" && c.status !== "NotApplicable" && c.status !== "Installed")!.status;
    const chosenText = STATUS_TEXT[chosen];
    await dialog.getByLabel(`Show the computers in state ${chosenText}`, { exact: true }).click();
    const inState = dialog.getByRole("grid", { name: `Computers: ${chosenText}` });
    const needing = states.filter((c) => c.status === chosen).map((c) => c.name);
    await expect(inState.getByRole("row")).toHaveCount(needing.length + 1);
    for (const name of needing) await expect(inState.getByRole("row").filter({ hasText: name })).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(dialog).toHaveCount(0);
  });

  await test.step("Monitoring › Deployments counts the deployment's computers by state", async () => {
    let compliant = 0;
    let inProgress = 0;
    let error = 0;
    let unknown = 0;
    for (const c of fleetReports.values()) {
      const mine = c.updates.filter((u) => deployedIds.has(u.updateId));
      if (mine.some((u) => u.status === "Failed")) error++;
      else if (mine.some(needs)) inProgress++;
      else if (mine.length > 0) compliant++;
      else unknown++;
    }
    // Computers that need a deployed update are In Progress, or Error once its download failed.
    expect(inProgress + error).toBeGreaterThan(0);
    await openNode(page, "Monitoring", "Deployments");
    const grid = page.getByRole("grid", { name: "Deployments" });
    const row = grid.getByRole("row").filter({ hasText: deploymentName });
    await expect(row).toContainText("All Computers");
    await expect(await cell(grid, row, "Compliant")).toHaveText(String(compliant));
    await expect(await cell(grid, row, "In Progress")).toHaveText(String(inProgress));
    await expect(await cell(grid, row, "Error")).toHaveText(String(error));
    await expect(await cell(grid, row, "Unknown")).toHaveText(String(unknown));
  });

  // Updates of the library (bundle members are not listed on their own) that some computer
  // needs and the deployment does not hold: what the overview counts.
  const listedIds = new Set(listed.rows.map((r) => r.updateId));
  const unapproved = new Set<string>();
  for (const c of fleetReports.values())
    for (const u of c.updates) if (needs(u) && listedIds.has(u.updateId) && !deployedIds.has(u.updateId)) unapproved.add(u.updateId);
  expect(unapproved.size, `seed ${SEED}: some computer needs an update outside the deployment`).toBeGreaterThan(0);

  await test.step("the overview asks to approve what computers need, and its link shows exactly those updates", async () => {
    await openNode(page, "Software Library", "Overview");
    const tile = page.getByTestId("overview-newUpdatesToApprove");
    await expect(tile).toContainText("New updates to approve");
    await expect(tile).toContainText(`${unapproved.size} update${unapproved.size === 1 ? " is" : "s are"} required by managed computers`);
    await tile.getByRole("link").click();
    expect(await itemCount(page)).toBe(unapproved.size);
    const shown = await fleet.api<UpdatePageJson>("list_updates", defaultQuery({ minRequired: 0, deployed: false }));
    expect(new Set(shown.rows.map((r) => r.updateId))).toEqual(unapproved);
  });

  await test.step("after the approval and the next scan the tile is gone", async () => {
    await fleet.api("approve_updates", {
      updateIds: [...unapproved],
      approvals: [{ groupId: root.id, action: "Required", deadline: "None", customDeadlineUtc: null }],
    });
    // The next scan: the computers report again (detection only: the generated catalog's files
    // are not in the content library), and what they need is now approved.
    await simulate();
    await openNode(page, "Software Library", "Overview");
    await page.getByRole("button", { name: "Refresh" }).click();
    await expect(page.getByTestId("overview-managedComputers")).toContainText(String(COUNT));
    await expect(page.getByTestId("overview-newUpdatesToApprove")).toHaveCount(0);
    await expect(page.getByText("Nothing needs your attention.")).toBeVisible();
  });
});
