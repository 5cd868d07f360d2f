// Assets and Compliance > Devices with computers that registered themselves: three Windows
// Update Agents' handshakes (the captured GetAuthorizationCookie, GetCookie and
// RegisterComputer of shared/fixtures/wusp/native/scan/000002-000004, each with its own
// client id and DNS name, and the cookies this site issued) posted to the real client
// listener; the console then lists them, searches them, and opens one's Properties. Update
// states come with reports, later: registration gives inventory and "Unknown" compliance.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { FIXTURES } from "../paths";
import { expect, openConsole, openNode, test } from "./harness";

const SCAN = path.join(FIXTURES, "wusp", "native", "scan");
const captured = (exchange: string, file: string) => readFileSync(path.join(SCAN, exchange, file), "utf8");
const textOf = (xml: string, name: string): string => {
  const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
  if (!m) throw new Error(`no <${name}> in ${xml.slice(0, 400)}`);
  return m[1];
};

/** A captured request's path and SOAPAction. */
function target(exchange: string): { path: string; action: string } {
  const headers = captured(exchange, "request.headers").split(/\r?\n/);
  const action = headers.find((l) => l.startsWith("SOAPAction: "))?.slice("SOAPAction: ".length).trim();
  if (!action) throw new Error(`${exchange}: no SOAPAction`);
  return { path: headers[0].split(" ")[1], action };
}

async function post(exchange: string, body: string): Promise<string> {
  const base = process.env.PATCHDECK_CLIENTS_WUSP_URL;
  if (!base) throw new Error("global-setup did not start the client listener");
  const { path: p, action } = target(exchange);
  const res = await fetch(`${base}${p}`, { method: "POST", headers: { "Content-Type": "text/xml; charset=utf-8", SOAPAction: action }, body });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${exchange} answered ${res.status}: ${text}`);
  return text;
}

/** One Windows Update Agent's handshake and registration, as `dnsName` with a new client id. */
async function register(dnsName: string): Promise<string> {
  const clientId = randomUUID();
  const authRequest = captured("000002", "request.body");
  const auth = await post(
    "000002",
    authRequest.replace(textOf(authRequest, "clientId"), clientId).replace(`<dnsName>${textOf(authRequest, "dnsName")}</dnsName>`, `<dnsName>${dnsName}</dnsName>`),
  );
  const cookieRequest = captured("000003", "request.body");
  const cookie = await post("000003", cookieRequest.replace(textOf(cookieRequest, "CookieData"), textOf(auth, "CookieData")));
  const registerRequest = captured("000004", "request.body");
  await post(
    "000004",
    registerRequest
      .replace(textOf(registerRequest, "Expiration"), textOf(cookie, "Expiration"))
      .replace(textOf(registerRequest, "EncryptedData"), textOf(cookie, "EncryptedData"))
      .replace(`<DnsName>${textOf(registerRequest, "DnsName")}</DnsName>`, `<DnsName>${dnsName}</DnsName>`),
  );
  return clientId;
}

const devicesGrid = (page: Page) => page.getByRole("grid", { name: "Devices" });

test("Devices: computers that registered through the client listener are listed, searched and shown in Properties", async ({ page, clients }) => {
  const tag = Date.now().toString(36).toUpperCase();
  const names = [`E2E-${tag}-WEB`, `E2E-${tag}-DB`, `E2E-${tag}-KIOSK`];
  const ids: string[] = [];
  for (const name of names) ids.push(await register(name));
  const listed = await clients.api<{ total: number }>("list_computer_page", { search: tag });
  expect(listed.total).toBe(3);

  await openConsole(page, clients);
  await openNode(page, "Assets and Compliance", "Devices");
  const grid = devicesGrid(page);
  for (const name of names) await expect(grid.getByRole("row").filter({ hasText: name })).toBeVisible();

  // What registration tells: a client, its OS and architecture, the address it called from;
  // no report yet, so compliance is Unknown.
  const web = grid.getByRole("row").filter({ hasText: names[0] });
  await expect(web).toContainText("Yes");
  await expect(web).toContainText("Windows 10 Pro");
  await expect(web).toContainText("AMD64");
  await expect(web).toContainText("127.0.0.1");
  await expect(web).toContainText("Unknown");
  await expect(web).toContainText("All Computers");

  // The site searches.
  await page.getByRole("searchbox").fill(`${tag}-DB`);
  await expect(page.getByTestId("item-count")).toHaveText("1 item");
  await expect(grid.getByRole("row").filter({ hasText: names[1] })).toBeVisible();
  await expect(grid.getByRole("row").filter({ hasText: names[0] })).toHaveCount(0);

  // Properties of the one found.
  await grid.getByRole("row").filter({ hasText: names[1] }).click();
  await page.getByRole("toolbar").getByRole("button", { name: "Properties", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: `${names[1]} Properties` });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText(ids[1])).toBeVisible();
  await expect(dialog.getByText("Unknown: 0 needed, 0 failed, 0 installed, 0 not applicable")).toBeVisible();
  await dialog.getByRole("tab", { name: "Collections" }).click();
  await expect(dialog.getByRole("list", { name: "Collections the device is a member of" })).toContainText("All Computers");
  await dialog.getByRole("tab", { name: "Updates" }).click();
  await expect(dialog.getByText("The device has reported no update yet.")).toBeVisible();
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(dialog).toHaveCount(0);
});
