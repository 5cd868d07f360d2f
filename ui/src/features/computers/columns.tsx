// The columns of Devices (Configuration Manager's Devices node, adapted to what a site holds)
// and which of them the site sorts on.
import type { DataGridColumn, SortState } from "../../components/DataGrid";
import { formatUtc, formatUtcSeconds } from "../../components/format";
import { strings } from "./strings";
import type { ComputerColumn, ComputerRow } from "./types";

const c = strings.columns;
const count = (n: number) => String(n);

export const computerColumns: readonly DataGridColumn<ComputerRow>[] = [
  { id: "name", header: c.name, width: 200, sortable: true, render: (r) => r.name, title: (r) => r.name },
  { id: "client", header: c.client, width: 70, render: (r) => (r.client ? strings.yes : strings.no) },
  { id: "compliance", header: c.compliance, width: 120, sortable: true, render: (r) => strings.compliance[r.compliance] },
  { id: "needed", header: c.needed, width: 80, sortable: true, align: "end", render: (r) => count(r.needed) },
  { id: "failed", header: c.failed, width: 70, sortable: true, align: "end", render: (r) => count(r.failed) },
  { id: "installed", header: c.installed, width: 80, sortable: true, align: "end", render: (r) => count(r.installed) },
  { id: "notApplicable", header: c.notApplicable, width: 110, sortable: true, align: "end", render: (r) => count(r.notApplicable) },
  { id: "os", header: c.os, width: 220, sortable: true, render: (r) => r.os, title: (r) => r.os },
  { id: "osVersion", header: c.osVersion, width: 120, sortable: true, render: (r) => r.osVersion },
  { id: "architecture", header: c.architecture, width: 100, sortable: true, render: (r) => r.architecture },
  { id: "ipAddress", header: c.ipAddress, width: 130, sortable: true, render: (r) => r.ipAddress },
  { id: "clientVersion", header: c.clientVersion, width: 120, sortable: true, render: (r) => r.clientVersion },
  { id: "lastScan", header: c.lastScan, width: 140, sortable: true, render: (r) => formatUtc(r.lastScanUtc), title: (r) => formatUtcSeconds(r.lastScanUtc) || undefined },
  {
    id: "lastReport",
    header: c.lastReport,
    width: 140,
    sortable: true,
    render: (r) => formatUtc(r.lastReportUtc),
    title: (r) => formatUtcSeconds(r.lastReportUtc) || undefined,
  },
  { id: "firstSeen", header: c.firstSeen, width: 140, sortable: true, render: (r) => formatUtc(r.firstSeenUtc), title: (r) => formatUtcSeconds(r.firstSeenUtc) || undefined },
  { id: "stale", header: c.stale, width: 70, render: (r) => (r.stale ? strings.yes : strings.no) },
  { id: "groups", header: c.groups, width: 260, render: (r) => r.groups.join("; "), title: (r) => r.groups.join("\n") },
];

const SORTABLE: readonly ComputerColumn[] = [
  "name",
  "os",
  "osVersion",
  "architecture",
  "ipAddress",
  "clientVersion",
  "lastScan",
  "lastReport",
  "firstSeen",
  "needed",
  "failed",
  "installed",
  "notApplicable",
  "compliance",
];

/** The grid's sort as the site's, or null (by name) for a column the site does not sort on. */
export function computerSort(sort: SortState | null): { column: ComputerColumn; descending: boolean } | null {
  if (!sort || !(SORTABLE as readonly string[]).includes(sort.columnId)) return null;
  return { column: sort.columnId as ComputerColumn, descending: sort.descending };
}
