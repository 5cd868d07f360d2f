// A list page whose rows are all read at once (useListPage), declared as data: its texts,
// columns and details tabs (`ListPageParts`), with the page's state and commands. This lays
// them out in the ListPage frame: a DataGrid of the rows, the heading's count, the load and
// action failure bars, the grid's empty text and the details pane over the focused row.
import type { ReactNode } from "react";
import type { DataGridColumn } from "./DataGrid";
import type { Command } from "./CommandBar/CommandBar";
import { DataGrid, gridStrings, selectedCount, type Selection } from "./DataGrid";
import { ItemDetailsPane, type ItemDetailsTab } from "./DetailsPane";
import { ListPage, type ListPageProps } from "./ListPage";
import type { ListPageState } from "./useListPage";

/** The texts of a list page, by the names the features' strings.ts give them. */
export interface ListPageTexts {
  title: string;
  commandsLabel: string;
  gridLabel: string;
  items(n: number): string;
  empty: string;
  loadFailed: string;
  /** The title of an action's failure bar. */
  actionFailed?: string;
}

/** The texts every feature's strings.ts holds at its top. */
export interface CommonTexts {
  loading: string;
  retry: string;
  dismiss: string;
}

/** The details pane under the grid: tabs over the focused row. */
export interface ListDetails<T> {
  texts: { label: string; nothingSelected: string };
  /** A CSS height, e.g. "40%". */
  height: string;
  tabs: readonly ItemDetailsTab<T>[];
}

/** What a list page is made of, as the wizard frame takes its pages. */
export interface ListPageParts<T> {
  texts: ListPageTexts;
  common: CommonTexts;
  columns: readonly DataGridColumn<T>[];
  details?: ListDetails<T>;
}

export type ItemListPageProps<T> = Pick<ListPageProps, "headingExtra" | "barsBefore" | "bars" | "gridHeight" | "gridMinHeight" | "overlays"> & {
  page: ListPageState<T>;
  parts: ListPageParts<T>;
  commands: readonly Command[];
  /** Double-click or Enter on a row. */
  onActivate?(row: T): void;
  /** What follows the grid when the page shows more than `parts.details`. */
  details?: ReactNode;
  /** The row the details pane shows; `page.focused` by default. */
  detailsItem?: T | null;
  /** The rows shown, when the page filters `page.rows`. */
  rows?: readonly T[];
  /** The grid's text when no row is shown; `texts.empty` by default. */
  emptyText?: string;
  /** Replaces `page.setSelection` as the grid's selection handler. */
  onSelectionChange?(selection: Selection): void;
  /** The grid's version when the rows shown change between reads (a filter); `page.version` by default. */
  version?: number;
};

export function ItemListPage<T>(props: ItemListPageProps<T>) {
  const { page } = props;
  const { texts, common, details } = props.parts;
  const rows = props.rows ?? page.rows;
  const { failure, actionFailure } = page;
  const several = selectedCount(page.selection);
  return (
    <ListPage
      commandsLabel={texts.commandsLabel}
      commands={props.commands}
      title={texts.title}
      count={page.list ? texts.items(rows.length) : common.loading}
      headingExtra={props.headingExtra}
      barsBefore={props.barsBefore}
      loadFailure={failure && { title: texts.loadFailed, message: failure.message, onRetry: page.load, retryLabel: common.retry }}
      actionFailure={
        actionFailure && {
          title: texts.actionFailed ?? texts.loadFailed,
          message: actionFailure.message,
          onDismiss: () => page.setActionFailure(null),
          dismissLabel: common.dismiss,
        }
      }
      bars={props.bars}
      gridHeight={props.gridHeight}
      gridMinHeight={props.gridMinHeight}
      details={
        <>
          {details && (
            <ItemDetailsPane
              item={props.detailsItem !== undefined ? props.detailsItem : page.focused}
              nothingSelected={details.texts.nothingSelected}
              several={several > 1 ? gridStrings.several(texts.items(several)) : undefined}
              ariaLabel={details.texts.label}
              height={details.height}
              tabs={details.tabs}
            />
          )}
          {props.details}
        </>
      }
      overlays={props.overlays}
    >
      <DataGrid<T>
        ariaLabel={texts.gridLabel}
        columns={props.parts.columns}
        rowCount={rows.length}
        getRow={(i) => rows[i]}
        selection={page.selection}
        onSelectionChange={props.onSelectionChange ?? page.setSelection}
        onActivate={props.onActivate && ((i) => rows[i] !== undefined && props.onActivate?.(rows[i]))}
        emptyText={page.list && !failure ? (props.emptyText ?? texts.empty) : undefined}
        loadingText={common.loading}
        version={props.version ?? page.version}
        commands={props.commands}
        main
      />
    </ListPage>
  );
}
