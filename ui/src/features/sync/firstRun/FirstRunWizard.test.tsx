// The first-run wizard against a mocked site: the site's refusal of a page's field keeps the
// wizard on that page with the site's words; Connect saves and synchronizes the categories;
// the Products page wants a product; Cancel tells the site, so the wizard
// does not open by itself again.
import { afterEach, describe, expect, it, vi } from "vitest";
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { answerCalls, calls, press, renderPage, resetSite, siteDefaultSyncSettings } from "../../../test/site";

vi.mock("../../../api", async (importOriginal) => (await import("../../../test/site")).mockedApi(importOriginal));

const { FirstRunWizard } = await import("./FirstRunWizard");
const { describeSchedule } = await import("../schedule");

const SETTINGS = siteDefaultSyncSettings();
const SECURITY = "0fa1201d-4330-4fa8-8ae9-b877473b6441";
const DRIVERS = "ebfc1fc5-71a4-4f7b-9aca-3b9a503104a0";
const run = (state: string) => ({ runId: 1, state, error: null, progressDone: 1, progressTotal: 1, progressMessage: "" });
const PLAIN = "The upstream address uses plain HTTP, where update metadata can be altered on the way.";

const heading = () => document.getElementById("wizard-page-heading")?.textContent ?? "";
const button = (name: string) => screen.getByRole("button", { name });

afterEach(resetSite);

describe("first-run wizard", () => {
  it("stays on the page whose field the site refuses, then connects and wants a product", async () => {
    answerCalls({
      get_sync_settings: SETTINGS,
      validate_sync_settings: (s) => ((s as { allowPlainHttp: boolean }).allowPlainHttp ? [] : [{ field: "upstreamUrl", message: PLAIN }]),
      set_sync_settings: (s) => s,
      start_sync: run("Running"),
      get_sync_status: { running: null, history: [run("Succeeded")] },
      list_categories: [
        { categoryId: SECURITY, kind: "UpdateClassification", title: "Security Updates", synced: true, isNew: false },
        { categoryId: DRIVERS, kind: "UpdateClassification", title: "Drivers", synced: true, isNew: false },
      ],
      close_first_run: { openOnStart: false },
    });
    renderPage(<FirstRunWizard onClose={() => undefined} />);
    await waitFor(() => expect(heading()).toMatch("Choose where this site gets its updates"));
    press(screen.getByRole("radio", { name: "Parent site" }));
    fireEvent.change(await screen.findByRole("textbox", { name: /Upstream server address/ }), { target: { value: "http://parent:8470" } });
    press(button("Next >"));
    expect(await screen.findByText(PLAIN)).toBeTruthy();
    expect(heading()).toMatch("Choose where this site gets its updates");
    expect(calls("set_sync_settings")).toEqual([]);

    press(screen.getByRole("checkbox", { name: /Allow plain HTTP/ }));
    press(button("Next >"));
    await waitFor(() => expect(heading()).toMatch("Specify the proxy server"));
    press(button("Next >"));
    await waitFor(() => expect(heading()).toMatch("Connect to the upstream"));
    expect((await screen.findByTestId("first-run-connected", {}, { timeout: 3000 })).textContent).toContain("2 classifications");
    expect(calls("set_sync_settings")[0]).toMatchObject({ source: "ParentSite", upstreamUrl: "http://parent:8470", allowPlainHttp: true });
    press(button("Next >"));
    await waitFor(() => expect(heading()).toMatch("Choose languages"));
    press(button("Next >"));
    await waitFor(() => expect(heading()).toMatch("Choose products"));
    // No product chosen: refused on this page.
    press(button("Next >"));
    expect(await screen.findByText(/Choose at least one product/)).toBeTruthy();
    expect(heading()).toMatch("Choose products");
  }, 30_000);

  it("Cancel tells the site the wizard was closed", async () => {
    answerCalls({ get_sync_settings: SETTINGS, close_first_run: { openOnStart: false } });
    const onClose = vi.fn();
    renderPage(<FirstRunWizard onClose={onClose} />);
    await waitFor(() => expect(heading()).toMatch("Choose where this site gets its updates"));
    press(button("Cancel"));
    expect(onClose).toHaveBeenCalledWith(undefined);
    expect(calls("close_first_run")).toHaveLength(1);
  });

  it("the Summary names the languages and the schedule it will save", async () => {
    const WINDOWS = "6964aab4-c5b5-43bd-a17d-ffb4346a8e1d";
    answerCalls({
      get_sync_settings: { ...SETTINGS, languages: ["en", "fr"] },
      validate_sync_settings: [],
      set_sync_settings: (s) => s,
      start_sync: run("Running"),
      get_sync_status: { running: null, history: [run("Succeeded")] },
      list_categories: [
        { categoryId: WINDOWS, kind: "Product", title: "Windows 11", synced: true, isNew: false },
        { categoryId: SECURITY, kind: "UpdateClassification", title: "Security Updates", synced: true, isNew: false },
      ],
    });
    renderPage(<FirstRunWizard onClose={() => undefined} />);
    await waitFor(() => expect(heading()).toMatch("Choose where this site gets its updates"));
    press(screen.getByRole("radio", { name: "Parent site" }));
    fireEvent.change(await screen.findByRole("textbox", { name: /Upstream server address/ }), { target: { value: "https://parent:8531" } });
    press(button("Next >"));
    await waitFor(() => expect(heading()).toMatch("Specify the proxy server"));
    press(button("Next >"));
    await screen.findByTestId("first-run-connected", {}, { timeout: 3000 });
    press(button("Next >"));
    await waitFor(() => expect(heading()).toMatch("Choose languages"));
    press(button("Next >"));
    await waitFor(() => expect(heading()).toMatch("Choose products"));
    press(await screen.findByRole("checkbox", { name: /Windows 11/ }));
    press(button("Summary"));
    await waitFor(() => expect(heading()).toMatch("Confirm the settings"));
    const line = (term: string) => screen.getByText(term, { selector: "dt" }).nextElementSibling?.textContent ?? "";
    expect(line("Languages")).toBe("English, French");
    expect(line("Schedule")).toContain(describeSchedule(SETTINGS.schedule));
  }, 30_000);
});
