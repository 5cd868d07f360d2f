// Third-party Updates against a mocked site: the published updates and the storage used are
// shown; Storage Settings saves the quota; Edit opens the wizard on the update's own values;
// Delete asks first and sends the update's id; Import Certificate sends the chosen .pfx
// with its password and shows the site's refusal.
import { afterEach, describe, expect, it, vi } from "vitest";
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { answerCalls, calls, command, press, renderPage, resetSite, sizeTheGrid } from "../../test/site";
import { defaultSpec } from "./model";
import type { ThirdPartyUpdate } from "./types";

vi.mock("../../api", async (importOriginal) => (await import("../../test/site")).mockedApi(importOriginal));

const { ThirdPartyPage } = await import("./ThirdPartyPage");

sizeTheGrid();

const UPDATE: ThirdPartyUpdate = {
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
  spec: { ...defaultSpec(), files: { path: "/srv/viewer.msi", extraPaths: [] }, description: { ...defaultSpec().description, title: "Fabrikam Viewer 3.2.1" } },
};

function site() {
  answerCalls({
    list_third_party_updates: [UPDATE],
    get_publishing_storage: { settings: { storageQuotaMb: 20480 }, usedBytes: 5 * 1024 * 1024, freeBytes: 100 * 1024 * 1024 * 1024 },
    set_publishing_settings: (args: unknown) => args as object,
    delete_third_party_update: {},
    list_operating_systems: [],
  });
}

afterEach(resetSite);

describe("Third-party Updates", () => {
  it("lists the published updates with the storage used, and saves the quota", async () => {
    site();
    renderPage(<ThirdPartyPage />);
    await screen.findByText("Fabrikam Viewer 3.2.1");
    await waitFor(() => expect(screen.getByTestId("third-party-storage").textContent).toBe("Third-party storage: 5.0 MB of 20.0 GB used; 100 GB free on the site's disk"));
    press(command("storage"));
    const quota = await screen.findByRole("spinbutton", { name: /Storage quota/ });
    fireEvent.change(quota, { target: { value: "512" } });
    fireEvent.blur(quota);
    press(screen.getByRole("button", { name: "OK" }));
    await waitFor(() => expect(calls("set_publishing_settings")).toEqual([{ storageQuotaMb: 512 }]));
  });

  it("Edit opens the wizard on the update's values; Delete asks, then sends its id", async () => {
    site();
    renderPage(<ThirdPartyPage />);
    press(await screen.findByText("Fabrikam Viewer 3.2.1"));
    await waitFor(() => expect(command("edit").disabled).toBe(false));
    press(command("edit"));
    // The files the site holds are kept unless the administrator chooses others.
    const keep = (await screen.findByRole("checkbox", { name: /Keep the files of revision 2/ })) as HTMLInputElement;
    expect(keep.checked).toBe(true);
    press(keep);
    const installer = (await screen.findByRole("textbox", { name: /^Installer/ })) as HTMLInputElement;
    expect(installer.value).toBe("/srv/viewer.msi");
    expect(screen.getByText("Edit Third-party Update")).toBeTruthy();
    press(screen.getByRole("button", { name: "Cancel" }));
    press(command("delete"));
    press(await screen.findByRole("button", { name: "Yes" }));
    await waitFor(() => expect(calls("delete_third_party_update")).toEqual([{ updateId: "u-1" }]));
  });

  it("Import Certificate sends the .pfx and its password, and shows the site's refusal", async () => {
    site();
    answerCalls(
      { list_third_party_updates: [UPDATE], get_publishing_storage: { settings: { storageQuotaMb: 1 }, usedBytes: 0, freeBytes: null }, list_operating_systems: [] },
      { import_publishing_certificate: () => Promise.reject({ code: "Validation", message: "The password does not open contoso.pfx: type the password the .pfx was exported with." }) },
    );
    renderPage(<ThirdPartyPage />);
    await screen.findByText("Fabrikam Viewer 3.2.1");
    press(command("import-certificate"));
    const file = await screen.findByLabelText("Certificate file (.pfx)");
    fireEvent.change(file, { target: { files: [new File([new Uint8Array([48, 130, 1, 2])], "contoso.pfx")] } });
    fireEvent.change(screen.getByLabelText("Password"), { target: { value: "wrong" } });
    press(screen.getByRole("button", { name: "Import" }));
    await waitFor(() => expect(calls("import_publishing_certificate")).toEqual([{ fileName: "contoso.pfx", pfxBase64: "MIIBAg==", password: "wrong" }]));
    expect(await screen.findByText(/The password does not open contoso\.pfx/)).toBeTruthy();
  });
});
