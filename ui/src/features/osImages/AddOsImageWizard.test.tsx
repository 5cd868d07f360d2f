// The Add Operating System Image and Upgrade Package wizards against a mocked site: the site
// reads the source on Next and its refusal is shown under the path; Cancel adds nothing; the
// add is one call with the form, and Completion says what was added.
import { afterEach, describe, expect, it, vi } from "vitest";
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { ApiFailure } from "../../api/errors";
import { answerCalls, call, calls, press, renderPage, resetSite } from "../../test/site";
import type { OsImageDetails, OsImageInspection } from "./types";

vi.mock("../../api", async (importOriginal) => (await import("../../test/site")).mockedApi(importOriginal));

const { AddOsImageWizard } = await import("./AddOsImageWizard");

const index = { index: 1, name: "Windows 11 Pro", description: "", edition: "Professional", architecture: "x64", version: "10.0.22631.2861", languages: ["en-US"], defaultLanguage: "en-US", totalBytes: 391 };
const inspection: OsImageInspection = { wimPath: "/srv/install.wim", fileBytes: 4096, indexes: [index] };
const added = (name: string): OsImageDetails => ({
  image: {
    id: 4, kind: "Image", name, version: "", description: "", sourcePath: "/srv/install.wim", wimPath: "/srv/install.wim", fileBytes: 4096,
    indexCount: 1, osVersion: index.version, architectures: ["x64"], languages: ["en-US"], updateCount: 3, createdUtc: "", createdBy: "admin",
    scheduledUpdatesDate: null, scheduledUpdatesStatus: null,
  },
  indexes: [index],
  packages: [],
});
const damaged = "/srv/bad.wim is a damaged Windows image: Unexpectedly reached the end of the file.";

function site() {
  answerCalls({
    inspect_os_image: (args) =>
      (args as { path: string }).path === "/srv/bad.wim" ? Promise.reject(new ApiFailure({ code: "Validation", message: damaged })) : inspection,
    add_os_image: (args) => added((args as { name: string | null }).name ?? "Windows 11 Pro"),
    add_os_upgrade_package: () => ({ ...added("W11"), image: { ...added("W11").image, kind: "UpgradePackage" } }),
  });
}

const heading = () => document.getElementById("wizard-page-heading")?.textContent ?? "";
const button = (name: string) => screen.getByRole("button", { name });
const fill = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } });
const changes = () => call.mock.calls.filter(([n]) => String(n).startsWith("add_") || String(n).startsWith("delete_"));

afterEach(resetSite);

describe("Add Operating System Image wizard", () => {
  it("shows the site's refusal under the path, then adds the image read, named after its first index", async () => {
    site();
    const onClose = vi.fn();
    renderPage(<AddOsImageWizard kind="Image" existing={[]} onClose={onClose} />);
    press(button("Next >"));
    expect(await screen.findByText("Give the full path of the .wim file.")).toBeTruthy();
    fill("os-image-path", "/srv/bad.wim");
    press(button("Next >"));
    expect(await screen.findByText(damaged)).toBeTruthy();
    expect(heading()).toMatch("data source");
    fill("os-image-path", "/srv/install.wim");
    press(button("Next >"));
    await waitFor(() => expect(heading()).toMatch("Specify information"));
    expect((screen.getByTestId("os-image-name") as HTMLInputElement).placeholder).toBe("Windows 11 Pro");
    press(button("Next >"));
    await waitFor(() => expect(heading()).toMatch("Confirm the settings"));
    expect(screen.getByText("1: Windows 11 Pro (Professional, x64, 10.0.22631.2861)")).toBeTruthy();
    expect(changes()).toEqual([]);
    press(button("Next >"));
    expect((await screen.findByTestId("os-image-added")).textContent).toBe('The operating system image "Windows 11 Pro" was added: 1 image, 3 updates present.');
    expect(calls("add_os_image")).toEqual([{ path: "/srv/install.wim", name: null, version: null, description: null }]);
    press(button("Close"));
    expect(onClose).toHaveBeenCalledWith(expect.objectContaining({ image: expect.objectContaining({ id: 4 }) }));
  }, 20_000);

  it("Cancel adds nothing, even after the source was read", async () => {
    site();
    const onClose = vi.fn();
    renderPage(<AddOsImageWizard kind="Image" existing={[]} onClose={onClose} />);
    fill("os-image-path", "/srv/install.wim");
    press(button("Next >"));
    await waitFor(() => expect(heading()).toMatch("Specify information"));
    press(button("Cancel"));
    expect(onClose).toHaveBeenCalledWith();
    expect(calls("inspect_os_image")).toHaveLength(1);
    expect(changes()).toEqual([]);
  });

  it("refuses a name the list already holds on the General page", async () => {
    site();
    renderPage(<AddOsImageWizard kind="Image" existing={[added("Windows 11 Pro").image]} onClose={vi.fn()} />);
    fill("os-image-path", "/srv/install.wim");
    press(button("Next >"));
    await waitFor(() => expect(heading()).toMatch("Specify information"));
    press(button("Next >"));
    expect(await screen.findByText('"Windows 11 Pro" is already the name of another item here; give another name.')).toBeTruthy();
    expect(changes()).toEqual([]);
  });
});

describe("Add Operating System Upgrade Package wizard", () => {
  it("needs a name, then adds the folder with its version and comment", async () => {
    site();
    renderPage(<AddOsImageWizard kind="UpgradePackage" existing={[]} onClose={vi.fn()} />);
    fill("os-image-path", "/srv/media");
    press(button("Next >"));
    await waitFor(() => expect(heading()).toMatch("upgrade package"));
    await waitFor(() => expect(heading()).toMatch("Specify information"));
    press(button("Next >"));
    expect(await screen.findByText("Give a name of 1 to 200 characters.")).toBeTruthy();
    fill("os-image-name", "W11");
    press(button("Next >"));
    await waitFor(() => expect(heading()).toMatch("Confirm the settings"));
    press(button("Next >"));
    expect((await screen.findByTestId("os-image-added")).textContent).toMatch('upgrade package "W11" was added');
    expect(calls("inspect_os_image")).toEqual([{ kind: "UpgradePackage", path: "/srv/media" }]);
    expect(calls("add_os_upgrade_package")).toEqual([{ folder: "/srv/media", name: "W11", version: "", comment: "" }]);
  }, 20_000);
});
