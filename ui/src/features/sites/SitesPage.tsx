// Administration > Site Configuration > Sites: the site this console is connected to
// (site_info) and its site components (Software Update Point, whose Properties dialog the
// sync feature owns), and the disconnected-site commands Export Catalog / Import Catalog.
import { useCallback, useEffect, useState } from "react";
import { Subtitle2, Text, makeStyles, tokens } from "@fluentui/react-components";
import { ArrowClockwiseRegular, ArrowExportRegular, ArrowImportRegular, SettingsRegular } from "@fluentui/react-icons";
import { call, toApiFailure, type ApiFailure, type SiteInfo, type SyncSettings } from "../../api";
import { CommandBar } from "../../components/CommandBar/CommandBar";
import { DataGrid, emptySelection, type DataGridColumn, type Selection } from "../../components/DataGrid";
import { DetailsPane } from "../../components/DetailsPane";
import { ErrorBar } from "../../components/ErrorBar";
import { formatCount, formatUtc } from "../../components/format";
import { PropertyList } from "../../components/PropertyList";
import { ExportCatalogDialog, ImportCatalogDialog } from "../sync/export/CatalogFileDialogs";
import { strings as exportStrings } from "../sync/export/strings";
import { SupPropertiesDialog } from "../sync/properties/SupPropertiesDialog";
import { SupSummary, supColumns, type SiteComponentRow } from "../sync/properties/siteComponent";
import { strings as syncStrings } from "../sync/strings";
import { strings } from "./strings";

const c = strings.columns;

const columns: DataGridColumn<SiteInfo>[] = [
  { id: "siteName", header: c.siteName, width: 200, render: (s) => s.siteName },
  { id: "productVersion", header: c.productVersion, width: 110, render: (s) => s.productVersion },
  { id: "schemaVersion", header: c.schemaVersion, width: 130, align: "end", render: (s) => String(s.schemaVersion) },
  { id: "updateCount", header: c.updateCount, width: 140, align: "end", render: (s) => formatCount(s.updateCount) },
  { id: "revisionCount", header: c.revisionCount, width: 140, align: "end", render: (s) => formatCount(s.revisionCount) },
  { id: "categoryCount", header: c.categoryCount, width: 110, align: "end", render: (s) => formatCount(s.categoryCount) },
  {
    id: "lastCatalogChange",
    header: c.lastCatalogChange,
    width: 170,
    render: (s) => formatUtc(s.lastCatalogChangeUtc) || strings.never,
  },
];

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", height: "100%", minHeight: 0 },
  heading: { display: "flex", alignItems: "baseline", gap: tokens.spacingHorizontalM, padding: tokens.spacingHorizontalM },
  count: { color: tokens.colorNeutralForeground3 },
  grid: { flexGrow: 1, flexShrink: 1, flexBasis: 0, minHeight: "96px" },
  muted: { color: tokens.colorNeutralForeground3 },
});

export function SitesPage() {
  const styles = useStyles();
  const [info, setInfo] = useState<SiteInfo | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [selection, setSelection] = useState<Selection>({ ranges: [[0, 0]], anchor: 0, focus: 0 });
  const [sup, setSup] = useState<SyncSettings | null>(null);
  const [supFailure, setSupFailure] = useState<ApiFailure | null>(null);
  const [componentSelection, setComponentSelection] = useState<Selection>(emptySelection);
  const [propertiesOpen, setPropertiesOpen] = useState(false);
  const [catalogDialog, setCatalogDialog] = useState<"export" | "import" | null>(null);

  const load = useCallback(() => {
    setFailure(null);
    setSupFailure(null);
    call("site_info", {}).then(
      (i) => {
        setInfo(i);
        setLoaded(true);
      },
      (e: unknown) => {
        setFailure(toApiFailure(e));
        setLoaded(true);
      },
    );
    call("get_sync_settings", {}).then(setSup, (e: unknown) => setSupFailure(toApiFailure(e)));
  }, []);
  useEffect(load, [load]);

  const rowCount = info ? 1 : 0;
  // The details pane follows the grid last clicked: the site, or one of its components.
  const componentFocused = componentSelection.focus !== null;
  const focused = info && !componentFocused && selection.focus === 0 ? info : null;
  const components: SiteComponentRow[] = sup && info ? [{ name: syncStrings.componentName, siteName: info.siteName, settings: sup }] : [];
  const focusedComponent = componentFocused ? components[componentSelection.focus ?? -1] : undefined;

  const selectSite = (next: Selection) => {
    setSelection(next);
    setComponentSelection(emptySelection);
  };
  const selectComponent = (next: Selection) => {
    setComponentSelection(next);
    setSelection(emptySelection);
  };

  return (
    <div className={styles.root}>
      <CommandBar
        ariaLabel={strings.commandsLabel}
        commands={[
          { id: "refresh", label: strings.refresh, icon: <ArrowClockwiseRegular />, group: "view", run: load },
          {
            id: "properties",
            label: syncStrings.sites.properties,
            description: syncStrings.sites.propertiesHint,
            icon: <SettingsRegular />,
            group: "component",
            disabled: !focusedComponent,
            run: () => setPropertiesOpen(true),
          },
          {
            id: "export-catalog",
            label: exportStrings.exportCommand,
            description: exportStrings.exportHint,
            icon: <ArrowExportRegular />,
            group: "catalog",
            run: () => setCatalogDialog("export"),
          },
          {
            id: "import-catalog",
            label: exportStrings.importCommand,
            description: exportStrings.importHint,
            icon: <ArrowImportRegular />,
            group: "catalog",
            run: () => setCatalogDialog("import"),
          },
        ]}
      />
      <div className={styles.heading}>
        <Subtitle2 as="h1">{strings.pageTitle}</Subtitle2>
        <Text className={styles.count} role="status">
          {loaded ? strings.items(rowCount) : strings.loading}
        </Text>
      </div>
      {failure && <ErrorBar title={strings.loadFailed} message={failure.message} onRetry={load} retryLabel={strings.retry} />}
      <div className={styles.grid}>
        <DataGrid<SiteInfo>
          ariaLabel={strings.gridLabel}
          columns={columns}
          rowCount={rowCount}
          getRow={() => info ?? undefined}
          selection={rowCount ? selection : emptySelection}
          onSelectionChange={selectSite}
        />
      </div>
      <div className={styles.heading}>
        <Subtitle2 as="h2">{syncStrings.sites.componentsHeading}</Subtitle2>
      </div>
      {supFailure && (
        <ErrorBar title={syncStrings.sites.loadFailed} message={supFailure.message} onRetry={load} retryLabel={strings.retry} />
      )}
      <div className={styles.grid}>
        <DataGrid<SiteComponentRow>
          ariaLabel={syncStrings.sites.componentsGridLabel}
          columns={supColumns}
          rowCount={components.length}
          getRow={(i) => components[i]}
          selection={components.length ? componentSelection : emptySelection}
          onSelectionChange={selectComponent}
          onActivate={() => setPropertiesOpen(true)}
        />
      </div>
      <DetailsPane
        ariaLabel={strings.detailsLabel}
        height="45%"
        tabs={[
          {
            id: "summary",
            label: strings.summary,
            render: () =>
              focusedComponent ? (
                <SupSummary row={focusedComponent} />
              ) : focused ? (
                <PropertyList
                  items={[
                    { label: c.siteName, value: focused.siteName },
                    { label: c.productVersion, value: focused.productVersion },
                    { label: c.schemaVersion, value: String(focused.schemaVersion) },
                    { label: c.databasePath, value: focused.databasePath },
                    { label: c.updateCount, value: formatCount(focused.updateCount) },
                    { label: c.revisionCount, value: formatCount(focused.revisionCount) },
                    { label: c.categoryCount, value: formatCount(focused.categoryCount) },
                    {
                      label: c.lastCatalogChange,
                      value: focused.lastCatalogChangeUtc
                        ? `${formatUtc(focused.lastCatalogChangeUtc)} (${focused.lastCatalogChangeUtc})`
                        : strings.never,
                    },
                  ]}
                />
              ) : (
                <Text className={styles.muted}>{strings.nothingSelected}</Text>
              ),
          },
        ]}
      />
      {propertiesOpen && <SupPropertiesDialog onClose={() => setPropertiesOpen(false)} onSaved={setSup} />}
      {catalogDialog === "export" && <ExportCatalogDialog onClose={() => setCatalogDialog(null)} />}
      {catalogDialog === "import" && <ImportCatalogDialog onClose={() => setCatalogDialog(null)} onDone={load} />}
    </div>
  );
}
