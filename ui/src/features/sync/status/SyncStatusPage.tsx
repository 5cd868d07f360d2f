// Monitoring > Software Update Point Synchronization Status (SYNC-6, CON-4): one row per
// software update point, a live progress bar while a synchronization runs, and a details
// pane with the run history and each run's log.
//
// Live: `progress` events of job "sync" move the bar; `syncChanged` events (a run started
// or ended) re-read get_sync_status. While a run shows as running the status is also
// re-read every few seconds, so an event lost while the stream reconnected cannot leave
// the page saying "Running" for ever.
import { useCallback, useEffect, useRef, useState } from "react";
import { Field, ProgressBar, Subtitle2, Text, makeStyles, tokens } from "@fluentui/react-components";
import { ArrowClockwiseRegular } from "@fluentui/react-icons";
import { call, subscribe, toApiFailure, type ApiFailure, type SyncStatus } from "../../../api";
import { useNodeParams } from "../../../app/navigate";
import { CommandBar } from "../../../components/CommandBar/CommandBar";
import { DataGrid, emptySelection, type Selection } from "../../../components/DataGrid";
import { DetailsPane } from "../../../components/DetailsPane";
import { ErrorBar } from "../../../components/ErrorBar";
import { formatUtc } from "../../../components/format";
import { useSynchronize } from "../start/useSynchronize";
import { strings } from "../strings";
import { statusColumns } from "./columns";
import { applyEvent, isSyncProgress, needsStatusRefresh, progressFraction, progressOfRun, updatePointRow, type LiveProgress, type UpdatePointRow } from "./model";
import { SyncHistory } from "./SyncHistory";
import { SyncLogView } from "./SyncLogView";
import { SyncSummary } from "./SyncSummary";

const t = strings.status;
const POLL_WHILE_RUNNING_MS = 5000;
const LOG_REFRESH_MS = 1000;

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", height: "100%", minHeight: 0 },
  heading: { display: "flex", alignItems: "baseline", gap: tokens.spacingHorizontalM, padding: tokens.spacingHorizontalM },
  count: { color: tokens.colorNeutralForeground3 },
  bars: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS, padding: `0 ${tokens.spacingHorizontalM}` },
  progress: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXXS,
    margin: `0 ${tokens.spacingHorizontalM} ${tokens.spacingVerticalS}`,
    padding: tokens.spacingHorizontalS,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground2,
  },
  progressText: { display: "flex", justifyContent: "space-between", gap: tokens.spacingHorizontalM, fontSize: tokens.fontSizeBase200 },
  grid: { flexGrow: 1, flexShrink: 1, flexBasis: 0, minHeight: "96px" },
  muted: { color: tokens.colorNeutralForeground3 },
});

export function SyncStatusPage() {
  const styles = useStyles();
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [siteName, setSiteName] = useState("");
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [progress, setProgress] = useState<LiveProgress | null>(null);
  const [selection, setSelection] = useState<Selection>({ ranges: [[0, 0]], anchor: 0, focus: 0 });
  // A link to one run (an alert's) opens its log.
  const linkedRun = Number(useNodeParams().run);
  const [pinnedRun, setPinnedRun] = useState<number | null>(Number.isInteger(linkedRun) && linkedRun > 0 ? linkedRun : null);
  const [logVersion, setLogVersion] = useState(0);
  const synchronize = useSynchronize({ followLink: false });
  const lastLogBump = useRef(0);

  const load = useCallback(() => {
    call("get_sync_status", {}).then(
      (s) => {
        setStatus(s);
        setProgress(progressOfRun(s.running));
        setFailure(null);
        setLogVersion((v) => v + 1);
      },
      (e: unknown) => setFailure(toApiFailure(e)),
    );
  }, []);

  useEffect(() => {
    load();
    call("site_info", {}).then(
      (i) => setSiteName(i.siteName),
      () => undefined, // the name only labels the row; get_sync_status reports failures
    );
  }, [load]);

  useEffect(
    () =>
      subscribe((event) => {
        setProgress((p) => applyEvent(p, event));
        if (needsStatusRefresh(event)) load();
        else if (isSyncProgress(event) && Date.now() - lastLogBump.current >= LOG_REFRESH_MS) {
          lastLogBump.current = Date.now();
          setLogVersion((v) => v + 1);
        }
      }),
    [load],
  );

  const running = status?.running ?? null;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(load, POLL_WHILE_RUNNING_MS);
    return () => clearInterval(timer);
  }, [running, load]);

  const row: UpdatePointRow | null = status ? updatePointRow(status, siteName ? `${strings.componentName} (${siteName})` : strings.componentName) : null;
  const rows = row ? [row] : [];
  const focused = row && selection.focus === 0 ? row : null;
  const history = status?.history ?? [];
  const logRun = pinnedRun !== null && history.some((r) => r.runId === pinnedRun) ? pinnedRun : (history[0]?.runId ?? null);
  const fraction = progress ? progressFraction(progress) : undefined;

  return (
    <div className={styles.root}>
      <CommandBar
        ariaLabel={t.commandsLabel}
        commands={[
          synchronize.command,
          { id: "refresh", label: t.refresh, icon: <ArrowClockwiseRegular />, group: "view", run: load },
        ]}
      />
      <div className={styles.heading}>
        <Subtitle2 as="h1">{t.pageTitle}</Subtitle2>
        <Text className={styles.count} role="status">
          {status ? t.items(rows.length) : strings.loading}
        </Text>
        {status?.nextScheduledUtc && <Text className={styles.muted}>{t.nextScheduled(formatUtc(status.nextScheduledUtc))}</Text>}
      </div>
      <div className={styles.bars}>
        {synchronize.bar}
        {failure && <ErrorBar title={t.loadFailed} message={failure.message} onRetry={load} retryLabel={strings.retry} />}
      </div>
      {running && progress && (
        <section className={styles.progress} aria-label={t.progressLabel} data-testid="sync-progress">
          <Field validationState="none" label={t.running}>
            <ProgressBar value={fraction} max={1} thickness="large" aria-label={t.progressLabel} />
          </Field>
          <div className={styles.progressText}>
            <Text size={200}>{progress.message}</Text>
            {fraction !== undefined && <Text size={200}>{t.progressPercent(Math.floor(fraction * 100))}</Text>}
          </div>
        </section>
      )}
      <div className={styles.grid}>
        <DataGrid<UpdatePointRow>
          ariaLabel={t.gridLabel}
          columns={statusColumns}
          rowCount={rows.length}
          getRow={(i) => rows[i]}
          selection={rows.length ? selection : emptySelection}
          onSelectionChange={setSelection}
          loadingText={strings.loading}
        />
      </div>
      <DetailsPane
        ariaLabel={t.details.label}
        height="48%"
        tabs={[
          {
            id: "summary",
            label: t.details.summary,
            render: () =>
              focused && status ? (
                <SyncSummary row={focused} status={status} progress={progress} />
              ) : (
                <Text className={styles.muted}>{t.details.nothingSelected}</Text>
              ),
          },
          {
            id: "history",
            label: t.details.history,
            render: () =>
              focused ? <SyncHistory history={history} /> : <Text className={styles.muted}>{t.details.nothingSelected}</Text>,
          },
          {
            id: "log",
            label: t.details.log,
            render: () =>
              !focused ? (
                <Text className={styles.muted}>{t.details.nothingSelected}</Text>
              ) : logRun === null ? (
                <Text className={styles.muted}>{t.details.noRuns}</Text>
              ) : (
                <SyncLogView history={history} runId={logRun} onRunChange={setPinnedRun} version={logVersion} />
              ),
          },
        ]}
      />
      {synchronize.dialog}
    </div>
  );
}
