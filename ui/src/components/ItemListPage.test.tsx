// A list page's details pane over several selected rows says how many, in the page's own
// words, rather than showing one of them.
import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { renderPage, resetSite, sizeTheGrid } from "../test/site";
import { ItemListPage, type ListPageParts } from "./ItemListPage";
import { useListPage } from "./useListPage";

sizeTheGrid();
afterEach(resetSite);

interface Thing {
  name: string;
}

const read = () => Promise.resolve<Thing[]>([{ name: "alpha" }, { name: "beta" }, { name: "gamma" }]);

const parts: ListPageParts<Thing> = {
  texts: {
    title: "Things",
    commandsLabel: "Things commands",
    gridLabel: "Things",
    items: (n) => (n === 1 ? "1 thing" : `${n} things`),
    empty: "No things.",
    loadFailed: "Cannot load the things",
  },
  common: { loading: "Loading…", retry: "Retry", dismiss: "Dismiss" },
  columns: [{ id: "name", header: "Name", width: 200, render: (t) => t.name }],
  details: { texts: { label: "Details", nothingSelected: "Select a thing." }, height: "30%", tabs: [{ id: "s", label: "Summary", render: (t) => `About ${t.name}` }] },
};

function Page() {
  return <ItemListPage page={useListPage(read)} parts={parts} commands={[]} />;
}

const row = (n: number) => screen.getByRole("grid").querySelector(`[aria-rowindex="${n + 1}"]`) as HTMLElement;
const pane = () => screen.getByRole("tabpanel").textContent;

describe("ItemListPage details over a selection", () => {
  it("shows the one row selected, and how many when several are", async () => {
    renderPage(<Page />);
    await waitFor(() => expect(row(3).textContent).toBe("gamma"));
    expect(pane()).toBe("Select a thing.");
    fireEvent.click(row(2));
    expect(pane()).toBe("About beta");
    fireEvent.click(row(3), { shiftKey: true });
    expect(pane()).toBe("2 things selected");
    fireEvent.keyDown(screen.getByRole("grid"), { key: "a", ctrlKey: true });
    expect(pane()).toBe("3 things selected");
  });
});
