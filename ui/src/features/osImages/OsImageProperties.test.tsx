// An OS image's Properties against a mocked site: General saves name, version and comment
// with edit_os_image (Cancel saves nothing, a refusal stays on General with the site's
// reason), Installed Updates names who added each update, Servicing lists the runs and opens
// one's log in Monitoring › Offline Servicing, Distribution shows each point's state; and the
// page opens the dialog from the command bar and on double-click.
import { afterEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { NavigateContext } from "../../app/navigate";
import { answerCalls, calls, command, press, renderPage, resetSite, sizeTheGrid } from "../../test/site";
import type { OsImage, OsImageDetails, ServicingRun } from "./types";

vi.mock("../../api", async (importOriginal) => (await import("../../test/site")).mockedApi(importOriginal));

const { OsImageProperties } = await import("./OsImageProperties");
const { OsImagesPage } = await import("./OsImagesPage");

sizeTheGrid();

const IMAGE: OsImage = {
  id: 4, kind: "Image", name: "Windows 11 Pro", version: "23H2", description: "gold", sourcePath: "/srv/install.wim", wimPath: "/srv/install.wim",
  fileBytes: 305322, indexCount: 1, osVersion: "10.0.26100.8035", architectures: ["x64"], languages: ["en-US"], updateCount: 2,
  createdUtc: "2026-12-01T10:00:00Z", createdBy: "admin", scheduledUpdatesDate: "2026-12-03T09:00:00Z", scheduledUpdatesStatus: "Successful",
};
const pkg = (kb: string, run: number | null, title?: string) => ({
  index: 1, identity: `Package_for_${kb}~31bf3856ad364e35~amd64~~1.0`, name: `Package_for_${kb}`, version: "1.0", architecture: "amd64", language: "neutral",
  kb, releaseType: "Update", source: run === null ? "Import" : `Servicing run ${run}`, servicingRun: run,
  addedUtc: run === null ? "2026-12-01T10:00:00Z" : "2026-12-03T09:02:00Z", catalog: title ? [{ updateId: `u-${kb}`, title }] : [],
});
const DETAILS: OsImageDetails = {
  image: IMAGE,
  indexes: [{ index: 1, name: "Windows 11 Pro", description: "", edition: "Professional", architecture: "x64", version: "10.0.26100.8035", languages: ["en-US"], defaultLanguage: "en-US", totalBytes: 391 }],
  packages: [pkg("KB5000001", null), pkg("KB5000002", 7, "2026-11 Cumulative Update (KB5000002)")],
};
const RUN: ServicingRun = {
  id: 7, imageId: 4, imageName: "Windows 11 Pro", scheduledUtc: "2026-12-03T09:00:00Z", continueOnError: true, updateDistributionPoints: false,
  state: "Failed", detail: "Applied 1 of 2 updates", createdUtc: "2026-12-03T08:59:00Z", createdBy: "admin", startedUtc: "2026-12-03T09:00:00Z",
  finishedUtc: "2026-12-03T09:03:00Z", bytesBefore: 1, bytesCommitted: 2, bytesAfter: 1, updates: [],
};

const site = (overrides: Record<string, unknown> = {}) =>
  answerCalls(
    {
      get_os_image: DETAILS,
      list_os_images: [IMAGE],
      list_servicing_runs: [RUN],
      os_image_distribution_status: [
        { imageId: 4, imageName: "Windows 11 Pro", dpId: 2, dpName: "Branch", state: "Installed", detail: "copied and verified", path: "AB/X.wim", updatedUtc: "2026-12-03T09:04:00Z" },
      ],
      edit_os_image: (a) => {
        const { name, version, comment } = a as { name: string; version: string; comment: string };
        return { ...DETAILS, image: { ...IMAGE, name: name.trim(), version, description: comment } };
      },
    },
    overrides as never,
  );

function open(navigate = vi.fn()) {
  const onClose = vi.fn();
  render(
    <FluentProvider theme={webLightTheme}>
      <NavigateContext.Provider value={navigate}>
        <OsImageProperties image={IMAGE} onClose={onClose} />
      </NavigateContext.Provider>
    </FluentProvider>,
  );
  return onClose;
}

const button = (name: string) => screen.getByRole("button", { name }) as HTMLButtonElement;
const tab = (name: string) => fireEvent.click(screen.getByRole("tab", { name }));

afterEach(resetSite);

describe("OS image Properties", () => {
  it("saves General with edit_os_image on OK, and Cancel saves nothing", async () => {
    site();
    let onClose = open();
    const name = screen.getByRole("textbox", { name: /Name/ }) as HTMLInputElement;
    expect(name.value).toBe("Windows 11 Pro");
    expect(await screen.findByRole("table", { name: "Images" })).toBeTruthy();
    fireEvent.change(name, { target: { value: "Gold" } });
    press(button("Cancel"));
    expect(onClose).toHaveBeenCalledWith(false);
    expect(calls("edit_os_image")).toEqual([]);
    resetSite();

    site();
    onClose = open();
    fireEvent.change(screen.getByRole("textbox", { name: /Name/ }), { target: { value: "Gold" } });
    fireEvent.change(screen.getByRole("textbox", { name: "Comment" }), { target: { value: "monthly" } });
    expect(button("Apply").disabled).toBe(false);
    press(button("OK"));
    await waitFor(() => expect(onClose).toHaveBeenCalledWith(true));
    expect(calls("edit_os_image")).toEqual([{ id: 4, name: "Gold", version: "23H2", comment: "monthly" }]);
  });

  it("keeps the dialog open on General with the site's reason when the name is taken, and refuses an empty name itself", async () => {
    site({ edit_os_image: () => Promise.reject({ code: "Conflict", message: "Another OS image is named 'Other'; give another name." }) });
    const onClose = open();
    const name = screen.getByRole("textbox", { name: /Name/ });
    fireEvent.change(name, { target: { value: "  " } });
    press(button("Apply"));
    expect(await screen.findByText("Give a name of 1 to 200 characters.")).toBeTruthy();
    expect(calls("edit_os_image")).toEqual([]);
    fireEvent.change(name, { target: { value: "Other" } });
    tab("Installed Updates");
    press(button("OK"));
    expect(await screen.findByText(/named 'Other'/)).toBeTruthy();
    expect(screen.getByRole("tab", { name: "General", selected: true })).toBeTruthy();
    expect(onClose).not.toHaveBeenCalled();
  });

  it("lists every update present with who added it, and the servicing runs with a link to their log", async () => {
    site();
    const navigate = vi.fn();
    const onClose = open(navigate);
    tab("Installed Updates");
    const installed = await screen.findByRole("table", { name: "Installed Updates" });
    const row = (kb: string) => installed.querySelector(`[data-kb="${kb}"]`) as HTMLElement;
    await waitFor(() => expect(row("KB5000002")).toBeTruthy());
    expect(within(row("KB5000001")).getByText("Present at import")).toBeTruthy();
    expect(within(row("KB5000002")).getByText("Servicing run 7")).toBeTruthy();
    expect(within(row("KB5000002")).getByText("2026-11 Cumulative Update (KB5000002)")).toBeTruthy();

    tab("Servicing");
    const runs = await screen.findByRole("table", { name: "Servicing" });
    expect(within(runs).getByText("Failed")).toBeTruthy();
    expect(within(runs).getByText("Applied 1 of 2 updates")).toBeTruthy();
    expect(calls("list_servicing_runs")).toContainEqual({ imageId: 4 });
    fireEvent.click(within(runs).getByText("View log"));
    expect(navigate).toHaveBeenCalledWith("monitoring", "monitoring.offlineServicing", { run: "7" });
    expect(onClose).toHaveBeenCalledWith(false);
  });

  it("shows the state on each distribution point", async () => {
    site();
    open();
    tab("Distribution");
    const table = await screen.findByRole("table", { name: "Distribution" });
    expect(within(table).getByText("Branch")).toBeTruthy();
    expect(within(table).getByText("copied and verified")).toBeTruthy();
  });
});

describe("OS Images page", () => {
  it("opens Properties from the command bar and on double-click", async () => {
    site();
    renderPage(<OsImagesPage />);
    await screen.findByText("1 item");
    const grid = screen.getByRole("grid", { name: "Operating System Images" });
    fireEvent.click(within(grid).getByText("Windows 11 Pro"));
    await waitFor(() => expect(command("properties").disabled).toBe(false));
    press(command("properties"));
    expect(await screen.findByRole("dialog", { name: "Windows 11 Pro Properties" })).toBeTruthy();
    press(button("Cancel"));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    fireEvent.doubleClick(within(grid).getByText("Windows 11 Pro"));
    expect(await screen.findByRole("dialog", { name: "Windows 11 Pro Properties" })).toBeTruthy();
  });
});
