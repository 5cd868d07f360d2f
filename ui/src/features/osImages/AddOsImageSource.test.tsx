// The Data Source page of the Add wizards in each app, against a mocked site. In a browser:
// a .wim chosen on this computer is declared with its size, sent with its progress, and the
// wizard goes on from the path the site stored it at to Completion; Cancel (or a second file)
// removes an upload on the site. In the desktop app: Browse… opens the OS picker (a .wim / .esd
// file for an image, a folder for an upgrade package) and no upload is offered.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { answerCalls, calls, press, renderPage, resetSite } from "../../test/site";
import type { OsImageDetails, OsImageInspection } from "./types";

let app: "http" | "tauri" = "http";
vi.mock("../../api", async (importOriginal) =>
  Object.defineProperty(await (await import("../../test/site")).mockedApi(importOriginal), "transportKind", { get: () => app }),
);
const sent: { id: string; name: string; finish: () => void; progress: (loaded: number) => void }[] = [];
vi.mock("../../api/upload", () => ({
  uploadFile: (id: string, file: File, onProgress: (p: { loaded: number; total: number }) => void, signal?: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      // As the real request does: an abort rejects it.
      signal?.addEventListener("abort", () => reject({ code: "Validation", message: `The upload of ${file.name} was cancelled.` }));
      sent.push({ id, name: file.name, finish: resolve, progress: (loaded) => onProgress({ loaded, total: file.size }) });
    }),
}));
const pickOpenPath = vi.fn();
const pickFolderPath = vi.fn();
vi.mock("../../api/desktop", () => ({
  pickOpenPath: (...a: unknown[]) => pickOpenPath(...a),
  pickFolderPath: (...a: unknown[]) => pickFolderPath(...a),
}));

const { AddOsImageWizard } = await import("./AddOsImageWizard");

const UPLOADED = "/site/publishing/uploads/0123456789abcdef0123456789abcdef/install.wim";
const session = (n: number) => ({ uploadId: `${n}`.repeat(32), paths: [UPLOADED] });
const index = { index: 1, name: "Windows 11 Pro", description: "", edition: "Professional", architecture: "x64", version: "10.0.22631.2861", languages: ["en-US"], defaultLanguage: "en-US", totalBytes: 391 };
const inspection: OsImageInspection = { wimPath: UPLOADED, fileBytes: 4096, indexes: [index] };
const added: OsImageDetails = {
  image: {
    id: 4, kind: "Image", name: "Windows 11 Pro", version: "", description: "", sourcePath: "/site/os-images/1/install.wim", wimPath: "/site/os-images/1/install.wim",
    fileBytes: 4096, indexCount: 1, osVersion: index.version, architectures: ["x64"], languages: ["en-US"], updateCount: 0, createdUtc: "", createdBy: "admin",
    scheduledUpdatesDate: null, scheduledUpdatesStatus: null,
  },
  indexes: [index],
  packages: [],
};

const heading = () => document.getElementById("wizard-page-heading")?.textContent ?? "";
const button = (name: string) => screen.getByRole("button", { name });
const choose = (name: string, size: number) =>
  fireEvent.change(screen.getByLabelText("Image file to upload"), { target: { files: [new File([new Uint8Array(size)], name)] } });

async function upload(n: number, name = "install.wim") {
  choose(name, 4096);
  press(button("Upload"));
  await waitFor(() => expect(sent).toHaveLength(n));
  sent[n - 1].finish();
  await waitFor(() => expect(screen.getByTestId("image-upload-done").textContent).toMatch(`Uploaded ${name}`));
}

beforeEach(() => {
  app = "http";
  let begun = 0;
  answerCalls({ begin_upload: () => session(++begun), cancel_upload: {}, inspect_os_image: inspection, add_os_image: added });
});
afterEach(() => {
  sent.length = 0;
  pickOpenPath.mockReset();
  pickFolderPath.mockReset();
  resetSite();
});

describe("Data Source in a browser", () => {
  it("uploads the chosen .wim with its progress and adds the image from the site's path", async () => {
    const onClose = vi.fn();
    renderPage(<AddOsImageWizard kind="Image" existing={[]} onClose={onClose} />);
    expect(screen.queryByRole("button", { name: "Browse…" })).toBeNull();
    choose("install.wim", 4096);
    press(button("Upload"));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(calls("begin_upload")).toEqual([{ purpose: "OsImage", files: [{ name: "install.wim", size: 4096 }] }]);
    sent[0].progress(1024);
    expect(await screen.findByText(/^Uploading: 1(\.0+)? KB of 4(\.0+)? KB$/)).toBeTruthy();
    sent[0].finish();
    await waitFor(() => expect((screen.getByTestId("os-image-path") as HTMLInputElement).value).toBe(UPLOADED));
    press(button("Next >"));
    await waitFor(() => expect(heading()).toMatch("Specify information"));
    expect(calls("inspect_os_image")).toEqual([{ kind: "Image", path: UPLOADED }]);
    press(button("Next >"));
    await waitFor(() => expect(heading()).toMatch("Confirm the settings"));
    press(button("Next >"));
    expect(await screen.findByTestId("os-image-added")).toBeTruthy();
    expect(calls("add_os_image")).toEqual([{ path: UPLOADED, name: null, version: null, description: null }]);
    press(button("Close"));
    expect(onClose).toHaveBeenCalledWith(added);
    // Added: the site moved the file, there is nothing to cancel.
    expect(calls("cancel_upload")).toEqual([]);
  });

  it("shows the site's refusal of the declared file and sends nothing", async () => {
    answerCalls({}, { begin_upload: () => Promise.reject({ code: "Validation", message: "The image huge.wim needs 9.00 GB of free disk space but the disk holding the site folder has 2.00 GB free." }) });
    renderPage(<AddOsImageWizard kind="Image" existing={[]} onClose={vi.fn()} />);
    choose("huge.wim", 10);
    press(button("Upload"));
    expect(await screen.findByText(/needs 9\.00 GB of free disk space but .* has 2\.00 GB free/)).toBeTruthy();
    expect(sent).toHaveLength(0);
    expect((screen.getByTestId("os-image-path") as HTMLInputElement).value).toBe("");
  });

  it("removes a replaced upload, and the last one on Cancel", async () => {
    const onClose = vi.fn();
    renderPage(<AddOsImageWizard kind="Image" existing={[]} onClose={onClose} />);
    await upload(1);
    await upload(2, "other.wim");
    expect(calls("cancel_upload")).toEqual([{ uploadId: session(1).uploadId }]);
    press(button("Cancel"));
    await waitFor(() => expect(onClose).toHaveBeenCalledWith());
    expect(calls("cancel_upload")).toEqual([{ uploadId: session(1).uploadId }, { uploadId: session(2).uploadId }]);
    expect(calls("add_os_image")).toEqual([]);
  });

  it("Cancel while the file is being sent stops it and removes the upload on the site", async () => {
    const onClose = vi.fn();
    renderPage(<AddOsImageWizard kind="Image" existing={[]} onClose={onClose} />);
    choose("install.wim", 4096);
    press(button("Upload"));
    await waitFor(() => expect(sent).toHaveLength(1));
    sent[0].progress(100);
    press(button("Cancel"));
    await waitFor(() => expect(calls("cancel_upload")).toEqual([{ uploadId: session(1).uploadId }]));
    expect(onClose).toHaveBeenCalledWith();
    expect(calls("inspect_os_image")).toEqual([]);
  });

  it("offers no upload for an upgrade package (a folder)", () => {
    renderPage(<AddOsImageWizard kind="UpgradePackage" existing={[]} onClose={vi.fn()} />);
    expect(screen.queryByTestId("image-upload")).toBeNull();
  });
});

describe("Data Source in the desktop app", () => {
  beforeEach(() => {
    app = "tauri";
  });

  it("Browse… picks a .wim or .esd file for an image; Cancel in the picker keeps the path", async () => {
    pickOpenPath.mockResolvedValueOnce("C:\\Images\\install.wim").mockResolvedValueOnce(null);
    renderPage(<AddOsImageWizard kind="Image" existing={[]} onClose={vi.fn()} />);
    expect(screen.queryByTestId("image-upload")).toBeNull();
    press(button("Browse…"));
    await waitFor(() => expect((screen.getByTestId("os-image-path") as HTMLInputElement).value).toBe("C:\\Images\\install.wim"));
    expect(pickOpenPath).toHaveBeenCalledWith("Choose the operating system image", { name: "Windows image", extensions: ["wim", "esd"] });
    press(button("Browse…"));
    await waitFor(() => expect(pickOpenPath).toHaveBeenCalledTimes(2));
    expect((screen.getByTestId("os-image-path") as HTMLInputElement).value).toBe("C:\\Images\\install.wim");
    expect(pickFolderPath).not.toHaveBeenCalled();
  });

  it("Browse… picks a folder for an upgrade package, and says when the picker fails", async () => {
    pickFolderPath.mockResolvedValueOnce("D:\\Setup\\W11").mockRejectedValueOnce(new Error("no display"));
    renderPage(<AddOsImageWizard kind="UpgradePackage" existing={[]} onClose={vi.fn()} />);
    press(button("Browse…"));
    await waitFor(() => expect((screen.getByTestId("os-image-path") as HTMLInputElement).value).toBe("D:\\Setup\\W11"));
    expect(pickFolderPath).toHaveBeenCalledWith("Choose the folder of the Windows setup files");
    press(button("Browse…"));
    expect(await screen.findByText("The file picker could not open: no display")).toBeTruthy();
    expect(pickOpenPath).not.toHaveBeenCalled();
  });
});
