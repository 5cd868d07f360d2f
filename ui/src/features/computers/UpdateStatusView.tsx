// Update Status of one update (the tab of its Properties): how many computers are in each
// state, "No status" being those that never reported it, and the computers of a chosen state
// in a server-paged grid.
import { useCallback, useEffect, useState } from "react";
import { Link, Subtitle2, makeStyles, tokens } from "@fluentui/react-components";
import { call, toApiFailure, type ApiFailure } from "../../api";
import { DataGrid, emptySelection, usePagedRows, type DataGridColumn, type Selection } from "../../components/DataGrid";
import { ErrorBar } from "../../components/ErrorBar";
import { MutedText } from "../../components/MutedText";
import { PlainTable } from "../../components/PlainTable";
import { formatUtc } from "../../components/format";
import { strings } from "./strings";
import type { UpdateStatus, UpdateStatusComputer, UpdateStatusCounts } from "./types";

const s = strings.updateStatus;
const PAGE_SIZE = 100;

/** The states in the order an administrator reads them, with their count field. */
const STATES: readonly { status: UpdateStatus; count: keyof UpdateStatusCounts }[] = [
  { status: "Needed", count: "needed" },
  { status: "Downloaded", count: "downloaded" },
  { status: "InstalledPendingRestart", count: "installedPendingRestart" },
  { status: "Failed", count: "failed" },
  { status: "Installed", count: "installed" },
  { status: "NotApplicable", count: "notApplicable" },
  { status: "Unknown", count: "unknown" },
];

const computerColumns: readonly DataGridColumn<UpdateStatusComputer>[] = [
  { id: "name", header: s.columns.name, width: 220, render: (r) => r.name, title: (r) => r.name },
  { id: "ip", header: s.columns.ip, width: 130, render: (r) => r.ipAddress },
  { id: "os", header: s.columns.os, width: 220, render: (r) => r.os, title: (r) => r.os },
  { id: "lastError", header: s.columns.lastError, width: 110, render: (r) => r.lastError ?? "" },
  { id: "reported", header: s.columns.reported, width: 150, render: (r) => formatUtc(r.reportedUtc) },
];

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, minHeight: 0, flexGrow: 1 },
  counts: { maxWidth: "480px" },
  heading: { fontSize: tokens.fontSizeBase300 },
  grid: { height: "260px" },
});

function ComputersInState({ updateId, status }: { updateId: string; status: UpdateStatus }) {
  const styles = useStyles();
  const [selection, setSelection] = useState<Selection>(emptySelection);
  const key = `${updateId}|${status}`;
  const fetchPage = useCallback(
    (offset: number, limit: number) => call("list_update_status_computers", { updateId, status, groupIds: [], offset, limit }),
    [updateId, status],
  );
  const rows = usePagedRows<UpdateStatusComputer>(fetchPage, key, PAGE_SIZE);
  const failure = rows.error ? toApiFailure(rows.error) : null;
  return (
    <section aria-label={s.computersIn(strings.status[status])}>
      <Subtitle2 as="h3" className={styles.heading}>
        {s.computersIn(strings.status[status])}
      </Subtitle2>
      {failure && <ErrorBar title={s.loadFailed} message={failure.message} onRetry={rows.refresh} retryLabel={strings.retry} />}
      <div className={styles.grid}>
        <DataGrid<UpdateStatusComputer>
          ariaLabel={s.computersIn(strings.status[status])}
          columns={computerColumns}
          rowCount={rows.total ?? 0}
          getRow={rows.getRow}
          version={rows.version}
          onRangeChange={rows.onRangeChange}
          selection={selection}
          onSelectionChange={setSelection}
          resetKey={key}
          emptyText={rows.total === 0 ? s.none : undefined}
          loadingText={strings.loading}
        />
      </div>
    </section>
  );
}

export function UpdateStatusView({ updateId }: { updateId: string }) {
  const styles = useStyles();
  const [counts, setCounts] = useState<UpdateStatusCounts | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [chosen, setChosen] = useState<UpdateStatus | null>(null);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let live = true;
    call("get_update_status", { updateId, groupIds: [] }).then(
      (c) => {
        if (!live) return;
        setCounts(c);
        setFailure(null);
      },
      (e: unknown) => live && setFailure(toApiFailure(e)),
    );
    return () => {
      live = false;
    };
  }, [updateId, generation]);

  if (failure)
    return <ErrorBar title={s.loadFailed} message={failure.message} onRetry={() => setGeneration((g) => g + 1)} retryLabel={strings.retry} />;
  if (!counts) return <MutedText>{strings.loading}</MutedText>;
  return (
    <div className={styles.root}>
      <PlainTable
        className={styles.counts}
        ariaLabel={s.countsLabel}
        rows={STATES}
        rowKey={(r) => r.status}
        rowData={(r) => ({ "data-status": r.status })}
        columns={[
          { id: "state", header: strings.properties.updateColumns.status, render: (r) => strings.status[r.status] },
          {
            id: "count",
            header: s.countsLabel,
            width: "160px",
            render: (r) => (
              <Link aria-label={s.show(strings.status[r.status])} onClick={() => setChosen(r.status)}>
                {String(counts[r.count])}
              </Link>
            ),
          },
        ]}
      />
      <MutedText>{s.total(counts.total)}</MutedText>
      {chosen === null ? <MutedText>{s.choose}</MutedText> : <ComputersInState key={chosen} updateId={updateId} status={chosen} />}
    </div>
  );
}
