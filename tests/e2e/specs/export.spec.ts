// Disconnected sites (SYNC-7) in the console: Administration > Sites > Import Catalog... loads
// an export file made by the site's own export command (paths are on the site's machine), and
// Export Catalog... writes one. Runs against the parent site: re-importing its own catalog
// adds nothing, so no other spec sees a change.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, openConsole, openNode, test } from "./harness";

test("Import Catalog loads an export file and Export Catalog writes one", async ({ page, parent }) => {
  const dir = mkdtempSync(path.join(tmpdir(), "patchdeck-e2e-export-"));
  const file = path.join(dir, "catalog.tar.gz");
  const made = await parent.api<{ revisions: number }>("export_catalog", { path: file, withContent: false });
  expect(made.revisions).toBeGreaterThan(0);

  await openConsole(page, parent);
  await openNode(page, "Administration", "Sites");
  const bar = page.getByRole("toolbar", { name: "Sites commands" });

  await bar.getByRole("button", { name: "Import Catalog..." }).click();
  const importing = page.getByRole("dialog", { name: "Import Catalog" });
  await expect(importing).toContainText("machine that runs the site");
  const importPath = importing.getByRole("textbox", { name: /File path/ });
  await importPath.fill("catalog.tar.gz");
  await importing.getByRole("button", { name: "Import" }).click();
  await expect(importing).toContainText("'catalog.tar.gz' is a relative path");
  await importPath.fill(path.join(dir, "missing.tar.gz"));
  await importing.getByRole("button", { name: "Import" }).click();
  await expect(importing.getByRole("alert")).toContainText(`There is no file ${path.join(dir, "missing.tar.gz")}`);
  await importPath.fill(file);
  await importing.getByRole("button", { name: "Import" }).click();
  const report = importing.getByRole("status");
  await expect(report).toContainText("Exported from site");
  await expect(report).toContainText(/0 new updates, 0 new revisions, [\d.,\s\u00a0\u202f]+ already held\./);
  await importing.getByRole("button", { name: "Close" }).click();
  await expect(importing).toBeHidden();

  await bar.getByRole("button", { name: "Export Catalog..." }).click();
  const exporting = page.getByRole("dialog", { name: "Export Catalog" });
  const written = path.join(dir, "from-console.tar.gz");
  await exporting.getByRole("textbox", { name: /File path/ }).fill(written);
  await exporting.getByRole("checkbox", { name: /Include the content library/ }).check();
  await exporting.getByRole("button", { name: "Export" }).click();
  await expect(exporting.getByRole("status")).toContainText(`update revisions exported to ${written}.`);
  expect(statSync(written).size).toBeGreaterThan(1000);
  rmSync(dir, { recursive: true, force: true });
});
