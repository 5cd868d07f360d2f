// The Download Software Updates wizard against a mocked site: the source defaults to where
// the site synchronizes from; the Source Check page shows the site's check, and a refusal
// sends the wizard back to the field it names; Cancel starts nothing; Finish starts the
// download with the new package in the same call (no package made beforehand, so a refused
// start leaves none), follows the job and reports the files that failed with their error.
import { afterEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor } from "@testing-library/react";
import { answerCalls, call, calls, press, renderPage, resetSite, type Answer } from "../../test/site";
import type { DownloadJob, DownloadSourceCheck, StartDownloadArgs } from "./types";

vi.mock("../../api", async (importOriginal) => (await import("../../test/site")).mockedApi(importOriginal, { subscribe: () => () => undefined }));

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

const usable: DownloadSourceCheck = { ok: true, message: "The folder holds all 2 files to download.", issue: null, filesWanted: 2, filesHeld: 0, filesFound: 2 };
const unreachable = "Microsoft Update cannot be reached from this site (connection refused). Without Internet access, copy the files into a folder.";
const refused: DownloadSourceCheck = {
  ok: false,
  message: unreachable,
  issue: { field: "source", message: unreachable },
  filesWanted: 2,
  filesHeld: 0,
  filesFound: null,
};

function site(overrides: Record<string, Answer> = {}) {
  answerCalls(
    {
      list_packages: [],
      get_sync_settings: { source: "MicrosoftUpdate", upstreamUrl: "", languages: ["en"] },
      check_download_source: usable,
      start_download: { ...FINISHED, state: "Running", files: [] },
      get_download_job: FINISHED,
    },
    overrides,
  );
}

const heading = () => document.getElementById("wizard-page-heading")?.textContent ?? "";
const button = (name: string) => screen.getByRole("button", { name });
const radio = (name: string | RegExp) => screen.getByRole("radio", { name }) as HTMLInputElement;
const changes = () => call.mock.calls.filter(([n]) => ["create_package", "start_download"].includes(n as string));
const fill = async (label: RegExp, value: string) => {
  const { fireEvent } = await import("@testing-library/react");
  fireEvent.change(screen.getByRole("textbox", { name: label }), { target: { value } });
};

function open(onClose = vi.fn()) {
  renderPage(<DownloadWizard updateIds={["u1"]} onClose={onClose} />);
  return onClose;
}

/** From the first page, with a new package named December, to the Download Location page. */
async function toLocation() {
  await waitFor(() => expect(radio("Create a new deployment package").checked).toBe(true));
  await fill(/^Name/, "December");
  press(button("Next >"));
  await waitFor(() => expect(heading()).toMatch("where to download"));
}

afterEach(resetSite);

describe("Download Software Updates wizard", () => {
  it("starts the download with the new package in one call, and lists the failed file with its error", async () => {
    site();
    const onClose = open();
    // No package yet: a new one is proposed.
    await waitFor(() => expect(radio("Create a new deployment package").checked).toBe(true));
    press(button("Next >"));
    expect(await screen.findByText("Enter a name for the new package.")).toBeTruthy();
    await fill(/^Name/, "December");
    await fill(/Description/, "Patch Tuesday");
    press(button("Next >"));
    await waitFor(() => expect(heading()).toMatch("where to download"));
    press(radio(/A location on the network/));
    await fill(/Folder path/, "/srv/content");
    press(button("Next >"));
    await waitFor(() => expect(heading()).toMatch("Specify the languages"));
    press(button("Next >"));
    // The Source Check page: the site's answer, asked with the source and the updates.
    await waitFor(() => expect(heading()).toMatch("Check the download source"));
    expect((await screen.findByTestId("source-check")).textContent).toContain("The folder holds all 2 files to download.");
    expect(calls("check_download_source")[0]).toEqual({
      source: { kind: "LocalFolder", path: "/srv/content" },
      updateIds: ["u1"],
      updateGroupId: null,
      languages: ["en"],
    });
    press(button("Next >"));
    await waitFor(() => expect(heading()).toMatch("Confirm the settings"));
    expect(screen.getByText('New package "December"')).toBeTruthy();
    // Asked once for this form, though both the page and its Next wanted the answer.
    expect(calls("check_download_source")).toHaveLength(1);
    expect(changes()).toEqual([]);
    press(button("Next >"));
    await waitFor(() => expect(heading()).toMatch("completed with errors"), { timeout: 5000 });
    expect(changes().map(([n]) => n)).toEqual(["start_download"]);
    expect(calls("start_download")[0] as StartDownloadArgs).toEqual({
      packageId: null,
      newPackageName: "December",
      newPackageDescription: "Patch Tuesday",
      updateIds: ["u1"],
      updateGroupId: null,
      source: { kind: "LocalFolder", path: "/srv/content" },
      languages: ["en"],
    });
    expect(screen.getByText('1 file downloaded into "December".')).toBeTruthy();
    expect(screen.getByText("SHA-1 mismatch: expected b, got c")).toBeTruthy();
    press(button("Close"));
    expect(onClose).toHaveBeenCalledWith(expect.objectContaining({ id: 3 }));
  }, 20_000);

  it("defaults to Microsoft Update on a site that synchronizes from it, where there is no upstream server", async () => {
    site();
    open();
    await toLocation();
    expect(radio(/^Microsoft Update/).checked).toBe(true);
    expect(radio(/upstream update server/).disabled).toBe(true);
    expect(screen.getByText(/This site synchronizes from Microsoft Update/)).toBeTruthy();
  });

  it("defaults to the upstream server on a site that synchronizes from one", async () => {
    site({ get_sync_settings: { source: "UpstreamServer", upstreamUrl: "https://wsus.corp:8531", languages: ["en"] } });
    open();
    await toLocation();
    expect(radio(/upstream update server/).checked).toBe(true);
    expect(radio(/^Microsoft Update/).checked).toBe(false);
    expect(screen.getByText("This site synchronizes from https://wsus.corp:8531, so that server is the default.")).toBeTruthy();
  });

  it("a refused source is said on the Source Check page, and Next goes back to the field it names", async () => {
    site({ check_download_source: refused });
    open();
    await toLocation();
    press(button("Next >"));
    await waitFor(() => expect(heading()).toMatch("Specify the languages"));
    press(button("Next >"));
    await waitFor(() => expect(heading()).toMatch("Check the download source"));
    expect(await screen.findByText("The source cannot be used")).toBeTruthy();
    expect(screen.getByText(`Download software updates from: ${unreachable}`)).toBeTruthy();
    expect(screen.getByText('Change "Download software updates from" on the Download Location page, then check again.')).toBeTruthy();
    press(button("Next >"));
    await waitFor(() => expect(heading()).toMatch("where to download"));
    expect(screen.getByText(unreachable)).toBeTruthy();
    // Summary from here is refused the same way: the check stands between the pages and the Summary.
    press(button("Summary"));
    await waitFor(() => expect(screen.getByText(unreachable)).toBeTruthy());
    expect(heading()).toMatch("where to download");
    expect(changes()).toEqual([]);
  });

  it("a start the site refuses says so, and creates no package beforehand", async () => {
    site({ start_download: () => Promise.reject({ code: "Validation", message: "The download folder cannot be written." }) });
    open();
    await toLocation();
    press(button("Summary"));
    await waitFor(() => expect(heading()).toMatch("Confirm the settings"));
    press(button("Next >"));
    await waitFor(() => expect(heading()).toMatch("The download did not start"));
    expect(screen.getByText("The download folder cannot be written.")).toBeTruthy();
    expect(changes().map(([n]) => n)).toEqual(["start_download"]);
  });

  it("Cancel starts nothing", async () => {
    site();
    const onClose = open();
    await waitFor(() => expect(radio("Create a new deployment package").checked).toBe(true));
    await fill(/^Name/, "December");
    press(button("Summary"));
    await waitFor(() => expect(heading()).toMatch("Confirm the settings"));
    press(button("Cancel"));
    expect(onClose).toHaveBeenCalledWith();
    expect(changes()).toEqual([]);
  });
});
