// The console frame: title bar, navigation pane (node tree above, workspace switcher below,
// as in the reference console) and the selected node's view. The navigation pane collapses
// to a rail of workspace icons, which the console remembers, to give a small screen's width
// to the grid.
import { Suspense, useCallback, useEffect, useState } from "react";
import { Button, Spinner, Tab, TabList, Text, makeStyles, mergeClasses, tokens, Subtitle2 } from "@fluentui/react-components";
import { PanelLeftContractRegular, PanelLeftExpandRegular, ShieldCheckmarkRegular } from "@fluentui/react-icons";
import { call, signOut, toApiFailure, transportKind } from "../api";
import { openLogFolder } from "../api/desktop";
import { NodeTree } from "../components/NodeTree/NodeTree";
import { NotAvailable } from "../components/NotAvailable";
import { deniedReason, useWhoAmI } from "../components/CommandBar/access";
import { useStoredState } from "../components/useStoredState";
import { FirstRunWizard } from "../features/sync/firstRun/FirstRunWizard";
import { EmptyNode, hasEmptyState } from "./emptyNodes";
import { FirstRunContext } from "./firstRun";
import { NavigateContext, NodeIdContext, NodeParamsContext } from "./navigate";
import { findNode, prefetchPages, workspaces } from "./navigation";
import { strings } from "./strings";

const useStyles = makeStyles({
  loading: { alignSelf: "center", justifySelf: "center", padding: tokens.spacingVerticalXXL },
  root: {
    display: "grid",
    gridTemplateRows: "auto minmax(0, 1fr)",
    gridTemplateColumns: "minmax(220px, 280px) 1fr",
    height: "100vh",
    transitionProperty: "grid-template-columns",
    transitionDuration: tokens.durationFast,
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
  },
  rootCollapsed: { gridTemplateColumns: "44px 1fr" },
  titleBar: {
    gridColumn: "1 / span 2",
    display: "flex",
    alignItems: "center",
    gap: tokens.spacingHorizontalM,
    paddingLeft: tokens.spacingHorizontalM,
    paddingRight: tokens.spacingHorizontalM,
    height: "40px",
    backgroundColor: tokens.colorBrandBackground,
    color: tokens.colorNeutralForegroundOnBrand,
  },
  product: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400 },
  site: { color: tokens.colorNeutralForegroundOnBrand, flexGrow: 1 },
  signOut: { color: tokens.colorNeutralForegroundOnBrand },
  nav: {
    display: "flex",
    flexDirection: "column",
    minHeight: 0,
    borderRightWidth: tokens.strokeWidthThin,
    borderRightStyle: "solid",
    borderRightColor: tokens.colorNeutralStroke2,
    backgroundColor: tokens.colorNeutralBackground2,
  },
  navTitleCollapsed: { justifyContent: "center", paddingLeft: tokens.spacingHorizontalXS },
  navTitle: {
    display: "flex",
    alignItems: "center",
    justifyContent: "space-between",
    gap: tokens.spacingHorizontalXS,
    minHeight: "40px",
    padding: `0 ${tokens.spacingHorizontalXS} 0 ${tokens.spacingHorizontalM}`,
    borderBottomWidth: tokens.strokeWidthThin,
    borderBottomStyle: "solid",
    borderBottomColor: tokens.colorNeutralStroke2,
  },
  tree: { flexGrow: 1, overflow: "auto", padding: tokens.spacingVerticalXS },
  switcher: {
    borderTopWidth: tokens.strokeWidthThin,
    borderTopStyle: "solid",
    borderTopColor: tokens.colorNeutralStroke2,
    padding: tokens.spacingVerticalXS,
  },
  main: { display: "flex", flexDirection: "column", minWidth: 0, minHeight: 0, overflow: "hidden" },
});

const NO_PARAMS: Record<string, string> = {};
const isBoolean = (v: unknown): v is boolean => typeof v === "boolean";

export function ConsoleShell() {
  const styles = useStyles();
  const [workspaceId, setWorkspaceId] = useState(workspaces[1].id);
  const [selected, setSelected] = useState<Record<string, string>>(() =>
    Object.fromEntries(workspaces.map((w) => [w.id, w.defaultNode])),
  );
  // whoami is read once per sign-in for the command bars anyway: the frame takes the site's
  // name from it rather than asking site_info, which counts the catalog.
  const who = useWhoAmI();
  const siteName = who?.siteName ?? null;
  const [collapsed, setCollapsed] = useStoredState("shell.navCollapsed", false, isBoolean);
  // The parameters of the last navigation, kept for that node only: choosing it again from
  // the tree opens it plain.
  const [nodeParams, setNodeParams] = useState<{ nodeId: string; params: Record<string, string>; visit: number } | null>(null);

  // The first-run wizard: open by itself on a site never configured; the page in view is
  // read again once it closes, so what the first synchronization brought shows at once.
  const [firstRun, setFirstRun] = useState(false);
  const [reload, setReload] = useState(0);
  const openFirstRun = useCallback(() => setFirstRun(true), []);
  // The other pages' code, once the first view has had the network and the CPU to itself.
  useEffect(() => {
    const timer = window.setTimeout(prefetchPages, 2000);
    return () => window.clearTimeout(timer);
  }, []);

  useEffect(() => {
    call("first_run_status", {}).then(
      (s) => s.openOnStart && setFirstRun(true),
      () => undefined, // the page in view reports failures itself
    );
  }, []);

  const navigateTo = useCallback((workspaceId: string, nodeId: string, params?: Record<string, string>) => {
    setWorkspaceId(workspaceId);
    setSelected((s) => ({ ...s, [workspaceId]: nodeId }));
    setNodeParams((p) => (params ? { nodeId, params, visit: (p?.visit ?? 0) + 1 } : null));
  }, []);

  const workspace = workspaces.find((w) => w.id === workspaceId) ?? workspaces[0];
  const nodeId = selected[workspace.id];
  const node = findNode(workspace.nodes, nodeId);
  const params = nodeParams && nodeParams.nodeId === nodeId ? nodeParams : null;

  return (
    <div className={mergeClasses(styles.root, collapsed && styles.rootCollapsed)}>
      <header className={styles.titleBar}>
        <ShieldCheckmarkRegular fontSize={20} aria-hidden />
        <Text className={styles.product}>{strings.productName}</Text>
        <Text className={styles.site}>{siteName ? strings.connectedTo(siteName) : ""}</Text>
        {transportKind === "http" && (
          <Button appearance="transparent" size="small" className={styles.signOut} onClick={signOut}>
            {strings.signOut}
          </Button>
        )}
        {transportKind === "tauri" && <OpenLogFolder className={styles.signOut} />}
      </header>
      <nav className={styles.nav} aria-label={strings.navigation}>
        <div className={mergeClasses(styles.navTitle, collapsed && styles.navTitleCollapsed)}>
          {!collapsed && <Subtitle2 as="h2">{workspace.label}</Subtitle2>}
          <Button
            appearance="subtle"
            size="small"
            icon={collapsed ? <PanelLeftExpandRegular /> : <PanelLeftContractRegular />}
            aria-label={collapsed ? strings.expandNavigation : strings.collapseNavigation}
            title={collapsed ? strings.expandNavigation : strings.collapseNavigation}
            aria-expanded={!collapsed}
            onClick={() => setCollapsed(!collapsed)}
          />
        </div>
        <div className={styles.tree} hidden={collapsed}>
          <NodeTree
            key={workspace.id}
            ariaLabel={workspace.label}
            nodes={workspace.nodes}
            selectedId={nodeId}
            onSelect={(id) => {
              setNodeParams(null);
              setSelected((s) => ({ ...s, [workspace.id]: id }));
            }}
          />
        </div>
        <div className={styles.switcher}>
          <TabList
            vertical
            aria-label={strings.workspaces}
            selectedValue={workspace.id}
            onTabSelect={(_, data) => setWorkspaceId(String(data.value))}
          >
            {workspaces.map((w) =>
              collapsed ? (
                <Tab key={w.id} value={w.id} icon={w.icon} aria-label={w.label} title={w.label} />
              ) : (
                <Tab key={w.id} value={w.id} icon={w.icon}>
                  {w.label}
                </Tab>
              ),
            )}
          </TabList>
        </div>
      </nav>
      <main className={styles.main} aria-label={node?.label}>
        <NavigateContext.Provider value={navigateTo}>
          <FirstRunContext.Provider value={openFirstRun}>
          {/* Configuring the site needs what saving sync settings needs: a role without it is
              not walked into a wizard whose every page the site would refuse. */}
          {firstRun && !deniedReason(who, "set_sync_settings") && (
            <FirstRunWizard
              onClose={() => {
                setFirstRun(false);
                setReload((r) => r + 1);
              }}
            />
          )}
          {node?.page ? (
            // A new set of parameters remounts the page, so it starts from them again.
            <div key={`${params ? `${node.id}#${params.visit}` : node.id}@${reload}`} style={{ display: "contents" }}>
              <NodeIdContext.Provider value={node.id}>
                <NodeParamsContext.Provider value={params?.params ?? NO_PARAMS}>
                  <Suspense fallback={<Spinner className={styles.loading} label={strings.loadingPage} />}>{node.page()}</Suspense>
                </NodeParamsContext.Provider>
              </NodeIdContext.Provider>
            </div>
          ) : node && hasEmptyState(node.id) ? (
            <EmptyNode nodeId={node.id} title={node.label} />
          ) : (
            <NotAvailable title={node?.label ?? ""} message={strings.notAvailable} />
          )}
          </FirstRunContext.Provider>
        </NavigateContext.Provider>
      </main>
    </div>
  );
}

/** The desktop app's log folder, opened in the file manager; a failure says why, in place. */
function OpenLogFolder({ className }: { className: string }) {
  const [failure, setFailure] = useState<string | null>(null);
  return (
    <>
      {failure && <Text className={className}>{strings.openLogFolderFailed(failure)}</Text>}
      <Button
        appearance="transparent"
        size="small"
        className={className}
        onClick={() => openLogFolder().then(() => setFailure(null), (e: unknown) => setFailure(toApiFailure(e).message))}
      >
        {strings.openLogFolder}
      </Button>
    </>
  );
}
