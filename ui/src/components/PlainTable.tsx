// A short read-only table (a run's log, a package's downloads, a preview's first rows): every
// row rendered, no selection. Long or selectable lists use the DataGrid.
import type { ReactNode } from "react";
import { Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow } from "@fluentui/react-components";

export interface PlainColumn<T> {
  id: string;
  header: ReactNode;
  /** A CSS width, e.g. "60px". */
  width?: string;
  render(row: T): ReactNode;
  /** The cell's tooltip. */
  title?(row: T): string | undefined;
  className?(row: T): string | undefined;
}

export function PlainTable<T>(props: {
  ariaLabel: string;
  columns: readonly PlainColumn<T>[];
  rows: readonly T[];
  rowKey(row: T, index: number): string | number;
  /** `data-*` attributes of a row, for tests and tools. */
  rowData?(row: T): Record<`data-${string}`, string | number>;
  size?: "extra-small" | "small";
  className?: string;
}) {
  const { columns } = props;
  return (
    <Table size={props.size ?? "extra-small"} className={props.className} aria-label={props.ariaLabel}>
      <TableHeader>
        <TableRow>
          {columns.map((c) => (
            <TableHeaderCell key={c.id} style={c.width !== undefined ? { width: c.width } : undefined}>
              {c.header}
            </TableHeaderCell>
          ))}
        </TableRow>
      </TableHeader>
      <TableBody>
        {props.rows.map((row, i) => (
          <TableRow key={props.rowKey(row, i)} {...props.rowData?.(row)}>
            {columns.map((c) => (
              <TableCell key={c.id} title={c.title?.(row)} className={c.className?.(row)}>
                {c.render(row)}
              </TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
