// The console's map: four workspaces, their node trees, and which feature page each node
// shows. A new feature registers its page here; nodes without one say "not available yet".
import type { ReactElement, ReactNode } from "react";
import { DesktopRegular, LibraryRegular, PulseRegular, SettingsRegular } from "@fluentui/react-icons";
import type { TreeNode } from "../components/NodeTree/NodeTree";
import { AlertsPage } from "../features/alerts/AlertsPage";
import { WorkspaceOverviewPage } from "../features/overview/WorkspaceOverviewPage";
import { AllUpdatesPage } from "../features/updates/AllUpdatesPage";
import { AuditLogPage } from "../features/audit/AuditLogPage";
import { AdrPage } from "../features/automation/adr/AdrPage";
import { AdrRunsPage } from "../features/automation/adr/AdrRunsPage";
import { AgentPolicyPage } from "../features/automation/agentPolicy/AgentPolicyPage";
import { AutoApprovalPage } from "../features/automation/approvalRules/AutoApprovalPage";
import { LibraryOverviewPage } from "../features/automation/overview/LibraryOverviewPage";
import { DistributionPointsPage } from "../features/content/DistributionPointsPage";
import { PackagesPage } from "../features/content/PackagesPage";
import { DevicesPage } from "../features/computers/DevicesPage";
import { DeploymentsPage } from "../features/deployments/DeploymentsPage";
import { TargetGroupsPage } from "../features/groups/TargetGroupsPage";
import { UpdateGroupsPage } from "../features/groups/UpdateGroupsPage";
import { AdministrativeUsersPage, SecurityRolesPage } from "../features/security/SecurityPages";
import { SitesPage } from "../features/sites/SitesPage";
import { SyncStatusPage } from "../features/sync/status/SyncStatusPage";
import { nodeIds } from "./navigate";
import { strings } from "./strings";

export interface NavNode extends TreeNode {
  children?: readonly NavNode[];
  /** The node's view; absent = not built yet. */
  page?: () => ReactNode;
}

export interface Workspace {
  id: string;
  label: string;
  icon: ReactElement;
  nodes: readonly NavNode[];
  /** Node selected when the workspace is first opened. */
  defaultNode: string;
}

const n = strings.node;

export const workspaces: readonly Workspace[] = [
  {
    id: "assets",
    label: strings.workspace.assets,
    icon: <DesktopRegular />,
    defaultNode: "assets.overview",
    nodes: [
      { id: "assets.overview", label: n.overview, page: () => <WorkspaceOverviewPage workspace="assets" /> },
      { id: "assets.devices", label: n.devices, page: () => <DevicesPage /> },
      { id: "assets.collections", label: n.deviceCollections, page: () => <TargetGroupsPage /> },
    ],
  },
  {
    id: "library",
    label: strings.workspace.library,
    icon: <LibraryRegular />,
    defaultNode: "library.allUpdates",
    nodes: [
      { id: "library.overview", label: n.overview, page: () => <LibraryOverviewPage /> },
      {
        id: "library.softwareUpdates",
        label: n.softwareUpdates,
        children: [
          { id: nodeIds.allUpdates.node, label: n.allSoftwareUpdates, page: () => <AllUpdatesPage /> },
          { id: "library.updateGroups", label: n.softwareUpdateGroups, page: () => <UpdateGroupsPage /> },
          { id: "library.deploymentPackages", label: n.deploymentPackages, page: () => <PackagesPage /> },
          { id: "library.adrs", label: n.automaticDeploymentRules, page: () => <AdrPage /> },
          { id: "library.thirdParty", label: n.thirdPartyUpdates },
        ],
      },
      {
        id: "library.operatingSystems",
        label: n.operatingSystems,
        children: [
          { id: "library.osImages", label: n.osImages },
          { id: "library.osUpgradePackages", label: n.osUpgradePackages },
        ],
      },
    ],
  },
  {
    id: "monitoring",
    label: strings.workspace.monitoring,
    icon: <PulseRegular />,
    defaultNode: "monitoring.overview",
    nodes: [
      { id: "monitoring.overview", label: n.overview, page: () => <WorkspaceOverviewPage workspace="monitoring" /> },
      { id: nodeIds.syncStatus.node, label: n.supSyncStatus, page: () => <SyncStatusPage /> },
      { id: "monitoring.deployments", label: n.deployments, page: () => <DeploymentsPage /> },
      { id: "monitoring.ruleRuns", label: n.ruleRuns, page: () => <AdrRunsPage /> },
      { id: "monitoring.offlineServicing", label: n.offlineServicing },
      { id: "monitoring.alerts", label: n.alerts, page: () => <AlertsPage /> },
      { id: "monitoring.audit", label: n.auditLog, page: () => <AuditLogPage /> },
    ],
  },
  {
    id: "administration",
    label: strings.workspace.administration,
    icon: <SettingsRegular />,
    defaultNode: "administration.overview",
    nodes: [
      { id: "administration.overview", label: n.overview, page: () => <WorkspaceOverviewPage workspace="administration" /> },
      {
        id: "administration.siteConfiguration",
        label: n.siteConfiguration,
        children: [{ id: "administration.sites", label: n.sites, page: () => <SitesPage /> }],
      },
      { id: "administration.distributionPoints", label: n.distributionPoints, page: () => <DistributionPointsPage /> },
      { id: "administration.agentPolicy", label: n.updateAgentPolicy, page: () => <AgentPolicyPage /> },
      { id: "administration.autoApproval", label: n.autoApprovalRules, page: () => <AutoApprovalPage /> },
      {
        id: "administration.security",
        label: n.security,
        children: [
          { id: "administration.adminUsers", label: n.administrativeUsers, page: () => <AdministrativeUsersPage /> },
          { id: "administration.securityRoles", label: n.securityRoles, page: () => <SecurityRolesPage /> },
        ],
      },
    ],
  },
];

export function findNode(nodes: readonly NavNode[], id: string): NavNode | undefined {
  for (const node of nodes) {
    if (node.id === id) return node;
    const inner = node.children && findNode(node.children, id);
    if (inner) return inner;
  }
  return undefined;
}
