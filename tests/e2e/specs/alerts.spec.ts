// Monitoring › Alerts (issue 14): a synchronization that fails raises an alert, shown with
// its time and a link to the run's log; closing it keeps it closed (and audited).
import { expect, openConsole, openNode, test } from "./harness";

interface Run {
  runId: number;
  state: string;
}

test("a failed synchronization raises an alert in Monitoring › Alerts, and Close closes it", async ({ page, alertsSite }) => {
  // An upstream where nothing listens, no retries: the run fails at once.
  const settings = await alertsSite.api<Record<string, unknown>>("get_sync_settings", {});
  await alertsSite.api("set_sync_settings", {
    ...settings,
    source: "UpstreamServer",
    upstreamUrl: "http://127.0.0.1:9",
    allowPlainHttp: true,
    retry: { retries: 0, firstWaitMs: 0, maxWaitMs: 0 },
  });
  const run = await alertsSite.api<Run>("start_sync", {});
  await expect
    .poll(async () => (await alertsSite.api<{ history: Run[] }>("get_sync_status", {})).history.find((r) => r.runId === run.runId)?.state, {
      timeout: 30_000,
    })
    .toBe("Failed");

  await openConsole(page, alertsSite);
  await openNode(page, "Monitoring", "Alerts");
  const table = page.getByRole("table", { name: "Alerts" });
  const row = table.locator(`[data-alert-id="sync-run:${run.runId}"]`);
  await expect(row).toContainText("Synchronization failed");
  await expect(row).toContainText("Active");
  await expect(row).toContainText("127.0.0.1:9");

  await row.getByRole("button", { name: /^Close/ }).click();
  await expect(row).toHaveCount(0);
  await page.getByRole("checkbox", { name: "Show closed alerts" }).check();
  await expect(row).toContainText("Closed");
  const alerts = await alertsSite.api<{ id: string; state: string }[]>("list_alerts", {});
  expect(alerts.find((a) => a.id === `sync-run:${run.runId}`)?.state).toBe("Closed");

  // Its link opens the run's object: the synchronization status.
  await row.getByRole("button", { name: "Synchronization failed", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Software Update Point Synchronization Status" })).toBeVisible();
  await page.getByRole("tab", { name: "Log" }).click();
  await expect(page.getByRole("grid", { name: `Log of run ${run.runId}` })).toBeVisible();
});
