// A stored deployment made from a spec, as the site answers list_deployments (tests only).
import type { Deployment, DeploymentSpec } from "./types";

export function deploymentOf(spec: DeploymentSpec, over: Partial<Deployment> = {}): Deployment {
  return {
    id: 5,
    name: spec.name,
    description: spec.description,
    updateGroupId: 12,
    updateGroupName: "Patch Tuesday",
    updateCount: 2,
    targetGroupId: spec.targetGroupId,
    targetGroupPath: "All Computers / Servers",
    enabled: true,
    settings: spec.settings,
    createdUtc: "2026-11-29T05:42:17.000Z",
    modifiedUtc: "2026-11-29T05:42:17.000Z",
    createdBy: "admin",
    counts: { compliant: 0, inProgress: 0, error: 0, requirementsNotMet: 0, unknown: 0 },
    ...over,
  };
}
