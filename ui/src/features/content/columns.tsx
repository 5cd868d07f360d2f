// Columns of Deployment Packages and Distribution Points.
import { Badge } from "@fluentui/react-components";
import type { DataGridColumn } from "../../components/DataGrid";
import { formatBytes, formatCount, formatUtc, formatUtcSeconds } from "../../components/format";
import { strings } from "./strings";
import type { ContentPackage, DistributionPoint, DistributionState } from "./types";

const p = strings.packages;
const d = strings.dps;

export function distributionText(pkg: ContentPackage): string {
  const s = pkg.distribution;
  return p.distributionText(s.installed, s.inProgress, s.pending, s.failed);
}

export function DistributionBadge({ state }: { state: DistributionState }) {
  const color = state === "Installed" ? "success" : state === "Failed" ? "danger" : state === "InProgress" ? "informative" : "subtle";
  return (
    <Badge appearance="tint" color={color} shape="rounded">
      {p.distState[state]}
    </Badge>
  );
}

export const packageColumns: readonly DataGridColumn<ContentPackage>[] = [
  { id: "name", header: p.columns.name, width: 240, render: (r) => r.name, title: (r) => r.name },
  { id: "files", header: p.columns.files, width: 70, align: "end", render: (r) => formatCount(r.fileCount) },
  { id: "size", header: p.columns.size, width: 100, align: "end", render: (r) => formatBytes(r.totalBytes) },
  { id: "downloaded", header: p.columns.downloaded, width: 110, align: "end", render: (r) => p.downloadedText(r.downloadedCount, r.fileCount) },
  { id: "distribution", header: p.columns.distribution, width: 220, render: distributionText, title: distributionText },
  { id: "created", header: p.columns.created, width: 150, render: (r) => formatUtc(r.createdUtc), title: (r) => formatUtcSeconds(r.createdUtc) || undefined },
];

export const dpColumns: readonly DataGridColumn<DistributionPoint>[] = [
  { id: "name", header: d.columns.name, width: 200, render: (r) => r.name, title: (r) => r.name },
  { id: "kind", header: d.columns.kind, width: 120, render: (r) => d.kind[r.kind] },
  { id: "location", header: d.columns.location, width: 360, render: (r) => r.location, title: (r) => r.location },
  { id: "created", header: d.columns.created, width: 150, render: (r) => formatUtc(r.createdUtc), title: (r) => formatUtcSeconds(r.createdUtc) || undefined },
];
