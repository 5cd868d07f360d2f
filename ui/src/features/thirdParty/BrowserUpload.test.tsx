// The browser's upload on the Update Files page against a mocked site: the files are
// declared first (a refusal there sends no byte and shows the site's message), then sent
// one by one with the bytes sent so far shown; the paths the site answers go to the wizard;
// a file that fails cancels the upload on the site.
import { afterEach, describe, expect, it, vi } from "vitest";
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { answerCalls, calls, press, renderPage, resetSite } from "../../test/site";

vi.mock("../../api", async (importOriginal) => (await import("../../test/site")).mockedApi(importOriginal));
const sent: { name: string; finish: () => void; fail: (e: unknown) => void; progress: (loaded: number) => void }[] = [];
vi.mock("../../api/upload", () => ({
  uploadFile: (_id: string, file: File, onProgress: (p: { loaded: number; total: number }) => void) =>
    new Promise<void>((resolve, reject) =>
      sent.push({ name: file.name, finish: resolve, fail: reject, progress: (loaded) => onProgress({ loaded, total: file.size }) }),
    ),
}));

const { BrowserUpload } = await import("./BrowserUpload");

const SESSION = { uploadId: "0123456789abcdef0123456789abcdef", paths: ["/site/publishing/uploads/0123/setup.exe", "/site/publishing/uploads/0123/app.ini"] };

function choose() {
  fireEvent.change(screen.getByLabelText("Installer to upload"), { target: { files: [new File([new Uint8Array(3000)], "setup.exe")] } });
  fireEvent.change(screen.getByLabelText("Files that go with it"), { target: { files: [new File([new Uint8Array(1000)], "app.ini")] } });
}

afterEach(() => {
  sent.length = 0;
  resetSite();
});

describe("Browser upload", () => {
  it("declares the files, sends each with its progress and hands the site's paths to the wizard", async () => {
    answerCalls({ begin_upload: SESSION });
    const onUploaded = vi.fn();
    renderPage(<BrowserUpload onUploaded={onUploaded} />);
    choose();
    press(screen.getByRole("button", { name: "Upload" }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(calls("begin_upload")).toEqual([{ purpose: "ThirdPartyUpdate", files: [{ name: "setup.exe", size: 3000 }, { name: "app.ini", size: 1000 }] }]);
    sent[0].progress(1500);
    await waitFor(() => expect(screen.getByText(/^Uploading: 1\.5 KB of 3\.9 KB$/)).toBeTruthy());
    sent[0].finish();
    await waitFor(() => expect(sent).toHaveLength(2));
    expect(sent[1].name).toBe("app.ini");
    sent[1].finish();
    await waitFor(() => expect(onUploaded).toHaveBeenCalledWith(SESSION.uploadId, SESSION.paths[0], [SESSION.paths[1]]));
    expect(screen.getByTestId("upload-done").textContent).toMatch(/^Uploaded 2 files/);
  });

  it("shows the site's refusal of the declared files and sends nothing", async () => {
    answerCalls({}, { begin_upload: () => Promise.reject({ code: "Validation", message: "The update needs 3.91 KB of third-party storage but only 1.00 KB is left" }) });
    const onUploaded = vi.fn();
    renderPage(<BrowserUpload onUploaded={onUploaded} />);
    choose();
    press(screen.getByRole("button", { name: "Upload" }));
    await waitFor(() => expect(screen.getByText(/only 1\.00 KB is left/)).toBeTruthy());
    expect(sent).toHaveLength(0);
    expect(onUploaded).not.toHaveBeenCalled();
  });

  it("cancels the upload on the site when a file fails", async () => {
    answerCalls({ begin_upload: SESSION, cancel_upload: {} });
    renderPage(<BrowserUpload onUploaded={vi.fn()} />);
    choose();
    press(screen.getByRole("button", { name: "Upload" }));
    await waitFor(() => expect(sent).toHaveLength(1));
    sent[0].fail({ code: "Unavailable", message: "setup.exe could not be sent: the connection to the site was lost." });
    await waitFor(() => expect(screen.getByText(/connection to the site was lost/)).toBeTruthy());
    expect(calls("cancel_upload")).toEqual([{ uploadId: SESSION.uploadId }]);
  });
});
