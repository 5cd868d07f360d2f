// The console's map: four workspaces, their node trees, and which feature page each node
// shows. A new feature registers its page here; nodes without one say "not available yet".
import { lazy, type ComponentType, type ReactElement, type ReactNode } from "react";
import { DesktopRegular, LibraryRegular, PulseRegular, SettingsRegular } from "@fluentui/react-icons";
import type { TreeNode } from "../components/NodeTree/NodeTree";
import { AllUpdatesPage } from "../features/updates/AllUpdatesPage";
import { nodeIds } from "./navigate";
import { strings } from "./strings";

// Every page but the one the console opens on is loaded when first shown: the first rows
// do not wait for the code of nodes nobody has opened yet (issue 19).
const prefetchers: (() => Promise<unknown>)[] = [];

function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>) {
  // Once fetched (by a first view or by prefetchPages), the page renders at once, without
  // a round through Suspense.
  let loaded: ComponentType<P> | undefined;
  const fetch = async () => (loaded ??= await load());
  const Lazy = lazy(async () => ({ default: await fetch() }));
  prefetchers.push(fetch);
  return function Page(props: P) {
    const Loaded = loaded;
    return Loaded ? <Loaded {...props} /> : <Lazy {...props} />;
  };
}

/** Fetches every page's code, for when the first view has settled: later views open at once. */
export function prefetchPages(): void {
  for (const fetch of prefetchers) void fetch().catch(() => undefined);
}
const AlertsPage = lazyPage(() => import("../features/alerts/AlertsPage").then((m) => m.AlertsPage));
const WorkspaceOverviewPage = lazyPage(() => import("../features/overview/WorkspaceOverviewPage").then((m) => m.WorkspaceOverviewPage));
const AuditLogPage = lazyPage(() => import("../features/audit/AuditLogPage").then((m) => m.AuditLogPage));
const AdrPage = lazyPage(() => import("../features/automation/adr/AdrPage").then((m) => m.AdrPage));
const AdrRunsPage = lazyPage(() => import("../features/automation/adr/AdrRunsPage").then((m) => m.AdrRunsPage));
const AgentPolicyPage = lazyPage(() => import("../features/automation/agentPolicy/AgentPolicyPage").then((m) => m.AgentPolicyPage));
const AutoApprovalPage = lazyPage(() => import("../features/automation/approvalRules/AutoApprovalPage").then((m) => m.AutoApprovalPage));
const LibraryOverviewPage = lazyPage(() => import("../features/automation/overview/LibraryOverviewPage").then((m) => m.LibraryOverviewPage));
const DistributionPointsPage = lazyPage(() => import("../features/content/DistributionPointsPage").then((m) => m.DistributionPointsPage));
const PackagesPage = lazyPage(() => import("../features/content/PackagesPage").then((m) => m.PackagesPage));
const OsImagesPage = lazyPage(() => import("../features/osImages/OsImagesPage").then((m) => m.OsImagesPage));
const OfflineServicingPage = lazyPage(() => import("../features/osImages/OfflineServicingPage").then((m) => m.OfflineServicingPage));
const OsUpgradePackagesPage = lazyPage(() => import("../features/osImages/OsImagesPage").then((m) => m.OsUpgradePackagesPage));
const DevicesPage = lazyPage(() => import("../features/computers/DevicesPage").then((m) => m.DevicesPage));
const DeploymentsPage = lazyPage(() => import("../features/deployments/DeploymentsPage").then((m) => m.DeploymentsPage));
const TargetGroupsPage = lazyPage(() => import("../features/groups/TargetGroupsPage").then((m) => m.TargetGroupsPage));
const UpdateGroupsPage = lazyPage(() => import("../features/groups/UpdateGroupsPage").then((m) => m.UpdateGroupsPage));
const AdministrativeUsersPage = lazyPage(() => import("../features/security/SecurityPages").then((m) => m.AdministrativeUsersPage));
const SecurityRolesPage = lazyPage(() => import("../features/security/SecurityPages").then((m) => m.SecurityRolesPage));
const SitesPage = lazyPage(() => import("../features/sites/SitesPage").then((m) => m.SitesPage));
const ThirdPartyPage = lazyPage(() => import("../features/thirdParty/ThirdPartyPage").then((m) => m.ThirdPartyPage));
const SyncStatusPage = lazyPage(() => import("../features/sync/status/SyncStatusPage").then((m) => m.SyncStatusPage));

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
          { id: "library.thirdParty", label: n.thirdPartyUpdates, page: () => <ThirdPartyPage /> },
        ],
      },
      {
        id: "library.operatingSystems",
        label: n.operatingSystems,
        children: [
          { id: "library.osImages", label: n.osImages, page: () => <OsImagesPage /> },
          { id: "library.osUpgradePackages", label: n.osUpgradePackages, page: () => <OsUpgradePackagesPage /> },
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
      { id: "monitoring.offlineServicing", label: n.offlineServicing, page: () => <OfflineServicingPage /> },
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
