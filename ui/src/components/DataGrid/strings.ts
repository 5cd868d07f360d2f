// The words of the grid's own chrome, the same on every node: its status bar, column picker,
// resize handles and row menu.
import { formatCount } from "../format";

export const gridStrings = {
  items: (n: number) => (n === 1 ? "1 item" : `${formatCount(n)} items`),
  selected: (n: number) => `${formatCount(n)} selected`,
  statusLabel: "Grid status",
  columns: "Columns",
  columnsHint: "Choose the columns this view shows",
  resetColumns: "Reset columns",
  resize: (column: string) => `Resize ${column}`,
  rowCommands: "Row commands",
};
