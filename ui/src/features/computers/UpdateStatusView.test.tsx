// Update Status against a mocked site: a count per state, No status included, and the
// computers of the state chosen, asked of the site page by page.
import { afterEach, describe, expect, it, vi } from "vitest";
import { screen, within } from "@testing-library/react";
import { answerCalls, calls, press, renderPage, resetSite, sizeTheGrid } from "../../test/site";

vi.mock("../../api", async (importOriginal) => (await import("../../test/site")).mockedApi(importOriginal));

const { UpdateStatusView } = await import("./UpdateStatusView");

sizeTheGrid();
afterEach(resetSite);

const COUNTS = { needed: 3, downloaded: 1, installedPendingRestart: 0, installed: 40, notApplicable: 5, failed: 2, unknown: 7, total: 58 };

describe("Update Status", () => {
  it("counts computers per state and drills down into one", async () => {
    answerCalls({
      get_update_status: COUNTS,
      list_update_status_computers: {
        total: 2,
        offset: 0,
        rows: [
          { id: 1, name: "WEB-01", ipAddress: "10.0.0.1", os: "Windows Server 2022", status: "Failed", lastError: "0x80240022", reportedUtc: "2026-11-02T10:05:00.000Z", lastReportUtc: null },
          { id: 2, name: "WEB-02", ipAddress: "10.0.0.2", os: "Windows Server 2022", status: "Failed", lastError: "0x80070005", reportedUtc: "2026-11-02T10:05:00.000Z", lastReportUtc: null },
        ],
      },
    });
    renderPage(<UpdateStatusView updateId="u-1" />);
    const table = await screen.findByRole("table", { name: "Computers per state" });
    const noStatus = table.querySelector('[data-status="Unknown"]') as HTMLElement;
    expect(within(noStatus).getByText("No status")).toBeTruthy();
    expect(within(noStatus).getByText("7")).toBeTruthy();
    expect(screen.getByText("58 computers in all")).toBeTruthy();
    press(screen.getByRole("button", { name: "Show the computers in state Failed" }));
    const grid = await screen.findByRole("grid", { name: "Computers: Failed" });
    expect(await within(grid).findByText("WEB-02")).toBeTruthy();
    expect(within(grid).getByText("0x80070005")).toBeTruthy();
    expect(calls("list_update_status_computers")[0]).toMatchObject({ updateId: "u-1", status: "Failed", offset: 0 });
    expect(calls("get_update_status")).toEqual([{ updateId: "u-1", groupIds: [] }]);
  });

  it("says why when the site refuses", async () => {
    answerCalls({}, {}, undefined);
    renderPage(<UpdateStatusView updateId="u-9" />);
    expect(await screen.findByText("Cannot load the update's status")).toBeTruthy();
  });
});
