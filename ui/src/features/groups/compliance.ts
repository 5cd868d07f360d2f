// A software update group's compliance as one number, as the reference console's
// "Compliance %" column shows it.
import type { ComplianceCounts } from "./types";

/** Percent of reports that are compliant (installed or not required); null with no reports. */
export function compliancePercent(c: ComplianceCounts): number | null {
  const total = c.required + c.installed + c.notRequired + c.failed + c.unknown;
  if (total === 0) return null;
  return Math.floor(((c.installed + c.notRequired) * 100) / total);
}
