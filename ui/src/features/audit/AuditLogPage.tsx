// Monitoring > Audit Log: every administrative action, newest first (list_audit).
import { useCallback, useRef, useState } from "react";
import { ArrowClockwiseRegular } from "@fluentui/react-icons";
import { call, toApiFailure, type AuditEntry } from "../../api";
import { DataGrid, emptySelection, usePagedRows, type DataGridColumn, type Selection } from "../../components/DataGrid";
import { ItemDetailsPane } from "../../components/DetailsPane";
import { formatUtc, formatUtcSeconds } from "../../components/format";
import { ListPage } from "../../components/ListPage";
import { PropertyList } from "../../components/PropertyList";
import { actionName, actorName } from "./names";
import { strings } from "./strings";

const PAGE_SIZE = 100;
const c = strings.columns;

const columns: DataGridColumn<AuditEntry>[] = [
  { id: "at", header: c.at, width: 170, render: (e) => formatUtc(e.atUtc), title: (e) => formatUtcSeconds(e.atUtc) || undefined },
  { id: "actor", header: c.actor, width: 160, render: (e) => actorName(e.actor), title: (e) => e.actor },
  { id: "address", header: c.address, width: 130, render: (e) => e.address },
  { id: "action", header: c.action, width: 180, render: (e) => actionName(e.action), title: (e) => e.action },
  { id: "target", header: c.target, width: 260, render: (e) => e.target, title: (e) => e.target },
  { id: "detail", header: c.detail, width: 480, render: (e) => e.detail, title: (e) => e.detail },
];

function EntrySummary({ entry }: { entry: AuditEntry }) {
  return (
    <PropertyList
      items={[
        { label: c.at, value: formatUtc(entry.atUtc) },
        { label: c.actor, value: actorName(entry.actor) },
        { label: c.address, value: entry.address },
        { label: c.action, value: actionName(entry.action) },
        { label: c.target, value: entry.target },
        { label: c.detail, value: entry.detail },
      ]}
    />
  );
}

export function AuditLogPage() {
  const [selection, setSelection] = useState<Selection>(emptySelection);
  const [generation, setGeneration] = useState(0);
  // list_audit gives no total: count what has been seen, and keep one row beyond a full
  // last page so scrolling there asks for the next one.
  const end = useRef({ known: 0, exact: false });
  const fetchPage = useCallback(async (offset: number, limit: number) => {
    const list = await call("list_audit", { offset, limit });
    const reach = offset + list.length;
    if (list.length < limit) end.current = { known: reach, exact: true };
    else if (reach >= end.current.known) end.current = { known: reach, exact: false };
    return { total: end.current.exact ? end.current.known : end.current.known + 1, rows: list };
  }, []);
  const rows = usePagedRows<AuditEntry>(fetchPage, String(generation), PAGE_SIZE);
  const failure = rows.error ? toApiFailure(rows.error) : null;
  const focused = selection.focus !== null ? rows.getRow(selection.focus) : undefined;
  const refresh = () => {
    end.current = { known: 0, exact: false };
    setSelection(emptySelection);
    setGeneration((g) => g + 1);
  };

  const commands = [{ id: "refresh", label: strings.refresh, icon: <ArrowClockwiseRegular />, run: refresh }];
  return (
    <ListPage
      commandsLabel={strings.commandsLabel}
      commands={commands}
      title={strings.pageTitle}
      count={rows.total === null ? strings.loading : strings.items(end.current.known, !end.current.exact)}
      loadFailure={failure && { title: strings.loadFailed, message: failure.message, onRetry: refresh, retryLabel: strings.retry }}
      gridMinHeight="120px"
      details={
        <ItemDetailsPane
          item={focused}
          nothingSelected={strings.nothingSelected}
          ariaLabel={strings.detailsLabel}
          height="30%"
          tabs={[{ id: "summary", label: strings.summary, render: (e) => <EntrySummary entry={e} /> }]}
        />
      }
    >
      <DataGrid<AuditEntry>
        ariaLabel={strings.gridLabel}
        columns={columns}
        rowCount={rows.total ?? 0}
        getRow={rows.getRow}
        version={rows.version}
        onRangeChange={rows.onRangeChange}
        selection={selection}
        onSelectionChange={setSelection}
        resetKey={String(generation)}
        emptyText={rows.total === 0 ? strings.empty : undefined}
        loadingText={strings.loading}
        commands={commands}
        main
      />
    </ListPage>
  );
}
