// Software Library > All Software Updates (LIB-1, LIB-2, LIB-3): command bar, search and
// filters, the server-paged grid, the details pane and the Properties dialog.
import { useCallback, useEffect, useMemo, useState } from "react";
import { Button, MessageBar, MessageBarActions, MessageBarBody, Subtitle2, Text, makeStyles, tokens } from "@fluentui/react-components";
import { call, subscribe, toApiFailure, type UpdateRow } from "../../api";
import { CommandBar } from "../../components/CommandBar/CommandBar";
import {
  DataGrid,
  clampSelection,
  emptySelection,
  selectedCount,
  singleSelected,
  usePagedRows,
  type Selection,
  type SortState,
} from "../../components/DataGrid";
import { DetailsPane } from "../../components/DetailsPane";
import { ErrorBar } from "../../components/ErrorBar";
import { useOpenFirstRun } from "../../app/firstRun";
import { useNodeParams } from "../../app/navigate";
import { EmptyState } from "../../components/EmptyState";
import { useSynchronize } from "../sync/start/useSynchronize";
import { useDeployCommand } from "../deployments/useDeploy";
import { useDownloadCommand } from "../content/useDownload";
import { collectSelectedRows } from "./library/selectedRows";
import { updateColumns } from "./columns";
import { updateCommands } from "./commands";
import { useLibraryCommands } from "./library/useLibraryCommands";
import { PropertiesDialog } from "./properties/PropertiesDialog";
import { buildQuery, filtersFromParams, pageQuery, type UpdateFilterState } from "./query";
import { strings } from "./strings";
import { UpdateFilters } from "./UpdateFilters";
import { SelectionSummary } from "./SelectionSummary";
import { UpdateSummary } from "./UpdateSummary";
import { useCategories } from "./useCategories";

const PAGE_SIZE = 100;

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", height: "100%", minHeight: 0 },
  heading: {
    display: "flex",
    alignItems: "baseline",
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM} 0`,
  },
  count: { color: tokens.colorNeutralForeground3 },
  bars: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS, padding: `0 ${tokens.spacingHorizontalM}` },
  grid: { flexGrow: 1, flexShrink: 1, flexBasis: 0, minHeight: "120px" },
});

export function AllUpdatesPage() {
  const styles = useStyles();
  // A link into this view (the overview's items) starts it filtered.
  const params = useNodeParams();
  const [filters, setFilters] = useState<UpdateFilterState>(() => filtersFromParams(params));
  const [sort, setSort] = useState<SortState | null>(null);
  const [selection, setSelection] = useState<Selection>(emptySelection);
  const [propertiesFor, setPropertiesFor] = useState<string | null>(null);
  const [catalogChange, setCatalogChange] = useState<number | null>(null);
  const [errorDismissed, setErrorDismissed] = useState(false);
  const categories = useCategories();
  const synchronize = useSynchronize();
  const openFirstRun = useOpenFirstRun();

  const query = useMemo(() => buildQuery(filters, sort), [filters, sort]);
  const queryKey = useMemo(() => JSON.stringify(query), [query]);
  const fetchPage = useCallback(
    (offset: number, limit: number) => call("list_updates", pageQuery(query, offset, limit)),
    [query],
  );
  const rows = usePagedRows<UpdateRow>(fetchPage, queryKey, PAGE_SIZE);
  const total = rows.total ?? 0;

  // A new query starts with nothing selected; a shrinking total drops selection past the end.
  useEffect(() => setSelection(emptySelection), [queryKey]);
  useEffect(() => setSelection((s) => clampSelection(s, total)), [total]);
  useEffect(() => setErrorDismissed(false), [rows.error]);

  useEffect(
    () =>
      subscribe((event) => {
        if (event.type === "catalogChanged") setCatalogChange(event.newUpdates);
      }),
    [],
  );

  const refresh = useCallback(() => {
    setCatalogChange(null);
    rows.refresh();
    categories.reload();
  }, [rows, categories]);

  const openPropertiesAt = (index: number) => {
    const row = rows.getRow(index);
    if (row) setPropertiesFor(row.updateId);
  };

  const single = singleSelected(selection);
  const library = useLibraryCommands({ selection, getRow: rows.getRow, fetchPage, onChanged: refresh });
  const selectedIds = () => collectSelectedRows(selection, rows.getRow, fetchPage).then((list) => list.map((r) => r.updateId));
  const deploy = useDeployCommand({ disabled: selectedCount(selection) === 0, updateIds: selectedIds });
  const download = useDownloadCommand({ disabled: selectedCount(selection) === 0, updateIds: selectedIds });
  const commands = updateCommands({
    selectedCount: selectedCount(selection),
    synchronize: synchronize.command,
    refresh,
    openProperties: () => single !== null && openPropertiesAt(single),
    libraryCommands: library.commands,
    selectionCommands: [deploy.command, download.command],
  });

  const focusIndex = selection.focus ?? single;
  const focusedRow = focusIndex !== null ? rows.getRow(focusIndex) : undefined;
  const failure = rows.error ? toApiFailure(rows.error) : null;

  return (
    <div className={styles.root}>
      <CommandBar ariaLabel={strings.commands.barLabel} commands={commands} />
      <div className={styles.heading}>
        <Subtitle2 as="h1">{strings.pageTitle}</Subtitle2>
        <Text className={styles.count} role="status" aria-live="polite" data-testid="item-count">
          {rows.total === null ? strings.loading : strings.items(rows.total)}
        </Text>
      </div>
      <UpdateFilters filters={filters} categories={categories.categories} onChange={setFilters} />
      <div className={styles.bars}>
        {synchronize.bar}
        {library.bar}
        {deploy.bar}
        {download.bar}
        {failure && !errorDismissed && (
          <ErrorBar
            title={strings.loadFailed}
            message={failure.message}
            onRetry={rows.refresh}
            retryLabel={strings.retry}
            onDismiss={() => setErrorDismissed(true)}
            dismissLabel={strings.dismiss}
          />
        )}
        {categories.failure && (
          <ErrorBar
            title={strings.categoriesFailed}
            message={categories.failure.message}
            onRetry={categories.reload}
            retryLabel={strings.retry}
          />
        )}
        {rows.total === 0 && JSON.stringify(filters) === JSON.stringify(filtersFromParams({})) && (
          // Nothing listed at all (not a filter matching nothing): say how updates arrive.
          <EmptyState
            title={strings.empty.title}
            message={strings.empty.message}
            actions={[
              { label: strings.empty.firstRun, run: openFirstRun },
              { label: strings.empty.synchronize, run: synchronize.command.run },
            ]}
            testId="updates-empty"
          />
        )}
        {catalogChange !== null && (
          <MessageBar intent="info">
            <MessageBarBody>{strings.catalogChanged(catalogChange)}</MessageBarBody>
            <MessageBarActions>
              <Button size="small" onClick={refresh}>
                {strings.commands.refresh}
              </Button>
            </MessageBarActions>
          </MessageBar>
        )}
      </div>
      <div className={styles.grid}>
        <DataGrid<UpdateRow>
          ariaLabel={strings.gridLabel}
          columns={updateColumns}
          rowCount={total}
          getRow={rows.getRow}
          version={rows.version}
          onRangeChange={rows.onRangeChange}
          sort={sort}
          onSortChange={setSort}
          selection={selection}
          onSelectionChange={setSelection}
          onActivate={openPropertiesAt}
          resetKey={queryKey}
          emptyText={rows.total === 0 ? strings.noUpdates : undefined}
          loadingText={strings.loading}
          commands={commands}
          main
        />
      </div>
      <DetailsPane
        ariaLabel={strings.details.label}
        height="34%"
        tabs={[
          {
            id: "summary",
            label: strings.details.summary,
            render: () =>
              selectedCount(selection) > 1 ? (
                <SelectionSummary selection={selection} getRow={rows.getRow} fetchPage={fetchPage} />
              ) : (
                <UpdateSummary row={focusedRow} />
              ),
          },
        ]}
      />
      {synchronize.dialog}
      {library.dialog}
      {deploy.dialog}
      {download.dialog}
      {propertiesFor && <PropertiesDialog key={propertiesFor} updateId={propertiesFor} onClose={() => setPropertiesFor(null)} />}
    </div>
  );
}
