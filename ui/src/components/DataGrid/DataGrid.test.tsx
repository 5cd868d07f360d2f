// The grid's chrome: the status bar's counts, columns picked and resized and remembered under
// the node (and only for a node's own grid), the row menu running the node's commands.
import { useState } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { NodeIdContext } from "../../app/navigate";
import { press, renderPage, resetSite, sizeTheGrid } from "../../test/site";
import type { Command } from "../CommandBar/CommandBar";
import { DataGrid, type DataGridColumn } from "./DataGrid";
import { emptySelection, type Selection } from "./selection";

sizeTheGrid();

interface Row {
  name: string;
  kind: string;
  size: number;
}

const columns: DataGridColumn<Row>[] = [
  { id: "name", header: "Name", width: 200, render: (r) => r.name },
  { id: "kind", header: "Kind", width: 120, render: (r) => r.kind },
  { id: "size", header: "Size", width: 80, render: (r) => String(r.size) },
];
const rows: Row[] = Array.from({ length: 5 }, (_, i) => ({ name: `row ${i + 1}`, kind: i % 2 ? "odd" : "even", size: i }));

function Grid(props: { main?: boolean; commands?: readonly Command[]; onSelection?(s: Selection): void }) {
  const [selection, setSelection] = useState<Selection>(emptySelection);
  return (
    <DataGrid<Row>
      ariaLabel="Things"
      columns={columns}
      rowCount={rows.length}
      getRow={(i) => rows[i]}
      selection={selection}
      onSelectionChange={(s) => {
        setSelection(s);
        props.onSelection?.(s);
      }}
      main={props.main}
      commands={props.commands}
    />
  );
}

const inNode = (page: React.ReactNode) => renderPage(<NodeIdContext.Provider value="test.node">{page}</NodeIdContext.Provider>);
const headers = () => screen.getAllByRole("columnheader").map((h) => h.getAttribute("aria-label"));
const row = (n: number) => screen.getByRole("grid").querySelector(`[aria-rowindex="${n + 1}"]`) as HTMLElement;
const stored = () => JSON.parse(localStorage.getItem("patchdeck.test.node.grid") ?? "null");

beforeEach(() => localStorage.clear());
afterEach(resetSite);

describe("DataGrid status bar", () => {
  it("counts the rows and the selected rows, Ctrl+A included", () => {
    inNode(<Grid main />);
    const status = screen.getByTestId("grid-status");
    expect(status.textContent).toBe("Items: 5 · Selected: 0");
    fireEvent.click(row(2));
    expect(status.textContent).toBe("Items: 5 · Selected: 1");
    fireEvent.click(row(4), { shiftKey: true });
    expect(status.textContent).toBe("Items: 5 · Selected: 3");
    fireEvent.keyDown(screen.getByRole("grid"), { key: "a", ctrlKey: true });
    expect(status.textContent).toBe("Items: 5 · Selected: 5");
  });

  it("is left out of a grid that is not the node's own (a dialog's)", () => {
    inNode(<Grid />);
    expect(screen.queryByTestId("grid-status")).toBeNull();
  });
});

describe("DataGrid columns", () => {
  it("hides a column picked off in the Columns menu, remembered for the node, until Reset columns", async () => {
    const { unmount } = inNode(<Grid main />);
    press(screen.getByRole("button", { name: "Columns" }));
    // The first column names the row: it cannot be picked off.
    expect(screen.getByRole("menuitemcheckbox", { name: "Name" }).getAttribute("aria-disabled")).toBe("true");
    press(screen.getByRole("menuitemcheckbox", { name: "Kind" }));
    await waitFor(() => expect(headers()).toEqual(["Name", "Size"]));
    expect(stored()).toEqual({ widths: {}, hidden: ["kind"] });

    unmount();
    inNode(<Grid main />);
    expect(headers()).toEqual(["Name", "Size"]);
    expect(within(row(1)).getAllByRole("gridcell").map((c) => c.textContent)).toEqual(["row 1", "0"]);

    fireEvent.contextMenu(screen.getAllByRole("columnheader")[0]);
    press(await screen.findByRole("menuitem", { name: "Reset columns" }));
    await waitFor(() => expect(headers()).toEqual(["Name", "Kind", "Size"]));
    expect(stored()).toEqual({ widths: {}, hidden: [] });
  });

  it("resizes a column from its header's edge, remembered for the node", () => {
    const { unmount } = inNode(<Grid main />);
    const handle = screen.getByRole("separator", { name: "Resize Kind" });
    fireEvent.keyDown(handle, { key: "ArrowRight" });
    fireEvent.keyDown(handle, { key: "ArrowRight" });
    expect(screen.getAllByRole("columnheader")[1].style.width).toBe("152px");
    fireEvent.keyDown(handle, { key: "ArrowLeft" });
    expect(stored()).toEqual({ widths: { kind: 136 }, hidden: [] });
    // The rows follow their header.
    expect(within(row(1)).getAllByRole("gridcell")[1].style.width).toBe("136px");

    unmount();
    inNode(<Grid main />);
    expect(screen.getAllByRole("columnheader")[1].style.width).toBe("136px");
  });

  it("never narrows a column below the least width, and falls back from a stored layout it cannot read", () => {
    localStorage.setItem("patchdeck.test.node.grid", JSON.stringify({ widths: { kind: "wide" } }));
    inNode(<Grid main />);
    expect(headers()).toEqual(["Name", "Kind", "Size"]);
    const handle = screen.getByRole("separator", { name: "Resize Size" });
    for (let i = 0; i < 10; i++) fireEvent.keyDown(handle, { key: "ArrowLeft" });
    expect(screen.getAllByRole("columnheader")[2].style.width).toBe("40px");
  });

  it("remembers nothing for a grid that is not the node's own", () => {
    inNode(<Grid />);
    fireEvent.keyDown(screen.getByRole("separator", { name: "Resize Kind" }), { key: "ArrowRight" });
    expect(screen.getAllByRole("columnheader")[1].style.width).toBe("136px");
    expect(localStorage.length).toBe(0);
  });
});

describe("DataGrid row menu", () => {
  const commands = (approve: () => void, refresh: () => void): Command[] => [
    { id: "refresh", label: "Refresh", group: "view", run: refresh },
    { id: "approve", label: "Approve", group: "library", run: approve },
    { id: "decline", label: "Decline", group: "library", disabled: true, run: approve },
  ];

  it("selects the row right-clicked outside the selection and runs the command picked", async () => {
    const approve = vi.fn();
    const onSelection = vi.fn();
    inNode(<Grid main commands={commands(approve, vi.fn())} onSelection={onSelection} />);
    fireEvent.click(row(1));
    fireEvent.contextMenu(row(3));
    expect(onSelection.mock.calls.at(-1)?.[0]).toMatchObject({ ranges: [[2, 2]] });
    const menu = await screen.findByRole("menu", { name: "Row commands" });
    expect(within(menu).getAllByRole("menuitem").map((m) => m.textContent)).toEqual(["Refresh", "Approve", "Decline"]);
    // A disabled command is shown, as on the bar, and does nothing.
    press(within(menu).getByRole("menuitem", { name: "Decline" }));
    expect(approve).not.toHaveBeenCalled();
    press(within(menu).getByRole("menuitem", { name: "Approve" }));
    expect(approve).toHaveBeenCalledTimes(1);
  });

  it("keeps a selection the right-clicked row is in, and opens from the keyboard too", async () => {
    const onSelection = vi.fn();
    inNode(<Grid main commands={commands(vi.fn(), vi.fn())} onSelection={onSelection} />);
    fireEvent.click(row(1));
    fireEvent.click(row(3), { shiftKey: true });
    onSelection.mockClear();
    fireEvent.contextMenu(row(2));
    await screen.findByRole("menu", { name: "Row commands" });
    expect(onSelection).not.toHaveBeenCalled();
    fireEvent.keyDown(screen.getByRole("menu"), { key: "Escape" });
    await waitFor(() => expect(screen.queryByRole("menu")).toBeNull());
    fireEvent.keyDown(screen.getByRole("grid"), { key: "F10", shiftKey: true });
    expect(await screen.findByRole("menu", { name: "Row commands" })).toBeTruthy();
  });

  it("is not offered where the page gives no commands", () => {
    inNode(<Grid main />);
    const event = fireEvent.contextMenu(row(1));
    // The browser's own menu stays.
    expect(event).toBe(true);
    expect(screen.queryByRole("menu")).toBeNull();
  });
});
