// History tab: recent runs as two charts (duration; new / changed / expired) and a table.
import { makeStyles, tokens } from "@fluentui/react-components";
import type { SyncRunInfo } from "../../../api";
import { DataVizPalette } from "@fluentui/react-charts";
import { BarChart } from "../../../components/BarChart/BarChart";
import { formatCount, formatDuration, formatUtcSeconds } from "../../../components/format";
import { MutedText } from "../../../components/MutedText";
import { PlainTable, type PlainColumn } from "../../../components/PlainTable";
import { strings } from "../strings";
import { StateBadge } from "./columns";
import { chartRuns, durationSeconds } from "./model";

const d = strings.status.details;
const c = strings.status.columns;

const useStyles = makeStyles({
  charts: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalXXL, marginBottom: tokens.spacingVerticalM },
  table: { maxWidth: "1100px" },
});

const historyColumns: readonly PlainColumn<SyncRunInfo>[] = [
  { id: "runId", header: d.runId, render: (r) => r.runId },
  { id: "state", header: d.state, render: (r) => <StateBadge state={r.state} /> },
  { id: "started", header: d.started, render: (r) => formatUtcSeconds(r.startedUtc) },
  { id: "ended", header: d.ended, render: (r) => formatUtcSeconds(r.endedUtc) },
  { id: "duration", header: d.duration, render: (r) => formatDuration(durationSeconds(r)) },
  { id: "new", header: c.newCount, render: (r) => formatCount(r.newCount) },
  { id: "changed", header: c.changedCount, render: (r) => formatCount(r.changedCount) },
  { id: "expired", header: c.expiredCount, render: (r) => formatCount(r.expiredCount) },
  { id: "fetched", header: c.fetchedCount, render: (r) => formatCount(r.fetchedCount) },
  { id: "error", header: d.error, render: (r) => r.error ?? "" },
];

export function SyncHistory({ history }: { history: readonly SyncRunInfo[] }) {
  const styles = useStyles();
  if (history.length === 0) return <MutedText>{d.noRuns}</MutedText>;
  const runs = chartRuns(history);
  const labels = runs.map((r) => d.runLabel(r.runId));
  return (
    <div>
      {runs.length > 0 && (
        <div className={styles.charts}>
          <BarChart
            ariaLabel={d.durationChart}
            categoryLabel={d.runId}
            categories={labels}
            series={[
              {
                id: "duration",
                label: d.durationSeries,
                color: DataVizPalette.info,
                values: runs.map((r) => durationSeconds(r) ?? 0),
              },
            ]}
            formatValue={(v) => (v >= 10 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toFixed(2))}
          />
          <BarChart
            ariaLabel={d.countsChart}
            categoryLabel={d.runId}
            categories={labels}
            series={[
              { id: "new", label: d.newSeries, color: DataVizPalette.success, values: runs.map((r) => r.newCount) },
              {
                id: "changed",
                label: d.changedSeries,
                color: DataVizPalette.warning,
                values: runs.map((r) => r.changedCount),
              },
              {
                id: "expired",
                label: d.expiredSeries,
                color: DataVizPalette.error,
                values: runs.map((r) => r.expiredCount),
              },
            ]}
            formatValue={(v) => (Number.isInteger(v) ? v.toLocaleString() : v.toFixed(1))}
          />
        </div>
      )}
      <PlainTable
        className={styles.table}
        ariaLabel={d.history}
        columns={historyColumns}
        rows={history}
        rowKey={(r) => r.runId}
        rowData={(r) => ({ "data-run-id": r.runId })}
      />
    </div>
  );
}
