// The grid's two menus: the column picker (from the status bar's Columns button or a
// right-click on the header) and the row menu, which offers the node's commands, the same
// list the command bar shows, so a right-click finds nothing the bar lacks.
import { Fragment, type ReactElement } from "react";
import {
  Menu,
  MenuDivider,
  MenuItem,
  MenuItemCheckbox,
  MenuList,
  MenuPopover,
  type PositioningVirtualElement,
} from "@fluentui/react-components";
import { CommandMenuItem, startsGroup, type Command } from "../CommandBar/CommandBar";
import { defaultLayout, showColumns, type ColumnLayout } from "./columnLayout";
import type { DataGridColumn } from "./DataGrid";
import { gridStrings } from "./strings";

export interface Point {
  x: number;
  y: number;
}

/** A zero-size anchor at the pointer, so a menu opens where the right-click was. */
export function pointTarget({ x, y }: Point): PositioningVirtualElement {
  return { getBoundingClientRect: () => ({ x, y, left: x, top: y, right: x, bottom: y, width: 0, height: 0 }) };
}

export function ColumnMenuList<T>(props: {
  columns: readonly DataGridColumn<T>[];
  layout: ColumnLayout;
  onChange(layout: ColumnLayout): void;
}) {
  const { columns, layout, onChange } = props;
  const shown = columns.filter((c, i) => i === 0 || !layout.hidden.includes(c.id)).map((c) => c.id);
  return (
    <MenuList
      aria-label={gridStrings.columns}
      checkedValues={{ columns: shown }}
      onCheckedValueChange={(_, d) => onChange(showColumns(layout, columns, d.checkedItems))}
    >
      {columns.map((c, i) => (
        <MenuItemCheckbox key={c.id} name="columns" value={c.id} disabled={i === 0}>
          {c.header || c.id}
        </MenuItemCheckbox>
      ))}
      <MenuDivider />
      <MenuItem onClick={() => onChange(defaultLayout)}>{gridStrings.resetColumns}</MenuItem>
    </MenuList>
  );
}

/**
 * A menu opened at a point (a right-click, or the focused row for the keyboard). Like every
 * grid menu it scrolls within the window rather than running off it (a long column list).
 */
export function PointMenu(props: { at: Point | null; onClose(): void; hasCheckmarks?: boolean; hasIcons?: boolean; children: ReactElement }) {
  const { at, onClose } = props;
  return (
    <Menu
      open={at !== null}
      onOpenChange={(_, d) => !d.open && onClose()}
      positioning={at ? { target: pointTarget(at), position: "below", align: "start", autoSize: true } : undefined}
      hasCheckmarks={props.hasCheckmarks}
      hasIcons={props.hasIcons}
    >
      <MenuPopover>{props.children}</MenuPopover>
    </Menu>
  );
}

export function CommandMenuList({ commands }: { commands: readonly Command[] }) {
  return (
    <MenuList aria-label={gridStrings.rowCommands}>
      {commands.map((c, i) => (
        <Fragment key={c.id}>
          {startsGroup(commands, i) && <MenuDivider />}
          <CommandMenuItem command={c} />
        </Fragment>
      ))}
    </MenuList>
  );
}
