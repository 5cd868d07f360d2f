// The Download Software Updates wizard against a mocked site: Cancel starts nothing; Finish
// creates the new package with its description, starts the download into it, follows the
// job and reports the files that failed with their error.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import type { DownloadJob, StartDownloadArgs } from "./types";

const call = vi.fn();
vi.mock("../../api", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../api")>();
  return { ...actual, call: (name: string, args: unknown) => call(name, args), subscribe: () => () => undefined };
});

const { DownloadWizard } = await import("./DownloadWizard");

const FINISHED: DownloadJob = {
  id: 3,
  packageId: 8,
  packageName: "December",
  source: { kind: "LocalFolder", path: "/srv/content" },
  languages: ["en"],
  state: "Failed",
  actor: "admin",
  createdUtc: "",
  finishedUtc: "",
  error: "1 of 2 files failed; each file's error says why.",
  filesTotal: 2,
  filesDownloaded: 1,
  filesFailed: 1,
  bytesDone: 10,
  bytesTotal: 20,
  files: [
    { sha1: "a", fileName: "kb1.msu", updateId: "u1", updateTitle: "KB1", size: 10, bytesDone: 10, state: "Downloaded", error: null },
    { sha1: "b", fileName: "kb1.cab", updateId: "u1", updateTitle: "KB1", size: 10, bytesDone: 0, state: "Failed", error: "SHA-1 mismatch: expected b, got c" },
  ],
};

function site() {
  call.mockImplementation((name: string, args: unknown) => {
    switch (name) {
      case "list_packages":
        return Promise.resolve([]);
      case "get_sync_settings":
        return Promise.resolve({ languages: ["en"] });
      case "create_package":
        return Promise.resolve({ id: 8, name: (args as { name: string }).name, description: "", fileCount: 0, totalBytes: 0, downloadedCount: 0, createdUtc: "", distribution: { installed: 0, inProgress: 0, pending: 0, failed: 0 } });
      case "start_download":
        return Promise.resolve({ ...FINISHED, state: "Running", files: [] });
      case "get_download_job":
        return Promise.resolve(FINISHED);
      default:
        return Promise.reject(new Error(`unexpected ${name}`));
    }
  });
}

const heading = () => document.getElementById("wizard-page-heading")?.textContent ?? "";
const button = (name: string) => screen.getByRole("button", { name });
const changes = () => call.mock.calls.filter(([n]) => ["create_package", "start_download"].includes(n as string));

function open(onClose = vi.fn()) {
  render(
    <FluentProvider theme={webLightTheme}>
      <DownloadWizard updateIds={["u1"]} onClose={onClose} />
    </FluentProvider>,
  );
  return onClose;
}

beforeEach(() => {
  call.mockReset();
});
afterEach(cleanup);

describe("Download Software Updates wizard", () => {
  it("creates the new package, downloads into it and lists the failed file with its error", async () => {
    site();
    const onClose = open();
    // No package yet: a new one is proposed.
    await waitFor(() => expect((screen.getByRole("radio", { name: "Create a new deployment package" }) as HTMLInputElement).checked).toBe(true));
    fireEvent.click(button("Next >"));
    expect(await screen.findByText("Enter a name for the new package.")).toBeTruthy();
    fireEvent.change(screen.getByRole("textbox", { name: /^Name/ }), { target: { value: "December" } });
    fireEvent.change(screen.getByRole("textbox", { name: /Description/ }), { target: { value: "Patch Tuesday" } });
    fireEvent.click(button("Next >"));
    await waitFor(() => expect(heading()).toMatch("where to download"));
    fireEvent.click(screen.getByRole("radio", { name: /A location on the network/ }));
    fireEvent.change(screen.getByRole("textbox", { name: /Folder path/ }), { target: { value: "/srv/content" } });
    fireEvent.click(button("Summary"));
    await waitFor(() => expect(heading()).toMatch("Confirm the settings"));
    expect(screen.getByText('New package "December"')).toBeTruthy();
    expect(changes()).toEqual([]);
    fireEvent.click(button("Next >"));
    await waitFor(() => expect(heading()).toMatch("completed with errors"), { timeout: 5000 });
    const [create, start] = changes();
    expect(create[1]).toEqual({ name: "December", description: "Patch Tuesday" });
    expect(start[1] as StartDownloadArgs).toEqual({
      packageId: 8,
      newPackageName: null,
      updateIds: ["u1"],
      updateGroupId: null,
      source: { kind: "LocalFolder", path: "/srv/content" },
      languages: ["en"],
    });
    expect(screen.getByText('1 file downloaded into "December".')).toBeTruthy();
    expect(screen.getByText("SHA-1 mismatch: expected b, got c")).toBeTruthy();
    fireEvent.click(button("Close"));
    expect(onClose).toHaveBeenCalledWith(expect.objectContaining({ id: 3 }));
  }, 20_000);

  it("Cancel starts nothing", async () => {
    site();
    const onClose = open();
    fireEvent.change(await screen.findByRole("textbox", { name: /^Name/ }), { target: { value: "December" } });
    fireEvent.click(button("Summary"));
    await waitFor(() => expect(heading()).toMatch("Confirm the settings"));
    fireEvent.click(button("Cancel"));
    expect(onClose).toHaveBeenCalledWith();
    expect(changes()).toEqual([]);
  });
});
