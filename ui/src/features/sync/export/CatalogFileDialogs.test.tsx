// Export / Import Catalog against a mocked site: paths are checked before any call, the
// site's report is shown, a refusal is shown as written and keeps the dialog open.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";

const call = vi.fn();
// Which app the page runs in: "http" (a browser on `patchdeck serve`) or "tauri" (the desktop app).
let kind: "http" | "tauri" = "http";
vi.mock("../../../api", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../../api")>();
  return {
    ...actual,
    call: (name: string, args: unknown) => call(name, args),
    get transportKind() {
      return kind;
    },
  };
});
const pickSavePath = vi.fn();
const pickOpenPath = vi.fn();
vi.mock("../../../api/desktop", () => ({
  pickSavePath: (...a: unknown[]) => pickSavePath(...a),
  pickOpenPath: (...a: unknown[]) => pickOpenPath(...a),
}));

const { ApiFailure } = await import("../../../api");
const { ExportCatalogDialog, ImportCatalogDialog } = await import("./CatalogFileDialogs");

const wrap = (ui: React.ReactElement) => render(<FluentProvider theme={webLightTheme}>{ui}</FluentProvider>);
const pathBox = () => screen.getByRole("textbox", { name: /File path/ });
const press = (name: string) => fireEvent.click(screen.getByRole("button", { name }));

beforeEach(() => {
  kind = "http";
  call.mockReset();
  pickSavePath.mockReset();
  pickOpenPath.mockReset();
});
afterEach(cleanup);

describe("Export Catalog", () => {
  it("refuses a relative path without asking the site", () => {
    wrap(<ExportCatalogDialog onClose={vi.fn()} />);
    fireEvent.change(pathBox(), { target: { value: "catalog.tar.gz" } });
    press("Export");
    expect(screen.getByText(/'catalog.tar.gz' is a relative path/)).toBeTruthy();
    expect(call).not.toHaveBeenCalled();
  });

  it("exports with content when asked and shows the report", async () => {
    call.mockResolvedValue({ path: "/srv/x.tar.gz", revisions: 408, contentFiles: 2, contentBytes: 2048, fileBytes: 4096 });
    const onClose = vi.fn();
    wrap(<ExportCatalogDialog onClose={onClose} />);
    fireEvent.change(pathBox(), { target: { value: " /srv/x.tar.gz " } });
    fireEvent.click(screen.getByRole("checkbox", { name: /Include the content library/ }));
    press("Export");
    expect(await screen.findByText("408 update revisions exported to /srv/x.tar.gz.")).toBeTruthy();
    expect(screen.getByText("2 content files (2.0 KB) included.")).toBeTruthy();
    expect(call).toHaveBeenCalledWith("export_catalog", { path: "/srv/x.tar.gz", withContent: true });
    press("Close");
    expect(onClose).toHaveBeenCalled();
  });
});

describe("Import Catalog", () => {
  it("shows a refusal as written, stays open, then imports", async () => {
    const refusal = "/srv/x.tar.gz cannot be imported: it is damaged or cut short. Nothing was changed; export the catalog again.";
    call.mockRejectedValueOnce(new ApiFailure({ code: "Validation", message: refusal }));
    call.mockResolvedValueOnce({
      sourceSite: "hq",
      createdUtc: "2026-11-29T06:00:00.000Z",
      catalog: { newUpdates: 5, newRevisions: 6, unchanged: 0, categories: 2, errors: [] },
      contentStored: 3,
      contentAlreadyHeld: 0,
      contentBytesStored: 100,
    });
    const onDone = vi.fn();
    wrap(<ImportCatalogDialog onClose={vi.fn()} onDone={onDone} />);
    fireEvent.change(pathBox(), { target: { value: "/srv/x.tar.gz" } });
    press("Import");
    expect(await screen.findByText(refusal)).toBeTruthy();
    expect(onDone).not.toHaveBeenCalled();
    press("Import");
    expect(await screen.findByText("5 new updates, 6 new revisions, 0 already held.")).toBeTruthy();
    expect(screen.getByText("3 content files stored (100 bytes), 0 already held.")).toBeTruthy();
    expect(call).toHaveBeenLastCalledWith("import_catalog_export", { path: "/srv/x.tar.gz" });
    expect(onDone).toHaveBeenCalledTimes(1);
  });
});

describe("in a browser", () => {
  it("says the path is on the site's machine and offers no file dialog", () => {
    wrap(<ImportCatalogDialog onClose={vi.fn()} />);
    expect(screen.getByRole("textbox", { name: /File path on the machine that runs the site/ })).toBeTruthy();
    expect(screen.getByText(/not on this computer/)).toBeTruthy();
    expect(screen.queryByRole("button", { name: /Browse/ })).toBeNull();
  });
});

describe("in the desktop app", () => {
  it("exports to the file chosen in the Save dialog", async () => {
    kind = "tauri";
    pickSavePath.mockResolvedValue("/home/ana/hq.tar.gz");
    call.mockResolvedValue({ path: "/home/ana/hq.tar.gz", revisions: 3, contentFiles: 0, contentBytes: 0, fileBytes: 900 });
    wrap(<ExportCatalogDialog onClose={vi.fn()} />);
    expect(screen.getByText(/the file is on this computer/)).toBeTruthy();
    press("Browse...");
    await vi.waitFor(() => expect((pathBox() as HTMLInputElement).value).toBe("/home/ana/hq.tar.gz"));
    expect(pickSavePath).toHaveBeenCalledWith("Save the catalog export as", { name: "Catalog export", extensions: ["tar.gz", "tgz"] }, "catalog-export.tar.gz");
    press("Export");
    expect(await screen.findByText("3 update revisions exported to /home/ana/hq.tar.gz.")).toBeTruthy();
    expect(call).toHaveBeenCalledWith("export_catalog", { path: "/home/ana/hq.tar.gz", withContent: false });
  });

  it("keeps the typed path when the Open dialog is cancelled, and says when it cannot open", async () => {
    kind = "tauri";
    pickOpenPath.mockResolvedValueOnce(null).mockRejectedValueOnce(new Error("no display"));
    wrap(<ImportCatalogDialog onClose={vi.fn()} />);
    fireEvent.change(pathBox(), { target: { value: "/mnt/usb/hq.tar.gz" } });
    press("Browse...");
    await vi.waitFor(() => expect(pickOpenPath).toHaveBeenCalledTimes(1));
    expect((pathBox() as HTMLInputElement).value).toBe("/mnt/usb/hq.tar.gz");
    press("Browse...");
    expect(await screen.findByText("The file dialog did not open: no display. Type the full path instead.")).toBeTruthy();
    expect(call).not.toHaveBeenCalled();
  });
});
