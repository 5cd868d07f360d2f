// The one virtualized grid of the console (the only importer of the virtualizer).
// Rows are addressed by index; the owner supplies them (usually from usePagedRows), so the
// grid never needs the whole list: its height comes from `rowCount` alone. Around the rows:
// columns resized by dragging their header's edge and picked from a menu (remembered under
// `layoutKey`), the node's commands on a right-click, and a status bar with the counts.
import { useVirtualizer } from "@tanstack/react-virtual";
import { Button, Menu, MenuPopover, MenuTrigger, makeStyles, mergeClasses, tokens, Text } from "@fluentui/react-components";
import { ArrowSortDownFilled, ArrowSortUpFilled, ColumnTripleEditRegular } from "@fluentui/react-icons";
import { useEffect, useId, useRef, useState, type KeyboardEvent, type MouseEvent, type ReactNode } from "react";
import { useLayoutKey } from "../../app/navigate";
import type { Command } from "../CommandBar/CommandBar";
import { dragHandleStyle, useDragHandle } from "../useDragHandle";
import { useStoredState } from "../useStoredState";
import { clampWidth, defaultLayout, isColumnLayout, resizeColumn, visibleColumns, MAX_COLUMN_WIDTH, MIN_COLUMN_WIDTH } from "./columnLayout";
import { ColumnMenuList, CommandMenuList, PointMenu, type Point } from "./menus";
import {
  clickRow,
  isSelected,
  moveFocus,
  selectAll,
  selectedCount,
  toggleFocused,
  type Selection,
} from "./selection";
import { ariaSort, nextSort, type SortState } from "./sort";
import { gridStrings } from "./strings";

export interface DataGridColumn<T> {
  id: string;
  header: string;
  /** Width in CSS pixels. */
  width: number;
  sortable?: boolean;
  align?: "start" | "end";
  render(row: T): ReactNode;
  /** Tooltip text of a cell, when its content may be cut. */
  title?(row: T): string | undefined;
}

export interface DataGridProps<T> {
  ariaLabel: string;
  columns: readonly DataGridColumn<T>[];
  rowCount: number;
  /** The row at `index`, or undefined while it is loading. */
  getRow(index: number): T | undefined;
  /** Called with the (overscanned) range of rows rendered. */
  onRangeChange?(first: number, last: number): void;
  sort?: SortState | null;
  onSortChange?(sort: SortState | null): void;
  selection: Selection;
  onSelectionChange(selection: Selection): void;
  /** Enter or double-click on a row. */
  onActivate?(index: number): void;
  /** When this changes the grid scrolls back to the top (a new query). */
  resetKey?: string;
  /** Shown in place of rows when `rowCount` is 0. */
  emptyText?: string;
  loadingText?: string;
  /** Changes when rows arrive, to re-render memoised rows. */
  version?: number;
  rowHeight?: number;
  /**
   * The node's own grid (not one inside a dialog): it remembers its column widths and picks
   * under the node, and shows a status bar (how many rows, how many selected, the column picker).
   */
  main?: boolean;
  /** The node's commands, offered on a right-click of a row (or the Menu key, Shift+F10). */
  commands?: readonly Command[];
}

/** Pixels a resize handle moves per arrow key. */
const RESIZE_STEP = 16;

const HEADER_HEIGHT = 32;

const useStyles = makeStyles({
  frame: { display: "flex", flexDirection: "column", height: "100%", minHeight: 0 },
  root: {
    position: "relative",
    flexGrow: 1,
    overflow: "auto",
    height: "100%",
    minHeight: 0,
    outlineStyle: "none",
    backgroundColor: tokens.colorNeutralBackground1,
    ":focus-visible": {
      outlineStyle: "solid",
      outlineWidth: tokens.strokeWidthThick,
      outlineColor: tokens.colorStrokeFocus2,
      outlineOffset: `calc(${tokens.strokeWidthThick} * -1)`,
    },
  },
  header: {
    position: "sticky",
    top: 0,
    zIndex: 1,
    display: "flex",
    height: `${HEADER_HEIGHT}px`,
    backgroundColor: tokens.colorNeutralBackground3,
    borderBottomWidth: tokens.strokeWidthThin,
    borderBottomStyle: "solid",
    borderBottomColor: tokens.colorNeutralStroke2,
  },
  headerCell: {
    position: "relative",
    display: "flex",
    alignItems: "center",
    flexShrink: 0,
    boxSizing: "border-box",
    paddingLeft: tokens.spacingHorizontalS,
    paddingRight: tokens.spacingHorizontalS,
    borderRightWidth: tokens.strokeWidthThin,
    borderRightStyle: "solid",
    borderRightColor: tokens.colorNeutralStroke3,
    fontWeight: tokens.fontWeightSemibold,
    fontSize: tokens.fontSizeBase200,
    color: tokens.colorNeutralForeground2,
  },
  sortButton: {
    display: "flex",
    alignItems: "center",
    gap: tokens.spacingHorizontalXS,
    width: "100%",
    height: "100%",
    padding: 0,
    border: "none",
    background: "none",
    color: "inherit",
    font: "inherit",
    textAlign: "start",
    cursor: "pointer",
    ":hover": { color: tokens.colorNeutralForeground1 },
  },
  headerText: { overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap", flexGrow: 1 },
  body: { position: "relative" },
  row: {
    position: "absolute",
    top: 0,
    left: 0,
    display: "flex",
    boxSizing: "border-box",
    cursor: "default",
    userSelect: "none",
    borderBottomWidth: tokens.strokeWidthThin,
    borderBottomStyle: "solid",
    borderBottomColor: tokens.colorNeutralStroke3,
    color: tokens.colorNeutralForeground1,
    ":hover": { backgroundColor: tokens.colorSubtleBackgroundHover },
  },
  // A brand tint deep enough to tell from a hover, with a brand edge, so a selection reads at
  // a glance (a neutral grey, or the palest tint, does not).
  rowSelected: {
    backgroundColor: tokens.colorBrandBackground2Hover,
    boxShadow: `inset 3px 0 0 ${tokens.colorCompoundBrandStroke}`,
    ":hover": { backgroundColor: tokens.colorBrandBackground2Pressed },
  },
  resizer: { ...dragHandleStyle, top: 0, right: "-4px", zIndex: 1, width: "8px", height: "100%", cursor: "col-resize" },
  status: {
    display: "flex",
    alignItems: "center",
    justifyContent: "space-between",
    flexShrink: 0,
    gap: tokens.spacingHorizontalM,
    minHeight: "28px",
    paddingLeft: tokens.spacingHorizontalM,
    borderTopWidth: tokens.strokeWidthThin,
    borderTopStyle: "solid",
    borderTopColor: tokens.colorNeutralStroke2,
    backgroundColor: tokens.colorNeutralBackground2,
    fontSize: tokens.fontSizeBase200,
    color: tokens.colorNeutralForeground2,
  },
  rowFocused: {
    outlineStyle: "solid",
    outlineWidth: tokens.strokeWidthThin,
    outlineColor: tokens.colorStrokeFocus2,
    outlineOffset: `calc(${tokens.strokeWidthThin} * -1)`,
  },
  cell: {
    flexShrink: 0,
    boxSizing: "border-box",
    display: "flex",
    alignItems: "center",
    paddingLeft: tokens.spacingHorizontalS,
    paddingRight: tokens.spacingHorizontalS,
    overflow: "hidden",
    whiteSpace: "nowrap",
    textOverflow: "ellipsis",
    fontSize: tokens.fontSizeBase200,
  },
  cellText: { overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap", minWidth: 0 },
  end: { justifyContent: "flex-end", textAlign: "end" },
  placeholder: { color: tokens.colorNeutralForeground4 },
  empty: {
    position: "sticky",
    left: 0,
    padding: tokens.spacingHorizontalL,
    color: tokens.colorNeutralForeground3,
  },
});

export function DataGrid<T>(props: DataGridProps<T>) {
  const {
    ariaLabel,
    columns: allColumns,
    rowCount,
    getRow,
    onRangeChange,
    sort = null,
    onSortChange,
    selection,
    onSelectionChange,
    onActivate,
    resetKey,
    emptyText,
    loadingText,
    rowHeight = 30,
    commands,
  } = props;
  const styles = useStyles();
  const gridId = useId();
  const scrollRef = useRef<HTMLDivElement>(null);
  const layoutKey = useLayoutKey("grid");
  const [layout, setLayout] = useStoredState(props.main ? layoutKey : undefined, defaultLayout, isColumnLayout);
  // A drag shows its width live and is remembered once, when the button is let go.
  const [dragged, setDragged] = useState<{ id: string; width: number } | null>(null);
  const [rowMenuAt, setRowMenuAt] = useState<Point | null>(null);
  const [columnMenuAt, setColumnMenuAt] = useState<Point | null>(null);
  const columns = visibleColumns(allColumns, layout).map((c) =>
    dragged && dragged.id === c.id ? { ...c, width: clampWidth(dragged.width) } : c,
  );
  const width = columns.reduce((w, c) => w + c.width, 0);

  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
    scrollMargin: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
  });
  const items = virtualizer.getVirtualItems();
  const firstIndex = items.length > 0 ? items[0].index : -1;
  const lastIndex = items.length > 0 ? items[items.length - 1].index : -1;

  useEffect(() => {
    if (firstIndex >= 0) onRangeChange?.(firstIndex, lastIndex);
  }, [firstIndex, lastIndex, onRangeChange]);

  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [resetKey]);

  const rowId = (index: number) => `${gridId}-row-${index}`;

  const focusRow = (next: Selection) => {
    onSelectionChange(next);
    if (next.focus !== null) virtualizer.scrollToIndex(next.focus, { align: "auto" });
  };

  const pageRows = () => {
    const h = scrollRef.current?.clientHeight ?? rowHeight * 10;
    return Math.max(1, Math.floor((h - HEADER_HEIGHT) / rowHeight) - 1);
  };

  const hasCommands = commands !== undefined && commands.length > 0;

  /** The Menu key or Shift+F10: the row menu under the focused row. */
  const openRowMenuAtFocus = () => {
    const focus = selection.focus;
    if (focus === null) return;
    if (!isSelected(selection, focus)) onSelectionChange(clickRow(selection, focus));
    const rect = document.getElementById(rowId(focus))?.getBoundingClientRect();
    const grid = scrollRef.current?.getBoundingClientRect();
    setRowMenuAt({ x: (grid?.left ?? 0) + 24, y: rect ? rect.bottom : (grid?.top ?? 0) + HEADER_HEIGHT });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (rowCount === 0) return;
    const mods = { ctrl: e.ctrlKey || e.metaKey, shift: e.shiftKey };
    const focus = selection.focus ?? -1;
    let target: number | null = null;
    switch (e.key) {
      case "ArrowDown":
        target = focus + 1;
        break;
      case "ArrowUp":
        target = focus < 0 ? 0 : focus - 1;
        break;
      case "PageDown":
        target = focus + pageRows();
        break;
      case "PageUp":
        target = Math.max(0, focus) - pageRows();
        break;
      case "Home":
        target = 0;
        break;
      case "End":
        target = rowCount - 1;
        break;
      case "a":
      case "A":
        if (mods.ctrl) {
          e.preventDefault();
          onSelectionChange(selectAll(selection, rowCount));
        }
        return;
      case " ":
        e.preventDefault();
        if (selection.focus !== null) onSelectionChange(toggleFocused(selection));
        return;
      case "Enter":
        if (selection.focus !== null) {
          e.preventDefault();
          onActivate?.(selection.focus);
        }
        return;
      case "ContextMenu":
      case "F10":
        if (hasCommands && (e.key === "ContextMenu" || e.shiftKey)) {
          e.preventDefault();
          openRowMenuAtFocus();
        }
        return;
      default:
        return;
    }
    e.preventDefault();
    focusRow(moveFocus(selection, target, rowCount, mods));
  };

  const onRowClick = (e: MouseEvent, index: number) => {
    onSelectionChange(clickRow(selection, index, { ctrl: e.ctrlKey || e.metaKey, shift: e.shiftKey }));
  };

  // As in Explorer: a right-click on a row outside the selection selects that row first.
  const onRowContextMenu = (e: MouseEvent, index: number) => {
    if (!hasCommands) return;
    e.preventDefault();
    if (!isSelected(selection, index)) onSelectionChange(clickRow(selection, index));
    setRowMenuAt({ x: e.clientX, y: e.clientY });
  };

  const closeMenu = (close: (p: null) => void) => () => {
    close(null);
    scrollRef.current?.focus();
  };

  const columnMenu = <ColumnMenuList columns={allColumns} layout={layout} onChange={setLayout} />;
  const count = selectedCount(selection);

  return (
    <div className={styles.frame}>
      <div
        ref={scrollRef}
        className={styles.root}
        role="grid"
        aria-label={ariaLabel}
        aria-rowcount={rowCount + 1}
        aria-colcount={columns.length}
        aria-multiselectable
        aria-activedescendant={selection.focus !== null && selection.focus < rowCount ? rowId(selection.focus) : undefined}
        tabIndex={0}
        onKeyDown={onKeyDown}
      >
        <div
          role="rowgroup"
          className={styles.header}
          style={{ width }}
          onContextMenu={(e) => {
            e.preventDefault();
            setColumnMenuAt({ x: e.clientX, y: e.clientY });
          }}
        >
          <div role="row" aria-rowindex={1} style={{ display: "flex" }}>
            {columns.map((col, i) => {
              const sortable = col.sortable && onSortChange;
              const dir = ariaSort(sort, col.id);
              return (
                <div
                  key={col.id}
                  role="columnheader"
                  // Named by its header alone, not also by its resize handle's label.
                  aria-label={col.header || undefined}
                  aria-colindex={i + 1}
                  aria-sort={col.sortable ? dir : undefined}
                  className={styles.headerCell}
                  style={{ width: col.width }}
                  data-column={col.id}
                >
                  {sortable ? (
                    <button
                      type="button"
                      tabIndex={-1}
                      className={styles.sortButton}
                      onClick={() => onSortChange(nextSort(sort, col.id))}
                    >
                      <span className={styles.headerText}>{col.header}</span>
                      {dir === "ascending" && <ArrowSortUpFilled aria-hidden />}
                      {dir === "descending" && <ArrowSortDownFilled aria-hidden />}
                    </button>
                  ) : (
                    <span className={styles.headerText}>{col.header}</span>
                  )}
                  <ResizeHandle
                    className={styles.resizer}
                    label={gridStrings.resize(col.header || col.id)}
                    width={col.width}
                    onDrag={(w) => setDragged(w === null ? null : { id: col.id, width: w })}
                    onResize={(w) => {
                      setDragged(null);
                      setLayout(resizeColumn(layout, col.id, w));
                    }}
                  />
                </div>
              );
            })}
          </div>
        </div>
        <div role="rowgroup" className={styles.body} style={{ height: virtualizer.getTotalSize(), width }}>
          {items.map((item) => {
            const row = getRow(item.index);
            const selected = isSelected(selection, item.index);
            return (
              <div
                key={item.key}
                id={rowId(item.index)}
                role="row"
                aria-rowindex={item.index + 2}
                aria-selected={selected}
                aria-busy={row === undefined || undefined}
                data-row-number={item.index + 1}
                className={mergeClasses(
                  styles.row,
                  selected && styles.rowSelected,
                  selection.focus === item.index && styles.rowFocused,
                )}
                style={{ height: rowHeight, width, transform: `translateY(${item.start - HEADER_HEIGHT}px)` }}
                onMouseDown={(e) => {
                  if (e.shiftKey) e.preventDefault(); // no text selection on Shift+click
                }}
                onClick={(e) => onRowClick(e, item.index)}
                onDoubleClick={() => onActivate?.(item.index)}
                onContextMenu={(e) => onRowContextMenu(e, item.index)}
              >
                {columns.map((col, i) => (
                  <div
                    key={col.id}
                    role="gridcell"
                    aria-colindex={i + 1}
                    className={mergeClasses(styles.cell, col.align === "end" && styles.end)}
                    style={{ width: col.width }}
                    title={row ? col.title?.(row) : undefined}
                  >
                    {row ? (
                      <span className={styles.cellText}>{col.render(row)}</span>
                    ) : (
                      i === 0 && <span className={styles.placeholder}>{loadingText ?? "…"}</span>
                    )}
                  </div>
                ))}
              </div>
            );
          })}
        </div>
        {rowCount === 0 && emptyText && (
          <Text as="p" className={styles.empty}>
            {emptyText}
          </Text>
        )}
      </div>
      {props.main && (
        <div className={styles.status} aria-label={gridStrings.statusLabel} role="group">
          <span role="status" data-testid="grid-status">
            {gridStrings.status(rowCount, count)}
          </span>
          <Menu hasCheckmarks positioning={{ autoSize: true }}>
            <MenuTrigger disableButtonEnhancement>
              <Button size="small" appearance="subtle" icon={<ColumnTripleEditRegular />} title={gridStrings.columnsHint}>
                {gridStrings.columns}
              </Button>
            </MenuTrigger>
            <MenuPopover>{columnMenu}</MenuPopover>
          </Menu>
        </div>
      )}
      <PointMenu at={columnMenuAt} onClose={closeMenu(setColumnMenuAt)} hasCheckmarks>
        {columnMenu}
      </PointMenu>
      {hasCommands && (
        <PointMenu at={rowMenuAt} onClose={closeMenu(setRowMenuAt)} hasIcons>
          <CommandMenuList commands={commands} />
        </PointMenu>
      )}
    </div>
  );
}

/** The right edge of a column header, a vertical splitter. */
function ResizeHandle(props: {
  className: string;
  label: string;
  width: number;
  onDrag(width: number | null): void;
  onResize(width: number): void;
}) {
  const { width } = props;
  const handlers = useDragHandle({
    axis: "x",
    direction: 1,
    size: () => width,
    clamp: clampWidth,
    step: RESIZE_STEP,
    onDrag: props.onDrag,
    onDone: props.onResize,
  });
  return (
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label={props.label}
      aria-valuenow={width}
      aria-valuemin={MIN_COLUMN_WIDTH}
      aria-valuemax={MAX_COLUMN_WIDTH}
      tabIndex={-1}
      className={props.className}
      onClick={(e) => e.stopPropagation()}
      {...handlers}
    />
  );
}
