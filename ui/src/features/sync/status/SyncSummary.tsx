// Summary tab: everything known about the update point, in one list (SYNC-6).
import type { SyncStatus } from "../../../api";
import { formatCount, formatUtc, formatUtcSeconds } from "../../../components/format";
import { PropertyList } from "../../../components/PropertyList";
import { scheduleText } from "../properties/siteComponent";
import { strings } from "../strings";
import { StateBadge, sourceText } from "./columns";
import { coverageLines, type LiveProgress, type UpdatePointRow } from "./model";

const c = strings.status.columns;
const d = strings.status.details;

export function SyncSummary({ row, status, progress }: { row: UpdatePointRow; status: SyncStatus; progress: LiveProgress | null }) {
  const last = row.lastFinished;
  const n = (v: number | undefined) => (v === undefined ? "" : formatCount(v));
  return (
    <PropertyList
      ariaLabel={d.summary}
      items={[
        { label: c.updatePoint, value: row.name },
        { label: c.source, value: `${strings.source[row.source]}${row.source === "MicrosoftUpdate" ? "" : ` (${sourceText(row)})`}` },
        { label: c.state, value: <StateBadge state={row.state} /> },
        ...(row.running && progress ? [{ label: d.progress, value: progress.message }] : []),
        { label: c.lastStart, value: formatUtcSeconds(row.lastStartUtc) || strings.never },
        { label: c.lastEnd, value: formatUtcSeconds(row.lastEndUtc) || (row.running ? "" : strings.never) },
        { label: c.result, value: last ? strings.state[last.state] : strings.never },
        { label: c.error, value: last?.error ?? strings.none },
        { label: c.catalogVersion, value: row.catalogVersion ?? strings.none },
        { label: c.newCount, value: n(last?.newCount) },
        { label: c.changedCount, value: n(last?.changedCount) },
        { label: c.expiredCount, value: n(last?.expiredCount) },
        { label: c.fetchedCount, value: n(last?.fetchedCount) },
        ...coverageLines(status.coverage),
        { label: d.schedule, value: scheduleText(status.settings) },
        // The site states the next run once its scheduler knows it; a manual schedule has none.
        ...(status.nextScheduledUtc
          ? [{ label: d.nextScheduled, value: formatUtc(status.nextScheduledUtc) }]
          : status.settings.schedule.kind === "Manual"
            ? [{ label: d.nextScheduled, value: d.neverScheduled }]
            : []),
      ]}
    />
  );
}
