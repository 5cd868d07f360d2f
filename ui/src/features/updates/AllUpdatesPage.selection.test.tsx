// All Software Updates over a selection: the details pane summarises several selected updates
// (all of them, fetched when not loaded, not the first one), and a row's right-click menu
// runs the bar's commands on the selection.
import { afterEach, describe, expect, it, vi } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { answerCalls, calls, press, renderPage, resetSite, sizeTheGrid, updateRow } from "../../test/site";

vi.mock("../../api", async (importOriginal) => (await import("../../test/site")).mockedApi(importOriginal, { subscribe: () => () => {} }));

const { AllUpdatesPage } = await import("./AllUpdatesPage");
const { strings } = await import("./strings");

sizeTheGrid();
afterEach(resetSite);

const TOTAL = 2500;

const update = (i: number) =>
  updateRow({
    updateId: `u${i}`,
    title: `Update ${i}`,
    classification: i % 5 === 0 ? "Security Updates" : "Updates",
    superseded: i % 10 === 0,
    deployed: i < 3,
  });

function site() {
  answerCalls({
    list_updates: (args) => {
      const { offset, limit } = args as { offset: number; limit: number };
      const rows = Array.from({ length: Math.max(0, Math.min(limit, TOTAL - offset)) }, (_, j) => update(offset + j));
      return { total: TOTAL, offset, rows };
    },
    list_categories: [],
    list_saved_searches: [],
    get_update_details: null,
  });
}

/** The page over the site above, once its first rows show. */
async function openPage() {
  site();
  renderPage(<AllUpdatesPage />);
  await waitFor(() => expect(row(3).textContent).toContain("Update 2"));
}

const row = (n: number) => screen.getByRole("grid").querySelector(`[aria-rowindex="${n + 1}"]`) as HTMLElement;
const pane = () => screen.getByRole("region", { name: "Details" });
const counts = (label: string) =>
  Object.fromEntries(
    [...pane().querySelectorAll(`dl[aria-label="${label}"] > div`)].map((d) => [d.querySelector("dt")?.textContent, d.querySelector("dd")?.textContent]),
  );

describe("All Software Updates selection", () => {
  it("summarises a Ctrl+A selection over every selected update, fetching those not loaded", async () => {
    await openPage();
    fireEvent.click(row(1));
    fireEvent.keyDown(screen.getByRole("grid"), { key: "a", ctrlKey: true });
    expect(screen.getByTestId("grid-status").textContent).toBe("Items: 2,500 · Selected: 2,500");
    expect(within(pane()).getByRole("heading").textContent).toBe("2,500 updates selected");
    await waitFor(() => expect(counts("By classification")).toEqual({ "Security Updates": "500", Updates: "2,000" }));
    expect(counts("By state")).toMatchObject({ Deployed: "3", "Not deployed": "2,497", Superseded: "250" });
    // The rows past the first page came from the site, with the grid's query.
    const fetched = (calls("list_updates") as { offset: number; limit: number }[]).filter((q) => q.limit === 1000).map((q) => q.offset);
    expect(fetched.length).toBeGreaterThan(0);
    expect(Math.max(...fetched)).toBeGreaterThan(1000);
  });

  it("shows one update's summary again when one row is selected", async () => {
    await openPage();
    fireEvent.click(row(1));
    fireEvent.click(row(3), { shiftKey: true });
    expect(within(pane()).getByRole("heading").textContent).toBe("3 updates selected");
    fireEvent.click(row(2));
    expect(within(pane()).getByRole("heading").textContent).toBe("Update 1");
  });

  it("runs Decline from a row's right-click menu on the selection", async () => {
    await openPage();
    fireEvent.click(row(2));
    fireEvent.click(row(3), { ctrlKey: true });
    fireEvent.contextMenu(row(3));
    const menu = await screen.findByRole("menu", { name: "Row commands" });
    press(within(menu).getByRole("menuitem", { name: "Decline" }));
    const dialog = await screen.findByRole("dialog", { name: "Decline Software Updates" });
    expect(dialog.textContent).toContain(strings.library.declineConfirm(2));
  });
});
