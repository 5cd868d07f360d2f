// Software Update Point Properties › Clients against a real site: enabling clients without SSL
// warns that plain HTTP can be read and altered; a certificate path the site cannot read is
// refused by the site, its reason shown on the certificate field, and nothing is stored.
import { expect, openConsole, openNode, test } from "./harness";

test("Clients: the site refuses a certificate it cannot read, on the field", async ({ page, clients }) => {
  const before = await clients.api<{ certificateFile: string }>("get_client_service_settings", {});
  await openConsole(page, clients);
  await openNode(page, "Administration", "Sites");
  await page.getByRole("grid", { name: "Site components" }).getByRole("row").filter({ hasText: "Software Update Point" }).click();
  await page.getByRole("toolbar", { name: "Sites commands" }).getByRole("button", { name: "Properties" }).click();
  const dialog = page.getByRole("dialog", { name: "Software Update Point Properties" });
  await dialog.getByRole("tab", { name: "Clients" }).click();
  await dialog.getByRole("checkbox", { name: "Accept connections from Windows Update Agents" }).check();
  await expect(dialog.getByText(/read the update metadata and the computers' reports, and alter them/)).toBeVisible();
  await expect(dialog.getByText(/Changes apply when the site next starts/)).toBeVisible();
  await dialog.getByRole("textbox", { name: /^Certificate file/ }).fill("/nonexistent/patchdeck-e2e/sup.pem");
  await dialog.getByRole("textbox", { name: /^Private key file/ }).fill("/nonexistent/patchdeck-e2e/sup.key");
  await dialog.getByRole("button", { name: "OK" }).click();
  const certificate = dialog.getByRole("textbox", { name: /^Certificate file/ });
  const refusal = dialog.getByText(/The certificate file \/nonexistent\/patchdeck-e2e\/sup\.pem cannot be read/);
  await expect(refusal).toBeVisible();
  expect(await certificate.getAttribute("aria-describedby")).toContain(await refusal.getAttribute("id"));
  await expect(dialog).toBeVisible();
  expect(await clients.api("get_client_service_settings", {})).toEqual(before);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toHaveCount(0);
});
