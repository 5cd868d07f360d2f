// The Schedule Updates wizard against a mocked site: only what the site lists is offered,
// the filters are sent to it, an update not downloaded stops Choose Updates by name with
// Download…, DISM's absence stops the wizard, Cancel schedules nothing, and Finish sends the
// choices as one schedule call.
import { afterEach, describe, expect, it, vi } from "vitest";
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { answerCalls, call, calls, press, renderPage, resetSite } from "../../test/site";
import type { ApplicableUpdate, OsImage, ServicingRun } from "./types";

vi.mock("../../api", async (importOriginal) => (await import("../../test/site")).mockedApi(importOriginal));

const { ScheduleUpdatesWizard } = await import("./ScheduleUpdatesWizard");

const image: OsImage = {
  id: 4, kind: "Image", name: "Windows 11 Pro", version: "", description: "", sourcePath: "/srv/install.wim", wimPath: "/srv/install.wim", fileBytes: 4096,
  indexCount: 1, osVersion: "10.0.22631.2861", architectures: ["x64"], languages: ["en-US"], updateCount: 3, createdUtc: "", createdBy: "admin",
  scheduledUpdatesDate: null, scheduledUpdatesStatus: null,
};
const update = (kb: string, downloaded: boolean): ApplicableUpdate => ({
  updateId: `id-${kb}`, title: `2026-05 Security Update for Windows 11 for x64-based Systems (${kb})`, kb, classification: "Security Updates",
  architecture: "x64", creationDate: "2026-05-13T17:00:00Z", size: 1000, downloaded,
});
const run = (ids: string[]): ServicingRun => ({
  id: 7, imageId: 4, imageName: image.name, scheduledUtc: "2026-12-03T15:00:00Z", continueOnError: true, updateDistributionPoints: false, state: "InProgress",
  detail: "", createdUtc: "", createdBy: "admin", startedUtc: null, finishedUtc: null, bytesBefore: null, bytesCommitted: null, bytesAfter: null,
  updates: ids.map((id) => ({ updateId: id, title: id, kb: "", state: "Pending", detail: "" })),
});

function site(dismMissing: string | null = null) {
  answerCalls({
    list_applicable_os_image_updates: (args) => {
      const a = args as { text: string };
      const all = [update("KB5000001", true), update("KB5000002", true), update("KB5000003", false)];
      return { updates: all.filter((u) => u.title.includes(a.text)), dismMissing };
    },
    schedule_os_image_updates: (args) => run((args as { updateIds: string[] }).updateIds),
  });
}

const heading = () => document.getElementById("wizard-page-heading")?.textContent ?? "";
const button = (name: string) => screen.getByRole("button", { name });
const pick = (kb: string) => press(screen.getByRole("checkbox", { name: update(kb, true).title }));
const scheduled = () => call.mock.calls.filter(([n]) => n === "schedule_os_image_updates");

afterEach(resetSite);

describe("Schedule Updates wizard", () => {
  it("refuses an update whose content is not downloaded by name, then schedules the chosen ones", async () => {
    site();
    const onClose = vi.fn();
    renderPage(<ScheduleUpdatesWizard image={image} onClose={onClose} />);
    await screen.findByText(update("KB5000001", true).title);
    // Each row says its classification and architecture under its title.
    const row = screen.getByText(update("KB5000001", true).title).closest("tr");
    expect(row?.textContent).toContain("Security Updates · x64");
    fireEvent.change(screen.getByTestId("schedule-filter"), { target: { value: "KB5000002" } });
    await waitFor(() => expect(calls("list_applicable_os_image_updates").at(-1)).toMatchObject({ imageId: 4, text: "KB5000002", architecture: "All" }));
    await waitFor(() => expect(screen.queryByText(update("KB5000001", true).title)).toBeNull());
    fireEvent.change(screen.getByTestId("schedule-filter"), { target: { value: "" } });
    await screen.findByText(update("KB5000001", true).title);
    pick("KB5000001");
    pick("KB5000003");
    press(button("Next >"));
    const issue = await screen.findByTestId("schedule-updates-issue");
    expect(issue.textContent).toContain("not in the content library");
    expect(issue.textContent).toContain(update("KB5000003", false).title);
    expect(screen.getByRole("button", { name: "Download…" })).toBeTruthy();
    pick("KB5000003");
    pick("KB5000002");
    press(button("Next >"));
    await waitFor(() => expect(heading()).toMatch("Set the schedule"));
    press(screen.getByRole("checkbox", { name: "Continue on error" }));
    press(button("Next >"));
    await waitFor(() => expect(heading()).toMatch("Confirm the settings"));
    expect(scheduled()).toEqual([]);
    press(button("Next >"));
    expect((await screen.findByTestId("schedule-done")).textContent).toBe('2 updates scheduled for "Windows 11 Pro" (In progress).');
    expect(calls("schedule_os_image_updates")).toEqual([
      { imageId: 4, updateIds: ["id-KB5000001", "id-KB5000002"], whenUtc: null, continueOnError: true, updateDistributionPoints: false },
    ]);
  }, 20000);

  it("says when DISM is absent and goes no further; Cancel schedules nothing", async () => {
    site("DISM was not found at 'dism'.");
    const onClose = vi.fn();
    renderPage(<ScheduleUpdatesWizard image={image} onClose={onClose} />);
    expect((await screen.findByTestId("dism-missing")).textContent).toContain("DISM was not found at 'dism'.");
    pick("KB5000001");
    press(button("Next >"));
    await waitFor(() => expect(screen.getAllByText(/DISM was not found/).length).toBeGreaterThan(1));
    expect(heading()).toMatch("Choose the software updates");
    press(button("Cancel"));
    expect(onClose).toHaveBeenCalledWith();
    expect(scheduled()).toEqual([]);
  });

  it("selects every update listed at once", async () => {
    site();
    renderPage(<ScheduleUpdatesWizard image={image} onClose={vi.fn()} />);
    await screen.findByText(update("KB5000001", true).title);
    press(screen.getByTestId("schedule-select-all").querySelector("input") ?? screen.getByTestId("schedule-select-all"));
    expect(await screen.findByText("3 updates selected of 3")).toBeTruthy();
  });
});
