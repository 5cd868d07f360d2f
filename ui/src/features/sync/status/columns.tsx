// The columns of Software Update Point Synchronization Status (SYNC-6).
import { Badge } from "@fluentui/react-components";
import type { SyncState } from "../../../api";
import type { DataGridColumn } from "../../../components/DataGrid";
import { formatCount, formatUtcSeconds } from "../../../components/format";
import { strings } from "../strings";
import type { UpdatePointRow } from "./model";

const c = strings.status.columns;

export function StateBadge({ state }: { state: SyncState | null }) {
  if (state === null) return <>{strings.state.neverSynchronized}</>;
  const color = state === "Succeeded" ? "success" : state === "Failed" ? "danger" : "informative";
  return (
    <Badge appearance="tint" color={color} shape="rounded">
      {strings.state[state]}
    </Badge>
  );
}

export function sourceText(r: UpdatePointRow): string {
  return r.source === "MicrosoftUpdate" ? strings.source.MicrosoftUpdate : r.upstream;
}

const count = (pick: (r: NonNullable<UpdatePointRow["lastFinished"]>) => number) => (row: UpdatePointRow) =>
  row.lastFinished ? formatCount(pick(row.lastFinished)) : "";

export const statusColumns: readonly DataGridColumn<UpdatePointRow>[] = [
  { id: "name", header: c.updatePoint, width: 190, render: (r) => r.name, title: (r) => r.name },
  {
    id: "source",
    header: c.source,
    width: 190,
    render: (r) => sourceText(r),
    title: (r) => sourceText(r),
  },
  { id: "state", header: c.state, width: 110, render: (r) => <StateBadge state={r.state} /> },
  { id: "lastStart", header: c.lastStart, width: 150, render: (r) => formatUtcSeconds(r.lastStartUtc), title: (r) => formatUtcSeconds(r.lastStartUtc) || undefined },
  { id: "lastEnd", header: c.lastEnd, width: 150, render: (r) => formatUtcSeconds(r.lastEndUtc), title: (r) => formatUtcSeconds(r.lastEndUtc) || undefined },
  { id: "result", header: c.result, width: 130, render: (r) => (r.lastFinished ? strings.state[r.lastFinished.state] : "") },
  { id: "catalogVersion", header: c.catalogVersion, width: 120, render: (r) => r.catalogVersion ?? "" },
  { id: "new", header: c.newCount, width: 64, align: "end", render: count((r) => r.newCount) },
  { id: "changed", header: c.changedCount, width: 80, align: "end", render: count((r) => r.changedCount) },
  { id: "expired", header: c.expiredCount, width: 76, align: "end", render: count((r) => r.expiredCount) },
  { id: "fetched", header: c.fetchedCount, width: 76, align: "end", render: count((r) => r.fetchedCount) },
  {
    id: "error",
    header: c.error,
    width: 320,
    render: (r) => r.lastFinished?.error ?? "",
    title: (r) => r.lastFinished?.error ?? undefined,
  },
];
