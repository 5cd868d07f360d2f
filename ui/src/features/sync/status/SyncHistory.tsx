// History tab: recent runs as two charts (duration; new / changed / expired) and a table.
import {
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import type { SyncRunInfo } from "../../../api";
import { BarChart } from "../../../components/BarChart/BarChart";
import { formatCount, formatDuration, formatUtcSeconds } from "../../../components/format";
import { strings } from "../strings";
import { StateBadge } from "./columns";
import { chartRuns, durationSeconds } from "./model";

const d = strings.status.details;
const c = strings.status.columns;

const useStyles = makeStyles({
  charts: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalXXL, marginBottom: tokens.spacingVerticalM },
  muted: { color: tokens.colorNeutralForeground3 },
  table: { maxWidth: "1100px" },
});

export function SyncHistory({ history }: { history: readonly SyncRunInfo[] }) {
  const styles = useStyles();
  if (history.length === 0) return <Text className={styles.muted}>{d.noRuns}</Text>;
  const runs = chartRuns(history);
  const labels = runs.map((r) => d.runLabel(r.runId));
  return (
    <div>
      {runs.length > 0 && (
        <div className={styles.charts}>
          <BarChart
            ariaLabel={d.durationChart}
            categories={labels}
            series={[
              {
                id: "duration",
                label: d.durationSeries,
                color: tokens.colorPaletteBlueBorderActive,
                values: runs.map((r) => durationSeconds(r) ?? 0),
              },
            ]}
            formatValue={(v) => (v >= 10 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toFixed(2))}
          />
          <BarChart
            ariaLabel={d.countsChart}
            categories={labels}
            series={[
              { id: "new", label: d.newSeries, color: tokens.colorPaletteGreenBorderActive, values: runs.map((r) => r.newCount) },
              {
                id: "changed",
                label: d.changedSeries,
                color: tokens.colorPaletteMarigoldBorderActive,
                values: runs.map((r) => r.changedCount),
              },
              {
                id: "expired",
                label: d.expiredSeries,
                color: tokens.colorPaletteRedBorderActive,
                values: runs.map((r) => r.expiredCount),
              },
            ]}
            formatValue={(v) => (Number.isInteger(v) ? v.toLocaleString() : v.toFixed(1))}
          />
        </div>
      )}
      <Table size="extra-small" className={styles.table} aria-label={d.history}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell>{d.runId}</TableHeaderCell>
            <TableHeaderCell>{d.state}</TableHeaderCell>
            <TableHeaderCell>{d.started}</TableHeaderCell>
            <TableHeaderCell>{d.ended}</TableHeaderCell>
            <TableHeaderCell>{d.duration}</TableHeaderCell>
            <TableHeaderCell>{c.newCount}</TableHeaderCell>
            <TableHeaderCell>{c.changedCount}</TableHeaderCell>
            <TableHeaderCell>{c.expiredCount}</TableHeaderCell>
            <TableHeaderCell>{c.fetchedCount}</TableHeaderCell>
            <TableHeaderCell>{d.error}</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {history.map((r) => (
            <TableRow key={r.runId} data-run-id={r.runId}>
              <TableCell>{r.runId}</TableCell>
              <TableCell>
                <StateBadge state={r.state} />
              </TableCell>
              <TableCell>{formatUtcSeconds(r.startedUtc)}</TableCell>
              <TableCell>{formatUtcSeconds(r.endedUtc)}</TableCell>
              <TableCell>{formatDuration(durationSeconds(r))}</TableCell>
              <TableCell>{formatCount(r.newCount)}</TableCell>
              <TableCell>{formatCount(r.changedCount)}</TableCell>
              <TableCell>{formatCount(r.expiredCount)}</TableCell>
              <TableCell>{formatCount(r.fetchedCount)}</TableCell>
              <TableCell>{r.error ?? ""}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
