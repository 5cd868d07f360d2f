export { DataGrid, type DataGridColumn, type DataGridProps } from "./DataGrid";
export { usePagedRows, type FetchPage, type Page, type PagedRows } from "./usePagedRows";
export {
  clampSelection,
  emptySelection,
  isSelected,
  selectedCount,
  selectedIndexes,
  singleSelected,
  type Selection,
} from "./selection";
export { type SortState } from "./sort";
export { gridStrings } from "./strings";
