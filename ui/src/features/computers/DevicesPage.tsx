// Assets and Compliance > Devices: every managed computer in the server-paged grid (20,000
// and more), searched, sorted by any inventory or compliance column, optionally one
// collection's; the details pane over the focused row and the computer's Properties.
import { useCallback, useEffect, useMemo, useState } from "react";
import { ArrowClockwiseRegular, InfoRegular, SettingsRegular } from "@fluentui/react-icons";
import { call, toApiFailure } from "../../api";
import type { Command } from "../../components/CommandBar/CommandBar";
import {
  DataGrid,
  clampSelection,
  emptySelection,
  singleSelected,
  usePagedRows,
  type Selection,
  type SortState,
} from "../../components/DataGrid";
import { ItemDetailsPane } from "../../components/DetailsPane";
import { ErrorBar } from "../../components/ErrorBar";
import { ListPage } from "../../components/ListPage";
import { useTargetGroups } from "../groups/useTargetGroups";
import { computerColumns, computerSort } from "./columns";
import { ComputerPropertiesDialog } from "./ComputerPropertiesDialog";
import { ComputerSettingsDialog } from "./ComputerSettingsDialog";
import { ComputerSummary } from "./ComputerSummary";
import { DeviceFilters, type DeviceFilterState } from "./DeviceFilters";
import { strings } from "./strings";
import type { ComputerQuery, ComputerRow } from "./types";

const PAGE_SIZE = 100;

export function DevicesPage() {
  const [filters, setFilters] = useState<DeviceFilterState>({ search: "", groupId: null, includeSubgroups: true });
  const [sort, setSort] = useState<SortState | null>(null);
  const [selection, setSelection] = useState<Selection>(emptySelection);
  const [propertiesFor, setPropertiesFor] = useState<ComputerRow | null>(null);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const groups = useTargetGroups();

  const query = useMemo((): Omit<ComputerQuery, "offset" | "limit"> => {
    const search = filters.search.trim();
    return {
      sort: computerSort(sort),
      search: search === "" ? null : search,
      groupId: filters.groupId,
      includeSubgroups: filters.includeSubgroups,
      // A scoped administrator's collections are filled in by the site.
      groupIds: [],
    };
  }, [filters, sort]);
  const queryKey = useMemo(() => JSON.stringify(query), [query]);
  const fetchPage = useCallback((offset: number, limit: number) => call("list_computer_page", { ...query, offset, limit }), [query]);
  const rows = usePagedRows<ComputerRow>(fetchPage, queryKey, PAGE_SIZE);
  const total = rows.total ?? 0;

  useEffect(() => setSelection(emptySelection), [queryKey]);
  useEffect(() => setSelection((s) => clampSelection(s, total)), [total]);

  const openPropertiesAt = (index: number) => {
    const row = rows.getRow(index);
    if (row) setPropertiesFor(row);
  };
  const single = singleSelected(selection);
  const commands: Command[] = [
    { id: "refresh", label: strings.commands.refresh, icon: <ArrowClockwiseRegular />, group: "view", run: rows.refresh },
    {
      id: "properties",
      label: strings.commands.properties,
      description: strings.commands.propertiesHint,
      icon: <InfoRegular />,
      group: "device",
      disabled: single === null,
      run: () => single !== null && openPropertiesAt(single),
    },
    {
      id: "settings",
      label: strings.commands.settings,
      description: strings.commands.settingsHint,
      icon: <SettingsRegular />,
      group: "settings",
      run: () => setSettingsOpen(true),
    },
  ];
  const focusIndex = selection.focus ?? single;
  const focused = focusIndex !== null ? rows.getRow(focusIndex) : undefined;
  const failure = rows.error ? toApiFailure(rows.error) : null;

  return (
    <ListPage
      commandsLabel={strings.commands.barLabel}
      commands={commands}
      title={strings.pageTitle}
      count={rows.total === null ? strings.loading : strings.items(rows.total)}
      headingExtra={<DeviceFilters filters={filters} groups={groups.groups ?? []} onChange={setFilters} />}
      loadFailure={failure && { title: strings.loadFailed, message: failure.message, onRetry: rows.refresh, retryLabel: strings.retry }}
      bars={groups.failure && <ErrorBar title={strings.groupsFailed} message={groups.failure.message} onRetry={groups.reload} retryLabel={strings.retry} />}
      details={
        <ItemDetailsPane
          ariaLabel={strings.details.label}
          height="30%"
          item={focused}
          nothingSelected={strings.details.nothingSelected}
          tabs={[{ id: "summary", label: strings.details.summary, render: (row) => <ComputerSummary row={row} /> }]}
        />
      }
      overlays={
        <>
          {propertiesFor && <ComputerPropertiesDialog key={propertiesFor.id} computer={propertiesFor} onClose={() => setPropertiesFor(null)} />}
          {settingsOpen && (
            <ComputerSettingsDialog
              onClose={(saved) => {
                setSettingsOpen(false);
                // The stale column follows the new threshold.
                if (saved) rows.refresh();
              }}
            />
          )}
        </>
      }
    >
      <DataGrid<ComputerRow>
        ariaLabel={strings.gridLabel}
        columns={computerColumns}
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
        emptyText={rows.total === 0 ? strings.noComputers : undefined}
        loadingText={strings.loading}
        commands={commands}
        main
      />
    </ListPage>
  );
}
