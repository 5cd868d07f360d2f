// The columns of Monitoring > Deployments.
import { Badge } from "@fluentui/react-components";
import type { DataGridColumn } from "../../components/DataGrid";
import { formatCount, formatUtc, formatUtcSeconds } from "../../components/format";
import { fromWire, showWallClock } from "./model";
import { strings } from "./strings";
import type { Deployment, TimeBasis } from "./types";

const c = strings.page.columns;
const v = strings.wizard.summaryValues;

/** A deployment time as set: a UTC time, or a wall-clock time each client reads locally. */
export function deploymentTime(value: string | null, basis: TimeBasis): string {
  if (!value) return "";
  const wall = fromWire(value);
  if (!wall) return value;
  return basis === "Utc" ? v.utcTime(showWallClock(wall)) : v.localTime(showWallClock(wall));
}

const count = (pick: (d: Deployment) => number) => (d: Deployment) => formatCount(pick(d));

export const deploymentColumns: readonly DataGridColumn<Deployment>[] = [
  { id: "name", header: c.name, width: 220, render: (d) => d.name, title: (d) => d.name },
  { id: "group", header: c.group, width: 200, render: (d) => d.updateGroupName, title: (d) => d.updateGroupName },
  { id: "collection", header: c.collection, width: 180, render: (d) => d.targetGroupPath, title: (d) => d.targetGroupPath },
  { id: "type", header: c.type, width: 90, render: (d) => strings.wizard.settings[d.settings.deploymentType] },
  {
    id: "enabled",
    header: c.enabled,
    width: 80,
    render: (d) => (
      <Badge appearance="tint" color={d.enabled ? "success" : "subtle"} shape="rounded">
        {d.enabled ? strings.yes : strings.no}
      </Badge>
    ),
  },
  {
    id: "available",
    header: c.available,
    width: 170,
    render: (d) => deploymentTime(d.settings.availableUtc, d.settings.timeBasis),
  },
  {
    id: "deadline",
    header: c.deadline,
    width: 170,
    render: (d) => deploymentTime(d.settings.deadlineUtc, d.settings.timeBasis),
  },
  { id: "compliant", header: c.compliant, width: 90, align: "end", render: count((d) => d.counts.compliant) },
  { id: "inProgress", header: c.inProgress, width: 90, align: "end", render: count((d) => d.counts.inProgress) },
  { id: "error", header: c.error, width: 64, align: "end", render: count((d) => d.counts.error) },
  { id: "requirementsNotMet", header: c.requirementsNotMet, width: 150, align: "end", render: count((d) => d.counts.requirementsNotMet) },
  { id: "unknown", header: c.unknown, width: 80, align: "end", render: count((d) => d.counts.unknown) },
  { id: "created", header: c.created, width: 140, render: (d) => formatUtc(d.createdUtc), title: (d) => formatUtcSeconds(d.createdUtc) || undefined },
];
