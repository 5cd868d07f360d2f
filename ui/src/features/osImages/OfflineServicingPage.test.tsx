// Monitoring › Offline Servicing against a mocked site: the runs with their Scheduled Updates
// Date and Status, the focused run's updates and both logs, and Cancel Scheduled Updates
// offered only while a run is scheduled or in progress, asked first.
import { afterEach, describe, expect, it, vi } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { answerCalls, calls, command, press, renderPage, resetSite, sizeTheGrid } from "../../test/site";
import type { ServicingRun, ServicingRunLog } from "./types";

vi.mock("../../api", async (importOriginal) => (await import("../../test/site")).mockedApi(importOriginal));

const { OfflineServicingPage } = await import("./OfflineServicingPage");

sizeTheGrid();

const run = (id: number, imageName: string, state: ServicingRun["state"]): ServicingRun => ({
  id, imageId: id, imageName, scheduledUtc: "2026-12-03T22:00:00Z", continueOnError: true, updateDistributionPoints: false, state,
  detail: state === "Failed" ? "Applied 2 of 3 updates: KB1, KB2. Failed: KB3 (Error 0x800f081e: The specified package is not applicable to this image.)." : "",
  createdUtc: "", createdBy: "olga", startedUtc: null, finishedUtc: null, bytesBefore: 304392, bytesCommitted: 607900, bytesAfter: 305322,
  updates: [
    { updateId: "u1", title: "Security Update (KB1)", kb: "KB1", state: "Installed", detail: "" },
    { updateId: "u3", title: "Security Update (KB3)", kb: "KB3", state: "Failed", detail: "Error 0x800f081e: The specified package is not applicable to this image." },
  ],
});
const log = (r: ServicingRun): ServicingRunLog => ({
  run: r,
  lines: [
    { atUtc: "2026-12-03T22:00:01Z", source: "Servicing", line: "Mount index 1: the operation completed successfully." },
    { atUtc: "2026-12-03T22:00:02Z", source: "Dism", line: "2026-12-03 22:00:02, Info DISM   CBS Exec: Adding package Package_for_KB1" },
  ],
});

afterEach(resetSite);

describe("Offline Servicing", () => {
  it("shows each run's status, its updates and both logs; cancels only a run in progress, after asking", async () => {
    const runs = [run(2, "Gold", "InProgress"), run(1, "Silver", "Failed")];
    answerCalls({
      list_servicing_runs: runs,
      get_servicing_log: (a) => log(runs.find((r) => r.id === (a as { id: number }).id) ?? runs[0]),
      cancel_os_image_updates: (a) => ({ ...runs[0], id: (a as { id: number }).id, state: "Cancelled" }),
    });
    renderPage(<OfflineServicingPage />);
    await screen.findByText("2 items");
    const grid = screen.getByRole("grid", { name: "Servicing runs" });
    expect(within(grid).getByText("In progress")).toBeTruthy();
    expect(within(grid).getByText("Failed")).toBeTruthy();

    fireEvent.click(within(grid).getByText("Silver"));
    await waitFor(() => expect(command("cancel").disabled).toBe(true));
    const updates = screen.getByRole("tabpanel", { name: "Updates" });
    expect(within(updates).getByText("Installed")).toBeTruthy();
    expect(within(updates).getByText("Error 0x800f081e: The specified package is not applicable to this image.")).toBeTruthy();
    fireEvent.click(screen.getByRole("tab", { name: "DISM log" }));
    expect(await within(screen.getByRole("tabpanel", { name: "DISM log" })).findByText(/Adding package Package_for_KB1/)).toBeTruthy();
    expect(screen.queryByText("Mount index 1: the operation completed successfully.")).toBeNull();

    fireEvent.click(within(grid).getByText("Gold"));
    await waitFor(() => expect(command("cancel").disabled).toBe(false));
    press(command("cancel"));
    const dialog = await screen.findByRole("dialog");
    expect(dialog.textContent).toContain("the image stays as it was");
    expect(calls("cancel_os_image_updates")).toEqual([]);
    press(within(dialog).getByRole("button", { name: "Yes" }));
    await waitFor(() => expect(calls("cancel_os_image_updates")).toEqual([{ id: 2 }]));
  }, 20000);

  const settingsSite = () =>
    answerCalls({
      list_servicing_runs: [],
      get_servicing_settings: { servicingDrive: "Automatic", dismPath: "C:\\Windows\\System32\\Dism.exe" },
      set_servicing_settings: (a) => a,
    });

  it("Servicing Settings shows the drive and DISM's path; Cancel saves nothing", async () => {
    settingsSite();
    renderPage(<OfflineServicingPage />);
    await screen.findByText("0 items");
    press(command("settings"));
    expect(((await screen.findByTestId("servicing-drive")) as HTMLInputElement).value).toBe("Automatic");
    expect((screen.getByTestId("servicing-dism") as HTMLInputElement).value).toBe("C:\\Windows\\System32\\Dism.exe");
    press(within(await screen.findByTestId("servicing-settings")).getByText("Cancel"));
    await waitFor(() => expect(screen.queryByTestId("servicing-settings")).toBeNull());
    expect(calls("set_servicing_settings")).toEqual([]);
  }, 20000);

  it("Servicing Settings OK saves the settings shown", async () => {
    settingsSite();
    renderPage(<OfflineServicingPage />);
    await screen.findByText("0 items");
    press(command("settings"));
    await screen.findByTestId("servicing-drive");
    press(within(await screen.findByTestId("servicing-settings")).getByText("OK"));
    await waitFor(() => expect(calls("set_servicing_settings")).toEqual([{ servicingDrive: "Automatic", dismPath: "C:\\Windows\\System32\\Dism.exe" }]));
  }, 20000);
});
