// The details pane's Summary of one device: who it is, how compliant, when last heard from.
import { PropertyList } from "../../components/PropertyList";
import { formatUtc } from "../../components/format";
import { strings } from "./strings";
import type { ComputerRow } from "./types";

const c = strings.columns;

/** The computer's inventory and activity as label / value pairs (Summary and General). */
export function computerProperties(row: ComputerRow) {
  return [
    { label: c.os, value: row.os },
    { label: c.osVersion, value: row.osVersion },
    { label: c.architecture, value: row.architecture },
    { label: c.ipAddress, value: row.ipAddress },
    { label: c.client, value: row.client ? strings.yes : strings.no },
    { label: c.clientVersion, value: row.clientVersion },
    { label: c.firstSeen, value: formatUtc(row.firstSeenUtc) },
    { label: c.lastScan, value: formatUtc(row.lastScanUtc) },
    { label: c.lastReport, value: formatUtc(row.lastReportUtc) },
    { label: strings.details.lastContact, value: formatUtc(row.lastSeenUtc) },
  ];
}

/** "Non-compliant: 3 needed, 1 failed, 40 installed, 200 not applicable". */
export function complianceText(row: ComputerRow): string {
  const counts = `${row.needed} ${c.needed.toLowerCase()}, ${row.failed} ${c.failed.toLowerCase()}, ${row.installed} ${c.installed.toLowerCase()}, ${row.notApplicable} ${c.notApplicable.toLowerCase()}`;
  return `${strings.compliance[row.compliance]}: ${counts}`;
}

export function ComputerSummary({ row }: { row: ComputerRow }) {
  return (
    <PropertyList
      ariaLabel={strings.details.summary}
      items={[
        { label: c.name, value: row.name },
        { label: c.compliance, value: complianceText(row) },
        ...(row.stale ? [{ label: c.stale, value: strings.details.stale }] : []),
        ...computerProperties(row),
        { label: c.groups, value: row.groups.join("; ") },
      ]}
    />
  );
}
