// The Upload Update wizard against a mocked site: the first page has the site read the
// installer (its total size shown, the description prefilled from it); a Windows Installer
// file skips Detection Rules; a page the site refuses shows the refusal under its field and
// stays; Cancel publishes nothing; Publish sends every page's values in one call.
import { afterEach, describe, expect, it, vi } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { answerCalls, call, calls, press, renderPage, resetSite, type Answer } from "../../test/site";
import type { InstallerDetails, ThirdPartySpec, ThirdPartyUpdate } from "./types";

vi.mock("../../api", async (importOriginal) => (await import("../../test/site")).mockedApi(importOriginal));

const { UploadWizard } = await import("./UploadWizard");
const { defaultSpec } = await import("./model");

const DETAILS: InstallerDetails = {
  kind: "Package",
  productName: "Fabrikam Viewer",
  productVersion: "3.2.1.0",
  manufacturer: "Fabrikam SARL",
  productCode: "{0D1B2C3A-4E5F-4A6B-8C7D-9E0F1A2B3C4D}",
  upgradeCode: null,
  description: null,
  platform: "x86",
  languages: [1033],
  targets: [],
  files: [
    { name: "viewer.msi", size: 2048 },
    { name: "settings.ini", size: 1024 },
  ],
  totalSize: 3072,
};

const product = (categoryId: string, title: string) => ({
  categoryId,
  title,
  kind: "Product",
  parentId: null,
  synced: true,
  firstSeenUtc: null,
  isNew: false,
  updateCount: 3,
});

function site(overrides: Record<string, Answer> = {}) {
  answerCalls(
    {
      list_operating_systems: [product("os-11", "Windows 11")],
      // What the site holds beside Windows: never on the Requirements page.
      list_categories: [product("os-11", "Windows 11"), product("office-16", "Office 2016")],
      inspect_installer: DETAILS,
      validate_upload_page: [],
      publish_third_party_update: (spec: unknown) =>
        ({ updateId: "u-1", revision: 1, title: (spec as ThirdPartySpec).description.title }) as Partial<ThirdPartyUpdate>,
    },
    overrides,
  );
}

const heading = () => document.getElementById("wizard-page-heading")?.textContent ?? "";
const button = (name: string) => screen.getByRole("button", { name });
const textbox = (label: RegExp) => screen.getByRole("textbox", { name: label }) as HTMLInputElement;
const fill = (label: RegExp, value: string) => fireEvent.change(textbox(label), { target: { value } });
const next = () => press(button("Next >"));

afterEach(resetSite);

describe("Upload Update wizard", () => {
  it("reads the installer, prefills, skips detection for an MSI and publishes every page's values", async () => {
    site();
    const onClose = vi.fn();
    renderPage(<UploadWizard onClose={onClose} />);
    expect(screen.queryByText("Detection Rules")).toBeNull();
    fill(/^Installer/, "C:\\Installers\\viewer.msi");
    fireEvent.change(screen.getByRole("textbox", { name: /Extra files/ }), { target: { value: "C:\\Installers\\settings.ini" } });
    next();
    await waitFor(() => expect(heading()).toMatch("Describe the update"));
    expect(calls("inspect_installer")).toEqual([{ path: "C:\\Installers\\viewer.msi", extraPaths: ["C:\\Installers\\settings.ini"] }]);
    expect(textbox(/^Name/).value).toBe("Fabrikam Viewer 3.2.1.0");
    expect(textbox(/^Vendor/).value).toBe("Fabrikam SARL");
    // Requirements, then Prerequisites: no Detection Rules page for a Windows Installer file.
    next();
    await waitFor(() => expect(heading()).toMatch("computers the update is for"));
    next();
    await waitFor(() => expect(heading()).toMatch("what must be installed first"));
    expect(calls("validate_upload_page").map((a) => (a as { page: string }).page)).toEqual(["Description", "Requirements"]);
    next();
    await waitFor(() => expect(heading()).toMatch("command-line arguments"));
    next();
    await waitFor(() => expect(heading()).toMatch("return codes"));
    next();
    await waitFor(() => expect(heading()).toMatch("Confirm the settings"));
    expect(screen.getByText("2 files, 3.0 KB in all")).toBeTruthy();
    expect(calls("publish_third_party_update")).toHaveLength(0);
    press(button("Publish"));
    await waitFor(() => expect(calls("publish_third_party_update")).toHaveLength(1));
    const sent = calls("publish_third_party_update")[0] as ThirdPartySpec;
    expect(sent.files).toEqual({ path: "C:\\Installers\\viewer.msi", extraPaths: ["C:\\Installers\\settings.ini"] });
    expect(sent.description.product).toBe("Fabrikam Viewer");
    expect(sent.returnCodes.map((c) => c.code)).toEqual([0, 3010]);
    await waitFor(() => expect(heading()).toMatch("The update is published"));
    press(button("Close"));
    expect(onClose).toHaveBeenCalledWith(expect.objectContaining({ updateId: "u-1" }));
  });

  it("shows the site's refusal under its field and stays on the page", async () => {
    site({
      validate_upload_page: (args: unknown) =>
        (args as { page: string }).page === "Description" ? [{ field: "description.title", message: "The update's name is required." }] : [],
    });
    renderPage(<UploadWizard onClose={vi.fn()} />);
    fill(/^Installer/, "C:\\Installers\\viewer.msi");
    next();
    await waitFor(() => expect(heading()).toMatch("Describe the update"));
    fill(/^Name/, "");
    next();
    await waitFor(() => expect(screen.getByText("The update's name is required.")).toBeTruthy());
    expect(heading()).toMatch("Describe the update");
  });

  it("an installer the site cannot read stops the first page; Cancel publishes nothing", async () => {
    site({ inspect_installer: () => Promise.reject({ code: "Validation", message: "fake.msi is not a Windows Installer package (.msi)" }) });
    const onClose = vi.fn();
    renderPage(<UploadWizard onClose={onClose} />);
    fill(/^Installer/, "C:\\fake.msi");
    next();
    await waitFor(() => expect(screen.getByText(/fake.msi is not a Windows Installer package/)).toBeTruthy());
    expect(heading()).toMatch("Choose the installer");
    press(button("Cancel"));
    expect(onClose).toHaveBeenCalledWith();
    expect(call.mock.calls.map(([n]) => n)).not.toContain("publish_third_party_update");
  });

  it("Requirements lists the site's Windows products only, and sends the one chosen", async () => {
    site();
    renderPage(<UploadWizard onClose={vi.fn()} />);
    fill(/^Installer/, "C:\\Installers\\viewer.msi");
    next();
    await waitFor(() => expect(heading()).toMatch("Describe the update"));
    next();
    await waitFor(() => expect(heading()).toMatch("computers the update is for"));
    const systems = screen.getByRole("group", { name: "Operating systems" });
    await waitFor(() => expect(within(systems).getAllByRole("checkbox")).toHaveLength(1));
    expect(within(systems).getByRole("checkbox", { name: "Windows 11" })).toBeTruthy();
    expect(screen.queryByText("Office 2016")).toBeNull();
    press(within(systems).getByRole("checkbox", { name: "Windows 11" }));
    next();
    await waitFor(() => expect(heading()).toMatch("what must be installed first"));
    const requirements = calls("validate_upload_page").find((a) => (a as { page: string }).page === "Requirements") as { spec: ThirdPartySpec };
    expect(requirements.spec.requirements.operatingSystems).toEqual(["os-11"]);
  });

  it("Edit keeps the files the site holds: no installer to choose or read, keepFiles sent", async () => {
    site({
      edit_third_party_update: (args: unknown) => ({ updateId: "u-1", revision: 3, title: (args as { spec: ThirdPartySpec }).spec.description.title }) as Partial<ThirdPartyUpdate>,
    });
    const editing: ThirdPartyUpdate = {
      updateId: "u-1",
      revision: 2,
      title: "Fabrikam Viewer 3.2.1",
      vendor: "Fabrikam SARL",
      product: "Fabrikam Viewer",
      classification: "Security Updates",
      installerKind: "Package",
      installerFile: "viewer.msi",
      size: 5 * 1024 * 1024,
      publishedUtc: "2026-12-03T09:00:00.000Z",
      publishedBy: "admin",
      assignments: 0,
      spec: { ...defaultSpec(), files: { path: "/srv/site/publishing/uploads/9/viewer.msi", extraPaths: [] }, description: { ...defaultSpec().description, title: "Fabrikam Viewer 3.2.1", vendor: "Fabrikam SARL", product: "Fabrikam Viewer" } },
    };
    renderPage(<UploadWizard editing={editing} onClose={vi.fn()} />);
    const keep = screen.getByRole("checkbox", { name: /Keep the files of revision 2 \(viewer\.msi/ }) as HTMLInputElement;
    expect(keep.checked).toBe(true);
    expect(screen.queryByRole("textbox", { name: /^Installer/ })).toBeNull();
    next();
    await waitFor(() => expect(heading()).toMatch("Describe the update"));
    fill(/^Name/, "Fabrikam Viewer 3.2.1 (quiet)");
    for (const page of ["computers the update is for", "what must be installed first", "command-line arguments", "return codes", "Confirm the settings"]) {
      next();
      await waitFor(() => expect(heading()).toMatch(page));
    }
    expect(screen.getByText("viewer.msi and what goes with it, as in revision 2")).toBeTruthy();
    press(button("Publish"));
    await waitFor(() => expect(calls("edit_third_party_update")).toHaveLength(1));
    const sent = calls("edit_third_party_update")[0] as { updateId: string; keepFiles: boolean; spec: ThirdPartySpec };
    expect(sent.keepFiles).toBe(true);
    expect(sent.spec.description.title).toBe("Fabrikam Viewer 3.2.1 (quiet)");
    expect(calls("inspect_installer")).toHaveLength(0);
  });

  it("an executable gets Detection Rules and is told to install silently", async () => {
    site({ inspect_installer: { ...DETAILS, kind: "Executable", productCode: null } });
    renderPage(<UploadWizard onClose={vi.fn()} />);
    fill(/^Installer/, "C:\\Installers\\setup.exe");
    expect(screen.getByText("Detection Rules")).toBeTruthy();
    next();
    await waitFor(() => expect(heading()).toMatch("Describe the update"));
    next();
    await waitFor(() => expect(heading()).toMatch("computers the update is for"));
    next();
    await waitFor(() => expect(heading()).toMatch("how a computer knows"));
    press(screen.getByRole("radio", { name: "A file exists" }));
    fill(/^File path/, "C:\\Program Files\\Fabrikam\\viewer.exe");
    next();
    await waitFor(() => expect(heading()).toMatch("what must be installed first"));
    const detection = calls("validate_upload_page").find((a) => (a as { page: string }).page === "Detection") as { spec: ThirdPartySpec };
    expect(detection.spec.detection).toMatchObject({ kind: "FileExists", path: "C:\\Program Files\\Fabrikam\\viewer.exe" });
    next();
    await waitFor(() => expect(heading()).toMatch("command-line arguments"));
    expect(textbox(/^Arguments/).value).toBe("/q");
  });
});
