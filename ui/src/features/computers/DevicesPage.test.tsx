// Devices against a mocked site: the grid asks the site for each page with the search, sort
// and collection chosen; the details pane summarises the focused device; Properties shows
// its inventory, collections, reported updates and last scan error.
import { afterEach, describe, expect, it, vi } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { answerCalls, calls, command, press, renderPage, resetSite, sizeTheGrid, targetGroup } from "../../test/site";
import type { ComputerDetails, ComputerRow } from "./types";

vi.mock("../../api", async (importOriginal) => (await import("../../test/site")).mockedApi(importOriginal));

const { DevicesPage } = await import("./DevicesPage");

sizeTheGrid();

const computer = (id: number, name: string, more: Partial<ComputerRow> = {}): ComputerRow => ({
  id,
  name,
  client: true,
  os: "Windows Server 2022 Datacenter",
  osVersion: "10.0.20348.1",
  architecture: "AMD64",
  ipAddress: `10.0.0.${id}`,
  clientVersion: "10.0.20348.1",
  lastScanUtc: "2026-11-02T10:00:00.000Z",
  lastReportUtc: "2026-11-02T10:05:00.000Z",
  firstSeenUtc: "2026-10-01T08:00:00.000Z",
  lastSeenUtc: "2026-11-02T10:05:00.000Z",
  groups: ["All Computers"],
  needed: 0,
  failed: 0,
  installed: 0,
  notApplicable: 0,
  compliance: "Unknown",
  stale: false,
  ...more,
});

const ROWS = [
  computer(11, "WEB-01", { needed: 2, failed: 1, installed: 30, compliance: "NonCompliant", groups: ["All Computers", "All Computers / Web"] }),
  computer(12, "DB-01", { installed: 12, notApplicable: 300, compliance: "Compliant" }),
  computer(13, "OLD-LAPTOP", { stale: true, lastReportUtc: null, lastScanUtc: null }),
];

const DETAILS: ComputerDetails = {
  row: ROWS[0],
  dnsName: "web-01.corp.example",
  clientId: "b5c8bd34-38a4-4e53-9e0f-7a3e2d46e8c1",
  targetGroupName: null,
  lastScanError: "0x8024401C",
  updates: [
    {
      updateId: "u-1",
      title: "2026-11 Cumulative Update for Windows Server 2022",
      articleId: "5070001",
      classification: "Security Updates",
      status: "Failed",
      lastError: "0x80240022",
      reportedUtc: "2026-11-02T10:05:00.000Z",
    },
    {
      updateId: "u-2",
      title: "Servicing Stack Update",
      articleId: null,
      classification: "Updates",
      status: "InstalledPendingRestart",
      lastError: null,
      reportedUtc: "2026-11-02T10:05:00.000Z",
    },
  ],
};

const site = (overrides: Parameters<typeof answerCalls>[1] = {}) =>
  answerCalls(
    {
    list_computer_page: (args) => {
      const q = args as { search: string | null };
      const rows = q.search ? ROWS.filter((r) => r.name.toLowerCase().includes(q.search!.toLowerCase())) : ROWS;
      return { total: rows.length, offset: 0, staleAfterDays: 30, rows };
    },
    list_target_groups: [targetGroup(1, null, "All Computers"), targetGroup(4, 1, "All Computers / Web")],
    get_computer: DETAILS,
    },
    overrides,
  );

const pageQueries = () => calls("list_computer_page") as { search: string | null; sort: unknown; groupId: number | null; includeSubgroups: boolean }[];

afterEach(resetSite);

describe("Devices", () => {
  it("lists the devices with their compliance, and searches on the site", async () => {
    site();
    renderPage(<DevicesPage />);
    await screen.findByText("3 items");
    const grid = screen.getByRole("grid", { name: "Devices" });
    expect(within(grid).getByText("WEB-01")).toBeTruthy();
    expect(within(grid).getByText("Non-compliant")).toBeTruthy();
    expect(within(grid).getByText("Compliant")).toBeTruthy();
    expect(within(grid).getByText("All Computers; All Computers / Web")).toBeTruthy();
    fireEvent.change(screen.getByRole("searchbox"), { target: { value: "web" } });
    await screen.findByText("1 item");
    expect(pageQueries().at(-1)).toMatchObject({ search: "web", groupId: null });
  });

  it("sorts by a column and filters by collection, with subcollections", async () => {
    site();
    renderPage(<DevicesPage />);
    await screen.findByText("3 items");
    fireEvent.click(within(screen.getByRole("columnheader", { name: "Needed" })).getByRole("button"));
    await waitFor(() => expect(pageQueries().at(-1)).toMatchObject({ sort: { column: "needed", descending: false } }));
    const collection = await screen.findByRole("combobox", { name: "Collection" });
    await waitFor(() => expect(within(collection).getAllByRole("option")).toHaveLength(3));
    fireEvent.change(collection, { target: { value: "4" } });
    await waitFor(() => expect(pageQueries().at(-1)).toMatchObject({ groupId: 4, includeSubgroups: true }));
  });

  it("summarises the focused device and opens its Properties", async () => {
    site();
    renderPage(<DevicesPage />);
    expect(command("properties").disabled).toBe(true);
    fireEvent.click(await screen.findByText("WEB-01"));
    const pane = screen.getByRole("region", { name: "Device details" });
    expect(within(pane).getByText("Non-compliant: 2 needed, 1 failed, 30 installed, 0 not applicable")).toBeTruthy();
    press(command("properties"));
    const dialog = await screen.findByRole("dialog", { name: "WEB-01 Properties" });
    expect(await within(dialog).findByText("web-01.corp.example")).toBeTruthy();
    expect(within(dialog).getByText("The last scan failed")).toBeTruthy();
    expect(calls("get_computer")).toEqual([{ id: 11 }]);
    press(within(dialog).getByRole("tab", { name: "Updates" }));
    const updates = await within(dialog).findByRole("grid", { name: "Updates the device reported" });
    expect(within(updates).getByText("Failed")).toBeTruthy();
    expect(within(updates).getByText("0x80240022")).toBeTruthy();
    expect(within(updates).getByText("Installed, pending restart")).toBeTruthy();
    press(within(dialog).getByRole("tab", { name: "Collections" }));
    expect(within(dialog).getByText("All Computers / Web")).toBeTruthy();
  });

  it("says a stale device is stale", async () => {
    site();
    renderPage(<DevicesPage />);
    fireEvent.click(await screen.findByText("OLD-LAPTOP"));
    const pane = screen.getByRole("region", { name: "Device details" });
    expect(within(pane).getByText(/client-activity period/)).toBeTruthy();
  });

  it("changes the computer settings, showing the site's refusal", async () => {
    const saved: unknown[] = [];
    site({
      get_computer_settings: { targeting: "Server", staleAfterDays: 30 },
      set_computer_settings: (args) => {
        saved.push(args);
        const a = args as { staleAfterDays: number };
        if (a.staleAfterDays > 365) throw { code: "Validation", message: "Stale after must be between 1 and 365 days; 400 is outside that range (recommended: 30)." };
        return args;
      },
    });
    renderPage(<DevicesPage />);
    await screen.findByText("3 items");
    press(command("settings"));
    const dialog = await screen.findByRole("dialog", { name: "Computer Settings" });
    const days = await within(dialog).findByRole("spinbutton");
    press(within(dialog).getByLabelText(/client-side targeting/));
    expect(within(dialog).getByText(/TargetGroup/)).toBeTruthy();
    const ok = within(dialog).getByRole("button", { name: "OK" });
    press(days);
    fireEvent.change(days, { target: { value: "400" } });
    fireEvent.blur(days);
    press(ok);
    expect(await within(dialog).findByText(/between 1 and 365 days/)).toBeTruthy();
    expect(saved[0]).toEqual({ targeting: "Client", staleAfterDays: 400 });
    press(days);
    fireEvent.change(days, { target: { value: "14" } });
    fireEvent.blur(days);
    press(ok);
    await waitFor(() => expect(saved[1]).toEqual({ targeting: "Client", staleAfterDays: 14 }));
  });

});
