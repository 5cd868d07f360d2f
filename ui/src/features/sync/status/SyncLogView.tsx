// Log tab: the detailed log of one run (get_sync_log, the equivalent of wsyncmgr.log) in the
// virtualized grid, monospace, with the run to show and "Export log".
import { useEffect, useState } from "react";
import { Button, Dropdown, Field, Option, Text, makeStyles, mergeClasses, tokens } from "@fluentui/react-components";
import { ArrowDownloadRegular } from "@fluentui/react-icons";
import { call, toApiFailure, type ApiFailure, type SyncLogEntry, type SyncRunInfo } from "../../../api";
import { DataGrid, emptySelection, type DataGridColumn, type Selection } from "../../../components/DataGrid";
import { ErrorBar } from "../../../components/ErrorBar";
import { formatUtcSeconds } from "../../../components/format";
import { strings } from "../strings";
import { downloadText, logFileName, logText } from "./logExport";

const d = strings.status.details;

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, height: "100%", minHeight: "160px" },
  bar: { display: "flex", alignItems: "flex-end", gap: tokens.spacingHorizontalM, flexWrap: "wrap" },
  runPicker: { minWidth: "360px" },
  grid: { flexGrow: 1, minHeight: "120px", flexBasis: 0 },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  warning: { color: tokens.colorPaletteMarigoldForeground2 },
  error: { color: tokens.colorPaletteRedForeground1 },
  muted: { color: tokens.colorNeutralForeground3 },
});

function useColumns(): DataGridColumn<SyncLogEntry>[] {
  const styles = useStyles();
  const level = (e: SyncLogEntry) =>
    mergeClasses(styles.mono, e.level === "warning" && styles.warning, e.level === "error" && styles.error);
  return [
    {
      id: "at",
      header: d.logColumns.at,
      width: 180,
      render: (e) => <span className={styles.mono}>{formatUtcSeconds(e.atUtc)}</span>,
      title: (e) => formatUtcSeconds(e.atUtc) || undefined,
    },
    { id: "level", header: d.logColumns.level, width: 80, render: (e) => <span className={level(e)}>{e.level}</span> },
    {
      id: "message",
      header: d.logColumns.message,
      width: 900,
      render: (e) => <span className={level(e)}>{e.message}</span>,
      title: (e) => e.message,
    },
  ];
}

export function SyncLogView(props: {
  history: readonly SyncRunInfo[];
  runId: number;
  onRunChange(runId: number): void;
  /** Changes when the log may have grown (the run is running, or just ended). */
  version: number;
}) {
  const { history, runId, onRunChange, version } = props;
  const styles = useStyles();
  const columns = useColumns();
  const [entries, setEntries] = useState<SyncLogEntry[] | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [selection, setSelection] = useState<Selection>(emptySelection);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    call("get_sync_log", { runId }).then(
      (list) => {
        if (!live) return;
        setEntries(list);
        setFailure(null);
      },
      (e: unknown) => live && setFailure(toApiFailure(e)),
    );
    return () => {
      live = false;
    };
  }, [runId, version, attempt]);

  // A different run starts with its own (empty) selection and nothing from the previous one.
  useEffect(() => {
    setEntries(null);
    setSelection(emptySelection);
  }, [runId]);

  const run = history.find((r) => r.runId === runId) ?? null;
  const optionText = (r: SyncRunInfo) => d.runOption(r.runId, formatUtcSeconds(r.startedUtc), strings.state[r.state]);

  return (
    <div className={styles.root}>
      <div className={styles.bar}>
        <Field label={d.run} size="small">
          <Dropdown
            className={styles.runPicker}
            size="small"
            value={run ? optionText(run) : String(runId)}
            selectedOptions={[String(runId)]}
            onOptionSelect={(_, data) => data.optionValue && onRunChange(Number(data.optionValue))}
          >
            {history.map((r) => (
              <Option key={r.runId} value={String(r.runId)}>
                {optionText(r)}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <Button
          size="small"
          icon={<ArrowDownloadRegular />}
          disabled={!entries}
          title={d.exportLogHint}
          onClick={() => entries && downloadText(logFileName(runId), logText(run, runId, entries))}
        >
          {d.exportLog}
        </Button>
        <Text className={styles.muted} size={200}>
          {entries ? d.lines(entries.length) : d.logLoading}
        </Text>
      </div>
      {failure && (
        <ErrorBar title={d.logFailed} message={failure.message} onRetry={() => setAttempt((a) => a + 1)} retryLabel={strings.retry} />
      )}
      <div className={styles.grid}>
        <DataGrid<SyncLogEntry>
          ariaLabel={d.logLabel(runId)}
          columns={columns}
          rowCount={entries?.length ?? 0}
          getRow={(i) => entries?.[i]}
          selection={selection}
          onSelectionChange={setSelection}
          emptyText={entries ? d.logEmpty : d.logLoading}
          rowHeight={24}
        />
      </div>
    </div>
  );
}
