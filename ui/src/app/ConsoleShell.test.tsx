// The console frame: the navigation pane collapses to a rail of workspace icons and stays so
// after a reload; the page in view remembers its layout under its own node's id.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor } from "@testing-library/react";
import { answerCalls, press, renderPage, resetSite, sizeTheGrid } from "../test/site";

vi.mock("../api", async (importOriginal) => (await import("../test/site")).mockedApi(importOriginal, { subscribe: () => () => {} }));

const { ConsoleShell } = await import("./ConsoleShell");

sizeTheGrid();

beforeEach(() => {
  localStorage.clear();
  answerCalls({
    whoami: { siteName: "Test site", name: "tester", role: "Full Administrator", permissions: [], scope: null, commands: [] },
    list_updates: { total: 0, offset: 0, rows: [] },
    list_categories: [],
    list_saved_searches: [],
  });
});
afterEach(resetSite);

describe("ConsoleShell", () => {
  it("collapses the navigation pane to the workspace icons, and remembers it", async () => {
    const { unmount } = renderPage(<ConsoleShell />);
    expect(screen.getByRole("tree", { name: "Software Library" })).toBeTruthy();
    press(screen.getByRole("button", { name: "Collapse the navigation pane" }));
    expect(screen.queryByRole("tree")).toBeNull();
    // The workspaces stay reachable, by name.
    expect(screen.getByRole("tab", { name: "Monitoring" })).toBeTruthy();
    expect(localStorage.getItem("patchdeck.shell.navCollapsed")).toBe("true");

    unmount();
    renderPage(<ConsoleShell />);
    expect(screen.queryByRole("tree")).toBeNull();
    press(screen.getByRole("button", { name: "Expand the navigation pane" }));
    expect(screen.getByRole("tree", { name: "Software Library" })).toBeTruthy();
  });

  it("keeps the layout of the node in view under that node", async () => {
    renderPage(<ConsoleShell />);
    press(await screen.findByRole("button", { name: "Columns" }));
    press(await screen.findByRole("menuitemcheckbox", { name: "Bulletin ID" }));
    await waitFor(() => expect(localStorage.getItem("patchdeck.library.allUpdates.grid")).toContain("bulletinId"));
  });
});
