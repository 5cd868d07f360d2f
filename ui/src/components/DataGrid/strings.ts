// The words of the grid's own chrome, the same on every node: its status bar, column picker,
// resize handles and row menu.
import { formatCount } from "../format";

export const gridStrings = {
  // Worded unlike the heading's "12 items", which says the same count for another purpose.
  status: (items: number, selected: number) => `Items: ${formatCount(items)} · Selected: ${formatCount(selected)}`,
  statusLabel: "Grid status",
  /** What the details pane says over several rows, from the page's own count ("3 rules"). */
  several: (items: string) => `${items} selected`,
  columns: "Columns",
  columnsHint: "Choose the columns this view shows",
  resetColumns: "Reset columns",
  resize: (column: string) => `Resize ${column}`,
  rowCommands: "Row commands",
};
