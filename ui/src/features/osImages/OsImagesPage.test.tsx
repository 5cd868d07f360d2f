// OS Images and OS Upgrade Packages against a mocked site: the seed's columns from what the
// site lists, the details pane's Images and Update Status (the updates present with their
// catalog match, read for the focused item), Delete asked first, on the right command, and
// Distribute Content with the point picker and the Distribution tab.
import { afterEach, describe, expect, it, vi } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { answerCalls, calls, command, press, renderPage, resetSite, sizeTheGrid } from "../../test/site";
import type { OsImage, OsImageDetails } from "./types";

vi.mock("../../api", async (importOriginal) => (await import("../../test/site")).mockedApi(importOriginal));

const { OsImagesPage, OsUpgradePackagesPage } = await import("./OsImagesPage");

sizeTheGrid();

const image = (id: number, name: string, kind: OsImage["kind"] = "Image"): OsImage => ({
  id, kind, name, version: "23H2", description: "gold", sourcePath: "/srv/install.wim", wimPath: "/srv/install.wim", fileBytes: 4096,
  indexCount: 2, osVersion: "10.0.22631.2861", architectures: ["ARM64", "x64"], languages: ["en-US", "fr-FR"], updateCount: 2,
  createdUtc: "2026-12-01T10:00:00Z", createdBy: "admin", scheduledUpdatesDate: null, scheduledUpdatesStatus: null,
});
const pkg = (kb: string | null, name: string, catalog: { updateId: string; title: string }[] = []) => ({
  index: 1, identity: `${name}~31bf3856ad364e35~amd64~~1.0`, name, version: "1.0", architecture: "amd64", language: "neutral",
  kb, releaseType: "Update", source: "Import", servicingRun: null, addedUtc: "", catalog,
});
const details = (id: number): OsImageDetails => ({
  image: image(id, "Windows 11 Pro"),
  indexes: [
    { index: 1, name: "Windows 11 Pro", description: "", edition: "Professional", architecture: "x64", version: "10.0.22631.2861", languages: ["en-US"], defaultLanguage: "en-US", totalBytes: 391 },
    { index: 2, name: "Windows 11 Enterprise", description: "", edition: "Enterprise", architecture: "ARM64", version: "10.0.22631.2861", languages: ["fr-FR"], defaultLanguage: "fr-FR", totalBytes: 391 },
  ],
  packages: [
    pkg("KB5026368", "Package_for_RollupFix", [{ updateId: "u1", title: "2023-05 Cumulative Update for Windows 11 (KB5026368)" }]),
    pkg("KB5017029", "Package_for_DotNetRollup_481"),
    pkg(null, "Microsoft-Windows-Foundation-Package"),
  ],
});

afterEach(resetSite);

describe("OS Images", () => {
  it("lists the images with the seed's columns and shows the focused one's images and updates", async () => {
    answerCalls({ list_os_images: [image(4, "Windows 11 Pro")], get_os_image: (a) => details((a as { id: number }).id) });
    renderPage(<OsImagesPage />);
    await screen.findByText("1 item");
    const grid = screen.getByRole("grid", { name: "Operating System Images" });
    for (const header of ["Image OS Version", "Architecture", "Language", "Scheduled Updates Date", "Scheduled Updates Status"]) {
      expect(within(grid).getByText(header)).toBeTruthy();
    }
    expect(within(grid).getByText("ARM64, x64")).toBeTruthy();
    fireEvent.click(within(grid).getByText("Windows 11 Pro"));
    fireEvent.click(screen.getByRole("tab", { name: "Images" }));
    const images = screen.getByRole("tabpanel", { name: "Images" });
    expect(await within(images).findByText("Windows 11 Enterprise")).toBeTruthy();
    fireEvent.click(screen.getByRole("tab", { name: "Update Status" }));
    const updates = screen.getByRole("tabpanel", { name: "Update Status" });
    expect(await within(updates).findByText("2023-05 Cumulative Update for Windows 11 (KB5026368)")).toBeTruthy();
    expect(within(updates).getByText("Not in the catalog")).toBeTruthy();
    // A package of no update (a foundation package) is not an update present.
    expect(within(updates).queryByText("Microsoft-Windows-Foundation-Package")).toBeNull();
    expect(calls("get_os_image")).toContainEqual({ id: 4 });
  });

  it("deletes an upgrade package with its own command, after asking", async () => {
    answerCalls({ list_os_upgrade_packages: [image(9, "Windows 11 23H2", "UpgradePackage")], delete_os_upgrade_package: {} });
    renderPage(<OsUpgradePackagesPage />);
    await screen.findByText("1 item");
    fireEvent.click(screen.getByText("Windows 11 23H2"));
    await waitFor(() => expect(command("delete").disabled).toBe(false));
    press(command("delete"));
    const dialog = await screen.findByRole("dialog");
    expect(dialog.textContent).toContain('Delete the operating system upgrade package "Windows 11 23H2"?');
    expect(calls("delete_os_upgrade_package")).toEqual([]);
    press(within(dialog).getByRole("button", { name: "Yes" }));
    await waitFor(() => expect(calls("delete_os_upgrade_package")).toEqual([{ id: 9 }]));
  });

  it("distributes an image to the points chosen and shows each point's state", async () => {
    const dps = [
      { id: 1, name: "Branch", kind: "Folder", location: "/srv/dp1", createdUtc: "2026-12-01T10:00:00Z" },
      { id: 2, name: "Paris", kind: "Remote", location: "https://paris:8530", createdUtc: "2026-12-01T10:00:00Z" },
    ];
    const status = [
      { imageId: 4, imageName: "Windows 11 Pro", dpId: 1, dpName: "Branch", state: "Installed", detail: "copied and verified at /srv/dp1/Content/AB/X.wim", path: "AB/X.wim", updatedUtc: "2026-12-01T10:05:00Z" },
      { imageId: 4, imageName: "Windows 11 Pro", dpId: 2, dpName: "Paris", state: "Failed", detail: "Paris is unreachable", path: "", updatedUtc: "2026-12-01T10:05:00Z" },
    ];
    answerCalls({
      list_os_images: [image(4, "Windows 11 Pro")],
      get_os_image: (a) => details((a as { id: number }).id),
      list_distribution_points: dps,
      distribute_os_image: status,
      os_image_distribution_status: status,
    });
    renderPage(<OsImagesPage />);
    await screen.findByText("1 item");
    fireEvent.click(screen.getByText("Windows 11 Pro"));
    await waitFor(() => expect(command("distribute").disabled).toBe(false));
    press(command("distribute"));
    const dialog = await screen.findByRole("dialog");
    expect(dialog.textContent).toContain("Distribute Content: Windows 11 Pro");
    // Every point is chosen at first; unticking one leaves it out.
    // Found by its label: each point's box is its own.
    const paris = (await within(dialog).findByLabelText("Paris (https://paris:8530)")) as HTMLInputElement;
    await waitFor(() => expect(paris.checked).toBe(true));
    // A click focuses the box, as a pointer does: Fluent's dialog hides itself from
    // assistive technology while focus is outside it.
    press(paris);
    expect(paris.checked).toBe(false);
    expect(calls("distribute_os_image")).toEqual([]);
    press(within(dialog).getByRole("button", { name: "Distribute" }));
    await waitFor(() => expect(calls("distribute_os_image")).toEqual([{ imageId: 4, distributionPointIds: [1] }]));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());

    // The page is hidden from assistive technology until the closed dialog gives focus back.
    press(await screen.findByRole("tab", { name: "Distribution" }));
    const tab = await screen.findByRole("tabpanel", { name: "Distribution" });
    expect(await within(tab).findByText("Branch")).toBeTruthy();
    expect(within(tab).getByText("Paris is unreachable")).toBeTruthy();
    expect(within(tab).getByText("Failed")).toBeTruthy();
    expect(calls("os_image_distribution_status")).toContainEqual({ imageId: 4 });
  });
});
